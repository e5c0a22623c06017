"""Every page of the real app in Chromium: opens, shows its key figures, no exception."""

from conftest import assert_no_exception, open_page


def test_plan_page_shows_indicators_and_tasks(server, page, artifacts):
    open_page(page, f"{server.url}/plan")
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == "计划总览"
    body = page.locator('[data-testid="stMain"]').inner_text()
    for text in ["主要指标年度目标（附件1）", "重点任务清单（附件2）", "推进设施绿色化更新", "正文与附件的差异"]:
        assert text in body
    page.screenshot(path=str(artifacts / "plan.png"), full_page=True)
