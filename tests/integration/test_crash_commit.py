"""Issue 9, crash safety: `python -m yzlogi import` killed with SIGKILL at every step
of a commit (store.KILL_POINTS, through the test-only YZLOGI_TEST_KILL_AT hook), and
killed from outside while DuckDB's write-ahead log exists. Each time the folder
opens again with either the previous state whole (killed before COMMIT) or the new
version whole and active (killed after it): never a half version, the history and
the state token consistent, and the next import works.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from datetime import date, datetime

import pytest

from builders import good_sheets, write_xlsx
from hostile import fingerprint
from yzlogi.followups import service as followups
from yzlogi.followups import storage
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.schema import WORKBOOK
from yzlogi.store import DB_FILE, INCOMING_PREFIX, KILL_ENV, KILL_POINTS, Store
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
COMMITTED_FROM = KILL_POINTS.index("committed")  # from this step on, the new version is durable


def full_sheets(tag: int = 0):
    """A workbook with all seven sheets, so that every step of a commit has something to do
    (one warning too: the forwarders register is one short of indicator 8)."""
    sheets = good_sheets()
    sheets["通道班次"][1][0][2] = 250 + tag
    sheets["其他目标"] = (["目标名称", "统计期", "完成值", "备注"],
                      [["供应链服务产值", "2026-06", "6.5", ""], ["新增5A级物流企业", "2026-06", "1", ""]])
    sheets["海外分拨仓"] = (["名称", "国家", "城市", "运营企业", "启用日期"],
                       [[f"分拨仓{i}", "泰国", "曼谷", "重庆某物流有限公司", "2025-05"] for i in range(27)])
    sheets["货代备案企业"] = (["企业名称", "备案日期", "是否全球知名"], [[f"货代{i}", "2025-08", "否"] for i in range(65)])
    sheets["督办反馈"] = (["事项编号", "办理情况", "申请办结", "填报单位"],
                      [[1, f"追赶计划已报送（{tag}）", "是", "区交通运输委"], [2, f"7月起每周加开1班（{tag}）", "否", ""]])
    return sheets


EXPECTED_ROWS = {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3, "goals": 2, "warehouses": 27, "forwarders": 65}
ANSWERS = 2  # rows of its 督办反馈: answers to items 1 and 2


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A data folder with history (sample v1, an import v2, a rollback to v1) to copy for each run."""
    base = tmp_path_factory.mktemp("crash")
    store = Store(base / "data", plan=PLAN)
    path = write_xlsx(base / "5月进度.xlsx", good_sheets())
    store.import_files([InputFile(path.name, path.read_bytes())], by="张三")
    store.rollback(1, by="李四", note="核对中")
    followups.raise_item(store, "task:8", "报送渝穗班列追赶计划", date(2026, 7, 15), "张三", ["交通委"],
                         at=datetime(2026, 7, 1, 9))
    followups.raise_item(store, "route:渝穗班列:2026", "加密班次", date(2026, 7, 20), "张三", at=datetime(2026, 7, 1, 10))
    return store.folder


@pytest.fixture(scope="module")
def upload(tmp_path_factory) -> Path:
    path = write_xlsx(tmp_path_factory.mktemp("upload") / "6月进度.xlsx", full_sheets())
    parsed = read_workbook([InputFile(path.name, path.read_bytes())], PLAN)
    assert (parsed.error_count, parsed.warning_count, parsed.rows()) == (0, 1, {**EXPECTED_ROWS, "feedback": ANSWERS})
    return path


def cli(folder: Path, *args, env: dict[str, str] | None = None, popen: bool = False):
    command = [sys.executable, "-m", "yzlogi", *map(str, args)]
    options = dict(cwd=ROOT, text=True, encoding="utf-8",
                   env={**os.environ, "YZLOGI_DATA_DIR": str(folder), **(env or {})})
    if popen:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)
    return subprocess.run(command, capture_output=True, timeout=300, **options)


def answers(folder: Path) -> list[tuple]:
    """Every answer to a follow-up item: (item, text, version, by, 申请办结, unit, via)."""
    with Store(folder, sample=None).reading() as con:
        return [(e.item_id, e.text, e.version_id, e.by, e.request_close, e.unit, e.via)
                for item in storage.read_items(con) for e in item.answers]


def logical(folder: Path) -> dict:
    """The store as its users see it, opened afresh (as the next process would)."""
    found = fingerprint(folder)
    return {**{key: found[key] for key in ("versions", "history", "loaded", "token")}, "answers": answers(folder)}


def assert_whole(folder: Path) -> None:
    """No row of any table belongs to a version that does not exist; one active version;
    the state file names the last activation; no WAL left once opened."""
    store = Store(folder, sample=None)
    ids = {v.id for v in store.versions()}
    for table in ["version_files", "version_sheets", "version_issues", "activations",
                  *(sheet.table for sheet in WORKBOOK)]:
        found = set(store.query(f"SELECT DISTINCT version_id FROM {table}")["version_id"])  # noqa: S608 - fixed names
        assert found <= ids, (table, found - ids)
    assert {a[2] for a in answers(folder)} <= ids  # no answer names a version that is not there
    assert [v.active for v in store.versions()].count(True) == 1
    last = store.history()[-1]
    assert store.state_token() == f"{last.seq}:{last.version_id}"
    assert store.active_version().id == last.version_id
    for version in store.versions():
        assert store.files_of(version.id)  # every kept raw file is there and matches its sha256
    assert not (folder / (DB_FILE + ".wal")).exists()


def incoming(folder: Path) -> list[str]:
    """Temporary files of an unfinished write, in the folder and among the kept uploads."""
    return sorted(p.name for p in [*folder.glob(f"{INCOMING_PREFIX}*"), *folder.glob(f"uploads/{INCOMING_PREFIX}*")])


def expected_after_commit(before: dict, new: dict, tag: int = 0) -> dict:
    """`before` with `new` (as versions --json and history --json would show it) added and active,
    and the upload's two answers recorded with it."""
    versions = [{**v, "active": False} for v in before["versions"]] + [new["version"]]
    history = before["history"] + [new["activation"]]
    vid, by = new["version"]["id"], new["version"]["by"]
    recorded = [(1, f"追赶计划已报送（{tag}）", vid, by, True, "区交通运输委", "workbook"),
                (2, f"7月起每周加开1班（{tag}）", vid, by, False, None, "workbook")]
    return {"versions": versions, "history": history,
            "loaded": {**before["loaded"], vid: {k: EXPECTED_ROWS[k] for k in EXPECTED_ROWS}},
            "token": f"{new['activation']['seq']}:{vid}",
            "answers": sorted(before["answers"] + recorded, key=lambda a: a[0])}


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_commit_killed_at_any_step_leaves_the_store_whole(template, upload, tmp_path, point):
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    before = logical(folder)

    killed = cli(folder, "import", upload, "--by", "王五", env={KILL_ENV: point})
    assert (killed.returncode, killed.stdout) == (-signal.SIGKILL, ""), killed.stderr

    after = logical(folder)
    assert_whole(folder)
    orphans = incoming(folder)
    assert len(orphans) == (point == "raw_incoming"), orphans  # the kept file, written but not yet renamed
    if KILL_POINTS.index(point) < COMMITTED_FROM:
        assert after == before  # the previous active version, intact and active; nothing of the new one
        assert after["answers"] == []  # no answer without its version
    else:
        new = after["versions"][-1]
        assert (new["id"], new["by"], new["files"], new["active"]) == (3, "王五", ["6月进度.xlsx"], True)
        assert after == expected_after_commit(before, {"version": new, "activation": after["history"][-1]})
        assert after["history"][-1]["action"] == "commit"
        assert [a[:3] for a in after["answers"]] == [(1, "追赶计划已报送（0）", 3), (2, "7月起每周加开1班（0）", 3)]

    # The folder is usable at once: the lock went with the process, the log was replayed.
    again = cli(folder, "import", upload, "--by", "王五")
    assert again.returncode == 0, again.stderr
    last = again.stdout.splitlines()[-1]
    if KILL_POINTS.index(point) < COMMITTED_FROM:
        assert last == "已替换示例数据，导入为版本 3，并已设为当前版本。"  # the rollback made the sample active
    else:
        assert last.startswith("这些文件与已导入的版本 3（") and last.endswith("内容完全相同，未重复导入。")
    assert [a[:4] for a in answers(folder)] == [(1, "追赶计划已报送（0）", 3, "王五"), (2, "7月起每周加开1班（0）", 3, "王五")]
    assert_whole(folder)
    assert incoming(folder) == []  # the next writer swept the orphan away


@pytest.mark.slow
def test_imports_killed_from_outside_while_the_log_is_being_written_leave_the_store_whole(template, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    wal = folder / (DB_FILE + ".wal")
    caught = 0
    for tag in range(1, 9):
        path = write_xlsx(tmp_path / f"进度{tag}.xlsx", full_sheets(tag))
        before = logical(folder)
        process = cli(folder, "import", path, popen=True)
        while process.poll() is None and not wal.exists():
            pass  # the log appears at COMMIT and is gone after the checkpoint
        if process.poll() is None:
            process.kill()
        out, err = process.communicate(timeout=300)
        caught += process.returncode == -signal.SIGKILL
        after = logical(folder)
        assert_whole(folder)
        if after != before:  # the commit got through: the new version is whole and active
            new = after["versions"][-1]
            assert (new["id"], new["files"], new["active"]) == (len(before["versions"]) + 1, [path.name], True)
            assert after == expected_after_commit(before, {"version": new, "activation": after["history"][-1]}, tag)
        else:
            assert process.returncode == -signal.SIGKILL, (out, err)
    assert caught >= 1  # at least one run was killed while the log existed


def test_the_hook_does_nothing_unless_it_names_a_step(template, upload, tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    monkeypatch.setenv(KILL_ENV, "no such step")
    outcome = Store(folder, sample=None).import_files([InputFile(upload.name, upload.read_bytes())], by="王五")
    assert outcome.version.id == 3 and outcome.version.active
