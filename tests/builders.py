"""Real workbooks for tests, written with openpyxl the way an official's Excel would.

`good_sheets()` is a small, valid workbook content (every required sheet, a few
rows); tests copy it and break one thing. `write_xlsx` writes sheets with an
optional title row above the header, as officials do.
"""

from __future__ import annotations

import copy
from pathlib import Path

from openpyxl import Workbook

Sheets = dict[str, tuple[list[str], list[list[object]]]]


def good_sheets() -> Sheets:
    """A valid workbook's content: sheet name → (header, rows)."""
    return copy.deepcopy(
        {
            "指标进展": (
                ["指标编号", "指标名称", "统计期", "完成值", "填报单位", "备注"],
                [
                    [1, "现代物流业占全区GDP比重", "2026-06", "10.2%", "区交通运输委", ""],
                    [2, "行业规上企业营收增速", "2026-06", "5.6", "区交通运输委", ""],
                    [3, "行业规上企业新增数量", "2026-06", "1", "区交通运输委", ""],
                    [7, "海外分拨仓个数", "2026-06", "27", "区交通运输委", ""],
                    [8, "国际货代备案企业数量", "2026-06", "66", "区商务委", ""],
                ],
            ),
            "通道班次": (
                ["线路", "月份", "开行班次", "备注"],
                [
                    ["东盟班车", "2026-05", 250, ""],
                    ["东盟班车", "2026-06", 260, ""],
                    ["渝甬班列", "2026-06", 25, ""],
                    ["渝穗班列", "2026-06", 8, ""],
                ],
            ),
            "船舶更新": (
                ["船名", "类别", "状态", "完成日期", "所属企业", "备注"],
                [
                    ["渝中LNG01", "LNG动力船舶更新", "已完成", "2026-03", "重庆某航运有限公司", ""],
                    ["渝中甲醇01", "甲醇动力船舶更新", "在建", "", "重庆某航运有限公司", ""],
                ],
            ),
            "任务进展": (
                ["任务编号", "填报单位", "统计期", "状态", "完成进度", "进展情况", "存在问题", "下步计划"],
                [
                    [1, "区交通运输委", "2026-06", "序时推进", "50%", "修订扶持政策", "", "征求意见"],
                    [1, "区发展改革委", "2026-06", "序时推进", "50", "配合修订", "", ""],
                    [8, "区交通运输委", "2026-06", "滞后", 40, "班次不足", "货源不稳", "加密班次"],
                ],
            ),
        }
    )


def write_xlsx(path: Path, sheets: Sheets, title: str | None = None) -> Path:
    """Write sheets to an .xlsx; with `title`, a merged title row and a blank row sit above the header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(name)
        if title:
            sheet.append([title])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(header), 1))
            sheet.append([])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding: str = "utf-8") -> Path:
    """Write one sheet as CSV the way Excel's «CSV (逗号分隔)» does (CRLF, quoted when needed)."""
    import csv

    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
    return path


def convert_with_libreoffice(path: Path, fmt: str, outdir: Path | None = None) -> Path:
    """Convert a workbook with LibreOffice (xls, ods, xlsx …) the way an official's office suite
    saves it; a private profile lets several conversions run side by side."""
    import subprocess
    import tempfile

    outdir = outdir or path.parent
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(outdir), str(path)],
            check=True, capture_output=True, timeout=180,
        )
    converted = outdir / f"{path.stem}.{fmt.split(':')[0]}"
    if not converted.exists():
        raise RuntimeError(f"LibreOffice did not write {converted}")
    return converted
