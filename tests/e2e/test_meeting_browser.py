"""会议模式 as the wall screen shows it: no sidebar, slides in large type (and large-type tables on
the pages outside the walk), and the walk moving on by itself in the browser, with the mode kept
in the URL. Every slide's fit: test_meeting_slides.py."""

from urllib.parse import urlsplit

from conftest import main, open_page, query, sidebar, title, wait_idle, wait_title


def _font_px(locator) -> float:
    return float(locator.evaluate("(el) => getComputedStyle(el).fontSize").removesuffix("px"))


def test_meeting_mode_hides_the_sidebar_and_enlarges_the_type(server, page):
    open_page(page, server.page_url("routes"))
    normal_body = float(page.evaluate("() => getComputedStyle(document.documentElement).fontSize").removesuffix("px"))
    assert sidebar(page).is_visible()

    open_page(page, server.page_url("routes", mode="meeting"))
    assert title(page) == "通道班次"
    assert not sidebar(page).is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    assert _font_px(main(page).locator(".yz-slide")) > normal_body
    # The routes slide: one tile per route, the runs in type over three times the slide's body type.
    assert main(page).locator(".yz-tile").count() == 3
    assert _font_px(main(page).locator(".yz-big").first) >= 3 * _font_px(main(page).locator(".yz-slide"))
    assert main(page).locator('[data-testid="stDataFrame"]').count() == 0

    # A page outside the walk keeps its body, its tables HTML at the wall screen's type size.
    open_page(page, server.page_url("department", mode="meeting", dept="区商务委"))
    cells = main(page).locator('[data-testid="stTable"] td')
    assert cells.count() > 0
    assert _font_px(cells.first) == 24
    assert main(page).locator('[data-testid="stDataFrame"]').count() == 0


def test_the_walk_moves_on_by_itself_in_the_browser(server, page):
    open_page(page, server.page_url(mode="meeting", every="5"))
    assert title(page) == "总览"
    # The countdown is a fragment ticking in the browser; wait for the page it leads to.
    wait_title(page, "年度指标")
    assert urlsplit(page.url).path == "/indicators"
    assert query(page) == {"mode": "meeting", "every": "5"}


def test_stepping_and_leaving_meeting_mode_by_the_buttons(server, page):
    open_page(page, server.page_url("fleet", mode="meeting"))
    main(page).get_by_role("button", name="下一页").click()
    wait_title(page, "部门任务")
    assert query(page)["mode"] == "meeting"
    # Meeting mode's one-second ticks are reruns too: wait for what the exit shows.
    main(page).get_by_role("button", name="退出").click()
    sidebar(page).wait_for(state="visible")
    wait_idle(page)
    assert title(page) == "部门任务"
    assert "mode" not in query(page)
    assert main(page).locator("table.yz-table").count() > 0  # the normal mode's wrapping tables again
