"""Issue 13 through the browser: an official uploads .xls files whose reader dies (a Rust
abort, a Rust panic: tests/crashers.py), the page refuses each in Chinese, the server
keeps serving, and the dashboard is then used as usual: 总览 shows the active version's
lights, and a good workbook uploads and commits."""

import pytest

from builders import good_sheets, write_xlsx
from conftest import (assert_no_exception, counts_shown, go, grid, main, metrics, open_page, rerun, screenshot,
                      title)
from crashers import CRASHERS
from yzlogi.access import hash_passcode

PASSCODE = "渝中物流-2026"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def data_server(make_server):
    return make_server("crash", {"YZLOGI_PASSCODE_HASH": hash_passcode(PASSCODE, n=2**10, r=8, p=1)})


def _upload(page, files: list[tuple[str, bytes, str]]) -> None:
    file_input = main(page).locator('[data-testid="stFileUploader"] input[type="file"]')
    rerun(page, lambda: file_input.set_input_files(
        [{"name": name, "mimeType": mime, "buffer": data} for name, data, mime in files]))


def _unlocked_data_page(page, server) -> None:
    open_page(page, server.page_url("data"))
    page.get_by_label("上传口令").fill(PASSCODE)
    rerun(page, lambda: page.get_by_role("button", name="解锁").click())


def test_a_file_whose_reader_dies_is_refused_and_the_dashboard_goes_on(data_server, page, tmp_path, artifacts):
    store = data_server.store()
    before = [v.id for v in store.versions()]
    _unlocked_data_page(page, data_server)

    # An abort and a panic, uploaded together (as CSVs are): each file refused, by name.
    names = [CRASHERS[case][0] for case in ("abort: a sheet sized backwards", "panic: a sheet position past the end")]
    _upload(page, [(CRASHERS[case][0], CRASHERS[case][1](), XLS)
                   for case in ("abort: a sheet sized backwards", "panic: a sheet position past the end")])
    assert_no_exception(page)
    body = main(page).inner_text()
    assert f"读取和校验完成：{'、'.join(names)}，发现 2 处错误" in body
    assert "工作簿有 2 处错误，未导入，当前数据未改变。 请按校验报告修改后重新上传。" in body
    assert [(row["级别"], row["说明"]) for row in grid(page, "级别", "说明")] == [
        ("错误", f"文件“{name}”已损坏或格式异常，无法读取，请在 Excel 中打开并另存为 .xlsx 后重新上传") for name in names]
    assert data_server.process.poll() is None  # the server is alive
    screenshot(page, "reader-crash-refused", artifacts)
    log = data_server.log()
    assert "killed by SIGABRT" in log and "memory allocation of 1374389534400 bytes failed" in log
    assert "PanicException" in log
    assert [v.id for v in store.versions()] == before

    # The dashboard as usual: the overview of the active version …
    go(page, "总览")
    assert title(page) == "总览"
    assert metrics(page) == counts_shown(data_server.status())
    assert_no_exception(page)
    # … and a good workbook uploads and commits.
    _unlocked_data_page(page, data_server)
    workbook = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets()).read_bytes()
    _upload(page, [("6月进度.xlsx", workbook, XLSX)])
    assert "读取和校验完成：6月进度.xlsx，没有错误" in main(page).inner_text()
    page.get_by_label("导入人（必填，记入版本历史）").fill("张三")
    rerun(page, lambda: page.get_by_role("button", name="确认导入为新的当前版本").click())
    new = store.active_version()
    assert new.id == before[-1] + 1 and new.files == ("6月进度.xlsx",)
    assert f"导入为版本 {new.id}，并已设为当前版本。" in main(page).inner_text()
