"""催报清单: the units that still owe rows for a month, what they owe, and the message to send.

One sheet in the official style of the other exports (yzlogi.template's fonts and
borders): a title, the message ready to paste into the work group's chat, then one
row per unit that owes anything with its items. Deterministic: the bytes depend only
on the returns (the day they were judged on is in them), never on the clock.
"""

from __future__ import annotations

from datetime import datetime

from yzlogi.returns import STATE_LABELS, Returns, chase_text

COLUMNS = ("序号", "单位", "状态", "应报项数", "已报项数", "未报送事项")
WIDTHS = (6, 18, 10, 10, 10, 80)


def file_name(returns: Returns) -> str:
    return f"催报清单_{returns.month.label}.xlsx"


def chase_workbook(returns: Returns, title: str) -> bytes:
    """The 催报清单 as .xlsx bytes; `title` names the plan."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from yzlogi.template import BORDER, HEADER_ALIGNMENT, OPTIONAL_FILL, OPTIONAL_FONT, TEXT_FORMAT, workbook_bytes

    wb = Workbook()
    ws = wb.active
    ws.title = "催报清单"
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    span = len(COLUMNS)
    ws.cell(1, 1, f"{title} {returns.month.label}进展报送催报清单").font = Font(name="等线", size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=span)
    ws.cell(2, 1, f"报送截止：{returns.due.isoformat()}　统计日期：{returns.today.isoformat()}").font = Font(name="等线", size=10)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=span)
    message = ws.cell(3, 1, chase_text(returns))
    message.alignment = Alignment(wrap_text=True, vertical="top")
    message.number_format = TEXT_FORMAT
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=span)
    ws.row_dimensions[3].height = max(30, 15 * (len(message.value) // 60 + 1))
    for index, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(5, index, name)
        cell.fill, cell.font, cell.alignment, cell.border = OPTIONAL_FILL, OPTIONAL_FONT, HEADER_ALIGNMENT, BORDER
    for number, unit in enumerate(returns.to_chase, start=1):
        row = 5 + number
        values = (number, unit.unit, STATE_LABELS[unit.state], len(unit.owed), unit.sent,
                  "；".join(item.title for item in unit.unsent))
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row, index, value)
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, str):
                cell.number_format = TEXT_FORMAT  # text stays text: a unit name is never a formula
    ws.freeze_panes = "A6"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    stamp = datetime.combine(returns.today, datetime.min.time()).replace(hour=9)
    return workbook_bytes(wb, stamp)
