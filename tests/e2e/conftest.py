"""The real app in a real browser: `streamlit run` on a free port with a fresh
data folder, driven by Playwright in Debian's Chromium (Playwright cannot
download its own browsers here, so it launches /usr/bin/chromium).

Pages are awaited on Streamlit's own idle state (stApp's
data-test-script-state="notRunning"), never on sleeps. Screenshots go to
test-artifacts/e2e/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("YZLOGI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Chromium's own background traffic is refused on a closed network; keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
# Idle: connected, the script not running, the page drawn (every page has a
# title), no element left stale from the run before, and no lazily loaded
# element still a skeleton.
_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && document.querySelector('[data-testid="stMain"] h1') !== null
    && document.querySelectorAll('[data-stale="true"]').length === 0
    && document.querySelectorAll('[data-testid="stSkeleton"]').length === 0
    && (window.__yzRunSeen === undefined || window.__yzRunSeen === true);
}"""
# Records that a rerun started after an interaction, so waiting cannot return
# on the idle state left over from before it.
_ARM_JS = """() => {
  window.__yzRunSeen = false;
  const app = document.querySelector('[data-testid="stApp"]');
  const observer = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') { window.__yzRunSeen = true; observer.disconnect(); }
  });
  observer.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """A `streamlit run app.py` process on localhost with its own data folder."""

    def __init__(self, data_dir: Path, log_path: Path, env: dict[str, str] | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.log_path = log_path
        environment = {**os.environ, "YZLOGI_DATA_DIR": str(data_dir), **(env or {})}
        self._log = open(log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=environment, stdout=self._log, stderr=subprocess.STDOUT,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not become healthy:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def server(tmp_path_factory, artifacts):
    """One app server for the session, on a fresh data folder (the sample as version 1)."""
    app = AppServer(tmp_path_factory.mktemp("e2e-data"), artifacts / "server.log")
    yield app
    app.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script and rendering for this page."""
    page.wait_for_function(_IDLE_JS, timeout=timeout)


def rerun(page, action, timeout: float = 60_000) -> None:
    """Do an interaction that reruns the script, then wait for that rerun to settle."""
    page.evaluate(_ARM_JS)
    action()
    wait_idle(page, timeout)


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def assert_no_exception(page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
