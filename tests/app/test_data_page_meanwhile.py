"""Issue 13 on the 数据管理 page (AppTest, a real store): what the reader questions is on
screen and in the downloadable report; a commit or rollback confirmed after a real second
process (`python -m yzlogi import`) changed the data is refused by the store under its
lock, says so, and the page shows the digest against the new version."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from streamlit.testing.v1 import AppTest

from ambiguous_cases import WARNINGS, ambiguous_sheets
from builders import write_xlsx
from page_helpers import download, frame_with
from ui.render import escape_md
from ui.upload import CHANGED_MEANWHILE, REVIEW_KEY
from upload_cases import june, may
from yzlogi.access import hash_passcode
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.review import review
from yzlogi.store import Store
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
PASSCODE = "渝中物流-2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def data_dir(app, tmp_path):
    return tmp_path / "var"


@pytest.fixture
def store(data_dir):
    store = Store(data_dir, plan=PLAN)
    store.ensure_ready()
    return store


@pytest.fixture
def page(app, monkeypatch, fake_time):
    """数据管理, unlocked."""
    monkeypatch.setenv("YZLOGI_PASSCODE_HASH", hash_passcode(PASSCODE, n=2**10, r=8, p=1))

    def open_page() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        fake_time()
        at.run()
        at.switch_page("pages/data.py")
        at.run()
        at.text_input(key="data_passcode").input(PASSCODE)
        at.button(key="data_unlock").click().run()
        assert at.file_uploader and not at.exception
        return at

    return open_page


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "application/octet-stream")]).run()
    assert not at.exception
    return at


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """The other writer: a real `python -m yzlogi` process on the same data folder."""
    result = subprocess.run([sys.executable, "-m", "yzlogi", *args], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "YZLOGI_DATA_DIR": str(data_dir)}, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


# --- the questions, on screen and in the report -----------------------------------------------------


def test_the_questions_are_on_screen_and_in_the_downloadable_report(page, store, tmp_path):
    data = write_xlsx(tmp_path / "6月进度.xlsx", ambiguous_sheets()).read_bytes()
    at = upload(page(), "6月进度.xlsx", data)
    assert [(m.label, m.value) for m in at.metric] == [("错误", "0"), ("提醒", str(len(WARNINGS)))]
    report = frame_with(at, "级别", "说明").astype(object)
    assert [(r["级别"], r["工作表"], r["行号"], r["列"], r["说明"]) for r in report.to_dict("records")] == [
        ("提醒", sheet, row, column, message) for sheet, row, column, _code, message in WARNINGS]
    # The download serves the report the review made, and it lists exactly these warnings.
    _identity, _review, served = at.session_state[REVIEW_KEY]
    button = download(at, "下载校验报告")
    assert button.proto.label == "下载校验报告（xlsx）"
    assert button.proto.url.rsplit("/", 1)[-1].split(".")[0] == _calculate_file_id(served, XLSX, "校验报告.xlsx")
    book = load_workbook(io.BytesIO(served))
    assert [(row[0], row[1], row[2], row[3], row[5]) for row in book["校验报告"].iter_rows(min_row=2, values_only=True)] \
        == [("提醒", sheet, row, column, message) for sheet, row, column, _code, message in WARNINGS]
    assert at.button(key="data_commit")  # warnings do not block


# --- another writer between review and confirmation -------------------------------------------------------


def test_a_commit_after_another_writer_got_in_is_refused_and_shows_the_new_digest(page, store, data_dir, tmp_path):
    at = upload(page(), "5月进度.xlsx", write_xlsx(tmp_path / "5月进度.xlsx", may()).read_bytes())
    assert "导入后与当前版本 v1 相比的变化（按 2026年6月 计算灯号）。确认无误后再导入。" in texts(at.caption)
    # Between the review and the confirmation, the command line imports June.
    other = write_xlsx(tmp_path / "6月进度.xlsx", june())
    assert cli(data_dir, "import", str(other), "--by", "李四").stdout.splitlines()[-1] == \
        "已替换示例数据，导入为版本 2，并已设为当前版本。"
    at.text_input(key="data_by").input("张三")
    at.button(key="data_commit").click().run()
    assert not at.exception
    assert texts(at.warning) == [escape_md(
        f"在您确认之前，其他人已更新了数据（当前版本现为版本 2），本次导入未执行，当前数据未改变。{CHANGED_MEANWHILE}")]
    assert [(v.id, v.by, v.active) for v in store.versions()] == [(1, "系统", False), (2, "李四", True)]
    # The digest shown is now against version 2.
    assert "导入后与当前版本 v2 相比的变化（按 2026年6月 计算灯号）。确认无误后再导入。" in texts(at.caption)
    parsed = read_workbook([InputFile("5月进度.xlsx", write_xlsx(tmp_path / "again.xlsx", may()).read_bytes())], PLAN)
    expected = review(PLAN, parsed, store.versions(), store.load(2))
    # May sent again onto June: the lines of that merge (May's values change June's rows back).
    assert expected.merge.lines()[:4] == [
        "指标进展：新增 0 行，修改 1 行，重复报送未变 4 行，保留 0 行",
        "通道班次：新增 0 行，修改 0 行，重复报送未变 4 行，保留 0 行",
        "船舶更新：新增 0 行，修改 1 行，重复报送未变 1 行，保留 0 行",
        "任务进展：新增 0 行，修改 1 行，重复报送未变 2 行，保留 0 行"]
    merged = next(m.value for m in at.markdown if m.value.startswith("- 指标进展"))
    assert merged.split("\n") == [f"- {escape_md(line)}" for line in expected.merge.lines()]
    # Confirmed again against what is now shown, it is committed.
    at.text_input(key="data_by").input("张三")
    at.button(key="data_commit").click().run()
    assert [(v.id, v.by, v.active) for v in store.versions()] == [(1, "系统", False), (2, "李四", False),
                                                                  (3, "张三", True)]
    assert "已合并到已有数据，导入为版本 3，并已设为当前版本。各页面均显示新数据。" in texts(at.success)


def test_a_rollback_after_another_writer_got_in_is_refused(page, store, data_dir, tmp_path):
    path = write_xlsx(tmp_path / "5月.xlsx", may())
    store.commit(read_workbook([InputFile(path.name, path.read_bytes())], PLAN), by="张三")  # v2 active
    at = page()
    at.selectbox(key="data_pick").select(1).run()
    at.button(key="data_rollback").click().run()
    assert at.button(key="data_rollback_confirm")
    other = write_xlsx(tmp_path / "6月进度.xlsx", june())
    cli(data_dir, "import", str(other), "--by", "李四")  # v3, between the question and the answer
    at.text_input(key="data_rollback_by").input("张三")
    at.button(key="data_rollback_confirm").click().run()
    assert not at.exception
    refusal, question = texts(at.warning)
    assert refusal == escape_md(
        "在您确认之前，其他人已更新了数据（当前版本现为版本 3），本次回滚未执行，当前数据未改变。请查看下面最新的版本历史后再操作。")
    # The confirmation is asked again, from the version now active.
    assert question.startswith("确认把当前版本从 v3 切换为 v1（v1 · ")
    assert store.active_version().id == 3
    assert [(a.version_id, a.action, a.by) for a in store.history()] == [(1, "sample", "系统"), (2, "commit", "张三"),
                                                                         (3, "commit", "李四")]
    assert list(frame_with(at, "版本", "导入人")["版本"]) == [3, 2, 1]
