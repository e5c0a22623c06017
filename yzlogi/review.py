"""What the 数据管理 page shows, without Streamlit: an upload reviewed before it is
committed (validation report, duplicate check, change digest against the active
version), the report as an .xlsx, and the version history as tables.

An upload is committed only after the official has seen this review; the
review never writes anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from yzlogi.digest import Digest, compute_digest
from yzlogi.feedback import Followups, review_lines
from yzlogi.model import ERROR, LEVEL_LABELS, WARNING, Issue, ParsedWorkbook, Version, VersionData
from yzlogi.plan import Plan
from yzlogi.schema import WORKBOOK
from yzlogi.frames import arrow_tables, record_data
from yzlogi.merge import MERGE, Merge, merge
from yzlogi.store import Activation
from yzlogi.template import workbook_bytes

REPORT_COLUMNS = ("级别", "工作表", "行号", "列", "单元格内容", "说明")
REPORT_FILE_NAME = "校验报告.xlsx"
TEMPLATE_FILE_NAME = "进度填报模板.xlsx"
MORE_ISSUES = "more_issues"  # the reader's closing line when the listing was capped
SHEET_NAMES = {sheet.key: sheet.name for sheet in WORKBOOK}


# --- reviewing an upload ------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """An upload as read and checked, before anything is stored."""

    parsed: ParsedWorkbook
    against: Version | None  # the active version it was compared with
    duplicate_of: Version | None  # a version committed from the same bytes
    digest: Digest | None  # what committing would change; only when committable
    merge: Merge | None = None  # what the upload does to the record: added, changed, kept (removed)
    answers: tuple[str, ...] = ()  # what its 督办反馈 does: 督办反馈：3 条（督办事项 2、5、7；…）

    @property
    def committable(self) -> bool:
        return self.parsed.ok and self.duplicate_of is None

    def lines(self) -> list[str]:
        """The merge's lines (rows added, changed, kept …), then the answers': the digest's first part."""
        return [*(self.merge.lines() if self.merge is not None else ()), *self.answers]


def review(plan: Plan, parsed: ParsedWorkbook, versions: Sequence[Version], active: VersionData | None,
           mode: str = MERGE, followups: Followups = None) -> Review:
    """Judge a parsed upload: its errors, an identical earlier version, or what merging it into the
    active version (or replacing it, on purpose) would change, and what its answers to follow-up
    items do (`followups`: the items read_workbook checked them against, to tell repeats)."""
    against = active.version if active is not None else None
    if not parsed.ok:
        return Review(parsed, against, None, None)
    same = [v for v in versions if v.sha256 == parsed.sha256]
    if same:
        return Review(parsed, against, same[0], None)
    base = arrow_tables(active) if active is not None else None
    next_id = max((v.id for v in versions), default=0) + 1
    merged = merge(plan, base, against.id if against else None, parsed, mode, next_id,
                   base_is_sample=bool(against and against.sample))
    return Review(parsed, against, None, compute_digest(plan, active, record_data(merged.tables)), merged,
                  tuple(review_lines(parsed, followups)))


# --- the validation report ------------------------------------------------------------


def listed_issues(parsed: ParsedWorkbook) -> list[Issue]:
    """The issues listed one by one (the reader's "另有 N 个…" line left out)."""
    return [i for i in parsed.issues if i.code != MORE_ISSUES]


def report_frame(parsed: ParsedWorkbook) -> pd.DataFrame:
    """The validation report: one row per listed issue, errors first."""
    rows = [issue.as_row() for issue in listed_issues(parsed)]
    frame = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    return frame.astype({"行号": "Int64"})


def report_summary(parsed: ParsedWorkbook) -> list[str]:
    """The report's counts in words, saying when more were found than are listed."""
    listed = listed_issues(parsed)
    out = [f"错误 {parsed.error_count} 处，提醒 {parsed.warning_count} 处。"]
    shown = {level: sum(1 for i in listed if i.level == level) for level in (ERROR, WARNING)}
    counts = {ERROR: parsed.error_count, WARNING: parsed.warning_count}
    for level in (ERROR, WARNING):
        if counts[level] > shown[level]:
            out.append(f"共发现 {counts[level]} 处{LEVEL_LABELS[level]}，下表只列出前 {shown[level]} 处；"
                       "请先修改列出的问题后重新上传，再看其余问题。")
    return out


# Characters XML 1.0 cannot hold: openpyxl refuses them, Excel could not open them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text_cell(ws, row: int, column: int, value: object) -> None:
    """Write a value as text: a string that looks like a formula (=, +, -, @) stays text."""
    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        return
    if isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
        return
    cell.value = _ILLEGAL.sub("\N{REPLACEMENT CHARACTER}", str(value))
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    cell.number_format = "@"


def report_xlsx(parsed: ParsedWorkbook, stamp: datetime) -> bytes:
    """The validation report as an .xlsx: 校验报告 (the table) and 概况 (files, counts)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "校验报告"
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for column, name in enumerate(REPORT_COLUMNS, start=1):
        _text_cell(sheet, 1, column, name)
        sheet.cell(row=1, column=column).font = bold
        sheet.cell(row=1, column=column).fill = header_fill
    for row, issue in enumerate(listed_issues(parsed), start=2):
        for column, name in enumerate(REPORT_COLUMNS, start=1):
            _text_cell(sheet, row, column, issue.as_row()[name])
            sheet.cell(row=row, column=column).alignment = Alignment(vertical="top", wrap_text=name == "说明")
    for letter, width in zip("ABCDEF", (8, 14, 8, 16, 24, 80)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"

    about = workbook.create_sheet("概况")
    lines = [("校验时间", stamp.strftime("%Y-%m-%d %H:%M")),
             ("文件", "、".join(f.name for f in parsed.files)),
             ("SHA-256", parsed.sha256 if parsed.files else ""),
             ("错误", parsed.error_count),
             ("提醒", parsed.warning_count)]
    lines += [("说明", text) for text in report_summary(parsed)[1:]]
    for row, (label, value) in enumerate(lines, start=1):
        _text_cell(about, row, 1, label)
        about.cell(row=row, column=1).font = bold
        _text_cell(about, row, 2, value)
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 90
    return workbook_bytes(workbook, stamp)


# --- history --------------------------------------------------------------------------


def rows_text(rows: dict[str, int]) -> str:
    """Rows per sheet in words: 指标进展 5，通道班次 4."""
    return "，".join(f"{SHEET_NAMES.get(key, key)} {count}" for key, count in rows.items())


def versions_frame(versions: Sequence[Version]) -> pd.DataFrame:
    """Every version, newest first, as the history table shows it."""
    rows = [
        {
            "版本": v.id,
            "导入时间": v.committed_at.strftime("%Y-%m-%d %H:%M:%S"),
            "导入人": v.by,
            "备注": v.note,
            "文件": "、".join(v.files),
            "各表行数": rows_text(v.rows),
            "SHA-256": v.sha256,
            "示例数据": "是" if v.sample else "",
            "当前": "✔ 当前" if v.active else "",
        }
        for v in sorted(versions, key=lambda v: v.id, reverse=True)
    ]
    columns = ["版本", "导入时间", "导入人", "备注", "文件", "各表行数", "SHA-256", "示例数据", "当前"]
    return pd.DataFrame(rows, columns=columns).astype({"版本": "int64"})


def history_frame(history: Sequence[Activation]) -> pd.DataFrame:
    """The activations log, newest first: every import, sample and rollback."""
    rows = [
        {"序号": a.seq, "时间": a.at.strftime("%Y-%m-%d %H:%M:%S"), "操作": a.action_label, "版本": a.version_id,
         "操作人": a.by, "备注": a.note}
        for a in sorted(history, key=lambda a: a.seq, reverse=True)
    ]
    return pd.DataFrame(rows, columns=["序号", "时间", "操作", "版本", "操作人", "备注"]).astype(
        {"序号": "int64", "版本": "int64"})
