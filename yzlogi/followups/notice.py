"""The 督办通知单: one unit's open follow-up items, as a workbook or an A4 PDF.

Addressed to the unit, it lists what it must do (what is required, by when) with each item's
light and why, overdue first, and is signed by the plan's work-group office (专班办公室) with
the day. Laid out with the briefing's own blocks (yzlogi.briefing.xlsx and .pdf: fonts, cells,
lights, header and numbered footer, the embedded CJK font of yzlogi.fonts), so both read as
one set of papers. Deterministic: the items as they stood at the end of the day, and the day
as the documents' date, give the same bytes.

Imported by name only (python -m yzlogi notice, the 部门详情 download): it uses the briefing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from yzlogi.followups.about import resolve_unit
from yzlogi.followups.lights import CLOSED, STATES, counts
from yzlogi.followups.model import date_label
from yzlogi.followups.present import NOTICE_COLUMNS, notice_rows
from yzlogi.followups.service import Judged, items, judge
from yzlogi.levels import GREEN, RED, YELLOW
from yzlogi.plan import Plan

if TYPE_CHECKING:
    from yzlogi.store import Store

TITLE = "督办通知单"
XLSX = "xlsx"
PDF = "pdf"
FORMATS = (XLSX, PDF)
MIME_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
}


@dataclass(frozen=True)
class Notice:
    """What the 督办通知单 of one unit on one day says."""

    plan: Plan
    unit: str
    day: date
    open: tuple[Judged, ...]  # overdue first, then due soon, then open; the earliest due first

    @property
    def heading(self) -> str:
        return f"{self.plan.title}工作专班"

    @property
    def office(self) -> str:
        return f"{self.plan.short_title}工作专班办公室"

    @property
    def stamp(self) -> datetime:
        """The documents' date: the day itself (never the clock)."""
        return datetime.combine(self.day, time())

    def body(self) -> str:
        if not self.open:
            return f"截至{date_label(self.day)}，贵单位没有未办结的督办事项。"
        found = counts(j.light for j in self.open)
        parts = "，".join(f"{STATES[key]} {found[key]} 项" for key in (RED, YELLOW, GREEN))
        return (f"根据工作专班会议安排，现将贵单位截至{date_label(self.day)}尚未办结的督办事项（共 {len(self.open)} 项："
                f"{parts}）通知如下。请按督办要求抓紧办理，在截止日期前反馈办理情况（看板“督办事项”页面，或月度报送"
                "工作簿的“督办反馈”表）；办结后可申请销号，由专班办公室核实后销号。")

    def contact(self) -> str:
        return f"联系单位：{self.plan.office}"

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(notice_rows(self.open), columns=list(NOTICE_COLUMNS))


def notice_for(store: Store, unit: str, day: date) -> Notice:
    """The notice of `unit` (name or alias; UnknownUnit with the closest name else) on `day`."""
    plan = store.plan
    name = resolve_unit(plan, unit)
    judged = judge(items(store, name), day)
    return Notice(plan, name, day, tuple(j for j in judged if j.light.level != CLOSED))


def file_name(unit: str, day: date, fmt: str) -> str:
    """督办通知单_区交通运输委_2026年7月18日.pdf."""
    return f"{TITLE}_{unit}_{date_label(day)}.{fmt}"


def format_of(path: Path) -> str | None:
    """The notice format a path's extension asks for (.xlsx or .pdf), else None."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def build(notice: Notice, fmt: str) -> bytes:
    if fmt == XLSX:
        return build_xlsx(notice)
    if fmt == PDF:
        return build_pdf(notice)
    raise ValueError(f"unknown notice format {fmt!r}")


# --- the workbook -----------------------------------------------------------------------------

XLSX_WIDTHS = (5, 18, 28, 13, 7, 23)  # 编号 事项 督办要求 截止日期 灯 说明: A4 portrait at full size


def build_xlsx(notice: Notice) -> bytes:
    from openpyxl import Workbook

    from yzlogi.briefing import xlsx as paper
    from yzlogi.template import workbook_bytes

    wb = Workbook()
    ws = wb.active
    ws.title = TITLE
    width = len(XLSX_WIDTHS)
    total = sum(XLSX_WIDTHS)
    paper.set_widths(ws, XLSX_WIDTHS)

    def line(row: int, text: str, font, alignment=paper.INFO_ALIGNMENT, scale: float = 1.0) -> int:
        paper.put(ws, row, 1, text, font=font, alignment=alignment, border=False)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.row_dimensions[row].height = paper.LINE_HEIGHT * scale * paper.lines_needed(text, total / scale) + 6
        return row + 1

    from openpyxl.styles import Alignment

    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center", wrap_text=True)
    row = line(1, notice.heading, paper.INFO_FONT, centre)
    row = line(row, TITLE, paper.TITLE_FONT, centre, scale=1.5)
    row = line(row, f"{notice.unit}：", paper.SECTION_FONT)
    row = line(row, notice.body(), paper.BODY_FONT)
    header_row = row
    if notice.open:
        row = paper.frame_rows(ws, row, notice.frame(), XLSX_WIDTHS)
    row = line(row + 1, notice.contact(), paper.BODY_FONT)
    row = line(row, notice.office, paper.BODY_FONT, right)
    line(row, date_label(notice.day), paper.BODY_FONT, right)

    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if notice.open:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = f"{TITLE}　{notice.unit}　{date_label(notice.day)}　第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
    wb.properties.title = f"{TITLE}（{notice.unit}，{date_label(notice.day)}）"
    wb.properties.subject = notice.heading
    return workbook_bytes(wb, notice.stamp)


# --- the PDF ----------------------------------------------------------------------------------

PDF_WIDTHS = (10, 32, 50, 26, 12, 50)  # mm, 180 in all


def build_pdf(notice: Notice) -> bytes:
    """The notice as an A4 PDF; yzlogi.fonts.FontMissing when the Chinese font is absent."""
    from fpdf.enums import Align

    from yzlogi import __version__
    from yzlogi.briefing import content
    from yzlogi.briefing import pdf as paper
    from yzlogi.fonts import cjk_font

    day = date_label(notice.day)
    pdf = paper.Document(cjk_font(), header_text=f"{notice.heading}　｜　{TITLE}　｜　{notice.unit}",
                         footer_text=f"{TITLE}　{notice.unit}　{day}")
    pdf.set_creation_date(notice.stamp.replace(tzinfo=content.PLAN_TZ))
    pdf.set_title(f"{TITLE}（{notice.unit}，{day}）")
    pdf.set_subject(notice.heading)
    pdf.set_author("yzlogi")
    pdf.set_creator(f"yzlogi {__version__}")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    pdf.ln(2)
    paper.paragraph(pdf, notice.heading, size=12, align=Align.C)
    pdf.ln(1)
    paper.paragraph(pdf, TITLE, size=20, bold=True, align=Align.C)
    pdf.ln(5)
    paper.paragraph(pdf, f"{notice.unit}：", size=11, bold=True)
    pdf.ln(1)
    paper.paragraph(pdf, f"　　{notice.body()}", size=10.5)
    pdf.ln(3)
    if notice.open:
        paper.table(pdf, notice.frame(), PDF_WIDTHS, size=9)
    pdf.ln(4)
    paper.paragraph(pdf, notice.contact(), size=10)
    pdf.ln(6)
    paper.paragraph(pdf, notice.office, size=10.5, align=Align.R)
    paper.paragraph(pdf, day, size=10.5, align=Align.R)
    return bytes(pdf.output())
