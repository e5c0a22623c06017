"""Issue 9, inert text in exports: markup and formula-like text from a workbook, a
file name or a person's name lands in the briefing and the validation report as
plain text cells, verbatim, never as a formula (tests/integration/test_briefing_xlsx.py
and test_review.py hold the quote prefix and more formula shapes)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from builders import good_sheets, write_csv
from yzlogi import briefing, snapshot
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.review import report_xlsx
from yzlogi.store import Store
from yzlogi.workbook import read_workbook

MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "![x](http://203.0.113.1/x.png)",
          "[link](javascript:alert(1))", ":red[x]"]
FORMULAS = ["=1+1", "=cmd|' /C calc'!A0", "+SUM(A1:A9)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://203.0.113.1","点我")']
PAYLOADS = MARKUP + FORMULAS


def no_formula(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name


def text_cells(data: bytes) -> dict[str, str]:
    """Every string cell's value → its data type."""
    book = load_workbook(io.BytesIO(data))
    return {c.value: c.data_type for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory):
    """A valid upload (CSV, so every text stays as typed) with a payload in every free-text cell."""
    folder = tmp_path_factory.mktemp("payloads")
    sheets = good_sheets()
    tasks = sheets["任务进展"][1]  # 进展情况 and 存在问题: what the briefing quotes
    tasks[0][5:7] = PAYLOADS[0:2]
    tasks[1][5:7] = PAYLOADS[2:4]
    tasks[2][5:7] = PAYLOADS[4:6]
    ships = sheets["船舶更新"][1]
    ships[0][4:6] = PAYLOADS[6:8]
    ships[1][0], ships[1][4] = PAYLOADS[8:10]
    sheets["通道班次"][1].append([PAYLOADS[10], "2026-06", 5, ""])  # a new line named by its reporter
    return [InputFile(f"={name}.csv", write_csv(folder / f"{name}.csv", header, rows).read_bytes())
            for name, (header, rows) in sheets.items()]


def test_the_briefing_keeps_every_payload_as_a_text_cell(csv_files, tmp_path):
    store = Store(tmp_path / "data", sample=None)
    outcome = store.import_files(csv_files, by="=HYPERLINK(\"http://203.0.113.1\")", note="+备注")
    assert outcome.stored, outcome.message
    data = briefing.build_xlsx(snapshot.take(store), store.plan)
    no_formula(data)
    cells = text_cells(data)
    joined = "\n".join(cells)
    for payload in PAYLOADS:
        assert payload in joined, payload
    assert {t for value, t in cells.items() if any(p in value for p in PAYLOADS)} == {"s"}


def test_the_validation_report_keeps_every_payload_as_a_text_cell(csv_files, tmp_path):
    # Every payload as a department: each one an error whose value and message carry it.
    header, _ = good_sheets()["任务进展"]
    rows = [[1, payload, "2026-06", "序时推进", "", "", "", ""] for payload in PAYLOADS]
    tasks = InputFile("=任务进展.csv", write_csv(tmp_path / "任务进展.csv", header, rows).read_bytes())
    parsed = read_workbook([f if f.name != tasks.name else tasks for f in csv_files], load_plan())
    assert [(i.code, i.value) for i in parsed.issues] == [("unknown_department", p) for p in PAYLOADS] + [
        ("new_route", PAYLOADS[10])]
    data = report_xlsx(parsed, datetime(2026, 7, 1, 9, 0))
    no_formula(data)
    cells = text_cells(data)
    for payload in PAYLOADS:
        assert cells[payload] == "s"  # 单元格内容, exactly as typed
    assert cells["=指标进展.csv、=通道班次.csv、=船舶更新.csv、=任务进展.csv"] == "s"  # 概况: the file names
