"""Issue 13: every uploaded file is read in a sandbox process of its own (yzlogi.sandbox).

Real crashing files (tests/crashers.py) first show what they do to a process that reads
them itself: a Rust panic passes `except Exception` as a traceback, an abort ends the
process with SIGABRT. Through the importer, the same files are one Chinese refusal naming
the file, from the command line and in a long-lived process (the server's case) that goes
on reading the next file; the data folder is left exactly as it was. Then every other way
a reading child can fail, through the test-only hook YZLOGI_TEST_SANDBOX: each is the same
refusal, and the log says what happened. The limits the child holds itself to are read
back from inside it.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from builders import good_sheets, write_csv, write_xlsx
from crashers import CRASHERS, valid
from hostile import REFUSED, fingerprint
from yzlogi import config, reader, sandbox, sandbox_child
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.store import Store
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
MB = 1024 * 1024


def crashed(name: str) -> str:
    return f"文件“{name}”已损坏或格式异常，无法读取，请在 Excel 中打开并另存为 .xlsx 后重新上传"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> InputFile:
    path = write_xlsx(tmp_path_factory.mktemp("good") / "6月进度.xlsx", good_sheets())
    return InputFile(path.name, path.read_bytes())


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A data folder holding the sample (v1) and one import (v2)."""
    base = tmp_path_factory.mktemp("sandbox")
    store = Store(base / "data", plan=PLAN)
    path = write_xlsx(base / "5月进度.xlsx", good_sheets())
    assert store.import_files([InputFile(path.name, path.read_bytes())], by="张三").version.id == 2
    return store.folder


def sandbox_log(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "yzlogi.sandbox"]


# --- the files really crash a reader in its own process -------------------------------------------

READ_IN_PROCESS = """
import sys, fastexcel
try:
    reader = fastexcel.read_excel(open(sys.argv[1], "rb").read())
    print("read", reader.sheet_names)
except Exception as exc:  # what the reader used to catch
    print("caught", type(exc).__name__)
"""


def test_the_same_construction_without_the_defect_reads():
    import fastexcel

    assert fastexcel.read_excel(valid()).sheet_names == ["指标进展"]


@pytest.mark.parametrize("case", CRASHERS, ids=list(CRASHERS))
def test_each_file_crashes_a_process_that_reads_it_itself(tmp_path, case):
    name, make, kind = CRASHERS[case]
    path = tmp_path / name
    path.write_bytes(make())
    result = subprocess.run([sys.executable, "-c", READ_IN_PROCESS, str(path)], capture_output=True, text=True,
                            env={**os.environ, "RUST_BACKTRACE": "0"}, timeout=120)
    assert result.stdout == ""  # neither read nor caught
    if kind == "panic":
        # A BaseException: past `except Exception`, a traceback, exit 1.
        assert result.returncode == 1
        assert result.stderr.splitlines()[-1].startswith("pyo3_runtime.PanicException: range ")
    else:
        assert result.returncode == -signal.SIGABRT
        assert "memory allocation of 1374389534400 bytes failed" in result.stderr


# --- through the importer: one Chinese refusal, nothing stored ----------------------------------------


def run_cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yzlogi", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "YZLOGI_DATA_DIR": str(folder)}, timeout=300)


@pytest.mark.parametrize("case", CRASHERS, ids=list(CRASHERS))
def test_the_command_line_refuses_it_in_chinese_and_changes_nothing(folder, tmp_path, case):
    name, make, kind = CRASHERS[case]
    path = tmp_path / name
    path.write_bytes(make())
    before = fingerprint(folder)
    result = run_cli(folder, "import", str(path))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [REFUSED.format(1), f"  [错误] {crashed(name)}"]
    assert fingerprint(folder) == before
    # The log, when asked for, says what happened in the reading process.
    verbose = run_cli(folder, "-v", "import", str(path))
    assert verbose.returncode == 1 and f"  [错误] {crashed(name)}" in verbose.stderr.splitlines()
    assert f"WARNING yzlogi.sandbox: reading {name!r} in the sandbox failed after " in verbose.stderr
    if kind == "panic":
        assert "exited with 3; its stderr ends: " in verbose.stderr and "PanicException: range " in verbose.stderr
    else:
        assert "killed by SIGABRT; its stderr ends: memory allocation of 1374389534400 bytes failed" in verbose.stderr
    assert fingerprint(folder) == before


def test_a_long_lived_process_refuses_each_crash_and_reads_the_next_file(good, caplog):
    # The server's case: one process, crashes and good files in turn.
    caplog.set_level(logging.WARNING, logger="yzlogi.sandbox")
    for name, make, _kind in [*CRASHERS.values(), *CRASHERS.values()]:
        parsed = read_workbook([InputFile(name, make())], PLAN)
        assert [(i.level, i.code, i.message) for i in parsed.issues] == [("error", "read_crashed", crashed(name))]
        again = read_workbook([good], PLAN)
        assert again.ok and again.rows() == {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3}
    failures = [m for m in sandbox_log(caplog) if "failed" in m]
    assert [m.split(" in the sandbox failed")[0] for m in failures] == [
        f"reading {name!r}" for name, *_ in [*CRASHERS.values(), *CRASHERS.values()]]
    assert sum("killed by SIGABRT" in m for m in failures) == 2
    assert sum("exited with 3" in m and "PanicException" in m for m in failures) == 4


def test_a_crash_in_one_file_of_several_refuses_that_file_only(good, tmp_path):
    paths = [write_csv(tmp_path / f"{name}.csv", header, rows) for name, (header, rows) in good_sheets().items()]
    files = [InputFile(p.name, p.read_bytes()) for p in paths]
    name, make, _ = CRASHERS["abort: a sheet sized backwards"]
    results = sandbox.read_files([*files[:2], InputFile(name, make()), *files[2:]])
    assert [type(r).__name__ for r in results] == ["ReadResult"] * 2 + ["ReadError"] + ["ReadResult"] * 2
    assert (results[2].code, results[2].message) == ("read_crashed", crashed(name))
    assert [r.sheets[0].name for r in results if isinstance(r, reader.ReadResult)] == [p.name for p in paths]


# --- every way a child can fail -------------------------------------------------------------------------

# how: what the log says about it (the child's limits made small so that each ends quickly)
MISBEHAVIOURS = {
    "panic": ["exited with 3", "PanicException: index out of bounds: the len is 4 but the index is 4"],
    "abort": ["killed by SIGABRT"],
    "kill": ["killed by SIGKILL"],
    "loop": ["killed by SIGXCPU"],
    "sleep": ["no answer within 3 s, then killed by SIGKILL"],
    "allocate": ["killed by SIGABRT; its stderr ends: memory allocation of 7516192768 bytes failed"],
    "flood": ["answered more than 1 MB, then killed by SIGKILL"],
    "garbage": ["answered something unreadable (ValueError: 0 tables for 1 sheets), then exited with 0"],
}


def test_the_table_covers_every_misbehaviour_of_the_hook():
    assert set(MISBEHAVIOURS) | {"report"} == set(sandbox_child.MISBEHAVIOURS)


@pytest.mark.parametrize("how", MISBEHAVIOURS, ids=list(MISBEHAVIOURS))
def test_a_child_that_fails_becomes_the_refusal_and_the_next_file_reads(good, monkeypatch, caplog, how):
    caplog.set_level(logging.WARNING, logger="yzlogi.sandbox")
    monkeypatch.setenv("YZLOGI_READ_CPU_S", "1")
    monkeypatch.setenv("YZLOGI_READ_TIMEOUT_S", "3")
    monkeypatch.setenv("YZLOGI_READ_OUTPUT_MB", "1")
    monkeypatch.setenv(sandbox_child.TEST_ENV, how)
    (result,) = sandbox.read_files([good])
    assert isinstance(result, reader.ReadError)
    assert (result.code, result.message) == ("read_crashed", crashed(good.name))
    (logged,) = sandbox_log(caplog)
    assert logged.startswith(f"reading {good.name!r} in the sandbox failed after ")
    for part in MISBEHAVIOURS[how]:
        assert part in logged
    monkeypatch.delenv(sandbox_child.TEST_ENV)
    (again,) = sandbox.read_files([good])
    assert [s.name for s in again.sheets] == ["指标进展", "通道班次", "船舶更新", "任务进展"]


def test_the_child_runs_under_the_configured_limits_and_writes_no_file(good, monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="yzlogi.sandbox")
    monkeypatch.setenv("YZLOGI_READ_MEMORY_MB", "1500")
    monkeypatch.setenv("YZLOGI_READ_CPU_S", "7")
    monkeypatch.setenv(sandbox_child.TEST_ENV, "report")
    (result,) = sandbox.read_files([good])
    assert result.code == "read_crashed"
    (logged,) = sandbox_log(caplog)
    report = logged.split("its stderr ends: limits ", 1)[1]
    limits, written = report.split("; a file ")
    assert json.loads(limits) == {"AS": [1500 * MB, 1500 * MB], "CORE": [0, 0], "CPU": [7, 8], "FSIZE": [0, 0]}
    assert written == "not written: EFBIG"


def test_the_default_limits_are_documented_ones():
    assert [(limit.name, limit.default) for limit in config.LIMITS[-4:]] == [
        ("read_memory_mb", 2048), ("read_cpu_s", 30), ("read_timeout_s", 60), ("read_output_mb", 256)]


# --- the zygote -------------------------------------------------------------------------------------


def test_a_zygote_that_died_is_started_again(good):
    sandbox.read_files([good])  # make sure one is running
    first = sandbox._ZYGOTE.process
    first.kill()
    first.wait()
    (result,) = sandbox.read_files([good])
    assert isinstance(result, reader.ReadResult)
    assert sandbox._ZYGOTE.process is not first and sandbox._ZYGOTE.process.poll() is None


def test_when_no_reading_process_can_start_the_refusal_says_it_is_not_the_file(good, monkeypatch, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="yzlogi.sandbox")
    sandbox._ZYGOTE._stop()
    monkeypatch.setattr(config, "ROOT", tmp_path)  # `python -m yzlogi.sandbox_child` cannot be found from there
    try:
        (result,) = sandbox.read_files([good])
    finally:
        monkeypatch.undo()
        sandbox._ZYGOTE._stop()
    assert (result.code, result.message) == (
        "read_unavailable",
        f"服务器暂时无法读取文件“{good.name}”（读取进程无法启动），请稍后重试；如仍不行，请联系系统管理员查看服务器日志")
    logged = sandbox_log(caplog)[-1]
    assert logged.startswith(f"reading {good.name!r} in the sandbox failed after ")
    assert logged.endswith(": the zygote is unavailable")
    (again,) = sandbox.read_files([good])  # back at home, a new zygote
    assert isinstance(again, reader.ReadResult)
