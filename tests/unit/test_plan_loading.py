"""Loading and checking the plan file: target texts parse; a broken file names its fault."""

import re
import shutil

import pytest

from yzlogi.errors import PlanError
from yzlogi.plan import ParsedTarget, plan_path, load_plan, parse_quantity_in_text, parse_target_text

ROUTES_TEXT = "“东盟班车”年均开行3000班次，“渝甬班列”年均开行300班次，“渝穗班列”年均开行100班次"


@pytest.mark.parametrize(
    "text, parsed",
    [
        ("维持在10%左右", ParsedTarget("around", 10.0, "%")),
        ("5%以上", ParsedTarget("at_least", 5.0, "%")),
        ("10%以上", ParsedTarget("at_least", 10.0, "%")),
        ("2家", ParsedTarget("exact", 2.0, "家")),
        ("26个", ParsedTarget("exact", 26.0, "个")),
        ("80家", ParsedTarget("exact", 80.0, "家")),
        (ROUTES_TEXT, ParsedTarget("routes", None, "班次", (("东盟班车", 3000), ("渝甬班列", 300), ("渝穗班列", 100)))),
    ],
)
def test_every_target_form_of_the_plan_parses(text, parsed):
    assert parse_target_text(text) == parsed


@pytest.mark.parametrize("text", ["十个", "约10%", "10%左右", "“东盟班车”年均开行3000班次，另加若干"])
def test_other_target_forms_are_refused(text):
    with pytest.raises(ValueError, match="无法解析"):
        parse_target_text(text)


@pytest.mark.parametrize(
    "text, quantity",
    [
        ("新增4艘以上海运船舶", (4.0, None, "艘", True)),
        ("引进1—2家全球知名物流企业", (1.0, 2.0, "家", False)),
        ("新增5A级物流企业1家", (1.0, None, "家", False)),
        ("供应链服务产值达到10亿元以上", (10.0, None, "亿元", True)),
        ("实现“总部+基地”发展模式“0”的突破", None),
    ],
)
def test_quantities_in_running_text(text, quantity):
    assert parse_quantity_in_text(text) == quantity


def _broken_copy(tmp_path, old, new):
    path = tmp_path / "plan.toml"
    shutil.copy(plan_path(), path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_bundled_plan_loads():
    plan = load_plan()
    assert plan.document_no == "渝中府办〔2025〕84号"
    assert plan.years == (2025, 2026, 2027)


def test_an_unknown_unit_is_named(tmp_path):
    path = _broken_copy(tmp_path, 'responsible = ["区经济信息委", "区商务委", "各管委会"]',
                        'responsible = ["区经济信息委", "区商务局", "各管委会"]')
    with pytest.raises(PlanError, match="任务3的责任单位“区商务局”不在部门名单中"):
        load_plan(path)


def test_a_task_without_lead_is_named(tmp_path):
    path = _broken_copy(tmp_path, 'lead = ["区司法局"]', "lead = []")
    with pytest.raises(PlanError, match="任务12没有牵头单位"):
        load_plan(path)


def test_a_target_value_that_contradicts_its_text_is_named(tmp_path):
    path = _broken_copy(tmp_path, '{ year = 2026, text = "28个", value = 28, unit = "个" }',
                        '{ year = 2026, text = "28个", value = 29, unit = "个" }')
    with pytest.raises(PlanError, match="指标7 2026年目标“28个”与类型值 29.0 不符"):
        load_plan(path)


def test_an_unparseable_target_is_named(tmp_path):
    path = _broken_copy(tmp_path, '{ year = 2025, text = "2家", value = 2, unit = "家" }',
                        '{ year = 2025, text = "两家", value = 2, unit = "家" }')
    with pytest.raises(PlanError, match="指标3 2025年目标“两家”.*无法解析"):
        load_plan(path)


def test_a_toml_syntax_error_is_reported_in_chinese(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("[plan\n", encoding="utf-8")
    with pytest.raises(PlanError, match="格式错误"):
        load_plan(path)


def test_an_alias_claimed_by_two_departments_is_named(tmp_path):
    path = _broken_copy(tmp_path, 'aliases = ["财政局",', 'aliases = ["财政局", "商务委",')
    with pytest.raises(PlanError, match="部门别名“商务委”同时指向"):
        load_plan(path)


# --- faults are named by their line (issue 12) -------------------------------------------


def _line_of(path, text: str) -> int:
    return next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if row == text)


def test_a_fault_names_the_line_it_is_on(tmp_path):
    path = _broken_copy(tmp_path, 'responsible = ["区经济信息委", "区商务委", "各管委会"]',
                        'responsible = ["区经济信息委", "区商务局", "各管委会"]')
    line = _line_of(path, 'responsible = ["区经济信息委", "区商务局", "各管委会"]')
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert f"第{line}行：任务3的责任单位“区商务局”不在部门名单中；您是否要找：区商务委？" in str(raised.value)


def test_every_fault_is_listed_with_its_line_not_only_the_first(tmp_path):
    path = _broken_copy(tmp_path, 'lead = ["区司法局"]', "lead = []")
    text = path.read_text(encoding="utf-8").replace("green_ratio = 1.00", "green_ratio = 0.5", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    message = str(raised.value)
    assert message.startswith(f"计划数据文件 {path} 有误：")
    line = _line_of(path, "yellow_ratio = 0.90       # ≥ 0.90 → 黄, below → 红")
    assert f"第{line}行：阈值应满足 0 < yellow_ratio ≤ green_ratio" in message
    assert f"第{_line_of(path, 'lead = []')}行：任务12没有牵头单位" in message


def test_a_missing_field_names_its_table_and_line(tmp_path):
    path = _broken_copy(tmp_path, 'annual_target = 300\n', "")
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    header = [n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if row == "[[routes]]"][1]
    assert str(raised.value).endswith(f"第{header}行：字段 annual_target 缺失（应为整数）")


def test_a_wrongly_typed_field_names_its_own_line(tmp_path):
    path = _broken_copy(tmp_path, "first_year = 2025", 'first_year = "2025"')
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    line = _line_of(path, 'first_year = "2025"')
    assert str(raised.value).endswith(f"第{line}行：字段 first_year 应为整数")


def test_a_toml_syntax_error_names_its_line_in_chinese(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text('[plan]\ntitle = "x"\nshort_title = 渝中\n', encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert str(raised.value) == (f"计划数据文件 {path} 格式错误：第3行第15列附近不符合 TOML 写法"
                                 "（如缺少引号、括号或逗号，或同一项写了两次）")


@pytest.mark.parametrize(
    "old, new, fault",
    [
        ('register = "warehouses"', 'register = "warehouse"', "指标7的名册“warehouse”未定义"),
        ('register = "forwarders"', 'register = "warehouses"', "名册“海外分拨仓”同时对照指标7和指标8"),
        ('coordinator = "区交通运输委"', 'coordinator = "区交通局"', "计划的汇总单位（coordinator）“区交通局”不在部门名单中"),
        ('task = 16\n', 'task = 17\n', "船舶类别“LNG动力船舶更新”关联的任务17不存在"),
        ('lead = ["区商务委"]\n\n[[goals]]\nkey = "global_forwarders"', 'lead = []\n\n[[goals]]\nkey = "global_forwarders"',
         "其他目标“与东盟国家贸易额占比增长”没有牵头单位"),
    ],
)
def test_plan_facts_that_name_something_unknown_are_refused(tmp_path, old, new, fault):
    with pytest.raises(PlanError, match=fault):
        load_plan(_broken_copy(tmp_path, old, new))


@pytest.mark.parametrize(
    "milestones, fault",
    [
        ("[{ year = 2027, value = 3 }]", "年度分解年份 [2027] 应在 2025—2026 年之间（2027年即为最终目标）"),
        ("[{ year = 2025, value = 3 }, { year = 2026, value = 2 }]", "年度分解应逐年不减，且不超过目标 4"),
        ("[{ year = 2026, value = 1 }, { year = 2025, value = 2 }]", "年度分解年份应各不相同、从早到晚排列"),
    ],
)
def test_milestones_must_lead_to_the_target_year_by_year(tmp_path, milestones, fault):
    path = _broken_copy(tmp_path, "task = 16\n", f"task = 16\nmilestones = {milestones}\n")
    with pytest.raises(PlanError, match=re.escape(f"船舶类别“LNG动力船舶更新”的{fault}")):
        load_plan(path)


def test_a_malformed_milestone_names_its_line(tmp_path):
    path = _broken_copy(tmp_path, "task = 16\n", "task = 16\nmilestones = [{ year = 2025 }]\n")
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    line = _line_of(path, "milestones = [{ year = 2025 }]")
    assert str(raised.value).endswith(f"第{line}行：字段 milestones 应为每年一项的列表，如 [{{ year = 2025, value = 1 }}]")


def test_the_plan_file_is_chosen_by_the_yzlogi_plan_setting(tmp_path, monkeypatch):
    from plan_files import SECOND_PLAN

    monkeypatch.setenv("YZLOGI_PLAN", str(SECOND_PLAN))
    assert load_plan().title == "示例市现代物流与供应链提升行动计划（2026—2028年）"
    monkeypatch.setenv("YZLOGI_PLAN", str(tmp_path / "没有.toml"))
    with pytest.raises(PlanError, match="找不到计划数据文件 .*没有.toml（可用环境变量 YZLOGI_PLAN 指定）"):
        load_plan()


def test_the_command_line_stops_on_a_broken_plan_with_its_line(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    path = _broken_copy(tmp_path, 'lead = ["区司法局"]', "lead = []")
    env = {**os.environ, "YZLOGI_PLAN": str(path), "YZLOGI_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "yzlogi", "status"], cwd=Path(__file__).resolve().parents[2],
                            env=env, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 1
    assert result.stderr == f"计划数据文件 {path} 有误：第{_line_of(path, 'lead = []')}行：任务12没有牵头单位\n"
    assert not (tmp_path / "data").exists()


def test_the_plan_digest_ignores_comments_and_layout_but_not_content(tmp_path):
    plan = load_plan()
    path = tmp_path / "plan.toml"
    path.write_text("# 注释\n" + plan_path().read_text(encoding="utf-8").replace("\n\n", "\n\n\n"), encoding="utf-8")
    assert load_plan(path).digest == plan.digest
    changed = _broken_copy(tmp_path, "green_ratio = 1.00", "green_ratio = 1.05")
    assert load_plan(changed).digest != plan.digest
