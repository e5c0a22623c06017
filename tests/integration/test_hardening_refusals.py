"""Issue 9, refused cleanly by the command line: every hostile or broken file, and every
error kind of the workbook spec, ends in exit 1, a Chinese message, no traceback, and
a data folder left exactly as it was (files byte for byte, versions, history, rows,
state token).

Hostile files run `python -m yzlogi import` in a process held to 4 GiB of address
space and 60 s of CPU (RLIMIT_AS, RLIMIT_CPU): a check that stopped working makes the
process die or fail instead of hanging the suite. These are resource bounds, not
timing assertions. The error-kind table runs the same command in this process.
"""

from __future__ import annotations

import ast
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from builders import good_sheets, write_csv, write_xlsx
from hostile import ERROR_KINDS, REFUSED, REPLACE_ERROR_KINDS, REFUSED_FILES, bomb, error_kind_files, fingerprint
from yzlogi import cli
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.store import Store
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "yzlogi"
PLAN = load_plan()
MB = 1024 * 1024
# A normal import reserves ~2.2 GB of address space (allocator arenas) and touches ~300 MB;
# the bomb's sheet alone would need 3 GB more, a 64 GB file 64 GB.
ADDRESS_SPACE = 4 << 30
CPU_SECONDS = 60


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A data folder with history: the sample (v1), a real import (v2), a rollback to v1."""
    base = tmp_path_factory.mktemp("hardening")
    store = Store(base / "data", plan=PLAN)
    path = write_xlsx(base / "5月进度.xlsx", good_sheets())
    assert store.import_files([InputFile(path.name, path.read_bytes())], by="张三").version.id == 2
    store.rollback(1, by="李四", note="核对中")
    return store.folder


@pytest.fixture(scope="module")
def good_xlsx(tmp_path_factory) -> bytes:
    return write_xlsx(tmp_path_factory.mktemp("good") / "good.xlsx", good_sheets()).read_bytes()


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def import_bounded(folder: Path, *paths: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """python -m yzlogi import PATHS in a process with bounded memory and CPU."""
    return subprocess.run(
        [sys.executable, "-m", "yzlogi", "import", *map(str, paths)], cwd=ROOT, capture_output=True, text=True,
        encoding="utf-8", env={**os.environ, "YZLOGI_DATA_DIR": str(folder), **(env or {})}, preexec_fn=_bounded,
        timeout=600,  # a guard against a hang the bounds cannot see (a wait), not an assertion
    )


# --- hostile and broken files ---------------------------------------------------------------


def _sparse(name: str, size: int):
    """A file of `size` bytes that takes no disk space and must never be read."""
    def make(folder: Path, good: bytes) -> Path:
        path = folder / name
        with open(path, "wb") as handle:
            handle.truncate(size)
        return path
    return make


HOSTILE = {
    **REFUSED_FILES,
    "64 GB, never read": (_sparse("6月进度.xlsx", 64 << 30), {}, ["上传的文件共 65536.0 MB，超过上限 20 MB"]),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_file_is_refused_in_chinese_within_bounds_and_changes_nothing(folder, good_xlsx, tmp_path, case):
    make, env, messages = HOSTILE[case]
    path = make(tmp_path, good_xlsx)
    before = fingerprint(folder)
    result = import_bounded(folder, path, env=env)
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr.splitlines() == [REFUSED.format(len(messages)), *(f"  [错误] {m}" for m in messages)]
    assert fingerprint(folder) == before


def test_the_ratio_check_alone_refuses_the_bomb(folder, good_xlsx, tmp_path):
    # With the total-size limit out of the way, the member's ratio in the zip directory still refuses it.
    path = bomb(tmp_path, good_xlsx)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 3 * 1024 * MB and info.compress_size < 4 * MB
    ratio = info.file_size / info.compress_size
    before = fingerprint(folder)
    result = import_bounded(folder, path, env={"YZLOGI_MAX_UNCOMPRESSED_MB": "100000"})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [REFUSED.format(1), (
        f"  [错误] 文件“炸弹.xlsx”中的“xl/worksheets/sheet1.xml”压缩比异常（{ratio:.0f}:1，上限 200:1），疑似压缩炸弹，不予处理")]
    assert fingerprint(folder) == before


def test_a_device_that_never_ends_is_refused_without_reading_it(folder):
    before = fingerprint(folder)
    result = import_bounded(folder, Path("/dev/zero"))
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "/dev/zero 不是普通文件，请指定工作簿文件或 CSV 文件\n")
    assert fingerprint(folder) == before


def test_100_000_rows_of_garbage_are_counted_and_listed_up_to_the_cap(folder, tmp_path):
    paths = []
    for name, (header, rows) in good_sheets().items():
        if name == "任务进展":
            rows = [[f"乱码{i}"] * len(header) for i in range(100_000)]
        paths.append(write_csv(tmp_path / f"{name}.csv", header, rows))
    before = fingerprint(folder)
    result = import_bounded(folder, *paths)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    # Five errors a row (任务编号, 填报单位, 统计期, 状态, 完成进度); the first 200 listed.
    assert lines[:3] == [REFUSED.format(500000), "  [错误] 任务进展 第2行「任务编号」：无法识别“乱码0”，应为附件2的任务编号 1—16",
                         "  [错误] 任务进展 第2行「填报单位」：无法识别“乱码0”，应为 计划中的部门：区交通运输委/区发展改革委/区商务委/"
                         "区经济信息委/区财政局/区产业发展促进局/区政府外办/区司法局/区科技局/区大数据发展局/各管委会"]
    assert len(lines) == 1 + 200 + 1
    assert lines[-1] == "  [错误] 另有 499800 个错误未逐条列出（共 500000 个错误、0 个提醒），请先修改以上问题后重新上传"
    assert fingerprint(folder) == before


# --- every error kind of the workbook spec -------------------------------------------------------


CODE_CALLS = {"ReadError", "CellError", "Issue", "add", "add_cells", "_error", "_cell_issues", "parse_name",
              "parse_whole"}


def issue_codes() -> set[str]:
    """Every issue code the reader, the sandbox, the cell parsers, the questions and the validation
    can give: the snake_case strings passed to what makes an issue (or a code parameter's default),
    given as a literal or as a module constant."""
    found = set()
    for module in ("reader", "sandbox", "sandbox_child", "cells", "ambiguous", "workbook", "issues", "headers",
                   "column_readers"):
        tree = ast.parse((SOURCE / f"{module}.py").read_text(encoding="utf-8"))
        constants = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                     and isinstance(node.value, ast.Constant) for target in node.targets
                     if isinstance(target, ast.Name)}
        for node in ast.walk(tree):
            values = []
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in CODE_CALLS:
                    values = [*node.args, *(k.value for k in node.keywords if k.arg == "code")]
            elif isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + node.args.defaults
                values = [d for n, d in zip(names, defaults + node.args.kw_defaults) if n == "code"]
            values = [constants.get(v.id, v) if isinstance(v, ast.Name) else v for v in values]
            found |= {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)
                      and re.fullmatch(r"[a-z]+(_[a-z]+)*", v.value)}
    return found


# Kinds refused before any sheet is looked at: the hostile table above covers them.
FILE_KINDS = {"empty_file", "unknown_format", "corrupt_file", "encrypted", "macro_enabled", "zip_bomb",
              "file_too_large", "too_many_rows", "csv_unmatched"}
NOT_FROM_THE_COMMAND_LINE = {"empty_upload"}  # no files at all: argparse requires one
WARNING_KINDS = {"unknown_column", "duplicate_column", "indicator_name_differs", "new_route", "computed_indicator",
                 "unfilled_rows", "empty_sheet", "register_mismatch", "more_issues"}
# A reading process that failed, or could not start: tests/integration/test_sandbox.py.
SANDBOX_KINDS = {"read_crashed", "read_unavailable"}
# Numbers questioned, not guessed: tests/integration/test_ambiguous.py.
QUESTION_KINDS = {"ambiguous_percent", "mixed_percent_scale", "implausible_value", "date_serial"}


def test_the_tables_cover_every_issue_code_there_is():
    assert issue_codes() == (set(ERROR_KINDS) | set(REPLACE_ERROR_KINDS) | FILE_KINDS | NOT_FROM_THE_COMMAND_LINE | WARNING_KINDS
                             | SANDBOX_KINDS | QUESTION_KINDS)


@pytest.fixture
def cli_in(folder, monkeypatch, capsys):
    """python -m yzlogi import … run in this process against `folder`: (exit, stdout, stderr lines)."""
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(folder))

    def run(*paths: Path, replace: bool = False):
        code = cli.main(["import", *map(str, paths), *(["--replace"] if replace else [])])
        out, err = capsys.readouterr()
        return code, out, err.splitlines()

    return run


@pytest.mark.parametrize("code", ERROR_KINDS, ids=list(ERROR_KINDS))
def test_each_error_kind_is_located_in_chinese_and_refused_whole(folder, cli_in, tmp_path, code):
    sheet, row, column, message = ERROR_KINDS[code][1]
    paths = error_kind_files(code, tmp_path)
    parsed = read_workbook([InputFile(p.name, p.read_bytes()) for p in paths], PLAN)
    assert [(i.level, i.code, i.sheet, i.row, i.column) for i in parsed.issues] == [
        ("error", code, sheet, row, column)]
    assert parsed.issues[0].message == message
    before = fingerprint(folder)
    assert cli_in(*paths) == (1, "", [REFUSED.format(1), f"  [错误] {message}"])
    assert fingerprint(folder) == before


@pytest.mark.parametrize("code", REPLACE_ERROR_KINDS, ids=list(REPLACE_ERROR_KINDS))
def test_a_replace_is_refused_where_a_merge_is_not(folder, cli_in, tmp_path, code):
    """A workbook without a required sheet replaces nothing; merged, it adds what it holds."""
    sheet, row, column, message = REPLACE_ERROR_KINDS[code][1]
    paths = error_kind_files(code, tmp_path)
    parsed = read_workbook([InputFile(p.name, p.read_bytes()) for p in paths], PLAN, replace=True)
    assert [(i.level, i.code, i.sheet, i.row, i.column, i.message) for i in parsed.issues] == [
        ("error", code, sheet, row, column, message)]
    before = fingerprint(folder)
    assert cli_in(*paths, replace=True) == (1, "", [REFUSED.format(1), f"  [错误] {message}"])
    assert fingerprint(folder) == before
    assert read_workbook([InputFile(p.name, p.read_bytes()) for p in paths], PLAN).issues == []
