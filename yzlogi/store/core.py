"""The versioned store: every committed upload is an immutable version in DuckDB.

One data folder (config.data_dir()) holds everything that changes:
  yzlogi.duckdb        versions, their typed rows (p_<sheet>), the activations log, and the
                       plan each version was committed under (plans)
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
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from yzlogi import config, kept
from yzlogi.errors import PlanError
from yzlogi.frames import frame_from_arrow
from yzlogi.locking import FolderLock
from yzlogi.merge import MERGE, MODES, REPLACE, merge
from yzlogi.model import InputFile, Issue, ParsedWorkbook, Version, VersionData, upload_sha256
from yzlogi.plan import Plan, load_plan, load_plan_text
from yzlogi.schema import WORKBOOK
from yzlogi.sql import statement
from yzlogi.store.errors import (
    AlreadyActive, CommitFailed, DuplicateUpload, RawFileMissing, StoreUnavailable, WorkbookHasErrors,
)
from yzlogi.store import answers
from yzlogi.store.records import Activation, Export, ImportOutcome
from yzlogi.store.tables import (
    MIGRATES_FROM, SCHEMA_VERSION, WORKBOOK_BY_KEY, _activate, _check_schema_version, _check_tables,
    _create_progress_table, _expect, _load_tables,
    _insert_all, _insert_rows, _scalar, _select_rows_sql, _token, _transaction, _version, _versions,
    layout_hash,
)

if TYPE_CHECKING:  # pandas is imported where frames are made: importing it alone costs ~0.5 s
    import pandas as pd

DB_FILE = "yzlogi.duckdb"
STATE_FILE = "yzlogi.state"
WRITES_FILE = "yzlogi.writes"  # changes with every write: Store.writes_token()
SAMPLE_BY = "系统"
SAMPLE_NOTE = "示例数据（首次启动时自动导入；导入正式数据后不再生效）"
UNSIGNED = "未署名"

log = logging.getLogger(__name__)

# The steps of a commit, in order; "rows:<sheet key>" follows each sheet's rows.
KILL_POINTS = ("locked", "raw_incoming", "raw_kept", "began", "merged", "version_inserted", "files_inserted",
               *(f"rows:{sheet.key}" for sheet in WORKBOOK), "answers_recorded", "issues_inserted", "activated",
               "committed", "checkpointed", "state_written")


_kill_point = kept.kill_point  # the test-only crash hook (see the module docstring)


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
        if meta.get("schema_version") != str(SCHEMA_VERSION) or meta.get("layout_hash") != layout_hash():
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
        """Create what is missing and bring an older store up to date; whether versions exist."""
        with _transaction(con):
            con.execute(statement("schema", "create_tables"))
            meta = dict(con.execute(statement("schema", "meta")).fetchall())
            _check_schema_version(meta.get("schema_version"))
            for sheet in WORKBOOK:
                _create_progress_table(con, sheet)
            if meta.get("schema_version") in MIGRATES_FROM:
                self._migrate_to_kept_plans(con)
            for name, value in (("schema_version", str(SCHEMA_VERSION)), ("layout_hash", layout_hash())):
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

    def _migrate_to_kept_plans(self, con) -> None:
        """Schema 1 → 2 (inside the caller's transaction): versions keep their plan. The versions
        of a schema-1 store were last judged under the current plan, which they are given."""
        con.execute(statement("schema", "add_version_plan"))
        con.execute(statement("schema", "add_version_mode"))
        self._record_plan(con, datetime.now())
        con.execute(statement("schema", "assign_plan_to_old_versions"), [self.plan.digest])
        con.execute(statement("schema", "drop_old_plan_tables"))
        con.execute(statement("versions", "set_meta_value"), ["migrated_from_schema_1", datetime.now().isoformat()])

    def _record_plan(self, con, now: datetime) -> None:
        """Keep the current plan's text under its digest (once)."""
        plan = self.plan
        con.execute(statement("versions", "insert_plan"), [plan.digest, plan.text, plan.title, now])

    def _commit_sample(self, path: Path, con=None) -> None:
        """Commit the demonstration workbook as version 1 unless something got there first:
        the bundled file when it was made for this plan, else one made from the plan now."""
        from yzlogi.sample_file import bundled_sample
        from yzlogi.workbook import read_workbook  # imported late: the reader pulls in fastexcel

        file = bundled_sample(self.plan, path)
        if file is None:
            from yzlogi.sample import sample_input  # imported late: making a sample needs openpyxl

            file = sample_input(self.plan, path.name)
        parsed = read_workbook([file], self.plan)
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
                     expected_token: str | None = None, mode: str = MERGE) -> ImportOutcome:
        """Read, validate and, when there is no error, commit an upload as the new active version:
        merged into the record (mode MERGE, the default) or replacing it (REPLACE, on purpose).
        With `expected_token`, only if the state is still that one: see commit."""
        from yzlogi.followups.service import item_index
        from yzlogi.workbook import read_workbook  # imported late: the reader pulls in fastexcel

        # Read before the store is touched: a refused upload costs no DuckDB open and leaves the folder as it was
        # (the follow-up items are read only for an upload that answers some, to check its 督办反馈).
        parsed = read_workbook(list(files), self.plan, replace=mode == REPLACE, followups=lambda: item_index(self))
        if not parsed.ok:
            return ImportOutcome(parsed)
        try:
            with self._writing_ready() as con:
                version, merged, recorded = self._commit(parsed, by, note, sample=False, con=con,
                                                         expected_token=expected_token, mode=mode, with_merge=True)
        except DuplicateUpload as duplicate:
            return ImportOutcome(parsed, duplicate_of=duplicate.version)
        return ImportOutcome(parsed, version=version, merge=merged, answers=recorded)

    def commit(self, parsed: ParsedWorkbook, by: str, note: str = "", sample: bool = False,
               expected_token: str | None = None, mode: str = MERGE) -> Version:
        """Store a validated upload as a new version and make it active, all or nothing: its rows
        merged into the active version's record by each sheet's key (yzlogi.merge), or, with
        mode REPLACE, as the whole record.

        Raises WorkbookHasErrors when `parsed` has errors, DuplicateUpload when the
        same bytes were committed before, ChangedMeanwhile when `expected_token` (the
        state_token() the caller reviewed against) is no longer the state, checked under
        the write lock, AnswersRefused when its 督办反馈 names an item that does not exist or
        is closed (checked under the lock; nothing is stored in any of these cases). The
        answers are recorded as the items' events in the same transaction (yzlogi.store.answers)."""
        self.ensure_ready()
        return self._commit(parsed, by, note, sample, expected_token=expected_token, mode=mode)

    def _commit(self, parsed: ParsedWorkbook, by: str, note: str, sample: bool,
                only_if_empty: bool = False, con=None, expected_token: str | None = None, mode: str = MERGE,
                with_merge: bool = False):
        """Commit under the exclusive lock: in a connection of its own, or in `con` (already writing).
        The merge is made against the version active under that lock, so two imports never lose a row."""
        if not parsed.ok:
            raise WorkbookHasErrors(parsed.error_count)
        if not parsed.files:
            raise ValueError("a ParsedWorkbook without files cannot be committed")
        if mode not in MODES:
            raise ValueError(f"unknown import mode {mode!r}")
        _check_tables(parsed)
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
                stored = [kept.keep(self.folder, f) for f in parsed.files]
            except OSError as exc:
                raise CommitFailed(f"无法保存上传的原始文件（{exc.strerror}），未导入，当前数据未改变。") from exc
            _kill_point("raw_kept")
            now = datetime.now()
            try:
                with _transaction(con):
                    _kill_point("began")
                    version_id = _scalar(con, "next_version_id")
                    active = con.execute(statement("versions", "last_activation")).fetchone()
                    base = _version(con, active[1]) if active else None
                    merged = merge(self.plan, _load_tables(con, base.id) if base else None,
                                   base.id if base else None, parsed, REPLACE if sample else mode, version_id,
                                   base_is_sample=bool(base and base.sample))
                    tables = merged.tables
                    _kill_point("merged")
                    self._record_plan(con, now)
                    stored_mode = "sample" if sample else mode
                    con.execute(statement("versions", "insert_version"),  # answers alone keep the sample a sample
                                [version_id, now, by, note, sha256, sample or merged.kept_sample, self.plan.digest,
                                 stored_mode])
                    _kill_point("version_inserted")
                    for position, (file, stored_as) in enumerate(zip(parsed.files, stored), start=1):
                        con.execute(statement("versions", "insert_file"),
                                    [version_id, position, file.name, file.sha256, file.size, stored_as])
                    _kill_point("files_inserted")
                    sheets = []
                    for key, table in tables.items():
                        source = parsed.sources.get(key)
                        if source is None and table.num_rows == 0:
                            continue
                        sheets.append([version_id, key, table.num_rows, source.file if source else None,
                                       source.found_as if source else None, source.header_row if source else None])
                    _insert_all(con, statement("versions", "insert_sheet"), sheets)
                    for key, table in tables.items():
                        _insert_rows(con, WORKBOOK_BY_KEY[key], version_id, table)
                        _kill_point(f"rows:{key}")
                    recorded = answers.record(con, parsed, version_id=version_id, by=by, at=now)
                    _kill_point("answers_recorded")
                    _insert_all(con, statement("versions", "insert_issue"), [
                        [version_id, position, issue.level, issue.code, issue.sheet, issue.row,
                         issue.column, issue.value, issue.message]
                        for position, issue in enumerate(parsed.warnings, start=1)
                    ])
                    _kill_point("issues_inserted")
                    _activate(con, version_id, now, by, "sample" if sample else "commit", note)
                    _kill_point("activated")
            except (duckdb.Error, pa.ArrowException) as exc:  # the merge (Arrow) or the insert (DuckDB) failed
                raise CommitFailed(f"保存新版本时出错（{type(exc).__name__}），已全部撤销，当前数据未改变。") from exc
            _kill_point("committed")
            con.execute("CHECKPOINT")
            _kill_point("checkpointed")
            self._write_state(con)
            _kill_point("state_written")
            version = _version(con, version_id)
            return (version, merged, recorded) if with_merge else version

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

    # --- reading ----------------------------------------------------------------

    def versions(self) -> list[Version]:
        """Every version, oldest first, with the active one flagged."""
        self.ensure_ready()
        with self._reading() as con:
            return _versions(con, None)

    def versions_after(self, after: int) -> tuple[list[Version], int | None]:
        """The versions with ids above `after` and the active version's id, in one read: a list kept
        by the caller grows by what is new (versions never change but for which one is active)."""
        self.ensure_ready()
        with self._reading() as con:
            active = con.execute(statement("versions", "active_id")).fetchone()
            return _versions(con, None, after), active[0] if active else None

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

    def plan_of(self, version: Version) -> Plan:
        """The plan a version was committed and is judged under (design: a version remembers its plan).

        The current plan when it says the same; else the version's own plan, read from the
        store. A kept plan that no longer loads (a program since changed) is refused in Chinese."""
        if version.plan_digest in (None, self.plan.digest):
            return self.plan
        with self._reading() as con:
            found = con.execute(statement("versions", "plan_text"), [version.plan_digest]).fetchone()
        if found is None:
            raise StoreUnavailable(f"版本 {version.id} 所依据的计划（{version.plan_digest[:12]}）不在数据文件中。")
        try:
            return load_plan_text(found[0], f"版本 {version.id} 导入时的计划")
        except PlanError as exc:
            raise StoreUnavailable(f"版本 {version.id} 导入时的计划无法再按本程序读取：{exc}") from None

    def query(self, sql: str, params: Sequence[object] | dict | None = None) -> pd.DataFrame:
        """Run one read-only SQL statement (a named query of yzlogi/sql) with bound values."""
        self.ensure_ready()
        with self._reading() as con:
            return frame_from_arrow(con.sql(sql, params=params).to_arrow_table())

    # --- connections ------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to a ready store, under the folder's shared lock, for the
        store's other parts (follow-up items) that keep their own tables in the same file."""
        self.ensure_ready()
        with self._reading() as con:
            yield con

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to a ready store, under the folder's exclusive lock (one writer
        at a time, app and command line alike); the caller's writes are its own transaction.
        When the block ends without an exception, writes_token() changes."""
        with self._writing_ready() as con:
            yield con
            self._touch_writes()

    def writes_token(self) -> str:
        """A cheap token that changes after every write through writing() and every commit (follow-up
        items, answers in a return): what a page caches items on. Reads one small file, never DuckDB."""
        try:
            return (self.folder / WRITES_FILE).read_text(encoding="ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return ""

    def _touch_writes(self) -> None:
        kept.write_atomically(self.folder / WRITES_FILE, f"{time.time_ns()}\n".encode("ascii"), durable=False)

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
            kept.sweep_incoming(self.folder)
            con = self._connect(read_only=False)
            try:
                yield con
            finally:
                con.close()

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
        kept.write_atomically(self.folder / STATE_FILE, (_token(con) + "\n").encode("ascii"), durable=False)

    def _write_state_if_stale(self, con) -> None:
        # Repairs a token left behind by a writer that died between its commit and the file.
        if self.state_token() != _token(con):
            self._write_state(con)

