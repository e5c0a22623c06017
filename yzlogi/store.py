"""The versioned store: every committed upload is an immutable version in DuckDB.

One data folder (config.data_dir()) holds everything that changes:
  yzlogi.duckdb        versions, their typed rows (p_<sheet>), the activations log, the plan tables
  uploads/<sha256>.ext the raw files as uploaded, content-addressed
  yzlogi.state         "<activation seq>:<active version id>", rewritten after every change,
                       so the app can notice a new active version without opening DuckDB
  yzlogi.lock, yzlogi.turnstile   the folder lock (yzlogi.locking)

Nothing is ever overwritten or deleted (but the temporary .incoming-* file of a
writer killed before its rename, which nothing refers to: the next writer removes
it). The active version is the version of the
last activation; a rollback appends an activation. Every use of DuckDB is a short
connection under the folder lock: read-only under the shared lock, read-write
under the exclusive one, so the app's threads and the command line never meet
DuckDB's own file lock.

Test-only hook: with the environment variable YZLOGI_TEST_KILL_AT set to one of
KILL_POINTS, a commit kills its own process (SIGKILL) at that step, so that
tests/integration/test_crash_commit.py can show that every moment of a commit
leaves the store whole. Unset (always, outside that test) it does nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import operator
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from yzlogi import config
from yzlogi.errors import YzlogiError
from yzlogi.locking import FolderLock
from yzlogi.model import InputFile, Issue, ParsedWorkbook, Version, VersionData, upload_sha256
from yzlogi.plan import Plan, load_plan
from yzlogi.schema import WORKBOOK, Sheet
from yzlogi.sql import statement

if TYPE_CHECKING:  # pandas is imported where frames are made: importing it alone costs ~0.5 s
    import pandas as pd

DB_FILE = "yzlogi.duckdb"
STATE_FILE = "yzlogi.state"
UPLOADS_DIR = "uploads"
INCOMING_PREFIX = ".incoming-"  # a file being written, renamed into place when whole
# Bumped when the store's own tables change shape; a newer file is refused.
SCHEMA_VERSION = 1
SAMPLE_BY = "系统"
SAMPLE_NOTE = "示例数据（首次启动时自动导入；导入正式数据后不再生效）"
UNSIGNED = "未署名"

log = logging.getLogger(__name__)

ACTION_LABELS = {"commit": "导入", "rollback": "回滚", "sample": "示例数据"}

KILL_ENV = "YZLOGI_TEST_KILL_AT"
# The steps of a commit, in order; "rows:<sheet key>" follows each sheet's rows.
KILL_POINTS = ("locked", "raw_incoming", "raw_kept", "began", "version_inserted", "files_inserted",
               *(f"rows:{sheet.key}" for sheet in WORKBOOK), "issues_inserted", "activated", "committed",
               "checkpointed", "state_written")


def _kill_point(name: str) -> None:
    """The test-only crash hook (see the module docstring); a no-op unless KILL_ENV names this step."""
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


# --- errors ---------------------------------------------------------------------


class StoreError(YzlogiError):
    """An expected failure of the store; the message is Chinese."""


class UnknownVersion(StoreError):
    def __init__(self, version_id: object):
        super().__init__(f"版本 {version_id} 不存在。可用 python -m yzlogi versions 查看已有版本。")
        self.version_id = version_id


class WorkbookHasErrors(StoreError):
    def __init__(self, error_count: int):
        super().__init__(f"工作簿有 {error_count} 处错误，未导入，当前数据未改变。")
        self.error_count = error_count


class DuplicateUpload(StoreError):
    """The same bytes were committed before: `version` is that version."""

    def __init__(self, version: Version):
        super().__init__(duplicate_message(version))
        self.version = version


class AlreadyActive(StoreError):
    def __init__(self, version_id: int):
        super().__init__(f"版本 {version_id} 已是当前版本，无需切换。")


class CommitFailed(StoreError):
    """Writing a version failed part way; the transaction was rolled back."""


class StoreUnavailable(StoreError):
    """The database file cannot be opened or is of an unknown layout."""


class RawFileMissing(StoreError):
    """A kept upload is missing from uploads/ or no longer matches its sha256."""


class ChangedMeanwhile(StoreError):
    """Another writer changed the active version after the caller looked (its expected_token)."""

    def __init__(self, action: str, token: str):
        version = token.rpartition(":")[2]
        now = f"当前版本现为版本 {version}" if version not in ("", "0") else "当前版本已变化"
        super().__init__(f"在您确认之前，其他人已更新了数据（{now}），本次{action}未执行，当前数据未改变。")
        self.token = token


def duplicate_message(version: Version) -> str:
    text = (f"这些文件与已导入的版本 {version.id}（{version.committed_at:%Y-%m-%d %H:%M}，{version.by}）"
            "内容完全相同，未重复导入。")
    if not version.active:
        text += f"版本 {version.id} 当前未生效；如需恢复它，请回滚到版本 {version.id}。"
    return text


# --- results --------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """One entry of the activations log: which version became active, when, by whom, why."""

    seq: int
    version_id: int
    at: datetime
    by: str
    action: str  # 'commit' | 'rollback' | 'sample'
    note: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    def to_json(self) -> dict:
        return {
            "seq": self.seq,
            "version_id": self.version_id,
            "at": self.at.isoformat(timespec="seconds"),
            "by": self.by,
            "action": self.action,
            "note": self.note,
        }


@dataclass(frozen=True)
class Export:
    """One briefing handed out: which version at which as-of month, in which format,
    and the sha256 of its bytes, so it can be produced again and compared."""

    id: int
    at: datetime
    by: str
    version_id: int
    as_of: str  # YYYY-MM
    format: str  # xlsx | pdf
    sha256: str
    size: int
    via: str  # cli | web
    program: str  # the yzlogi version that produced the bytes

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "by": self.by,
            "version_id": self.version_id,
            "as_of": self.as_of,
            "format": self.format,
            "sha256": self.sha256,
            "size": self.size,
            "via": self.via,
            "program": self.program,
        }


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: a new version, a duplicate of an old one, or nothing (errors)."""

    parsed: ParsedWorkbook
    version: Version | None = None
    duplicate_of: Version | None = None

    @property
    def stored(self) -> bool:
        return self.version is not None

    @property
    def message(self) -> str:
        if self.version is not None:
            return f"已导入为版本 {self.version.id}，并已设为当前版本。"
        if self.duplicate_of is not None:
            return duplicate_message(self.duplicate_of)
        return str(WorkbookHasErrors(self.parsed.error_count))


# --- the store ------------------------------------------------------------------


class Store:
    """The versioned store in one data folder (default config.data_dir()).

    `sample` is the workbook committed as version 1 into an empty store; None
    leaves an empty store empty. Safe to share between threads."""

    def __init__(self, data_dir: Path | str | None = None, plan: Plan | None = None,
                 sample: Path | None = config.SAMPLE_WORKBOOK):
        self.folder = Path(data_dir) if data_dir is not None else config.data_dir()
        self.sample = Path(sample) if sample is not None else None
        self.lock = FolderLock(self.folder)
        self._plan = plan
        self._ready = False
        self._ready_lock = threading.Lock()

    @property
    def plan(self) -> Plan:
        if self._plan is None:
            self._plan = load_plan()
        return self._plan

    @property
    def db_path(self) -> Path:
        return self.folder / DB_FILE

    # --- change detection -------------------------------------------------------

    def state_token(self) -> str:
        """A cheap token that changes whenever the active version changes ('' before any).

        Reads one small file, never DuckDB: pages key their caches on it."""
        try:
            return (self.folder / STATE_FILE).read_text(encoding="ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return ""

    # --- set-up -----------------------------------------------------------------

    def ensure_ready(self) -> None:
        """Create or update the tables, load the plan when it changed, and commit
        the bundled sample into an empty store. Cheap after the first call."""
        if self._ready:
            return
        with self._ready_lock:
            if self._ready:
                return
            has_versions = self._inspect()
            if has_versions is None:
                with self._writing() as con:
                    has_versions = self._set_up(con)
                    if not has_versions and self.sample is not None:
                        # In the same connection: every DuckDB open costs ~20 ms of CPU.
                        self._commit_sample(self.sample, con)
            elif not has_versions and self.sample is not None:
                self._commit_sample(self.sample)
            self._ready = True

    def _inspect(self) -> bool | None:
        """Whether the store has versions; None when it needs setting up first."""
        if self._needs_opening_for_writing():
            return None
        with self._reading() as con:
            return self._inspect_in(con)

    def _needs_opening_for_writing(self) -> bool:
        # No file yet, or a WAL left by a writer that died: the next read-write open replays it.
        return not self.db_path.exists() or self.db_path.with_name(DB_FILE + ".wal").exists()

    def _inspect_in(self, con) -> bool | None:
        found = con.execute(statement("schema", "has_meta")).fetchone()
        if not found[0]:
            return None
        meta = dict(con.execute(statement("schema", "meta")).fetchall())
        _check_schema_version(meta.get("schema_version"))
        if meta.get("plan_hash") != plan_hash(self.plan) or meta.get("layout_hash") != layout_hash():
            return None
        self._write_state_if_stale(con)
        return _scalar(con, "version_count") > 0

    @contextmanager
    def _writing_ready(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writing connection in a store made ready in that same connection: ensure_ready
        and the commit after it open DuckDB once, not twice (~30 ms of an import)."""
        if self._ready:
            with self._writing() as con:
                yield con
            return
        with self._ready_lock:  # taken before the folder lock, as in ensure_ready
            fresh = self._needs_opening_for_writing()
            with self._writing() as con:
                if not self._ready:
                    has_versions = None if fresh else self._inspect_in(con)
                    if has_versions is None:
                        has_versions = self._set_up(con)
                    if not has_versions and self.sample is not None:
                        self._commit_sample(self.sample, con)
                    self._ready = True
                yield con

    def _set_up(self, con) -> bool:
        """Create what is missing and reload the plan if it changed; whether versions exist."""
        with _transaction(con):
            con.execute(statement("schema", "create_tables"))
            meta = dict(con.execute(statement("schema", "meta")).fetchall())
            _check_schema_version(meta.get("schema_version"))
            for sheet in WORKBOOK:
                _create_progress_table(con, sheet)
            current = plan_hash(self.plan)
            if meta.get("plan_hash") != current:
                _load_plan_tables(con, self.plan)
            for name, value in (("schema_version", str(SCHEMA_VERSION)), ("plan_hash", current),
                                ("layout_hash", layout_hash())):
                con.execute(statement("versions", "set_meta_value"), [name, value])
        con.execute("CHECKPOINT")
        if self.db_path.with_name(DB_FILE + ".wal").exists():
            # A log torn by a writer killed while writing it at COMMIT holds no whole
            # transaction; DuckDB replays nothing and keeps the file until something is
            # written, so every later open would come this way. One write replaces it.
            with _transaction(con):
                con.execute(statement("versions", "set_meta_value"), ["log_replaced_at", datetime.now().isoformat()])
            con.execute("CHECKPOINT")
        self._write_state(con)
        return _scalar(con, "version_count") > 0

    def _commit_sample(self, path: Path, con=None) -> None:
        """Commit the bundled sample workbook as version 1 unless something got there first."""
        try:
            from yzlogi.workbook import read_workbook
        except ModuleNotFoundError as exc:
            if exc.name != "yzlogi.workbook":
                raise
            return  # the reader is not installed yet: the store stays empty
        if not path.is_file():
            return
        parsed = read_workbook([InputFile(path.name, path.read_bytes())], self.plan)
        if not parsed.ok:
            # Logged, not raised: a broken sample must not stop real imports into an empty store.
            first = parsed.errors[0].message if parsed.errors else ""
            log.error("bundled sample %s has %d errors and was not committed; first: %s",
                      path, parsed.error_count, first)
            return
        try:
            self._commit(parsed, SAMPLE_BY, SAMPLE_NOTE, sample=True, only_if_empty=True, con=con)
        except DuplicateUpload:
            pass

    # --- writing ----------------------------------------------------------------

    def import_files(self, files: Sequence[InputFile], by: str, note: str = "",
                     expected_token: str | None = None) -> ImportOutcome:
        """Read, validate and, when there is no error, commit an upload as the new active version
        (with `expected_token`, only if the state is still that one: see commit)."""
        from yzlogi.workbook import read_workbook  # imported late: the reader pulls in fastexcel

        # Read before the store is touched: a refused upload costs no DuckDB open and leaves the folder as it was.
        parsed = read_workbook(list(files), self.plan)
        if not parsed.ok:
            return ImportOutcome(parsed)
        try:
            with self._writing_ready() as con:
                version = self._commit(parsed, by, note, sample=False, con=con, expected_token=expected_token)
        except DuplicateUpload as duplicate:
            return ImportOutcome(parsed, duplicate_of=duplicate.version)
        return ImportOutcome(parsed, version=version)

    def commit(self, parsed: ParsedWorkbook, by: str, note: str = "", sample: bool = False,
               expected_token: str | None = None) -> Version:
        """Store a validated upload as a new version and make it active, all or nothing.

        Raises WorkbookHasErrors when `parsed` has errors, DuplicateUpload when the
        same bytes were committed before, ChangedMeanwhile when `expected_token` (the
        state_token() the caller reviewed against) is no longer the state, checked under
        the write lock (nothing is stored in any of these cases)."""
        self.ensure_ready()
        return self._commit(parsed, by, note, sample, expected_token=expected_token)

    def _commit(self, parsed: ParsedWorkbook, by: str, note: str, sample: bool,
                only_if_empty: bool = False, con=None, expected_token: str | None = None) -> Version | None:
        """Commit under the exclusive lock: in a connection of its own, or in `con` (already writing)."""
        if not parsed.ok:
            raise WorkbookHasErrors(parsed.error_count)
        if not parsed.files:
            raise ValueError("a ParsedWorkbook without files cannot be committed")
        tables = _typed_tables(parsed)
        sha256 = upload_sha256(parsed.files)
        by = by.strip() or UNSIGNED
        with self._writing() if con is None else nullcontext(con) as con:
            _kill_point("locked")
            _expect(con, expected_token, "导入")
            if only_if_empty and _scalar(con, "version_count") > 0:
                return None
            existing = con.execute(statement("versions", "version_id_by_sha256"), [sha256]).fetchone()
            if existing:
                raise DuplicateUpload(_version(con, existing[0]))
            # Raw files first: content-addressed, so one orphaned by a failure below is harmless.
            try:
                kept = [self._keep_raw(f) for f in parsed.files]
            except OSError as exc:
                raise CommitFailed(f"无法保存上传的原始文件（{exc.strerror}），未导入，当前数据未改变。") from exc
            _kill_point("raw_kept")
            now = datetime.now()
            try:
                with _transaction(con):
                    _kill_point("began")
                    version_id = _scalar(con, "next_version_id")
                    con.execute(statement("versions", "insert_version"), [version_id, now, by, note, sha256, sample])
                    _kill_point("version_inserted")
                    for position, (file, stored_as) in enumerate(zip(parsed.files, kept), start=1):
                        con.execute(statement("versions", "insert_file"),
                                    [version_id, position, file.name, file.sha256, file.size, stored_as])
                    _kill_point("files_inserted")
                    sheets = []
                    for key, table in tables.items():
                        source = parsed.sources.get(key)
                        sheets.append([version_id, key, table.num_rows, source.file if source else None,
                                       source.found_as if source else None, source.header_row if source else None])
                    _insert_all(con, statement("versions", "insert_sheet"), sheets)
                    for key, table in tables.items():
                        _insert_rows(con, WORKBOOK_BY_KEY[key], version_id, table)
                        _kill_point(f"rows:{key}")
                    _insert_all(con, statement("versions", "insert_issue"), [
                        [version_id, position, issue.level, issue.code, issue.sheet, issue.row,
                         issue.column, issue.value, issue.message]
                        for position, issue in enumerate(parsed.warnings, start=1)
                    ])
                    _kill_point("issues_inserted")
                    _activate(con, version_id, now, by, "sample" if sample else "commit", note)
                    _kill_point("activated")
            except duckdb.Error as exc:
                raise CommitFailed(f"保存新版本时出错（{type(exc).__name__}），已全部撤销，当前数据未改变。") from exc
            _kill_point("committed")
            con.execute("CHECKPOINT")
            _kill_point("checkpointed")
            self._write_state(con)
            _kill_point("state_written")
            return _version(con, version_id)

    def rollback(self, version_id: int, by: str, note: str = "", expected_token: str | None = None) -> Version:
        """Make an earlier (or any other) version active again; the switch is logged.

        With `expected_token`, only if the state is still that one (ChangedMeanwhile, checked under the lock)."""
        self.ensure_ready()
        by = by.strip() or UNSIGNED
        with self._writing() as con:
            _expect(con, expected_token, "回滚")
            version = _version(con, version_id)
            if version.active:
                raise AlreadyActive(version.id)
            with _transaction(con):
                _activate(con, version.id, datetime.now(), by, "rollback", note)
            con.execute("CHECKPOINT")
            self._write_state(con)
            return _version(con, version.id)

    def _keep_raw(self, file: InputFile) -> str:
        """Write an uploaded file to uploads/<sha256><ext> durably; its path under the folder."""
        uploads = self.folder / UPLOADS_DIR
        uploads.mkdir(parents=True, exist_ok=True)
        name = f"{file.sha256}{_extension(file.name)}"
        final = uploads / name
        if not (final.is_file() and final.stat().st_size == file.size):
            _write_atomically(final, file.data, durable=True)
        return f"{UPLOADS_DIR}/{name}"

    # --- reading ----------------------------------------------------------------

    def versions(self) -> list[Version]:
        """Every version, oldest first, with the active one flagged."""
        self.ensure_ready()
        with self._reading() as con:
            return _versions(con, None)

    def version(self, version_id: int) -> Version:
        self.ensure_ready()
        with self._reading() as con:
            return _version(con, version_id)

    def active_version(self) -> Version | None:
        """The active version; None only in a store without any version."""
        self.ensure_ready()
        with self._reading() as con:
            last = con.execute(statement("versions", "last_activation")).fetchone()
            return _version(con, last[1]) if last else None

    def history(self) -> list[Activation]:
        """The activations log, oldest first: every commit, sample and rollback."""
        self.ensure_ready()
        with self._reading() as con:
            rows = con.execute(statement("versions", "history")).fetchall()
        return [Activation(*row) for row in rows]

    def record_export(self, version_id: int, as_of: object, fmt: str, data: bytes, by: str = "",
                      via: str = "", at: datetime | None = None) -> Export:
        """Record an export of a briefing (the exports table is created on first use)."""
        from yzlogi import __version__
        from yzlogi.months import Month

        if fmt not in ("xlsx", "pdf"):  # briefing.FORMATS; the table's CHECK says the same
            raise ValueError(f"unknown export format {fmt!r}")
        self.ensure_ready()
        month = str(Month.parse(str(as_of)))
        values = [version_id, month, fmt, hashlib.sha256(data).hexdigest(), len(data), via, __version__]
        by = by.strip() or UNSIGNED
        at = (at or datetime.now()).replace(microsecond=0)
        with self._writing() as con:
            _version(con, version_id)
            with _transaction(con):
                con.execute(statement("exports", "create_table"))
                export_id = con.execute(statement("exports", "next_id")).fetchone()[0]
                con.execute(statement("exports", "insert"), [export_id, at, by, *values])
            con.execute("CHECKPOINT")
        return Export(export_id, at, by, *values)

    def exports(self) -> list[Export]:
        """Every recorded export, oldest first."""
        self.ensure_ready()
        with self._reading() as con:
            if not con.execute(statement("exports", "has_table")).fetchone()[0]:
                return []
            return [Export(*row) for row in con.execute(statement("exports", "exports")).fetchall()]

    def issues(self, version_id: int) -> list[Issue]:
        """The warnings the upload of a version carried when it was committed."""
        self.ensure_ready()
        with self._reading() as con:
            _version(con, version_id)
            rows = con.execute(statement("versions", "issues"), [version_id]).fetchall()
        return [Issue(level=level, code=code, sheet=sheet, row=row, column=column, value=value, message=message)
                for level, code, sheet, row, column, value, message in rows]

    def load(self, version_id: int) -> VersionData:
        """Every typed table of a version as pandas frames (see frame_from_arrow for dtypes)."""
        self.ensure_ready()
        with self._reading() as con:
            version = _version(con, version_id)
            frames = {
                sheet.key: frame_from_arrow(con.sql(_select_rows_sql(sheet), params=[version_id]).to_arrow_table())
                for sheet in WORKBOOK
            }
        return VersionData(version=version, **frames)

    def files_of(self, version_id: int) -> list[InputFile]:
        """The raw files of a version exactly as uploaded, in upload order."""
        self.ensure_ready()
        with self._reading() as con:
            _version(con, version_id)
            rows = con.execute(statement("versions", "stored_files"), [version_id]).fetchall()
        files = []
        for name, sha256, _size, stored_as in rows:
            path = self.folder / stored_as
            try:
                data = path.read_bytes()
            except OSError:
                data = None
            if data is None or hashlib.sha256(data).hexdigest() != sha256:
                raise RawFileMissing(f"版本 {version_id} 的原始文件“{name}”（{stored_as}）缺失或已损坏，"
                                     "请从数据文件夹的备份中恢复。")
            files.append(InputFile(name, data))
        return files

    def query(self, sql: str, params: Sequence[object] | dict | None = None) -> pd.DataFrame:
        """Run one read-only SQL statement (a named query of yzlogi/sql) with bound values."""
        self.ensure_ready()
        with self._reading() as con:
            return frame_from_arrow(con.sql(sql, params=params).to_arrow_table())

    # --- connections ------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.lock.shared():
            con = self._connect(read_only=True)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def _writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.lock.exclusive():
            self._sweep_incoming()
            con = self._connect(read_only=False)
            try:
                yield con
            finally:
                con.close()

    def _sweep_incoming(self) -> None:
        """Remove the temporary files of a writer that was killed before its rename.

        Files are only written under a lock, so while this writer holds the folder
        alone, every temporary file left is an orphan that no version refers to."""
        for folder in (self.folder, self.folder / UPLOADS_DIR):
            for orphan in folder.glob(f"{INCOMING_PREFIX}*"):
                try:
                    orphan.unlink()
                except OSError as exc:  # not worth failing an import over
                    log.warning("could not remove %s: %s", orphan, exc)

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        # Always the same configuration but read_only: one process may not hold
        # the file under two configurations, and the lock keeps the two modes apart.
        try:
            con = duckdb.connect(str(self.db_path), read_only=read_only)
        except duckdb.Error as exc:
            raise StoreUnavailable(
                f"无法打开数据文件 {self.db_path}（{type(exc).__name__}）：它可能正被本系统以外的程序占用，或已损坏。"
            ) from exc
        # A query running over 2 s (a busy machine) would otherwise draw DuckDB's progress
        # bar on stdout, into the command line's JSON.
        con.execute("SET enable_progress_bar = false")
        return con

    # --- the state file ---------------------------------------------------------

    def _write_state(self, con) -> None:
        _write_atomically(self.folder / STATE_FILE, (_token(con) + "\n").encode("ascii"), durable=False)

    def _write_state_if_stale(self, con) -> None:
        # Repairs a token left behind by a writer that died between its commit and the file.
        if self.state_token() != _token(con):
            self._write_state(con)


# --- helpers: SQL ---------------------------------------------------------------

WORKBOOK_BY_KEY = {sheet.key: sheet for sheet in WORKBOOK}


def _scalar(con, name: str) -> int:
    return con.execute(statement("versions", name)).fetchone()[0]


@contextmanager
def _transaction(con) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


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


def _versions(con, version_id: int | None) -> list[Version]:
    params = {"id": version_id}
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
        )
        for vid, committed_at, by, note, sha256, sample, active in con.execute(
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
    if stored is not None and stored != str(SCHEMA_VERSION):
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
    names = ", ".join(_quote(name) for name, _ in sheet.stored_columns())
    return f'SELECT {names} FROM {_quote(sheet.table)} WHERE version_id = ? ORDER BY "row"'


def _typed_tables(parsed: ParsedWorkbook) -> dict[str, pa.Table]:
    """The parsed tables in schema order, checked against the schema's stored columns."""
    unknown = set(parsed.tables) - set(WORKBOOK_BY_KEY)
    if unknown:
        raise ValueError(f"tables for unknown sheets: {sorted(unknown)}")
    tables = {}
    for sheet in WORKBOOK:
        if sheet.key not in parsed.tables:
            continue
        table = parsed.tables[sheet.key]
        missing = [name for name, _ in sheet.stored_columns() if name not in table.column_names]
        if missing:
            raise ValueError(f"table {sheet.key} lacks stored columns {missing}")
        tables[sheet.key] = table
    return tables


def _load_plan_tables(con, plan: Plan) -> None:
    """Replace the plan tables with this plan (inside the caller's transaction)."""
    q = lambda name: statement("plan", name)  # noqa: E731 - local shorthand
    con.execute(q("clear"))
    _insert_all(con, q("insert_department"),
                [[d.name, d.short, d.group, i] for i, d in enumerate(plan.departments, start=1)])
    aliases = [[alias, d.name] for d in plan.departments for alias in d.aliases]
    if aliases:
        _insert_all(con, q("insert_department_alias"), aliases)
    _insert_all(con, q("insert_indicator"), [[i.no, i.name, i.unit, i.kind, i.source] for i in plan.indicators])
    _insert_all(con, q("insert_indicator_target"), [
        [i.no, t.year, t.text, t.kind, t.value, t.unit] for i in plan.indicators for t in i.targets
    ])
    units = _units((i.no, i.lead, i.responsible) for i in plan.indicators)
    if units:
        _insert_all(con, q("insert_indicator_unit"), units)
    _insert_all(con, q("insert_task"), [
        [t.no, t.group, plan.group(t.group).name, t.name, t.text, t.measure, t.measure_name, t.source]
        for t in plan.tasks
    ])
    units = _units((t.no, t.lead, t.responsible) for t in plan.tasks)
    if units:
        _insert_all(con, q("insert_task_unit"), units)
    if plan.routes:
        _insert_all(con, q("insert_route"), [
            [r.name, r.annual_target, r.unit, r.source, i] for i, r in enumerate(plan.routes, start=1)
        ])
    if plan.fleet:
        _insert_all(con, q("insert_fleet"), [
            [f.category, f.target, f.at_least, f.unit, f.text, f.source, i] for i, f in enumerate(plan.fleet, start=1)
        ])
    if plan.goals:
        _insert_all(con, q("insert_goal"), [
            [g.key, g.name, g.kind, g.target, g.max, g.at_least, g.unit, g.text, g.source, g.task, i]
            for i, g in enumerate(plan.goals, start=1)
        ])


def _insert_all(con, sql: str, rows: list[list[object]]) -> None:
    """Insert rows with one multi-row statement: executemany runs the statement once
    per row (~0.7 ms each, most of a new folder's set-up)."""
    if not rows:
        return
    head, values = sql.rstrip().rstrip(";").rsplit("VALUES", 1)
    con.execute(f"{head}VALUES {', '.join([values.strip()] * len(rows))}", [v for row in rows for v in row])


def _units(owners: Iterable[tuple[int, tuple[str, ...], tuple[str, ...]]]) -> list[list[object]]:
    rows = []
    for no, lead, responsible in owners:
        rows += [[no, name, "lead", i] for i, name in enumerate(lead, start=1)]
        rows += [[no, name, "responsible", i] for i, name in enumerate(responsible, start=1)]
    return rows


def plan_hash(plan: Plan) -> str:
    """The identity of the plan's content: the plan tables are reloaded when it changes."""
    text = json.dumps(plan.to_json(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def layout_hash() -> str:
    """The identity of the progress tables' layout (yzlogi.schema's stored columns)."""
    layout = [[sheet.table, [list(c) for c in sheet.stored_columns()]] for sheet in WORKBOOK]
    return hashlib.sha256(json.dumps(layout).encode("utf-8")).hexdigest()


# --- helpers: frames and files ----------------------------------------------------

_INTEGER_TYPES = (pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32())


def _pandas_type(arrow_type: pa.DataType):
    import pandas as pd

    if arrow_type in _INTEGER_TYPES:
        return pd.Int64Dtype()
    if arrow_type == pa.bool_():
        return pd.BooleanDtype()
    return None  # default: float64 (NaN for blank), str (NaN for blank)


def frame_from_arrow(table: pa.Table) -> pd.DataFrame:
    """A pandas frame with the same dtypes whether or not a column holds blanks:
    integers Int64, booleans boolean (both <NA> for blank), numbers float64, text str."""
    return table.to_pandas(types_mapper=_pandas_type)


_ARROW_TYPES = {"INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "VARCHAR": pa.string(),
                "BOOLEAN": pa.bool_()}


def preview_data(parsed: ParsedWorkbook) -> VersionData:
    """An upload not yet committed as VersionData (version None), typed and ordered
    as Store.load would return it once committed: the change digest before commit."""
    frames = {}
    for sheet in WORKBOOK:
        schema = pa.schema([(name, _ARROW_TYPES[sql_type]) for name, sql_type in sheet.stored_columns()])
        table = parsed.tables.get(sheet.key)
        if table is None:
            table = schema.empty_table()
        else:
            table = table.select(schema.names).cast(schema).sort_by("row")
        frames[sheet.key] = frame_from_arrow(table)
    return VersionData(version=None, **frames)


_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")


def _extension(name: str) -> str:
    """The file name's extension, lower case, when it is a plain one ('' otherwise)."""
    suffix = Path(name).suffix.lower()
    return suffix if _EXTENSION.match(suffix) else ""


def _write_atomically(path: Path, data: bytes, durable: bool) -> None:
    """Write a file through a temporary one and a rename, so no reader sees it half written.

    `durable` also syncs the data and the rename to disk (the kept uploads, which
    the database will refer to); the state file is rewritten from the database anyway."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=INCOMING_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
                _kill_point("raw_incoming")
        os.chmod(temp, 0o644)  # mkstemp's 0600 would hide the file from an administrator's backup
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if durable:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
