"""Issue 13: a commit or rollback states the state token it was reviewed against
(expected_token), and the store checks it under its write lock.

The race is made real and its order certain: this test holds the folder's reader lock
(as a backup does), a real second process (`python -m yzlogi import`) reads its file and
queues for the write lock holding the turnstile, then this process's commit or rollback
queues behind it, and the reader lock is let go. The other writer gets in first; the
commit or rollback that was reviewed against the old state then finds, under the lock,
that the state is no longer the one it expected: nothing of it is stored.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from builders import good_sheets, write_xlsx
from hostile import fingerprint
from upload_cases import june, may
from yzlogi import locking
from yzlogi.locking import FolderLock
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.store import ChangedMeanwhile, Store
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()


def parsed_from(tmp_path: Path, name: str, sheets):
    path = write_xlsx(tmp_path / name, sheets)
    return read_workbook([InputFile(path.name, path.read_bytes())], PLAN)


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "data", plan=PLAN)
    store.ensure_ready()
    return store


def test_a_commit_stating_the_current_token_goes_through(store, tmp_path):
    token = store.state_token()
    assert token == "1:1"
    version = store.commit(parsed_from(tmp_path, "5月.xlsx", may()), by="张三", expected_token=token)
    assert (version.id, store.state_token()) == (2, "2:2")
    with pytest.raises(ChangedMeanwhile) as refused:
        store.rollback(1, by="张三", expected_token=token)  # the token before that commit
    assert str(refused.value) == "在您确认之前，其他人已更新了数据（当前版本现为版本 2），本次回滚未执行，当前数据未改变。"
    assert store.rollback(1, by="张三", expected_token="2:2").id == 1


def _queued_writer(store: Store, path: Path) -> subprocess.Popen:
    """`python -m yzlogi import PATH` started while this process holds the reader lock; returns
    once it waits for the write lock (it holds the turnstile: writers after it queue behind)."""
    process = subprocess.Popen([sys.executable, "-m", "yzlogi", "import", str(path), "--by", "李四"], cwd=ROOT,
                               env={**os.environ, "YZLOGI_DATA_DIR": str(store.folder)}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    turnstile = os.open(store.lock.turnstile, os.O_RDWR)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                fcntl.flock(turnstile, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return process  # the other writer holds it, waiting for the lock
            fcntl.flock(turnstile, fcntl.LOCK_UN)
            assert process.poll() is None, process.communicate()
            time.sleep(0.02)  # polling another process's progress, not timing anything
        raise AssertionError("the other writer never queued for the lock")
    finally:
        os.close(turnstile)


def _behind(action, store: Store, monkeypatch) -> tuple[threading.Thread, dict]:
    """Run `action` in a thread; return once that thread waits at the folder's turnstile (behind the
    other writer), with what it will give: its result or exception."""
    outcome: dict = {}
    queued = threading.Event()
    acquire = locking._acquire

    def observed(path, *args):  # the real lock, watched: this thread has reached its wait
        if threading.current_thread().name == "reviewed" and Path(path) == store.lock.turnstile:
            queued.set()
        return acquire(path, *args)

    monkeypatch.setattr(locking, "_acquire", observed)

    def run():
        try:
            outcome["result"] = action()
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="reviewed")
    thread.start()
    assert queued.wait(120), "the reviewed writer never reached the lock"
    return thread, outcome


@pytest.mark.parametrize("action", ["commit", "rollback"])
def test_a_writer_that_got_in_first_is_noticed_under_the_lock(store, tmp_path, monkeypatch, action):
    store.commit(parsed_from(tmp_path, "5月.xlsx", may()), by="张三")  # v2: v1 can be rolled back to
    reviewed = store.state_token()
    upload = parsed_from(tmp_path, "本页上传.xlsx", june())
    other = write_xlsx(tmp_path / "命令行导入.xlsx", good_sheets() | {"通道班次": (
        ["线路", "月份", "开行班次", "备注"], [["东盟班车", "2026-06", 261, ""]])})
    with FolderLock(store.folder).shared():  # a backup is copying the folder
        writer = _queued_writer(store, other)
        if action == "commit":
            thread, outcome = _behind(lambda: store.commit(upload, by="张三", expected_token=reviewed), store,
                                      monkeypatch)
        else:
            thread, outcome = _behind(lambda: store.rollback(1, by="张三", expected_token=reviewed), store,
                                      monkeypatch)
        # Both wait: the other writer for this reader lock, this one for the turnstile it holds.
    out, err = writer.communicate(timeout=300)
    thread.join(timeout=300)
    assert (writer.returncode, out.splitlines()[-1], err) == (0, "已合并到已有数据，导入为版本 3，并已设为当前版本。", "")
    error = outcome.get("error")
    assert isinstance(error, ChangedMeanwhile), outcome
    word = "导入" if action == "commit" else "回滚"
    assert str(error) == f"在您确认之前，其他人已更新了数据（当前版本现为版本 3），本次{word}未执行，当前数据未改变。"
    assert error.token == "3:3"
    assert [(v.id, v.by, v.active) for v in store.versions()] == [(1, "系统", False), (2, "张三", False),
                                                                    (3, "李四", True)]
    assert [(a.seq, a.version_id, a.action) for a in store.history()] == [(1, 1, "sample"), (2, 2, "commit"),
                                                                          (3, 3, "commit")]


def test_a_refused_commit_leaves_the_folder_as_the_other_writer_left_it(store, tmp_path):
    reviewed = store.state_token()
    store.commit(parsed_from(tmp_path, "5月.xlsx", may()), by="李四")  # another writer, before the confirmation
    before = fingerprint(store.folder)
    with pytest.raises(ChangedMeanwhile):
        store.import_files([InputFile("6月.xlsx", write_xlsx(tmp_path / "6月.xlsx", june()).read_bytes())],
                           by="张三", expected_token=reviewed)
    assert fingerprint(store.folder) == before
