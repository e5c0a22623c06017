"""The versioned store in one data folder: every committed upload is an immutable version.

  core.py     Store: set-up and migration, commit, rollback, reading versions, exports
  tables.py   the SQL helpers and the progress tables p_<sheet> (columns from yzlogi.schema)
  records.py  the activations log, exports, an import's outcome
  answers.py  the 督办反馈 answers an upload carries, recorded in its commit's transaction
  errors.py   the expected failures, in Chinese
The raw files are kept by yzlogi.kept; the frames made by yzlogi.frames.
"""

from yzlogi.kept import INCOMING_PREFIX, KILL_ENV, UPLOADS_DIR
from yzlogi.store.core import DB_FILE, KILL_POINTS, SAMPLE_BY, SAMPLE_NOTE, STATE_FILE, UNSIGNED, Store
from yzlogi.store.errors import (
    AlreadyActive, AnswersRefused, ChangedMeanwhile, CommitFailed, DuplicateUpload, RawFileMissing, StoreError, StoreUnavailable, UnknownVersion,
    WorkbookHasErrors, duplicate_message,
)
from yzlogi.store.records import ACTION_LABELS, Activation, Export, ImportOutcome
from yzlogi.store.tables import MIGRATES_FROM, SCHEMA_VERSION, layout_hash

__all__ = [
    "ACTION_LABELS", "AnswersRefused", "ChangedMeanwhile", "DB_FILE", "INCOMING_PREFIX", "KILL_ENV", "KILL_POINTS", "MIGRATES_FROM", "SAMPLE_BY",
    "SAMPLE_NOTE", "SCHEMA_VERSION", "STATE_FILE", "UNSIGNED", "UPLOADS_DIR", "Activation", "AlreadyActive",
    "CommitFailed", "DuplicateUpload", "Export", "ImportOutcome", "RawFileMissing", "Store", "StoreError",
    "StoreUnavailable", "UnknownVersion", "WorkbookHasErrors", "duplicate_message", "layout_hash",
]
