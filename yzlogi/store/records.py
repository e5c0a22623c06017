"""What the store hands back besides versions: the activations log, exports, an import's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yzlogi.feedback import only_answers
from yzlogi.merge import Merge
from yzlogi.model import ParsedWorkbook, Version
from yzlogi.store.answers import Recorded
from yzlogi.store.errors import WorkbookHasErrors, duplicate_message

ACTION_LABELS = {"commit": "导入", "rollback": "回滚", "sample": "示例数据"}


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
    merge: Merge | None = None  # what the upload did to the record (a stored version only)
    answers: Recorded | None = None  # the answers of its 督办反馈 recorded with it (a stored version only)

    @property
    def stored(self) -> bool:
        return self.version is not None

    def answer_lines(self) -> list[str]:
        """What the commit did with the upload's answers: 督办反馈：3 条（督办事项 2、5、7；…）."""
        return self.answers.lines(only_answers(self.parsed)) if self.answers is not None else []

    @property
    def message(self) -> str:
        if self.version is not None:
            done = self.merge.done if self.merge is not None else ""
            return f"已{done}导入为版本 {self.version.id}，并已设为当前版本。"
        if self.duplicate_of is not None:
            return duplicate_message(self.duplicate_of)
        return str(WorkbookHasErrors(self.parsed.error_count))

