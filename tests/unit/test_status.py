"""序时进度 and the lights (design.md «Status rules»), as tables of cases with exact results.

Thresholds come from data/plan.toml (1.00 / 0.90 / 0.9 × T / 1 pt / 2 pt); the
last tests show that changing them in the plan changes the lights.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from versions import goal, ind, make_data, monthly_runs, report, runs, ship

from yzlogi.levels import GREEN, GREY, LEVELS, ORDER, RED, YELLOW, chart_scale, count, worst_of
from yzlogi.months import Month
from yzlogi.plan import Thresholds, load_plan
from yzlogi.status import (
    band_level,
    compute_status,
    default_as_of,
    floor_level,
    fmt,
    fmt_ratio,
    ratio_level,
)

PLAN = load_plan()
TH = PLAN.thresholds
LNG = "LNG动力船舶更新"
METHANOL = "甲醇动力船舶更新"
ROLL_ON = "滚装船LNG-柴油混合动力改造"
SEA = "新增海运船舶"


def at(text: str) -> Month:
    return Month.parse(text)


def status_of(as_of: str, **tables):
    return compute_status(PLAN, make_data(**tables), at(as_of))


# --- the four lights -------------------------------------------------------------


def test_levels_have_one_chinese_label_colour_and_mark_each():
    assert [LEVELS[k].label for k in (GREEN, YELLOW, RED, GREY)] == ["绿", "黄", "红", "灰"]
    assert [LEVELS[k].name for k in (GREEN, YELLOW, RED, GREY)] == ["绿灯", "黄灯", "红灯", "灰灯"]
    assert len({lv.colour for lv in LEVELS.values()}) == 4
    assert len({lv.mark for lv in LEVELS.values()}) == 4
    assert ORDER == (RED, YELLOW, GREY, GREEN)
    assert chart_scale() == (["红", "黄", "灰", "绿"], [LEVELS[k].colour for k in ORDER])


@pytest.mark.parametrize(
    "levels, worst",
    [
        ([GREEN, GREEN], GREEN),
        ([GREEN, GREY], GREY),
        ([GREY, YELLOW], YELLOW),
        ([YELLOW, RED, GREEN], RED),
        ([GREY, RED], RED),
        ([], GREY),
    ],
)
def test_worst_of_orders_red_over_yellow_over_grey_over_green(levels, worst):
    assert worst_of(levels) == worst


def test_count_lists_every_light_red_first():
    assert count([GREEN, RED, GREEN]) == {RED: 1, YELLOW: 0, GREY: 0, GREEN: 2}


# --- the rule functions at their boundaries ------------------------------------------


@pytest.mark.parametrize(
    "ratio, level",
    [
        (1.2, GREEN),
        (1.0, GREEN),
        (0.9999, YELLOW),
        (0.9, YELLOW),
        (2700 / 3000, YELLOW),
        (30 / (100 * 4 / 12), YELLOW),  # 0.8999999999999999 in floating point: still exactly 0.90
        (0.8999, RED),
        (0.0, RED),
    ],
)
def test_ratio_level_green_from_one_yellow_from_nine_tenths(ratio, level):
    assert ratio_level(ratio, TH) == level


@pytest.mark.parametrize(
    "actual, target, level",
    [
        (5.6, 5, GREEN),
        (5.0, 5, GREEN),
        (4.9, 5, YELLOW),
        (4.5, 5, YELLOW),
        (0.045 * 100, 5, YELLOW),
        (4.49, 5, RED),
        (9.0, 10, YELLOW),
        (8.99, 10, RED),
    ],
)
def test_floor_level_green_at_target_yellow_from_nine_tenths_of_it(actual, target, level):
    assert floor_level(actual, target, TH) == level


@pytest.mark.parametrize(
    "actual, level",
    [
        (10.0, GREEN),
        (11.0, GREEN),
        (9.0, GREEN),
        (0.11 * 100, GREEN),  # Excel's 11% cell read as 11.000000000000002
        (11.0001, YELLOW),
        (12.0, YELLOW),
        (8.0, YELLOW),
        (12.01, RED),
        (7.9, RED),
    ],
)
def test_band_level_one_point_green_two_points_yellow(actual, level):
    assert band_level(abs(actual - 10), TH) == level


@pytest.mark.parametrize(
    "value, text", [(1500, "1500"), (1500.0, "1500"), (41.6667, "41.67"), (4.5, "4.5"), (11.6, "11.6"), (None, "——")]
)
def test_numbers_are_written_without_trailing_zeros(value, text):
    assert fmt(value) == text


@pytest.mark.parametrize("ratio, text", [(1400 / 1500, "93.3%"), (1.0, "100.0%"), (0.8996, "89.9%"), (30 / 40, "75.0%"),
                                         (30 / (100 * 4 / 12), "90.0%")])
def test_ratios_are_cut_to_one_decimal_so_the_text_never_crosses_a_threshold(ratio, text):
    assert fmt_ratio(ratio) == text


# --- indicators ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "no, rows, as_of, level, text",
    [
        # floor (附件1 序号2: 5%以上)
        (2, [ind(2, "2026-06", 5.6)], "2026-06", GREEN, "目标 5%以上，实际 5.6%（≥ 5%）→ 绿灯"),
        (2, [ind(2, "2026-06", 4.6)], "2026-06", YELLOW, "目标 5%以上，实际 4.6%（≥ 4.5%）→ 黄灯"),
        (2, [ind(2, "2026-06", 4.5)], "2026-06", YELLOW, "目标 5%以上，实际 4.5%（≥ 4.5%）→ 黄灯"),
        (2, [ind(2, "2026-06", 4.4)], "2026-06", RED, "目标 5%以上，实际 4.4%（< 4.5%）→ 红灯"),
        (5, [ind(5, "2026-06", 9)], "2026-06", YELLOW, "目标 10%以上，实际 9%（≥ 9%）→ 黄灯"),
        # band (附件1 序号1: 维持在10%左右)
        (1, [ind(1, "2026-06", 11.6)], "2026-06", YELLOW, "目标 维持在10%左右，实际 11.6%，偏离 1.6 个百分点 → 黄灯"),
        (1, [ind(1, "2026-06", 11)], "2026-06", GREEN, "目标 维持在10%左右，实际 11%，偏离 1 个百分点 → 绿灯"),
        (1, [ind(1, "2026-06", 8)], "2026-06", YELLOW, "目标 维持在10%左右，实际 8%，偏离 2 个百分点 → 黄灯"),
        (1, [ind(1, "2026-06", 12.1)], "2026-06", RED, "目标 维持在10%左右，实际 12.1%，偏离 2.1 个百分点 → 红灯"),
        # annual flow (附件1 序号3: 2家 a year)
        (3, [ind(3, "2026-06", 1)], "2026-06", GREEN, "序时进度 1，实际 1，完成序时进度 100.0% → 绿灯"),
        (3, [ind(3, "2026-12", 1)], "2026-12", RED, "序时进度 2，实际 1，完成序时进度 50.0% → 红灯"),
        # a value older than as-of is used, and its month is shown
        # 家 are counted whole: 2家 × 9/12 = 1.5 is 1家 of 序时进度 (design: whole units)
        (3, [ind(3, "2026-04", 1)], "2026-09", GREEN,
         "序时进度 1（2家 × 9/12 = 1.5，按整家计），实际 1（2026年4月），完成序时进度 100.0% → 绿灯"),
        (3, [ind(3, "2026-04", 0)], "2026-09", RED,
         "序时进度 1（2家 × 9/12 = 1.5，按整家计），实际 0（2026年4月），完成序时进度 0.0% → 红灯"),
        # no value in the year → grey, not red
        (1, [], "2026-10", GREY, "截至2026年10月无数据 → 灰灯（待报送）"),
        (1, [ind(1, "2025-12", 10)], "2026-10", GREY, "截至2026年10月无数据 → 灰灯（待报送）"),
    ],
)
def test_indicator_light_and_explanation(no, rows, as_of, level, text):
    item = status_of(as_of, indicators=rows).indicator(no)
    assert (item.light.level, item.light.text) == (level, text)


def test_floor_indicator_keeps_actual_and_target():
    item = status_of("2026-06", indicators=[ind(2, "2026-06", 4.6)]).indicator(2)
    assert (item.actual, item.actual_month, item.expected, item.target, item.ratio) == (4.6, at("2026-06"), 5, 5, None)


def test_band_indicator_keeps_deviation():
    item = status_of("2026-06", indicators=[ind(1, "2026-06", 11.6)]).indicator(1)
    assert item.deviation == pytest.approx(1.6)


@pytest.mark.parametrize(
    "rows, year, as_of, baseline, source, expected, level",
    [
        # B = the value reported for December of Y−1
        # (个 are counted whole: 27 + 1 × 6/12 = 27.5 is 27个 of 序时进度)
        ([ind(7, "2025-12", 27), ind(7, "2026-06", 26)], 2026, "2026-06", 27, "2025年12月实际值", 27, YELLOW),
        ([ind(7, "2025-12", 27), ind(7, "2026-06", 27)], 2026, "2026-06", 27, "2025年12月实际值", 27, GREEN),
        # else the target of Y−1 (2025: 26个)
        ([ind(7, "2026-06", 27)], 2026, "2026-06", 26, "2025年目标", 27, GREEN),
        ([ind(7, "2025-11", 27), ind(7, "2026-06", 27)], 2026, "2026-06", 26, "2025年目标", 27, GREEN),
        # the first year: the 2024-12 baseline, else its own target
        ([ind(7, "2024-12", 24), ind(7, "2025-06", 25)], 2025, "2025-06", 24, "2024年12月实际值", 25, GREEN),
        ([ind(7, "2025-06", 25)], 2025, "2025-06", 26, "本年目标，无2024年12月数据", 26, YELLOW),
        # a past year is evaluated at its December
        ([ind(7, "2025-12", 26)], 2025, "2026-06", 26, "本年目标，无2024年12月数据", 26, GREEN),
        # 附件1 序号8 (60/70/80家)
        ([ind(8, "2025-12", 62), ind(8, "2026-03", 63)], 2026, "2026-03", 62, "2025年12月实际值", 64, YELLOW),
    ],
)
def test_level_indicator_paces_from_last_december(rows, year, as_of, baseline, source, expected, level):
    item = status_of(as_of, indicators=rows).indicator(rows[-1]["indicator_no"], year)
    assert (item.baseline, item.baseline_source, item.expected, item.light.level) == (
        baseline, source, pytest.approx(expected), level,
    )


def test_level_indicator_explains_its_baseline():
    item = status_of("2026-06", indicators=[ind(7, "2025-12", 27), ind(7, "2026-06", 26)]).indicator(7)
    assert item.light.text == ("序时进度 27（基数 27，取2025年12月实际值；27 + 1 × 6/12 = 27.5，按整个计），"
                               "实际 26，完成序时进度 96.2% → 黄灯")
    whole = status_of("2026-03", indicators=[ind(8, "2025-12", 62), ind(8, "2026-03", 63)]).indicator(8)
    assert whole.light.text == "序时进度 64（基数 62，取2025年12月实际值），实际 63，完成序时进度 98.4% → 黄灯"


def test_every_indicator_has_a_light_for_every_plan_year():
    status = status_of("2026-06")
    assert [(i.no, i.year) for i in status.indicators] == [(no, y) for no in range(1, 9) for y in (2025, 2026, 2027)]


def test_years_before_as_of_use_december_and_later_years_have_not_started():
    rows = [ind(2, "2025-06", 3), ind(2, "2025-12", 6), ind(2, "2026-03", 4)]
    status = status_of("2026-06", indicators=rows)
    past, now, later = (status.indicator(2, y) for y in (2025, 2026, 2027))
    assert (past.evaluated_at, past.actual, past.light.level) == (at("2025-12"), 6, GREEN)
    assert (now.evaluated_at, now.actual, now.light.level) == (at("2026-06"), 4, RED)
    assert now.light.text == "目标 5%以上，实际 4%（2026年3月）（< 4.5%）→ 红灯"
    assert (later.evaluated_at, later.actual, later.light.level, later.light.reason) == (None, None, GREY, "未开始")
    assert later.light.text == "2027年尚未开始 → 灰灯（未开始）"


def test_values_after_as_of_are_ignored():
    rows = [ind(2, "2026-05", 4.0), ind(2, "2026-07", 6.0)]
    assert status_of("2026-06", indicators=rows).indicator(2).actual == 4.0
    assert status_of("2026-07", indicators=rows).indicator(2).actual == 6.0
    assert status_of("2026-04", indicators=rows).indicator(2).light.level == GREY


def test_indicator_6_rows_in_the_indicator_sheet_are_ignored():
    item = status_of("2026-06", indicators=[ind(6, "2026-06", 999)]).indicator(6)
    assert (item.actual, item.light.level) == (None, GREY)


def test_indicator_6_is_the_worst_route_with_the_routes_alongside():
    rows = (monthly_runs("东盟班车", "2026-01", [260] * 6) + monthly_runs("渝甬班列", "2026-01", [25] * 6)
            + monthly_runs("渝穗班列", "2026-01", [5] * 6))
    item = status_of("2026-06", routes=rows).indicator(6)
    assert item.light.level == RED
    assert [(p.route, p.actual_ytd, p.expected_ytd, p.light.level) for p in item.parts] == [
        ("东盟班车", 1560, 1500, GREEN), ("渝甬班列", 150, 150, GREEN), ("渝穗班列", 30, 50, RED),
    ]
    assert item.light.text == "取各线路最差：东盟班车 1560/1500 绿灯，渝甬班列 150/150 绿灯，渝穗班列 30/50 红灯 → 红灯"


def test_indicator_6_is_green_only_when_every_route_is():
    rows = (monthly_runs("东盟班车", "2026-01", [250] * 3) + monthly_runs("渝甬班列", "2026-01", [25] * 3)
            + monthly_runs("渝穗班列", "2026-01", [9] * 3))
    assert status_of("2026-03", routes=rows).indicator(6).light.level == GREEN
    assert status_of("2026-03", routes=rows[:6]).indicator(6).light.level == GREY  # 渝穗班列 not reported


def test_registers_stand_beside_indicators_7_and_8():
    warehouses = [{"name": "曼谷", "opened": "2025-03"}, {"name": "河内", "opened": "2025-05"},
                  {"name": "新加坡", "opened": "2026-02"}, {"name": "万象", "opened": "2026-08"}]
    forwarders = [{"name": "甲", "registered": "2025-01", "global_famous": True},
                  {"name": "乙", "registered": "2026-01", "global_famous": False}]
    status = status_of("2026-06", indicators=[ind(7, "2026-06", 27)], warehouses=warehouses, forwarders=forwarders)
    assert (status.indicator(7, 2025).register_count, status.indicator(7, 2026).register_count) == (2, 3)
    assert status.indicator(8, 2026).register_count == 2
    assert status.indicator(7, 2027).register_count is None
    assert status.register_at(at("2026-06")).to_json() == {
        "month": "2026-06", "warehouses": 3, "forwarders": 2, "global_forwarders": 1,
    }
    assert status.registers[0].month == at("2024-12")
    assert status.registers[-1].month == at("2026-06")


def test_without_registers_there_are_no_counts():
    status = status_of("2026-06", indicators=[ind(7, "2026-06", 27)])
    assert status.registers == ()
    assert status.indicator(7).register_count is None


# --- routes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "route, counts, as_of, actual, expected, level, pct",
    [
        ("东盟班车", [230] * 6, "2026-06", 1380, 1500, YELLOW, "92.0%"),
        ("东盟班车", [225] * 6, "2026-06", 1350, 1500, YELLOW, "90.0%"),  # exactly 0.90
        ("东盟班车", [225] * 5 + [224], "2026-06", 1349, 1500, RED, "89.9%"),
        ("东盟班车", [250] * 6, "2026-06", 1500, 1500, GREEN, "100.0%"),  # exactly 1.00
        ("渝甬班列", [24] * 6, "2026-06", 144, 150, YELLOW, "96.0%"),
        ("渝穗班列", [7, 8, 7, 8], "2026-04", 30, 100 * 4 / 12, YELLOW, "90.0%"),  # 0.8999999999999999
    ],
)
def test_route_light_is_runs_against_the_annual_flow_pace(route, counts, as_of, actual, expected, level, pct):
    item = status_of(as_of, routes=monthly_runs(route, "2026-01", counts)).route(route).year(2026)
    assert (item.actual_ytd, item.expected_ytd, item.light.level) == (actual, pytest.approx(expected), level)
    assert f"完成序时进度 {pct} → {LEVELS[level].name}" in item.light.text


def test_route_explanation_reads_like_the_design():
    rows = monthly_runs("东盟班车", "2026-01", [240, 230, 230, 230, 230, 240])
    item = status_of("2026-06", routes=rows).route("东盟班车").year(2026)
    assert item.light.text == "序时进度 1500，实际 1400，完成序时进度 93.3% → 黄灯"


def test_route_projection_and_catch_up_for_the_year():
    item = status_of("2026-06", routes=monthly_runs("东盟班车", "2026-01", [230] * 6)).route("东盟班车").year(2026)
    assert (item.projected_year_end, item.remaining_months, item.required_monthly) == (2760, 6, 270)


def test_route_ahead_of_target_needs_nothing_more():
    item = status_of("2026-10", routes=monthly_runs("渝穗班列", "2026-01", [11] * 10)).route("渝穗班列").year(2026)
    assert (item.actual_ytd, item.projected_year_end, item.required_monthly) == (110, 132, 0)


def test_route_in_december_has_no_remaining_months():
    item = status_of("2026-12", routes=monthly_runs("渝甬班列", "2026-01", [24] * 12)).route("渝甬班列").year(2026)
    assert (item.actual_ytd, item.projected_year_end, item.remaining_months, item.required_monthly) == (288, 288, 0, None)
    assert item.light.level == YELLOW


def test_past_route_year_is_its_full_year():
    rows = monthly_runs("东盟班车", "2025-01", [240] * 12) + monthly_runs("东盟班车", "2026-01", [250] * 3)
    status = status_of("2026-03", routes=rows)
    past = status.route("东盟班车").year(2025)
    assert (past.evaluated_at, past.actual_ytd, past.expected_ytd, past.projected_year_end, past.required_monthly,
            past.light.level) == (at("2025-12"), 2880, 3000, 2880, None, YELLOW)
    now = status.route("东盟班车").year(2026)
    assert (now.actual_ytd, now.light.level) == (750, GREEN)


def test_route_three_year_total_and_catch_up_to_the_deadline():
    rows = monthly_runs("东盟班车", "2025-01", [250] * 12) + monthly_runs("东盟班车", "2026-01", [230] * 6)
    route = status_of("2026-06", routes=rows).route("东盟班车")
    assert (route.three_year_target, route.cumulative, route.expected_cumulative) == (9000, 4380, 4500)
    assert (route.remaining_months_3y, route.required_monthly_3y) == (18, pytest.approx((9000 - 4380) / 18))
    assert route.light_3y.text == "三年累计目标 9000，序时进度 4500（18/36个月），实际 4380，完成序时进度 97.3% → 黄灯"


def test_route_runs_after_as_of_are_ignored_and_the_chart_series_has_gaps():
    rows = [runs("渝甬班列", "2026-01", 20), runs("渝甬班列", "2026-03", 30), runs("渝甬班列", "2026-05", 40)]
    route = status_of("2026-04", routes=rows).route("渝甬班列")
    assert route.year(2026).actual_ytd == 50
    assert route.year(2026).last_month == at("2026-03")
    assert "实际 50（数据截至2026年3月）" in route.year(2026).light.text
    assert [(str(m.month), m.runs) for m in route.monthly[-4:]] == [
        ("2026-01", 20), ("2026-02", None), ("2026-03", 30), ("2026-04", None),
    ]
    assert len(route.monthly) == 16  # 2025-01 … 2026-04


def test_route_without_runs_is_grey_but_still_shows_what_is_needed():
    item = status_of("2026-06").route("渝穗班列").year(2026)
    assert (item.actual_ytd, item.light.level, item.light.text) == (None, GREY, "截至2026年6月无数据 → 灰灯（待报送）")
    assert (item.expected_ytd, item.required_monthly) == (50, pytest.approx(100 / 6))


def test_new_lines_are_listed_with_their_runs():
    rows = [runs("渝黔班列", "2025-11", 2, is_new=True), runs("渝黔班列", "2026-02", 3, is_new=True),
            runs("渝黔班列", "2026-08", 9, is_new=True), runs("东盟班车", "2026-03", 250)]
    status = status_of("2026-03", routes=rows)
    assert [r.route for r in status.routes] == ["东盟班车", "渝甬班列", "渝穗班列"]
    (line,) = status.new_lines
    assert (line.route, line.first_month, line.total, line.ytd) == ("渝黔班列", at("2025-11"), 5, 3)
    assert [(str(m.month), m.runs) for m in line.monthly] == [
        ("2025-11", 2), ("2025-12", None), ("2026-01", None), ("2026-02", 3), ("2026-03", None),
    ]


# --- fleet ------------------------------------------------------------------------------


def test_fleet_counts_ships_as_of_and_a_later_completion_is_in_progress():
    ships = [ship("渝LNG1", LNG, "已完成", "2026-03"), ship("渝LNG2", LNG, "已完成", "2026-08"),
             ship("渝LNG3", LNG, "在建"), ship("渝LNG4", LNG, "计划"), ship("渝醇1", METHANOL, "已完成", "2026-01")]
    item = status_of("2026-06", ships=ships).fleet_category(LNG)
    assert (item.target, item.done, item.in_progress, item.planned, item.expected, item.ratio) == (4, 1, 2, 1, 2, 0.5)
    assert item.light.level == RED
    assert item.light.text == "序时进度 2（4艘 × 18/36个月），已完成 1，完成序时进度 50.0% → 红灯"
    assert [(s.name, s.status, s.reported_status) for s in item.ships] == [
        ("渝LNG1", "已完成", "已完成"), ("渝LNG2", "在建", "已完成"), ("渝LNG3", "在建", "在建"), ("渝LNG4", "计划", "计划"),
    ]
    later = status_of("2026-08", ships=ships).fleet_category(LNG)
    assert (later.done, later.in_progress) == (2, 1)


@pytest.mark.parametrize(
    "category, done, as_of, expected, level",
    [
        (LNG, 1, "2025-09", 1, GREEN),  # 4 × 9/36 = 1: exactly 1.00
        # Ships are counted whole (design): 4 × 10/36 = 1.11 and 4 × 17/36 = 1.89 are both 1艘 of 序时进度
        (LNG, 1, "2025-10", 1, GREEN),
        (LNG, 1, "2026-05", 1, GREEN),
        (LNG, 1, "2026-06", 2, RED),  # 4 × 18/36 = 2: one of two is 50%
        (METHANOL, 2, "2026-10", 2, GREEN),  # 4 × 22/36 = 2.44: two ships are on pace
        (METHANOL, 1, "2026-10", 2, RED),
        (ROLL_ON, 0, "2026-05", 0, GREEN),  # 2 × 17/36 = 0.94: no whole ship is due yet
        (ROLL_ON, 1, "2026-06", 1, GREEN),
        (SEA, 3, "2027-12", 4, RED),
        (SEA, 4, "2027-12", 4, GREEN),
    ],
)
def test_fleet_deadline_count_paces_to_the_last_december(category, done, as_of, expected, level):
    ships = [ship(f"船{i}", category, "已完成", "2025-01") for i in range(done)]
    item = status_of(as_of, ships=ships).fleet_category(category)
    assert (item.done, item.expected, item.light.level) == (done, pytest.approx(expected), level)


def test_two_of_four_ships_at_month_22_of_36_are_on_pace_and_the_reason_says_why():
    ships = [ship(f"渝醇{i}", METHANOL, "已完成", "2026-01") for i in range(2)]
    item = status_of("2026-10", ships=ships).fleet_category(METHANOL)
    assert (item.expected, item.light.level) == (2, GREEN)
    assert item.light.text == "序时进度 2（4艘 × 22/36个月 = 2.44，按整艘计），已完成 2，完成序时进度 100.0% → 绿灯"


def _with_milestones(**milestones):
    """The plan with yearly milestones (年度分解) on a fleet category and a goal."""
    from yzlogi.plan import Milestone

    fleet = tuple(replace(f, milestones=tuple(Milestone(y, v) for y, v in milestones.get(f.category, ())))
                  for f in PLAN.fleet)
    goals = tuple(replace(g, milestones=tuple(Milestone(y, v) for y, v in milestones.get(g.key, ())))
                  for g in PLAN.goals)
    return replace(PLAN, fleet=fleet, goals=goals)


@pytest.mark.parametrize(
    "done, as_of, expected, level",
    [
        (0, "2025-06", 0, GREEN),  # 1 × 6/12 = 0.5: no whole ship due yet
        (0, "2025-12", 1, RED),
        (1, "2025-12", 1, GREEN),
        (1, "2026-06", 2, RED),  # 1 + (3 − 1) × 6/12 = 2
        (2, "2026-06", 2, GREEN),
        (3, "2027-03", 3, GREEN),  # 3 + (4 − 3) × 3/12 = 3.25
        (3, "2027-12", 4, RED),
    ],
)
def test_yearly_milestones_make_pace_run_milestone_to_milestone(done, as_of, expected, level):
    plan = _with_milestones(**{LNG: [(2025, 1), (2026, 3)]})
    ships = [ship(f"渝LNG{i}", LNG, "已完成", "2025-01") for i in range(done)]
    item = compute_status(plan, make_data(ships=ships), at(as_of)).fleet_category(LNG)
    assert (item.expected, item.light.level) == (expected, level)


def test_a_milestone_pace_says_which_milestones_it_runs_between():
    plan = _with_milestones(**{LNG: [(2025, 1), (2026, 3)], "supply_chain_output": [(2025, 2), (2026, 6)]})
    ships = [ship(f"渝LNG{i}", LNG, "已完成", "2025-01") for i in range(2)]
    status = compute_status(plan, make_data(ships=ships, goals=[goal("supply_chain_output", "2026-03", 2.8)]),
                            at("2026-06"))
    assert status.fleet_category(LNG).light.text == (
        "序时进度 2（年度分解：2025年12月末 1艘 → 2026年12月末 3艘，已过 6/12个月），已完成 2，完成序时进度 100.0% → 绿灯")
    # 亿元 are not counted whole: 2 + (6 − 2) × 3/12 = 3 at 2026-03
    early = compute_status(plan, make_data(goals=[goal("supply_chain_output", "2026-03", 2.8)]), at("2026-03"))
    item = early.goal("supply_chain_output")
    assert (item.expected, item.light.level) == (3, YELLOW)
    assert item.light.text == ("序时进度 3（年度分解：2025年12月末 2亿元 → 2026年12月末 6亿元，已过 3/12个月），"
                               "实际 2.8，完成序时进度 93.3% → 黄灯")


def test_fleet_lists_every_plan_category_even_without_ships():
    status = status_of("2026-06")
    assert [(f.category, f.target, f.done, f.light.level) for f in status.fleet] == [
        (LNG, 4, 0, RED), (METHANOL, 4, 0, RED), (ROLL_ON, 2, 0, RED), (SEA, 4, 0, RED),
    ]


# --- tasks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows, level, text",
    [
        ([report(8, "区交通运输委", "2026-06", "序时推进")], GREEN, "2026年6月报送“序时推进” → 绿灯"),
        ([report(8, "区交通运输委", "2026-06", "未启动")], YELLOW, "2026年6月报送“未启动” → 黄灯"),
        ([report(8, "区交通运输委", "2026-06", "滞后")], RED, "2026年6月报送“滞后” → 红灯"),
        ([report(8, "区交通运输委", "2025-12", "已完成")], GREEN, "2025年12月报送“已完成” → 绿灯"),
        ([report(8, "区交通运输委", "2026-05", "序时推进")], GREY,
         "最近一次为2026年5月报送“序时推进”，2026年6月未报送 → 灰灯（未报送）"),
        ([], GREY, "截至2026年6月无报送 → 灰灯（未报送）"),
        # the latest report up to as-of wins; later reports are not seen
        ([report(8, "区交通运输委", "2026-05", "已完成"), report(8, "区交通运输委", "2026-06", "滞后")], RED,
         "2026年6月报送“滞后” → 红灯"),
        ([report(8, "区交通运输委", "2026-05", "滞后"), report(8, "区交通运输委", "2026-06", "已完成")], GREEN,
         "2026年6月报送“已完成” → 绿灯"),
        ([report(8, "区交通运输委", "2026-06", "序时推进"), report(8, "区交通运输委", "2026-07", "滞后")], GREEN,
         "2026年6月报送“序时推进” → 绿灯"),
    ],
)
def test_task_unit_light(rows, level, text):
    unit = status_of("2026-06", tasks=rows).task(8).unit("区交通运输委")
    assert (unit.light.level, unit.light.text) == (level, text)


def test_task_unit_keeps_its_latest_report_texts():
    rows = [report(8, "区交通运输委", "2026-05", "序时推进", progress=40.0, progress_text="旧"),
            report(8, "区交通运输委", "2026-06", "滞后", progress=45.0, progress_text="班次不足", problems="货源不稳",
                   next_steps="加密班次")]
    unit = status_of("2026-06", tasks=rows).task(8).unit("区交通运输委")
    assert (unit.role, unit.month, unit.status, unit.progress, unit.progress_text, unit.problems, unit.next_steps) == (
        "lead", at("2026-06"), "滞后", 45.0, "班次不足", "货源不稳", "加密班次",
    )


LEAD, RESP = "区交通运输委", "区商务委"  # task 8: one lead, one responsible unit


@pytest.mark.parametrize(
    "lead, responsible, level",
    [
        ("序时推进", "序时推进", GREEN),
        ("序时推进", None, GREEN),  # a responsible unit that did not report does not grey the task
        (None, "序时推进", GREY),  # a lead unit that did not report does
        (None, "滞后", RED),  # red > grey
        (None, "未启动", YELLOW),  # yellow > grey
        ("未启动", "滞后", RED),
        ("序时推进", "未启动", YELLOW),
        ("已完成", None, GREEN),
    ],
)
def test_task_light_is_the_worst_of_leads_and_responsible_units_that_reported(lead, responsible, level):
    rows = [report(8, dept, "2026-06", state) for dept, state in ((LEAD, lead), (RESP, responsible)) if state]
    assert status_of("2026-06", tasks=rows).task(8).light.level == level


def test_a_completed_task_with_an_old_report_stays_green():
    rows = [report(8, LEAD, "2025-10", "已完成"), report(8, RESP, "2025-10", "已完成")]
    task = status_of("2026-06", tasks=rows).task(8)
    assert task.light.level == GREEN
    assert [u.light.level for u in task.units] == [GREEN, GREEN]


def test_task_with_two_leads_is_grey_when_one_lead_did_not_report():
    rows = [report(14, "区商务委", "2026-06", "序时推进"), report(14, "区发展改革委", "2026-06", "序时推进")]
    task = status_of("2026-06", tasks=rows).task(14)
    assert [(u.department, u.role, u.light.level) for u in task.units] == [
        ("区商务委", "lead", GREEN), ("区交通运输委", "lead", GREY), ("区发展改革委", "responsible", GREEN),
    ]
    assert task.light.level == GREY
    assert task.light.text == "取牵头单位和已报送责任单位中最差：区商务委 绿，区交通运输委 灰，区发展改革委 绿 → 灰灯（未报送）"


def test_task_explanation_names_the_units_left_out():
    task = status_of("2026-06", tasks=[report(1, "区交通运输委", "2026-06", "滞后")]).task(1)
    assert task.light.text == "取牵头单位和已报送责任单位中最差：区交通运输委 红；区发展改革委、区财政局未报送，不计入 → 红灯"


# --- secondary goals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, rows, as_of, level, text",
    [
        ("supply_chain_output", [goal("supply_chain_output", "2026-06", 6.5)], "2026-06", GREEN,
         "序时进度 5（10亿元 × 18/36个月），实际 6.5，完成序时进度 130.0% → 绿灯"),
        # 7.5 ÷ (10 × 30/36) = 0.8999999999999999 in floating point: exactly 0.90
        ("supply_chain_output", [goal("supply_chain_output", "2027-06", 7.5)], "2027-06", YELLOW,
         "序时进度 8.3（10亿元 × 30/36个月），实际 7.5，完成序时进度 90.0% → 黄灯"),
        ("supply_chain_output", [goal("supply_chain_output", "2026-01", 3)], "2026-06", RED,
         "序时进度 5（10亿元 × 18/36个月），实际 3（2026年1月），完成序时进度 60.0% → 红灯"),
        ("asean_trade_share", [goal("asean_trade_share", "2026-06", 4.5)], "2026-06", YELLOW,
         "目标 5%以上，实际 4.5%（≥ 4.5%）→ 黄灯"),
        ("asean_trade_share", [goal("asean_trade_share", "2026-06", 4.4)], "2026-06", RED,
         "目标 5%以上，实际 4.4%（< 4.5%）→ 红灯"),
        ("multimodal_revenue", [goal("multimodal_revenue", "2026-06", 11)], "2026-06", GREEN,
         "目标 10%左右，实际 11%，偏离 1 个百分点 → 绿灯"),
        ("multimodal_revenue", [goal("multimodal_revenue", "2026-06", 12)], "2026-06", YELLOW,
         "目标 10%左右，实际 12%，偏离 2 个百分点 → 黄灯"),
        ("5a_rank", [goal("5a_rank", "2026-06", 1)], "2026-06", GREEN, "目标 全市第1名，实际 第1名 → 绿灯"),
        ("5a_rank", [goal("5a_rank", "2027-11", 2)], "2027-11", YELLOW,
         "目标 全市第1名，实际 第2名，期限2027年12月未到 → 黄灯"),
        ("5a_rank", [goal("5a_rank", "2027-12", 2)], "2027-12", RED,
         "目标 全市第1名，实际 第2名，期限2027年12月已到 → 红灯"),
        ("hq_base", [goal("hq_base", "2026-03", 1)], "2026-06", GREEN, "2026年3月已实现 → 绿灯"),
        ("hq_base", [goal("hq_base", "2027-11", 0)], "2027-11", YELLOW, "尚未实现，期限2027年12月未到 → 黄灯"),
        ("hq_base", [goal("hq_base", "2027-06", 0)], "2027-12", RED, "尚未实现（2027年6月），期限2027年12月已到 → 红灯"),
        ("smart_investment", [], "2026-06", GREY, "截至2026年6月无数据 → 灰灯（待报送）"),
        ("smart_investment", [goal("smart_investment", "2026-07", 1)], "2026-06", GREY,
         "截至2026年6月无数据 → 灰灯（待报送）"),
    ],
)
def test_goal_light_and_explanation(key, rows, as_of, level, text):
    item = status_of(as_of, goals=rows).goal(key)
    assert (item.light.level, item.light.text) == (level, text)


def test_goal_keeps_value_month_and_expected():
    item = status_of("2026-06", goals=[goal("global_forwarders", "2026-05", 2)]).goal("global_forwarders")
    # 3家 × 18/36 = 1.5: 家 are counted whole, so 序时进度 is 1家
    assert (item.value, item.month, item.expected, item.ratio, item.has_data) == (2, at("2026-05"), 1, 2.0, True)
    assert item.light.text == "序时进度 1（3家 × 18/36个月 = 1.5，按整家计），实际 2（2026年5月），完成序时进度 200.0% → 绿灯"
    assert item.lead == ("区商务委",)  # 附件2 序号13, the goal's task


# --- as-of --------------------------------------------------------------------------------


def test_default_as_of_is_the_latest_month_of_indicators_routes_tasks_and_goals():
    data = make_data(indicators=[ind(2, "2026-05", 5)], routes=[runs("东盟班车", "2026-04", 250)],
                     tasks=[report(8, LEAD, "2026-03", "序时推进")], goals=[goal("hq_base", "2026-06", 0)],
                     ships=[ship("渝LNG1", LNG, "已完成", "2026-09")],
                     warehouses=[{"name": "曼谷", "opened": "2026-10"}])
    assert default_as_of(data) == at("2026-06")


@pytest.mark.parametrize("table, row", [
    ("indicators", ind(1, "2026-02", 10)),
    ("routes", runs("渝穗班列", "2026-02", 8)),
    ("tasks", report(1, LEAD, "2026-02", "滞后")),
    ("goals", goal("hq_base", "2026-02", 0)),
])
def test_default_as_of_reads_each_table(table, row):
    assert default_as_of(make_data(**{table: [row]})) == at("2026-02")


def test_default_as_of_of_an_empty_version_is_the_plan_start():
    assert default_as_of(make_data(), PLAN.start) == at("2025-01")


def test_as_of_before_the_plan_starts_shows_every_year_as_not_started():
    status = status_of("2024-12", indicators=[ind(7, "2024-12", 24)])
    assert status.current_year == 2025
    assert {i.light.reason for i in status.indicators} == {"未开始"}
    assert [f.expected for f in status.fleet] == [0, 0, 0, 0]
    assert {f.light.level for f in status.fleet} == {GREEN}


# --- the whole picture -----------------------------------------------------------------------


def _meeting_version():
    return dict(
        indicators=[ind(1, "2026-03", 11.6), ind(2, "2026-06", 4.6), ind(7, "2026-06", 27)],
        routes=(monthly_runs("东盟班车", "2026-01", [230] * 6) + monthly_runs("渝甬班列", "2026-01", [25] * 6)
                + monthly_runs("渝穗班列", "2026-01", [5] * 6) + [runs("渝黔班列", "2026-05", 3, is_new=True)]),
        ships=[ship("渝LNG1", LNG, "已完成", "2026-03")] + [ship(f"{c}{i}", c, "已完成", "2025-06")
                                                           for c, n in ((METHANOL, 2), (ROLL_ON, 1), (SEA, 2))
                                                           for i in range(n)],
        tasks=[report(8, LEAD, "2026-06", "滞后"), report(8, RESP, "2026-06", "序时推进"),
               report(1, LEAD, "2026-06", "未启动"), report(2, "区产业发展促进局", "2025-12", "已完成")],
        goals=[goal("supply_chain_output", "2026-06", 6.5), goal("hq_base", "2026-03", 0)],
    )


def test_counts_cover_the_current_items():
    counts = status_of("2026-06", **_meeting_version()).counts()
    assert counts["indicator"] == {RED: 1, YELLOW: 2, GREY: 4, GREEN: 1}
    assert counts["route"] == {RED: 1, YELLOW: 1, GREY: 0, GREEN: 1}
    assert counts["fleet"] == {RED: 1, YELLOW: 0, GREY: 0, GREEN: 3}
    assert counts["task"] == {RED: 1, YELLOW: 1, GREY: 13, GREEN: 1}
    assert counts["goal"] == {RED: 0, YELLOW: 1, GREY: 0, GREEN: 1}  # goals without data are not counted
    assert counts["total"] == {RED: 4, YELLOW: 5, GREY: 17, GREEN: 7}


def test_exceptions_list_every_red_then_every_yellow_with_why():
    alerts = status_of("2026-06", **_meeting_version()).exceptions()
    assert [(a.level, a.title) for a in alerts] == [
        (RED, "指标6 通道运力投入强度（2026年）"),
        (RED, "渝穗班列（2026年）"),
        (RED, "船舶更新 LNG动力船舶更新"),
        (RED, "任务8 提升通道运力投入强度"),
        (YELLOW, "指标1 现代物流业占全区GDP比重（2026年）"),
        (YELLOW, "指标2 行业规上企业营收增速（2026年）"),
        (YELLOW, "东盟班车（2026年）"),
        (YELLOW, "任务1 健全政策支持体系"),
        (YELLOW, "其他目标 “总部+基地”发展模式突破"),
    ]
    assert alerts[1].why == "序时进度 50，实际 30，完成序时进度 60.0% → 红灯"
    assert alerts[1].departments == ("区交通运输委",)
    assert alerts[2].departments == ("区交通运输委",)


def test_json_shape():
    data = _meeting_version()
    result = status_of("2026-06", **data).to_json()
    json.dumps(result, ensure_ascii=False)  # plain data all the way down
    assert {"version", "as_of", "sample", "counts", "indicators", "routes", "route_totals", "route_monthly",
            "new_lines", "fleet", "tasks", "goals", "registers", "exceptions"} <= set(result)
    assert (result["version"], result["as_of"], result["sample"]) == (1, "2026-06", False)
    assert len(result["indicators"]) == 24 and len(result["routes"]) == 9 and len(result["tasks"]) == 16
    assert {k: result["indicators"][4][k] for k in ("no", "year", "actual", "expected", "target_text", "level")} == {
        "no": 2, "year": 2026, "actual": 4.6, "expected": 5.0, "target_text": "5%以上", "level": "yellow",
    }
    route = next(r for r in result["routes"] if r["route"] == "东盟班车" and r["year"] == 2026)
    assert {k: route[k] for k in ("target", "actual_ytd", "expected_ytd", "level", "projected_year_end",
                                  "required_monthly", "required_monthly_3y")} == {
        "target": 3000, "actual_ytd": 1380, "expected_ytd": 1500.0, "level": "yellow", "projected_year_end": 2760.0,
        "required_monthly": 270.0, "required_monthly_3y": (9000 - 1380) / 18,
    }
    assert {k: result["fleet"][0][k] for k in ("category", "target", "done", "in_progress", "planned", "level")} == {
        "category": LNG, "target": 4, "done": 1, "in_progress": 0, "planned": 0, "level": "red",
    }
    task8 = result["tasks"][7]
    assert (task8["no"], task8["level"]) == (8, "red")
    assert [{k: u[k] for k in ("department", "role", "status", "progress", "level")} for u in task8["units"]] == [
        {"department": LEAD, "role": "lead", "status": "滞后", "progress": None, "level": "red"},
        {"department": RESP, "role": "responsible", "status": "序时推进", "progress": None, "level": "green"},
    ]
    assert result["new_lines"][0]["route"] == "渝黔班列"
    assert result["exceptions"][0]["level"] == "red"
    assert make_data(sample=True).version.sample
    assert compute_status(PLAN, make_data(sample=True), at("2026-06")).to_json()["sample"] is True


def test_missing_cells_of_any_flavour_are_no_value():
    import numpy as np
    import pandas as pd

    data = make_data(indicators=[ind(3, "2026-06", None)], tasks=[report(8, LEAD, "2026-06", "滞后")],
                     ships=[ship("渝LNG1", LNG, "已完成", None)])
    assert compute_status(PLAN, data, at("2026-06")).indicator(3).light.level == GREY  # float64 NaN
    as_objects = replace(
        data,
        indicators=pd.DataFrame({"indicator_no": [3, 2], "month": ["2026-06", pd.NA], "value": [pd.NA, 5.0]},
                                dtype=object),
        tasks=pd.DataFrame({"task_no": [np.int64(8)], "department": [LEAD], "month": ["2026-06"], "status": ["滞后"],
                            "progress": [np.nan], "progress_text": [None], "problems": [pd.NA]}, dtype=object),
    )
    for version in (data, as_objects):
        status = compute_status(PLAN, version, at("2026-06"))
        unit = status.task(8).unit(LEAD)
        assert (status.indicator(3).light.level, status.indicator(2).light.level) == (GREY, GREY)
        assert (unit.light.level, unit.progress, unit.progress_text, unit.problems) == (RED, None, None, None)
    ship_state = compute_status(PLAN, data, at("2026-06")).fleet_category(LNG).ships[0]
    assert (ship_state.status, ship_state.completed, ship_state.company) == ("在建", None, None)


# --- thresholds are data -----------------------------------------------------------------------


def test_lights_follow_the_thresholds_in_the_plan_file():
    stricter = replace(PLAN, thresholds=Thresholds(green_ratio=1.0, yellow_ratio=0.95, floor_yellow_share=0.95,
                                                   band_green_points=0.5, band_yellow_points=1.0))
    data = make_data(indicators=[ind(1, "2026-06", 11), ind(2, "2026-06", 4.6)],
                     routes=monthly_runs("东盟班车", "2026-01", [230] * 6))
    default = compute_status(PLAN, data, at("2026-06"))
    strict = compute_status(stricter, data, at("2026-06"))
    assert [default.indicator(n).light.level for n in (1, 2)] == [GREEN, YELLOW]
    assert [strict.indicator(n).light.level for n in (1, 2)] == [YELLOW, RED]
    assert default.route("东盟班车").year(2026).light.level == YELLOW
    assert strict.route("东盟班车").year(2026).light.level == RED
