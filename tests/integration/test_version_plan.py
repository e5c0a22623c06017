"""Issue 12: a version remembers its plan. Each commit keeps the plan it was validated and
judged under (digest and text, store table `plans`); changing the plan file never silently
re-judges an old version: it is judged under its own plan, and every view says the plan
has changed since, and how. A store of the earlier layout is brought up to date on opening."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from plan_files import SAMPLE_COUNTS, edited_plan

from yzlogi import snapshot
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.status import compute_status
from yzlogi.store import DB_FILE, Store, StoreUnavailable

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()


def cli(folder: Path, plan: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "YZLOGI_PLAN": str(plan), "YZLOGI_DATA_DIR": str(folder)}
    return subprocess.run([sys.executable, "-m", "yzlogi", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8")


def test_an_old_version_keeps_its_lights_when_the_plan_file_changes_and_says_how(tmp_path):
    folder = tmp_path / "data"
    first = snapshot.take(Store(folder))
    assert (first.version.plan_digest, first.status.counts()["total"]) == (PLAN.digest, SAMPLE_COUNTS)
    edited = load_plan(edited_plan(tmp_path))
    assert edited.digest != PLAN.digest
    # Under the edited plan the same data would be judged otherwise …
    regraded = compute_status(edited, first.data, first.as_of)
    # (indicator 5's 7.7% now clears 7%以上; 渝穗班列's 72.0% stays below the 80% band)
    assert regraded.counts()["total"] == {"red": 7, "yellow": 7, "grey": 1, "green": 28}
    # … but version 1 is judged under the plan it was committed under, and the change is stated.
    later = snapshot.take(Store(folder, plan=edited))
    assert later.plan.digest == PLAN.digest
    assert later.status.counts()["total"] == SAMPLE_COUNTS
    assert later.plan_changes == [
        "灯号阈值 yellow_ratio：0.9 → 0.8",
        "指标5 西部陆海新通道运量增速：2026年目标 “10%以上” → “7%以上”",
    ]


def test_a_version_committed_under_the_new_plan_is_judged_under_it(tmp_path):
    folder = tmp_path / "data"
    Store(folder).ensure_ready()
    edited = load_plan(edited_plan(tmp_path))
    store = Store(folder, plan=edited)
    (sample,) = store.files_of(1)
    # The same bytes would be a duplicate of version 1: the same data, saved again, is a new upload.
    book = load_workbook(io.BytesIO(sample.data))
    book.properties.title = "再次导入"
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = store.import_files([InputFile("再次导入.xlsx", buffer.getvalue())], by="张三")
    assert outcome.version.plan_digest == edited.digest
    shot = snapshot.take(store)
    assert (shot.version.id, shot.plan_changes) == (2, [])
    assert shot.status.counts()["total"] == {"red": 7, "yellow": 7, "grey": 1, "green": 28}
    assert shot.status.indicator(5).light.text == "目标 7%以上，实际 7.7%（≥ 7%）→ 绿灯"
    # Version 1 is still judged under its own plan beside it.
    assert snapshot.take(store, 1).status.counts()["total"] == SAMPLE_COUNTS


def test_status_json_names_the_plan_that_judged_the_version_and_the_changes_since(tmp_path):
    folder = tmp_path / "data"
    Store(folder).ensure_ready()
    result = cli(folder, edited_plan(tmp_path), "status", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["counts"]["total"] == SAMPLE_COUNTS
    assert data["plan"] == {
        "digest": PLAN.digest, "title": PLAN.title, "years": [2025, 2026, 2027], "current": False,
        "changes": ["灯号阈值 yellow_ratio：0.9 → 0.8", "指标5 西部陆海新通道运量增速：2026年目标 “10%以上” → “7%以上”"],
    }
    text = cli(folder, edited_plan(tmp_path), "status")
    assert "注意：此版本导入后计划数据文件已修改，灯号按导入时的计划计算。" in text.stdout


def test_a_store_of_the_first_layout_keeps_its_versions_and_gives_them_the_current_plan(tmp_path):
    folder = tmp_path / "data"
    Store(folder).ensure_ready()
    # Turn the folder into what schema 1 wrote: no kept plans, the plan in tables no query read.
    con = duckdb.connect(str(folder / DB_FILE))
    con.execute("ALTER TABLE versions DROP COLUMN plan_digest")
    con.execute("DROP TABLE plans")
    con.execute("CREATE TABLE plan_tasks (task_no INTEGER, name VARCHAR)")
    con.execute("UPDATE meta SET value = '1' WHERE name = 'schema_version'")
    con.close()
    store = Store(folder)
    (version,) = store.versions()
    assert (version.id, version.plan_digest) == (1, PLAN.digest)
    con = duckdb.connect(str(folder / DB_FILE), read_only=True)
    tables = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    meta = dict(con.execute("SELECT name, value FROM meta").fetchall())
    kept = con.execute("SELECT digest, title FROM plans").fetchall()
    con.close()
    assert "plan_tasks" not in tables and "plans" in tables
    assert meta["schema_version"] == "2" and "migrated_from_schema_1" in meta
    assert kept == [(PLAN.digest, PLAN.title)]
    assert snapshot.take(store).status.counts()["total"] == SAMPLE_COUNTS


def test_a_kept_plan_that_no_longer_loads_is_refused_in_chinese(tmp_path):
    folder = tmp_path / "data"
    Store(folder).ensure_ready()
    con = duckdb.connect(str(folder / DB_FILE))
    con.execute("UPDATE plans SET plan_text = '[plan' ")
    con.close()
    edited = load_plan(edited_plan(tmp_path))
    with pytest.raises(StoreUnavailable, match="版本 1 导入时的计划无法再按本程序读取"):
        snapshot.take(Store(folder, plan=edited))
    result = cli(folder, edited_plan(tmp_path), "status")
    assert result.returncode == 1
    assert result.stderr.startswith("版本 1 导入时的计划无法再按本程序读取：计划数据文件 版本 1 导入时的计划 格式错误：")
