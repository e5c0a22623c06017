"""Named SQL statements, kept as .sql files beside this module.

A file holds one or more statements, each introduced by a `-- name: <name>` line
(the yesql/aiosql convention), so the SQL can be read and reviewed as SQL. Values
are always bound as parameters (`?` or `$name`); identifiers never come from input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


@lru_cache(maxsize=None)
def statements(file: str) -> dict[str, str]:
    """Every named statement of yzlogi/sql/<file>.sql."""
    text = (_HERE / f"{file}.sql").read_text(encoding="utf-8")
    parts = _NAME.split(text)
    # parts: [preamble, name1, body1, name2, body2, ...]
    found: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        if name in found:
            raise ValueError(f"{file}.sql names {name} twice")
        found[name] = body.strip()
    return found


def statement(file: str, name: str) -> str:
    """The statement `name` of yzlogi/sql/<file>.sql."""
    return statements(file)[name]


@contextmanager
def transaction(con) -> Iterator[None]:
    """BEGIN … COMMIT on a DuckDB connection, rolled back on any failure (a kill point's too)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
