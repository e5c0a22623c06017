"""The units' ranking (双亮牌, yzlogi.ranking): red items first, then yellow, then reporting, ties
sharing a rank, and each unit's change against the previous version's ranking."""

from __future__ import annotations

from datetime import date

from versions import make_data, report
from yzlogi.levels import GREEN, GREY, RED, YELLOW
from yzlogi.months import Month
from yzlogi.plan import load_plan
from yzlogi.ranking import Change, rank_units, with_changes
from yzlogi.returns import LATE, MISSING, ON_TIME, PARTIAL, Owed, Returns, UnitReturn
from yzlogi.status import Light, compute_status

PLAN = load_plan()
MARCH = Month(2025, 3)  # early in the plan: ships and runs not yet due, so only the task reports light up


def status(*rows):
    return compute_status(PLAN, make_data(tasks=list(rows)), MARCH)


def _return(unit: str, state: str, owed: int, sent: int, level: str) -> UnitReturn:
    items = tuple(Owed("task", f"task:{n}", f"任务{n}", None, n < sent) for n in range(owed))
    return UnitReturn(unit, items, state, Light(level, "…"), None, None)


BEFORE = status(report(8, "区交通运输委", "2025-03", "滞后"), report(8, "区商务委", "2025-03", "序时推进"),
                report(9, "区商务委", "2025-03", "序时推进"))
NOW = status(report(8, "区交通运输委", "2025-03", "序时推进"), report(8, "区商务委", "2025-03", "未启动"),
             report(9, "区商务委", "2025-03", "滞后"))


def test_units_with_more_red_then_more_yellow_items_come_first_and_the_rest_share_a_rank():
    ranked = rank_units(NOW, PLAN, None)
    assert [(r.rank, r.unit, r.red, r.yellow) for r in ranked[:3]] == [
        (1, "区商务委", 1, 1), (2, "区交通运输委", 0, 1), (3, "区发展改革委", 0, 0)]
    assert ranked[0].items == ("任务9 发挥通道联动作用（牵头）", "任务8 提升通道运力投入强度（责任单位）")
    assert ranked[1].items == ("任务8 提升通道运力投入强度（牵头）",)
    # Nothing red or yellow and no returns given: equal, in the plan's order, one shared rank.
    assert [r.unit for r in ranked[2:]] == [d.name for d in PLAN.departments if d.name not in ("区商务委", "区交通运输委")]
    assert {r.rank for r in ranked[2:]} == {3}
    assert {r.reporting_text for r in ranked} == {"无应报"}


def test_reporting_orders_units_equal_on_lights_and_is_written_with_what_was_sent():
    returns = Returns(MARCH, date(2025, 4, 5), date(2025, 4, 10), (
        _return("区财政局", ON_TIME, 1, 1, GREEN), _return("区科技局", MISSING, 1, 0, RED),
        _return("区司法局", PARTIAL, 5, 4, RED), _return("区政府外办", LATE, 2, 2, YELLOW),
    ))
    ranked = rank_units(NOW, PLAN, returns)
    assert [(r.rank, r.unit, r.reporting_text, r.reporting_level) for r in ranked[2:6]] == [
        (3, "区科技局", "尚未报送", RED), (4, "区司法局", "部分报送 4/5", RED), (5, "区政府外办", "逾期报送", YELLOW),
        (6, "区发展改革委", "无应报", None)]
    # On time ranks with owing nothing: 区财政局 keeps its place in the plan's order among them.
    assert [r.unit for r in ranked[6:]] == ["区经济信息委", "区财政局", "区产业发展促进局", "区大数据发展局", "各管委会"]
    assert {r.rank for r in ranked[6:]} == {6}
    assert GREY not in {r.reporting_level for r in ranked}


def test_the_change_since_the_previous_version():
    before = rank_units(BEFORE, PLAN, None)
    assert [(r.rank, r.unit, r.red, r.yellow) for r in before[:2]] == [(1, "区交通运输委", 1, 0), (2, "区发展改革委", 0, 0)]
    ranked = with_changes(rank_units(NOW, PLAN, None), before)
    assert ranked[0].change == Change(places=1, red=1, yellow=1, previous_rank=2)
    assert ranked[0].change.text() == "↑1，红 +1，黄 +1"
    assert ranked[1].change == Change(places=-1, red=-1, yellow=1, previous_rank=1)
    assert ranked[1].change.text() == "↓1，红 −1，黄 +1"
    assert ranked[2].change.text() == "↓1"  # 区发展改革委: second before, third now (two units ahead)
    assert with_changes(ranked, None) == ranked


def test_an_unchanged_unit_reads_level():
    same = with_changes(rank_units(NOW, PLAN, None), rank_units(NOW, PLAN, None))
    assert {r.change.text() for r in same} == {"持平"}
