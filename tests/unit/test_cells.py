"""Every cell form of workbook-spec «Cell values»: what is accepted and what it reads as,
what is refused and the Chinese reason given for it."""

import pytest

from yzlogi import cells
from yzlogi.cells import PERCENT_CELL, CellError
from yzlogi.months import Month
from yzlogi.plan import load_plan
from yzlogi.schema import NO, ROUTES, SHIPS, TASKS, YES

PLAN = load_plan()
RUNS = ROUTES.column("runs").units
FIRST, LAST = Month(2025, 1), Month(2027, 12)


def refusal(parse, *args):
    with pytest.raises(CellError) as caught:
        parse(*args)
    return caught.value.code, caught.value.reason


@pytest.mark.parametrize(
    "text, month",
    [
        ("2026-06", Month(2026, 6)),
        ("2026-6", Month(2026, 6)),
        ("2026/6", Month(2026, 6)),
        ("2026/06", Month(2026, 6)),
        ("2026.06", Month(2026, 6)),
        ("2026.6", Month(2026, 6)),
        ("2026.10", Month(2026, 10)),
        ("202606", Month(2026, 6)),
        ("2026年6月", Month(2026, 6)),
        ("2026年06月", Month(2026, 6)),
        ("2026年6月份", Month(2026, 6)),
        ("2026 年 6 月", Month(2026, 6)),
        ("２０２６年６月", Month(2026, 6)),
        ("2026年1-6月", Month(2026, 6)),
        ("2026年1—6月", Month(2026, 6)),
        ("2026年1～6月", Month(2026, 6)),
        ("2026年1至6月", Month(2026, 6)),
        ("2026-06-15 00:00:00", Month(2026, 6)),  # an Excel date as the reader gives it
        ("2026-06-30 13:05:00", Month(2026, 6)),  # an Excel datetime
        ("2026-06-15", Month(2026, 6)),  # an ODS date
        ("2026-06-15T13:05:00", Month(2026, 6)),  # an ODS datetime
        ("2026/6/15", Month(2026, 6)),  # a date in a CSV saved by Excel
        ("2026/6/15 9:30", Month(2026, 6)),
        ("2026年6月15日", Month(2026, 6)),
        ("20260615", Month(2026, 6)),
    ],
)
def test_month_forms_read_as_the_month(text, month):
    assert cells.parse_month(text) == month


@pytest.mark.parametrize(
    "text, code, reason",
    [
        ("2026-13", "bad_month", "无法识别“2026-13”，应为月份，如 2026-06、2026年6月、2026年1-6月"),
        ("2026", "bad_month", "无法识别“2026”，应为月份，如 2026-06、2026年6月、2026年1-6月"),
        ("六月", "bad_month", "无法识别“六月”，应为月份，如 2026-06、2026年6月、2026年1-6月"),
        ("46188", "bad_month", "无法识别“46188”，应为月份，如 2026-06、2026年6月、2026年1-6月"),
        ("2026-02-30", "bad_month", "无法识别“2026-02-30”，日期不存在"),
        ("2026.1", "ambiguous_month", "“2026.1”无法确定是1月还是10月，请写作 2026-01 或 2026-10"),
        ("2026年4-6月", "bad_month", "“2026年4-6月”不是年初至某月的累计期，应为单月或 2026年1-6月 这样的写法"),
    ],
)
def test_month_refusals_say_why(text, code, reason):
    assert refusal(cells.parse_month, text) == (code, reason)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2028-01", "“2028-01”超出范围，应在 2025-01 至 2027-12 之间"),
        ("2024-12", "“2024-12”超出范围，应在 2025-01 至 2027-12 之间"),
        ("2028-01-01 00:00:00", "“2028-01-01”超出范围，应在 2025-01 至 2027-12 之间"),
    ],
)
def test_month_outside_the_columns_range_is_refused(text, reason):
    assert refusal(cells.parse_month, text, FIRST, LAST) == ("month_out_of_range", reason)


def test_month_on_the_range_edges_is_accepted():
    assert cells.parse_month("2025-01", FIRST, LAST) == FIRST
    assert cells.parse_month("2027年1-12月", FIRST, LAST) == LAST


@pytest.mark.parametrize(
    "text, units, value",
    [
        ("3000", RUNS, 3000),
        ("3,000", RUNS, 3000),
        ("３，０００", RUNS, 3000),
        ("3 000", RUNS, 3000),
        ("３０００", RUNS, 3000),
        ("3000班次", RUNS, 3000),
        ("3000 班次", RUNS, 3000),
        ("262列", RUNS, 262),
        ("3000.0", RUNS, 3000),
        ("0", RUNS, 0),
        ("26个", ("个",), 26),
        ("60家", ("家",), 60),
    ],
)
def test_count_forms_read_as_the_integer(text, units, value):
    assert cells.parse_count(text, units) == value


@pytest.mark.parametrize(
    "text, units, code, reason",
    [
        ("abc", RUNS, "bad_count", "无法识别“abc”，应为非负整数（可带单位 班次/班/列/次）"),
        ("3,00", RUNS, "bad_count", "无法识别“3,00”，应为非负整数（可带单位 班次/班/列/次）"),
        ("3000.5", RUNS, "bad_count", "“3000.5”不是整数，应为非负整数（可带单位 班次/班/列/次）"),
        ("-5", RUNS, "bad_count", "“-5”是负数，应为非负整数（可带单位 班次/班/列/次）"),
        ("60家", RUNS, "bad_unit", "“60家”的单位“家”与本列不符，应为 班次/班/列/次"),
        ("26个", ("家",), "bad_unit", "“26个”的单位“个”与本列不符，应为 家"),
        (PERCENT_CELL + "0.27", ("个",), "bad_unit", "“27%”的单位“%”与本列不符，应为 个"),
        ("1e999", RUNS, "out_of_range", "“1e999”数值过大，请检查"),
    ],
)
def test_count_refusals_say_why(text, units, code, reason):
    assert refusal(cells.parse_count, text, units) == (code, reason)


@pytest.mark.parametrize(
    "text, value",
    [
        ("10.5", 10.5),
        ("10.5%", 10.5),
        ("10.5 %", 10.5),
        ("１０．５％", 10.5),
        ("-3.2%", -3.2),
        ("0", 0.0),
        (PERCENT_CELL + "0.105", 10.5),  # 10.5% in a %-formatted cell: Excel stores 0.105
        (PERCENT_CELL + "0.115", 11.5),
        (PERCENT_CELL + "0.5", 50.0),
    ],
)
def test_percent_forms_read_as_percentage_points(text, value):
    assert cells.parse_percent(text) == value


@pytest.mark.parametrize(
    "text, code, reason",
    [
        ("abc", "bad_percent", "无法识别“abc”，应为百分数，如 10.5 或 10.5%"),
        ("10.5‰", "bad_percent", "无法识别“10.5‰”，应为百分数，如 10.5 或 10.5%"),
        ("120", "out_of_range", "“120”超出范围，应在 0 至 100 之间"),
        ("-1%", "out_of_range", "“-1%”超出范围，应在 0 至 100 之间"),
        (PERCENT_CELL + "1.2", "out_of_range", "“120%”超出范围，应在 0 至 100 之间"),
    ],
)
def test_percent_refusals_say_why(text, code, reason):
    assert refusal(cells.parse_percent, text, 0, 100) == (code, reason)


@pytest.mark.parametrize(
    "text, unit, value",
    [
        ("6.5", "亿元", 6.5),
        ("6.5亿元", "亿元", 6.5),
        ("6500万元", "亿元", 0.65),
        ("3家", "家", 3.0),
        ("12%", "%", 12.0),
        (PERCENT_CELL + "0.12", "%", 12.0),
        ("第1名", "名", 1.0),
        ("1名", "名", 1.0),
    ],
)
def test_goal_numbers_read_in_the_goals_unit(text, unit, value):
    assert cells.parse_number(text, unit, ("亿元", "万元", "家", "个", "%", "名")) == value


@pytest.mark.parametrize(
    "text, unit, code, reason",
    [
        ("6.5家", "亿元", "bad_unit", "“6.5家”的单位“家”与该项不符，应为 亿元"),
        ("很多", "亿元", "bad_number", "无法识别“很多”，应为数值（单位：亿元）"),
    ],
)
def test_goal_number_refusals_say_why(text, unit, code, reason):
    assert refusal(cells.parse_number, text, unit, ("亿元", "万元", "家", "个", "%", "名")) == (code, reason)


@pytest.mark.parametrize("text, value", [("7", 7), ("７", 7), ("7.0", 7), ("1", 1), ("8", 8)])
def test_indicator_numbers(text, value):
    assert cells.parse_whole(text, 1, 8, "bad_indicator_no", "附件1的指标编号") == value


@pytest.mark.parametrize("text", ["9", "0", "6.5", "x", "指标7"])
def test_indicator_number_refusals(text):
    assert refusal(cells.parse_whole, text, 1, 8, "bad_indicator_no", "附件1的指标编号") == (
        "bad_indicator_no", f"无法识别“{text}”，应为附件1的指标编号 1—8")


@pytest.mark.parametrize(
    "text, name",
    [
        ("区交通运输委", "区交通运输委"),
        ("交通运输委", "区交通运输委"),
        ("重庆市渝中区交通运输委员会", "区交通运输委"),
        (" 区交通运输委 ", "区交通运输委"),
        ("区发改委", "区发展改革委"),
        ("区经信委", "区经济信息委"),
        ("区外办", "区政府外办"),
        ("区大数据局", "区大数据发展局"),
        ("区产促局", "区产业发展促进局"),
    ],
)
def test_departments_by_name_alias_or_short_form(text, name):
    names = [d.name for d in PLAN.departments]
    assert cells.parse_name(text, PLAN.resolve_department, names, "unknown_department") == name


def test_unknown_department_lists_the_plans_departments():
    names = [d.name for d in PLAN.departments]
    assert refusal(cells.parse_name, "区某某局", PLAN.resolve_department, names, "unknown_department",
                   "计划中的部门：") == (
        "unknown_department",
        "无法识别“区某某局”，应为 计划中的部门：区交通运输委/区发展改革委/区商务委/区经济信息委/区财政局/"
        "区产业发展促进局/区政府外办/区司法局/区科技局/区大数据发展局/各管委会",
    )


@pytest.mark.parametrize(
    "column, text, value",
    [
        (TASKS.column("status"), "序时推进", "序时推进"),
        (TASKS.column("status"), "正常推进", "序时推进"),
        (TASKS.column("status"), "推进中", "序时推进"),
        (TASKS.column("status"), "滞后于序时进度", "滞后"),
        (TASKS.column("status"), "已办结", "已完成"),
        (SHIPS.column("status"), "建造中", "在建"),
        (SHIPS.column("status"), "已投运", "已完成"),
        (SHIPS.column("status"), "计划中", "计划"),
    ],
)
def test_choices_by_value_or_synonym(column, text, value):
    assert cells.parse_name(text, column.resolve_choice, column.choice_values(), "bad_choice") == value


def test_unknown_choice_reason_is_the_specs_sentence():
    column = TASKS.column("status")
    assert refusal(cells.parse_name, "进行中中", column.resolve_choice, column.choice_values(), "bad_choice") == (
        "bad_choice", "无法识别“进行中中”，应为 未启动/序时推进/滞后/已完成")


@pytest.mark.parametrize(
    "text, value",
    [("东盟班车", ("东盟班车", False)), ("东盟公路班车", ("东盟班车", False)),
     ("渝甬铁海联运班列", ("渝甬班列", False)), ("渝新欧班列", ("渝新欧班列", True))],
)
def test_routes_by_name_or_synonym_and_other_names_are_new_lines(text, value):
    assert cells.parse_route(text, PLAN.resolve_route) == value


@pytest.mark.parametrize(
    "text, key",
    [("供应链服务产值", "supply_chain_output"), ("5A级物流企业数量", "5a_new"), ("智慧化投资", "smart_investment")],
)
def test_goals_by_name_or_alias(text, key):
    assert cells.parse_name(text, PLAN.resolve_goal, [], "unknown_goal") == key


@pytest.mark.parametrize(
    "text, category",
    [("LNG动力船舶", "LNG动力船舶更新"), ("滚装船LNG—柴油混合动力改造", "滚装船LNG-柴油混合动力改造"),
     ("新增船舶", "新增海运船舶")],
)
def test_fleet_categories_by_name_or_synonym(text, category):
    assert cells.parse_name(text, PLAN.resolve_fleet_category, [], "bad_category") == category


@pytest.mark.parametrize("text, value", [("是", True), ("Y", True), ("√", True), ("TRUE", True), ("1", True),
                                         ("否", False), ("n", False), ("×", False), ("0", False)])
def test_yes_and_no(text, value):
    assert cells.parse_yesno(text, YES, NO) is value


def test_neither_yes_nor_no():
    assert refusal(cells.parse_yesno, "也许", YES, NO) == ("bad_yesno", "无法识别“也许”，应为 是/否")


@pytest.mark.parametrize(
    "text, shown",
    [(PERCENT_CELL + "0.105", "10.5%"), ("2026-06-15 00:00:00", "2026-06-15"),
     ("2026-06-15 13:05:00", "2026-06-15 13:05:00"), ("进行中中", "进行中中")],
)
def test_cells_are_shown_as_the_official_sees_them(text, shown):
    assert cells.display(text) == shown


# --- a whole column reads as its cells do ------------------------------------------------

from yzlogi.cells import read_column, strings  # noqa: E402
from yzlogi.schema import ALL_SHEETS  # noqa: E402
from yzlogi.column_readers import column_reader  # noqa: E402

CORPUS = [
    "2026-06", "2026/6", "2026.06", "2026.1", "202606", "20260615", "2026年6月", "2026年1—6月", "2026年4-6月",
    "２０２６年６月", "2026 年 6 月", "2026-06-15 00:00:00", "2026-06-15T13:05:00", "2026/6/15 9:30", "2026-13",
    "2028-01", "2024-12", "2026-02-30", "六月", "46188", "2026年6月15日",
    "3000", "3,000", "３，０００", "3 000", "3000班次", "3000.0", "3000.5", "-5", "60家", "26个", "1e999", "3,00",
    "10.5", "10.5%", "１０．５％", "120", "-1%", "10.5‰", ".5", "+3", "3e", "١٢", PERCENT_CELL + "0.105",
    PERCENT_CELL + "1.2", "7", "７", "9", "0", "6.5", "第3项", "指标7",
    "区交通运输委", "交通运输委", "区 交通运输委", "区交通运输委\u3000", "区发改委", "区某某局", "重庆市渝中区交通运输委员会",
    "进行中中", "正常推进", "已办结", "已投运", "计划中", "东盟公路班车", "渝新欧班列", "东盟\n班车",
    "LNG动力船舶", "ＬＮＧ动力船舶", "滚装船LNG—柴油混合动力改造", "供应链服务产值", "智慧化投资", "5A级物流企业数量",
    "是", "否", "Y", "√", "TRUE", "也许", "garbage", "\u00a0x\u2003", "—", "abc\x1fdef",
]
COLUMNS = [(s, c) for s in ALL_SHEETS for c in s.columns if c.kind not in ("text", "indicator_value", "number")]


@pytest.mark.parametrize("bulk", [False, True], ids=["one by one", "in bulk"])
@pytest.mark.parametrize("sheet, column", COLUMNS, ids=[f"{s.name}-{c.header}" for s, c in COLUMNS])
def test_reading_a_whole_column_gives_what_each_cell_parser_gives(sheet, column, bulk):
    reader = column_reader(column, PLAN)
    read = read_column(strings(CORPUS + [None]), reader, bulk_from=0 if bulk else 10_000)
    got = list(zip(read.values.to_pylist(),
                   read.codes.to_pylist() if read.codes is not None else [None] * (len(CORPUS) + 1),
                   read.reasons.to_pylist() if read.reasons is not None else [None] * (len(CORPUS) + 1)))
    expected = []
    for text in CORPUS:
        try:
            expected.append((reader.parse(text), None, None))
        except CellError as exc:
            expected.append((None, exc.code, exc.reason))
    assert got == expected + [(None, None, None)]


@pytest.mark.parametrize("bulk_from", [0, 10_000], ids=["in bulk", "one by one"])
def test_a_route_column_marks_names_outside_the_plan_as_new(bulk_from):
    read = read_column(strings(["东盟公路班车", "渝新欧班列", "东盟 班车", None]),
                       column_reader(ROUTES.column("route"), PLAN), bulk_from)
    assert read.values.to_pylist() == ["东盟班车", "渝新欧班列", "东盟班车", None]
    assert read.is_new.to_pylist() == [False, True, False, None]


@pytest.mark.parametrize(
    "column, index",
    [(TASKS.column("department"), PLAN._department_index), (ROUTES.column("route"), PLAN._route_index),
     (SHIPS.column("category"), PLAN._fleet_index)],
)
def test_bulk_lookups_know_every_name_the_plan_knows(column, index):
    assert column_reader(column, PLAN).names == index


@pytest.mark.parametrize("text, guess", [("商务局", "区商务委"), ("交通局", "区交通运输委"), ("区发改局", "区发展改革委"),
                                         ("经信局", "区经济信息委"), ("外事办", "区政府外办"), ("大数据中心", "区大数据发展局")])
def test_an_unknown_department_close_to_one_is_suggested_instead_of_the_list(text, guess):
    names = [d.name for d in PLAN.departments]
    assert refusal(cells.parse_name, text, PLAN.resolve_department, names, "unknown_department", "计划中的部门：",
                   PLAN.suggest_department) == ("unknown_department", f"无法识别“{text}”，您是否要找：{guess}？")


@pytest.mark.parametrize("text", ["区某某局", "公安局", "局", "区", "xyz"])
def test_names_sharing_only_区_and_局_are_not_close(text):
    # 区某某局 shares 区…局 with every 区…局 of the plan; that alone is no reason to suggest one.
    assert PLAN.suggest_department(text) is None
