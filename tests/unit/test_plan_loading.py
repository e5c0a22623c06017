"""Loading and checking the plan file: target texts parse; a broken file names its fault."""

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
