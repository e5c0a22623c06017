"""Every dashboard page on the sample data (a fresh data folder commits it as
version 1): the figures each page shows equal the status computed directly."""

import pytest

from page_helpers import tables

from yzlogi import levels
from yzlogi.months import Month
from yzlogi.plan import load_plan
from yzlogi.status import compute_status, default_as_of, department_status
from yzlogi.store import Store
from yzlogi.views import light_text

PLAN = load_plan()


@pytest.fixture
def expected(tmp_path):
    """The status of the sample at a month, computed without the UI."""
    store = Store(tmp_path / "var", plan=PLAN)
    store.ensure_ready()
    data = store.load(store.active_version().id)

    def at(month: str | None = None):
        return compute_status(PLAN, data, Month.parse(month) if month else default_as_of(data))

    return at


def _frame(at, column, nth=0):
    """The nth table on the page that has `column` (cells as shown: text)."""
    frames = [t for t in tables(at) if column in t.columns]
    return frames[nth]


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def test_overview_shows_the_counts_exceptions_and_cards(app, expected):
    status = expected()
    at = app("pages/overview.py")
    assert not at.exception
    assert at.title[0].value == "总览"
    assert "数据截至 2026年10月" in at.markdown[0].value and "10/12" in at.markdown[0].value
    counts = status.counts()["total"]
    assert _metrics(at) == {f"{levels.level(k).mark} {levels.name(k)}": str(counts[k]) for k in levels.ORDER}
    table = tables(at)[0]
    assert list(table["事项"]) == [a.title for a in status.exceptions()]
    assert list(table["灯"])[:1] == [light_text(levels.RED)]
    assert list(table["原因"]) == [a.why for a in status.exceptions()]
    cards = " ".join(m.value for m in at.markdown)
    item = status.indicator(7)
    assert f"完成值：**{int(item.actual)}个**" in cards


def test_sample_banner_and_shared_sidebar_on_every_data_page(app):
    for page in ["overview", "indicators", "routes", "fleet", "tasks", "department"]:
        at = app(f"pages/{page}.py")
        assert not at.exception, page
        assert any(w.value.startswith("示例数据") for w in at.warning), page
        # Rendered through app.py's router, whatever the first run looked like.
        assert [s.key for s in at.sidebar.selectbox] == ["v", "asof"], page


def test_indicators_page_matrix_equals_status(app, expected):
    status = expected()
    at = app("pages/indicators.py")
    alerts = tables(at)[0]
    assert list(alerts["事项"]) == [a.title for a in status.exceptions() if a.section == "indicator"]
    matrix = _frame(at, "序号")
    assert len(matrix) == 8 * 3
    for item in status.indicators:
        row = matrix[(matrix["序号"] == str(item.no)) & (matrix["年度"] == f"{item.year}年")].iloc[0]
        assert row["灯"] == light_text(item.light)
        assert row["说明"] == item.light.text
        assert row["目标"] == item.target_text


def test_routes_page_summary_equals_status(app, expected):
    status = expected()
    at = app("pages/routes.py")
    assert list(tables(at)[0]["事项"]) == [a.title for a in status.exceptions() if a.section == "route"]
    summary = _frame(at, "线路").set_index("线路")
    for route in status.routes:
        year = route.year(2026)
        assert summary.loc[route.route, "2026年累计"] == str(year.actual_ytd)
        assert summary.loc[route.route, "灯"] == light_text(year.light)
        assert summary.loc[route.route, "三年累计"] == str(route.cumulative)
    captions = [c.value for c in at.caption]
    assert status.route("渝穗班列").year(2026).light.text in captions


def test_fleet_page_counts_equal_status(app, expected):
    status = expected()
    at = app("pages/fleet.py")
    table = _frame(at, "已完成").set_index("类别")
    for item in status.fleet:
        assert (table.loc[item.category, "已完成"], table.loc[item.category, "在建"],
                table.loc[item.category, "计划"]) == (str(item.done), str(item.in_progress), str(item.planned))
        assert table.loc[item.category, "灯"] == light_text(item.light)
    ships = _frame(at, "船名")
    assert len(ships) == sum(len(f.ships) for f in status.fleet)


def test_tasks_page_department_summary_equals_status(app, expected):
    status = expected()
    at = app("pages/tasks.py")
    assert list(tables(at)[0]["事项"]) == [a.title for a in status.exceptions() if a.section == "task"]
    summary = _frame(at, "部门").set_index("部门")
    for department in PLAN.departments:
        detail = department_status(status, PLAN, department.name)
        assert summary.loc[department.name, "牵头任务"] == str(len(detail.led_tasks))
        assert summary.loc[department.name, "未报送"] == str(len(detail.missing))
    overview = _frame(at, "序号").set_index("序号")
    assert [overview.loc[str(t.no), "灯"] for t in status.tasks] == [light_text(t.light) for t in status.tasks]


def test_department_deep_link_accepts_an_alias(app, expected):
    status = expected()
    at = app("pages/department.py", query={"dept": "商务委"})
    assert not at.exception
    assert not at.error
    assert at.header[0].value == "区商务委"
    assert at.query_params["dept"] == "区商务委"
    detail = department_status(status, PLAN, "区商务委")
    alerts = tables(at)[0]
    assert list(alerts["事项"]) == [a.title for a in detail.alerts]
    led = [t for t in tables(at) if "任务灯" in t.columns][0]
    assert list(led["任务"]) == [f"{t.task.no} {t.task.name}" for t in detail.led_tasks]


def test_department_deep_link_with_an_unknown_name_says_so(app):
    at = app("pages/department.py", query={"dept": "区教委"})
    assert not at.exception
    assert [e.value for e in at.error] == ["计划中没有部门“区教委”，请从下面选择。"]
    assert not [b for b in at.button if b.key == "department_suggested"]


def test_department_deep_link_with_a_wrong_name_suggests_the_closest_and_opens_it(app):
    at = app("pages/department.py", query={"dept": "商务局"})
    assert [e.value for e in at.error] == ["计划中没有部门“商务局”，您是否要找：区商务委？"]
    suggested = at.button(key="department_suggested")
    assert suggested.label == "打开区商务委"
    suggested.click().run()
    assert not at.exception and not at.error
    assert at.query_params["dept"] == "区商务委"
    assert at.header[0].value == "区商务委"


def test_choosing_an_earlier_month_recomputes_every_light(app, expected):
    # The URL form (?asof=2026-06) is driven in the real browser (tests/e2e);
    # AppTest does not seed bound widgets from its query string.
    status = expected("2026-06")
    at = app("pages/overview.py")
    at.selectbox(key="asof").select("2026-06").run()
    assert "数据截至 2026年6月" in at.markdown[0].value
    counts = status.counts()["total"]
    assert _metrics(at)[f"{levels.level(levels.RED).mark} {levels.name(levels.RED)}"] == str(counts[levels.RED])
    assert list(tables(at)[0]["事项"]) == [a.title for a in status.exceptions()]


def test_an_uploader_name_is_shown_inert_in_captions_and_banners(app, tmp_path):
    from builders import good_sheets, write_xlsx
    from yzlogi.model import InputFile

    store = Store(tmp_path / "var", plan=PLAN)
    store.ensure_ready()
    path = write_xlsx(tmp_path / "进度.xlsx", good_sheets())
    hostile = "![x](http://203.0.113.1/x.png)[点我](javascript:alert(1))"
    store.import_files([InputFile("进度.xlsx", path.read_bytes())], by=hostile)
    at = app("pages/overview.py")
    caption = next(c.value for c in at.caption if c.value.startswith("数据版本"))
    assert r"\!\[x\]\(http\:\/\/203\.0\.113\.1\/x\.png\)" in caption
    # Once an earlier version, its banner names it through the same escaping.
    sheets = good_sheets()
    sheets["通道班次"][1][0][2] = 251
    later = write_xlsx(tmp_path / "进度2.xlsx", sheets)
    store.import_files([InputFile("进度2.xlsx", later.read_bytes())], by="李四")
    at = app("pages/overview.py")
    at.selectbox(key="v").select("2").run()
    banner = next(i.value for i in at.info if i.value.startswith("正在查看历史版本"))
    assert r"\!\[x\]\(http\:\/\/203\.0\.113\.1\/x\.png\)" in banner
