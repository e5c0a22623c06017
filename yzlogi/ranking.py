"""The units' ranking (双亮牌): every member unit ordered by the red and yellow items it
answers for and by its reporting for the month, with the change since the previous version.

A unit's red and yellow items are those of 部门详情 (yzlogi.status.department): the tasks
it leads (the task's light), its own report on the tasks it supports, and the indicators,
routes, fleet categories and goals it leads. Its reporting is its 报送情况 for the as-of
month (yzlogi.returns); a unit that owes nothing that month counts as having reported.

Order, worst first: more red items; then more yellow; then reporting (尚未报送, 部分报送,
逾期报送, then 按时报送 or nothing owed); then the plan's order of units. Units equal on all
three share a rank (1, 2, 2, 4). The change compares the ranking of the previous version at
the same as-of month: its rank and counts then. Pure: statuses and returns are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from yzlogi.levels import RED, YELLOW
from yzlogi.plan import Plan
from yzlogi.returns import LATE, MISSING, ON_TIME, PARTIAL, STATE_LABELS, Returns
from yzlogi.status import Status, department_status

# How bad a unit's reporting is, for the order (higher is worse); None: nothing owed.
REPORTING_ORDER = {MISSING: 3, PARTIAL: 2, LATE: 1, ON_TIME: 0, None: 0}
NOTHING_OWED = "无应报"


@dataclass(frozen=True)
class Change:
    """A unit against the previous version: how many places it moved (positive: up, better)
    and how its counts changed (positive: more)."""

    places: int
    red: int
    yellow: int
    previous_rank: int

    def text(self) -> str:
        """'↑2，红 −1，黄 +1' ; '持平' when nothing moved."""
        parts = []
        if self.places:
            parts.append(f"{'↑' if self.places > 0 else '↓'}{abs(self.places)}")
        for word, delta in (("红", self.red), ("黄", self.yellow)):
            if delta:
                parts.append(f"{word} {'+' if delta > 0 else '−'}{abs(delta)}")
        return "，".join(parts) or "持平"


@dataclass(frozen=True)
class UnitRank:
    unit: str
    rank: int
    red: int
    yellow: int
    items: tuple[str, ...]  # the red then yellow items' titles
    reporting: str | None  # a yzlogi.returns state; None: nothing owed for the month
    reporting_level: str | None  # its light (yzlogi.levels key); None: nothing owed
    owed: int
    sent: int
    change: Change | None = None  # None: no previous version, or the unit was not ranked then

    @property
    def reporting_text(self) -> str:
        """'按时报送' ; '部分报送 4/5' ; '无应报'."""
        if self.reporting is None:
            return NOTHING_OWED
        if self.reporting == PARTIAL:
            return f"{STATE_LABELS[PARTIAL]} {self.sent}/{self.owed}"
        return STATE_LABELS[self.reporting]

    def sort_key(self) -> tuple[int, int, int]:
        return -self.red, -self.yellow, -REPORTING_ORDER[self.reporting]


def rank_units(status: Status, plan: Plan, returns: Returns | None) -> tuple[UnitRank, ...]:
    """Every unit of the plan, worst first (module doc), with its rank; no change yet."""
    rows = []
    for department in plan.departments:
        detail = department_status(status, plan, department.name)
        red = [a.title for a in detail.alerts if a.level == RED]
        yellow = [a.title for a in detail.alerts if a.level == YELLOW]
        mine = returns.unit(department.name) if returns is not None else None
        rows.append(UnitRank(
            unit=department.name, rank=0, red=len(red), yellow=len(yellow), items=tuple(red + yellow),
            reporting=mine.state if mine else None, reporting_level=mine.light.level if mine else None,
            owed=len(mine.owed) if mine else 0, sent=mine.sent if mine else 0,
        ))
    order = {d.name: i for i, d in enumerate(plan.departments)}
    rows.sort(key=lambda r: (r.sort_key(), order[r.unit]))
    ranked, rank = [], 0
    for position, row in enumerate(rows, start=1):
        if position == 1 or row.sort_key() != rows[position - 2].sort_key():
            rank = position
        ranked.append(replace(row, rank=rank))
    return tuple(ranked)


def with_changes(now: tuple[UnitRank, ...], before: tuple[UnitRank, ...] | None) -> tuple[UnitRank, ...]:
    """The ranking `now` with each unit's change against `before` (the previous version's ranking)."""
    if before is None:
        return now
    then = {row.unit: row for row in before}
    out = []
    for row in now:
        old = then.get(row.unit)
        change = None if old is None else Change(old.rank - row.rank, row.red - old.red, row.yellow - old.yellow,
                                                 old.rank)
        out.append(replace(row, change=change))
    return tuple(out)

