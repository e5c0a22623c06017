"""The app (threads of one process) and the command line (other processes) on one
data folder at the same time: serialised writes, no lock errors, no starved writer.

Real processes run tests/store_helpers.py as a worker; nothing here asserts timing.
"""

import json
import subprocess
import sys
import threading
import time

import pytest

from store_helpers import ROOT, wait_for, worker_env, workbook
from yzlogi.locking import FolderLock, FolderUnusable, LockTimeout
from yzlogi.store import Store


def start_worker(*args):
    return subprocess.Popen([sys.executable, "-m", "store_helpers", *map(str, args)], cwd=ROOT, env=worker_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def finish(process, bound_s=300):
    out, err = process.communicate(timeout=bound_s)
    assert process.returncode == 0, (out, err)
    return json.loads(out)


def test_two_processes_committing_different_workbooks_at_once_both_succeed(tmp_path):
    folder = tmp_path / "data"
    go = tmp_path / "go"
    workers = [start_worker("commit", folder, tag, tmp_path / f"ready{tag}", go) for tag in (1, 2)]
    for tag in (1, 2):
        wait_for(tmp_path / f"ready{tag}")
    go.touch()
    results = [finish(w) for w in workers]
    assert sorted(r["new"] for r in results) == [1, 2]
    store = Store(folder, sample=None)
    versions = store.versions()
    assert [v.id for v in versions] == [1, 2]
    assert sorted(v.files[0] for v in versions) == ["进度1.xlsx", "进度2.xlsx"]
    assert [a.action for a in store.history()] == ["commit", "commit"]


def test_two_processes_committing_the_same_bytes_at_once_store_one_version(tmp_path):
    folder = tmp_path / "data"
    go = tmp_path / "go"
    workers = [start_worker("commit", folder, 5, tmp_path / f"ready{i}", go) for i in (1, 2)]
    for i in (1, 2):
        wait_for(tmp_path / f"ready{i}")
    go.touch()
    results = [finish(w) for w in workers]
    assert sorted(results, key=lambda r: "new" in r) == [{"duplicate_of": 1}, {"new": 1}]
    assert [v.id for v in Store(folder, sample=None).versions()] == [1]


@pytest.mark.slow
def test_a_reader_process_and_a_writer_process_loop_on_one_folder_without_error(tmp_path):
    folder = tmp_path / "data"
    stop = tmp_path / "stop"
    reader = start_worker("read-loop", folder, stop)
    writer = start_worker("commit-loop", folder, 1, 12)
    written = finish(writer)
    stop.touch()
    read = finish(reader)
    assert written == {"ids": list(range(1, 13))}
    assert read["reads"] >= 1
    assert Store(folder, sample=None).active_version().id == 12


@pytest.mark.slow
def test_app_threads_read_while_another_process_imports(tmp_path):
    folder = tmp_path / "data"
    store = Store(folder, sample=None)  # one Store shared by the app's threads
    store.ensure_ready()
    done = threading.Event()
    failures, reads = [], []

    def read_until_done():
        try:
            count = 0
            while not done.is_set() or count == 0:
                active = store.active_version()
                if active is not None:
                    assert len(store.load(active.id).routes) == 3
                store.versions()
                count += 1
            reads.append(count)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            failures.append(exc)

    threads = [threading.Thread(target=read_until_done) for _ in range(4)]
    for thread in threads:
        thread.start()
    written = finish(start_worker("commit-loop", folder, 1, 8))
    done.set()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(reads) == 4
    assert written == {"ids": list(range(1, 9))}
    assert store.active_version().id == 8


@pytest.mark.slow
def test_app_threads_import_and_read_at_once_in_one_process(tmp_path):
    store = Store(tmp_path / "data", sample=None)
    failures, new_ids = [], []

    def import_some(first):
        try:
            for tag in range(first, first + 3):
                new_ids.append(store.commit(workbook(tag), by="页面").id)
        except Exception as exc:  # noqa: BLE001
            failures.append(exc)

    def read_some():
        try:
            for _ in range(8):
                for version in store.versions():
                    assert len(store.load(version.id).tasks) == 2
                store.history()
        except Exception as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=import_some, args=(first,)) for first in (1, 101)]
    threads += [threading.Thread(target=read_some) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(new_ids) == list(range(1, 7))
    assert [v.id for v in store.versions()] == list(range(1, 7))


def test_a_stream_of_overlapping_readers_does_not_starve_a_writer(tmp_path):
    lock = FolderLock(tmp_path, timeout_s=10)
    writer_done = threading.Event()
    give_up = time.monotonic() + 60  # readers stop on their own only long after the writer's timeout
    reading = threading.Semaphore(0)

    def read_continuously():
        while not writer_done.is_set() and time.monotonic() < give_up:
            with lock.shared():
                reading.release()
                time.sleep(0.03)  # readers overlap: at every moment some of them hold the lock

    readers = [threading.Thread(target=read_continuously) for _ in range(6)]
    for reader in readers:
        reader.start()
        time.sleep(0.005)
    for _ in range(6):
        reading.acquire()
    with lock.exclusive():
        readers_still_running = sum(r.is_alive() for r in readers)
        writer_done.set()
    for reader in readers:
        reader.join()
    assert readers_still_running == 6


def test_threads_of_one_process_exclude_each_other(tmp_path):
    lock = FolderLock(tmp_path, timeout_s=0.2)
    held, release = threading.Event(), threading.Event()

    def hold_for_writing():
        with lock.exclusive():
            held.set()
            release.wait()

    holder = threading.Thread(target=hold_for_writing)
    holder.start()
    held.wait()
    try:
        with pytest.raises(LockTimeout) as reading:
            with lock.shared():
                pass
        with pytest.raises(LockTimeout) as writing:
            with lock.exclusive():
                pass
    finally:
        release.set()
        holder.join()
    assert str(reading.value) == "数据正被另一个导入操作占用，等待 0.2 秒后仍未完成。请稍后刷新重试。"
    assert str(writing.value) == ("数据正被另一个导入或查看操作占用，等待 0.2 秒后仍未释放，"
                                  "本次操作未执行，已保存的数据未受影响。请稍后重试。")
    with lock.exclusive():  # released with its holder
        pass


def test_readers_share_the_lock(tmp_path):
    lock = FolderLock(tmp_path, timeout_s=0.2)
    entered = []
    with lock.shared():

        def read():
            with lock.shared():
                entered.append(True)

        other = threading.Thread(target=read)
        other.start()
        other.join()  # would have timed out if readers excluded each other
    assert entered == [True]


def test_a_store_waiting_too_long_for_an_import_says_so_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("YZLOGI_LOCK_TIMEOUT_S", "1")
    store = Store(tmp_path / "data", sample=None)
    store.commit(workbook(1), by="张三")
    held, release = threading.Event(), threading.Event()

    def import_slowly():
        with store.lock.exclusive():  # what a long import holds
            held.set()
            release.wait()

    holder = threading.Thread(target=import_slowly)
    holder.start()
    held.wait()
    try:
        with pytest.raises(LockTimeout) as caught:
            store.versions()
    finally:
        release.set()
        holder.join()
    assert str(caught.value) == "数据正被另一个导入操作占用，等待 1 秒后仍未完成。请稍后刷新重试。"
    assert [v.id for v in store.versions()] == [1]


def test_a_nested_acquisition_in_one_thread_is_refused_instead_of_deadlocking(tmp_path):
    lock = FolderLock(tmp_path, timeout_s=0.2)
    with lock.shared():
        with pytest.raises(RuntimeError):
            with lock.exclusive():
                pass
    with lock.exclusive():  # the refused attempt left nothing held
        pass


def test_a_data_folder_that_is_a_file_is_a_chinese_error(tmp_path):
    (tmp_path / "data").write_text("not a folder")
    store = Store(tmp_path / "data", sample=None)
    with pytest.raises(FolderUnusable) as caught:
        store.versions()
    assert str(caught.value) == f"无法使用数据文件夹 {tmp_path / 'data'}：该路径（或其上级）是一个文件，不是文件夹。"


KILLED_WRITER = """
import sys, time, duckdb
from yzlogi.store import Store
store = Store(sys.argv[1], sample=None)
with store.lock.exclusive():
    con = duckdb.connect(str(store.db_path))
    con.execute("BEGIN TRANSACTION")
    con.execute("INSERT INTO versions VALUES (2, now(), '中断', '', 'abc', false, NULL, 'merge')")
    con.execute("INSERT INTO activations VALUES (2, 2, now(), '中断', 'commit', '')")
    print("inside", flush=True)
    time.sleep(600)
"""


def test_a_writer_killed_in_the_middle_of_a_commit_leaves_the_folder_usable(tmp_path):
    store = Store(tmp_path / "data", sample=None)
    first = store.commit(workbook(1), by="张三")
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(store.folder)], cwd=ROOT, env=worker_env(),
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline() == "inside\n"
    writer.kill()  # the kernel releases its flock and DuckDB's file lock with the process
    writer.wait()
    writer.stdout.close()
    after = Store(store.folder, sample=None)
    assert after.versions() == [first]
    assert after.commit(workbook(2), by="李四").id == 2
    assert [a.version_id for a in after.history()] == [1, 2]
