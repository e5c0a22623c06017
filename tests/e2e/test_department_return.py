"""Issue 14 through the browser: a department opens its own link, sees it has not reported
October, downloads its own return form, fills it in LibreOffice Calc and uploads it; the
record keeps everything else, and 报送情况 shows the unit as reported.

The server's record is the sample's months sent as a real upload first (an import from
the command line), so the return merges into it instead of replacing the sample."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from conftest import (assert_no_exception, choose, grid, main, open_page, overflowing, rerun, screenshots, selected,
                      wait_idle)
from libreoffice import fill_xlsx
from yzlogi.access import hash_passcode
from yzlogi.config import SAMPLE_WORKBOOK
from yzlogi.followups import storage
from yzlogi.template import FIRST_DATA_ROW, HEADER_ROW

PASSCODE = "渝中物流-2026"
UNIT = "区司法局"
FORM = "进度填报表_区司法局_2026年10月.xlsx"


@pytest.fixture(scope="module")
def return_server(make_server, tmp_path_factory):
    server = make_server("return", {"YZLOGI_PASSCODE_HASH": hash_passcode(PASSCODE, n=2**10, r=8, p=1)})
    book = load_workbook(SAMPLE_WORKBOOK)
    record = tmp_path_factory.mktemp("record") / "2025年1月至2026年10月进度.xlsx"
    book.save(record)  # the same months, as a real upload
    result = server.cli("import", str(record), "--by", "王五")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "已替换示例数据，导入为版本 2，并已设为当前版本。"
    added = server.cli("followup", "add", "--about", "task:12", "--unit", UNIT, "--text", "报送合同审查进度",
                       "--due", "2099-12-31", "--by", "张三")
    assert added.returncode == 0, added.stderr
    return server


def pick_october(page) -> None:
    """报送月份 set to 2026年10月 (the default while November is the month of the reports)."""
    if selected(page, "报送月份") != "2026年10月":
        choose(page, "报送月份", "2026年10月")



def test_a_department_downloads_its_own_return_fills_it_and_uploads_it(return_server, page, tmp_path, artifacts):
    store = return_server.store()
    open_page(page, return_server.page_url("department", dept="司法局"))
    pick_october(page)
    body = main(page).inner_text()
    assert "2026年10月应报 1 项，尚未报送（截止 11月5日，已逾期）→ 红灯" in body
    assert "未报送：任务12 丰富通道服务类别" in body
    assert_no_exception(page)
    assert overflowing(page) == []
    screenshots(page, "department-return-before", artifacts)

    # Its own form: the task it owes, pre-filled from its September report.
    with page.expect_download() as caught:
        main(page).get_by_role("button", name="下载本单位2026年10月报送表（已按上次报送预填）").click()
    assert caught.value.suggested_filename == FORM
    form = tmp_path / FORM
    caught.value.save_as(form)
    book = load_workbook(form)
    tasks = book["任务进展"]
    header = [c.value for c in tasks[HEADER_ROW]]
    row = [c.value for c in tasks[FIRST_DATA_ROW]][:len(header)]
    september = store.load(2).tasks.query("task_no == 12 and department == @UNIT and month == '2026-09'").iloc[0]
    assert dict(zip(header, row))["统计期"] == "2026-10"
    assert dict(zip(header, row))["进展情况"] == september["progress_text"]
    assert tasks.max_row == FIRST_DATA_ROW  # one row: the one task it owes
    column = {name: chr(ord("A") + i) for i, name in enumerate(header)}
    # Its open 督办 item, listed for an answer.
    answers = book["督办反馈"]
    answer_header = [c.value for c in answers[HEADER_ROW]]
    listed = dict(zip(answer_header, [c.value for c in answers[FIRST_DATA_ROW]]))
    assert (listed["事项编号"], listed["督办要求"], listed["截止日期"], listed["填报单位"]) == (
        1, "报送合同审查进度", "2099-12-31", UNIT)
    assert answers.max_row == FIRST_DATA_ROW
    answer_column = {name: chr(ord("A") + i) for i, name in enumerate(answer_header)}
    filled = fill_xlsx(form, [
        ["任务进展", f"{column['完成进度']}{FIRST_DATA_ROW}", "70%"],
        ["任务进展", f"{column['进展情况']}{FIRST_DATA_ROW}", "10月完成合同审查"],
        ["督办反馈", f"{answer_column['办理情况']}{FIRST_DATA_ROW}", "合同审查进度已报专班"],
        ["督办反馈", f"{answer_column['申请办结']}{FIRST_DATA_ROW}", "是"],
    ], tmp_path / f"已填_{FORM}")

    # Uploaded on 数据管理: merged, the rest of the record kept.
    open_page(page, return_server.page_url("data"))
    page.get_by_label("上传口令").fill(PASSCODE)
    rerun(page, lambda: page.get_by_role("button", name="解锁").click())
    file_input = main(page).locator('[data-testid="stFileUploader"] input[type="file"]')
    rerun(page, lambda: file_input.set_input_files({"name": filled.name, "mimeType": "application/octet-stream",
                                                   "buffer": filled.read_bytes()}))
    body = main(page).inner_text()
    assert "任务进展：新增 1 行，修改 0 行，保留 1028 行" in body
    assert "本次上传涉及单位：区司法局" in body and "本次上传涉及月份：2026-10" in body
    page.get_by_label("导入人（必填，记入版本历史）").fill("司法局 李四")
    rerun(page, lambda: page.get_by_role("button", name="确认导入为新的当前版本").click())
    assert "已合并到已有数据，导入为版本 3，并已设为当前版本。" in main(page).inner_text()
    with store.reading() as con:
        recorded = [(e.item_id, e.text, e.request_close, e.via, e.version_id, e.by)
                    for item in storage.read_items(con) for e in item.answers]
    assert recorded == [(1, "合同审查进度已报专班", True, "workbook", 3, "司法局 李四")]
    new = store.load(3)
    assert {key: len(new.table(key)) for key in ("indicators", "routes", "ships", "tasks")} == {
        "indicators": 135, "routes": 74, "ships": 15, "tasks": 1029}
    october = new.tasks.query("task_no == 12 and department == @UNIT and month == '2026-10'").iloc[0]
    assert (october["progress"], october["progress_text"], october["first_version"]) == (70.0, "10月完成合同审查", 3)

    # 报送情况 now has the unit as reported (after the deadline of 11月5日: late, yellow).
    committed = store.version(3).committed_at
    pick_october(page)
    rows = {row["单位"]: row for row in grid(page, "单位", "状态")}
    assert rows[UNIT]["状态"] == "逾期报送" and rows[UNIT]["报齐时间"] == f"{committed:%Y-%m-%d %H:%M}"
    screenshots(page, "data-returns-after", artifacts)
    open_page(page, return_server.page_url("department", dept=UNIT))
    pick_october(page)
    wait_idle(page)
    assert (f"2026年10月应报 1 项，{committed.month}月{committed.day}日报齐，晚于11月5日 → 黄灯"
            in main(page).inner_text())
    assert_no_exception(page)
