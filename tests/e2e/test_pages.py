"""Every page of the real app in Chromium: opens at its own address with no
exception, and shows the figures the status computes for the sample data."""

import pytest

from conftest import assert_no_exception, counts_shown, grid, main, metrics, open_page, screenshot, sidebar, title
from ui.nav import PAGES
from yzlogi import levels
from yzlogi.views import indicator_card, light_text



@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path or "root")
def test_every_page_opens_at_its_own_address(server, page, artifacts, spec):
    open_page(page, server.page_url(spec.address))
    screenshot(page, spec.url_path or "root", artifacts)  # first: kept when an assertion below fails
    assert_no_exception(page)
    # Streamlit answers an unknown path with a "Page not found" dialog over the default page
    # (and drops the URL's parameters); it serves the default page at "/" only.
    dialog = page.get_by_role("dialog")
    assert dialog.count() == 0, f"/{spec.address} (ui/nav.py) is not served: {dialog.inner_text()}"
    assert title(page) == spec.title
    current = sidebar(page).locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    assert current.inner_text().split("\n")[-1] == spec.title


def test_overview_shows_the_month_the_counts_and_the_red_items_first(server, page):
    status = server.status()
    open_page(page, server.page_url())
    body = main(page).inner_text()
    assert f"数据截至 {status.as_of.label}" in body
    assert f"{status.as_of.year}年已过 {status.as_of.month}/12" in body
    assert metrics(page) == counts_shown(status)
    shown = grid(page, "事项", "原因")
    assert [(row["灯"], row["事项"], row["原因"]) for row in shown] == [
        (light_text(a.level), a.title, a.why) for a in status.exceptions()]
    for item in status.current_indicators():
        card = indicator_card(item)
        # The innermost block holding the card's title is the card itself.
        shown = main(page).locator('[data-testid="stVerticalBlock"]').filter(has_text=card["title"]).last
        text = shown.inner_text()
        assert f"{levels.level(card['level']).mark} {levels.name(card['level'])}" in text, card["title"]
        assert f"完成值：{card['value']}" in text, card["title"]


def test_indicators_page_draws_every_light_of_the_matrix(server, page):
    status = server.status()
    open_page(page, server.page_url("indicators"))
    shown = {(row["序号"], row["年度"]): (row["灯"], row["目标"]) for row in grid(page, "序号", "年度", "灯")}
    assert shown == {(str(i.no), f"{i.year}年"): (light_text(i.light), i.target_text) for i in status.indicators}


def test_routes_page_shows_each_route_against_its_pace(server, page):
    status = server.status()
    open_page(page, server.page_url("routes"))
    year = status.current_year
    summary = {row["线路"]: row for row in grid(page, "线路", f"{year}年累计")}
    assert set(summary) == {r.route for r in status.routes}
    body = main(page).inner_text()
    for route in status.routes:
        current = route.year(year)
        assert summary[route.route][f"{year}年累计"] == str(current.actual_ytd)
        assert summary[route.route]["灯"] == light_text(current.light)
        assert current.light.text in body


def test_fleet_page_counts_every_category(server, page):
    status = server.status()
    open_page(page, server.page_url("fleet"))
    shown = {row["类别"]: (row["已完成"], row["在建"], row["计划"], row["灯"])
             for row in grid(page, "类别", "已完成", "在建")}
    assert shown == {f.category: (str(f.done), str(f.in_progress), str(f.planned), light_text(f.light))
                     for f in status.fleet}
    ships = grid(page, "船名", "状态")
    assert sorted(row["船名"] for row in ships) == sorted(s.name for f in status.fleet for s in f.ships)


def test_tasks_page_lists_every_task_with_its_light(server, page):
    status = server.status()
    open_page(page, server.page_url("tasks"))
    shown = {row["序号"]: row["灯"] for row in grid(page, "序号", "重点工作", "灯")}
    assert shown == {str(t.no): light_text(t.light) for t in status.tasks}


def test_plan_page_shows_indicators_and_tasks(server, page):
    open_page(page, server.page_url("plan"))
    assert_no_exception(page)
    assert title(page) == "计划总览"
    body = main(page).inner_text()
    for text in ["主要指标年度目标（附件1）", "重点任务清单（附件2）", "推进设施绿色化更新", "正文与附件的差异"]:
        assert text in body

