"""An upload whose numbers read two ways (issue 13, yzlogi.ambiguous), shared by the
command line, report and page tests: every cell a plain number as Excel stores it
(openpyxl, General format), and the warnings it must give, word for word."""

from __future__ import annotations

from builders import good_sheets

NAMES = {1: "现代物流业占全区GDP比重", 2: "行业规上企业营收增速", 3: "行业规上企业新增数量", 4: "多式联运营收增速",
         7: "海外分拨仓个数", 8: "国际货代备案企业数量"}


def ambiguous_sheets():
    sheets = good_sheets()
    header, _ = sheets["指标进展"]
    sheets["指标进展"] = (header, [
        [no, NAMES[no], month, value, "区交通运输委", ""] for no, month, value in [
            (1, "2026-05", 9.8),
            (1, "2026-06", 0.102),    # 10.2 % stored as Excel stores a typed "10.2%", the cell not a % one
            (2, "2026-05", 0.8),      # 0.8 % growth: nearer the 5 % target than 80 % is
            (2, "2026-06", 0.056),    # 5.6 %: nearer last month's 0.8 % than 0.056 % is
            (4, "2026-06", "0.05%"),  # explicit, but 200 times below the 10 % target
            (7, "2026-05", 26),
            (7, "2026-06", 300),      # a slip for 30: 11 × the 28 target, 12 × last month
            (3, "2026-06", 1),
            (8, "2026-06", 66),
        ]])
    ships = sheets["船舶更新"][1]
    ships[0][3] = 45797  # a date typed into a number-formatted cell: its Excel serial, 2025-05-20
    tasks = sheets["任务进展"][1]
    tasks[0][4] = 0.6  # 60 % as a fraction, beside 50 and 40 in the same column
    tasks[1][4] = 50
    return sheets


MIXED_INDICATOR = ("指标进展 第3行「完成值」：指标1的百分数写法不统一：既有 0—1 之间的小数（如第3行的 0.102），也有 1—100 之间的数"
                   "（如第2行的 9.8），0.6 可能是 60% 也可能是 0.6%；请核对并统一写成带 % 的百分数，如 60%")
MIXED_TASKS = ("任务进展 第2行「完成进度」：本列百分数写法不统一：既有 0—1 之间的小数（如第2行的 0.6），也有 1—100 之间的数"
               "（如第3行的 50），0.6 可能是 60% 也可能是 0.6%；请核对并统一写成带 % 的百分数，如 60%")
FRACTION = "单元格不是百分比格式，按 Excel 等软件存放 5.2% 的方式（0.052）理解"

# (sheet, row, column, code, message): the upload's warnings in the report's order.
WARNINGS = [
    ("指标进展", 3, "完成值", "ambiguous_percent",
     "指标进展 第3行「完成值」：0.102：是 10.2% 还是 0.102%？已按 10.2% 计（更接近上月（2026-05）的 9.8%），如不对请写明 %，如 10.2%"),
    ("指标进展", 3, "完成值", "mixed_percent_scale", MIXED_INDICATOR),
    ("指标进展", 4, "完成值", "ambiguous_percent",
     "指标进展 第4行「完成值」：0.8：是 80% 还是 0.8%？已按 0.8% 计（更接近2026年目标 5%），如不对请写明 %，如 80%"),
    ("指标进展", 5, "完成值", "ambiguous_percent",
     "指标进展 第5行「完成值」：0.056：是 5.6% 还是 0.056%？已按 5.6% 计（更接近上月（2026-05）的 0.8%），如不对请写明 %，如 5.6%"),
    ("指标进展", 6, "完成值", "implausible_value",
     "指标进展 第6行「完成值」：指标4 2026-06 的完成值 0.05% 与2026年目标 10% 相差 200 倍，是否填错了数值、小数点或单位"
     "（如把 5% 写成了 0.05）？请核对"),
    ("指标进展", 8, "完成值", "implausible_value",
     "指标进展 第8行「完成值」：指标7 2026-06 的完成值 300个 与2026年目标 28个 相差 11 倍，与上月（2026-05）的 26个 相差 12 倍，"
     "是否填错了数值、小数点或单位（如把 5% 写成了 0.05）？请核对"),
    ("船舶更新", 2, "完成日期", "date_serial",
     "船舶更新 第2行「完成日期」：45797 按日期 2025-05-20 读取（单元格中的日期成了 Excel 的日期序号，请核对，"
     "最好把单元格设为文本后填 2025-05-20 这样的写法）"),
    ("任务进展", 2, "完成进度", "ambiguous_percent",
     f"任务进展 第2行「完成进度」：0.6：是 60% 还是 0.6%？已按 60% 计（{FRACTION}），如不对请写明 %，如 60%"),
    ("任务进展", 2, "完成进度", "mixed_percent_scale", MIXED_TASKS),
]
# What is stored: the readings taken.
INDICATOR_VALUES = [(1, "2026-05", 9.8), (1, "2026-06", 10.2), (2, "2026-05", 0.8), (2, "2026-06", 5.6),
                    (4, "2026-06", 0.05), (7, "2026-05", 26.0), (7, "2026-06", 300.0), (3, "2026-06", 1.0),
                    (8, "2026-06", 66.0)]
PROGRESS = [60.0, 50.0, 40.0]
COMPLETED = ["2025-05", None]
