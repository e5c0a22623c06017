"""Issue 9, concurrency: many processes on one data folder at once — imports of
different workbooks, of the same bytes several times, of a broken workbook — and
readers (versions --json, history --json, status --json, and workers loading every
version whole in a loop). Every import commits whole, says it is a duplicate, or is
refused with its message; no lock error reaches anyone; every listing any process
saw, and the folder afterwards, is consistent.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builders import good_sheets, write_xlsx
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.store import Store

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
# Words of a raw lock or database error; none may reach a user.
RAW_ERRORS = ("lock", "Lock", "IO Error", "IOException", "Conflicting", "Traceback", "duckdb", "内部错误")

LOADER = """
import json, sys
from yzlogi.store import Store
store = Store(sys.argv[1], sample=None)
seen = []
for _ in range(int(sys.argv[2])):
    versions = store.versions()
    for version in versions:
        data = store.load(version.id)
        loaded = {key: len(getattr(data, key)) for key in version.rows}
        assert loaded == version.rows, (version.id, loaded, version.rows)  # never half a version
    seen.append([[v.id, v.active] for v in versions])
print(json.dumps(seen))
"""


def month_sheets(month: int):
    """A valid workbook whose content (and bytes) depend on the month."""
    sheets = good_sheets()
    sheets["通道班次"][1].append(["东盟班车", f"2026-{month:02d}", 200 + month, ""])
    return sheets


def start(folder: Path, *args: str):
    env = {**os.environ, "YZLOGI_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


def finish(process) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def assert_consistent_listing(versions: list[dict]) -> None:
    assert [v["id"] for v in versions] == list(range(1, len(versions) + 1))
    assert [v["active"] for v in versions].count(True) == 1


def assert_consistent_history(history: list[dict], ids: set[int]) -> None:
    assert [a["seq"] for a in history] == list(range(1, len(history) + 1))
    assert [a["at"] for a in history] == sorted(a["at"] for a in history)
    assert {a["version_id"] for a in history} <= ids


@pytest.mark.slow
def test_imports_and_readers_at_once_each_get_a_whole_answer(tmp_path):
    folder = tmp_path / "data"
    store = Store(folder, plan=PLAN)
    store.ensure_ready()  # the sample as version 1, as on a fresh server
    paths = {month: write_xlsx(tmp_path / f"{month}月进度.xlsx", month_sheets(month)) for month in (7, 8, 9, 10)}
    broken_sheets = good_sheets()
    broken_sheets["任务进展"][1][0][3] = "进行中中"
    broken = write_xlsx(tmp_path / "有误.xlsx", broken_sheets)
    same = [paths[7], tmp_path / "7月进度（副本）.xlsx", tmp_path / "7月进度（再次）.xlsx"]
    for copy in same[1:]:
        copy.write_bytes(paths[7].read_bytes())

    imports = {f"import {p.name}": start(folder, "-m", "yzlogi", "import", str(p), "--by", "并发")
               for p in [*paths.values(), *same[1:], broken]}
    readers = {}
    for i in range(2):
        readers[f"versions {i}"] = start(folder, "-m", "yzlogi", "versions", "--json")
        readers[f"history {i}"] = start(folder, "-m", "yzlogi", "history", "--json")
        readers[f"status {i}"] = start(folder, "-m", "yzlogi", "status", "--json")
    loaders = {f"loader {i}": start(folder, "-c", LOADER, str(folder), "10") for i in range(2)}
    results = {name: finish(p) for name, p in {**imports, **readers, **loaders}.items()}

    for name, (code, out, err) in results.items():
        assert not [w for w in RAW_ERRORS if w in out + err], (name, out, err)

    # Imports: each different workbook committed once, the same bytes once, the broken one refused.
    committed, duplicates = {}, {}
    for name, (code, out, err) in results.items():
        if not name.startswith("import"):
            continue
        if name == "import 有误.xlsx":
            assert (code, out) == (1, "")
            assert err.splitlines() == ["工作簿有 1 处错误，未导入，当前数据未改变。",
                                        "  [错误] 任务进展 第2行「状态」：无法识别“进行中中”，应为 未启动/序时推进/滞后/已完成"]
            continue
        assert (code, err) == (0, ""), (name, out, err)
        last = out.splitlines()[-1]
        stored = re.fullmatch(r"已(?:合并到已有数据|替换示例数据)，导入为版本 (\d+)，并已设为当前版本。", last)
        if stored:
            committed[name] = int(stored.group(1))
        else:
            assert last.startswith("这些文件与已导入的版本 ") and "内容完全相同，未重复导入。" in last, last
            duplicates[name] = int(last.removeprefix("这些文件与已导入的版本 ").split("（")[0])
    assert sorted(committed.values()) == [2, 3, 4, 5]
    assert len(duplicates) == 2
    first_seven = [committed.get(f"import {p.name}") for p in same if f"import {p.name}" in committed]
    assert len(first_seven) == 1 and set(duplicates.values()) == set(first_seven)
    assert {name for name in committed} | {name for name in duplicates} == {f"import {p.name}"
                                                                            for p in [*paths.values(), *same[1:]]}

    # Readers: every answer they got was whole and consistent.
    for name, (code, out, err) in results.items():
        if name.startswith("import"):
            continue
        assert (code, err) == (0, ""), (name, err)
        try:
            data = json.loads(out)
        except json.JSONDecodeError:
            pytest.fail(f"{name} did not print JSON: {out!r}")
        if name.startswith("versions"):
            assert_consistent_listing(data)
        elif name.startswith("history"):
            assert_consistent_history(data, set(range(1, 6)))
        elif name.startswith("status"):
            assert data["version"] in range(1, 6)
        else:
            assert len(data) == 10
            for listing in data:
                assert_consistent_listing([{"id": i, "active": a} for i, a in listing])

    # The folder afterwards.
    after = Store(folder, sample=None)
    versions = after.versions()
    assert_consistent_listing([v.to_json() for v in versions])
    history = [a.to_json() for a in after.history()]
    assert_consistent_history(history, {v.id for v in versions})
    assert [a["action"] for a in history] == ["sample"] + ["commit"] * 4
    assert after.active_version().id == history[-1]["version_id"] == 5
    assert after.state_token() == f"{len(history)}:5"
    for version in versions[1:]:
        assert after.files_of(version.id) == [InputFile(version.files[0], (tmp_path / version.files[0]).read_bytes())]


def test_no_connection_draws_duckdbs_progress_bar(tmp_path):
    # A query that runs over 2 s on a busy machine would print a progress bar on stdout,
    # into the JSON of versions/history/status --json (seen in the test above before the fix).
    store = Store(tmp_path / "data", sample=None)
    store.ensure_ready()
    for opened in (store._reading, store._writing):
        with opened() as con:
            assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)
