"""Issue 14: 报送情况 (yzlogi.returns) on versions whose commit times are known.

区产业发展促进局 owes tasks 2 and 11 each month; its rows say which version first carried
them (first_version), and each version's commit time is fixed here, so every state,
light and sentence is pinned."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from versions import make_data, report, version
from yzlogi.months import Month
from yzlogi.plan import load_plan
from yzlogi.returns import chase_text, compute_returns, due_date, owed_month

PLAN = load_plan()
UNIT = "区产业发展促进局"  # leads tasks 2 and 11
JUNE = Month(2026, 6)
# v1 the bundled sample; v2 the record brought in when the dashboard took over (its report times
# unknown); v3 committed before the deadline of June's returns (7月5日), v4 after it.
VERSIONS = {
    1: dataclasses.replace(version(1, sample=True), committed_at=datetime(2026, 1, 1, 8, 0)),
    2: dataclasses.replace(version(2), committed_at=datetime(2026, 7, 20, 10, 0)),
    3: dataclasses.replace(version(3), committed_at=datetime(2026, 7, 3, 9, 30)),
    4: dataclasses.replace(version(4), committed_at=datetime(2026, 7, 8, 16, 0)),
}


def unit_return(rows, today=date(2026, 7, 10), month=JUNE, deadline_day=5):
    returns = compute_returns(PLAN, make_data(tasks=rows), VERSIONS, month, deadline_day, today)
    return returns.unit(UNIT)


def sent(task, first, month="2026-06", status="序时推进", **extra):
    return report(task, UNIT, month, status, first_version=first, from_version=extra.pop("from_version", first),
                  **extra)


def test_everything_sent_by_the_deadline_is_on_time_and_green():
    unit = unit_return([sent(2, 3), sent(11, 3)])
    assert [(item.key, item.sent, item.sent_at) for item in unit.owed] == [
        ("task:2", True, datetime(2026, 7, 3, 9, 30)), ("task:11", True, datetime(2026, 7, 3, 9, 30))]
    assert (unit.state, unit.light.level) == ("on_time", "green")
    assert unit.light.text == "2026年6月应报 2 项，已全部报送，7月3日报齐（截止 7月5日）→ 绿灯"


def test_the_last_row_after_the_deadline_makes_it_late_and_yellow():
    unit = unit_return([sent(2, 3), sent(11, 4)])
    assert (unit.state, unit.light.level, unit.first_sent_at, unit.last_sent_at) == (
        "late", "yellow", datetime(2026, 7, 3, 9, 30), datetime(2026, 7, 8, 16, 0))
    assert unit.light.text == "2026年6月应报 2 项，7月8日报齐，晚于7月5日 → 黄灯"


def test_a_row_corrected_after_the_deadline_was_still_sent_on_time():
    unit = unit_return([sent(2, 3), sent(11, 3, from_version=4, status="滞后")])
    assert unit.state == "on_time"


@pytest.mark.parametrize("today, level, text", [
    (date(2026, 7, 4), "yellow", "2026年6月应报 2 项，已报 1 项（截止 7月5日）→ 黄灯"),
    (date(2026, 7, 6), "red", "2026年6月应报 2 项，已报 1 项（截止 7月5日，已逾期）→ 红灯"),
])
def test_part_of_it_is_yellow_before_the_deadline_and_red_after(today, level, text):
    unit = unit_return([sent(2, 3)], today=today)
    assert (unit.state, unit.light.level, unit.light.text) == ("partial", level, text)
    assert [item.title for item in unit.unsent] == ["任务11 丰富通道服务类别"]


@pytest.mark.parametrize("today, level, text", [
    (date(2026, 7, 5), "grey", "2026年6月应报 2 项，尚未报送（截止 7月5日）→ 灰灯（未报送）"),
    (date(2026, 7, 6), "red", "2026年6月应报 2 项，尚未报送（截止 7月5日，已逾期）→ 红灯"),
])
def test_nothing_sent_is_grey_until_the_deadline_passes_then_red(today, level, text):
    unit = unit_return([sent(2, 3, month="2026-05")], today=today)  # May's row is not June's
    assert (unit.state, unit.light.level, unit.light.text) == ("missing", level, text)


def test_a_task_reported_finished_is_owed_no_more():
    unit = unit_return([sent(2, 3, month="2026-05", status="已完成"), sent(11, 3)])
    assert [item.key for item in unit.owed] == ["task:11"] and unit.state == "on_time"
    # … but the month it was finished in, it was owed.
    assert [item.key for item in unit_return([], month=Month(2026, 5)).owed] == ["task:2", "task:11"]


@pytest.mark.parametrize("first", [1, 2], ids=["the sample", "the first real version"])
def test_rows_whose_report_time_is_unknown_count_as_sent_on_time(first):
    unit = unit_return([sent(2, first), sent(11, first)])
    assert (unit.state, unit.last_sent_at) == ("on_time", None)
    assert unit.light.text == "2026年6月应报 2 项，已全部报送（截止 7月5日）→ 绿灯"


def test_quarterly_figures_are_owed_in_the_quarters_last_month_only():
    lead = "区交通运输委"  # leads indicator 1 (quarterly) and 2 (monthly)
    owed = {m: [i.key for i in compute_returns(PLAN, make_data(), VERSIONS, Month(2026, m), 5,
                                              date(2026, 12, 1)).unit(lead).owed if i.section == "indicator"]
            for m in (5, 6)}
    assert owed == {5: ["indicator:2", "indicator:3", "indicator:4", "indicator:7"],
                    6: ["indicator:1", "indicator:2", "indicator:3", "indicator:4", "indicator:7"]}


def test_the_deadline_is_day_n_of_the_next_month_at_most_its_last_day():
    assert due_date(JUNE, 5) == date(2026, 7, 5)
    assert due_date(Month(2027, 1), 31) == date(2027, 2, 28)
    assert due_date(Month(2026, 12), 10) == date(2027, 1, 10)
    unit = unit_return([sent(2, 3), sent(11, 4)], deadline_day=10)  # v4 on 7月8日 is in time for the 10th
    assert unit.state == "on_time"


def test_the_month_being_reported_is_last_month_within_the_plan():
    assert owed_month(date(2026, 7, 3), PLAN) == JUNE
    assert owed_month(date(2026, 1, 2), PLAN) == Month(2025, 12)
    assert owed_month(date(2024, 3, 1), PLAN) == Month(2025, 1)
    assert owed_month(date(2028, 6, 1), PLAN) == Month(2027, 12)


def test_the_chase_text_names_who_owes_what_and_by_when():
    rows = [sent(2, 3), sent(11, 3)]
    before = compute_returns(PLAN, make_data(tasks=rows), VERSIONS, JUNE, 5, date(2026, 7, 3))
    assert [u.unit for u in before.to_chase] == ["区交通运输委", "区发展改革委", "区商务委", "区经济信息委", "区财政局",
                                                 "区政府外办", "区司法局", "区科技局", "区大数据发展局", "各管委会"]
    text = chase_text(before)
    assert text.startswith("截至7月3日，以下单位尚未报送2026年6月进展：区交通运输委（任务1、任务3、")
    assert "；区财政局（任务1）；" in text and "东盟班车开行班次" in text
    assert text.endswith("；各管委会（任务3、任务13）。请于7月5日前报送。")
    after = compute_returns(PLAN, make_data(tasks=rows), VERSIONS, JUNE, 5, date(2026, 7, 9))
    assert chase_text(after).endswith("。报送截止日期（7月5日）已过，请尽快报送。")


def test_nobody_owing_anything_says_so():
    returns = compute_returns(PLAN, make_data(), VERSIONS, JUNE, 5, date(2026, 7, 3))
    everyone = dataclasses.replace(returns, units=tuple(u for u in returns.units if u.unit == "nobody"))
    assert chase_text(everyone) == "截至7月3日，各单位均已报送2026年6月进展。"


def test_returns_json_has_the_documented_fields():
    data = compute_returns(PLAN, make_data(tasks=[sent(2, 3)]), VERSIONS, JUNE, 5, date(2026, 7, 6)).to_json()
    assert (data["month"], data["due"], data["today"]) == ("2026-06", "2026-07-05", "2026-07-06")
    mine = next(u for u in data["units"] if u["unit"] == UNIT)
    assert mine == {
        "unit": UNIT, "owed": 2, "sent": 1, "first_sent_at": "2026-07-03T09:30:00", "last_sent_at": "2026-07-03T09:30:00",
        "state": "partial", "level": "red", "explanation": "2026年6月应报 2 项，已报 1 项（截止 7月5日，已逾期）→ 红灯",
        "unsent": ["任务11 丰富通道服务类别"],
        "items": [{"section": "task", "key": "task:2", "title": "任务2 健全政策支持体系", "sent": True,
                   "sent_at": "2026-07-03T09:30:00"},
                  {"section": "task", "key": "task:11", "title": "任务11 丰富通道服务类别", "sent": False,
                   "sent_at": None}],
    }
    assert data["counts"] == {"on_time": 0, "late": 0, "partial": 1, "missing": 10}
