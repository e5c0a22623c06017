"""The shapes passed between reading, storing and status: files, issues, versions.

These are the contracts between yzlogi's modules:
  workbook.read_workbook(files, plan) -> ParsedWorkbook   (typed Arrow tables + issues)
  store.Store.commit(parsed, ...)     -> a Version
  store.Store.load(version_id)        -> VersionData       (typed pandas tables)
  store.Store.plan_of(version)       -> the Plan it was committed and is judged under
  status.compute_status(plan, data, as_of) -> Status (the lights)
  digest.compute_digest(plan, old, new)   -> Digest  (what an upload changes)
Typed tables have the columns of yzlogi.schema: an upload's, Sheet.read_columns(); a stored version's,
Sheet.stored_columns().
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

ERROR = "error"
WARNING = "warning"
LEVEL_LABELS = {ERROR: "错误", WARNING: "提醒"}


@dataclass(frozen=True)
class InputFile:
    """One uploaded or imported file: its name as the user sees it and its bytes."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


def upload_sha256(files: list[InputFile] | tuple[InputFile, ...]) -> str:
    """The identity of an upload: the file's sha256, or for several files the
    sha256 of their sorted sha256s (so the same CSVs in another order are the same)."""
    if len(files) == 1:
        return files[0].sha256
    joined = "\n".join(sorted(f.sha256 for f in files))
    return hashlib.sha256(joined.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Issue:
    """One finding of validation, located as the official sees the workbook."""

    level: str  # ERROR blocks the upload; WARNING does not
    message: str  # the whole Chinese sentence, location included
    sheet: str | None = None
    row: int | None = None  # row number as the spreadsheet shows it
    column: str | None = None  # the schema's column header
    value: str | None = None  # the cell as typed
    code: str = ""  # machine-readable kind, e.g. "bad_month"

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def as_row(self) -> dict[str, object]:
        """The issue as a report row with Chinese column names."""
        return {
            "级别": LEVEL_LABELS[self.level],
            "工作表": self.sheet or "",
            "行号": self.row,
            "列": self.column or "",
            "单元格内容": self.value or "",
            "说明": self.message,
        }


@dataclass(frozen=True)
class SheetSource:
    """Where a sheet's data came from in the upload."""

    sheet: str  # schema sheet name
    file: str  # file name
    found_as: str  # the sheet name in the workbook, or the CSV file name
    header_row: int  # row number of the header as the spreadsheet shows it
    rows: int  # data rows kept


@dataclass
class ParsedWorkbook:
    """The result of reading and validating an upload.

    `tables` maps a schema sheet key to a pyarrow.Table of typed rows (only when
    the sheet was found); `issues` lists every error and warning, errors first
    within each sheet; `error_count` may exceed the errors listed when the
    listing was capped."""

    files: tuple[InputFile, ...]
    tables: dict = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    sources: dict[str, SheetSource] = field(default_factory=dict)
    error_count: int = 0
    warning_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == WARNING]

    @property
    def sha256(self) -> str:
        return upload_sha256(self.files)

    def rows(self) -> dict[str, int]:
        """Typed rows per sheet key."""
        return {key: table.num_rows for key, table in self.tables.items()}


@dataclass(frozen=True)
class Version:
    """One committed upload."""

    id: int
    committed_at: datetime
    by: str
    note: str
    sha256: str
    files: tuple[str, ...]
    rows: dict[str, int]
    sample: bool
    active: bool = False
    plan_digest: str | None = None  # the plan it was committed under (Plan.digest)
    mode: str | None = None  # merge | replace | sample: how its upload made the record (yzlogi.merge)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "committed_at": self.committed_at.isoformat(timespec="seconds"),
            "by": self.by,
            "note": self.note,
            "sha256": self.sha256,
            "files": list(self.files),
            "rows": dict(self.rows),
            "sample": self.sample,
            "active": self.active,
            "plan_digest": self.plan_digest,
            "mode": self.mode,
        }


@dataclass(frozen=True)
class VersionData:
    """Every typed table of one version, as pandas DataFrames with the schema's
    column keys (months as 'YYYY-MM' strings). Optional sheets that were absent
    are empty frames with the right columns."""

    version: Version
    indicators: object
    routes: object
    ships: object
    tasks: object
    goals: object
    warehouses: object
    forwarders: object

    def table(self, key: str):
        return getattr(self, key)
