"""Running tests/lo_fill.py — a workbook filled in LibreOffice Calc as an official types into it —
from the tests. It runs under Debian's system Python (LibreOffice's UNO bridge), never the venv's."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = "/usr/bin/python3"


def run_job(job_file: Path, job: dict) -> None:
    """Write `job` (lo_fill.py's JOB.json) to `job_file` and run it."""
    job_file.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    subprocess.run([SYSTEM_PYTHON, str(ROOT / "tests" / "lo_fill.py"), str(job_file)], check=True,
                   capture_output=True, timeout=300)


def fill_xlsx(source: Path, typed: list[list[str]], saved: Path) -> Path:
    """`typed` ([sheet, cell, text], …) entered into `source` in Calc, saved as .xlsx at `saved`."""
    run_job(source.with_suffix(".job.json"),
            {"source": str(source), "typed": typed, "save": [[str(saved), "Calc MS Excel 2007 XML"]]})
    return saved
