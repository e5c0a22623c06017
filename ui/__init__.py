"""The Streamlit side of yzlogi: caching wrappers, the shared sidebar, small
render helpers. Pages import from here and from yzlogi; yzlogi never imports this.

Importing this package also makes sure the router in app.py is in charge.
Streamlit 1.67 treats a `pages/` folder beside the main script as a v1
multipage app until the first st.navigation call of the process: a first
visit to /plan would run pages/plan.py alone, without app.py's page config,
sidebar and menu. Every page imports `ui`, so the first such run switches the
process to st.navigation and reruns through app.py.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
