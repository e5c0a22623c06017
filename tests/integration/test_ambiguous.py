"""Issue 13: numbers that read two ways are questioned, not guessed (yzlogi.ambiguous).

The rule for a percentage typed as a plain number between −1 and 1 (0.052: 5.2 % or
0.052 %?): the reading nearer the series' previous month, else its year's target,
else 5.2 %, with a warning naming both. Cells whose format shows a % (scaling or not)
are not questioned. Also mixed scales, implausible values and date serials. Each case
is pinned word for word, as the reader gives it, as the command line prints it and as
the downloadable report holds it.
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from ambiguous_cases import COMPLETED, INDICATOR_VALUES, PROGRESS, WARNINGS, ambiguous_sheets
from builders import good_sheets, write_csv, write_xlsx
from yzlogi import cli
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.review import report_xlsx
from yzlogi.store import Store
from yzlogi.workbook import read_workbook

PLAN = load_plan()


def read(*paths):
    return read_workbook([InputFile(p.name, p.read_bytes()) for p in paths], PLAN)


def located(parsed):
    return [(i.sheet, i.row, i.column, i.code, i.message) for i in parsed.issues]


@pytest.fixture
def ambiguous_xlsx(tmp_path):
    return write_xlsx(tmp_path / "6月进度.xlsx", ambiguous_sheets())


def test_each_ambiguous_number_is_questioned_and_read_by_the_rule(ambiguous_xlsx):
    parsed = read(ambiguous_xlsx)
    assert parsed.ok and parsed.error_count == 0
    assert located(parsed) == WARNINGS
    assert [i.level for i in parsed.issues] == ["warning"] * len(WARNINGS)
    assert [(r["indicator_no"], r["month"], r["value"]) for r in parsed.tables["indicators"].to_pylist()] \
        == INDICATOR_VALUES
    assert [r["progress"] for r in parsed.tables["tasks"].to_pylist()] == PROGRESS
    assert [r["completed"] for r in parsed.tables["ships"].to_pylist()] == COMPLETED


def test_the_same_cells_from_csv_are_questioned_alike(tmp_path):
    paths = [write_csv(tmp_path / f"{name}.csv", header, rows) for name, (header, rows) in ambiguous_sheets().items()]
    parsed = read(*paths)
    assert located(parsed) == WARNINGS
    assert [(r["indicator_no"], r["month"], r["value"]) for r in parsed.tables["indicators"].to_pylist()] \
        == INDICATOR_VALUES


def test_a_cell_whose_format_shows_a_percent_is_taken_as_shown(tmp_path):
    sheets = good_sheets()
    indicators, tasks = sheets["指标进展"][1], sheets["任务进展"][1]
    indicators[1][3] = 0.056  # in a 0.0% cell: 5.6 %
    tasks[0][4] = 0.6  # in a 0% cell: 60 %
    tasks[1][4] = 0.5  # in a 0.0"%" cell: shown "0.5%", and so 0.5 %
    path = write_xlsx(tmp_path / "进度.xlsx", sheets)
    workbook = load_workbook(path)
    workbook["指标进展"]["D3"].number_format = "0.0%"
    workbook["任务进展"]["E2"].number_format = "0%"
    workbook["任务进展"]["E3"].number_format = '0.0"%"'
    workbook.save(path)
    parsed = read(path)
    assert parsed.issues == []
    assert [r["value"] for r in parsed.tables["indicators"].to_pylist()][:2] == [10.2, 5.6]
    assert [r["progress"] for r in parsed.tables["tasks"].to_pylist()] == [60.0, 0.5, 40.0]


def test_a_serial_outside_the_columns_range_is_refused_as_typed(tmp_path):
    sheets = good_sheets()
    sheets["船舶更新"][1][0][3] = 47000  # 2028-09-04: after 2027-12, not a completion date this plan takes
    parsed = read(write_xlsx(tmp_path / "进度.xlsx", sheets))
    assert located(parsed) == [("船舶更新", 2, "完成日期", "bad_month",
                                "船舶更新 第2行「完成日期」：无法识别“47000”，应为月份，如 2026-06、2026年6月、2026年1-6月")]


def test_zero_and_signs_are_not_judged_by_ratio(tmp_path):
    sheets = good_sheets()
    indicators = sheets["指标进展"][1]
    indicators[1][3] = "-3"  # growth fell: a matter for the light, not a slip of scale
    indicators[2][3] = "0"  # no new firm yet this year
    parsed = read(write_xlsx(tmp_path / "进度.xlsx", sheets))
    assert parsed.issues == []


# --- where the warnings are shown: the command line and the downloadable report -----------------------


def test_the_command_line_prints_each_warning_and_imports(ambiguous_xlsx, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(tmp_path / "data"))
    assert cli.main(["import", str(ambiguous_xlsx), "--by", "张三"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[:len(WARNINGS)] == [f"  [提醒] {message}" for *_, message in WARNINGS]
    # Then what the import did to the record (it replaced the sample), and the new version.
    assert lines[len(WARNINGS)] == "  当前为示例数据：本次上传不与示例数据合并，导入后的版本只含本次上传的数据"
    assert lines[-1] == "已替换示例数据，导入为版本 2，并已设为当前版本。"
    # Stored with the version, as the history's warnings.
    store = Store(tmp_path / "data", plan=PLAN)
    assert [(i.code, i.message) for i in store.issues(2)] == [(code, message) for *_, code, message in WARNINGS]


def test_the_downloadable_report_lists_each_warning(ambiguous_xlsx):
    parsed = read(ambiguous_xlsx)
    book = load_workbook(io.BytesIO(report_xlsx(parsed, datetime(2026, 7, 1, 9, 30))))
    rows = [list(r) for r in book["校验报告"].iter_rows(min_row=2, values_only=True)]
    assert rows == [["提醒", sheet, row, column, value, message] for (sheet, row, column, _code, message), value in
                    zip(WARNINGS, ["0.102", "0.102", "0.8", "0.056", "0.05%", "300", "45797", "0.6", "0.6"])]
    about = dict(book["概况"].iter_rows(values_only=True))
    assert (about["错误"], about["提醒"]) == (0, len(WARNINGS))
