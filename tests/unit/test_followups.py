"""Follow-up items (督办事项) without a store: what an item is about, checked against the plan
(and against the made-up second plan), the state its events give, what may follow what, and
its light on a day at every boundary of the rule."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from plan_files import second_plan
from yzlogi.followups.about import parse_about, resolve_unit, resolve_units
from yzlogi.followups.errors import BadAbout, BadDue, BadText, ItemClosed, ItemOpen, UnknownUnit
from yzlogi.followups.lights import CLOSED, CLOSED_LOOK, counts, light_of, light_text
from yzlogi.followups.model import (
    ANSWERED, CLOSED as CLOSE, DUE_CHANGED, RAISED, REOPENED, Event, Item, check_due_after_raise, clean_text,
)
from yzlogi.levels import GREEN, RED, YELLOW
from yzlogi.months import Month
from yzlogi.plan import load_plan

PLAN = load_plan()


def event(n: int, kind: str, day: int, **fields) -> Event:
    return Event(n, 1, kind, datetime(2026, 7, day, 9, n), fields.pop("by", "张三"), **fields)


def make(*events: Event) -> Item:
    return Item(1, "task:8", "task", "任务8 提升通道运力投入强度", ("区交通运输委",), 3, Month(2026, 6), events)


RAISE = event(1, RAISED, 1, text="报送渝穗班列追赶计划", due=date(2026, 7, 15))


# --- what an item is about ------------------------------------------------------------------


@pytest.mark.parametrize("text, key, subject, leads", [
    ("indicator:5:2026", "indicator:5:2026", "指标5 西部陆海新通道运量增速（2026年）", ("区商务委",)),
    ("route:渝穗班列:2026", "route:渝穗班列:2026", "渝穗班列（2026年）", ("区交通运输委",)),
    ("fleet:甲醇动力船舶更新", "fleet:甲醇动力船舶更新", "船舶更新 甲醇动力船舶更新", ("区交通运输委",)),
    ("task:8", "task:8", "任务8 提升通道运力投入强度", ("区交通运输委",)),
    ("task:8:区商务委", "task:8:区商务委", "任务8 提升通道运力投入强度（区商务委）", ("区商务委",)),
    ("task:8:商务委", "task:8:区商务委", "任务8 提升通道运力投入强度（区商务委）", ("区商务委",)),  # an alias
    ("task：14", "task:14", "任务14 引导商贸物流结构化转型", ("区商务委", "区交通运输委")),  # full-width colon; two leads
    ("goal:5a_new", "goal:5a_new", "其他目标 新增5A级物流企业", ("区交通运输委",)),
    ("goal:新增5A级物流企业", "goal:5a_new", "其他目标 新增5A级物流企业", ("区交通运输委",)),
    (" TASK:1 ", "task:1", "任务1 健全政策支持体系", ("区交通运输委",)),
])
def test_what_an_item_is_about_is_read_as_the_exceptions_list_keys_it(text, key, subject, leads):
    about = parse_about(text, PLAN)
    assert (about.key, about.subject, about.leads) == (key, subject, leads)


def test_every_exception_key_of_a_status_names_a_subject_of_the_plan():
    """Alert.key is what the page passes for a red row: every kind the status makes must parse."""
    keys = ["indicator:6:2025", "route:东盟班车:2027", "fleet:新增海运船舶", "task:16", "goal:smart_investment"]
    assert [parse_about(k, PLAN).key for k in keys] == keys


@pytest.mark.parametrize("text, message", [
    ("", "督办事项所涉内容“”的写法不对，应为 indicator:指标编号:年份、route:线路:年份、fleet:船舶类别、task:任务编号、"
         "task:任务编号:单位、goal:目标 之一，如 task:1。"),
    ("task", "督办事项所涉内容“task”的写法不对，应为 indicator:指标编号:年份、route:线路:年份、fleet:船舶类别、task:任务编号、"
             "task:任务编号:单位、goal:目标 之一，如 task:1。"),
    ("ship:1", "督办事项所涉内容“ship:1”的写法不对，应为 indicator:指标编号:年份、route:线路:年份、fleet:船舶类别、"
               "task:任务编号、task:任务编号:单位、goal:目标 之一，如 task:1。"),
    ("indicator:5", "督办事项所涉内容“indicator:5”的写法不对，应为 indicator:指标编号:年份，如 indicator:1:2025。"),
    ("indicator:五:2026", "督办事项所涉内容“indicator:五:2026”中的指标编号“五”应为数字。"),
    ("indicator:9:2026", "计划中没有指标 9（主要指标的编号为 1、2、3、4、5、6、7、8）。"),
    ("indicator:5:2030", "督办事项所涉内容“indicator:5:2030”中的年份 2030 不在计划年度（2025—2027年）内。"),
    ("route:渝穗:2026", "计划中没有线路“渝穗”，您是否要找：渝穗班列？"),
    ("route:中欧班列:2026", "计划中没有线路“中欧班列”（计划中的线路：东盟班车、渝甬班列、渝穗班列）。"),
    ("route:渝穗班列", "督办事项所涉内容“route:渝穗班列”的写法不对，应为 route:线路:年份。"),
    ("fleet:甲醇", "计划中没有船舶类别“甲醇”，您是否要找：甲醇动力船舶更新？"),
    ("task:17", "计划中没有任务 17（重点任务共 16 项，编号 1—16）。"),
    ("task:8:区财政局", "区财政局不是任务8的牵头或责任单位（牵头：区交通运输委；责任：区商务委）。"),
    ("task:8:商务局", "计划中没有部门“商务局”，您是否要找：区商务委？"),
    ("task:8:区商务委:1", "督办事项所涉内容“task:8:区商务委:1”的写法不对，应为 task:任务编号 或 task:任务编号:单位。"),
])
def test_a_subject_the_plan_does_not_have_is_refused_in_chinese(text, message):
    with pytest.raises((BadAbout, UnknownUnit)) as refused:
        parse_about(text, PLAN)
    assert str(refused.value) == message


def test_the_second_plan_has_its_own_subjects_and_no_fleet():
    plan = second_plan()
    assert parse_about("route:中欧班列:2028", plan).subject == "中欧班列（2028年）"
    assert parse_about("task:2", plan).leads == ("市商务局",)
    assert parse_about("task:4:区县", plan).key == "task:4:各区县"
    with pytest.raises(BadAbout) as refused:
        parse_about("fleet:甲醇动力船舶更新", plan)
    assert str(refused.value) == "计划中没有船舶更新目标。"
    with pytest.raises(BadAbout) as refused:
        parse_about("indicator:1:2025", plan)
    assert str(refused.value) == "督办事项所涉内容“indicator:1:2025”中的年份 2025 不在计划年度（2026—2028年）内。"
    with pytest.raises(BadAbout) as refused:
        parse_about("nothing", plan)
    assert "fleet:" not in str(refused.value) and "route:线路:年份" in str(refused.value)


def test_units_are_named_by_alias_once_each_and_default_to_the_leads():
    about = parse_about("task:9", PLAN)
    assert resolve_units(PLAN, [], about) == ("区商务委",)
    assert resolve_units(PLAN, ["交通委", "区交通运输委", "商务委"], about) == ("区交通运输委", "区商务委")
    assert resolve_unit(PLAN, "重庆市渝中区商务委员会") == "区商务委"
    with pytest.raises(UnknownUnit) as refused:
        resolve_units(PLAN, ["区交通运输委", "商务局"], about)
    assert str(refused.value) == "计划中没有部门“商务局”，您是否要找：区商务委？"
    with pytest.raises(UnknownUnit) as refused:
        resolve_unit(PLAN, "气象局局")
    assert str(refused.value) == "计划中没有部门“气象局局”。"


# --- the state its events give ---------------------------------------------------------------


def test_a_raised_item_is_open_with_its_due_date_and_no_answer():
    item = make(RAISE)
    assert (item.requirement, item.raised_by, item.due, item.is_closed, item.last_answer, item.close_requested) == (
        "报送渝穗班列追赶计划", "张三", date(2026, 7, 15), False, None, False)


def test_state_is_read_from_the_events_in_order():
    answer = event(2, ANSWERED, 3, text="已起草", by="李四", unit="区交通运输委")
    asks = event(3, ANSWERED, 8, text="已报送", by="李四", request_close=True)
    moved = event(4, DUE_CHANGED, 9, due=date(2026, 7, 31), text="等待审定", by="王五")
    closed = event(5, CLOSE, 10, text="同意销号", by="王五")
    item = make(RAISE, answer, asks, moved)
    assert (item.due, item.last_answer.text, item.close_requested, item.is_closed) == (date(2026, 7, 31), "已报送",
                                                                                       True, False)
    done = make(RAISE, answer, asks, moved, closed)
    assert (done.is_closed, done.closed_event.by, done.close_requested) == (True, "王五", False)
    reopened = make(RAISE, answer, asks, moved, closed, event(6, REOPENED, 11, text="数据有误", by="王五"))
    assert (reopened.is_closed, reopened.closed_event, reopened.close_requested, reopened.due) == (
        False, None, False, date(2026, 7, 31))  # the request was answered by the close: a new one is needed
    again = make(*reopened.events, event(7, CLOSE, 12, by="赵六"))
    assert again.closed_event.by == "赵六"


def test_an_item_as_it_stood_at_a_moment_has_only_the_events_recorded_by_then():
    closed = event(2, CLOSE, 10)
    item = make(RAISE, closed)
    assert item.until(datetime(2026, 7, 9, 23, 59)).events == (RAISE,)
    assert item.until(datetime(2026, 7, 10, 9, 2)) is item
    assert item.until(datetime(2026, 6, 30)) is None  # not raised yet


@pytest.mark.parametrize("events, action, error, message", [
    ((RAISE, event(2, CLOSE, 10, by="王五")), "answer", ItemClosed,
     "督办事项 1（任务8 提升通道运力投入强度）已办结（2026-07-10 由王五销号），不能再反馈；如需继续办理，请先重新打开。"),
    ((RAISE, event(2, CLOSE, 10, by="王五")), "close", ItemClosed,
     "督办事项 1（任务8 提升通道运力投入强度）已办结（2026-07-10 由王五销号），无需再次销号。"),
    ((RAISE,), "reopen", ItemOpen, "督办事项 1（任务8 提升通道运力投入强度）尚未办结，无需重新打开。"),
    ((RAISE, event(2, CLOSE, 10, by="王五")), "due", ItemClosed,
     "督办事项 1（任务8 提升通道运力投入强度）已办结（2026-07-10 由王五销号），不能调整期限；如需继续办理，请先重新打开。"),
])
def test_what_may_not_follow_is_refused_in_chinese(events, action, error, message):
    item = make(*events)
    check = {"answer": item.check_answer, "close": item.check_close, "reopen": item.check_reopen,
             "due": lambda: item.check_due(date(2026, 8, 1))}[action]
    with pytest.raises(error) as refused:
        check()
    assert str(refused.value) == message


def test_a_due_date_before_the_raise_date_or_unchanged_is_refused():
    with pytest.raises(BadDue) as refused:
        check_due_after_raise(date(2026, 6, 30), date(2026, 7, 1))
    assert str(refused.value) == "截止日期 2026年6月30日 早于交办日期 2026年7月1日，请改为交办当天或之后的日期。"
    check_due_after_raise(date(2026, 7, 1), date(2026, 7, 1))  # the same day is allowed
    item = make(RAISE)
    with pytest.raises(BadDue) as refused:
        item.check_due(date(2026, 6, 30))
    assert str(refused.value).startswith("截止日期 2026年6月30日 早于交办日期 2026年7月1日")
    with pytest.raises(BadDue) as refused:
        item.check_due(date(2026, 7, 15))
    assert str(refused.value) == "督办事项 1（任务8 提升通道运力投入强度）的截止日期已是 2026年7月15日，未修改。"


def test_texts_are_trimmed_and_refused_when_empty_or_too_long():
    assert clean_text("  报送计划 \n", "督办要求", required=True) == "报送计划"
    assert clean_text(None, "销号说明", required=False) == ""
    with pytest.raises(BadText) as refused:
        clean_text(" \t", "督办要求", required=True)
    assert str(refused.value) == "督办要求不能为空。"
    with pytest.raises(BadText) as refused:
        clean_text("字" * 2001, "办理情况", required=True)
    assert str(refused.value) == "办理情况过长（2001 字），请精简到 2000 字以内。"


# --- its light on a day ----------------------------------------------------------------------------


@pytest.mark.parametrize("day, level, text", [
    (date(2026, 7, 1), GREEN, "截止 2026年7月15日，还剩 14 天 → 绿灯"),
    (date(2026, 7, 7), GREEN, "截止 2026年7月15日，还剩 8 天 → 绿灯"),
    (date(2026, 7, 8), YELLOW, "截止 2026年7月15日，还剩 7 天 → 黄灯"),
    (date(2026, 7, 14), YELLOW, "截止 2026年7月15日，还剩 1 天 → 黄灯"),
    (date(2026, 7, 15), YELLOW, "截止 2026年7月15日，今天到期 → 黄灯"),
    (date(2026, 7, 16), RED, "截止 2026年7月15日，已逾期 1 天 → 红灯"),
    (date(2026, 7, 18), RED, "截止 2026年7月15日，已逾期 3 天 → 红灯"),
])
def test_an_open_items_light_at_each_boundary_of_the_rule(day, level, text, monkeypatch):
    monkeypatch.delenv("YZLOGI_FOLLOWUP_DUE_SOON_DAYS", raising=False)
    light = light_of(make(RAISE), day)
    assert (light.level, light.text, light.state) == (level, text, {GREEN: "办理中", YELLOW: "临期", RED: "逾期"}[level])


def test_the_due_soon_window_is_the_setting(monkeypatch):
    monkeypatch.setenv("YZLOGI_FOLLOWUP_DUE_SOON_DAYS", "3")
    assert light_of(make(RAISE), date(2026, 7, 11)).level == GREEN
    assert light_of(make(RAISE), date(2026, 7, 12)).level == YELLOW
    monkeypatch.setenv("YZLOGI_FOLLOWUP_DUE_SOON_DAYS", "0")
    assert light_of(make(RAISE), date(2026, 7, 14)).level == GREEN
    assert light_of(make(RAISE), date(2026, 7, 15)).level == YELLOW
    assert light_of(make(RAISE), date(2026, 7, 8), soon_days=7).level == YELLOW  # given wins


def test_a_closed_item_is_closed_whatever_the_day_and_looks_like_no_colour_light():
    item = make(RAISE, event(2, CLOSE, 20, by="王五"))
    for day in (date(2026, 7, 1), date(2026, 7, 20), date(2027, 1, 1)):
        light = light_of(item, day)
        assert (light.level, light.text, light.state) == (CLOSED, "2026年7月20日由王五销号 → 已办结", "已办结")
    assert (light.label, light.name, light.mark, light.colour) == ("办结", "已办结", "✓", "#546E7A")
    assert CLOSED_LOOK.colour not in {"#2E7D32", "#F9A825", "#C62828", "#9E9E9E"}
    assert [light_text(k) for k in (RED, YELLOW, GREEN, CLOSED)] == ["■ 红", "▲ 黄", "● 绿", "✓ 办结"]


def test_a_moved_due_date_moves_the_light():
    item = make(RAISE, event(2, DUE_CHANGED, 10, due=date(2026, 7, 31)))
    assert light_of(item, date(2026, 7, 18)).text == "截止 2026年7月31日，还剩 13 天 → 绿灯"


def test_counts_are_in_the_order_overdue_due_soon_open_closed():
    assert counts([RED, CLOSED, RED, GREEN]) == {"red": 2, "yellow": 0, "green": 1, "closed": 1}
    assert list(counts([])) == ["red", "yellow", "green", "closed"]
