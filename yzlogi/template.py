"""The fill-in template officials download, generated from the schema (openpyxl).

Every data sheet of the plan's workbook (yzlogi.schema.for_plan) is laid out the same way: a title row
naming the plan, a note row, the header (the schema's headers exactly, required
ones in a darker fill), then data. Drop-downs point at a hidden lists sheet built
from the plan; month and text cells are text-formatted so Excel does not turn
2026-06 into a date. The template's percentages (完成进度, and the value cells of
the percent indicators) are percent-formatted (0.0%), so what is typed shows what
is meant and survives every round trip: "5.2%" typed in Excel, WPS or LibreOffice
is stored as 0.052 in a % cell and read as 5.2 (never 0.05 % in a plain-number
cell), and a CSV saved from it says 5.2%. A plain 5.2 in such a cell shows as
5.2 % in Excel and WPS (their automatic percent entry) but 520 % in LibreOffice:
the guide asks for the % sign, and the reader questions what still looks wrong
(yzlogi.ambiguous). A 填报说明 sheet comes first, its table taken from
dictionary.dictionary_rows(). The sample workbook (yzlogi.sample) is written with the
same layout (its filled values keep plain-number formats), so both read like what
officials send back.

Saving is deterministic (fixed document and zip-entry timestamps): the same plan
gives the same bytes, so a downloaded template can be compared and cached.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from yzlogi.plan import Plan
from yzlogi.dictionary import dictionary_rows
from yzlogi.schema import Column, Sheet, for_plan, value_periods

GUIDE_SHEET = "填报说明"
LISTS_SHEET = "下拉选项"

# Row layout of every data sheet (1-based, as Excel shows it).
TITLE_ROW = 1
NOTE_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4
# Drop-downs and input hints reach this far down, so rows officials add get them too.
LAST_VALIDATED_ROW = 5000
# The lists sheet: a title row, then each list's name above its values.
LISTS_HEADER_ROW = 2


def template_stamp(plan: Plan) -> datetime:
    """The template's document timestamp: the plan's issue date at 9:00, never the wall clock."""
    try:
        return datetime.combine(date.fromisoformat(plan.issued), datetime.min.time()).replace(hour=9)
    except ValueError:  # an issue date written otherwise: the plan's first day
        return datetime(plan.first_year, 1, 1, 9, 0, 0)


TEXT_FORMAT = "@"
INTEGER_FORMAT = "0"
DECIMAL_FORMAT = "0.0"
PERCENT_FORMAT = "0.0%"  # the template's empty percent cells (a real percent format)
DATE_FORMAT = "yyyy-mm-dd"

_THIN = Side(style="thin", color="9FA8B3")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TITLE_FONT = Font(name="等线", size=14, bold=True)
NOTE_FONT = Font(name="等线", size=9, italic=True, color="595959")
REQUIRED_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FONT = Font(name="等线", size=11, bold=True, color="FFFFFF")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
OPTIONAL_FONT = Font(name="等线", size=11, bold=True, color="1F2D3D")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
CELL_FONT = Font(name="等线", size=11)
WRAP = Alignment(vertical="top", wrap_text=True)
TITLE_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
TOP = Alignment(vertical="top")
# Columns at least this wide hold running text and wrap.
WRAP_FROM_WIDTH = 24

HEADER_LEGEND = "深蓝色表头为必填列，浅蓝色为选填列；请勿修改表头文字和工作表名称。"

Rows = Mapping[str, Sequence[Mapping[str, object]]]


# --- what the plan puts into the template --------------------------------------


def workbook_title(plan: Plan) -> str:
    """计划名称 + 进度填报表."""
    return f"{plan.title}进度填报表"


def sheet_title(plan: Plan, sheet: Sheet, prefix: str = "") -> str:
    """The title row of a data sheet; optional sheets say 可选."""
    need = "必填" if sheet.required else "可选"
    return f"{prefix}{workbook_title(plan)}——{sheet.name}（{need}）"


def fillable_indicators(plan: Plan) -> tuple[int, ...]:
    """Indicator numbers officials report: a composite one is computed from 通道班次."""
    return tuple(i.no for i in plan.reported_indicators)


def coordinator(plan: Plan) -> str:
    """The unit that collects the departments' returns (plan: coordinator; design: «usually 区交通运输委»)."""
    return plan.office


def column_list(plan: Plan, sheet: Sheet, column: Column) -> tuple[str, tuple[object, ...]] | None:
    """(list name, values) of a column's drop-down, or None for a free column."""
    if column.kind == "indicator_no":
        return "指标编号", fillable_indicators(plan)
    if column.kind == "task_no":
        return "任务编号", tuple(t.no for t in plan.tasks)
    if column.kind == "department":
        return "部门", tuple(d.name for d in plan.departments)
    if column.kind == "route":
        return "线路", tuple(r.name for r in plan.routes)
    if column.kind == "fleet_category":
        return "船舶类别", tuple(f.category for f in plan.fleet)
    if column.kind == "goal":
        return "目标名称", tuple(g.name for g in plan.goals)
    if column.kind == "yesno":
        return "是否", ("是", "否")
    if column.kind == "choice":
        return f"{sheet.name}{column.header}", column.choice_values()
    return None


def lists(plan: Plan) -> dict[str, tuple[object, ...]]:
    """Every drop-down list of the workbook, by name, in schema order."""
    found: dict[str, tuple[object, ...]] = {}
    for sheet in for_plan(plan):
        for column in sheet.columns:
            entry = column_list(plan, sheet, column)
            if entry is not None:
                found.setdefault(*entry)
    return found


def prefilled_rows(plan: Plan) -> dict[str, list[dict[str, object]]]:
    """Rows the template fills in to save typing, by sheet key and column key:
    every task × each of its units, the reported indicators, the plan's routes."""
    return {
        "indicators": [
            {"indicator_no": i.no, "indicator_name": i.name}
            for i in plan.indicators
            if i.no in fillable_indicators(plan)
        ],
        "routes": [{"route": r.name} for r in plan.routes],
        "tasks": [{"task_no": t.no, "department": unit} for t in plan.tasks for unit in t.units],
    }


def guide_lines(plan: Plan) -> list[str]:
    """The short instructions at the top of 填报说明, from the plan's own sheets, numbers and names."""
    sheets = for_plan(plan)
    required = "、".join(s.name for s in sheets if s.required)
    optional = "、".join(s.name for s in sheets if not s.required)
    keys = {s.key for s in sheets}
    percent = "、".join(str(i.no) for i in plan.reported_indicators if i.is_percent)
    one_row = ["指标进展每个指标、每个统计期一行"]
    if "routes" in keys:
        one_row.append("通道班次每条线路、每月一行")
    if "ships" in keys:
        one_row.append("船舶更新每艘船一行")
    one_row.append("任务进展每个任务、每个牵头或责任单位、每月一行")
    composite = plan.composite
    computed = f"指标{composite.no}由“通道班次”自动计算，无需填写。" if composite else ""
    percent_rule = (f"指标{percent}填百分数，请带 % 输入（如 10.5%），这些单元格已设为百分比格式"
                    "（在 LibreOffice 中只输入 10.5 会显示为 1050%）；" if percent else "")
    prefilled = ["指标编号和名称"]
    if plan.routes:
        prefilled.append(f"{len(plan.routes)}条线路")
    prefilled.append("每个任务的全部牵头和责任单位")
    lists = ["部门", "状态"]
    if plan.routes:
        lists.insert(1, "线路")
    if plan.fleet:
        lists.insert(-1, "类别")
    runs = "开行班次填当月数，不是累计数。" if plan.routes else ""
    new_lines = "新开线路可直接输入线路名称。" if plan.routes else ""
    return [
        "一、怎么填",
        f"1. 必填工作表：{required}" + (f"；可选工作表：{optional}（没有数据可留空）" if optional else "")
        + f"。每个工作表第{HEADER_ROW}行为表头，{HEADER_LEGEND}可以调整列宽、增加行。",
        f"2. 一行一条记录：{'；'.join(one_row)}。",
        f"3. 完成值为统计期末的值：{value_periods(plan)}；{percent_rule}{computed}",
        f"4. 统计期、月份按“{plan.start}”的格式填写（单元格已设为文本格式，Excel 不会改成日期），也可写“{plan.start.label}”；"
        + runs,
        f"5. 表中已预填{'、'.join(prefilled)}。请补齐统计期、状态、数值；"
        "本期不填报的预填行请整行删除，只有编号和单位的行会被当作缺少必填项。",
        f"6. 下拉框中的{'、'.join(lists)}为计划中的写法；{new_lines}",
        "7. 督办反馈（可选）：对督办事项的办理反馈，每个事项一行，填事项编号和办理情况；已办完的在“申请办结”填“是”，"
        f"由{coordinator(plan)}审核后销号。反馈记入该事项的办理记录，不改变进度数据。",
        f"二、报送：各单位填好后报送{coordinator(plan)}汇总，在进度看板上传；上传时如有错误，"
        "系统会逐条指出工作表、行号、列名和单元格内容，改正后重新上传即可，已有数据不会丢失。"
        "上传的行合并到已有数据：唯一列（见数据字典，如指标编号+统计期）相同的行更新为新填的内容，"
        "表中没有的行原样保留，所以只需填本月的行；要删除以前报送的某一行，另起一行填好其唯一列，"
        "并在“删除”列填“是”。",
        "三、各列填写要求（数据字典）",
    ]


# --- building sheets ---------------------------------------------------------------


def new_workbook() -> Workbook:
    """An empty workbook (openpyxl's default sheet removed)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def add_lists_sheet(workbook: Workbook, plan: Plan, title_prefix: str = "") -> dict[str, str]:
    """The hidden lists sheet (title row, list names, values below); returns each
    list's range formula for drop-downs."""
    ws = workbook.create_sheet(LISTS_SHEET)
    ws.cell(row=TITLE_ROW, column=1, value=f"{title_prefix}下拉选项（供下拉框引用，请勿修改）").font = Font(bold=True)
    formulas: dict[str, str] = {}
    for index, (name, values) in enumerate(lists(plan).items(), start=1):
        letter = get_column_letter(index)
        ws.cell(row=LISTS_HEADER_ROW, column=index, value=name).font = Font(bold=True)
        for row, value in enumerate(values, start=LISTS_HEADER_ROW + 1):
            ws.cell(row=row, column=index, value=value)
        ws.column_dimensions[letter].width = max(12, max(len(str(v)) for v in values) * 2 + 2)
        first, last = LISTS_HEADER_ROW + 1, LISTS_HEADER_ROW + len(values)
        formulas[name] = f"'{LISTS_SHEET}'!${letter}${first}:${letter}${last}"
    ws.sheet_state = "hidden"
    return formulas


def _number_format(plan: Plan, column: Column, row: Mapping[str, object], value: object,
                   percent_format: bool = False) -> str:
    """How a data cell is formatted: months and text as text, counts as integers; with
    `percent_format` (the templates), a percent cell as a percent."""
    if percent_format and _is_percent_cell(plan, column, row) and not isinstance(value, str):
        return PERCENT_FORMAT
    if column.kind == "date_month" and isinstance(value, (date, datetime)):
        return DATE_FORMAT
    if column.kind in ("count", "indicator_no", "task_no", "item_no"):
        return INTEGER_FORMAT
    if column.kind == "percent":
        return DECIMAL_FORMAT if isinstance(value, float) else INTEGER_FORMAT
    if column.kind == "indicator_value":
        no = row.get("indicator_no")
        if isinstance(no, int) and no in {i.no for i in plan.indicators}:
            return DECIMAL_FORMAT if plan.indicator(no).is_percent else INTEGER_FORMAT
        return "General"
    if column.kind == "number":
        return "General"
    return TEXT_FORMAT


def _is_percent_cell(plan: Plan, column: Column, row: Mapping[str, object]) -> bool:
    """Whether the cell holds a percentage: 完成进度, or a percent indicator's value."""
    if column.kind == "percent":
        return True
    if column.kind == "indicator_value":
        no = row.get("indicator_no")
        return isinstance(no, int) and no in {i.no for i in plan.indicators if i.is_percent}
    return False


def _column_format(column: Column, percent_format: bool = False) -> str:
    """The format of a column's empty cells (what Excel applies to typed values)."""
    if percent_format and column.kind == "percent":
        return PERCENT_FORMAT
    if column.kind in ("count", "indicator_no", "task_no", "item_no"):
        return INTEGER_FORMAT
    if column.kind in ("percent", "indicator_value", "number"):
        return "General"
    return TEXT_FORMAT


def _validation(plan: Plan, sheet: Sheet, column: Column, formulas: dict[str, str],
                percent_format: bool = False) -> DataValidation:
    """A column's drop-down or range check, with the column's help as the input hint."""
    entry = column_list(plan, sheet, column)
    title = column.header[:32]
    prompt = column.help[:255]
    if entry is not None:
        name = entry[0]
        # Plan names have aliases and synonyms the reader accepts, and a new route is a
        # new line: those warn or inform; fixed choices (状态, 编号, 是否) stop.
        style = {"线路": "information", "部门": "warning", "船舶类别": "warning", "目标名称": "warning"}.get(
            name, "stop"
        )
        # The range goes in bare, without '=': the file format stores formulas as Excel writes them.
        dv = DataValidation(type="list", formula1=formulas[name], allow_blank=True, errorStyle=style)
        dv.error = f"请从下拉列表中选择{column.header}。"
    elif column.kind == "percent" and percent_format:
        # A percent cell stores the fraction: 60% is 0.6.
        low = 0 if column.minimum is None else column.minimum
        high = 100 if column.maximum is None else column.maximum
        dv = DataValidation(type="decimal", operator="between", formula1=f"{low / 100:g}",
                            formula2=f"{high / 100:g}", allow_blank=True, errorStyle="warning")
        dv.error = f"{column.header}应为 {low:g}%—{high:g}% 之间的百分数，请带 % 输入，如 60%。"
    elif column.kind == "percent":
        low = 0 if column.minimum is None else column.minimum
        high = 100 if column.maximum is None else column.maximum
        dv = DataValidation(type="decimal", operator="between", formula1=f"{low:g}", formula2=f"{high:g}",
                            allow_blank=True, errorStyle="warning")
        dv.error = f"{column.header}应为 {low:g}—{high:g} 之间的数（百分数的数值，60 表示 60%）。"
    elif column.kind == "count":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            errorStyle="warning")
        dv.error = f"{column.header}应为非负整数。"
    else:
        dv = DataValidation(allow_blank=True)
    dv.errorTitle = title
    dv.promptTitle = title
    dv.prompt = prompt
    dv.showInputMessage = True
    dv.showErrorMessage = True
    return dv


def add_data_sheet(
    workbook: Workbook,
    plan: Plan,
    sheet: Sheet,
    rows: Sequence[Mapping[str, object]],
    formulas: dict[str, str],
    title_prefix: str = "",
    note: str = "",
    percent_format: bool = False,
) -> Worksheet:
    """One schema sheet in the template's layout, with rows given by column key
    (`percent_format`: empty percent cells formatted as percent, as in the template)."""
    ws = workbook.create_sheet(sheet.name)
    width = len(sheet.columns)
    last_letter = get_column_letter(width)

    title = ws.cell(row=TITLE_ROW, column=1, value=sheet_title(plan, sheet, title_prefix))
    title.font = TITLE_FONT
    title.alignment = TITLE_ALIGNMENT
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)
    ws.row_dimensions[TITLE_ROW].height = _title_height(title.value, sum(c.width for c in sheet.columns))
    note_cell = ws.cell(row=NOTE_ROW, column=1, value=(note or sheet.help) + HEADER_LEGEND)
    note_cell.font = NOTE_FONT
    note_cell.alignment = WRAP
    ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=width)
    ws.row_dimensions[NOTE_ROW].height = _wrapped_height(note_cell.value, sum(c.width for c in sheet.columns))

    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=HEADER_ROW, column=index, value=column.header)
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        cell.alignment = HEADER_ALIGNMENT
        cell.border = BORDER
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = _column_format(column, percent_format)
        dv = _validation(plan, sheet, column, formulas, percent_format)
        dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_VALIDATED_ROW}")
        ws.add_data_validation(dv)
    ws.row_dimensions[HEADER_ROW].height = 30

    for offset, row in enumerate(rows):
        number = FIRST_DATA_ROW + offset
        for index, column in enumerate(sheet.columns, start=1):
            value = row.get(column.key)
            if (percent_format and isinstance(value, (int, float)) and not isinstance(value, bool)
                    and _is_percent_cell(plan, column, row)):
                value = value / 100  # a percent cell stores the fraction: 60% is 0.6, shown as 60.0%
            cell = ws.cell(row=number, column=index, value=None if value == "" else value)
            cell.font = CELL_FONT
            cell.border = BORDER
            cell.number_format = _number_format(plan, column, row, value, percent_format)
            cell.alignment = WRAP if column.width >= WRAP_FROM_WIDTH else TOP

    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{HEADER_ROW + max(len(rows), 1)}"
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    _fit_to_width(ws, landscape=True)
    return ws


def _fit_to_width(ws: Worksheet, landscape: bool) -> None:
    """Print one page wide, as many pages long as needed."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def add_text_sheet(workbook: Workbook, name: str, title: str, lines: Sequence[str], widths: Sequence[int],
                   index: int | None = None) -> Worksheet:
    """A sheet of instructions: a title, then one wrapped line per entry, each merged
    across the given columns; headings (一、二、…) in bold."""
    ws = workbook.create_sheet(name, index)
    span = len(widths)
    for number, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    heading = ws.cell(row=1, column=1, value=title)
    heading.font = TITLE_FONT
    heading.alignment = TITLE_ALIGNMENT
    ws.row_dimensions[1].height = _title_height(title, sum(widths))
    _fit_to_width(ws, landscape=False)
    for number, line in enumerate([title, *lines], start=1):
        if number > 1:
            cell = ws.cell(row=number, column=1, value=line)
            heading = line[1:2] == "、"
            cell.font = Font(name="等线", size=11, bold=heading)
            cell.alignment = WRAP
            ws.row_dimensions[number].height = _wrapped_height(line, sum(widths))
        if span > 1:
            ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=span)
    return ws


def add_guide_sheet(workbook: Workbook, plan: Plan, intro: Sequence[str] = ()) -> Worksheet:
    """填报说明, first: short instructions, then the data dictionary as a table."""
    table = dictionary_rows(plan)
    keys = list(table[0])
    widths = {"工作表": 16, "列名": 12, "也可写作": 24, "类型": 16, "是否必填": 14, "填写要求": 50, "示例": 16}
    lines = [*intro, *guide_lines(plan)]
    ws = add_text_sheet(workbook, GUIDE_SHEET, f"{workbook_title(plan)} 填报说明", lines,
                        [widths.get(k, 14) for k in keys], index=0)
    header_row = len(lines) + 2
    for index, key in enumerate(keys, start=1):
        cell = ws.cell(row=header_row, column=index, value=key)
        cell.fill, cell.font, cell.alignment, cell.border = OPTIONAL_FILL, OPTIONAL_FONT, HEADER_ALIGNMENT, BORDER
    for number, entry in enumerate(table, start=header_row + 1):
        ws.row_dimensions[number].height = max(
            _wrapped_height(entry[key], widths.get(key, 14)) for key in keys
        )
        for index, key in enumerate(keys, start=1):
            cell = ws.cell(row=number, column=index, value=entry[key] or None)
            cell.number_format = TEXT_FORMAT
            cell.alignment = WRAP
            cell.border = BORDER
            if key == "是否必填" and entry[key] == "必填":
                cell.font = Font(name="等线", size=11, bold=True, color="C00000")
    ws.freeze_panes = f"A{header_row + 1}"
    return ws


def guide_table_row(plan: Plan) -> int:
    """The row of the data dictionary's header in 填报说明: after the title and the lines."""
    return len(guide_lines(plan)) + 2


def _wrapped_height(text: str, width_units: float, line_height: float = 15.0, char_units: float = 2.0) -> float:
    """A row height fitting wrapped text: Excel does not grow merged or preset rows by
    itself. A CJK character at 11 pt takes about two width units."""
    lines = max(1, math.ceil(len(text) * char_units / max(width_units - 1, 1)))
    return line_height * lines + 3


def _title_height(text: str, width_units: float) -> float:
    return _wrapped_height(text, width_units, line_height=20.0, char_units=2.6)


def build_workbook(plan: Plan, rows: Rows, title_prefix: str = "", note_prefix: str = "",
                   percent_format: bool = False, stored_only: bool = False) -> Workbook:
    """Every schema sheet in the template's layout, filled with `rows` (sheet key →
    rows by column key), and the hidden lists sheet last; `stored_only`: without
    督办反馈 (a record, such as the sample, holds no answers)."""
    workbook = new_workbook()
    formulas = add_lists_sheet(workbook, plan, title_prefix)
    for sheet in for_plan(plan):
        if stored_only and not sheet.stored:
            continue
        add_data_sheet(workbook, plan, sheet, rows.get(sheet.key, ()), formulas, title_prefix,
                       note_prefix + sheet.help if note_prefix else "", percent_format=percent_format)
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames) - 1)
    workbook.active = 0
    return workbook


def build_template(plan: Plan, rows: Rows | None = None, intro: Sequence[str] = ()) -> Workbook:
    """The fill-in template: 填报说明 (with `intro` first), the plan's data sheets holding `rows`
    (default: the blank template's prefilled keys), the hidden lists."""
    workbook = build_workbook(plan, prefilled_rows(plan) if rows is None else rows, percent_format=True)
    add_guide_sheet(workbook, plan, intro)
    workbook.active = 0
    return workbook


# --- saving ------------------------------------------------------------------------


def workbook_bytes(workbook: Workbook, stamp: datetime) -> bytes:
    """The .xlsx bytes with `stamp` as created/modified time and every zip entry's time,
    so that the same content always gives the same bytes."""
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "yzlogi"
    workbook.properties.lastModifiedBy = "yzlogi"
    raw = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook stamps the wall clock as modified.
    ExcelWriter(workbook, ZipFile(raw, "w", ZIP_DEFLATED, allowZip64=True)).save()
    fixed = io.BytesIO()
    with ZipFile(io.BytesIO(raw.getvalue())) as source, ZipFile(fixed, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


def save_workbook(workbook: Workbook, target: str | Path | BinaryIO, stamp: datetime) -> None:
    """Write the workbook deterministically to a path or a binary file object."""
    data = workbook_bytes(workbook, stamp)
    if isinstance(target, (str, Path)):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def write_template(target: str | Path | BinaryIO, plan: Plan) -> None:
    """Write the fill-in template to a path or a binary file object."""
    save_workbook(build_template(plan), target, template_stamp(plan))
