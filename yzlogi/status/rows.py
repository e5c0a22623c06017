"""Reading one version's typed tables as plain rows: the boundary between pandas and the rules.

Status code works on lists of dicts of plain Python values (None for every flavour
of missing), with months parsed once; the frames come from yzlogi.store.
"""

from __future__ import annotations

import math
from functools import lru_cache

from yzlogi.model import VersionData
from yzlogi.months import Month


def _native(value):
    """A cell as a plain Python value; None for every flavour of missing."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def records(frame) -> list[dict]:
    """A typed table's rows as dicts of plain values (empty for None or no rows)."""
    if frame is None or len(frame) == 0:
        return []
    names = list(frame.columns)
    return [dict(zip(names, row)) for row in zip(*(_plain(frame[name]) for name in names))]


def column(frame, name: str) -> list:
    """One column of a typed table as plain values (empty when absent)."""
    if frame is None or len(frame) == 0 or name not in frame.columns:
        return []
    return _plain(frame[name])


def column_values(frame, names) -> list[list]:
    """Columns of a typed table as lists of plain values; an absent column is all None (as records' .get)."""
    return [_plain(frame[name]) if name in frame.columns else [None] * len(frame) for name in names]


# Column dtypes whose tolist() already gives plain Python values (missing cells aside).
_PLAIN_KINDS = frozenset("biuf")
_PLAIN_DTYPES = frozenset(("str", "string", "Int8", "Int16", "Int32", "Int64", "boolean", "Float64"))


def _plain(values) -> list:
    """A column's cells as plain Python values, None for every flavour of missing.

    Whole columns at a time where the dtype allows: cell by cell (_native) took
    most of a cold page's run on a full three-year workbook."""
    dtype = values.dtype
    if getattr(dtype, "kind", "O") not in _PLAIN_KINDS and str(dtype) not in _PLAIN_DTYPES:
        return [_native(v) for v in values.tolist()]
    out = values.tolist()
    missing = values.isna().to_numpy()
    if missing.any():
        out = [None if gap else value for value, gap in zip(out, missing.tolist())]
    return out


def month_of(value) -> Month | None:
    if value is None:
        return None
    if isinstance(value, Month):
        return value
    return _parse_month(str(value))


@lru_cache(maxsize=4096)
def _parse_month(text: str) -> Month:
    # A table repeats a few dozen months over thousands of rows; Month is immutable.
    return Month.parse(text)


def upto(rows: list[dict], as_of: Month, key: str = "month") -> list[dict]:
    """Rows dated up to as-of, each with its month parsed into '_m'."""
    out = []
    for row in rows:
        month = month_of(row.get(key))
        if month is not None and month <= as_of:
            out.append({**row, "_m": month})
    return out


def latest_month(data: VersionData) -> Month | None:
    """The latest 统计期/月份 in the version (indicators, routes, tasks, goals); None when it has none."""
    months = [
        month_of(value)
        for key in ("indicators", "routes", "tasks", "goals")
        for value in column(data.table(key), "month")
    ]
    months = [m for m in months if m is not None]
    return max(months) if months else None


def default_as_of(data: VersionData, fallback: Month | None = None) -> Month:
    """The latest month in the version; `fallback` (callers pass the plan's first month) when it has none."""
    latest = latest_month(data)
    if latest is not None:
        return latest
    if fallback is None:
        raise ValueError("the version holds no dated row and no fallback month was given")
    return fallback
