"""What the 督办事项 page and the command line do with follow-up items, on a Store.

raise_item, answer, close, reopen and change_due check everything first (what the item is
about, against the store's plan; the units, aliases accepted; the texts; the due date; the
item's state) and only then take the folder's write lock and append one event, checking the
item's state again under the lock. A refused action raises a FollowupError in Chinese and
changes nothing. Reading: every item or one unit's, newest first, as they stood on a day; the
counts of each light; the items a workbook's 督办反馈 sheet may name (item_index).

The store is passed in (an object with reading(), writing(), plan, version(), active_version()
and load()); this module imports nothing of yzlogi.store, so the store may use its parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from yzlogi.followups import storage
from yzlogi.followups.about import parse_about, resolve_unit, resolve_units, unit_filter
from yzlogi.followups.answers import ItemIndex
from yzlogi.followups.errors import FollowupError
from yzlogi.followups.lights import FollowupLight, counts, light_of, sort_key
from yzlogi.followups.model import (
    ANSWERED, CLOSED, DUE_CHANGED, PAGE, REOPENED, VIAS, Event, Item, check_due_after_raise, clean_text, signer,
)
from yzlogi.months import Month

if TYPE_CHECKING:
    from yzlogi.store import Store


def _now(at: datetime | None) -> datetime:
    return (at or datetime.now()).replace(microsecond=0)


def _via(via: str) -> str:
    if via not in VIAS:
        raise ValueError(f"unknown follow-up source {via!r}")
    return via


# --- raising ----------------------------------------------------------------------------


def _on_screen(store: Store, version_id: int | None, as_of: Month | str | None) -> tuple[int | None, Month | None]:
    """The version and as-of month an item was raised from: as given, else the active version and its latest month."""
    if isinstance(as_of, str):
        try:
            as_of = Month.parse(as_of)
        except ValueError:
            raise FollowupError(f"月份“{as_of}”格式不对，应为 YYYY-MM，如 2026-06") from None
    version = store.version(version_id) if version_id is not None else store.active_version()
    if version is None:
        return None, as_of
    if as_of is None:
        from yzlogi.status import default_as_of  # imported late: only the command line asks for it

        as_of = default_as_of(store.load(version.id), store.plan_of(version).start)
    return version.id, as_of


def raise_item(store: Store, about: str, text: str, due: date, by: str, units: Sequence[str] = (), *,
               version_id: int | None = None, as_of: Month | str | None = None, via: str = PAGE,
               at: datetime | None = None) -> Item:
    """Raise a follow-up item (交办) and return it with its number.

    `about` as yzlogi.followups.about reads it (an exception row's Alert.key as it is); `units`
    by name or alias, default the subject's lead(s); `version_id`/`as_of` what was on screen,
    default the active version and its latest month. Refused (nothing written) for an unknown
    subject or unit, an empty requirement, or a due date before today (the day raised)."""
    plan = store.plan
    subject = parse_about(about, plan)
    chosen = resolve_units(plan, units, subject)
    requirement = clean_text(text, "督办要求", required=True)
    at = _now(at)
    check_due_after_raise(due, at.date())
    version_id, as_of = _on_screen(store, version_id, as_of)
    event = Event(0, 0, "raised", at, signer(by), requirement, due, False, _via(via))
    with store.writing() as con:
        item_id = storage.append_item(con, about=subject.key, section=subject.section, subject=subject.subject,
                                      units=chosen, version_id=version_id, as_of=as_of, event=event)
        return storage.read_item(con, item_id)


# --- what follows -------------------------------------------------------------------------


def _append(store: Store, item_id: int, make, check) -> Item:
    """Check against the item as read now, then again under the write lock, and append."""
    with store.reading() as con:
        check(storage.read_item(con, item_id))  # refused without waiting for the write lock
    with store.writing() as con:
        item = storage.read_item(con, item_id)
        check(item)
        storage.append_event(con, make(item))
        return storage.read_item(con, item_id)


def answer(store: Store, item_id: int, text: str, by: str, *, request_close: bool = False, unit: str | None = None,
           via: str = PAGE, at: datetime | None = None) -> Item:
    """A unit's answer (反馈); with `request_close` it asks for 办结, which only the coordinator's close grants."""
    body = clean_text(text, "办理情况", required=True)
    unit = resolve_unit(store.plan, unit) if unit else None
    at, by, via = _now(at), signer(by), _via(via)
    return _append(store, item_id,
                   lambda item: Event(0, item.id, ANSWERED, at, by, body, None, bool(request_close), via, unit),
                   lambda item: item.check_answer())


def close(store: Store, item_id: int, by: str, note: str = "", *, via: str = PAGE, at: datetime | None = None) -> Item:
    """销号: the coordinator closes an open item."""
    body = clean_text(note, "销号说明", required=False)
    at, by, via = _now(at), signer(by), _via(via)
    return _append(store, item_id, lambda item: Event(0, item.id, CLOSED, at, by, body, None, False, via),
                   lambda item: item.check_close())


def reopen(store: Store, item_id: int, by: str, note: str = "", *, via: str = PAGE, at: datetime | None = None) -> Item:
    """Open a closed item again (its due date stays; change it with change_due)."""
    body = clean_text(note, "重新打开的说明", required=False)
    at, by, via = _now(at), signer(by), _via(via)
    return _append(store, item_id, lambda item: Event(0, item.id, REOPENED, at, by, body, None, False, via),
                   lambda item: item.check_reopen())


def change_due(store: Store, item_id: int, due: date, by: str, note: str = "", *, via: str = PAGE,
               at: datetime | None = None) -> Item:
    """A new due date for an open item (not before the day it was raised)."""
    body = clean_text(note, "调整期限的说明", required=False)
    at, by, via = _now(at), signer(by), _via(via)
    return _append(store, item_id, lambda item: Event(0, item.id, DUE_CHANGED, at, by, body, due, False, via),
                   lambda item: item.check_due(due))


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    """An item as it stood on a day, and its light that day."""

    item: Item
    light: FollowupLight


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max)


def judge(items: Sequence[Item], day: date, soon_days: int | None = None) -> list[Judged]:
    """Items as they stood at the end of `day` (those raised later left out) and their lights
    that day: overdue first, then due soon, open, closed; within each the earliest due first."""
    moment = end_of(day)
    judged = []
    for item in items:
        then = item.until(moment)
        if then is not None:
            judged.append(Judged(then, light_of(then, day, soon_days)))
    return sorted(judged, key=lambda j: sort_key(j.item, j.light))


def items(store: Store, unit: str | None = None) -> list[Item]:
    """Every item, or those one unit (name or alias) must act on, newest first."""
    name = unit_filter(store.plan, unit)
    with store.reading() as con:
        found = storage.read_items(con)
    return [item for item in reversed(found) if name is None or name in item.units]


def item(store: Store, item_id: int) -> Item:
    """One item with its whole history; UnknownItem when there is none of that number."""
    with store.reading() as con:
        return storage.read_item(con, item_id)


def judged(store: Store, day: date, unit: str | None = None, soon_days: int | None = None) -> list[Judged]:
    """Every item (or one unit's) as it stood on `day`, with its light; newest first."""
    found = judge(items(store, unit), day, soon_days)
    return sorted(found, key=lambda j: -j.item.id)


def light_counts(store: Store, day: date, unit: str | None = None, soon_days: int | None = None) -> dict[str, int]:
    """How many items are red (逾期), yellow (临期), green (办理中) and closed on `day`."""
    return counts(j.light for j in judge(items(store, unit), day, soon_days))


def known_ids(store: Store) -> frozenset[int]:
    """The item numbers a workbook's 督办反馈 sheet may name (any other is an error)."""
    with store.reading() as con:
        return storage.known_ids(con)


def open_ids(store: Store) -> frozenset[int]:
    """The items that can take an answer now (an answer to a closed one is refused)."""
    with store.reading() as con:
        return frozenset(i.id for i in storage.read_items(con) if not i.is_closed)


def item_index(store: Store) -> ItemIndex:
    """Every item as it stands now, by number: what read_workbook's `followups` checks a 督办反馈 sheet against."""
    with store.reading() as con:
        return ItemIndex.of(storage.read_items(con))


def revision(store: Store) -> int:
    """Grows with every event recorded: a cache key for anything made from the items."""
    with store.reading() as con:
        return storage.revision(con)


def unit_of(store: Store, text: str) -> str:
    """A unit's name in the plan, from its name or any alias; UnknownUnit (closest suggested) else."""
    return resolve_unit(store.plan, text)


__all__ = [
    "FollowupError", "Judged", "answer", "change_due", "close", "end_of", "item", "item_index", "items", "judge",
    "judged", "known_ids", "light_counts", "open_ids", "raise_item", "reopen", "revision", "unit_of",
]
