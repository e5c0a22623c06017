"""The 督办反馈 sheet in an upload: its answers checked while the upload is read, and taken out of
the parsed upload for the review and the commit.

The sheet (yzlogi.schema.FEEDBACK) is read like every other sheet — header matching with
aliases, title rows, one CSV per sheet, the cell kinds, a required 办理情况, one row per
事项编号 — and is never merged into the record: its rows are answers, which the commit
records as the items' events (yzlogi.store.answers). What is particular to it is checked
here, after the sheet is read, as errors at their rows (followups.answers says why):
- an answer longer than a follow-up text may be;
- with the items known (read_workbook's `followups`): the item exists and is open, and the
  unit given is one of the item's units.
Without the items (followups=None) the numbers cannot be checked here; they are anyway:
Store.commit checks every answer again under its write lock, against the items as they are
then, and refuses the whole upload with the same sentences when one names an unknown or
closed item. Nothing that names an item that does not exist is ever stored.

`followups` is an ItemIndex or a function giving one, called only when the sheet has rows:
the store's import reads the items only for an upload that answers some.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Union

import pyarrow.compute as pc

from yzlogi.cells import strings
from yzlogi.followups.answers import ItemIndex, RowAnswer, summary_lines
from yzlogi.model import ParsedWorkbook
from yzlogi.schema import FEEDBACK, WORKBOOK

if TYPE_CHECKING:
    from yzlogi.workbook import _SheetCheck

Followups = Union[ItemIndex, Callable[[], ItemIndex], None]


def index_of(followups: Followups) -> ItemIndex | None:
    return followups() if callable(followups) else followups


def check(sheet: _SheetCheck | None, followups: Followups) -> None:
    """Errors at the rows whose answer cannot be recorded (the sheet read already)."""
    if sheet is None or len(sheet.rows) == 0 or "item_no" not in sheet.values or "answer" not in sheet.values:
        return
    usable = pc.invert(pc.or_(sheet.bad, sheet.dropped)).to_pylist()
    numbers = sheet.values["item_no"].to_pylist()
    texts = sheet.values["answer"].to_pylist()
    units = sheet.values["department"].to_pylist() if "department" in sheet.values else [None] * len(numbers)
    index = None
    if followups is not None and any(u and n is not None for u, n in zip(usable, numbers)):
        index = index_of(followups)
    found: dict[str, tuple[list, list]] = {}
    for position, (ok, number, text, unit) in enumerate(zip(usable, numbers, texts, units)):
        if not ok or number is None or text is None:
            continue
        problems = (index or ItemIndex()).problems(RowAnswer(0, number, text, False, unit))
        if index is None:  # the items unknown: only what the row itself says
            problems = [p for p in problems if p.column == "answer"]
        for problem in problems:
            codes, reasons = found.setdefault(problem.column, ([None] * len(numbers), [None] * len(numbers)))
            codes[position], reasons[position] = problem.code, problem.reason
    for key, (codes, reasons) in found.items():
        codes_array = strings(codes)
        sheet._cell_issues(sheet.sheet.column(key), pc.is_valid(codes_array), codes_array, strings(reasons))


def answers_of(parsed: ParsedWorkbook) -> list[RowAnswer]:
    """The answers an upload carries, in the order of its rows ([] without a 督办反馈 sheet)."""
    table = parsed.tables.get(FEEDBACK.key)
    if table is None or table.num_rows == 0:
        return []
    columns = {name: table.column(name).to_pylist() for name in ("row", "item_no", "answer", "request_close",
                                                                 "department")}
    return [RowAnswer(row, item_id, text.strip(), bool(close), unit or None)
            for row, item_id, text, close, unit in zip(*columns.values())]


def only_answers(parsed: ParsedWorkbook) -> bool:
    """An upload that carries answers and no progress row: its version is the record as it was."""
    stored = {sheet.key for sheet in WORKBOOK}
    return bool(answers_of(parsed)) and not any(
        table.num_rows for key, table in parsed.tables.items() if key in stored)


def review_lines(parsed: ParsedWorkbook, followups: Followups = None) -> list[str]:
    """What committing the upload does with its answers, for the change digest (before the commit):
    督办反馈：3 条（督办事项 2、5、7；其中 1 条申请办结，…）; with the items known, which are repeats."""
    answers = answers_of(parsed)
    if not answers:
        return []
    index = index_of(followups)
    repeats = [a.item_id for a in answers if index is not None and index.is_repeat(a)]
    return summary_lines(answers, repeats, only_answers(parsed))


__all__ = ["Followups", "answers_of", "check", "index_of", "only_answers", "review_lines"]
