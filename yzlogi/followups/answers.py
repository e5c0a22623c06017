"""What the 督办反馈 sheet of a monthly workbook may say, checked against the follow-up items.

A row of that sheet is a unit's answer to one item (yzlogi.schema.FEEDBACK): its number, the
answer, whether it asks for 办结 and, optionally, the unit answering. ItemIndex is the items as
they stand (read from the store by service.item_index, or under the commit's write lock), and
says in Chinese what is wrong with an answer: no item of that number, an item already closed
(on which day, by whom, and that the coordinator must reopen it first), a unit that is not one
of the item's units. The same sentences serve the reader (row-located issues before anything
is stored) and the commit (the authoritative check, under the lock).

An answer the same as the item's latest one (since it was raised or reopened: the same text,
the same 申请办结 and unit) is a repeat — the same return sent again with a correction
elsewhere — and is not recorded twice. Pure: no store, no Arrow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from yzlogi.followups.model import ANSWERED, MAX_TEXT, RAISED, REOPENED, Event, Item

UNKNOWN = "unknown_item"
CLOSED = "item_closed"
NOT_ITS_UNIT = "not_item_unit"
TOO_LONG = "answer_too_long"


@dataclass(frozen=True)
class RowAnswer:
    """One row of a workbook's 督办反馈 sheet (its row as the spreadsheet numbers it): the item's
    number, the answer, whether it asks for 办结, the unit answering (None when not given)."""

    row: int
    item_id: int
    text: str
    request_close: bool = False
    unit: str | None = None


@dataclass(frozen=True)
class Problem:
    """What is wrong with one answer: the column it is about (a FEEDBACK column key), a code, the reason."""

    column: str
    code: str
    reason: str


@dataclass(frozen=True)
class ItemIndex:
    """The follow-up items an answer may name, by number, as they stood when read."""

    items: Mapping[int, Item] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[Item]) -> ItemIndex:
        return cls({item.id: item for item in items})

    @property
    def open_ids(self) -> frozenset[int]:
        return frozenset(i for i, item in self.items.items() if not item.is_closed)

    def _known(self) -> str:
        if not self.items:
            return "（目前还没有任何督办事项）"
        ids = sorted(self.items)
        return f"（现有督办事项编号为 {ids[0]}—{ids[-1]}）" if len(ids) > 1 else f"（现有督办事项编号为 {ids[0]}）"

    def problems(self, answer: RowAnswer) -> list[Problem]:
        """Everything wrong with one answer ([] when it can be recorded)."""
        found = []
        if len(answer.text.strip()) > MAX_TEXT:
            found.append(Problem("answer", TOO_LONG,
                                 f"办理情况过长（{len(answer.text.strip())} 字），请精简到 {MAX_TEXT} 字以内"))
        item = self.items.get(answer.item_id)
        if item is None:
            found.append(Problem("item_no", UNKNOWN, f"没有编号为 {answer.item_id} 的督办事项{self._known()}"))
            return found
        closed = item.closed_event
        if closed is not None:
            found.append(Problem("item_no", CLOSED,
                                 f"{item.name}已于 {closed.at:%Y-%m-%d} 由{closed.by}销号（已办结），不能再反馈；"
                                 "如需继续办理，请督办协调人先重新打开该事项"))
        if answer.unit and answer.unit not in item.units:
            found.append(Problem("department", NOT_ITS_UNIT,
                                 f"“{answer.unit}”不是{item.name}的办理单位（办理单位：{'、'.join(item.units)}）；"
                                 "请改为办理单位，或不填"))
        return found

    def is_repeat(self, answer: RowAnswer) -> bool:
        """Whether the item's latest answer since it was raised or reopened says exactly this."""
        item = self.items.get(answer.item_id)
        last = _latest_answer(item) if item is not None else None
        return last is not None and (last.text, last.request_close, last.unit) == (
            answer.text.strip(), bool(answer.request_close), (answer.unit or "").strip() or None)


def _latest_answer(item: Item) -> Event | None:
    for event in reversed(item.events):
        if event.kind in (RAISED, REOPENED):
            return None
        if event.kind == ANSWERED:
            return event
    return None


def row_messages(answers: Sequence[RowAnswer], index: ItemIndex, sheet: str, headers: Mapping[str, str]) -> list[str]:
    """The reader's row-located sentences for every problem: 督办反馈 第5行「事项编号」：…"""
    return [f"{sheet} 第{a.row}行「{headers[p.column]}」：{p.reason}" for a in answers for p in index.problems(a)]


def summary_lines(answers: Sequence[RowAnswer], repeats: Sequence[int] = (), only_answers: bool = False
                  ) -> list[str]:
    """What the answers of an upload do, in Chinese (the change digest and the command line):
    督办反馈：3 条（督办事项 2、5、7；其中 1 条申请办结，由督办协调人审核销号）."""
    if not answers:
        return []
    ids = "、".join(str(a.item_id) for a in sorted(answers, key=lambda a: a.item_id))
    closing = sum(1 for a in answers if a.request_close)
    asks = f"；其中 {closing} 条申请办结，由督办协调人审核销号" if closing else ""
    lines = [f"督办反馈：{len(answers)} 条（督办事项 {ids}{asks}），记入各事项的办理记录"]
    if repeats:
        same = "、".join(str(i) for i in sorted(repeats))
        lines.append(f"  督办事项 {same} 的反馈与该事项最近一次反馈相同，不再重复记录")
    if only_answers:
        lines.append("本次上传只有督办反馈：进度数据不变（仍生成新版本，保存上传的文件）")
    return lines
