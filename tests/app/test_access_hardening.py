"""Issue 9, no one in: on the 数据管理 page, upload and rollback need the passcode,
whatever session state or URL parameters are set by hand and whatever token is
forged, replayed or left over; wrong passcodes are slowed (the throttle's clock and
sleep are fakes: nothing waits); and the passcode hash (nor the passcode) never
appears in any element of any page, in session state, in the logs, in the exports
or in the data folder.
"""

from __future__ import annotations

import io
import logging
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from google.protobuf import text_format

from builders import good_sheets, write_xlsx
from ui import access as ui_access
from ui import exports as ui_exports
from ui import history as ui_history
from ui import upload as ui_upload
from yzlogi.access import UNLOCK_TTL_S, Unlocks, hash_passcode
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.review import report_xlsx, review
from yzlogi.store import Store
from yzlogi.workbook import read_workbook

PLAN = load_plan()
PASSCODE = "渝中物流-2026"
HASH = hash_passcode(PASSCODE, n=2**10, r=8, p=1)
OTHER_HASH = hash_passcode("上一个口令-2025", n=2**10, r=8, p=1)
SESSION = "test session id"  # AppTest's session id
# What must never be shown or written: the hash, its salt and digest alone, the passcode.
SECRETS = (HASH, HASH.split("$")[4], HASH.split("$")[5], PASSCODE)
NOT_UNLOCKED_UPLOAD = "本会话尚未解锁或解锁已失效，未导入，当前数据未改变。请重新输入上传口令。"
NOT_UNLOCKED_ROLLBACK = "本会话尚未解锁或解锁已失效，未回滚，当前数据未改变。请重新输入上传口令。"
GUARDED = {"data_commit", "data_rollback", "data_rollback_confirm", "data_lock"}


@pytest.fixture
def store(app, tmp_path):
    """The app's data folder: the sample (v1) and a May workbook (v2, active)."""
    path = write_xlsx(tmp_path / "5月进度.xlsx", good_sheets())
    store = Store(tmp_path / "var", plan=PLAN)
    store.import_files([InputFile(path.name, path.read_bytes())], by="张三", note="5月")
    return store


@pytest.fixture
def page(app, store, monkeypatch, fake_time):
    """数据管理 with the passcode hash configured; the throttle on a fake clock."""
    monkeypatch.setenv("YZLOGI_PASSCODE_HASH", HASH)

    def open_page(query: dict | None = None):
        at = app(None, query)
        fake_time()
        at.switch_page("pages/data.py")
        at.run()
        assert not at.exception
        return at

    return open_page


def unlock(at, passcode: str = PASSCODE):
    at.text_input(key="data_passcode").input(passcode)
    at.button(key="data_unlock").click().run()
    assert not at.exception
    return at


def button_keys(at) -> set[str]:
    return {b.key for b in at.button}


def state(store: Store):
    return [v.to_json() for v in store.versions()], [a.to_json() for a in store.history()]


def committable_review(store: Store, tmp_path: Path):
    """What the page keeps in session state for an upload ready to commit."""
    path = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets() | {"通道班次": (
        ["线路", "月份", "开行班次", "备注"], [["东盟班车", "2026-07", 270, ""]])})
    parsed = read_workbook([InputFile(path.name, path.read_bytes())], PLAN)
    versions = store.versions()
    current = review(PLAN, parsed, versions, store.load(store.active_version().id))
    assert current.committable
    identity = ((path.name,), parsed.sha256, store.state_token())
    return identity, current, report_xlsx(parsed, datetime(2026, 7, 1))


def foreign_token() -> str:
    """A well-formed token for this session and hash, from another process's secret."""
    return Unlocks(secret=b"\x01" * 32).issue(SESSION, HASH)


def expired_token() -> str:
    unlocks = ui_access.gate().unlocks
    real = unlocks.clock
    unlocks.clock = lambda: real() - UNLOCK_TTL_S - 1
    try:
        return unlocks.issue(SESSION, HASH)
    finally:
        unlocks.clock = real


FORGED = {
    "True": lambda: True,
    "a word": lambda: "unlocked",
    "the passcode": lambda: PASSCODE,
    "the hash": lambda: HASH,
    "an all-zero MAC": lambda: "1700000000:" + "0" * 64,
    "another process's secret": foreign_token,
    "another session": lambda: ui_access.gate().unlocks.issue("another session", HASH),
    "an earlier passcode": lambda: ui_access.gate().unlocks.issue(SESSION, OTHER_HASH),
    "expired": expired_token,
}


# --- session state and the URL cannot unlock -----------------------------------------------------


@pytest.mark.parametrize("forged", FORGED, ids=list(FORGED))
def test_no_session_state_or_url_parameter_set_by_hand_opens_upload_or_rollback(page, store, tmp_path, forged):
    before = state(store)
    at = page({"unlock": "1", "unlocked": "true", "passcode": PASSCODE, "token": FORGED[forged](),
               "admin": "1", "mode": "admin"})
    at.session_state[ui_access.TOKEN_KEY] = FORGED[forged]()
    for key in ("unlocked", "authenticated", "is_admin", "data_unlocked", "_data_unlocked", "upload_unlocked",
                "passcode_ok", "access", "admin"):
        at.session_state[key] = True
    at.session_state[ui_upload.REVIEW_KEY] = committable_review(store, tmp_path)  # a review ready to commit
    at.session_state[ui_history.TARGET_KEY] = 1  # a rollback half asked for
    at.session_state["data_by"] = at.session_state["data_rollback_by"] = "某人"
    at.run()
    assert not at.exception
    assert not at.file_uploader
    assert button_keys(at) & GUARDED == set()
    assert at.text_input(key="data_passcode")  # still asking for the passcode
    assert state(store) == before


def test_the_passcode_typed_but_not_submitted_does_not_unlock(page, store):
    at = page()
    at.text_input(key="data_passcode").input(PASSCODE)
    at.run()
    assert not at.file_uploader and button_keys(at) & GUARDED == set()


STALE = {
    **{name: FORGED[name] for name in ("another process's secret", "another session", "an earlier passcode",
                                       "expired", "an all-zero MAC")},
    "locked in another tab": lambda: None,
}


@pytest.mark.parametrize("forged", STALE, ids=list(STALE))
def test_a_commit_button_left_on_screen_refuses_once_the_unlock_is_gone(page, store, tmp_path, forged):
    at = unlock(page())
    path = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets() | {"通道班次": (
        ["线路", "月份", "开行班次", "备注"], [["东盟班车", "2026-07", 270, ""]])})
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), "application/octet-stream")]).run()
    assert at.button(key="data_commit")
    before = state(store)
    at.session_state[ui_access.TOKEN_KEY] = STALE[forged]()
    at.text_input(key="data_by").input("张三")
    at.button(key="data_commit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [NOT_UNLOCKED_UPLOAD]
    assert state(store) == before


@pytest.mark.parametrize("forged", STALE, ids=list(STALE))
def test_a_rollback_confirmation_left_on_screen_refuses_once_the_unlock_is_gone(page, store, forged):
    at = unlock(page())
    at.selectbox(key="data_pick").set_value(1).run()
    at.button(key="data_rollback").click().run()
    at.text_input(key="data_rollback_by").input("李四")
    before = state(store)
    at.session_state[ui_access.TOKEN_KEY] = STALE[forged]()
    at.button(key="data_rollback_confirm").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [NOT_UNLOCKED_ROLLBACK]
    assert state(store) == before


def test_a_passcode_changed_by_the_administrator_ends_every_unlock(page, store, monkeypatch):
    at = unlock(page())
    at.selectbox(key="data_pick").set_value(1).run()
    at.button(key="data_rollback").click().run()
    at.text_input(key="data_rollback_by").input("李四")
    monkeypatch.setenv("YZLOGI_PASSCODE_HASH", OTHER_HASH)  # the token was issued under the old hash
    at.button(key="data_rollback_confirm").click().run()
    assert [e.value for e in at.error] == [NOT_UNLOCKED_ROLLBACK]
    assert store.active_version().id == 2
    assert not at.file_uploader and at.text_input(key="data_passcode")


# --- wrong passcodes are slowed --------------------------------------------------------------------


def test_each_wrong_passcode_grows_the_wait_and_clearing_session_state_does_not_reset_it(page, clock, sleeps):
    at = page()
    throttle = ui_access.gate().throttle
    keys = [f"session:{SESSION}", "client:local"]
    waits = []
    for attempt in range(1, 6):
        unlock(at, f"猜一猜-{attempt:08d}")
        assert [throttle.failures(k) for k in keys] == [attempt, attempt]
        waits.append(throttle.wait(keys))
        clock.now += waits[-1]
    assert waits == [1, 2, 4, 8, 900] and sleeps == [0.5] * 5
    clock.now -= 1  # one second before the lockout ends
    for key in [k for k in at.session_state if k.startswith("_")]:  # all the page's own state, forgotten
        del at.session_state[key]
    assert ui_access.TOKEN_KEY not in at.session_state
    unlock(at)  # the right passcode, unheard
    assert [e.value for e in at.error] == ["尝试过于频繁，请 1 秒后再试。"]
    assert not at.file_uploader
    clock.now += 1
    unlock(at)
    assert at.file_uploader


# --- the hash is never shown, logged or written ---------------------------------------------------------


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def page_text(at) -> str:
    """Every element and block of the page, every field, as text; and the session state."""
    parts = []
    stack = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        if getattr(node, "proto", None) is not None:
            parts.append(text_format.MessageToString(node.proto, as_utf8=True))
    parts.append(repr(at.session_state.to_dict()))
    return "\n".join(parts)


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r} {record.exc_text or ''}")


@pytest.fixture
def records():
    """Every log record of the app (yzlogi, ui, streamlit), at every level."""
    handler = Records()
    loggers = [logging.getLogger(), logging.getLogger("streamlit")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)
    yield handler
    for logger, level in zip(loggers, levels):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_the_hash_never_reaches_the_page_the_logs_the_exports_or_the_data_folder(page, store, tmp_path, records):
    seen = []
    at = page()
    seen.append(page_text(at))
    unlock(at, "猜错了-00000000")
    seen.append(page_text(at))
    ui_access.gate().throttle.clock.now += 1
    unlock(at)
    seen.append(page_text(at))
    path = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets() | {"通道班次": (
        ["线路", "月份", "开行班次", "备注"], [["东盟班车", "2026-07", 270, ""]])})
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), "application/octet-stream")]).run()
    report = at.session_state[ui_upload.REVIEW_KEY][2]  # what 下载校验报告 hands out
    seen.append(page_text(at))
    at.text_input(key="data_by").input("王五")
    at.button(key="data_commit").click().run()
    assert store.active_version().id == 3
    seen.append(page_text(at))
    at.selectbox(key="data_pick").set_value(2).run()
    at.button(key="data_rollback").click().run()
    seen.append(page_text(at))
    at.text_input(key="data_rollback_by").input("李四")
    at.button(key="data_rollback_confirm").click().run()
    assert store.active_version().id == 2
    seen.append(page_text(at))
    for other in ("overview", "indicators", "routes", "fleet", "tasks", "department", "plan"):
        at.switch_page(f"pages/{other}.py")
        at.run()
        assert not at.exception
        seen.append(page_text(at))
    assert not at.exception

    assert [leaks(text) for text in seen] == [[]] * len(seen)
    assert any("已解锁" in text for text in seen)  # the pages were really seen unlocked
    assert leaks("\n".join(records.lines)) == []
    assert any("upload unlocked for a session" in line for line in records.lines)

    # Exports, made by what the 总览 download buttons call, and the validation report.
    xlsx = ui_exports.producer(store, PLAN, 2, "2026-06", "xlsx")()
    pdf = ui_exports.producer(store, PLAN, 2, "2026-06", "pdf")()
    for name, data in (("briefing xlsx", xlsx), ("report xlsx", report)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        assert leaks(text) == [], name
    pdf_path = tmp_path / "简报.pdf"
    pdf_path.write_bytes(pdf)
    words = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert "渝中区" in words  # the text layer is readable
    assert leaks(words) == [] and leaks(pdf.decode("latin-1")) == []

    # Nothing the app wrote into the data folder holds it either.
    for stored in (tmp_path / "var").rglob("*"):
        if stored.is_file():
            assert leaks(stored.read_bytes().decode("utf-8", "replace")) == [], stored
