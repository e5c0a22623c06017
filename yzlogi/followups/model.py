"""A follow-up item (督办事项) and its history: what it is about and who must act, fixed when it
is raised, and the append-only events that follow it (raised, answered, closed, reopened, due
date changed), each with who, when and a note.

An item's current state (its due date, open or closed, the latest answer, whether 办结 was asked
for) is never stored: it is read from its events, in the order they were recorded, by the
properties of Item. `check_*` say in Chinese why an event may not follow (closing a closed
item, answering one, a due date before the day it was raised, …); they are pure, so the store
refuses an action before writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from yzlogi.followups.errors import BadDue, BadText, ItemClosed, ItemOpen
from yzlogi.months import Month

RAISED = "raised"
ANSWERED = "answered"
CLOSED = "closed"
REOPENED = "reopened"
DUE_CHANGED = "due_changed"
KINDS = (RAISED, ANSWERED, CLOSED, REOPENED, DUE_CHANGED)
KIND_LABELS = {RAISED: "交办", ANSWERED: "反馈", CLOSED: "销号", REOPENED: "重新打开", DUE_CHANGED: "调整期限"}

# Where an event came from: the dashboard's page, the command line, a unit's monthly workbook (督办反馈).
PAGE = "page"
CLI = "cli"
WORKBOOK = "workbook"
VIAS = (PAGE, CLI, WORKBOOK)
VIA_LABELS = {PAGE: "网页", CLI: "命令行", WORKBOOK: "月度报表"}

UNSIGNED = "未署名"  # as the store writes an unsigned version
MAX_TEXT = 2000  # characters of a requirement, an answer or a note


def date_label(day: date) -> str:
    """A day as written in Chinese documents: 2026年7月15日."""
    return f"{day.year}年{day.month}月{day.day}日"


def clean_text(text: str | None, what: str, required: bool) -> str:
    """A requirement, answer or note, trimmed; BadText when empty (if required) or too long."""
    text = (text or "").strip()
    if required and not text:
        raise BadText(f"{what}不能为空。")
    if len(text) > MAX_TEXT:
        raise BadText(f"{what}过长（{len(text)} 字），请精简到 {MAX_TEXT} 字以内。")
    return text


def signer(by: str | None) -> str:
    return (by or "").strip() or UNSIGNED


@dataclass(frozen=True)
class Event:
    """One thing that happened to an item; never changed once recorded."""

    id: int  # the order of recording, over all items
    item_id: int
    kind: str
    at: datetime
    by: str
    text: str = ""  # the requirement (raised), the answer (answered), else a note
    due: date | None = None  # raised and due_changed
    request_close: bool = False  # an answer asking for 办结
    via: str = CLI
    unit: str | None = None  # the unit that answered
    version_id: int | None = None  # the version a workbook answer came with

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "at": self.at.isoformat(),
            "by": self.by,
            "text": self.text,
            "due": self.due.isoformat() if self.due else None,
            "request_close": self.request_close,
            "via": self.via,
            "unit": self.unit,
            "version_id": self.version_id,
        }


@dataclass(frozen=True)
class Item:
    """A follow-up item: the facts fixed when raised, and its events, oldest first (the first is `raised`)."""

    id: int
    about: str  # indicator:5:2026, route:渝穗班列:2026, fleet:…, task:8, task:8:区商务委, goal:…
    section: str  # indicator | route | fleet | task | goal
    subject: str  # what it is about, in words, as the plan named it then
    units: tuple[str, ...]  # the units that must act
    version_id: int | None  # the version on screen when it was raised
    as_of: Month | None  # and its as-of month
    events: tuple[Event, ...]

    # --- the facts of its raising ------------------------------------------------

    @property
    def raised(self) -> Event:
        return self.events[0]

    @property
    def requirement(self) -> str:
        return self.raised.text

    @property
    def raised_at(self) -> datetime:
        return self.raised.at

    @property
    def raised_by(self) -> str:
        return self.raised.by

    # --- its state, read from its events ---------------------------------------------

    @property
    def due(self) -> date:
        """The due date in force: the raised one, or the last change of it."""
        return next(e.due for e in reversed(self.events) if e.kind in (RAISED, DUE_CHANGED))

    @property
    def closed_event(self) -> Event | None:
        """The 销号 in force: the last close, unless a reopening came after it."""
        last = next((e for e in reversed(self.events) if e.kind in (CLOSED, REOPENED)), None)
        return last if last is not None and last.kind == CLOSED else None

    @property
    def is_closed(self) -> bool:
        return self.closed_event is not None

    @property
    def answers(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind == ANSWERED)

    @property
    def last_answer(self) -> Event | None:
        answers = self.answers
        return answers[-1] if answers else None

    @property
    def close_requested(self) -> bool:
        """Open, and an answer since it was raised or last reopened asked for 办结."""
        if self.is_closed:
            return False
        for event in reversed(self.events):
            if event.kind in (RAISED, REOPENED):
                return False
            if event.kind == ANSWERED and event.request_close:
                return True
        return False

    def until(self, moment: datetime) -> Item | None:
        """The item as it stood at `moment` (the events recorded by then); None if raised later."""
        events = tuple(e for e in self.events if e.at <= moment)
        if not events or events[0].kind != RAISED:
            return None
        return self if len(events) == len(self.events) else replace(self, events=events)

    # --- what may follow ------------------------------------------------------------

    @property
    def name(self) -> str:
        """How messages name it: 督办事项 3（任务8 提升通道运力投入强度）."""
        return f"督办事项 {self.id}（{self.subject}）"

    def check_answer(self) -> None:
        if self.is_closed:
            raise ItemClosed(f"{self.name}已办结（{self._closed_words()}），不能再反馈；如需继续办理，请先重新打开。")

    def check_close(self) -> None:
        if self.is_closed:
            raise ItemClosed(f"{self.name}已办结（{self._closed_words()}），无需再次销号。")

    def check_reopen(self) -> None:
        if not self.is_closed:
            raise ItemOpen(f"{self.name}尚未办结，无需重新打开。")

    def check_due(self, due: date) -> None:
        if self.is_closed:
            raise ItemClosed(f"{self.name}已办结（{self._closed_words()}），不能调整期限；如需继续办理，请先重新打开。")
        check_due_after_raise(due, self.raised_at.date())
        if due == self.due:
            raise BadDue(f"{self.name}的截止日期已是 {date_label(due)}，未修改。")

    def _closed_words(self) -> str:
        closed = self.closed_event
        return f"{closed.at:%Y-%m-%d} 由{closed.by}销号"


def check_due_after_raise(due: date, raised_on: date) -> None:
    """A due date may not come before the day the item was raised."""
    if due < raised_on:
        raise BadDue(f"截止日期 {date_label(due)} 早于交办日期 {date_label(raised_on)}，请改为交办当天或之后的日期。")
