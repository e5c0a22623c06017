"""Secondary goals of the body text, all due by the plan's last December.

Kinds (plan file): cumulative (序时进度 to the deadline, or milestone to milestone),
floor, band, rank (smaller is better) and milestone (achieved once). The goal's
lead (plan: lead) answers for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from yzlogi.levels import GREEN, RED
from yzlogi.months import Month
from yzlogi.plan import Goal, Plan
from yzlogi.status.rows import upto
from yzlogi.status.rules import (
    TOLERANCE, Light, arrow, at_least, band_level, deadline_pace, floor_level, fmt, iso, no_data, ratio_light,
    short_of_deadline,
)


@dataclass(frozen=True)
class GoalStatus:
    """One secondary goal of the body text, due by the plan's last December."""

    key: str
    name: str
    kind: str
    unit: str
    text: str
    target: float
    max: float | None
    value: float | None
    month: Month | None
    expected: float | None
    ratio: float | None
    deviation: float | None
    light: Light
    task: int | None
    lead: tuple[str, ...]

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def title(self) -> str:
        return f"其他目标 {self.name}"

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "unit": self.unit,
            "text": self.text,
            "target": self.target,
            "max": self.max,
            "value": self.value,
            "month": iso(self.month),
            "expected": self.expected,
            "ratio": self.ratio,
            "deviation": self.deviation,
            "level": self.light.level,
            "explanation": self.light.text,
            "task": self.task,
        }





def goals_status(plan: Plan, rows: list[dict], as_of: Month) -> tuple[GoalStatus, ...]:
    latest: dict[str, dict] = {}
    for row in upto(rows, as_of):
        key = row.get("goal")
        if key is None or row.get("value") is None:
            continue
        if key not in latest or row["_m"] > latest[key]["_m"]:
            latest[key] = row
    out = []
    for goal in plan.goals:
        out.append(_goal(plan, goal, latest.get(goal.key), as_of))
    return tuple(out)


def _goal_target_text(goal: Goal) -> str:
    value = fmt(goal.target) + (f"—{fmt(goal.max)}" if goal.max is not None else "")
    return f"{value}{goal.unit}{'以上' if goal.at_least else ''}"


def _goal(plan: Plan, goal: Goal, row: dict | None, as_of: Month) -> GoalStatus:
    th = plan.thresholds
    base = dict(key=goal.key, name=goal.name, kind=goal.kind, unit=goal.unit, text=goal.text, target=goal.target,
                max=goal.max, value=None, month=None, expected=None, ratio=None, deviation=None, task=goal.task,
                lead=goal.lead)
    if row is None:
        return GoalStatus(**base, light=no_data(as_of))
    value, month = float(row["value"]), row["_m"]
    base.update(value=value, month=month)
    note = f"（{month.label}）" if month < as_of else ""
    unit = goal.unit
    deadline = plan.deadline

    if goal.kind == "cumulative":
        pace = deadline_pace(plan, goal.target, unit, goal.milestones, as_of)
        ratio, light = ratio_light(pace.expected, value, th, actual_note=note, expected_note=pace.note)
        return GoalStatus(**{**base, "expected": pace.expected, "ratio": ratio}, light=light)
    if goal.kind == "floor":
        level = floor_level(value, goal.target, th)
        bound = goal.target if level == GREEN else th.floor_yellow_share * goal.target
        sign = "<" if level == RED else "≥"
        body = f"目标 {_goal_target_text(goal)}，实际 {fmt(value)}{unit}{note}（{sign} {fmt(bound)}{unit}）"
        return GoalStatus(**{**base, "expected": goal.target}, light=arrow(body, level))
    if goal.kind == "band":
        deviation = abs(value - goal.target)
        body = f"目标 {fmt(goal.target)}{unit}左右，实际 {fmt(value)}{unit}{note}，偏离 {fmt(deviation)} 个百分点"
        return GoalStatus(**{**base, "expected": goal.target, "deviation": deviation},
                          light=arrow(body, band_level(deviation, th)))
    if goal.kind == "rank":
        # Smaller is better; like a milestone, falling short is yellow until the deadline passes.
        head = f"目标 全市第{fmt(goal.target)}名，实际 第{fmt(value)}名{note}"
        if value <= goal.target + TOLERANCE:
            return GoalStatus(**{**base, "expected": goal.target}, light=arrow(head, GREEN))
        return GoalStatus(**{**base, "expected": goal.target}, light=short_of_deadline(head, as_of, deadline))
    if goal.kind == "milestone":
        if at_least(value, 1):
            return GoalStatus(**base, light=arrow(f"{month.label}已实现", GREEN))
        return GoalStatus(**base, light=short_of_deadline(f"尚未实现{note}", as_of, deadline))
    raise ValueError(f"unknown goal kind {goal.kind!r}")
