"""Issue 12: every page in AppTest on the made-up second plan (YZLOGI_PLAN): a new data folder
opens on a full dashboard of that plan, the pages of parts it lacks are not offered, and
every page shows that plan's years, routes, units and tasks."""

import pytest
from page_helpers import frame_with, tables
from plan_files import SECOND_PLAN

PAGES = ["overview", "indicators", "routes", "tasks", "department", "plan", "data"]


@pytest.fixture
def second(app, monkeypatch):
    monkeypatch.setenv("YZLOGI_PLAN", str(SECOND_PLAN))
    return app


def _text(at) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success")
             for e in getattr(at, kind)]
    parts += [" ".join(map(str, d.value.columns)) + " " + d.value.to_string() for d in at.dataframe]
    parts += [" ".join(map(str, t.value.columns)) + " " + t.value.to_string() for t in at.table]
    parts += [" ".join(map(str, t.columns)) + " " + t.to_string() for t in tables(at)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_the_second_plan_runs_and_speaks_of_that_plan_only(second, page):
    at = second(f"pages/{page}.py")
    assert not at.exception, page
    assert not at.error, [e.value for e in at.error]
    text = _text(at)
    for word in ("东盟", "渝甬", "区交通运输委", "附件1", "2025—2027", "船舶更新"):
        assert word not in text, (page, word)


def test_the_second_plans_overview_counts_its_sample_at_its_default_month(second):
    at = second("pages/overview.py")
    assert "数据截至 2027年10月" in at.markdown[0].value
    assert {m.label: m.value for m in at.metric} == {"■ 红灯": "3", "▲ 黄灯": "4", "○ 灰灯": "0", "● 绿灯": "9"}
    assert list(tables(at)[0]["事项"])[:3] == ["任务3 发展多式联运", "任务4 培育A级物流企业", "任务6 发展冷链物流"]
    assert list(tables(at)[1]["线路"]) == ["中欧班列", "陆海新通道班列"]


def test_the_second_plan_has_no_fleet_page_and_its_walk_skips_it(second):
    from yzlogi import meeting
    from yzlogi.plan import load_plan

    at = second()
    assert not at.exception
    assert meeting.views_for(load_plan(SECOND_PLAN)) == ("overview", "indicators", "routes", "tasks", "followups")
    with pytest.raises(ValueError, match="Could not find a navigation page") as refused:
        at.switch_page("pages/fleet.py")
    assert "pages/routes.py" in str(refused.value) and "pages/fleet.py'," not in str(refused.value)


def test_the_second_plans_indicator_page_sets_the_register_beside_indicator_5(second):
    at = second("pages/indicators.py")
    assert "名册对照（指标5）" in [h.value for h in at.header]
    registers = next(t for t in tables(at) if "海外分拨仓（名册）" in t.columns)
    assert list(registers.columns) == ["月份", "指标5 填报值", "海外分拨仓（名册）"]
    assert registers.iloc[0].tolist() == ["2027年10月", "11", "11"]


def test_the_second_plans_plan_page_states_its_own_rules(second):
    at = second("pages/plan.py")
    assert at.title[0].value == "计划总览"
    assert "示例市现代物流与供应链提升行动计划（2026—2028年）" in at.caption[0].value
    rules = frame_with(at, "目标类型", "灯").set_index("目标类型")
    assert rules.loc["年度流量", "灯"] == "完成序时进度 ≥ 100% 绿；≥ 85% 黄；否则红"
    assert rules.loc["期限数量", "序时进度（截至Y年m月）"] == "目标 × 已过月数/36（自2026年1月起）"
    assert rules.loc["年度分解", "例子"] == "新增多式联运示范线路：2026年底1条、2027年底2条"
    assert rules.loc["按整数计", "例子"] == "单位为 家、个、条 的目标"
