"""The store's SQL helpers: transactions, the activations log, versions as objects, and the
progress tables p_<sheet> whose columns come from yzlogi.schema (the only place they are defined).

Identifiers come only from the schema; values are always bound."""

from __future__ import annotations

import hashlib
import json
import operator
from datetime import datetime

import pyarrow as pa

from yzlogi.model import ParsedWorkbook, Version
from yzlogi.schema import ALL_SHEETS, PROVENANCE, WORKBOOK, Sheet
from yzlogi.sql import statement
from yzlogi.sql import transaction as _transaction  # noqa: F401 - core.py takes it from here
from yzlogi.store.errors import ChangedMeanwhile, StoreUnavailable, UnknownVersion

# Bumped when the store's own tables change shape; a newer file is refused, an older one
# is brought up to date when first opened (MIGRATES_FROM).
SCHEMA_VERSION = 2
MIGRATES_FROM = ("1",)

WORKBOOK_BY_KEY = {sheet.key: sheet for sheet in WORKBOOK}


def _scalar(con, name: str) -> int:
    return con.execute(statement("versions", name)).fetchone()[0]


def _token(con) -> str:
    last = con.execute(statement("versions", "last_activation")).fetchone()
    return f"{last[0]}:{last[1]}" if last else "0:0"


def _expect(con, expected_token: str | None, action: str) -> None:
    """Refuse (ChangedMeanwhile) when the state is no longer `expected_token`; call under the write lock."""
    if expected_token is None:
        return
    current = _token(con)
    if (expected_token or "0:0") != current:
        raise ChangedMeanwhile(action, current)


def _activate(con, version_id: int, at: datetime, by: str, action: str, note: str) -> None:
    seq = _scalar(con, "next_activation_seq")
    con.execute(statement("versions", "insert_activation"), [seq, version_id, at, by, action, note])


def _versions(con, version_id: int | None, after: int = 0) -> list[Version]:
    params = {"id": version_id, "after": after}
    files: dict[int, list[str]] = {}
    for vid, name in con.execute(statement("versions", "files"), params).fetchall():
        files.setdefault(vid, []).append(name)
    rows: dict[int, dict[str, int]] = {}
    for vid, sheet, count in con.execute(statement("versions", "sheets"), params).fetchall():
        rows.setdefault(vid, {})[sheet] = count
    order = {sheet.key: i for i, sheet in enumerate(WORKBOOK)}
    return [
        Version(
            id=vid,
            committed_at=committed_at,
            by=by,
            note=note,
            sha256=sha256,
            files=tuple(files.get(vid, ())),
            rows=dict(sorted(rows.get(vid, {}).items(), key=lambda item: order.get(item[0], len(order)))),
            sample=sample,
            active=active,
            plan_digest=plan_digest,
            mode=mode,
        )
        for vid, committed_at, by, note, sha256, sample, active, plan_digest, mode in con.execute(
            statement("versions", "versions"), params
        ).fetchall()
    ]


def _version(con, version_id: object) -> Version:
    try:
        version_id = operator.index(version_id)  # ints of any kind, never "3" or 3.0
    except TypeError:
        raise UnknownVersion(version_id) from None
    found = _versions(con, version_id)
    if not found:
        raise UnknownVersion(version_id)
    return found[0]


def _check_schema_version(stored: str | None) -> None:
    """A store this program can open: its own layout, or an earlier one it brings up to date."""
    if stored is not None and stored != str(SCHEMA_VERSION) and stored not in MIGRATES_FROM:
        raise StoreUnavailable(
            f"数据文件的格式版本为 {stored}，本程序只支持 {SCHEMA_VERSION}：请使用与数据文件相符的程序版本。"
        )


def _quote(identifier: str) -> str:
    # Identifiers come only from yzlogi.schema; quoting keeps words such as "row" usable.
    return '"' + identifier.replace('"', '""') + '"'


def _create_progress_table(con, sheet: Sheet) -> None:
    """p_<key>: version_id and the sheet's stored columns; columns the schema gained are added."""
    columns = ", ".join(f"{_quote(name)} {sql_type}" for name, sql_type in sheet.stored_columns())
    con.execute(f"CREATE TABLE IF NOT EXISTS {_quote(sheet.table)} (version_id INTEGER NOT NULL, {columns})")
    present = {name for (name,) in con.execute(statement("schema", "table_columns"), [sheet.table]).fetchall()}
    for name, sql_type in sheet.stored_columns():
        if name not in present:
            # Older versions read NULL here; nothing of theirs is rewritten.
            con.execute(f"ALTER TABLE {_quote(sheet.table)} ADD COLUMN {_quote(name)} {sql_type}")


def _insert_rows(con, sheet: Sheet, version_id: int, table: pa.Table) -> None:
    names = [name for name, _ in sheet.stored_columns()]
    casts = ", ".join(f"CAST({_quote(name)} AS {sql_type})" for name, sql_type in sheet.stored_columns())
    con.register("incoming_rows", table.select(names))
    con.execute(
        f"INSERT INTO {_quote(sheet.table)} (version_id, {', '.join(_quote(n) for n in names)}) "
        f"SELECT ?, {casts} FROM incoming_rows",
        [version_id],
    )
    # Not in a finally: after a failed statement the transaction is aborted and
    # unregistering would raise over the real error; the connection is closed anyway.
    con.unregister("incoming_rows")


def _select_rows_sql(sheet: Sheet) -> str:
    """A version's rows, the oldest upload's first, each in its file's order; the provenance of rows
    stored before it was kept is their own version."""
    names = ", ".join(
        f"COALESCE({_quote(name)}, version_id) AS {_quote(name)}" if name in ("first_version", "from_version")
        else _quote(name)
        for name, _ in sheet.stored_columns()
    )
    return (f'SELECT {names} FROM {_quote(sheet.table)} WHERE version_id = ? '
            'ORDER BY from_version NULLS FIRST, "row"')


def _check_tables(parsed: ParsedWorkbook) -> None:
    """The parsed tables are the schema's sheets, each stored one with its value columns (the merge adds
    provenance; 督办反馈 is read, never stored)."""
    unknown = set(parsed.tables) - {sheet.key for sheet in ALL_SHEETS}
    if unknown:
        raise ValueError(f"tables for unknown sheets: {sorted(unknown)}")
    provenance = {name for name, _ in PROVENANCE}
    for key, table in parsed.tables.items():
        if key not in WORKBOOK_BY_KEY:
            continue
        missing = [name for name, _ in WORKBOOK_BY_KEY[key].stored_columns()
                   if name not in table.column_names and name not in provenance]
        if missing:
            raise ValueError(f"table {key} lacks stored columns {missing}")


def _load_tables(con, version_id: int) -> dict[str, pa.Table]:
    """Every stored table of a version as Arrow (what the next merge starts from)."""
    return {sheet.key: con.sql(_select_rows_sql(sheet), params=[version_id]).to_arrow_table() for sheet in WORKBOOK}


def _insert_all(con, sql: str, rows: list[list[object]]) -> None:
    """Insert rows with one multi-row statement: executemany runs the statement once
    per row (~0.7 ms each)."""
    if not rows:
        return
    head, values = sql.rstrip().rstrip(";").rsplit("VALUES", 1)
    con.execute(f"{head}VALUES {', '.join([values.strip()] * len(rows))}", [v for row in rows for v in row])


def layout_hash() -> str:
    """The identity of the progress tables' layout (yzlogi.schema's stored columns)."""
    layout = [[sheet.table, [list(c) for c in sheet.stored_columns()]] for sheet in WORKBOOK]
    return hashlib.sha256(json.dumps(layout).encode("utf-8")).hexdigest()

