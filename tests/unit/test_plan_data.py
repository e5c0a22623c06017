"""The plan data against the plan text, cell by cell (附件1, 附件2, 正文).

The expected tables here are typed from the appendices, not from data/plan.toml,
so a wrong number in the data file fails a test.
"""

import pytest

from yzlogi.plan import load_plan

PLAN = load_plan()

TJ = "区交通运输委"
FG = "区发展改革委"
SW = "区商务委"
JX = "区经济信息委"
CZ = "区财政局"
CC = "区产业发展促进局"
WB = "区政府外办"
SF = "区司法局"
KJ = "区科技局"
DSJ = "区大数据发展局"
GW = "各管委会"

# 附件1: (序号, 主要指标, 2025/2026/2027 target cells, typed (kind, value, unit), 牵头, 责任)
ROUTES_TEXT = "“东盟班车”年均开行3000班次，“渝甬班列”年均开行300班次，“渝穗班列”年均开行100班次"
INDICATORS = [
    (1, "现代物流业占全区GDP比重", ["维持在10%左右"] * 3, ("band", [10, 10, 10], "%"), [TJ], [FG, SW, GW]),
    (2, "行业规上企业营收增速", ["5%以上"] * 3, ("floor", [5, 5, 5], "%"), [TJ], []),
    (3, "行业规上企业新增数量", ["2家"] * 3, ("annual_flow", [2, 2, 2], "家"), [TJ], []),
    (4, "多式联运营收增速", ["10%以上"] * 3, ("floor", [10, 10, 10], "%"), [TJ], []),
    (5, "西部陆海新通道运量增速", ["10%以上"] * 3, ("floor", [10, 10, 10], "%"), [SW], [TJ]),
    (6, "通道运力投入强度", [ROUTES_TEXT] * 3, ("composite", [None] * 3, "班次"), [TJ], [SW]),
    (7, "海外分拨仓个数", ["26个", "28个", "30个"], ("level", [26, 28, 30], "个"), [TJ], [SW]),
    (8, "国际货代备案企业数量", ["60家", "70家", "80家"], ("level", [60, 70, 80], "家"), [SW], [JX, FG, TJ, GW]),
]

# 附件2: (序号, 分组, 重点工作, 牵头, 责任, 正文条目)
TASKS = [
    (1, 1, "健全政策支持体系", [TJ], [FG, CZ], 1),
    (2, 1, "健全政策支持体系", [CC], [SW], 1),
    (3, 1, "强化龙头企业招引", [TJ], [JX, SW, GW], 2),
    (4, 1, "促进本地企业发展", [TJ], [SW, JX, FG], 3),
    (5, 2, "提高多式联运服务能力", [TJ], [FG, SW], 4),
    (6, 2, "发展供应链物流服务", [TJ], [JX, SW], 5),
    (7, 2, "提升细分物流市场服务能力", [TJ], [SW], 6),
    (8, 3, "提升通道运力投入强度", [TJ], [SW], 7),
    (9, 3, "发挥通道联动作用", [SW], [TJ, FG], 8),
    (10, 3, "加快海外服务网点布局", [TJ], [SW, WB], 9),
    (11, 3, "丰富通道服务类别", [CC], [SW, WB], 10),
    (12, 3, "丰富通道服务类别", [SF], [SW], 10),
    (13, 4, "打造国际货代集聚区", [SW], [JX, FG, TJ, GW], 11),
    (14, 4, "引导商贸物流结构化转型", [SW, TJ], [FG], 12),
    (15, 5, "推进行业智慧化改造", [TJ], [KJ, DSJ], 13),
    (16, 5, "推进设施绿色化更新", [TJ], [FG], 14),
]

# 正文: (条目, 牵头, 配合) for the measures whose units differ from 附件2
BODY_UNITS = [
    (1, [TJ, CC], [FG, CZ]),
    (10, [CC, SF], [SW, TJ]),
    (13, [TJ, KJ, DSJ], []),
]


@pytest.mark.parametrize("no, name, texts, typed, lead, responsible", INDICATORS)
def test_indicator_matches_annex_1(no, name, texts, typed, lead, responsible):
    indicator = PLAN.indicator(no)
    kind, values, unit = typed
    assert indicator.name == name
    assert indicator.kind == kind
    assert indicator.unit == unit
    assert [t.year for t in indicator.targets] == [2025, 2026, 2027]
    assert [t.text for t in indicator.targets] == texts
    assert [t.value for t in indicator.targets] == values
    assert [t.unit for t in indicator.targets] == [unit] * 3
    assert [t.kind for t in indicator.targets] == [kind] * 3
    assert list(indicator.lead) == lead
    assert list(indicator.responsible) == responsible
    assert indicator.source == f"附件1 序号{no}"


def test_indicator_6_is_the_three_routes_every_year():
    for target in PLAN.indicator(6).targets:
        assert target.parts == (("东盟班车", 3000), ("渝甬班列", 300), ("渝穗班列", 100))


def test_there_are_8_indicators_and_16_tasks_in_5_groups():
    assert [i.no for i in PLAN.indicators] == list(range(1, 9))
    assert [t.no for t in PLAN.tasks] == list(range(1, 17))
    assert [(g.no, g.name) for g in PLAN.groups] == [
        (1, "推动现代物流总部集聚"),
        (2, "创新发展物流新模式"),
        (3, "推动通道服务能级跃升"),
        (4, "推动商贸货代融合发展"),
        (5, "推进绿色智慧物流建设"),
    ]


@pytest.mark.parametrize("no, group, name, lead, responsible, measure", TASKS)
def test_task_matches_annex_2(no, group, name, lead, responsible, measure):
    task = PLAN.task(no)
    assert (task.group, task.name, task.measure) == (group, name, measure)
    assert list(task.lead) == lead
    assert list(task.responsible) == responsible
    assert task.source.startswith(f"附件2 序号{no}；正文第{measure}条")


@pytest.mark.parametrize("measure, lead, support", BODY_UNITS)
def test_body_text_units_are_kept_where_they_differ(measure, lead, support):
    tasks = [t for t in PLAN.tasks if t.measure == measure]
    assert tasks
    for task in tasks:
        assert list(task.body_lead) == lead
        assert list(task.body_support) == support
        assert task.body_differs


def test_only_the_split_and_disputed_tasks_differ_from_the_body_text():
    assert [t.no for t in PLAN.tasks if t.body_differs] == [1, 2, 11, 12, 15]


def test_task_texts_are_the_annex_cells():
    assert PLAN.task(2).text == "鼓励金融机构开发供应链金融产品和融资服务方案。"
    assert PLAN.task(8).text.endswith("新增4艘以上海运船舶。")
    assert PLAN.task(12).text.startswith("依托律师事务所打造西部陆海新通道法律展示中心")


def test_the_eleven_departments():
    assert [d.name for d in PLAN.departments] == [TJ, FG, SW, JX, CZ, CC, WB, SF, KJ, DSJ, GW]
    assert [d.name for d in PLAN.departments if d.group] == [GW]


@pytest.mark.parametrize(
    "written, name",
    [
        ("区交通运输委", TJ),
        ("交通运输委", TJ),
        ("重庆市渝中区交通运输委员会", TJ),
        ("区发改委", FG),
        ("发展改革委", FG),
        ("重庆市渝中区发展和改革委员会", FG),
        ("区经信委", JX),
        ("经济信息委", JX),
        ("区外办", WB),
        ("重庆市渝中区人民政府外事办公室", WB),
        ("区大数据局", DSJ),
        ("区产促局", CC),
        ("区产业发展促进局", CC),
        ("商务委", SW),
        ("财政局", CZ),
        ("司法局", SF),
        ("区科技局", KJ),
        ("管委会", GW),
        ("各管委会", GW),
        ("  区 商务委　", SW),
        ("区交通运输委", TJ),
    ],
)
def test_department_aliases_resolve(written, name):
    assert PLAN.resolve_department(written) == name


@pytest.mark.parametrize("written", ["区教委", "商务", "", "区交通运输委 商务委"])
def test_unknown_departments_do_not_resolve(written):
    assert PLAN.resolve_department(written) is None


@pytest.mark.parametrize(
    "name, target, synonym",
    [("东盟班车", 3000, "东盟公路班车"), ("渝甬班列", 300, "渝甬铁海联运班列"), ("渝穗班列", 100, "渝穗班列")],
)
def test_routes_and_their_annual_targets(name, target, synonym):
    route = PLAN.route(name)
    assert route.annual_target == target
    assert PLAN.resolve_route(synonym) == name
    assert "附件1 序号6" in route.source and "正文第7条" in route.source


def test_a_new_line_is_not_a_known_route():
    assert PLAN.resolve_route("渝新欧班列") is None


@pytest.mark.parametrize(
    "category, target, at_least, source",
    [
        ("LNG动力船舶更新", 4, False, "正文第14条"),
        ("甲醇动力船舶更新", 4, False, "正文第14条"),
        ("滚装船LNG-柴油混合动力改造", 2, False, "正文第14条"),
        ("新增海运船舶", 4, True, "正文第7条；附件2 序号8"),
    ],
)
def test_fleet_categories_and_their_2027_targets(category, target, at_least, source):
    item = PLAN.fleet_category(category)
    assert (item.target, item.at_least, item.unit, item.source) == (target, at_least, "艘", source)
    assert [f.category for f in PLAN.fleet].index(category) >= 0


@pytest.mark.parametrize(
    "name, kind, target, top, unit, at_least",
    [
        ("5A级物流企业数量全市排名", "rank", 1, None, "名", False),
        ("新增5A级物流企业", "cumulative", 1, None, "家", False),
        ("引进全球知名物流企业", "cumulative", 1, 2, "家", False),
        ("“总部+基地”发展模式突破", "milestone", 1, None, "个", False),
        ("国内具备影响力的物流企业", "cumulative", 3, None, "家", True),
        ("规上物流企业新增（三年累计）", "cumulative", 5, None, "家", True),
        ("多式联运营业收入增长（至2027年）", "band", 10, None, "%", False),
        ("规上供应链企业", "cumulative", 2, None, "家", True),
        ("供应链服务产值", "cumulative", 10, None, "亿元", True),
        ("与东盟国家贸易额占比增长", "floor", 5, None, "%", True),
        ("全球知名国际货代物流企业", "cumulative", 3, None, "家", True),
        ("行业智慧化投资", "cumulative", 1, None, "亿元", True),
    ],
)
def test_secondary_goals(name, kind, target, top, unit, at_least):
    goal = PLAN.goal(PLAN.resolve_goal(name))
    assert (goal.kind, goal.target, goal.max, goal.unit, goal.at_least) == (kind, target, top, unit, at_least)


def test_every_secondary_goal_is_listed_once():
    assert len(PLAN.goals) == 12
    assert PLAN.resolve_goal("供应链企业") == "supply_chain_firms"
    assert PLAN.resolve_goal("智慧化投资") == "smart_investment"


def test_thresholds_are_the_design_rules():
    th = PLAN.thresholds
    assert (th.green_ratio, th.yellow_ratio, th.floor_yellow_share) == (1.0, 0.9, 0.9)
    assert (th.band_green_points, th.band_yellow_points) == (1.0, 2.0)


def test_discrepancies_cover_the_known_disagreements():
    titles = " / ".join(d.title for d in PLAN.discrepancies)
    for fragment in ["正文第1条在附件2中拆为两项", "正文第10条在附件2中拆为两项", "配合单位不同",
                     "三个牵头单位", "5家以上", "10%左右"]:
        assert fragment in titles
