"""The meeting briefing: what the work group is shown, as a workbook or a PDF.

build_xlsx is the official-format 推进情况汇总表 (every task with each unit's
latest report), the key indicators, the routes and fleet the plan has, and the
follow-up items (督办事项); build_pdf is the A4 briefing (exceptions, follow-up
items, indicators, route and fleet charts, change digest). Both take a Snapshot
and a day for the follow-up items (default today), and are deterministic: the
same snapshot, the same day and the same follow-up history give the same bytes,
so an export recorded by its sha256 (Store.record_export) can be produced again
and compared.

  content.py  what both formats say (names, dates, legend, tables)
  followup_section.py  what they say about follow-up items (督办事项) on a day
  xlsx.py     the workbook (openpyxl), imported only when one is made
  pdf.py      the PDF (fpdf2, the CJK font, charts drawn by vl-convert), likewise
"""

from __future__ import annotations

from yzlogi.briefing.content import (  # noqa: F401 - the briefing's vocabulary, used as briefing.X
    FORMATS, MIME_TYPES, NONE, PDF, PLAN_TZ, SAMPLE_NOTICE, TITLES, XLSX, as_of_text, file_name, indicator_table,
    legend, light_level, route_table, stamp, task_rows, version_text,
)
from datetime import date

from yzlogi.plan import Plan
from yzlogi.snapshot import Snapshot


def build_xlsx(snapshot: Snapshot, plan: Plan, day: date | None = None) -> bytes:
    """The 推进情况汇总表 workbook (.xlsx bytes): tasks, indicators, routes and fleet, 督办事项 on `day`."""
    from yzlogi.briefing.xlsx import render  # imported late: openpyxl's styles cost time

    return render(snapshot, plan, day)


def build_pdf(snapshot: Snapshot, plan: Plan, day: date | None = None) -> bytes:
    """The A4 meeting briefing (PDF bytes), 督办事项 on `day`; FontMissing when the Chinese font is not installed."""
    from yzlogi.briefing.pdf import render  # imported late: fpdf2 and vl-convert are large

    return render(snapshot, plan, day)


def build(snapshot: Snapshot, plan: Plan, fmt_: str, day: date | None = None) -> bytes:
    """The briefing in one of FORMATS; its 督办事项 as they stood on `day` (default today)."""
    if fmt_ == XLSX:
        return build_xlsx(snapshot, plan, day)
    if fmt_ == PDF:
        return build_pdf(snapshot, plan, day)
    raise ValueError(f"unknown briefing format {fmt_!r}")
