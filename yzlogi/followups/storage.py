"""The follow-up items' two tables in the store's DuckDB file, on a connection the caller holds.

SQL is in yzlogi/sql/followups.sql (values bound, never formatted in). Items and events are
only ever inserted: an action appends one event (raising an item also its row) in one
transaction, so a process killed at any moment leaves the history with that event whole or
without it, never half (the test-only crash points are FOLLOWUP_KILL_POINTS, through
yzlogi.kept.kill_point). The tables are created by the first item raised.

record_workbook_answers is for the store's commit of a monthly workbook: it writes the
answers of its 督办反馈 sheet inside the caller's own transaction, so they are committed with
the version or not at all.

This module does not import yzlogi.store (the store's commit calls it): the caller opens the
connection (Store.reading() / Store.writing()).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import duckdb

from yzlogi.followups.errors import FollowupError, UnknownItem
from yzlogi.followups.model import (
    ANSWERED, RAISED, WORKBOOK, Event, Item, clean_text, signer,
)
from yzlogi.kept import kill_point
from yzlogi.months import Month
from yzlogi.sql import statement, transaction

# The steps of a follow-up write, in order ("item_inserted" only when raising an item).
FOLLOWUP_KILL_POINTS = ("followup:locked", "followup:began", "followup:item_inserted", "followup:event_inserted",
                        "followup:committed", "followup:checkpointed")


def _sql(name: str) -> str:
    return statement("followups", name)


def has_tables(con) -> bool:
    return bool(con.execute(_sql("has_tables")).fetchone()[0])


def create_tables(con) -> None:
    con.execute(_sql("create_items"))
    con.execute(_sql("create_events"))


@contextmanager
def _writing_event(con) -> Iterator[None]:
    """One event's transaction; a database failure becomes a Chinese refusal (nothing was kept)."""
    kill_point("followup:locked")
    try:
        with transaction(con):
            kill_point("followup:began")
            yield
    except duckdb.Error as exc:
        raise FollowupError(f"保存督办事项时出错（{type(exc).__name__}），已全部撤销，数据未改变。") from exc
    kill_point("followup:committed")
    con.execute("CHECKPOINT")
    kill_point("followup:checkpointed")


# --- reading ----------------------------------------------------------------------------


def read_items(con, item_id: int | None = None) -> list[Item]:
    """Every item (or the one with `item_id`), oldest first, each with its events; [] before the first."""
    if not has_tables(con):
        return []
    params = {"id": item_id}
    events: dict[int, list[Event]] = {}
    for row in con.execute(_sql("events"), params).fetchall():
        (event_id, owner, kind, at, by, body, due, request_close, via, unit, version_id) = row
        events.setdefault(owner, []).append(
            Event(event_id, owner, kind, at, by, body, due, bool(request_close), via, unit, version_id))
    items = []
    for item_id_, about, section, subject, units, version_id, as_of in con.execute(_sql("items"), params).fetchall():
        items.append(Item(item_id_, about, section, subject, tuple(units), version_id,
                          Month.parse(as_of) if as_of else None, tuple(events.get(item_id_, ()))))
    return items


def read_item(con, item_id: object) -> Item:
    """One item; UnknownItem when there is none of that number."""
    if isinstance(item_id, bool) or not isinstance(item_id, int):
        raise UnknownItem(item_id)
    found = read_items(con, item_id)
    if not found:
        raise UnknownItem(item_id)
    return found[0]


def known_ids(con) -> frozenset[int]:
    """The numbers of every item raised so far."""
    if not has_tables(con):
        return frozenset()
    return frozenset(row[0] for row in con.execute(_sql("item_ids")).fetchall())


def revision(con) -> int:
    """A number that grows with every event recorded (0 before the first): for cache keys."""
    if not has_tables(con):
        return 0
    return int(con.execute(_sql("revision")).fetchone()[0])


# --- writing ----------------------------------------------------------------------------


def _insert_event(con, event: Event) -> None:
    con.execute(_sql("insert_event"), [event.id, event.item_id, event.kind, event.at, event.by, event.text,
                                       event.due, event.request_close, event.via, event.unit, event.version_id])


def next_event_id(con) -> int:
    return int(con.execute(_sql("next_event_id")).fetchone()[0])


def append_item(con, *, about: str, section: str, subject: str, units: Sequence[str], version_id: int | None,
                as_of: Month | None, event: Event) -> int:
    """Raise an item: its row and its `raised` event (whose ids are given here), in one transaction."""
    with _writing_event(con):
        create_tables(con)
        item_id = int(con.execute(_sql("next_item_id")).fetchone()[0])
        con.execute(_sql("insert_item"), [item_id, about, section, subject, list(units), version_id,
                                          str(as_of) if as_of else None])
        kill_point("followup:item_inserted")
        _insert_event(con, Event(next_event_id(con), item_id, RAISED, event.at, event.by, event.text, event.due,
                                 False, event.via))
        kill_point("followup:event_inserted")
    return item_id


def append_event(con, event: Event) -> Event:
    """Record one event of an existing item in one transaction; the event as stored (its id given here)."""
    with _writing_event(con):
        stored = Event(next_event_id(con), event.item_id, event.kind, event.at, event.by, event.text, event.due,
                       event.request_close, event.via, event.unit, event.version_id)
        _insert_event(con, stored)
        kill_point("followup:event_inserted")
    return stored


# --- answers that come with a monthly workbook ----------------------------------------------


@dataclass(frozen=True)
class WorkbookAnswer:
    """One row of a workbook's 督办反馈 sheet: 事项编号, 办理情况, 申请办结 (and the unit that sent it)."""

    item_id: int
    text: str
    request_close: bool = False
    unit: str | None = None


def record_workbook_answers(con, answers: Sequence[WorkbookAnswer], *, version_id: int, by: str,
                            at: datetime | None = None) -> list[Event]:
    """Record a workbook's answers inside the caller's open transaction (no BEGIN/COMMIT here).

    Each item must exist and be open, each answer say something; else FollowupError naming
    every row at fault, and nothing is recorded (the caller's transaction is then rolled back
    by its own handler). An answer asking for 办结 does not close its item."""
    if not answers:
        return []
    items = {item.id: item for item in read_items(con)}
    problems = []
    for answer in answers:
        item = items.get(answer.item_id)
        try:
            if item is None:
                raise UnknownItem(answer.item_id)
            item.check_answer()
            clean_text(answer.text, f"督办事项 {answer.item_id} 的办理情况", required=True)
        except FollowupError as exc:
            problems.append(str(exc))
    if problems:
        raise FollowupError("督办反馈有误：" + "".join(problems))
    at = (at or datetime.now()).replace(microsecond=0)
    by = signer(by)
    recorded = []
    next_id = next_event_id(con)
    for offset, answer in enumerate(answers):
        event = Event(next_id + offset, answer.item_id, ANSWERED, at, by,
                      clean_text(answer.text, "办理情况", required=True), None, bool(answer.request_close), WORKBOOK,
                      (answer.unit or "").strip() or None, version_id)
        _insert_event(con, event)
        recorded.append(event)
    return recorded
