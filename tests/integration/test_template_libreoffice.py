"""Issue 13: the fill-in template filled in LibreOffice Calc the way an official types into
it (tests/lo_fill.py: Calc's own input handling, through its UNO bridge), saved as
.xlsx, .ods, .xls and one CSV per sheet, then imported.

The template's percent cells are percent-formatted, so "10.2%" typed there is 10.2 in
every format, CSV included. What still goes wrong is questioned, never taken silently:
"5.6%" typed into a cell left with a plain 0.0 format (as the template had it) arrives
as 0.056 and is read as 5.6 with a warning; a bare 12 typed into a percent cell is
1200 % in LibreOffice and gets a plausibility warning; a date typed into the template's
完成日期 (text-formatted by its column, which Calc's input does not heed) or into a cell
an official set to a number format arrives as its serial and is read as that date, with
a warning. A CSV carries what the cells show, so the plain-formatted 0.056 comes as "0.1".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from libreoffice import run_job

from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.template import FIRST_DATA_ROW, write_template
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
SHEETS = ("指标进展", "通道班次", "船舶更新", "任务进展")
FORMATS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8", "xls": "MS Excel 97"}

row = FIRST_DATA_ROW
# The template's prefilled indicator rows: 1, 2, 3, 4, 5, 7, 8.
TYPED = [
    *[["指标进展", f"C{row + i}", "2026-06"] for i in range(7)],
    ["指标进展", f"D{row}", "10.2%"],
    ["指标进展", f"D{row + 1}", "5.6%"],  # into a cell set back to 0.0 below
    ["指标进展", f"D{row + 2}", "1"],
    ["指标进展", f"D{row + 3}", "10.8%"],
    ["指标进展", f"D{row + 4}", "12"],  # the % forgotten: 1200 % in LibreOffice
    ["指标进展", f"D{row + 5}", "27"],
    ["指标进展", f"D{row + 6}", "66"],
    *[["通道班次", f"{column}{row + i}", text] for i, runs in enumerate(("262", "24", "7"))
      for column, text in (("B", "2026-06"), ("C", runs))],
    *[["船舶更新", f"{column}{row}", text] for column, text in zip("ABCD", ("渝中LNG01", "LNG动力船舶更新", "已完成", "2025-05-20"))],
    *[["船舶更新", f"{column}{row + 1}", text]
      for column, text in zip("ABCD", ("渝中LNG02", "LNG动力船舶更新", "已完成", "2025-06-18"))],
    *[["任务进展", f"{column}{row + i}", text] for i, progress in enumerate(("60%", "0.5", "45%"))
      for column, text in (("C", "2026-06"), ("D", "序时推进"), ("E", progress))],
]
# What an official changed by hand: one value cell back to a plain number format, one date cell to a number format.
FORMATS_SET = {f"指标进展!D{row + 1}": "0.0", f"船舶更新!D{row + 1}": "0"}

UNFILLED = ("任务进展：第" + "、".join(str(r) for r in range(row + 3, row + 13)) + "等行共44行只有模板预填的"
            "「任务编号」、「填报单位」，视为未填报，已跳过")
IMPLAUSIBLE = (f"指标进展 第{row + 4}行「完成值」：指标5 2026-06 的完成值 1200% 与2026年目标 10% 相差 120 倍，"
               "是否填错了数值、小数点或单位（如把 5% 写成了 0.05）？请核对")
SERIALS = [f"船舶更新 第{row + offset}行「完成日期」：{serial} 按日期 {day} 读取（单元格中的日期成了 Excel 的日期序号，请核对，"
           "最好把单元格设为文本后填 2025-05-20 这样的写法）"
           for offset, serial, day in ((0, 45797, "2025-05-20"), (1, 45826, "2025-06-18"))]


def question(shown: str, large: str, small: str, taken: str) -> str:
    return (f"指标进展 第{row + 1}行「完成值」：{shown}：是 {large}% 还是 {small}%？已按 {taken}% 计"
            f"（更接近2026年目标 5%），如不对请写明 %，如 {large}%")


EXPECTED = {
    # format: (indicator values, warnings in the report's order)
    "workbook": ([10.2, 5.6, 1.0, 10.8, 1200.0, 27.0, 66.0],
                 [question("0.056", "5.6", "0.056", "5.6"), IMPLAUSIBLE, *SERIALS, UNFILLED]),
    # The CSV holds what the plain-formatted cell showed: 0.1.
    "csv": ([10.2, 10.0, 1.0, 10.8, 1200.0, 27.0, 66.0],
            [question("0.1", "10", "0.1", "10"), IMPLAUSIBLE, *SERIALS, UNFILLED]),
}


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lo-fill")
    template = folder / "进度填报模板.xlsx"
    write_template(template, PLAN)
    save = [[str(folder / f"进度.{kind}"), name] for kind, name in FORMATS.items()]
    save += [[str(folder / f"{sheet}.csv"), "Text - txt - csv (StarCalc)", sheet] for sheet in SHEETS]
    run_job(folder / "job.json", {"source": str(template), "typed": TYPED, "formats": FORMATS_SET, "save": save})
    return folder


def read(*paths):
    return read_workbook([InputFile(p.name, p.read_bytes()) for p in paths], PLAN)


@pytest.mark.parametrize("kind", [*FORMATS, "csv"])
def test_a_template_filled_in_libreoffice_reads_what_was_meant_and_questions_the_rest(filled, kind):
    paths = [filled / f"{sheet}.csv" for sheet in SHEETS] if kind == "csv" else [filled / f"进度.{kind}"]
    parsed = read(*paths)
    values, warnings = EXPECTED["csv" if kind == "csv" else "workbook"]
    assert [i.message for i in parsed.issues] == warnings
    assert parsed.ok
    assert [r["value"] for r in parsed.tables["indicators"].to_pylist()] == values
    assert [r["progress"] for r in parsed.tables["tasks"].to_pylist()] == [60.0, 50.0, 45.0]
    assert [r["completed"] for r in parsed.tables["ships"].to_pylist()] == ["2025-05", "2025-06"]
    assert [r["runs"] for r in parsed.tables["routes"].to_pylist()] == [262, 24, 7]


def test_the_csv_carries_the_percent_sign_of_the_percent_cells(filled):
    text = (filled / "任务进展.csv").read_text(encoding="utf-8")
    assert ",60.0%," in text and ",50.0%," in text and ",45.0%," in text
    indicators = (filled / "指标进展.csv").read_text(encoding="utf-8")
    assert ",10.2%," in indicators and ",0.1," in indicators and ",1200.0%," in indicators
