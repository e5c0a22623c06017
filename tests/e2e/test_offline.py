"""The intranet has no internet: the browser must fetch nothing from any host but
the app's own, on any page, in any mode."""

from conftest import choose, go, open_page, wait_idle
from ui.nav import PAGES


def test_the_browser_fetches_only_from_the_app_across_every_page(server, page, context):
    open_page(page, server.page_url())
    for spec in (*PAGES[1:], PAGES[0]):
        go(page, spec.title)
    choose(page, "截至月份", "2026年6月")
    go(page, "部门任务")
    # Hovering a chart draws Vega's tooltip; the template download goes through the media endpoint.
    page.locator('[data-testid="stVegaLiteChart"]').first.hover()
    open_page(page, server.page_url("data"))
    with page.expect_download():
        page.get_by_role("button", name="下载空白填报模板（进度填报模板.xlsx）").click()
    open_page(page, server.page_url("department", dept="商务委"))
    open_page(page, server.page_url(mode="meeting"))
    page.reload()
    wait_idle(page)

    own = [url for url in context.requests.urls if server.host in url]
    assert any(url.startswith(f"ws://{server.host}/_stcore/stream") for url in own)
    assert sorted(set(context.requests.foreign(server.host))) == []
