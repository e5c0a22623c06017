"""AppTest fixtures: the real app script, run in-process against a fresh data folder."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A function that runs app.py (optionally on a page) and returns the AppTest."""
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(tmp_path / "var"))
    # AppTest starts every run as if the server had just started, in Streamlit's
    # v1 `pages/` mode, which ui.ensure_router leaves with a page switch that
    # drops the run's button clicks. A real server leaves that mode once for
    # good (the first visit after a start; tests/e2e covers it), so here every
    # run starts the way all but that first one do.
    original_init = PagesManager.__init__

    def init_as_after_first_visit(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_as_after_first_visit)
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(page: str | None = None, query: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        return at

    yield run
    st.cache_data.clear()
    st.cache_resource.clear()
