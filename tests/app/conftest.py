"""AppTest fixtures: the real app script, run in-process against a fresh data folder."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A function that runs app.py (optionally on a page) and returns the AppTest."""
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(tmp_path / "var"))
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
