"""Uploads whose review is known exactly, shared by the review and 数据管理 page tests.

MAY is builders.good_sheets(); JUNE changes one value of it (indicator 2 from
5.6% to 4%), completes a ship and turns task 8's lead report from 滞后 to 序时推进.
JUNE_DIGEST is the change digest of JUNE against MAY, line for line; JUNE_MERGE what the
merge says of it (the page shows the merge's lines, then the digest's other lines).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from builders import Sheets, good_sheets

BROKEN_ROUTES = "很多"
BROKEN_UNIT = "区教委"


def may() -> Sheets:
    return good_sheets()


def june() -> Sheets:
    sheets = good_sheets()
    sheets["指标进展"][1][1][3] = "4.0"
    sheets["船舶更新"][1][1][2:4] = ["已完成", "2026-06"]
    sheets["任务进展"][1][2][3] = "序时推进"
    return sheets


def broken() -> Sheets:
    """Two errors: runs that are not a number, a unit that is not in the plan."""
    sheets = good_sheets()
    sheets["通道班次"][1][1][2] = BROKEN_ROUTES
    sheets["任务进展"][1][0][1] = BROKEN_UNIT
    return sheets


BROKEN_REPORT = [
    {"级别": "错误", "工作表": "通道班次", "行号": 3, "列": "开行班次", "单元格内容": "很多",
     "说明": "通道班次 第3行「开行班次」：无法识别“很多”，应为非负整数（可带单位 班次/班/列/次）"},
    {"级别": "错误", "工作表": "任务进展", "行号": 2, "列": "填报单位", "单元格内容": "区教委",
     "说明": "任务进展 第2行「填报单位」：无法识别“区教委”，应为 计划中的部门：区交通运输委/区发展改革委/区商务委/"
           "区经济信息委/区财政局/区产业发展促进局/区政府外办/区司法局/区科技局/区大数据发展局/各管委会"},
]

# What merging JUNE into MAY does, per sheet: JUNE sends every row of MAY again, three of them changed.
JUNE_MERGE = [
    "指标进展：新增 0 行，修改 1 行，重复报送未变 4 行，保留 0 行",
    "通道班次：新增 0 行，修改 0 行，重复报送未变 4 行，保留 0 行",
    "船舶更新：新增 0 行，修改 1 行，重复报送未变 1 行，保留 0 行",
    "任务进展：新增 0 行，修改 1 行，重复报送未变 2 行，保留 0 行",
    "本次上传涉及单位：区交通运输委、区发展改革委、区商务委",
    "本次上传涉及月份：2026-05、2026-06",
]

JUNE_DIGEST = [
    "指标进展：新增 0 行，修改 1 行，保留 4 行",
    "船舶更新：新增 0 行，修改 1 行，保留 1 行",
    "任务进展：新增 0 行，修改 1 行，保留 2 行",
    "指标数值变化（1项）：",
    "  指标2 行业规上企业营收增速 2026年6月：5.6% → 4%",
    "亮灯变化（2项）：",
    "  指标2 行业规上企业营收增速（2026年）：绿灯 → 红灯",
    "  任务8 提升通道运力投入强度：红灯 → 绿灯",
    "任务状态变化（1项）：",
    "  任务8 区交通运输委（牵头单位）：滞后（2026年6月） → 序时推进（2026年6月）",
    "新完成船舶（1项）：",
    "  渝中甲醇01（甲醇动力船舶更新）2026年6月完成",
    "2026年6月未报送（11个单位，共44项）：",
    "  区财政局：任务1",
    "  区产业发展促进局：任务2、11",
    "  区商务委：任务2、3、4、5、6、7、8、9、10、11、12、13、14",
    "  区交通运输委：任务3、4、5、6、7、9、10、13、14、15、16",
    "  区经济信息委：任务3、4、6、13",
    "  各管委会：任务3、13",
    "  区发展改革委：任务4、5、9、13、14、16",
    "  区政府外办：任务10、11",
    "  区司法局：任务12",
    "  区科技局：任务15",
    "  ……另有 1 项",
]


def write_with_text_cells(path: Path, sheets: Sheets, text_cells: dict[tuple[str, int, int], str]) -> Path:
    """Like builders.write_xlsx, with some cells stored as text the way Excel keeps '=1+1."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    for (name, row, column), text in text_cells.items():
        cell = workbook[name].cell(row=row, column=column)
        cell.value = text
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
    workbook.save(path)
    return path
