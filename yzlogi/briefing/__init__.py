"""The meeting briefing: what the work group is shown, as a workbook or a PDF.

build_xlsx is the official-format 推进情况汇总表 (every task with each unit's
latest report), the key indicators, and the routes and fleet the plan has;
build_pdf is the A4 briefing (exceptions, indicators, route and fleet charts,
change digest). Both take a Snapshot and are deterministic: the same snapshot
gives the same bytes, so an export recorded by its sha256 (Store.record_export)
can be produced again and compared.

  content.py  what both formats say (names, dates, legend, tables)
  xlsx.py     the workbook (openpyxl), imported only when one is made
  pdf.py      the PDF (fpdf2, the CJK font, charts drawn by vl-convert), likewise
"""

from __future__ import annotations

from yzlogi.briefing.content import (  # noqa: F401 - the briefing's vocabulary, used as briefing.X
    FORMATS, MIME_TYPES, NONE, PDF, PLAN_TZ, SAMPLE_NOTICE, TITLES, XLSX, as_of_text, file_name, indicator_table,
    legend, light_level, route_table, stamp, task_rows, version_text,
)
from yzlogi.plan import Plan
from yzlogi.snapshot import Snapshot


def build_xlsx(snapshot: Snapshot, plan: Plan) -> bytes:
    """The 推进情况汇总表 workbook (.xlsx bytes): tasks, indicators, routes and fleet."""
    from yzlogi.briefing.xlsx import render  # imported late: openpyxl's styles cost time

    return render(snapshot, plan)


def build_pdf(snapshot: Snapshot, plan: Plan) -> bytes:
    """The A4 meeting briefing (PDF bytes); FontMissing when the Chinese font is not installed."""
    from yzlogi.briefing.pdf import render  # imported late: fpdf2 and vl-convert are large

    return render(snapshot, plan)


def build(snapshot: Snapshot, plan: Plan, fmt_: str) -> bytes:
    """The briefing in one of FORMATS."""
    if fmt_ == XLSX:
        return build_xlsx(snapshot, plan)
    if fmt_ == PDF:
        return build_pdf(snapshot, plan)
    raise ValueError(f"unknown briefing format {fmt_!r}")
