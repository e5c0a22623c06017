"""The README's backup command, run as written: it copies a store that opens with
every version, file and activation, and while it holds the folder no import can
commit (an import waits, and with a short wait is refused in Chinese)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

from store_helpers import workbook
from yzlogi.locking import LockTimeout
from yzlogi.schema import SHEETS
from yzlogi.store import Store

ROOT = Path(__file__).resolve().parents[2]
COMMAND = re.compile(r"^flock -s var/yzlogi\.lock cp -a var/ (.+)/$", re.MULTILINE)


def readme_backup_command(folder: Path, target: Path) -> str:
    """The README's backup line, with its folders replaced by this test's."""
    found = COMMAND.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(found) == 1, "the README shows one backup command: flock -s var/yzlogi.lock cp -a var/ …/"
    return f"flock -s {folder}/yzlogi.lock cp -a {folder}/ {target}/"


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(tmp_path / "var", sample=None)
    store.ensure_ready()
    store.commit(workbook(1), by="张三", note="2026年5月数据")
    store.commit(workbook(2), by="李四", note="2026年6月数据")
    store.rollback(1, by="张三", note="6月数据有误")
    return store


def snapshot(store: Store) -> tuple:
    versions = [(v.id, v.by, v.note, v.sha256, v.active) for v in store.versions()]
    history = [(a.version_id, a.action, a.by, a.note) for a in store.history()]
    files = {v.id: [(f.name, f.data) for f in store.files_of(v.id)] for v in store.versions()}
    tables = {v.id: {key: store.load(v.id).table(key).to_json(orient="split", force_ascii=False) for key in SHEETS} for v in store.versions()}
    return versions, history, files, tables


def test_the_readme_backup_restores_every_version_file_and_activation(store, tmp_path):
    target = tmp_path / "backup" / "yzlogi-2026-11-29"
    target.parent.mkdir()
    subprocess.run(["bash", "-c", readme_backup_command(store.folder, target)], check=True, timeout=60)

    copy = Store(target, sample=None)
    assert snapshot(copy) == snapshot(store)
    assert [v.id for v in copy.versions() if v.active] == [1]
    assert len(copy.versions()) == 2 and len(copy.history()) == 3

    # The copy is a working store of its own: an import there leaves the original alone.
    before = snapshot(store)
    copy.commit(workbook(3), by="王五", note="恢复后导入")
    assert snapshot(store) == before


def test_while_the_backup_holds_the_folder_an_import_waits_and_is_refused_in_chinese(store, tmp_path):
    started = tmp_path / "holding"
    holder = subprocess.Popen(["flock", "-s", str(store.folder / "yzlogi.lock"),
                               "bash", "-c", f"touch {started}; sleep 30"], start_new_session=True)
    try:
        for _ in range(3000):
            if started.exists():
                break
            subprocess.run(["sleep", "0.01"])
        assert started.exists()
        before = snapshot_versions(store)
        store.lock.timeout_s = 0.5
        with pytest.raises(LockTimeout) as refused:
            store.commit(workbook(4), by="赵六", note="备份期间")
        assert re.search(r"[\u4e00-\u9fff]", str(refused.value))
    finally:
        os.killpg(holder.pid, signal.SIGKILL)  # flock and its sleep, which holds the lock too
        holder.wait()
    store.lock.timeout_s = None
    assert snapshot_versions(store) == before
    store.commit(workbook(4), by="赵六", note="备份之后")
    assert store.active_version().note == "备份之后"


def snapshot_versions(store: Store) -> list[tuple]:
    return [(v.id, v.sha256, v.active) for v in store.versions()]
