"""Issue 14: the return forms' rows (yzlogi.forms), on a record built row by row."""

from __future__ import annotations

from versions import ind, make_data, report, runs
from yzlogi.forms import record_rows, unit_rows
from yzlogi.months import Month
from yzlogi.plan import load_plan

PLAN = load_plan()
JUNE = Month(2026, 6)
INDUSTRY = "区产业发展促进局"  # leads tasks 2 and 11
COMMERCE = "区商务委"  # leads indicators 5 and 8 (and its register of forwarders), supports most tasks

RECORD = make_data(
    tasks=[
        report(2, INDUSTRY, "2026-04", "序时推进", progress=30.0, progress_text="起草中"),
        report(2, INDUSTRY, "2026-05", "滞后", progress=40.0, progress_text="征求意见", problems="意见分歧",
               next_steps="协调"),
        report(11, INDUSTRY, "2026-04", "已完成", progress=100.0),
        report(2, COMMERCE, "2026-06", "序时推进", progress=50.0),
    ],
    indicators=[ind(8, "2026-06", 66.0, department=COMMERCE), ind(5, "2026-05", 9.5, department=COMMERCE)],
    routes=[runs("东盟班车", "2026-05", 250)],
    forwarders=[{"name": "重庆某国际货运代理有限公司", "registered": "2026-03", "global_famous": True}],
)


def test_a_units_form_carries_its_latest_report_into_the_month_and_drops_what_it_finished():
    rows = unit_rows(PLAN, RECORD, INDUSTRY, JUNE)
    assert rows["tasks"] == [
        {"task_no": 2, "department": INDUSTRY, "month": "2026-06", "status": "滞后", "progress": 40.0,
         "progress_text": "征求意见", "problems": "意见分歧", "next_steps": "协调"},
    ]  # task 11 was reported 已完成 in April: nothing more to report
    assert {key: value for key, value in rows.items() if key != "tasks"} == {
        "indicators": [], "routes": [], "ships": [], "goals": [], "warehouses": [], "forwarders": [], "feedback": []}


def test_a_units_form_holds_its_figures_for_the_month_blank_until_sent_and_its_register():
    rows = unit_rows(PLAN, RECORD, COMMERCE, JUNE)
    assert rows["indicators"] == [
        # May's 9.5 is not carried into June: a figure is never copied forward.
        {"indicator_no": 5, "indicator_name": "西部陆海新通道运量增速", "month": "2026-06", "department": COMMERCE},
        {"indicator_no": 8, "indicator_name": "国际货代备案企业数量", "month": "2026-06", "value": 66,
         "department": COMMERCE, "note": None},
    ]
    assert rows["forwarders"] == [{"name": "重庆某国际货运代理有限公司", "registered": "2026-03", "global_famous": "是"}]
    # Its own report of June is what its form shows for task 2; every other task it supports starts blank.
    tasks = {row["task_no"]: row for row in rows["tasks"]}
    assert tasks[2]["status"] == "序时推进" and tasks[2]["progress"] == 50.0
    assert tasks[8] == {"task_no": 8, "department": COMMERCE, "month": "2026-06"}
    assert sorted(tasks) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert rows["routes"] == []  # it leads no route


def test_the_record_form_is_the_record_and_the_months_missing_rows():
    rows = record_rows(PLAN, RECORD, JUNE)
    assert rows["routes"] == [
        {"route": "东盟班车", "month": "2026-05", "runs": 250, "note": None},
        {"route": "东盟班车", "month": "2026-06"}, {"route": "渝甬班列", "month": "2026-06"},
        {"route": "渝穗班列", "month": "2026-06"}]
    june = [(r["task_no"], r["department"]) for r in rows["tasks"] if r["month"] == "2026-06"]
    assert (2, COMMERCE) in june and june.count((2, COMMERCE)) == 1  # reported already: not added again
    assert (11, INDUSTRY) not in june  # finished
    assert len(june) == 47 - 1  # every task × unit of the plan but the finished one
    # Indicators: the record's rows, then June's rows of the indicators due in June it does not hold.
    assert [(r["indicator_no"], r["month"], r.get("value")) for r in rows["indicators"]] == [
        (8, "2026-06", 66), (5, "2026-05", 9.5), (1, "2026-06", None), (2, "2026-06", None), (3, "2026-06", None),
        (4, "2026-06", None), (5, "2026-06", None), (7, "2026-06", None)]
