"""The Streamlit side of yzlogi: caching wrappers, the shared sidebar, small
render helpers. Pages import from here and from yzlogi; yzlogi never imports this."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_router() -> None:
    """Make sure app.py's router runs this page, not Streamlit's v1 page loader.

    Streamlit 1.67 treats a `pages/` folder beside the main script as a v1
    multipage app until the first st.navigation call of the process: a first
    visit to /plan would run pages/plan.py alone, without app.py's page config,
    sidebar and menu. shell.plan() and context.require() call this, so every
    page does: the first such run switches to st.navigation and reruns."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
