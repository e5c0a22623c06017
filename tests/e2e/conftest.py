"""The real app in a real browser: `streamlit run` on a free port with a fresh
data folder, driven by Playwright in Debian's Chromium (Playwright cannot
download its own browsers here, so it launches /usr/bin/chromium).

Pages are awaited on Streamlit's own idle state (stApp's
data-test-script-state="notRunning") plus every chart and table drawn, never
on sleeps. Screenshots go to test-artifacts/e2e/.

One server serves the whole session on a fresh data folder (the sample as
version 1, never changed); a test that changes data starts its own server on
its own folder (`make_server`). Expected figures come from the same folder
through yzlogi.store.Store and compute_status, read-only.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.parse
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
VIEWPORT = {"width": 1600, "height": 1000}
# Idle: connected, the script not running, the page drawn (every page has a
# title), no element left stale from the run before, no lazily loaded element
# still a skeleton, and every visible chart and data grid drawn (Vega and the
# grid draw after the script's run ends; a screenshot or a figure read before
# that would see an empty box).
_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning'
      || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
      || document.querySelector('[data-testid="stMain"] h1') === null
      || document.querySelectorAll('[data-stale="true"]').length > 0
      || document.querySelectorAll('[data-testid="stSkeleton"]').length > 0
      || window.__yzRunSeen === false) return false;
  const shown = (el) => el.getClientRects().length > 0;
  const sized = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].filter(shown);
  if (!charts.every((c) => [...c.querySelectorAll('svg.marks, canvas')].some(sized))) return false;
  const frames = [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(shown);
  return frames.every((frame) => {
    const grid = frame.querySelector('[data-testid="data-grid-canvas"]');
    const table = grid && grid.querySelector('table');
    return !!table && grid.width > 0
      && (table.getAttribute('aria-rowcount') === '1' || table.querySelector('tbody tr') !== null);
  });
}"""
# What is still pending when a page does not settle, for the failure message.
_PENDING_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const shown = (el) => el.getClientRects().length > 0;
  return {
    script: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'),
    title: document.querySelector('[data-testid="stMain"] h1') !== null,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
    rerunSeen: window.__yzRunSeen,
    charts: [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].filter(shown).length,
    tables: [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(shown).length,
    tablesDrawn: [...document.querySelectorAll('[data-testid="data-grid-canvas"] tbody tr:first-child')].length,
  };
}"""
# Records that a rerun was asked for or started after an interaction, so waiting
# cannot return on the idle state left over from before it. The frontend shows
# 'rerunRequested' as soon as it sends the rerun; a short script's 'running' may
# never reach the DOM (React draws only the last of states that arrive together).
_ARM_JS = """() => {
  window.__yzRunSeen = false;
  const app = document.querySelector('[data-testid="stApp"]');
  const observer = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') !== 'notRunning') { window.__yzRunSeen = true; observer.disconnect(); }
  });
  observer.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
# The glide data grid draws on a canvas and keeps an accessible copy of the
# cells it draws in a <table> inside it: the text a reader of the page gets.
_GRID_JS = """(canvas) => [...canvas.querySelectorAll('tr')].map(
  (row) => [...row.querySelectorAll('th, td')].map((cell) => cell.innerText))"""

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
        self.host = f"127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.log_path = log_path
        self.env = {**os.environ, "YZLOGI_DATA_DIR": str(data_dir), **(env or {})}
        self._log = open(log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
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
                time.sleep(0.2)  # polling a process that is starting, not waiting on the page
        raise RuntimeError(f"streamlit did not become healthy:\n{self.log()}")

    def open_once(self, browser) -> None:
        """Open the app once in a browser, as its first visitor: the app sets up the
        data folder (a fresh one gets the sample as version 1) on its first run."""
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.goto(self.page_url())
            wait_idle(page, timeout=120_000)
        finally:
            context.close()

    def page_url(self, url_path: str = "", **params: str) -> str:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return f"{self.url}/{url_path}{query}"

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """`python -m yzlogi …` on this server's data folder, as an administrator would run it."""
        return subprocess.run([sys.executable, "-m", "yzlogi", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=180)

    def store(self):
        """A store on the server's folder for reading expected figures (the folder lock makes it safe)."""
        from yzlogi.store import Store

        return Store(self.data_dir, plan=plan(), sample=None)

    def status(self, as_of: str | None = None, version: int | None = None):
        """The status the pages should show, computed without the UI."""
        from yzlogi.months import Month
        from yzlogi.status import compute_status, default_as_of

        store = self.store()
        version_id = version if version is not None else store.active_version().id
        data = store.load(version_id)
        month = Month.parse(as_of) if as_of else default_as_of(data)
        return compute_status(plan(), data, month)

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


_PLAN = None


def plan():
    """The checked plan, loaded once."""
    global _PLAN
    if _PLAN is None:
        from yzlogi.plan import load_plan

        _PLAN = load_plan()
    return _PLAN


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def server(tmp_path_factory, artifacts, browser):
    """One app server for the session, on a fresh data folder (the sample as version 1).

    Tests must not change its data: use `make_server` for that."""
    app = AppServer(tmp_path_factory.mktemp("e2e-data"), artifacts / "server.log")
    try:
        app.open_once(browser)
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="module")
def make_server(tmp_path_factory, artifacts, browser):
    """Start servers of their own (own data folder, own log) for tests that change data."""
    started: list[AppServer] = []

    def start(name: str, env: dict[str, str] | None = None) -> AppServer:
        app = AppServer(tmp_path_factory.mktemp(f"e2e-{name}"), artifacts / f"server-{name}.log", env)
        started.append(app)
        app.open_once(browser)
        return app

    yield start
    for app in started:
        app.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Requests:
    """Every request (and WebSocket) a browser context makes, by URL."""

    def __init__(self, context):
        self.urls: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("page", self._watch)

    def _watch(self, page) -> None:
        page.on("websocket", lambda ws: self.urls.append(ws.url))

    def foreign(self, own_host: str) -> list[str]:
        """The URLs whose host is not the app's own (data: and blob: URLs stay in the browser)."""
        out = []
        for url in self.urls:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme in ("data", "blob"):
                continue
            if parts.netloc != own_host:
                out.append(url)
        return out


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    context.requests = Requests(context)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script and drawing this page."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_IDLE_JS, timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(f"{page.url} did not settle: {page.evaluate(_PENDING_JS)}") from None


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


def main(page):
    return page.locator('[data-testid="stMain"]')


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def title(page) -> str:
    return main(page).locator("h1").first.inner_text().strip()


def wait_title(page, text: str, timeout: float = 60_000) -> None:
    """Wait until the page titled `text` is shown and settled (a page switch, or meeting
    mode's walk, whose one-second ticks are reruns of their own)."""
    page.wait_for_function(
        "(text) => document.querySelector('[data-testid=\"stMain\"] h1')?.innerText.trim() === text",
        arg=text, timeout=timeout)
    wait_idle(page, timeout)


def go(page, menu_title: str) -> None:
    """Click a page in the sidebar menu and wait for it to settle."""
    rerun(page, lambda: sidebar(page).get_by_role("link", name=menu_title, exact=True).click())
    wait_title(page, menu_title)


def combobox(page, label: str):
    """A selectbox by its label (Streamlit draws it as an ARIA combobox named by the label)."""
    return page.get_by_role("combobox", name=label, exact=True)


def choose(page, label: str, option: str) -> None:
    """Pick an option of a selectbox by its label and the option's shown text."""
    box = combobox(page, label)
    box.click()
    # Typing filters the list and opens it, whether or not a click alone opens it
    # (an empty selectbox only takes focus) and however long the list is.
    box.fill(option)
    rerun(page, lambda: page.get_by_role("option", name=option, exact=True).click())


def selected(page, label: str) -> str:
    """The shown value of a selectbox."""
    return combobox(page, label).input_value()


def query(page) -> dict[str, str]:
    """The page URL's query parameters."""
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))


def metrics(page) -> dict[str, str]:
    """st.metric label → value, in page order."""
    out = {}
    for metric in main(page).locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        out[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


def grids(page, within=None) -> list[list[dict[str, str]]]:
    """Every st.dataframe as the browser drew it, in page order: rows of header → cell text."""
    out = []
    for canvas in (within or main(page)).locator('[data-testid="data-grid-canvas"]').all():
        rows = canvas.evaluate(_GRID_JS)
        out.append([dict(zip(rows[0], row)) for row in rows[1:]])
    return out


def grid(page, *columns: str, within=None) -> list[dict[str, str]]:
    """The first st.dataframe whose header holds `columns` (pages gain tables; names stay)."""
    drawn = grids(page, within)
    for rows in drawn:
        if rows and set(columns) <= set(rows[0]):
            return rows
    headers = [list(rows[0]) if rows else [] for rows in drawn]
    raise AssertionError(f"no table with columns {columns}; tables drawn: {headers}")


def after_heading(page, heading: str, testid: str = "", tag: str = "*"):
    """The first element (with `testid`, or of `tag`) after the heading whose text is
    `heading` (Streamlit lays a page out as a flat list: a heading does not contain its table)."""
    test = f'[@data-testid="{testid}"]' if testid else ""
    return main(page).locator(
        f'xpath=//*[self::h1 or self::h2 or self::h3 or self::h4][normalize-space(.)="{heading}"]'
        f'/following::{tag}{test}[1]'
    )


def table_rows(table) -> list[dict[str, str]]:
    """An st.table's rows: header → cell text."""
    rows = table.evaluate("""(t) => [...t.querySelectorAll('tr')].map(
      (row) => [...row.querySelectorAll('th, td')].map((cell) => cell.innerText.trim()))""")
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def screenshot(page, name: str, artifacts: Path) -> Path:
    """A screenshot of the whole page: the viewport is stretched to the main area's
    height, since Streamlit scrolls inside its own container, not the document."""
    height = page.evaluate("""() => {
      const main = document.querySelector('[data-testid="stMain"]');
      return Math.ceil(Math.max(main.scrollHeight, window.innerHeight));
    }""")
    path = artifacts / f"{name}.png"
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height, 16_000)})
    try:
        wait_idle(page)
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(VIEWPORT)
    return path


def theme_fonts() -> list[str]:
    """The font families of the app's theme (.streamlit/config.toml), in order."""
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    return [name.strip().strip("'\"") for name in theme["font"].split(",")]


def fonts_used(page, selector: str) -> dict[str, int]:
    """The platform fonts Chromium drew the first `selector` element's text with: family → glyphs.

    Asked of Chromium itself (DevTools CSS.getPlatformFontsForNode), so a missing
    CJK font shows as the fallback that drew tofu, not as a plausible width."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        cdp.send("CSS.enable")
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element for {selector}"
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}
