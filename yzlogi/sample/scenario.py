"""The sample's scenario: its months, which item plays which part, and the arithmetic that lands
a value inside a light's band (through the plan's thresholds and the status rules' own 序时进度)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime

from yzlogi.months import Month, month_range
from yzlogi.plan import Indicator, Plan, Task
from yzlogi.status.rules import year_pace

SEED = 20250918

# --- the scenario: which light each item shows at the last month ----------------------
# Lights are reached through the plan's thresholds (see pace()), so they hold when
# thresholds change. Items are chosen by their place in the plan.

FLOOR_LIGHTS = ("green", "yellow", "red")  # the floor-rate indicators, in plan order
LEVEL_LIGHTS = ("green", "yellow")  # the level indicators, in plan order
ROUTE_LIGHTS = ("green", "yellow", "red")  # the plan's routes, in plan order
ROUTE_SHARE_FIRST_YEAR = (1.03, 0.97, 0.86)  # each route's runs in earlier years ÷ annual target
FLEET_LIGHTS = ("green", "red", "red", "green")  # the plan's fleet categories, in plan order
GOAL_LIGHTS = ("green", "green", "yellow")  # the cumulative goals, in plan order
NEW_LINE = "中老铁路班列"  # not a plan route: imported as 新增线路 (a warning)
# Band indicator (a share held around its target): quarterly values, offset in band_green_points.
BAND_OFFSETS = (-0.6, -0.3, -0.1, 0.2, 0.1, 0.2, 0.3)
QUARTER_MONTHS = (3, 6, 9, 12)
# Where in the task list each role of the scenario is looked for (a share of the list).
TASK_PLACES = {
    "done": 0.0, "behind": (0.44, 0.5, 0.97), "not_started": (0.07, 0.63), "lead_silent": 0.69,
    "responsible_silent": 0.19, "unit_done": 0.25,
}


@dataclass(frozen=True)
class Scenario:
    """The sample's months and which tasks play which part, for one plan."""

    first: Month
    last: Month  # the default as-of month: the latest 统计期 in the sample
    baseline: Month
    done: dict[int, Month] = field(default_factory=dict)  # every unit reports 已完成 from then on; the lead then stops
    behind: dict[int, Month] = field(default_factory=dict)  # the lead reports 滞后 from then
    not_started: dict[int, int] = field(default_factory=dict)  # task → its unit (index) still at 未启动
    lead_silent: int | None = None  # the lead misses the last report: the task is grey (待报送)
    responsible_silent: tuple[int, int] | None = None  # a responsible unit misses the last month: task stays green
    unit_done: dict[tuple[int, int], Month] = field(default_factory=dict)  # (task, unit index) done early

    @property
    def new_line_from(self) -> Month:
        return max(self.first, self.last.plus(-7))

    @property
    def rank_from(self) -> Month:
        """When a rank goal reaches its target."""
        return max(self.first, self.last.plus(-5))

    @property
    def goal_months(self) -> tuple[Month, ...]:
        """The months goals are reported: half-yearly, then the month before the last."""
        marks = [self.first.plus(5), self.first.plus(11), self.first.plus(17), self.last.plus(-1)]
        return tuple(sorted({m for m in marks if self.first <= m < self.last}))

    @property
    def stamp(self) -> datetime:
        """The file's timestamps: the fifth of the month after the last."""
        after = self.last.plus(1)
        return datetime(after.year, after.month, 5, 9, 0, 0)


def scenario_of(plan: Plan, last: Month | None = None) -> Scenario:
    """The scenario of `plan`: its months and the tasks that play each part."""
    first = plan.start
    last = last or first.plus(max(0, min(plan.months - 3, int(plan.months * 0.6))))
    count = len(plan.tasks)
    taken: set[int] = set()

    def pick(share: float, usable=lambda task: True) -> Task | None:
        start = min(count - 1, int(share * count)) if count else 0
        for index in list(range(start, count)) + list(range(0, start)):
            task = plan.tasks[index]
            if index not in taken and usable(task):
                taken.add(index)
                return task
        return None

    done = pick(TASK_PLACES["done"])
    behind = [pick(share) for share in TASK_PLACES["behind"]]
    behind_from = (last.plus(-2), last.plus(-5), last.plus(-1))
    not_started = [pick(share, lambda t: len(t.units) > 1) for share in TASK_PLACES["not_started"]]
    lead_silent = pick(TASK_PLACES["lead_silent"])
    responsible_silent = pick(TASK_PLACES["responsible_silent"], lambda t: bool(t.responsible))
    unit_done = pick(TASK_PLACES["unit_done"], lambda t: len(t.units) > 1)
    return Scenario(
        first=first, last=last, baseline=plan.baseline,
        done={done.no: max(first, last.plus(-4))} if done else {},
        behind={t.no: max(first, month) for t, month in zip(behind, behind_from) if t},
        not_started={t.no: -1 for t in not_started if t},
        lead_silent=lead_silent.no if lead_silent else None,
        responsible_silent=(responsible_silent.no, -1) if responsible_silent else None,
        unit_done={(unit_done.no, 1): max(first, last.plus(-6))} if unit_done else {},
    )


def pace(plan: Plan, light: str) -> float:
    """A ratio of actual to expected that lands well inside a light's band."""
    th = plan.thresholds
    return {
        "green": th.green_ratio * 1.06,
        "yellow": (th.yellow_ratio + th.green_ratio) / 2,
        "red": th.yellow_ratio * 0.8,
    }[light]


def floor_value(plan: Plan, target: float, light: str) -> float:
    """A floor-rate value for a light: above T, between 0.9T and T, or well below."""
    share = plan.thresholds.floor_yellow_share
    factor = {"green": 1.24, "yellow": (1 + share) / 2, "red": share * 0.85}[light]
    return round(target * factor, 1)


def count_for(plan: Plan, expected: float, light: str, cap: float | None = None) -> int:
    """A whole count whose ratio to `expected` (序时进度 as the status rules give it) shows `light`,
    inside the light's band where it can; ValueError when no whole number is yellow (say, against 1)."""
    th = plan.thresholds
    if light == "green" or expected <= 0:
        count = math.ceil(expected * th.green_ratio - 1e-9)
    elif light == "red":
        count = max(0, math.ceil(expected * th.yellow_ratio - 1e-9) - 1)
    else:
        low, high = expected * th.yellow_ratio - 1e-9, expected * th.green_ratio
        count = round(expected * pace(plan, "yellow"))
        if not low <= count < high:
            count = math.ceil(low)
        if count >= high:
            raise ValueError(f"no whole number is yellow against 序时进度 {expected:g}")
    return min(count, int(cap)) if cap is not None else count


def spread(total: int, weights: list[float]) -> list[int]:
    """Split an integer total over weights, largest remainders first (sums exactly)."""
    if total <= 0:
        return [0] * len(weights)
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def evenly(count: int, months: list[Month]) -> list[Month]:
    """`count` months spread evenly over a span (for events: openings, new firms)."""
    return [months[min(len(months) - 1, int((i + 0.5) * len(months) / count))] for i in range(count)]


def rng_for(section: str) -> random.Random:
    # One generator per section: a change in one sheet leaves the others' values alone.
    return random.Random(f"{SEED}:{section}")


def day(rng: random.Random, month: Month) -> date:
    return date(month.year, month.month, rng.randint(3, 26))


def route_runs(rows: list[dict[str, object]], name: str, month: Month) -> int:
    for row in rows:
        if row["route"] == name and row["month"] == str(month):
            return int(row["runs"])
    return 0


def count_by(rows: list[dict[str, object]], key: str, month: Month, where=None) -> int:
    """Register entries dated in or before `month`."""
    return sum(
        1 for row in rows
        if Month(row[key].year, row[key].month) <= month and (where is None or where(row))
    )


def new_firm_months(plan: Plan, sc: Scenario, indicator: Indicator) -> list[Month]:
    """Months in which a new unit of an annual-flow indicator is counted (a new above-scale firm)."""
    months = []
    span_all = month_range(sc.first, sc.last)
    for year in range(sc.first.year, sc.last.year + 1):
        target = indicator.target(year).value
        span = [m for m in span_all if m.year == year]
        if year == sc.last.year:
            expected = year_pace(plan, indicator.unit, 0.0, target, sc.last.month).expected
            count = max(1, count_for(plan, expected, "green"))
        else:
            count = int(target) + 1
        months += evenly(count, span)
    return months
