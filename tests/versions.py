"""VersionData for tests, built from lists of dicts with the schema's column keys.

Each table gets every stored column of its sheet (yzlogi.schema) with the dtypes
the store uses, missing keys as blanks, `row` numbered as a spreadsheet would (header on row 1), and `is_new` for
routes defaulting to False. Status and digest tests build versions with this
instead of reading workbooks, so each case states only the rows it is about.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from yzlogi.model import Version, VersionData
from yzlogi.schema import SHEETS


def version(id: int = 1, sample: bool = False) -> Version:
    return Version(
        id=id,
        committed_at=datetime(2026, 7, 1, 9, 0, 0),
        by="测试",
        note="",
        sha256="0" * 64,
        files=("进度.xlsx",),
        rows={},
        sample=sample,
    )


def frame(key: str, rows: list[dict] | None = None) -> pd.DataFrame:
    """A typed table of sheet `key` with exactly the stored columns."""
    columns = [name for name, _ in SHEETS[key].stored_columns()]
    filled = []
    for index, row in enumerate(rows or ()):
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"{key}: unknown columns {sorted(unknown)}")
        record = {name: row.get(name) for name in columns}
        if record["row"] is None:
            record["row"] = index + 2
        if key == "routes" and record["is_new"] is None:
            record["is_new"] = False
        filled.append(record)
    frame = pd.DataFrame(filled, columns=columns)
    return frame.astype({name: _DTYPES[sql] for name, sql in SHEETS[key].stored_columns()})


# The dtypes the store hands out (store.frame_from_arrow): nullable integers and
# booleans, float64 with NaN, str with NaN for a blank.
_DTYPES = {"INTEGER": "Int64", "BIGINT": "Int64", "BOOLEAN": "boolean", "DOUBLE": "float64", "VARCHAR": "str"}


def make_data(
    indicators: list[dict] | None = None,
    routes: list[dict] | None = None,
    ships: list[dict] | None = None,
    tasks: list[dict] | None = None,
    goals: list[dict] | None = None,
    warehouses: list[dict] | None = None,
    forwarders: list[dict] | None = None,
    id: int = 1,
    sample: bool = False,
) -> VersionData:
    return VersionData(
        version=version(id, sample),
        indicators=frame("indicators", indicators),
        routes=frame("routes", routes),
        ships=frame("ships", ships),
        tasks=frame("tasks", tasks),
        goals=frame("goals", goals),
        warehouses=frame("warehouses", warehouses),
        forwarders=frame("forwarders", forwarders),
    )


def ind(no: int, month: str, value: float, **extra) -> dict:
    """An 指标进展 row."""
    return {"indicator_no": no, "month": month, "value": value, **extra}


def runs(route: str, month: str, count: int, **extra) -> dict:
    """A 通道班次 row."""
    return {"route": route, "month": month, "runs": count, **extra}


def monthly_runs(route: str, first: str, counts: list[int]) -> list[dict]:
    """Consecutive monthly 通道班次 rows starting at `first` ('YYYY-MM')."""
    year, month = (int(x) for x in first.split("-"))
    out = []
    for count in counts:
        out.append(runs(route, f"{year:04d}-{month:02d}", count))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def ship(name: str, category: str, status: str, completed: str | None = None, **extra) -> dict:
    """A 船舶更新 row."""
    return {"ship_name": name, "category": category, "status": status, "completed": completed, **extra}


def report(task_no: int, department: str, month: str, status: str, **extra) -> dict:
    """A 任务进展 row."""
    return {"task_no": task_no, "department": department, "month": month, "status": status, **extra}


def goal(key: str, month: str, value: float, **extra) -> dict:
    """A 其他目标 row."""
    return {"goal": key, "month": month, "value": value, **extra}
