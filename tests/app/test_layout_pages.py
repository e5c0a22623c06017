"""Issue 16 (2, 3): the pages' tables are HTML that wraps, and on a phone 部门详情 and 总览 read
as cards and a one-row strip of counts (ui.htmltable, ui.cards, ui.layout). The browser side
(widths, rows, heights) is tests/e2e/test_layout.py; here the content, pinned on the sample."""

from page_helpers import cards, tables
from ui.nav import PAGES

ALERTS_COMMERCE = [
    ["■ 红 指标5 西部陆海新通道运量增速（2026年）", "类别 主要指标", "原因：目标 10%以上，实际 7.7%（< 9%）→ 红灯"],
    ["■ 红 任务9 发挥通道联动作用（牵头）", "类别 重点任务",
     "原因：取牵头单位和已报送责任单位中最差：区商务委 红，区交通运输委 绿，区发展改革委 绿 → 红灯"],
    ["▲ 黄 指标8 国际货代备案企业数量（2026年）", "类别 主要指标",
     "原因：序时进度 68（基数 60，取2025年12月实际值；60 + 10 × 10/12 = 68.33，按整家计），实际 65，完成序时进度 95.5% → 黄灯"],
    ["▲ 黄 任务2 健全政策支持体系（责任单位）", "类别 重点任务", "原因：2026年10月报送“未启动” → 黄灯"],
    ["▲ 黄 其他目标 与东盟国家贸易额占比增长", "类别 其他目标", "原因：目标 5%以上，实际 4.8%（2026年9月）（≥ 4.5%）→ 黄灯"],
]


def test_the_department_page_for_the_commerce_committee_reads_as_cards(app):
    at = app("pages/department.py", query={"dept": "区商务委"})
    assert not at.exception
    shown = cards(at)
    assert [len(c) for c in shown] == [5, 3, 10, 5]  # red/yellow, led tasks, supported tasks, indicators
    alerts, led, supported, indicators = shown
    assert alerts == ALERTS_COMMERCE
    assert led[0] == [
        "任务灯 ■ 红 本单位 ■ 红 9 发挥通道联动作用", "滞后 · 完成进度 48% · 2026年10月", "进展、问题、下步",
        "进展情况：组织企业与果园港、江北机场等节点对接，开展货源组织2次。",
        "存在问题：西部陆海新通道货源组织难度加大，运量增速低于目标。",
        "下步计划：加强与通道沿线地区货源对接，争取重点企业货量回流。"]
    assert [card[0] for card in supported[:3]] == [
        "任务灯 ▲ 黄 本单位 ▲ 黄 2 健全政策支持体系", "任务灯 ■ 红 本单位 ● 绿 8 提升通道运力投入强度",
        "任务灯 ▲ 黄 本单位 ● 绿 11 丰富通道服务类别"]
    assert indicators[0] == ["■ 红 5. 西部陆海新通道运量增速", "角色 牵头单位 · 目标 10%以上 · 完成值 7.7%",
                             "说明：目标 10%以上，实际 7.7%（< 9%）→ 红灯"]
    # The same rows as the wide screen's tables: one card per row.
    assert [len(t) for t in tables(at)] == [5, 3, 10, 5]


def test_the_overview_lists_every_red_and_yellow_item_as_a_card(app):
    at = app("pages/overview.py")
    assert not at.exception
    exceptions, routes, fleet = cards(at)
    assert len(exceptions) == 15 and len(routes) == 3 and len(fleet) == 4
    assert exceptions[0] == ["■ 红 指标5 西部陆海新通道运量增速（2026年）", "类别 主要指标 · 牵头单位 区商务委",
                             "原因：目标 10%以上，实际 7.7%（< 9%）→ 红灯"]
    assert [card[0] for card in exceptions[-2:]] == ["▲ 黄 其他目标 供应链服务产值", "▲ 黄 其他目标 与东盟国家贸易额占比增长"]
    assert routes[0][0].startswith("灯 ")  # two lights: each badge names its column
    assert routes[0][0].split(" 三年灯 ")[0] in {"灯 ■ 红", "灯 ▲ 黄", "灯 ● 绿", "灯 ○ 灰"}


def test_no_page_draws_a_canvas_grid_in_normal_mode(app):
    """Every table of every page wraps its text: none is an st.dataframe, which cuts cells."""
    for spec in PAGES:
        at = app(spec.path, query={"dept": "区商务委"} if spec.url_path == "department" else None)
        assert not at.exception, spec.path
        assert len(at.dataframe) == 0, spec.path
        assert len(at.table) == 0 or spec.url_path == "data", spec.path  # 数据管理's dictionary: st.table
