"""Text typed into a workbook is shown as text: HTML and Markdown in it stay inert
in the browser (no script runs, no element is made, nothing is fetched)."""

import pytest

from builders import good_sheets, write_xlsx
from conftest import main, open_page

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
MD_IMAGE = "![x](http://203.0.113.1/x.png)"  # TEST-NET-3: never a real host
HOSTILE = [SCRIPT, IMG, MD_IMAGE]


@pytest.fixture(scope="module")
def hostile_server(make_server, tmp_path_factory):
    """A server whose active version was imported by the administrator's CLI from a
    workbook with hostile text in its free-text cells and names."""
    app = make_server("inert")
    sheets = good_sheets()
    _, tasks = sheets["任务进展"]
    assert tasks[0][:2] == [1, "区交通运输委"]
    tasks[0][5:8] = [f"进展 {SCRIPT}", f"问题 {IMG}", f"下步 {MD_IMAGE}"]
    _, ships = sheets["船舶更新"]
    ships.append([IMG, "LNG动力船舶更新", "已完成", "2026-05", SCRIPT, MD_IMAGE])
    ships.append([MD_IMAGE, "LNG动力船舶更新", "已完成", "2026-04", "重庆某航运有限公司", ""])
    _, routes = sheets["通道班次"]
    routes.append([SCRIPT, "2026-06", 5, IMG])
    path = write_xlsx(tmp_path_factory.mktemp("hostile") / "恶意文本.xlsx", sheets)
    done = app.cli("import", str(path), "--by", "测试")
    assert done.returncode == 0, done.stderr
    return app


def _assert_inert(page, context, server) -> None:
    assert page.evaluate("() => window.__xss") is None
    # Streamlit's own bundle is loaded by <script> in <head>; none may appear in the page body.
    assert main(page).locator("script").count() == 0
    made = page.locator('img[src="x"], img[src*="203.0.113.1"]').evaluate_all("els => els.map(e => e.outerHTML)")
    assert made == [], "workbook text became elements"
    fetched = [u for u in context.requests.urls if "203.0.113.1" in u or u.rstrip("/").endswith(f"{server.host}/x")]
    assert fetched == []


def test_the_department_page_shows_workbook_html_as_text(hostile_server, page, context):
    open_page(page, hostile_server.page_url("department", dept="区交通运输委"))
    _assert_inert(page, context, hostile_server)
    body = main(page).inner_text()
    for text in (f"进展 {SCRIPT}", f"问题 {IMG}", f"下步 {MD_IMAGE}"):
        assert text in body


def test_the_overview_digest_shows_hostile_ship_names_as_text(hostile_server, page, context):
    open_page(page, hostile_server.page_url())
    _assert_inert(page, context, hostile_server)
    body = main(page).inner_text()
    # 自上次更新以来 lists the newly completed ships by name, through Markdown.
    assert f"{IMG}（LNG动力船舶更新）2026年5月完成" in body
    assert f"{MD_IMAGE}（LNG动力船舶更新）2026年4月完成" in body


@pytest.mark.parametrize("mode", ["normal", "meeting"])
@pytest.mark.parametrize("path", ["", "indicators", "routes", "fleet", "tasks", "department?dept=区商务委"])
def test_every_view_stays_inert(hostile_server, page, context, path, mode):
    # Meeting mode draws every table as HTML, where a dataframe's canvas was inert by nature.
    separator = "&" if "?" in path else "?"
    open_page(page, f"{hostile_server.url}/{path}" + (f"{separator}mode=meeting" if mode == "meeting" else ""))
    _assert_inert(page, context, hostile_server)
