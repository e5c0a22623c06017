"""The 督办反馈 answers an upload carries, recorded by the commit that stores its version.

Answers are not part of the record: no p_ table holds them and no merge touches them. Each
becomes an `answered` event of its follow-up item (via workbook, naming the version that
carried it and the uploader), written by yzlogi.followups.storage.record_workbook_answers
inside the commit's own transaction, after the version's rows: the version and its answers
are committed together or not at all.

They are checked again here, under the write lock, against the items as they are now (the
coordinator may have closed one since the upload was reviewed): an answer naming an item that
does not exist or is closed, or given by a unit that is not the item's, refuses the whole
upload (AnswersRefused) with the reader's row-located sentences, and the commit's rollback
discards everything. An answer that repeats the item's latest one is not recorded twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yzlogi.feedback import answers_of
from yzlogi.followups import storage
from yzlogi.followups.answers import ItemIndex, RowAnswer, row_messages, summary_lines
from yzlogi.followups.errors import FollowupError
from yzlogi.followups.model import Event
from yzlogi.model import ParsedWorkbook
from yzlogi.schema import FEEDBACK
from yzlogi.store.errors import AnswersRefused


@dataclass(frozen=True)
class Recorded:
    """What a commit did with the answers of its upload."""

    answers: tuple[RowAnswer, ...] = ()  # every answer of the upload
    events: tuple[Event, ...] = ()  # those recorded, as stored
    repeats: tuple[int, ...] = ()  # the items whose answer repeated their latest one (not recorded again)

    def lines(self, only_answers: bool = False) -> list[str]:
        """What was done, in Chinese: 督办反馈：3 条（督办事项 2、5、7；其中 1 条申请办结，…）."""
        return summary_lines(self.answers, self.repeats, only_answers)


def record(con, parsed: ParsedWorkbook, *, version_id: int, by: str, at: datetime) -> Recorded:
    """Check and record the upload's answers in the caller's open transaction; AnswersRefused when one cannot be."""
    answers = answers_of(parsed)
    if not answers:
        return Recorded()
    index = ItemIndex.of(storage.read_items(con))
    headers = {column.key: column.header for column in FEEDBACK.columns}
    problems = row_messages(answers, index, FEEDBACK.name, headers)
    if problems:
        raise AnswersRefused(problems)
    fresh = [a for a in answers if not index.is_repeat(a)]
    repeats = tuple(a.item_id for a in answers if index.is_repeat(a))
    try:
        events = storage.record_workbook_answers(
            con, [storage.WorkbookAnswer(a.item_id, a.text, a.request_close, a.unit) for a in fresh],
            version_id=version_id, by=by, at=at)
    except FollowupError as exc:  # what the check above let through, the back end did not
        raise AnswersRefused([str(exc)]) from None
    return Recorded(tuple(answers), tuple(events), repeats)
