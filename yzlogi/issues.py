"""The issues of one upload: every one counted, only the first ones ever built.

A sheet reports issues either one at a time (add) or as arrays over many rows of a
column (add_cells), kept as arrays until listed: a 100 000-row sheet of errors costs
its count, not 100 000 Issue objects. finish() lists errors first, then by sheet in
schema order, row and column, up to config.MAX_ISSUES_LISTED, and says how many more.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from yzlogi import cells, config
from yzlogi.model import ERROR, WARNING, Issue, ParsedWorkbook
from yzlogi.schema import ALL_SHEETS, Column, Sheet

# Sheets in schema order (issues are listed sheet by sheet).
SHEET_ORDER = {sheet.key: index for index, sheet in enumerate(ALL_SHEETS)}


def sheet_order(sheet: Sheet | None) -> int:
    return SHEET_ORDER[sheet.key] if sheet is not None else -1


@dataclass
class _Single:
    key: tuple
    issue: Issue


@dataclass
class _Cells:
    """Issues of many rows of one column, kept as arrays until listed."""

    level: str
    sheet: Sheet
    column: str | None
    column_order: int
    rows: list[int]
    codes: list[str]
    values: list[str | None]
    reasons: list[str]
    count: int


class Issues:
    """Every issue counted; only the first rows' issues ever become Issue objects."""

    def __init__(self) -> None:
        self.singles: list[_Single] = []
        self.batches: list[_Cells] = []
        self.limit = config.MAX_ISSUES_LISTED.value

    def add(self, level: str, code: str, message: str, *, sheet: str | None = None, row: int | None = None,
            column: str | None = None, value: str | None = None, order: int = -1, column_order: int = -1) -> None:
        issue = Issue(level=level, message=message, sheet=sheet, row=row, column=column, value=value, code=code)
        self.singles.append(_Single((level != ERROR, order, row or 0, column_order, len(self.singles)), issue))

    def add_cells(self, level: str, sheet: Sheet, column: Column | None, rows: pa.Array, codes: pa.Array | str,
                  values: pa.Array | None, reasons: pa.Array | str, count: int | None = None) -> None:
        """Issues at `rows` (ascending): one code/reason per row or one for all."""
        n = len(rows)
        if n == 0:
            return
        head = min(n, self.limit)

        def listed(items):
            if items is None:
                return [None] * head
            if isinstance(items, str):
                return [items] * head
            return items.slice(0, head).to_pylist()

        self.batches.append(_Cells(
            level=level, sheet=sheet, column=column.header if column else None,
            column_order=sheet.columns.index(column) if column else -1,
            rows=listed(rows), codes=listed(codes), values=listed(values), reasons=listed(reasons),
            count=n if count is None else count,
        ))

    def finish(self, parsed: ParsedWorkbook) -> None:
        """Count everything; list the first `limit` (errors first, then by sheet, row, column)."""
        candidates = list(self.singles)
        errors = sum(1 for s in self.singles if s.issue.level == ERROR)
        warnings = len(self.singles) - errors
        for batch in self.batches:
            if batch.level == ERROR:
                errors += batch.count
            else:
                warnings += batch.count
            order = SHEET_ORDER[batch.sheet.key]
            for row, code, value, reason in zip(batch.rows, batch.codes, batch.values, batch.reasons):
                shown = cells.display(value) if value is not None else None
                where = f"{batch.sheet.name} 第{row}行" + (f"「{batch.column}」" if batch.column else "")
                issue = Issue(level=batch.level, message=f"{where}：{reason}", sheet=batch.sheet.name, row=row,
                              column=batch.column, value=shown, code=code)
                candidates.append(_Single((batch.level != ERROR, order, row, batch.column_order, 0), issue))
        candidates.sort(key=lambda s: s.key)
        listed = [c.issue for c in candidates[: self.limit]]
        more_errors = errors - sum(1 for i in listed if i.level == ERROR)
        more_warnings = warnings - (len(listed) - sum(1 for i in listed if i.level == ERROR))
        if more_errors or more_warnings:
            parts = [f"{n} 个{label}" for n, label in ((more_errors, "错误"), (more_warnings, "提醒")) if n]
            listed.append(Issue(
                level=ERROR if more_errors else WARNING, code="more_issues",
                message=f"另有 {'、'.join(parts)}未逐条列出（共 {errors} 个错误、{warnings} 个提醒），请先修改以上问题后重新上传",
            ))
        parsed.issues = listed
        parsed.error_count = errors
        parsed.warning_count = warnings
