"""AppTest fixtures: the real app script, run in-process against a fresh data folder."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    """A clock that moves only when a test moves it."""

    def __init__(self, now: float = 10_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sleeps() -> list[float]:
    """Every pause the throttle asked for, instead of waiting it out."""
    return []


@pytest.fixture
def fake_time(clock, sleeps):
    """Put the passcode throttle on `clock` and `sleeps`: call it once the app's gate exists or before
    the first run (ui.access.gate() is the same cached object the app's runs use)."""
    from ui import access

    def install() -> None:
        gate = access.gate()
        gate.throttle.clock, gate.throttle.sleep = clock, sleeps.append

    return install


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
