"""Issue 9, refused cleanly by the 数据管理 page: every hostile or broken file and every
error kind of the workbook spec (the tables of tests/hostile.py, which the command
line is held to as well) gives the page's refusal and the reader's messages in the
report, never an exception element or a commit button, and the data folder is left
exactly as it was."""

from __future__ import annotations

import math

import pytest

from builders import good_sheets, write_xlsx
from hostile import ERROR_KINDS, REFUSED, REPLACE_ERROR_KINDS, REFUSED_FILES, error_kind_files, fingerprint
from page_helpers import frame_with
from yzlogi.access import hash_passcode

PASSCODE = "渝中物流-2026"


@pytest.fixture
def unlocked(app, monkeypatch):
    """The 数据管理 page, unlocked, on the `app` fixture's fresh data folder."""
    monkeypatch.setenv("YZLOGI_PASSCODE_HASH", hash_passcode(PASSCODE, n=2**10, r=8, p=1))

    def open_page():
        at = app("pages/data.py")
        at.text_input(key="data_passcode").input(PASSCODE)
        at.button(key="data_unlock").click().run()
        assert at.file_uploader, [e.value for e in at.error]
        return at

    return open_page


def upload(at, paths):
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), "application/octet-stream") for p in paths]).run()
    return at


def refusal(at) -> tuple[list[str], list[tuple]]:
    """What the page says: its error boxes, and the report's rows (sheet, row, column, message)."""
    assert not at.exception
    assert "data_commit" not in [b.key for b in at.button]
    report = frame_with(at, "级别", "说明").astype(object)
    rows = [(r["工作表"] or None, None if r["行号"] in (None, "") or (isinstance(r["行号"], float) and math.isnan(r["行号"]))
             else int(r["行号"]), r["列"] or None, r["说明"]) for r in report.to_dict("records")]
    assert set(report["级别"]) == {"错误"}
    return [e.value for e in at.error], rows


def page_refusal(count: int) -> str:
    return f"{REFUSED.format(count)} 请按校验报告修改后重新上传。"


@pytest.mark.parametrize("case", REFUSED_FILES, ids=list(REFUSED_FILES))
def test_a_hostile_file_is_refused_on_the_page_and_changes_nothing(unlocked, monkeypatch, tmp_path, case):
    make, env, messages = REFUSED_FILES[case]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    good = write_xlsx(tmp_path / "good.xlsx", good_sheets()).read_bytes()
    path = make(tmp_path, good)
    at = unlocked()
    before = fingerprint(tmp_path / "var")
    errors, rows = refusal(upload(at, [path]))
    assert errors == [page_refusal(len(messages))]
    assert [message for *_, message in rows] == messages
    assert fingerprint(tmp_path / "var") == before


def test_every_error_kind_is_reported_where_it_is_and_nothing_is_committed(unlocked, tmp_path):
    at = unlocked()
    before = fingerprint(tmp_path / "var")
    seen, expected = {}, {}
    for code, (_input, (sheet, row, column, message)) in ERROR_KINDS.items():
        folder = tmp_path / code
        folder.mkdir()
        errors, rows = refusal(upload(at, error_kind_files(code, folder)))
        seen[code] = (errors, rows)
        expected[code] = ([page_refusal(1)], [(sheet, row, column, message)])
    assert seen == expected
    assert fingerprint(tmp_path / "var") == before


def test_a_replace_missing_a_required_sheet_is_refused_on_the_page(unlocked, tmp_path):
    at = unlocked()
    at.radio(key="data_mode").set_value("replace").run()
    before = fingerprint(tmp_path / "var")
    for code, (_input, (sheet, row, column, message)) in REPLACE_ERROR_KINDS.items():
        folder = tmp_path / code
        folder.mkdir()
        assert refusal(upload(at, error_kind_files(code, folder))) == ([page_refusal(1)], [(sheet, row, column, message)])
    assert fingerprint(tmp_path / "var") == before
