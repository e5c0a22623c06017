"""The briefing workbook (openpyxl): 推进情况汇总表, 主要指标, 通道班次与船舶更新, 督办事项.

Every sheet opens with the plan's title, the as-of month and the version, and
prints on A4 landscape: fit to the page width, the title and header rows
repeated on every page, wrapped text, borders, page numbers in the footer.
Lights are written as text (■ 红) and also filled with their colour.

Workbook text is hostile until proven otherwise (issue 9): every string is
written as a string cell (openpyxl would turn "=…" into a formula), text
starting with = + - @ or a control character also carries Excel's quote prefix
so that editing the cell keeps it text, and characters XML cannot hold are
dropped. Numbers stay numbers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yzlogi import levels, views
from yzlogi.briefing import content as briefing
from yzlogi.briefing import followup_section
from yzlogi.briefing.followup_section import FollowupSection
from yzlogi.plan import Plan
from yzlogi.snapshot import Snapshot
from yzlogi.template import BORDER, HEADER_ALIGNMENT, OPTIONAL_FILL, OPTIONAL_FONT, TEXT_FORMAT, workbook_bytes

TASKS_SHEET = "推进情况汇总表"
INDICATORS_SHEET = "主要指标"
ROUTES_SHEET = "通道班次与船舶更新"  # the name when the plan has both; see routes_sheet_name
FOLLOWUPS_SHEET = "督办事项"
FOLLOWUP_WIDTHS = (6, 22, 14, 30, 14, 9, 32, 36)  # 编号 事项 办理单位 督办要求 截止日期 灯/状态 说明/办结情况 最新反馈

TITLE_ROW = 1
INFO_ROW = 2
HEADER_ROW = 3  # of the first table; the routes sheet stacks several tables below

TASK_COLUMNS = ("序号", "重点工作", "牵头单位", "责任单位", "推进情况", "存在问题", "状态/灯")
TASK_WIDTHS = (6, 16, 14, 18, 62, 36, 9)
INDICATOR_WIDTHS = {"序号": 6, "主要指标": 20, "目标": 16, "完成值": 22, "数据月份": 11, "序时进度": 22,
                    "灯": 8, "说明": 48, "牵头单位": 14}

FONT_NAME = "等线"
TITLE_FONT = Font(name=FONT_NAME, size=15, bold=True)
INFO_FONT = Font(name=FONT_NAME, size=10, color="404040")
SAMPLE_FONT = Font(name=FONT_NAME, size=10, bold=True, color="C00000")
SECTION_FONT = Font(name=FONT_NAME, size=12, bold=True)
GROUP_FONT = Font(name=FONT_NAME, size=10, bold=True)
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
BODY_FONT = Font(name=FONT_NAME, size=10)
WRAP = Alignment(vertical="top", wrap_text=True)
CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
INFO_ALIGNMENT = Alignment(vertical="center", wrap_text=True)

# Excel's limit for one cell's text.
MAX_CELL_CHARS = 32767
# A leading character that a spreadsheet may read as the start of a formula.
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")
LINE_HEIGHT = 14.0  # points per wrapped line of 10 pt text, with room for wider fallback fonts
_CR = re.compile(r"\r\n?")


# --- cells ------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Text as a cell can hold it: line ends as LF, no XML-illegal characters, within Excel's limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", _CR.sub("\n", value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 2] + "……"
    return text


def put(ws: Worksheet, row: int, column: int, value: object, font: Font = BODY_FONT,
        alignment: Alignment = WRAP, border: bool = True) -> Cell:
    """Write one value: numbers as numbers, everything else as inert text."""
    cell = ws.cell(row=row, column=column)
    value = _plain(value)
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        _text(cell, "是" if value else "否")
    elif isinstance(value, (int, float)):
        cell.value = value
    else:
        _text(cell, str(value))
    cell.font = font
    cell.alignment = alignment
    if border:
        cell.border = BORDER
    return cell


def _plain(value: object) -> object:
    """A pandas or numpy cell as a plain Python value; None for every kind of blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _text(cell: Cell, value: str) -> None:
    text = clean_text(value)
    cell.value = text
    # Set after the value: openpyxl types a string starting with "=" as a formula.
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if text.startswith(FORMULA_LEAD):
        cell.quotePrefix = True


def put_light(ws: Worksheet, row: int, column: int, level: str) -> Cell:
    """A light as its mark and label (■ 红) on its colour; dark text on yellow, white elsewhere."""
    cell = put(ws, row, column, views.light_text(level), font=_light_font(level), alignment=CENTRE)
    cell.fill = PatternFill("solid", fgColor=levels.colour(level).lstrip("#"))
    return cell


def _light_font(level: str) -> Font:
    colour = "111827" if level == levels.YELLOW else "FFFFFF"
    return Font(name=FONT_NAME, size=10, bold=True, color=colour)


def display_width(text: str) -> float:
    """Width in Excel column units: a CJK or full-width character takes two."""
    return sum(2.2 if unicodedata.east_asian_width(ch) in "WF" else 1.15 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """Wrapped lines of `text` in a column `width` units wide."""
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n"))


def fit_row(ws: Worksheet, row: int, cells: Sequence[tuple[object, float]]) -> None:
    """Set a row's height to its tallest wrapped cell: Excel and WPS do not grow a
    row written by openpyxl by themselves."""
    lines = max((lines_needed("" if v is None else str(v), w) for v, w in cells), default=1)
    ws.row_dimensions[row].height = LINE_HEIGHT * lines + 4


# --- sheets -------------------------------------------------------------------------


def _heading(ws: Worksheet, snapshot: Snapshot, title: str, width: int, widths: Sequence[float]) -> None:
    """Title, then as-of month, version and legend, each merged across the table."""
    put(ws, TITLE_ROW, 1, title, font=TITLE_FONT, alignment=INFO_ALIGNMENT, border=False)
    info = f"{briefing.as_of_text(snapshot)}　{briefing.version_text(snapshot)}\n{briefing.legend(snapshot.plan)}"
    if snapshot.version.sample:
        info = f"{briefing.SAMPLE_NOTICE}\n{info}"
    put(ws, INFO_ROW, 1, info, font=SAMPLE_FONT if snapshot.version.sample else INFO_FONT,
        alignment=INFO_ALIGNMENT, border=False)
    total = sum(widths)
    ws.row_dimensions[TITLE_ROW].height = 22 * lines_needed(title, total / 1.4) + 6
    ws.row_dimensions[INFO_ROW].height = LINE_HEIGHT * lines_needed(info, total) + 6
    for row in (TITLE_ROW, INFO_ROW):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _header(ws: Worksheet, row: int, names: Sequence[str], widths: Sequence[float]) -> None:
    for column, name in enumerate(names, start=1):
        cell = put(ws, row, column, name, font=OPTIONAL_FONT, alignment=HEADER_ALIGNMENT)
        cell.fill = OPTIONAL_FILL
    fit_row(ws, row, list(zip(names, widths)))


def _print_setup(ws: Worksheet, snapshot: Snapshot, title_rows: str) -> None:
    """A4 landscape, fit to the page width, title rows on every page, page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = f"{briefing.as_of_text(snapshot)}　数据版本 v{snapshot.version.id}　第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def _set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def add_tasks_sheet(wb: Workbook, snapshot: Snapshot, plan: Plan) -> Worksheet:
    """推进情况汇总表: the 16 tasks under their five groups, each unit's latest report."""
    ws = wb.create_sheet(TASKS_SHEET)
    _set_widths(ws, TASK_WIDTHS)
    _heading(ws, snapshot, f"{plan.title}重点任务推进情况汇总表", len(TASK_COLUMNS), TASK_WIDTHS)
    _header(ws, HEADER_ROW, TASK_COLUMNS, TASK_WIDTHS)
    row = HEADER_ROW + 1
    group = None
    for task in briefing.task_rows(snapshot.status, plan):
        if task.group != group:
            group = task.group
            put(ws, row, 1, group, font=GROUP_FONT)
            for column in range(1, len(TASK_COLUMNS) + 1):
                ws.cell(row=row, column=column).fill = GROUP_FILL
                ws.cell(row=row, column=column).border = BORDER
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(TASK_COLUMNS))
            row += 1
        values = (task.no, task.name, task.lead, task.responsible, task.progress, task.problems)
        for column, value in enumerate(values, start=1):
            put(ws, row, column, value, alignment=CENTRE if column == 1 else WRAP)
        put_light(ws, row, len(TASK_COLUMNS), task.level)
        fit_row(ws, row, list(zip(values, TASK_WIDTHS)))
        row += 1
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    _print_setup(ws, snapshot, f"{TITLE_ROW}:{HEADER_ROW}")
    return ws


def _frame_rows(ws: Worksheet, top: int, frame: pd.DataFrame, widths: Sequence[float]) -> int:
    """A display table of yzlogi.views below its header row at `top`; the next free row."""
    names = list(frame.columns)
    _header(ws, top, names, widths)
    lights = {index for index, name in enumerate(names, start=1) if str(name).endswith("灯")}
    row = top + 1
    for record in frame.itertuples(index=False):
        for column, value in enumerate(record, start=1):
            level = briefing.light_level(value) if column in lights else None
            if level is not None:
                put_light(ws, row, column, level)
            else:
                put(ws, row, column, value, alignment=CENTRE if names[column - 1] == "序号" else WRAP)
        fit_row(ws, row, list(zip(record, widths)))
        row += 1
    return row


def add_indicators_sheet(wb: Workbook, snapshot: Snapshot, plan: Plan) -> Worksheet:
    """主要指标: the 8 indicators of the as-of year against 序时进度."""
    ws = wb.create_sheet(INDICATORS_SHEET)
    frame = briefing.indicator_table(snapshot.status)
    widths = [INDICATOR_WIDTHS.get(name, 14) for name in frame.columns]
    _set_widths(ws, widths)
    _heading(ws, snapshot, f"{plan.title}主要指标完成情况（{snapshot.status.current_year}年）",
             len(widths), widths)
    _frame_rows(ws, HEADER_ROW, frame, widths)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    _print_setup(ws, snapshot, f"{TITLE_ROW}:{HEADER_ROW}")
    return ws


def _auto_widths(frames: Sequence[pd.DataFrame], least: float = 7, most: float = 30) -> list[float]:
    """Column widths for tables stacked on one sheet: the widest value of each column
    (headers may wrap onto two lines), within [least, most]; longer text wraps."""
    count = max(len(f.columns) for f in frames)
    widths = [least] * count
    for frame in frames:
        for index, name in enumerate(frame.columns):
            values = ["" if v is None else str(v) for v in frame[name]]
            wanted = max([display_width(str(name)) / 2] +
                         [display_width(line) for text in values for line in text.split("\n")]) + 2
            widths[index] = min(max(widths[index], wanted), most)
    return widths


def routes_sheet_name(plan: Plan) -> str | None:
    """通道班次与船舶更新, or the part the plan has, or None for a plan with neither."""
    parts = [name for name, present in (("通道班次", plan.routes), ("船舶更新", plan.fleet)) if present]
    return "与".join(parts) or None


def add_routes_sheet(wb: Workbook, snapshot: Snapshot, plan: Plan) -> Worksheet | None:
    """通道班次与船舶更新: routes (as-of year and three years), new lines, fleet, the ship register."""
    status = snapshot.status
    count = len(plan.years)
    sections = [
        (f"通道班次（{status.current_year}年，年均目标按年考核，{plan.span}合计按{count}倍考核）", briefing.route_table(status)),
        ("新增线路", views.new_lines_table(status)),
        (f"船舶更新（{plan.last_year}年底前完成）", views.fleet_table(status)),
        ("船舶名册（状态为截至所选月份）", views.ships_table(status)),
    ]
    numbers = "一二三四"
    sections = [(f"{numbers[i]}、{title}", frame)
                for i, (title, frame) in enumerate((t, f) for t, f in sections if not f.empty)]
    widths = _auto_widths([frame for _, frame in sections])
    name = routes_sheet_name(plan)
    if name is None or not sections:
        return None
    ws = wb.create_sheet(name)
    _set_widths(ws, widths)
    _heading(ws, snapshot, f"{plan.title}{name}情况", len(widths), widths)
    row = HEADER_ROW
    for title, frame in sections:
        put(ws, row, 1, title, font=SECTION_FONT, border=False, alignment=Alignment(vertical="bottom"))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        ws.row_dimensions[row].height = 24
        row = _frame_rows(ws, row + 1, frame, widths) + 1
    _print_setup(ws, snapshot, f"{TITLE_ROW}:{INFO_ROW}")
    return ws


def _section_title(ws: Worksheet, row: int, title: str, width: int) -> int:
    put(ws, row, 1, title, font=SECTION_FONT, border=False, alignment=Alignment(vertical="bottom"))
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = 24
    return row + 1


def _note(ws: Worksheet, row: int, text: str, width: int) -> int:
    put(ws, row, 1, text, font=BODY_FONT, border=False, alignment=INFO_ALIGNMENT)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = LINE_HEIGHT * lines_needed(text, sum(FOLLOWUP_WIDTHS)) + 6
    return row + 1


def add_followups_sheet(wb: Workbook, snapshot: Snapshot, plan: Plan, section: FollowupSection) -> Worksheet:
    """督办事项: the open items by light (逾期, 临期, 办理中), then those closed since the last briefing."""
    ws = wb.create_sheet(FOLLOWUPS_SHEET)
    width = len(FOLLOWUP_WIDTHS)
    _set_widths(ws, FOLLOWUP_WIDTHS)
    _heading(ws, snapshot, f"{plan.title}督办事项办理情况", width, FOLLOWUP_WIDTHS)
    row = HEADER_ROW
    if section.empty:
        _note(ws, row, followup_section.NO_ITEMS, width)
    else:
        row = _note(ws, row, section.summary(), width)
        row = _section_title(ws, row, f"一、{followup_section.OPEN_TITLE}", width)
        row = (_frame_rows(ws, row, section.open_frame(), FOLLOWUP_WIDTHS) if section.open
               else _note(ws, row, followup_section.NO_OPEN, width)) + 1
        row = _section_title(ws, row, f"二、{section.closed_title()}", width)
        if section.closed:
            _frame_rows(ws, row, section.closed_frame(), FOLLOWUP_WIDTHS)
        else:
            _note(ws, row, section.no_closed(), width)
    _print_setup(ws, snapshot, f"{TITLE_ROW}:{INFO_ROW}")
    return ws


def render(snapshot: Snapshot, plan: Plan, day: date | None = None) -> bytes:
    """The briefing workbook's bytes, stamped with the version's commit time; its 督办事项 as on `day` (default today)."""
    wb = Workbook()
    wb.remove(wb.active)
    add_tasks_sheet(wb, snapshot, plan)
    add_indicators_sheet(wb, snapshot, plan)
    add_routes_sheet(wb, snapshot, plan)
    add_followups_sheet(wb, snapshot, plan, followup_section.followup_section(snapshot, day))
    wb.active = 0
    wb.properties.title = f"{plan.title}{briefing.TITLES[briefing.XLSX]}"
    wb.properties.subject = f"{briefing.as_of_text(snapshot)}，{briefing.version_text(snapshot)}"
    return workbook_bytes(wb, briefing.stamp(snapshot))


# Building blocks of the other official documents (the 督办通知单: yzlogi.followups.notice).
header = _header
frame_rows = _frame_rows
set_widths = _set_widths
