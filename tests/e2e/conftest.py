"""The real app in a real browser: `streamlit run` on a free port with a fresh
data folder, driven by Playwright in Debian's Chromium (Playwright cannot
download its own browsers here, so it launches /usr/bin/chromium).

Pages are awaited on Streamlit's own idle state (stApp's
data-test-script-state="notRunning") plus every chart and table drawn, and an
interaction on the server's script_finished message for the run it caused;
never on sleeps (harness.py). Screenshots go to test-artifacts/e2e/.

One server serves the whole session on a fresh data folder (the sample as
version 1, never changed); a test that changes data starts its own server on
its own folder (`make_server`). Expected figures come from the same folder
through yzlogi.store.Store and compute_status, read-only.
"""

from __future__ import annotations

import tomllib
import urllib.parse
import weakref
from pathlib import Path

import pytest

from harness import (CHROMIUM, CHROMIUM_ARGS, IDLE_JS, PENDING_JS, ROOT, STREAM_PATH, VIEWPORT, AppServer,  # noqa: F401
                     plan, run_finished)  # plan: re-exported, the tests import it from here

ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# The glide data grid draws on a canvas and keeps an accessible copy of the
# cells it draws in a <table> inside it: the text a reader of the page gets.
_GRID_JS = """(canvas) => [...canvas.querySelectorAll('tr')].map(
  (row) => [...row.querySelectorAll('th, td')].map((cell) => cell.innerText.trim()))"""

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before -m deselects: `pytest -m "not e2e"` leaves the browser tests out
def pytest_collection_modifyitems(items) -> None:
    """Mark every test of this folder e2e (a conftest's pytestmark marks nothing)."""
    for item in items:
        if Path(item.path).is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)


def open_once(server: AppServer, browser) -> None:
    """Open the app once in a browser, as its first visitor: the app sets up the
    data folder (a fresh one gets the sample as version 1) on its first run."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(server.page_url())
        wait_idle(page, timeout=120_000)
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def server(tmp_path_factory, artifacts, browser):
    """One app server for the session, on a fresh data folder (the sample as version 1).

    Tests must not add or switch versions (a recorded export is fine): use `make_server` for that."""
    app = AppServer(tmp_path_factory.mktemp("e2e-data"), artifacts / "server.log")
    try:
        open_once(app, browser)
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
        open_once(app, browser)
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


# Each page's current Streamlit websocket (a reconnect opens a new one).
_STREAMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _follow_stream(page) -> None:
    page.on("websocket", lambda ws: _STREAMS.__setitem__(page, ws) if STREAM_PATH in ws.url else None)


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
    context.on("page", _follow_stream)
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
        page.wait_for_function(IDLE_JS, timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(f"{page.url} did not settle: {page.evaluate(PENDING_JS)}") from None


def rerun(page, action, timeout: float = 60_000) -> None:
    """Do an interaction that reruns the script; wait for the server to finish that
    run (its script_finished message), then for the page to settle."""
    with _STREAMS[page].expect_event("framereceived", predicate=run_finished, timeout=timeout):
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


def counts_shown(status) -> dict[str, str]:
    """The four light counts as 总览's metrics show them: label → number."""
    from yzlogi import levels

    counts = status.counts()["total"]
    return {f"{levels.level(k).mark} {levels.name(k)}": str(counts[k]) for k in levels.ORDER}


def grids(page, within=None) -> list[list[dict[str, str]]]:
    """Every table as the browser drew it, in page order: rows of header → cell text. The pages'
    tables are HTML (table.yz-table, ui.htmltable); an st.dataframe is read from its grid's copy."""
    out = []
    for table in (within or main(page)).locator('table.yz-table, [data-testid="data-grid-canvas"]').all():
        rows = table.evaluate(_GRID_JS)
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


# The screens the dashboard is used on: the meeting room's wall, an official's laptop, a phone.
SCREENS = {"wall": (1920, 1080), "laptop": (1366, 768), "phone": (390, 844)}


def screenshots(page, name: str, artifacts: Path) -> list[Path]:
    """The page at each of SCREENS, whole (stretched to the main area's height), as name-<screen>.png.

    Each screen opens the page afresh (its URL), as a visitor on that screen would: Streamlit
    lays out for the width it starts at (a phone starts with the sidebar closed). Widget
    values not in the URL are their defaults again."""
    paths = []
    try:
        for screen, (width, height) in SCREENS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            wait_idle(page)
            full = page.evaluate("""() => {
              const main = document.querySelector('[data-testid="stMain"]');
              return Math.ceil(Math.max(main.scrollHeight, window.innerHeight));
            }""")
            page.set_viewport_size({"width": width, "height": min(full, 16_000)})
            wait_idle(page)
            path = artifacts / f"{name}-{screen}.png"
            page.screenshot(path=str(path))
            paths.append(path)
    finally:
        page.set_viewport_size(VIEWPORT)
    return paths


def overflowing(page) -> list[str]:
    """Elements of the main area wider than the window (what makes a phone scroll sideways), by test id."""
    return page.evaluate("""() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll('[data-testid="stMain"] [data-testid]')]
        .filter((el) => el.getBoundingClientRect().right > width + 1
                        && !el.closest('[data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stCode"]'))
        .map((el) => el.getAttribute('data-testid'));
    }""")


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
