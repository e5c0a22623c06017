"""Parsed workbooks built directly from rows, for store tests that need no reader,
and a worker (python -m store_helpers …) that runs the store in another process.

`parsed_workbook` builds a model.ParsedWorkbook whose tables are pyarrow tables
typed per Sheet.read_columns(), exactly the contract workbook.read_workbook
fulfils; `workbook(tag)` is a small valid one whose bytes and values depend on tag.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pyarrow as pa

from yzlogi.model import ERROR, InputFile, Issue, ParsedWorkbook, SheetSource
from yzlogi.schema import SHEETS
from yzlogi.workbook import ARROW_TYPES  # the reader's types: what it hands the store

ROOT = Path(__file__).resolve().parents[1]


def typed_table(key: str, rows: list[dict]) -> pa.Table:
    """The typed table of sheet `key`; a row without 'row' gets its spreadsheet row (header on row 1)."""
    sheet = SHEETS[key]
    columns = {}
    for name, sql_type in sheet.read_columns():
        if name == "row":
            values = [row.get("row", index + 2) for index, row in enumerate(rows)]
        elif name == "withdraw":
            values = [bool(row.get("withdraw", False)) for row in rows]
        else:
            values = [row.get(name) for row in rows]
        columns[name] = pa.array(values, type=ARROW_TYPES[sql_type])
    return pa.table(columns)


def parsed_workbook(tables: dict[str, list[dict]], files: tuple[InputFile, ...] | None = None,
                    issues: tuple[Issue, ...] = ()) -> ParsedWorkbook:
    files = files or (InputFile("进度.xlsx", json.dumps(tables, ensure_ascii=False, sort_keys=True).encode()),)
    typed = {key: typed_table(key, rows) for key, rows in tables.items()}
    sources = {
        key: SheetSource(sheet=SHEETS[key].name, file=files[0].name, found_as=SHEETS[key].name, header_row=1,
                         rows=table.num_rows)
        for key, table in typed.items()
    }
    errors = sum(1 for issue in issues if issue.level == ERROR)
    return ParsedWorkbook(files=tuple(files), tables=typed, issues=list(issues), sources=sources,
                          error_count=errors, warning_count=len(issues) - errors)


def rows(tag: int = 0) -> dict[str, list[dict]]:
    """A small valid workbook's typed rows; `tag` shifts a few values so versions differ."""
    return {
        "indicators": [
            {"indicator_no": 1, "indicator_name": "现代物流业占全区GDP比重", "month": "2026-06", "value": 10.2,
             "department": "区交通运输委", "note": None},
            {"indicator_no": 7, "indicator_name": None, "month": "2026-06", "value": 27.0 + tag,
             "department": None, "note": "含新启用1个"},
        ],
        "routes": [
            {"route": "东盟班车", "month": "2026-05", "runs": 250 + tag, "note": None, "is_new": False},
            {"route": "东盟班车", "month": "2026-06", "runs": 260, "note": None, "is_new": False},
            {"route": "渝新欧班列", "month": "2026-06", "runs": 3, "note": "新开线路", "is_new": True},
        ],
        "ships": [
            {"ship_name": "渝中LNG01", "category": "LNG动力船舶更新", "status": "已完成", "completed": "2026-03",
             "company": "重庆某航运有限公司", "note": None},
            {"ship_name": "渝中甲醇01", "category": "甲醇动力船舶更新", "status": "在建", "completed": None,
             "company": None, "note": None},
        ],
        "tasks": [
            {"task_no": 1, "department": "区交通运输委", "month": "2026-06", "status": "序时推进", "progress": 50.0,
             "progress_text": "修订扶持政策", "problems": None, "next_steps": "征求意见"},
            {"task_no": 8, "department": "区交通运输委", "month": "2026-06", "status": "滞后", "progress": None,
             "progress_text": "班次不足", "problems": "货源不稳", "next_steps": "加密班次"},
        ],
    }


def workbook(tag: int = 0, name: str | None = None) -> ParsedWorkbook:
    """A valid parsed workbook whose file bytes (and so sha256) depend on tag."""
    data = f"workbook {tag}\n".encode() + json.dumps(rows(tag), ensure_ascii=False).encode()
    return parsed_workbook(rows(tag), files=(InputFile(name or f"进度{tag}.xlsx", data),))


# --- the worker: python -m store_helpers <command> … ------------------------------
# Tests start it as a real process (subprocess) with cwd=ROOT and PYTHONPATH=ROOT:tests.


def wait_for(path: Path, bound_s: float = 120.0) -> None:
    """Wait until a file exists (a start signal from the test); give up after bound_s."""
    end = time.monotonic() + bound_s
    while not path.exists():
        if time.monotonic() > end:
            raise SystemExit(f"gave up waiting for {path}")
        time.sleep(0.005)


def worker_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    return env


def _main(argv: list[str]) -> int:
    from yzlogi.errors import YzlogiError
    from yzlogi.store import DuplicateUpload, Store

    command, folder, *rest = argv
    store = Store(folder, sample=None)
    try:
        if command == "commit":
            # commit TAG READY_FILE GO_FILE: say ready, wait for the start signal, commit once.
            tag, ready, go = int(rest[0]), Path(rest[1]), Path(rest[2])
            store.ensure_ready()
            ready.touch()
            wait_for(go)
            try:
                version = store.commit(workbook(tag), by=f"进程{os.getpid()}", note="并发导入")
                print(json.dumps({"new": version.id}))
            except DuplicateUpload as duplicate:
                print(json.dumps({"duplicate_of": duplicate.version.id}))
        elif command == "commit-loop":
            # commit-loop FIRST_TAG COUNT: commit COUNT versions one after the other.
            first, count = int(rest[0]), int(rest[1])
            ids = [store.commit(workbook(tag), by="写入进程", note="").id for tag in range(first, first + count)]
            print(json.dumps({"ids": ids}))
        elif command == "read-loop":
            # read-loop STOP_FILE: read the active version whole until the stop file appears.
            stop = Path(rest[0])
            reads = 0
            while not stop.exists() or reads == 0:
                active = store.active_version()
                if active is not None:
                    data = store.load(active.id)
                    assert len(data.indicators) == 2, len(data.indicators)
                store.versions()
                reads += 1
            print(json.dumps({"reads": reads}))
        else:
            raise SystemExit(f"unknown command {command}")
    except YzlogiError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
