"""计划总览 rendered by the real app: what the meeting reads off the plan."""

import yzlogi.plan as plan_module
from page_helpers import frame_with, tables
from ui.nav import PAGES


def _texts(at):
    return [e.value for e in at.markdown] + [e.value for e in at.caption]


def test_every_registered_page_renders_without_exception(app):
    for spec in PAGES:
        at = app(spec.path)
        assert not at.exception, (spec.path, at.exception)
        assert at.title[0].value == spec.title


def test_plan_page_shows_the_indicator_targets(app):
    at = app("pages/plan.py")
    indicators = frame_with(at, "序号", "主要指标")
    assert list(indicators["序号"]) == list(range(1, 9))
    row7 = indicators[indicators["序号"] == 7].iloc[0]
    assert (row7["主要指标"], row7["2025年目标"], row7["2026年目标"], row7["2027年目标"]) == (
        "海外分拨仓个数", "26个", "28个", "30个")
    assert row7["牵头单位"] == "区交通运输委"
    row8 = indicators[indicators["序号"] == 8].iloc[0]
    assert row8["责任单位"] == "区经济信息委、区发展改革委、区交通运输委、各管委会"
    assert indicators[indicators["序号"] == 2].iloc[0]["责任单位"] == "——"


def test_plan_page_lists_the_16_tasks_by_group(app):
    at = app("pages/plan.py")
    groups = [s.value for s in at.subheader if s.value.startswith("（")]
    assert groups == ["（一）推动现代物流总部集聚", "（二）创新发展物流新模式", "（三）推动通道服务能级跃升",
                      "（四）推动商贸货代融合发展", "（五）推进绿色智慧物流建设"]
    task_tables = [t.set_index("序号") for t in tables(at) if "重点工作" in t.columns]
    assert len(task_tables) == 5
    numbers = [int(n) for table in task_tables for n in table.index]
    assert numbers == list(range(1, 17))
    group3 = task_tables[2]
    assert group3.loc["11", "牵头单位"] == "区产业发展促进局"
    assert group3.loc["11", "正文分工（与附件2不同时）"] == "牵头：区产业发展促进局、区司法局；配合：区商务委、区交通运输委"
    assert group3.loc["12", "重点工作"] == "丰富通道服务类别"


def test_plan_page_counts_tasks_per_department(app):
    at = app("pages/plan.py")
    departments = frame_with(at, "部门", "牵头任务数").set_index("部门")
    assert departments.loc["区交通运输委", "牵头任务数"] == 11
    assert departments.loc["区商务委", "牵头任务数"] == 3
    assert departments.loc["区商务委", "责任任务数"] == 10
    assert departments.loc["区司法局", "牵头任务"] == "12"
    assert departments.loc["区财政局", "责任任务数"] == 1
    assert len(departments) == 11


def test_plan_page_shows_routes_fleet_and_discrepancies(app):
    at = app("pages/plan.py")
    routes = frame_with(at, "线路", "年均目标（班次）").set_index("线路")
    assert routes.loc["东盟班车", "年均目标（班次）"] == 3000
    assert routes.loc["渝穗班列", "2025—2027年合计（班次）"] == 300
    fleet = frame_with(at, "类别", "到2027年目标").set_index("类别")
    assert fleet.loc["新增海运船舶", "到2027年目标"] == "4艘以上"
    disagreements = frame_with(at, "差异")
    assert "正文第13条有三个牵头单位，附件2序号15只有一个" in list(disagreements["差异"])


def test_plan_page_states_the_light_rules_with_the_plan_thresholds(app):
    at = app("pages/plan.py")
    rules = frame_with(at, "目标类型", "灯").set_index("目标类型")
    assert rules.loc["年度流量", "灯"] == "完成序时进度 ≥ 100% 绿；≥ 90% 黄；否则红"
    assert rules.loc["区间（左右）", "灯"] == "偏离 ≤ 1 个百分点 绿；≤ 2 个百分点 黄；否则红"
    assert rules.loc["下限（以上）", "灯"] == "实际 ≥ 目标 绿；≥ 90% × 目标 黄；否则红"
    assert rules.loc["期限数量", "序时进度（截至Y年m月）"] == "目标 × 已过月数/36（自2025年1月起）"


def test_a_broken_plan_file_stops_the_app_with_its_fault_and_line(app, tmp_path, monkeypatch):
    broken = tmp_path / "plan.toml"
    text = plan_module.plan_path().read_text(encoding="utf-8")
    broken.write_text(text.replace('lead = ["区司法局"]', "lead = []", 1), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row == 'lead = ["区司法局"]')
    monkeypatch.setenv("YZLOGI_PLAN", str(broken))
    at = app()
    assert not at.exception
    assert len(at.error) == 1
    assert f"第{line}行：任务12没有牵头单位" in at.error[0].value
    assert str(broken) in at.error[0].value
    assert not at.dataframe and not tables(at)
