"""The Streamlit side of yzlogi: caching wrappers, the shared sidebar, small
render helpers. Pages import from here and from yzlogi; yzlogi never imports this."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def ensure_router() -> None:
    """Make sure app.py's router runs this page, not Streamlit's v1 page loader.

    Streamlit 1.67 treats a `pages/` folder beside the main script as a v1
    multipage app until the first st.navigation call of the process: the first
    visit after a server start to, say, /routes?asof=2026-06 would run
    pages/routes.py alone, without app.py's page config, sidebar and menu.
    shell.plan() and context.require() call this, so every page does: such a
    run switches the process to st.navigation and goes to the same page
    through app.py, keeping the URL's query parameters (time travel, meeting
    mode, ?dept=)."""
    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    ctx = get_script_run_ctx()
    page = ctx.pages_manager.get_pages().get(ctx.page_script_hash, {}) if ctx else {}
    script = page.get("script_path")
    if script:
        st.switch_page(script, query_params=st.query_params.to_dict())
    st.rerun()
