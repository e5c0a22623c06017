"""The A4 meeting briefing as PDF (fpdf2): what the work group takes away.

Page one names the plan, the as-of month and the version, and counts the
lights; then the red and yellow items with their reasons, the follow-up items
(督办事项: open ones by light, those closed since the last briefing), the indicators of
the as-of year, the routes and the fleet (tables and the dashboard's own
charts as images), and what changed since the previous version. Every page
carries the as-of month and the version in its header and its number in the
footer. Chinese text is set in Noto Sans CJK SC, subset and embedded
(yzlogi.fonts), so the file reads the same on any machine; fpdf2 embeds the
CFF-based OpenType face that reportlab cannot.

Deterministic: the creation date is the version's commit time, the file id is
a hash of the content, the font subset and the chart images depend only on
the snapshot.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import pandas as pd
from fpdf import FPDF, FontFace
from fpdf.enums import Align, WrapMode, XPos, YPos

from yzlogi import __version__, chart_images, charts, levels, views
from yzlogi.briefing import content as briefing
from yzlogi.briefing import followup_section
from yzlogi.briefing.followup_section import FollowupSection
from yzlogi.fonts import CjkFont, cjk_font
from yzlogi.plan import Plan
from yzlogi.snapshot import Snapshot

FONT = "cjk"
MARGIN = 15  # mm, left and right
BODY_PT = 9.5
SMALL_PT = 8
HEADING_PT = 13
CHART_PX = 720  # CSS pixels across the text width (180 mm)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(221, 235, 247), color=(31, 45, 61))
MUTED = (90, 90, 90)
WARNING = (192, 0, 0)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _light_style(level: str) -> FontFace:
    """A light cell: its colour, white text (dark on yellow) so the mark and label stay legible."""
    text = (17, 24, 39) if level == levels.YELLOW else (255, 255, 255)
    return FontFace(emphasis="BOLD", color=text, fill_color=_rgb(levels.colour(level)))


class _Document(FPDF):
    """A4 portrait with the briefing's header and numbered footer on every page."""

    def __init__(self, font: CjkFont, header_text: str, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.header_text = header_text
        self.footer_text = footer_text
        self.sections = 0  # headings are numbered 一、二、… in the order the plan's parts come
        self.add_font(FONT, "", str(font.regular.path), collection_font_number=font.regular.index)
        self.add_font(FONT, "B", str(font.bold.path), collection_font_number=font.bold.index)
        self.set_margins(MARGIN, 20, MARGIN)
        self.set_auto_page_break(True, margin=16)

    def header(self) -> None:
        self.set_font(FONT, "", SMALL_PT)
        self.set_text_color(*MUTED)
        self.set_xy(MARGIN, 8)
        self.cell(0, 5, self.header_text, align=Align.L)
        self.set_draw_color(180, 180, 180)
        self.line(MARGIN, 14, self.w - MARGIN, 14)
        self.set_text_color(0, 0, 0)
        self.set_y(20)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", SMALL_PT)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_text}　第 {self.page_no()} 页，共 {{nb}} 页", align=Align.C)
        self.set_text_color(0, 0, 0)


# --- blocks --------------------------------------------------------------------------


NUMERALS = "一二三四五六七八九十"


def _heading(pdf: _Document, text: str) -> None:
    """A numbered section heading: 一、…, the number following the sections shown before it."""
    if pdf.will_page_break(30):  # keep a heading with the start of what follows it
        pdf.add_page()
    pdf.sections += 1
    pdf.ln(3)
    pdf.set_font(FONT, "B", HEADING_PT)
    pdf.multi_cell(0, 7, f"{NUMERALS[pdf.sections - 1]}、{text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FONT, "", BODY_PT)


def _paragraph(pdf: _Document, text: str, size: float = BODY_PT, colour=(0, 0, 0), indent: float = 0,
               bold: bool = False, align: Align = Align.L) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, size * 0.55, text, align=align, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)


def _table(pdf: _Document, frame: pd.DataFrame, widths: Sequence[float], size: float = BODY_PT) -> None:
    """A display table of yzlogi.views; columns named …灯 drawn as coloured lights."""
    names = list(frame.columns)
    lights = {i for i, name in enumerate(names) if str(name).endswith("灯")}
    pdf.set_font(FONT, "", size)
    with pdf.table(col_widths=tuple(widths), line_height=size * 0.5, text_align="LEFT", wrapmode=WrapMode.CHAR,
                   headings_style=HEADINGS, repeat_headings=1, padding=1, v_align="TOP") as table:
        header = table.row()
        for name in names:
            header.cell(str(name))
        for record in frame.itertuples(index=False):
            row = table.row()
            for index, value in enumerate(record):
                text = views.NONE if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
                level = briefing.light_level(text) if index in lights else None
                if level is not None:
                    row.cell(text, style=_light_style(level), align=Align.C)
                else:
                    row.cell(text)
    pdf.ln(2)


def _image(pdf: _Document, png: bytes, width_mm: float | None = None) -> None:
    width = width_mm or pdf.epw
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width)
    pdf.ln(2)


def _cover(pdf: _Document, snapshot: Snapshot, plan: Plan) -> None:
    pdf.ln(4)
    _paragraph(pdf, plan.title, size=15, bold=True, align=Align.C)
    pdf.ln(1)
    _paragraph(pdf, f"{briefing.TITLES[briefing.PDF]}", size=20, bold=True, align=Align.C)
    pdf.ln(2)
    _paragraph(pdf, f"{briefing.as_of_text(snapshot)}　　{briefing.version_text(snapshot)}", size=11,
               align=Align.C)
    _paragraph(pdf, f"文件依据：{plan.document_no}", size=SMALL_PT, colour=MUTED, align=Align.C)
    if snapshot.version.sample:
        pdf.ln(2)
        _paragraph(pdf, briefing.SAMPLE_NOTICE, size=10, colour=WARNING, bold=True, align=Align.C)
    pdf.ln(4)
    months, share = views.year_elapsed(snapshot.as_of)
    _paragraph(pdf, f"{snapshot.as_of.year}年已过 {months}/12，序时进度 {share:.1%}。各项灯号汇总：")
    counts = snapshot.status.counts()["total"]
    pdf.set_font(FONT, "", 11)
    with pdf.table(col_widths=(1,) * len(levels.ORDER), line_height=7, first_row_as_headings=False,
                   text_align="CENTER", padding=1.5) as table:
        row = table.row()
        for key in levels.ORDER:
            row.cell(f"{views.light_text(key)}灯　{counts[key]} 项", style=_light_style(key))
    pdf.ln(1)
    _paragraph(pdf, briefing.legend(snapshot.plan), size=SMALL_PT, colour=MUTED)


def _exceptions(pdf: _Document, snapshot: Snapshot) -> None:
    _heading(pdf, "需要关注：红灯、黄灯")
    frame = views.exceptions_table(snapshot.status)
    if frame.empty:
        _paragraph(pdf, "没有红灯或黄灯事项。")
        return
    _table(pdf, frame, (9, 11, 40, 80, 30))


FOLLOWUP_WIDTHS = (8, 26, 19, 32, 21, 11, 32, 31)  # mm, 180 in all: the columns of followups.present


def _followups(pdf: _Document, section: FollowupSection) -> None:
    _heading(pdf, followup_section.TITLE)
    if section.empty:
        _paragraph(pdf, followup_section.NO_ITEMS)
        return
    _paragraph(pdf, section.summary(), size=SMALL_PT, colour=MUTED)
    pdf.ln(1)
    _paragraph(pdf, followup_section.OPEN_TITLE, bold=True)
    if section.open:
        _table(pdf, section.open_frame(), FOLLOWUP_WIDTHS, size=SMALL_PT)
    else:
        _paragraph(pdf, followup_section.NO_OPEN)
        pdf.ln(1)
    _paragraph(pdf, section.closed_title(), bold=True)
    if section.closed:
        _table(pdf, section.closed_frame(), FOLLOWUP_WIDTHS, size=SMALL_PT)
    else:
        _paragraph(pdf, section.no_closed())


def _indicators(pdf: _Document, snapshot: Snapshot) -> None:
    _heading(pdf, f"主要指标（{snapshot.status.current_year}年）")
    frame = briefing.indicator_table(snapshot.status)
    frame = frame[["序号", "主要指标", "目标", "完成值", "序时进度", "灯", "说明"]]
    _table(pdf, frame, (7, 26, 22, 26, 24, 10, 65), size=8.5)


def _routes(pdf: _Document, snapshot: Snapshot, plan: Plan, font: CjkFont) -> None:
    status = snapshot.status
    year = status.current_year
    _heading(pdf, f"通道班次（{year}年）")
    summary = briefing.route_table(status)
    columns = list(views.route_glance(status).columns)
    _table(pdf, summary[columns], (20, 14, 16, 14, 11, 14, 18, 14, 11), size=8.5)
    for item in status.routes:
        chart = charts.pace_chart(views.route_pace(status, plan, item.route, year),
                                  f"{item.route}：{year}年累计开行与序时进度", "班次", height=170)
        if pdf.will_page_break(62):
            pdf.add_page()
        _image(pdf, chart_images.png(chart, font.regular, CHART_PX))
    new_lines = views.new_lines_table(status)
    if not new_lines.empty:
        _paragraph(pdf, "新增线路：", bold=True)
        _table(pdf, new_lines, (40, 25, 20, 20), size=8.5)


def _fleet(pdf: _Document, snapshot: Snapshot, plan: Plan, font: CjkFont) -> None:
    status = snapshot.status
    _heading(pdf, f"船舶更新（{plan.last_year}年底前完成）")
    _table(pdf, views.fleet_table(status), (30, 13, 10, 9, 9, 14, 10, 55), size=8.5)
    chart = charts.fleet_chart(views.fleet_frame(status), "各类别进展（竖线：目标；虚线：序时进度）", height=200)
    if pdf.will_page_break(75):
        pdf.add_page()
    _image(pdf, chart_images.png(chart, font.regular, CHART_PX))


def _digest(pdf: _Document, snapshot: Snapshot) -> None:
    _heading(pdf, "自上次更新以来")
    previous = snapshot.previous
    _paragraph(pdf, (f"版本 v{snapshot.version.id} 与上一版本 v{previous.id} 的比较（按 {snapshot.as_of.label} 计算灯号）"
                     if previous else "这是第一个版本。"), size=SMALL_PT, colour=MUTED)
    pdf.ln(1)
    for line in snapshot.digest.lines(rows=False):
        stripped = line.lstrip(" ")
        _paragraph(pdf, stripped, indent=5 if stripped != line else 0, bold=stripped == line and line.endswith("："))


# --- the document --------------------------------------------------------------------


def render(snapshot: Snapshot, plan: Plan, day: date | None = None) -> bytes:
    """The briefing PDF's bytes, its 督办事项 as on `day` (default today); yzlogi.fonts.FontMissing
    when the Chinese font is absent."""
    font = cjk_font()
    section = followup_section.followup_section(snapshot, day)
    sample = "（示例数据）" if snapshot.version.sample else ""
    pdf = _Document(
        font,
        header_text=(f"{plan.short_title} {briefing.TITLES[briefing.PDF]}{sample}　｜　{briefing.as_of_text(snapshot)}"
                     f"　｜　数据版本 v{snapshot.version.id}"),
        footer_text=f"{briefing.as_of_text(snapshot)}　{briefing.version_text(snapshot)}",
    )
    pdf.set_creation_date(briefing.stamp(snapshot).replace(tzinfo=briefing.PLAN_TZ))
    pdf.set_title(f"{plan.title} {briefing.TITLES[briefing.PDF]}（{snapshot.as_of.label}，v{snapshot.version.id}）")
    pdf.set_subject(f"{briefing.as_of_text(snapshot)}，{briefing.version_text(snapshot)}")
    pdf.set_author("yzlogi")
    pdf.set_creator(f"yzlogi {__version__}")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    _cover(pdf, snapshot, plan)
    _exceptions(pdf, snapshot)
    _followups(pdf, section)
    _indicators(pdf, snapshot)
    if plan.routes:
        _routes(pdf, snapshot, plan, font)
    if plan.fleet:
        _fleet(pdf, snapshot, plan, font)
    _digest(pdf, snapshot)
    return bytes(pdf.output())


# Building blocks of the other official documents (the 督办通知单: yzlogi.followups.notice).
Document = _Document
heading = _heading
paragraph = _paragraph
table = _table
