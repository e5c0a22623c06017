"""The link sent to one department (/department?dept=区商务委, an alias accepted)
opens its own view; the 部门任务 page links there too."""

import pytest

from conftest import after_heading, choose, main, metrics, open_page, plan, query, table_rows, title, wait_title
from yzlogi import levels
from yzlogi.status import department_status
from yzlogi.views import light_text, task_label


@pytest.mark.parametrize("asked", ["区商务委", "商务委"])
def test_a_department_link_opens_that_department(server, page, asked):
    status = server.status()
    detail = department_status(status, plan(), "区商务委")
    open_page(page, server.page_url("department", dept=asked))
    assert title(page) == "部门详情"
    assert main(page).locator("h2").first.inner_text().strip() == "区商务委"
    assert query(page)["dept"] == "区商务委"  # the alias is rewritten to the plan's name
    counts = detail.counts()
    assert metrics(page) == {f"{levels.level(k).mark} {levels.name(k)}": str(counts[k]) for k in levels.ORDER}
    led = table_rows(after_heading(page, "牵头的任务", tag="table"))
    assert [(row["任务"], row["任务灯"], row["本单位"]) for row in led] == [
        (task_label(t.task.no, t.task.name), light_text(t.task.light), light_text(t.report.light))
        for t in detail.led_tasks]


def test_the_tasks_page_links_to_a_department(server, page):
    open_page(page, server.page_url("tasks"))
    choose(page, "部门", "区交通运输委")
    main(page).get_by_role("link", name="查看 区交通运输委 的详情").click()
    wait_title(page, "部门详情")
    assert query(page)["dept"] == "区交通运输委"
    assert main(page).locator("h2").first.inner_text().strip() == "区交通运输委"
