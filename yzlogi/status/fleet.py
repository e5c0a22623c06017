"""Fleet renewal: ships done, under way and planned per category, against 序时进度 to the deadline.

A deadline count (design): 序时进度 is the target × the plan months elapsed ÷ the
plan's months, or, where the plan file splits the target by year, milestone to
milestone. A ship reported 已完成 with a date after as-of counts as 在建 then.
"""

from __future__ import annotations

from dataclasses import dataclass

from yzlogi.plan import Plan
from yzlogi.status.rows import month_of
from yzlogi.status.rules import SHIP_BUILDING, SHIP_DONE, SHIP_PLANNED, Light, deadline_pace, iso, ratio_light
from yzlogi.months import Month


@dataclass(frozen=True)
class ShipState:
    name: str
    category: str
    status: str  # as of as-of: a ship completed after as-of is 在建
    reported_status: str
    completed: Month | None
    company: str | None
    note: str | None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "category": self.category,
            "status": self.status,
            "reported_status": self.reported_status,
            "completed": iso(self.completed),
            "company": self.company,
            "note": self.note,
        }


@dataclass(frozen=True)
class FleetStatus:
    """One fleet-renewal category: a deadline count due by the plan's last December."""

    category: str
    target: int
    at_least: bool
    unit: str
    done: int
    in_progress: int
    planned: int
    expected: float
    ratio: float | None
    light: Light
    ships: tuple[ShipState, ...]
    lead: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"船舶更新 {self.category}"

    def to_json(self) -> dict:
        return {
            "category": self.category,
            "target": self.target,
            "at_least": self.at_least,
            "unit": self.unit,
            "done": self.done,
            "in_progress": self.in_progress,
            "planned": self.planned,
            "expected": self.expected,
            "ratio": self.ratio,
            "level": self.light.level,
            "explanation": self.light.text,
            "ships": [s.to_json() for s in self.ships],
        }





def fleet_status(plan: Plan, rows: list[dict], as_of: Month) -> tuple[FleetStatus, ...]:
    """Deadline count (design): 序时进度 to the deadline (or by the yearly milestones), in whole
    ships; a ship completed after as-of is in progress."""
    out = []
    for item in plan.fleet:
        ships = []
        for row in rows:
            if row.get("category") != item.category:
                continue
            completed = month_of(row.get("completed"))
            reported = row.get("status") or ""
            status = reported
            if reported == SHIP_DONE and (completed is None or completed > as_of):
                status = SHIP_BUILDING
            ships.append(ShipState(str(row.get("ship_name") or ""), item.category, status, reported, completed,
                                   row.get("company"), row.get("note")))
        ships.sort(key=lambda s: (s.status != SHIP_DONE, s.completed or plan.deadline, s.name))
        done = sum(1 for s in ships if s.status == SHIP_DONE)
        in_progress = sum(1 for s in ships if s.status == SHIP_BUILDING)
        planned = sum(1 for s in ships if s.status == SHIP_PLANNED)
        pace = deadline_pace(plan, item.target, item.unit, item.milestones, as_of)
        ratio, light = ratio_light(pace.expected, done, plan.thresholds, actual_word="已完成", expected_note=pace.note)
        out.append(FleetStatus(item.category, item.target, item.at_least, item.unit, done, in_progress, planned,
                               pace.expected, ratio, light, tuple(ships), item.lead))
    return tuple(out)


# tasks
