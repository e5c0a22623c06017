"""python -m yzlogi backup and restore, on real data folders and real DuckDB files:
a backup is a verified copy with a manifest, named by date and time, pruned to the
newest N; restore puts one back whole, keeps what it replaces, and refuses what is not
a backup and a folder an app or an import is using. Backups taken while an import
runs (an import paused inside its commit, a backup paused inside its copy, and the
two racing freely) restore to a whole store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from builders import good_sheets, write_xlsx
from yzlogi import backup
from yzlogi.locking import RunningMark
from yzlogi.schema import SHEETS
from yzlogi.status import compute_status, default_as_of
from yzlogi.store import Store

ROOT = Path(__file__).resolve().parents[2]
STAMP = re.compile(r"^yzlogi-\d{8}-\d{6}$")
# A child process that runs the CLI with a pause at one step: the store's commit steps
# (its crash-test hook, yzlogi.store.core._kill_point) or a backup's copy of its first file.
PAUSING = r"""
import sys, time
from pathlib import Path
import yzlogi.backup as backup
import yzlogi.store.core as store
step, reached, resume = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

def hold():
    reached.touch()
    deadline = time.monotonic() + 60
    while not resume.exists() and time.monotonic() < deadline:
        time.sleep(0.01)

real_step, real_copy = store._kill_point, backup._copy_file
def at_step(name):
    if name == step:
        hold()
    real_step(name)
def copying(source, target):
    done = real_copy(source, target)
    if step == "copy":
        hold()
    return done
store._kill_point, backup._copy_file = at_step, copying
from yzlogi.cli import main
sys.exit(main(sys.argv[4:]))
"""


def env_for(data: Path, backups: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YZLOGI_")}
    return {**clean, "YZLOGI_DATA_DIR": str(data), "YZLOGI_BACKUP_DIR": str(backups), **extra}


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yzlogi", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)


def workbook(folder: Path, n: int) -> Path:
    """A valid workbook whose bytes and one value differ with n."""
    sheets = good_sheets()
    sheets["通道班次"][1][1][2] = 260 + n
    return write_xlsx(folder / f"{n}月进度.xlsx", sheets)


def whole(folder: Path) -> list[tuple]:
    """Open a restored store as the app would and read all of it: every version's rows, files
    (sha256 checked by the store) and status; the versions, active flags and activations."""
    store = Store(folder, sample=None)
    seen = []
    for version in store.versions():
        data = store.load(version.id)
        files = store.files_of(version.id)
        compute_status(store.plan, data, default_as_of(data))
        rows = {key: len(data.table(key)) for key in SHEETS}
        seen.append((version.id, version.by, version.active, tuple(f.name for f in files), rows["routes"]))
    assert store.state_token() == f"{store.history()[-1].seq}:{store.active_version().id}"
    return seen


@pytest.fixture
def folders(tmp_path):
    """A data folder holding the sample (v1) and one import (v2, active); a backups folder; their CLI environment."""
    data, backups = tmp_path / "var", tmp_path / "backups"
    env = env_for(data, backups)
    done = cli(env, "import", str(workbook(tmp_path, 6)), "--by", "张三", "--note", "6月")
    assert done.returncode == 0, done.stderr
    return data, backups, env


def test_a_backup_is_a_verified_copy_named_by_time_with_a_manifest(folders):
    data, backups, env = folders
    done = cli(env, "backup")
    assert done.returncode == 0, done.stderr
    [made] = [p for p in backups.iterdir() if not p.name.startswith(".")]
    assert STAMP.match(made.name)
    assert done.stdout.startswith(f"已备份到 {made}（版本 2 个，当前版本 2，文件 4 个，共 ")
    assert done.stdout.endswith("MB），已校验：各文件与清单一致，数据库可以打开。\n")
    manifest = json.loads((made / "yzlogi-backup.json").read_text(encoding="utf-8"))
    assert {k: manifest[k] for k in ("format", "format_version", "kind", "source", "schema_version", "verified",
                                      "versions", "active_version")} == {
        "format": "yzlogi-backup", "format_version": 1, "kind": "backup", "source": str(data),
        "schema_version": "2", "verified": True, "versions": 2, "active_version": 2}
    assert datetime.strptime(made.name, "yzlogi-%Y%m%d-%H%M%S") == datetime.fromisoformat(manifest["created_at"])
    listed = [entry["path"] for entry in manifest["files"]]
    assert listed[-2:] == ["yzlogi.duckdb", "yzlogi.state"] and len(listed) == 4
    assert all(p.startswith("uploads/") for p in listed[:2])
    # Not the lock files, nor anything half written.
    assert sorted(p.name for p in made.iterdir()) == ["uploads", "yzlogi-backup.json", "yzlogi.duckdb",
                                                       "yzlogi.state"]
    assert whole(made) == whole(data)


def test_restore_puts_a_backup_back_whole_and_keeps_what_it_replaced(folders, tmp_path):
    data, backups, env = folders
    assert cli(env, "backup").returncode == 0
    [taken] = backup.list_backups(backups)
    before = whole(data)
    assert cli(env, "import", str(workbook(tmp_path, 7)), "--by", "李四").returncode == 0
    after_import = whole(data)
    assert len(after_import) == 3

    done = cli(env, "restore", str(taken.path))
    assert done.returncode == 0, done.stderr
    saved = [b for b in backup.list_backups(backups) if b.kind == "before-restore"]
    assert len(saved) == 1 and re.match(r"^yzlogi-\d{8}-\d{6}-before-restore$", saved[0].path.name)
    assert (saved[0].versions, saved[0].active, saved[0].verified) == (3, 3, True)
    assert done.stdout == (f"已从备份 {taken.path} 恢复到数据文件夹 {data}（{taken.describe_contents()}）。\n"
                           f"恢复前的数据已保存为 {saved[0].path}；如需撤销，停止看板后恢复该文件夹即可。\n"
                           "现在可以启动看板：sudo systemctl start yzlogi\n")
    assert whole(data) == before
    # The store goes on: a new import lands on the restored history.
    assert cli(env, "import", str(workbook(tmp_path, 8)), "--by", "王五").returncode == 0
    assert [v[0] for v in whole(data)] == [1, 2, 3]
    # And the restore can be undone from what it kept (the store with v3 by 李四).
    assert cli(env, "restore", str(saved[0].path)).returncode == 0
    assert whole(data) == after_import


def test_only_the_newest_scheduled_backups_are_kept(folders, tmp_path):
    data, backups, env = folders
    unrelated = backups / "手工拷贝"
    unrelated.mkdir(parents=True)
    removed = []
    for hour in range(5):
        taken = backup.take(data, backups, keep=3, now=datetime(2026, 11, 29, hour, 30))
        removed.append([p.name for p in taken.removed])
    assert removed == [[], [], [], ["yzlogi-20261129-003000"], ["yzlogi-20261129-013000"]]
    assert sorted(p.name for p in backups.iterdir() if not p.name.startswith(".")) == [
        "yzlogi-20261129-023000", "yzlogi-20261129-033000", "yzlogi-20261129-043000", "手工拷贝"]
    # A clock set back: the backup just made sorts oldest, and stays all the same.
    early = backup.take(data, backups, keep=3, now=datetime(2026, 11, 28, 23, 0))
    assert [p.name for p in early.removed] == ["yzlogi-20261129-023000"] and early.backup.path.is_dir()
    assert [b.path.name for b in backup.list_backups(backups)] == [
        "yzlogi-20261128-230000", "yzlogi-20261129-033000", "yzlogi-20261129-043000"]
    # Two in the same second get their own names; the setting says how many stay.
    again = backup.take(data, backups, keep=3, now=datetime(2026, 11, 29, 4, 30))
    assert again.backup.path.name == "yzlogi-20261129-043000-2"
    done = cli({**env, "YZLOGI_BACKUP_KEEP": "2"}, "backup")
    assert done.returncode == 0 and "按保留份数（2）删除了较早的备份 2 份" in done.stdout
    assert len([b for b in backup.list_backups(backups) if b.kind == "backup"]) == 2
    assert cli(env, "backup", "--keep", "0").stderr == "--keep 至少为 1：备份文件夹中至少保留刚做好的这一份。\n"


def refused(env: dict, target: Path) -> tuple[int, str]:
    done = cli(env, "restore", str(target))
    return done.returncode, done.stderr.strip()


def test_restore_refuses_what_is_not_a_whole_backup_and_changes_nothing(folders, tmp_path):
    data, backups, env = folders
    assert cli(env, "backup").returncode == 0
    [taken] = backup.list_backups(backups)
    state = whole(data)
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    a_file = tmp_path / "备份.zip"
    a_file.write_bytes(b"PK")
    other = tmp_path / "other"
    other.mkdir()
    (other / "yzlogi-backup.json").write_text('{"format": "something-else"}', encoding="utf-8")
    assert refused(env, tmp_path / "nowhere") == (1, f"找不到备份文件夹 {tmp_path / 'nowhere'}。")
    assert refused(env, a_file) == (1, f"{a_file} 不是文件夹：请指定 backup 命令生成的备份文件夹"
                                       "（如 yzlogi-20261129-020000）。")
    assert refused(env, empty) == (1, f"{empty} 不是备份文件夹（缺少 yzlogi-backup.json）：请指定 backup 命令生成的"
                                      "备份文件夹（如 yzlogi-20261129-020000）。")
    assert refused(env, data) == (1, f"{data} 这是一个数据文件夹，不是备份（缺少 yzlogi-backup.json）：请指定 backup "
                                     "命令生成的备份文件夹（如 yzlogi-20261129-020000）。")
    assert refused(env, other) == (1, f"{other / 'yzlogi-backup.json'} 不是本系统备份的清单，{other} 不是本系统的备份。")
    # A backup damaged after it was taken: a file changed, a file gone.
    (taken.path / "yzlogi.state").write_text("9:9\n", encoding="ascii")
    assert refused(env, taken.path) == (1, f"备份已损坏：{taken.path} 中的文件 yzlogi.state 与备份时记录的不一致，"
                                           "不能用于恢复。")
    upload = next((taken.path / "uploads").iterdir())
    upload.unlink()
    (taken.path / "yzlogi.state").unlink()
    assert refused(env, taken.path)[1].startswith(f"备份已损坏：{taken.path} 中缺少文件 uploads/")
    assert whole(data) == state
    assert [b.kind for b in backup.list_backups(backups)] == ["backup"]  # nothing saved: nothing was replaced


def test_restore_refuses_while_an_app_runs_on_the_folder_or_an_import_holds_it(folders):
    data, backups, env = folders
    assert cli(env, "backup").returncode == 0
    [taken] = backup.list_backups(backups)
    # The app's mark (ui/context.py holds one from its first visitor on), in another process.
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from yzlogi.locking import RunningMark; "
                               "m = RunningMark(sys.argv[1]); print('held', flush=True); sys.stdin.read()",
                               str(data)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        assert refused(env, taken.path) == (1, f"看板正在运行，使用着数据文件夹 {data}：请先停止看板"
                                               "（sudo systemctl stop yzlogi），再恢复。数据未改动。")
    finally:
        holder.communicate("")
    # An import (or a backup) holding the folder's lock: refused after the lock wait.
    lock = subprocess.Popen(["flock", "-s", str(data / "yzlogi.lock"), "sleep", "30"])
    try:
        time.sleep(0.3)  # let flock take the lock
        assert refused({**env, "YZLOGI_LOCK_TIMEOUT_S": "1"}, taken.path) == (
            1, "数据文件夹正被导入或备份操作占用，本次未恢复，数据未改动。请稍后重试。")
    finally:
        lock.kill()
        lock.wait()
    assert cli(env, "restore", str(taken.path)).returncode == 0


def test_a_running_mark_is_seen_by_another_process_and_gone_with_its_holder(tmp_path):
    from yzlogi.locking import in_use

    assert in_use(tmp_path) is False
    mark = RunningMark(tmp_path)
    probe = [sys.executable, "-c", "import sys; from yzlogi.locking import in_use; print(in_use(sys.argv[1]))",
             str(tmp_path)]
    assert subprocess.run(probe, cwd=ROOT, capture_output=True, text=True).stdout == "True\n"
    mark.release()
    assert subprocess.run(probe, cwd=ROOT, capture_output=True, text=True).stdout == "False\n"


def paused(env: dict, step: str, tmp_path: Path, *args: str) -> tuple[subprocess.Popen, Path, Path]:
    reached, resume = tmp_path / f"reached-{step}", tmp_path / f"resume-{step}"
    child = subprocess.Popen([sys.executable, "-c", PAUSING, step, str(reached), str(resume), *args], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not reached.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return child, reached, resume


def test_a_backup_taken_while_an_import_commits_waits_for_it_and_restores_whole(folders, tmp_path):
    data, backups, env = folders
    importer, _, resume = paused(env, "rows:routes", tmp_path, "import", str(workbook(tmp_path, 9)), "--by", "赵六")
    # The import holds the folder inside its transaction: the backup started now has to wait for it.
    backing_up = subprocess.Popen([sys.executable, "-m", "yzlogi", "backup"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    assert backing_up.poll() is None  # still waiting
    resume.touch()
    assert importer.wait(60) == 0 and backing_up.wait(60) == 0, backing_up.stderr.read()
    [taken] = backup.list_backups(backups)
    assert (taken.versions, taken.active) == (3, 3)
    restored = tmp_path / "restored"
    assert cli(env_for(restored, tmp_path / "b2"), "restore", str(taken.path)).returncode == 0
    assert whole(restored) == whole(data)
    assert [v[:2] for v in whole(restored)] == [(1, "系统"), (2, "张三"), (3, "赵六")]


def test_an_import_made_while_a_backup_copies_waits_and_the_backup_restores_as_before(folders, tmp_path):
    data, backups, env = folders
    before = whole(data)
    backing_up, _, resume = paused(env, "copy", tmp_path, "backup")
    importing = subprocess.Popen([sys.executable, "-m", "yzlogi", "import", str(workbook(tmp_path, 10)), "--by",
                                  "钱七"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    assert importing.poll() is None  # waiting for the backup's copy
    resume.touch()
    assert backing_up.wait(60) == 0 and importing.wait(60) == 0, importing.stderr.read()
    [taken] = backup.list_backups(backups)
    assert (taken.versions, taken.active) == (2, 2)
    restored = tmp_path / "restored"
    assert cli(env_for(restored, tmp_path / "b2"), "restore", str(taken.path)).returncode == 0
    assert whole(restored) == before
    assert len(whole(data)) == 3


def test_backups_racing_a_run_of_imports_each_restore_to_a_whole_prefix_of_the_history(folders, tmp_path):
    data, backups, env = folders
    books = [str(workbook(tmp_path, n)) for n in range(11, 15)]
    script = "import sys; from yzlogi.cli import main\nfor book in sys.argv[1:]:\n    " \
             "assert main(['import', book, '--by', '孙八']) == 0\n"
    importer = subprocess.Popen([sys.executable, "-c", script, *books], cwd=ROOT, env=env)
    taken = 0
    while importer.poll() is None or taken < 2:
        backup.take(data, backups, keep=1000, now=datetime(2026, 11, 29, 3, 0) + timedelta(seconds=taken))
        taken += 1
    assert importer.wait() == 0
    final = whole(data)
    assert len(final) == 6
    for n, made in enumerate(backup.list_backups(backups)):
        restored = tmp_path / f"restored-{n}"
        backup.restore(made.path, restored, tmp_path / "b2")
        state = whole(restored)
        count = len(state)
        assert 2 <= count <= 6
        # The versions a backup holds are the history up to its moment, the last of them active.
        assert [v[:2] for v in state] == [v[:2] for v in final[:count]]
        assert [v[2] for v in state] == [False] * (count - 1) + [True]


def test_a_backup_killed_part_way_leaves_nothing_that_counts(folders, tmp_path):
    data, backups, env = folders
    child, _, _ = paused(env, "copy", tmp_path, "backup")
    child.kill()
    child.wait()
    assert [p.name.startswith(".partial-yzlogi-") for p in backups.iterdir() if p.is_dir()] == [True]
    assert backup.list_backups(backups) == []
    assert cli(env, "backup").returncode == 0
    assert [p.name for p in backups.iterdir() if p.is_dir() and p.name.startswith(".partial-")] == []
    assert len(backup.list_backups(backups)) == 1


def test_run_as_root_what_is_written_belongs_to_the_folders_owner(folders, tmp_path):
    data, backups, env = folders
    owner = 65534 if os.geteuid() == 0 else os.geteuid()  # nobody, the service user's stand-in
    backups.mkdir()
    for folder in (data, backups):
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, owner, owner) if os.geteuid() == 0 else None
    assert cli(env, "backup").returncode == 0
    [taken] = backup.list_backups(backups)
    assert {p.stat().st_uid for p in [taken.path, *taken.path.rglob("*")]} == {owner}
    assert cli(env, "restore", str(taken.path)).returncode == 0
    # Every file, the lock files and the backups folder's own lock included: the service can go on.
    assert {p.stat().st_uid for p in [*data.rglob("*"), *backups.rglob("*")]} == {owner}
