"""Issue 14: an upload adds to the record (yzlogi.merge), without a store.

The record before is what a first upload makes; each test then sends a second
upload and pins, row by row, what the merged record holds and what is said of it."""

from __future__ import annotations

import pytest

from store_helpers import parsed_workbook, rows
from yzlogi.merge import MERGE, REPLACE, merge
from yzlogi.plan import load_plan

PLAN = load_plan()


def upload(tables: dict[str, list[dict]], withdraw: dict[str, list[bool]] | None = None):
    """A parsed upload; `withdraw` marks rows 删除 (the reader's `withdraw` column) per sheet."""
    marked = {key: [dict(row, withdraw=mark) for row, mark in zip(rows_, (withdraw or {}).get(key, [False] * len(rows_)))]
              for key, rows_ in tables.items()}
    return parsed_workbook(marked)


def first_record():
    """Version 1: the small workbook of store_helpers (2 indicators, 3 route rows, 2 ships, 2 task reports)."""
    return merge(PLAN, None, None, upload(rows()), MERGE, 1).tables


def table_rows(result, key: str, *columns: str) -> list[tuple]:
    table = result.tables[key]
    return sorted(zip(*(table.column(c).to_pylist() for c in columns)), key=repr)


JULY_TASK = {"task_no": 1, "department": "区交通运输委", "month": "2026-07", "status": "序时推进", "progress": 60.0,
             "progress_text": "政策印发", "problems": None, "next_steps": None}


def test_a_one_month_upload_adds_its_rows_and_keeps_every_other_row():
    result = merge(PLAN, first_record(), 1, upload({"tasks": [JULY_TASK]}), MERGE, 2)
    assert table_rows(result, "tasks", "task_no", "month", "status") == [
        (1, "2026-06", "序时推进"), (1, "2026-07", "序时推进"), (8, "2026-06", "滞后")]
    assert result.tables["routes"].num_rows == 3 and result.tables["ships"].num_rows == 2
    assert result.tables["indicators"].num_rows == 2
    tasks = result.sheet("tasks")
    assert (tasks.before, tasks.added, tasks.changed, tasks.resent, tasks.kept, tasks.removed) == (2, 1, 0, 0, 2, 0)
    assert result.sheet("routes").kept == 3 and result.sheet("routes").after == 3
    assert not result.needs_confirmation


def test_a_key_sent_again_is_updated_and_keeps_when_it_was_first_sent():
    changed = dict(rows()["routes"][0], runs=251)  # 东盟班车 2026-05: 250 → 251
    same = rows()["routes"][1]  # 东盟班车 2026-06, sent again as it was
    result = merge(PLAN, first_record(), 1, upload({"routes": [changed, same]}), MERGE, 2)
    assert table_rows(result, "routes", "route", "month", "runs", "first_version", "from_version") == [
        ("东盟班车", "2026-05", 251, 1, 2), ("东盟班车", "2026-06", 260, 1, 2), ("渝新欧班列", "2026-06", 3, 1, 1)]
    routes = result.sheet("routes")
    assert (routes.added, routes.changed, routes.resent, routes.kept) == (0, 1, 1, 1)
    assert routes.line(MERGE) == "通道班次：新增 0 行，修改 1 行，重复报送未变 1 行，保留 1 行"


def test_a_row_marked_for_deletion_withdraws_its_key_and_an_unknown_one_is_named():
    ships = [dict(rows()["ships"][1]), {"ship_name": "渝中LNG99", "category": "LNG动力船舶更新"}]
    result = merge(PLAN, first_record(), 1, upload({"ships": ships}, {"ships": [True, True]}), MERGE, 2)
    assert table_rows(result, "ships", "ship_name") == [("渝中LNG01",)]
    sheet = result.sheet("ships")
    assert (sheet.withdrawn, sheet.kept, sheet.not_found) == (1, 1, ("渝中LNG99",))
    assert result.lines() == [
        "指标进展：新增 0 行，修改 0 行，保留 2 行",
        "通道班次：新增 0 行，修改 0 行，保留 3 行",
        "船舶更新：新增 0 行，修改 0 行，保留 1 行，撤回 1 行",
        "任务进展：新增 0 行，修改 0 行，保留 2 行",
        "船舶更新：要删除的 1 行不在当前数据中，已忽略（渝中LNG99）",
        "本次上传涉及单位：区交通运输委",
    ]


def test_a_replace_keeps_only_the_upload_and_counts_what_goes():
    result = merge(PLAN, first_record(), 1, upload({"tasks": [JULY_TASK]}), REPLACE, 2)
    assert table_rows(result, "tasks", "task_no", "month") == [(1, "2026-07")]
    assert result.tables["routes"].num_rows == 0
    assert {s.key: s.removed for s in result.sheets if s.removed} == {"indicators": 2, "routes": 3, "ships": 2,
                                                                       "tasks": 2}
    assert result.needs_confirmation
    assert result.lines()[0] == "全部替换：导入后的版本只含本次上传的数据，未上传的行将被删除"
    assert "任务进展：新增 1 行，修改 0 行，保留 0 行，删除 2 行" in result.lines()


def test_a_replace_that_drops_a_fifth_or_less_of_every_sheet_needs_no_typed_confirmation():
    tables = rows()
    everything_but_one_route = {**tables, "routes": tables["routes"][:2] + [
        {"route": "东盟班车", "month": "2026-07", "runs": 255, "note": None, "is_new": False}]}
    # 1 of 3 routes goes (a third): confirmation needed; the same upload with the row kept: none.
    assert merge(PLAN, first_record(), 1, upload(everything_but_one_route), REPLACE, 2).needs_confirmation
    assert not merge(PLAN, first_record(), 1, upload(tables), REPLACE, 2).needs_confirmation


def test_the_bundled_sample_is_replaced_whole_by_the_first_real_upload():
    result = merge(PLAN, first_record(), 1, upload({"tasks": [JULY_TASK]}), MERGE, 2, base_is_sample=True)
    assert result.replaced_sample
    assert table_rows(result, "tasks", "task_no", "month", "first_version") == [(1, "2026-07", 2)]
    assert result.tables["routes"].num_rows == 0
    assert result.lines()[0] == "当前为示例数据：本次上传不与示例数据合并，导入后的版本只含本次上传的数据"


def test_rows_stored_before_provenance_existed_are_credited_to_the_version_they_came_from():
    old_layout = {key: table.drop(["first_version", "from_version"]) for key, table in first_record().items()}
    result = merge(PLAN, old_layout, 7, upload({"tasks": [JULY_TASK]}), MERGE, 8)
    assert table_rows(result, "tasks", "month", "first_version", "from_version") == [
        ("2026-06", 7, 7), ("2026-06", 7, 7), ("2026-07", 8, 8)]


def test_the_upload_says_which_units_and_months_it_covers():
    result = merge(PLAN, None, None, upload(rows()), MERGE, 1)
    # 填报单位 where given; the lead of an indicator, route and ship category otherwise.
    assert result.units == ("区交通运输委",)
    assert result.months == ("2026-05", "2026-06")
    commerce = merge(PLAN, first_record(), 1, upload({"tasks": [dict(JULY_TASK, task_no=8, department="区商务委")]}),
                     MERGE, 2)
    assert (commerce.units, commerce.months) == (("区商务委",), ("2026-07",))
    assert commerce.lines()[-2:] == ["本次上传涉及单位：区商务委", "本次上传涉及月份：2026-07"]


def test_an_unknown_mode_is_a_programming_error():
    with pytest.raises(ValueError):
        merge(PLAN, None, None, upload(rows()), "append", 1)


def test_what_the_commit_message_says_was_done():
    assert merge(PLAN, None, None, upload(rows()), MERGE, 1).done == ""  # a first version: nothing to merge into
    assert merge(PLAN, first_record(), 1, upload({"tasks": [JULY_TASK]}), MERGE, 2).done == "合并到已有数据，"
    assert merge(PLAN, first_record(), 1, upload({"tasks": [JULY_TASK]}), REPLACE, 2).done == "替换全部数据，"
    assert merge(PLAN, first_record(), 1, upload({"tasks": [JULY_TASK]}), MERGE, 2,
                 base_is_sample=True).done == "替换示例数据，"
