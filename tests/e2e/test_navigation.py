"""Moving around the real app: the sidebar menu, and the version and as-of month
kept in the URL so that a link reproduces the view."""

from conftest import choose, counts_shown, go, main, metrics, open_page, query, selected, title
from ui.nav import PAGES


def test_the_sidebar_menu_reaches_every_page_and_each_address_reopens_it(server, page, context):
    open_page(page, server.page_url())
    reached = {}
    for spec in (*PAGES[1:], PAGES[0]):
        go(page, spec.title)
        assert title(page) == spec.title
        reached[spec.title] = page.url
    # Every address the menu led to is a working link on its own.
    other = context.new_page()
    for name, url in reached.items():
        open_page(other, url)
        assert title(other) == name, url


def test_an_as_of_month_in_the_url_reproduces_that_month(server, page):
    status = server.status("2026-06")
    open_page(page, server.page_url(asof="2026-06"))
    assert f"数据截至 {status.as_of.label}" in main(page).inner_text()
    assert metrics(page) == counts_shown(status)
    assert selected(page, "截至月份") == "2026年6月"
    assert query(page).get("asof") == "2026-06"


def test_choosing_an_as_of_month_puts_it_in_the_url_and_it_survives_page_switches(server, page):
    status = server.status("2026-03")
    open_page(page, server.page_url())
    assert "asof" not in query(page)  # the latest month is the default: a clean URL
    choose(page, "截至月份", "2026年3月")
    assert query(page).get("asof") == "2026-03"
    assert metrics(page) == counts_shown(status)

    go(page, "通道班次")
    assert query(page).get("asof") == "2026-03"
    assert selected(page, "截至月份") == "2026年3月"
    assert f"数据截至 {status.as_of.label}" in main(page).inner_text()

    go(page, "总览")
    assert query(page).get("asof") == "2026-03"
    assert metrics(page) == counts_shown(status)

    # Back to the default: the parameter leaves the URL.
    latest = server.status()
    choose(page, "截至月份", f"最新（{latest.as_of.label}）")
    assert "asof" not in query(page)
    assert metrics(page) == counts_shown(latest)


def test_choosing_a_version_puts_it_in_the_url_and_it_survives_page_switches(server, page):
    from ui.context import version_label

    version = server.store().active_version()
    open_page(page, server.page_url())
    assert "v" not in query(page)
    choose(page, "数据版本", version_label(version))
    assert query(page).get("v") == str(version.id)
    go(page, "船舶更新")
    assert query(page).get("v") == str(version.id)
    assert selected(page, "数据版本") == version_label(version)

    # A link with both reproduces both.
    open_page(page, server.page_url("fleet", v=str(version.id), asof="2026-06"))
    assert selected(page, "数据版本") == version_label(version)
    assert selected(page, "截至月份") == "2026年6月"
    assert "数据截至 2026年6月" in main(page).inner_text()
