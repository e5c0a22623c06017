"""The 数据管理 page in AppTest against a real store in a fresh data folder: the
passcode gate, upload with report and digest, commit, history, time travel and
rollback. The throttle's clock and sleep are replaced through the process's
gate (ui.access.gate()), so nothing waits and nothing depends on timing."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from streamlit.testing.v1 import AppTest

from builders import write_csv, write_xlsx
from page_helpers import download, frame_with
from ui import access as ui_access
from ui import upload as ui_upload
from ui.render import escape_md
from upload_cases import BROKEN_REPORT, JUNE_DIGEST, JUNE_MERGE, broken, june, may, write_with_text_cells
from yzlogi.access import HOW_TO_ENABLE, hash_passcode
from yzlogi.config import SAMPLE_WORKBOOK
from yzlogi.errors import YzlogiError
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.schema import ALL_SHEETS, ROUTES, WORKBOOK
from yzlogi.store import Store
from yzlogi.template import write_template
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
PASSCODE = "渝中物流-2026"
HASH = hash_passcode(PASSCODE, n=2**10, r=8, p=1)  # cheap parameters: the cost is not under test here
OTHER_HASH = hash_passcode("另一个口令-0000", n=2**10, r=8, p=1)
SESSION_KEY = "session:test session id"  # AppTest's session id
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_UNLOCKED_UPLOAD = "本会话尚未解锁或解锁已失效，未导入，当前数据未改变。请重新输入上传口令。"


@pytest.fixture
def data_dir(app, tmp_path):
    """The data folder the `app` fixture points YZLOGI_DATA_DIR at."""
    return tmp_path / "var"


@pytest.fixture
def store(data_dir):
    store = Store(data_dir, plan=PLAN)
    store.ensure_ready()
    return store


@pytest.fixture
def page(app, monkeypatch, fake_time):
    """Open 数据管理 (passcode hash from the environment unless told otherwise)."""

    def open_page(env_hash: str | None = HASH, secrets_hash: str | None = None) -> AppTest:
        if env_hash is None:
            monkeypatch.delenv("YZLOGI_PASSCODE_HASH", raising=False)
        else:
            monkeypatch.setenv("YZLOGI_PASSCODE_HASH", env_hash)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if secrets_hash is not None:
            at.secrets["upload"] = {"passcode_hash": secrets_hash}
        fake_time()
        at.run()
        at.switch_page("pages/data.py")
        at.run()
        assert not at.exception
        return at

    return open_page


def unlock(at: AppTest, passcode: str = PASSCODE) -> AppTest:
    at.text_input(key="data_passcode").input(passcode)
    at.button(key="data_unlock").click()
    at.run()
    assert not at.exception
    return at


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files])
    at.run()
    assert not at.exception
    return at


def confirm(at: AppTest, by: str = "张三", note: str = "") -> AppTest:
    at.text_input(key="data_by").input(by)
    at.text_input(key="data_note").input(note)
    at.button(key="data_commit").click()
    at.run()
    assert not at.exception
    return at


def xlsx_bytes(tmp_path: Path, name: str, sheets) -> tuple[str, bytes]:
    return name, write_xlsx(tmp_path / name, sheets).read_bytes()


def offered(button, data: bytes, mime: str, name: str) -> bool:
    """Whether a download button serves exactly these bytes under this file name."""
    return button.proto.url.rsplit("/", 1)[-1].split(".")[0] == _calculate_file_id(data, mime, name)


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def unescape(text: str) -> str:
    """A cell of an st.table as typed (render.full_table escapes Markdown)."""
    return re.sub(r"\\(.)", r"\1", text)


def committed(store: Store) -> list[tuple[int, str, str, bool]]:
    return [(v.id, v.by, v.note, v.active) for v in store.versions()]


# --- open to everyone -----------------------------------------------------------------


def test_template_and_history_are_open_but_upload_is_off_without_a_passcode_hash(page, store):
    at = page(env_hash=None)
    assert at.title[0].value == "数据管理"
    assert texts(at.info)[0] == HOW_TO_ENABLE
    assert not at.file_uploader and not at.text_input  # no passcode form, no uploader
    buffer = io.BytesIO()
    write_template(buffer, PLAN)
    template = download(at, "下载空白填报模板")
    assert template.proto.label == "下载空白填报模板（进度填报模板.xlsx）"
    assert offered(template, buffer.getvalue(), XLSX, "进度填报模板.xlsx")
    original = download(at, "下载原始文件")
    assert original.proto.label == "下载原始文件：示例进度\\.xlsx"  # file names are made inert
    assert offered(original, SAMPLE_WORKBOOK.read_bytes(), "application/octet-stream", "示例进度.xlsx")
    history = frame_with(at, "版本", "导入人")
    assert list(history["版本"]) == [1] and list(history["当前"]) == ["✔ 当前"]
    assert "版本 1 是当前版本。" in texts(at.caption)
    assert [b.key for b in at.button] == ["data_view"]  # no rollback without the passcode


def test_the_data_dictionary_is_on_the_page_sheet_by_sheet_from_the_schema(page):
    at = page(env_hash=None)
    assert at.expander[0].label == "填报说明（数据字典）：各工作表的列、填写要求和可接受的写法"
    assert len(at.table) == len(ALL_SHEETS)  # 督办反馈 too, the last
    for sheet, table in zip(ALL_SHEETS, at.table, strict=True):
        shown = table.value
        assert list(shown.columns) == ["列名", "也可写作", "类型", "是否必填", "填写要求", "示例"]
        assert [unescape(h) for h in shown["列名"]] == [c.header for c in sheet.columns]
    routes = at.table[WORKBOOK.index(ROUTES)].value.set_index("列名")
    assert unescape(routes.loc["线路", "填写要求"]) == "东盟班车、渝甬班列、渝穗班列；其他名称作为新增线路"
    assert routes.loc["线路", "是否必填"] == "必填"


def test_a_malformed_hash_disables_upload_without_showing_it(page):
    at = page(env_hash="scrypt$1024$8$1$not-a-hash")
    assert texts(at.error) == ["配置的口令哈希格式不正确：应为 python -m yzlogi passcode 输出的 scrypt$… 字符串。 "
                               "上传和回滚暂不可用，请联系系统管理员。"]
    assert not at.file_uploader and not at.text_input
    assert "not-a-hash" not in " ".join(texts(at.markdown) + texts(at.error) + texts(at.info))


# --- the passcode ---------------------------------------------------------------------------


def test_a_wrong_passcode_is_refused_and_slowed_then_the_right_one_unlocks(page, clock, sleeps):
    at = unlock(page(), "猜一猜-12345678")
    assert texts(at.error) == ["口令不正确，请 1 秒后再试。"]
    assert not at.file_uploader
    throttle = ui_access.gate().throttle
    assert (throttle.failures(SESSION_KEY), throttle.wait([SESSION_KEY]), sleeps) == (1, 1, [0.5])
    # The right passcode inside the wait is not even checked.
    unlock(at)
    assert texts(at.error) == ["尝试过于频繁，请 1 秒后再试。"]
    assert not at.file_uploader
    clock.now += 1
    unlock(at)
    assert texts(at.error) == []
    assert texts(at.success) == ["已解锁：本会话可以上传数据、回滚版本和办理督办事项。"]
    assert [f.label for f in at.file_uploader] == ["上传填报工作簿（.xlsx / .xls / .ods），或每个工作表一个 CSV 文件"]
    assert throttle.failures(SESSION_KEY) == 0
    assert at.session_state["data_passcode"] == ""  # the callback forgot it


def test_repeated_wrong_passcodes_lock_out(page, clock):
    at = page()
    for expected in ["口令不正确，请 1 秒后再试。", "口令不正确，请 2 秒后再试。", "口令不正确，请 4 秒后再试。",
                     "口令不正确，请 8 秒后再试。", "口令不正确。连续错误次数过多，已暂停 15 分钟。"]:
        unlock(at, "猜一猜-12345678")
        assert texts(at.error) == [expected]
        clock.now += ui_access.gate().throttle.wait([SESSION_KEY])
    assert ui_access.gate().throttle.failures(SESSION_KEY) == 5


def test_the_hash_can_come_from_secrets_toml(page):
    at = unlock(page(env_hash=None, secrets_hash=HASH))
    assert at.file_uploader


def test_the_environment_variable_wins_over_secrets_toml(page):
    at = unlock(page(env_hash=OTHER_HASH, secrets_hash=HASH))
    assert texts(at.error) == ["口令不正确，请 1 秒后再试。"]


def test_locking_ends_the_unlock(page):
    at = unlock(page())
    at.button(key="data_lock").click()
    at.run()
    assert not at.file_uploader and at.text_input(key="data_passcode")


# --- session state and URL cannot unlock -----------------------------------------------------


@pytest.mark.parametrize("forged", [True, "1", "unlocked", "1700000000:" + "0" * 64])
def test_session_state_or_query_params_set_by_hand_do_not_unlock(page, forged):
    at = page()
    at.session_state[ui_access.TOKEN_KEY] = forged
    at.session_state["unlocked"] = True
    at.query_params["unlock"] = "1"
    at.run()
    assert not at.file_uploader
    assert at.text_input(key="data_passcode")


def test_a_token_of_another_session_does_not_unlock(page):
    at = page()
    at.session_state[ui_access.TOKEN_KEY] = ui_access.gate().unlocks.issue("another session", HASH)
    at.run()
    assert not at.file_uploader


def test_a_commit_rechecks_the_unlock_when_it_acts(page, store, tmp_path):
    at = upload(unlock(page()), xlsx_bytes(tmp_path, "5月.xlsx", may()))
    assert at.button(key="data_commit")
    at.session_state[ui_access.TOKEN_KEY] = "1700000000:" + "0" * 64  # a forged token, set just before confirming
    confirm(at)
    assert texts(at.error) == [NOT_UNLOCKED_UPLOAD]
    assert committed(store) == [(1, "系统", store.version(1).note, True)]
    assert not at.file_uploader


# --- uploading --------------------------------------------------------------------------------------


def test_a_good_workbook_shows_no_issues_and_its_digest_then_commits_as_the_active_version(page, store, tmp_path):
    at = upload(unlock(page()), xlsx_bytes(tmp_path, "2026年5月进度.xlsx", may()))
    assert [(m.label, m.value) for m in at.metric] == [("错误", "0"), ("提醒", "0")]
    assert "没有发现错误或提醒。" in texts(at.success)
    assert download(at, "下载校验报告").proto.label == "下载校验报告（xlsx）"
    assert [h.value for h in at.subheader if h.value in ("校验报告", "变化摘要")] == ["校验报告", "变化摘要"]
    assert "导入后与当前版本 v1 相比的变化（按 2026年6月 计算灯号）。确认无误后再导入。" in texts(at.caption)
    assert committed(store) == [(1, "系统", store.version(1).note, True)]  # nothing stored before confirming

    confirm(at, by="张三", note="5月数据")
    assert committed(store) == [(1, "系统", store.version(1).note, False), (2, "张三", "5月数据", True)]
    assert store.version(2).files == ("2026年5月进度.xlsx",)
    assert "已替换示例数据，导入为版本 2，并已设为当前版本。各页面均显示新数据。" in texts(at.success)
    assert not at.file_uploader[0].value  # a fresh uploader for the next upload
    # The commit ran before this run drew anything: its own sidebar and history already show v2.
    assert [o for o in at.selectbox(key="v").options if o.startswith("v2 · ")] == [
        f"v2 · {store.version(2).committed_at:%Y-%m-%d %H:%M} · 张三（当前）"]
    assert list(frame_with(at, "版本", "导入人")["版本"]) == [2, 1]
    at.switch_page("pages/overview.py")
    at.run()
    assert at.caption[0].value.startswith("数据版本：v2 · ") and at.caption[0].value.endswith("张三（当前）")
    assert not any(w.value.startswith("示例数据") for w in at.warning)


def test_the_name_of_the_uploader_is_required(page, store, tmp_path):
    at = confirm(upload(unlock(page()), xlsx_bytes(tmp_path, "5月.xlsx", may())), by="  ")
    assert texts(at.error) == ["请填写导入人姓名后再确认导入。"]
    assert len(store.versions()) == 1


def test_the_digest_of_a_known_pair_of_versions_is_shown_line_for_line(page, store, tmp_path):
    may_file = write_xlsx(tmp_path / "5月.xlsx", may())
    store.commit(read_workbook([InputFile(may_file.name, may_file.read_bytes())], PLAN), by="张三")
    at = upload(unlock(page()), xlsx_bytes(tmp_path, "6月.xlsx", june()))
    assert "导入后与当前版本 v2 相比的变化（按 2026年6月 计算灯号）。确认无误后再导入。" in texts(at.caption)
    merged = next(m.value for m in at.markdown if m.value.startswith("- 指标进展"))
    assert merged.split("\n") == [f"- {escape_md(line)}" for line in JUNE_MERGE]
    digest = next(m.value for m in at.markdown if m.value.startswith("- 指标数值变化"))
    shown = [line.removeprefix("    - ").removeprefix("- ") for line in digest.split("\n")]
    assert shown == [escape_md(line.strip()) for line in JUNE_DIGEST[3:]]  # the sheet lines are the merge's
    assert digest.split("\n")[:2] == ["- 指标数值变化（1项）：",
                                      "    - 指标2 行业规上企业营收增速 2026年6月：5\\.6\\% → 4\\%"]


def test_a_workbook_with_errors_shows_the_report_and_commits_nothing(page, store, tmp_path):
    at = upload(unlock(page()), xlsx_bytes(tmp_path, "错误的进度.xlsx", broken()))
    assert [(m.label, m.value) for m in at.metric] == [("错误", "2"), ("提醒", "0")]
    report = frame_with(at, "级别", "说明")
    assert list(report.columns) == ["级别", "工作表", "行号", "列", "单元格内容", "说明"]
    assert report.astype(object).to_dict("records") == BROKEN_REPORT
    assert texts(at.error) == ["工作簿有 2 处错误，未导入，当前数据未改变。 请按校验报告修改后重新上传。"]
    assert download(at, "下载校验报告").proto.label == "下载校验报告（xlsx）"
    assert "变化摘要" not in [h.value for h in at.subheader]
    with pytest.raises(KeyError):
        at.button(key="data_commit")
    assert len(store.versions()) == 1


@pytest.mark.parametrize("name, data", [
    ("空文件.xlsx", b""),
    ("随机字节.xlsx", bytes(range(256)) * 8),
    ("其实是PDF.xlsx", b"%PDF-1.4\n" + b"0" * 500),
    ("对不上的表.csv", "甲,乙\n1,2\n".encode("gb18030")),
])
def test_files_that_are_not_a_workbook_are_refused_with_the_readers_messages(page, store, name, data):
    at = upload(unlock(page()), (name, data))
    expected = read_workbook([InputFile(name, data)], PLAN)
    assert texts(at.error) == [f"工作簿有 {expected.error_count} 处错误，未导入，当前数据未改变。 请按校验报告修改后重新上传。"]
    assert list(frame_with(at, "级别", "说明")["说明"]) == [issue.message for issue in expected.issues]
    assert len(store.versions()) == 1


def test_formula_like_text_is_shown_as_plain_text(page, tmp_path):
    path = write_with_text_cells(tmp_path / "公式.xlsx", may(), {("通道班次", 2, 3): '=HYPERLINK("http://x","点我")'})
    at = upload(unlock(page()), (path.name, path.read_bytes()))
    assert list(frame_with(at, "单元格内容")["单元格内容"]) == ['=HYPERLINK("http://x","点我")']


def test_identical_bytes_are_recognised_as_an_existing_version(page, store):
    at = upload(unlock(page()), (SAMPLE_WORKBOOK.name, SAMPLE_WORKBOOK.read_bytes()))
    version = store.version(1)
    assert texts(at.info) == [escape_md(
        f"这些文件与已导入的版本 1（{version.committed_at:%Y-%m-%d %H:%M}，系统）内容完全相同，未重复导入。")]
    with pytest.raises(KeyError):
        at.button(key="data_commit")
    assert len(store.versions()) == 1


def test_several_csv_files_with_chinese_names_upload_together(page, store, tmp_path):
    files = [(f"{name}.csv", write_csv(tmp_path / f"{name}.csv", header, rows, encoding="gb18030").read_bytes())
             for name, (header, rows) in may().items()]
    at = confirm(upload(unlock(page()), *files), by="王五")
    assert committed(store)[-1] == (2, "王五", "", True)
    assert store.version(2).files == ("指标进展.csv", "通道班次.csv", "船舶更新.csv", "任务进展.csv")
    assert store.version(2).rows == {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3}
    assert any("导入为版本 2，" in t for t in texts(at.success))


def test_an_unexpected_failure_while_reading_shows_a_message_not_a_traceback(page, store, tmp_path, monkeypatch,
                                                                            caplog):
    def broken_reader(files, plan, replace=False):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(ui_upload, "read_workbook", broken_reader)
    at = upload(unlock(page()), xlsx_bytes(tmp_path, "5月.xlsx", may()))
    assert not at.exception
    assert texts(at.error) == [ui_upload.GENERIC_ERROR]
    assert "reader bug" not in " ".join(texts(at.error) + texts(at.markdown))
    assert any(r.name == "ui.upload" and "reviewing an upload failed" in r.getMessage() for r in caplog.records)
    assert len(store.versions()) == 1


def test_an_expected_failure_while_reading_shows_its_chinese_message(page, tmp_path, monkeypatch):
    def refusing_reader(files, plan, replace=False, followups=None):
        raise YzlogiError("数据文件夹暂时无法使用。")

    monkeypatch.setattr(ui_upload, "read_workbook", refusing_reader)
    at = upload(unlock(page()), xlsx_bytes(tmp_path, "5月.xlsx", may()))
    assert not at.exception
    assert texts(at.error) == ["数据文件夹暂时无法使用。"]


# --- history, time travel, rollback --------------------------------------------------------------


def _with_may(store: Store, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "5月.xlsx", may())
    store.commit(read_workbook([InputFile(path.name, path.read_bytes())], PLAN), by="张三", note="5月")


def test_viewing_a_version_sets_the_sidebar_version_and_opens_the_overview(page, store, tmp_path):
    _with_may(store, tmp_path)
    at = page(env_hash=None)  # viewing needs no passcode
    at.selectbox(key="data_pick").set_value(1)
    at.run()
    at.button(key="data_view").click()
    at.run()
    assert not at.exception
    assert at.title[0].value == "总览"
    assert at.session_state["v"] == "1"
    assert at.query_params["v"] == "1"  # the link to this view
    assert any(i.value.startswith("正在查看历史版本 v1 · ") for i in at.info)


def test_rollback_asks_for_confirmation_and_is_recorded_in_the_history(page, store, tmp_path):
    _with_may(store, tmp_path)
    at = unlock(page())
    at.selectbox(key="data_pick").set_value(1)
    at.run()
    at.button(key="data_rollback").click()
    at.run()
    assert texts(at.warning)[-1].startswith("确认把当前版本从 v2 切换为 v1（v1 · ")
    assert store.active_version().id == 2  # asking is not doing

    at.button(key="data_rollback_confirm").click()
    at.run()
    assert texts(at.error) == ["请填写操作人姓名后再确认回滚。"]
    assert store.active_version().id == 2

    at.text_input(key="data_rollback_by").input("李四")
    at.text_input(key="data_rollback_note").input("5月数据有误")
    at.button(key="data_rollback_confirm").click()
    at.run()
    assert not at.exception
    assert "已切换到版本 1，此次回滚已记入切换历史，各页面均显示该版本。" in texts(at.success)
    assert store.active_version().id == 1
    last = store.history()[-1]
    assert (last.version_id, last.action, last.by, last.note) == (1, "rollback", "李四", "5月数据有误")
    shown = frame_with(at, "操作", "操作人")
    assert shown.iloc[0][["操作", "版本", "操作人", "备注"]].tolist() == ["回滚", 1, "李四", "5月数据有误"]


def test_a_rollback_can_be_cancelled(page, store, tmp_path):
    _with_may(store, tmp_path)
    at = unlock(page())
    at.selectbox(key="data_pick").set_value(1)
    at.run()
    at.button(key="data_rollback").click()
    at.run()
    at.button(key="data_rollback_cancel").click()
    at.run()
    assert at.button(key="data_rollback")
    assert store.active_version().id == 2 and len(store.history()) == 2


def test_a_rollback_rechecks_the_unlock_when_it_acts(page, store, tmp_path):
    _with_may(store, tmp_path)
    at = unlock(page())
    at.selectbox(key="data_pick").set_value(1)
    at.run()
    at.button(key="data_rollback").click()
    at.run()
    at.text_input(key="data_rollback_by").input("李四")
    at.session_state[ui_access.TOKEN_KEY] = ui_access.gate().unlocks.issue("another session", HASH)
    at.button(key="data_rollback_confirm").click()
    at.run()
    assert texts(at.error) == ["本会话尚未解锁或解锁已失效，未回滚，当前数据未改变。请重新输入上传口令。"]
    assert store.active_version().id == 2


def test_names_typed_by_users_are_shown_inert(page, store, tmp_path):
    path = write_xlsx(tmp_path / "[点我](http:evil.invalid).xlsx", may())
    store.commit(read_workbook([InputFile(path.name, path.read_bytes())], PLAN), by="[点我](http://evil.invalid)")
    store.rollback(1, by="李四")
    at = unlock(page())
    at.selectbox(key="data_pick").set_value(2)
    at.run()
    assert download(at, "下载原始文件").proto.label == "下载原始文件：\\[点我\\]\\(http\\:evil\\.invalid\\)\\.xlsx"
    at.button(key="data_rollback").click()
    at.run()
    warning = texts(at.warning)[-1]
    assert warning.endswith("\\[点我\\]\\(http\\:\\/\\/evil\\.invalid\\)）？此次切换会记入切换历史，之后仍可再切换回去。")
