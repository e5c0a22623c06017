"""A follow-up item's light on a given day (三色督办), with its one line of why.

  closed                              → 已办结 (not a colour: a tick on slate grey)
  open, past its due date             → red    (逾期)  "截止 2026年7月15日，已逾期 3 天 → 红灯"
  open, due within N days (due day in) → yellow (临期)  "截止 2026年7月15日，还剩 3 天 → 黄灯"
  open otherwise                      → green  (办理中)
N is the setting followup_due_soon_days (default 7). Pure: the day is given, never read from
the clock. The colour lights are yzlogi.levels' and their lines are made by yzlogi.status.rules'
arrow(), like every other light; 已办结 has a look of its own (CLOSED_LOOK), so that a closed
item never reads as a green one on a projector or a black-and-white print.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from yzlogi import config
from yzlogi.followups.model import Item, date_label
from yzlogi.levels import GREEN, LEVELS, RED, YELLOW, Level
from yzlogi.status.rules import Light, arrow

CLOSED = "closed"
CLOSED_LOOK = Level(CLOSED, "办结", "已办结", "#546E7A", "✓", -1)
ORDER = (RED, YELLOW, GREEN, CLOSED)  # how items are listed: overdue first, closed last
STATES = {RED: "逾期", YELLOW: "临期", GREEN: "办理中", CLOSED: "已办结"}


def look(level: str) -> Level:
    """How a follow-up light is drawn: a colour light of yzlogi.levels, or CLOSED_LOOK."""
    return CLOSED_LOOK if level == CLOSED else LEVELS[level]


def light_text(level: str) -> str:
    """A follow-up light as text that survives black-and-white: ■ 红, ✓ 办结."""
    found = look(level)
    return f"{found.mark} {found.label}"


@dataclass(frozen=True)
class FollowupLight(Light):
    """A Light whose level may also be CLOSED, and the 督办 word for it (逾期/临期/办理中/已办结)."""

    @property
    def look(self) -> Level:
        return look(self.level)

    @property
    def label(self) -> str:
        return self.look.label

    @property
    def name(self) -> str:
        return self.look.name

    @property
    def colour(self) -> str:
        return self.look.colour

    @property
    def mark(self) -> str:
        return self.look.mark

    @property
    def state(self) -> str:
        return STATES[self.level]


def light_of(item: Item, day: date, soon_days: int | None = None) -> FollowupLight:
    """The item's light on `day` (as it stands: pass item.until(…) for an earlier state)."""
    soon = config.followup_due_soon_days() if soon_days is None else soon_days
    closed = item.closed_event
    if closed is not None:
        return FollowupLight(CLOSED, f"{date_label(closed.at.date())}由{closed.by}销号 → {CLOSED_LOOK.name}")
    due = item.due
    left = (due - day).days
    head = f"截止 {date_label(due)}"
    if left < 0:
        light = arrow(f"{head}，已逾期 {-left} 天", RED)
    elif left == 0:
        light = arrow(f"{head}，今天到期", YELLOW)
    else:
        light = arrow(f"{head}，还剩 {left} 天", YELLOW if left <= soon else GREEN)
    return FollowupLight(light.level, light.text)


def counts(lights: Iterable[FollowupLight | str]) -> dict[str, int]:
    """How many of each, in ORDER (red, yellow, green, closed)."""
    found = {key: 0 for key in ORDER}
    for light in lights:
        found[light if isinstance(light, str) else light.level] += 1
    return found


def sort_key(item: Item, light: FollowupLight) -> tuple:
    """Overdue first, then due soon, open, closed; within a light the earliest due, then the oldest."""
    return ORDER.index(light.level), item.due, item.id
