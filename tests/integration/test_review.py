"""An upload reviewed before commit, with the real reader and a real store: the
preview is typed as the committed version will be, the digest before commit is
the digest after, the report exports as inert text, the history reads as shown."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from builders import good_sheets, write_xlsx
from upload_cases import BROKEN_REPORT, JUNE_DIGEST, broken, june, may, write_with_text_cells
from yzlogi.config import SAMPLE_WORKBOOK
from yzlogi.digest import compute_digest
from yzlogi.model import ERROR, WARNING, InputFile, Issue, ParsedWorkbook
from yzlogi.plan import load_plan
from yzlogi.review import (
    history_frame,
    report_frame,
    report_summary,
    report_xlsx,
    review,
    rows_text,
    versions_frame,
)
from yzlogi.schema import WORKBOOK
from yzlogi.frames import record_data
from yzlogi.store import Store
from yzlogi.workbook import read_workbook

PLAN = load_plan()
STAMP = datetime(2026, 7, 1, 9, 30)


def read(path: Path) -> ParsedWorkbook:
    return read_workbook([InputFile(path.name, path.read_bytes())], PLAN)


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "data", plan=PLAN)
    store.ensure_ready()
    return store


@pytest.mark.parametrize("source", ["good", "sample"])
def test_the_record_a_review_previews_is_the_record_committed(tmp_path, source):
    path = write_xlsx(tmp_path / "进度.xlsx", good_sheets()) if source == "good" else SAMPLE_WORKBOOK
    parsed = read(path)
    store = Store(tmp_path / "empty", plan=PLAN, sample=None)
    later = read(write_xlsx(tmp_path / "6月.xlsx", june()))
    # A first version, then a merge into it: each previewed, then committed.
    for upload in (parsed, later):
        active = store.active_version()
        preview = review(PLAN, upload, store.versions(), store.load(active.id) if active else None)
        version = store.commit(upload, by="张三")
        loaded = store.load(version.id)
        for sheet in WORKBOOK:
            pd.testing.assert_frame_equal(record_data(preview.merge.tables).table(sheet.key), loaded.table(sheet.key))
    assert set(loaded.tasks["from_version"]) == ({1, 2} if source == "sample" else {2})


def test_the_digest_before_commit_is_the_digest_after(store, tmp_path):
    store.commit(read(write_xlsx(tmp_path / "5月.xlsx", may())), by="张三")
    second = read(write_xlsx(tmp_path / "6月.xlsx", june()))
    before = review(PLAN, second, store.versions(), store.load(2))
    assert before.committable and before.against.id == 2
    assert before.digest.lines() == JUNE_DIGEST
    version = store.commit(second, by="李四")
    assert compute_digest(PLAN, store.load(2), store.load(version.id)).lines() == JUNE_DIGEST


def test_a_review_names_an_identical_earlier_version_and_computes_no_digest(store, tmp_path):
    parsed = read(write_xlsx(tmp_path / "进度.xlsx", good_sheets()))
    version = store.commit(parsed, by="张三")
    again = review(PLAN, parsed, store.versions(), store.load(version.id))
    assert (again.committable, again.duplicate_of.id, again.digest) == (False, 2, None)


def test_a_review_of_a_workbook_with_errors_lists_them_and_computes_no_digest(store, tmp_path):
    checked = review(PLAN, read(write_xlsx(tmp_path / "错误.xlsx", broken())), store.versions(), store.load(1))
    assert (checked.committable, checked.duplicate_of, checked.digest) == (False, None, None)
    assert report_frame(checked.parsed).to_dict("records") == BROKEN_REPORT
    assert report_summary(checked.parsed) == ["错误 2 处，提醒 0 处。"]


def test_the_summary_says_when_more_issues_were_found_than_listed():
    parsed = ParsedWorkbook(
        files=(InputFile("a.xlsx", b"x"),),
        issues=[Issue(ERROR, "第2行错误", "通道班次", 2), Issue(ERROR, "第3行错误", "通道班次", 3),
                Issue(WARNING, "提醒", "通道班次", 4),
                Issue(ERROR, "另有 248 个错误未逐条列出", code="more_issues")],
        error_count=250, warning_count=1,
    )
    assert report_summary(parsed) == [
        "错误 250 处，提醒 1 处。",
        "共发现 250 处错误，下表只列出前 2 处；请先修改列出的问题后重新上传，再看其余问题。",
    ]
    assert list(report_frame(parsed)["说明"]) == ["第2行错误", "第3行错误", "提醒"]


def test_the_report_xlsx_keeps_formula_like_text_as_text(tmp_path):
    sheets = good_sheets()
    path = write_with_text_cells(tmp_path / "公式.xlsx", sheets, {
        ("通道班次", 2, 3): '=HYPERLINK("http://example.invalid","点我")',
        ("通道班次", 3, 3): "+很多",
        ("通道班次", 4, 3): "@SUM(A1)",
        ("通道班次", 5, 3): "-很多",
    })
    parsed = read(path)
    data = report_xlsx(parsed, STAMP)
    sheet = load_workbook(io.BytesIO(data))["校验报告"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["级别", "工作表", "行号", "列", "单元格内容", "说明"]
    assert [row[4] for row in rows[1:]] == ['=HYPERLINK("http://example.invalid","点我")', "+很多", "@SUM(A1)", "-很多"]
    assert {sheet.cell(row=r, column=5).data_type for r in range(2, 6)} == {"s"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    assert report_xlsx(parsed, STAMP) == data  # deterministic for a given stamp


def test_the_report_xlsx_has_an_overview_sheet(tmp_path):
    parsed = read(write_xlsx(tmp_path / "错误.xlsx", broken()))
    about = load_workbook(io.BytesIO(report_xlsx(parsed, STAMP)))["概况"]
    assert [[c.value for c in row] for row in about.iter_rows()] == [
        ["校验时间", "2026-07-01 09:30"], ["文件", "错误.xlsx"], ["SHA-256", parsed.sha256], ["错误", 2], ["提醒", 0],
    ]


def test_history_tables_list_every_version_and_activation_newest_first(store, tmp_path):
    store.commit(read(write_xlsx(tmp_path / "6月进度.xlsx", good_sheets())), by="张三", note="6月")
    store.rollback(1, by="李四", note="6月数据有误")
    versions = versions_frame(store.versions())
    assert list(versions.columns) == ["版本", "导入时间", "导入人", "备注", "文件", "各表行数", "SHA-256", "示例数据",
                                      "当前"]
    assert versions[["版本", "导入人", "备注", "文件", "各表行数", "示例数据", "当前"]].to_dict("records") == [
        {"版本": 2, "导入人": "张三", "备注": "6月", "文件": "6月进度.xlsx",
         "各表行数": "指标进展 5，通道班次 4，船舶更新 2，任务进展 3", "示例数据": "", "当前": ""},
        {"版本": 1, "导入人": "系统", "备注": store.version(1).note, "文件": "示例进度.xlsx",
         "各表行数": rows_text(store.version(1).rows), "示例数据": "是", "当前": "✔ 当前"},
    ]
    assert list(versions["SHA-256"]) == [store.version(2).sha256, store.version(1).sha256]
    history = history_frame(store.history())
    assert history[["序号", "操作", "版本", "操作人", "备注"]].to_dict("records") == [
        {"序号": 3, "操作": "回滚", "版本": 1, "操作人": "李四", "备注": "6月数据有误"},
        {"序号": 2, "操作": "导入", "版本": 2, "操作人": "张三", "备注": "6月"},
        {"序号": 1, "操作": "示例数据", "版本": 1, "操作人": "系统", "备注": store.version(1).note},
    ]
