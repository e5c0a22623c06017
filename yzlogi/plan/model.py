"""The plan's parts as frozen dataclasses: what the plan file says, typed.

Every fact the dashboard tracks is a field here, read from the plan file
(yzlogi.plan.load): the years, the targets and their kinds, the units and who
leads what, the routes, fleet categories, secondary goals, which indicator each
register feeds, the thresholds and which units are counted whole. Nothing in the
rest of the code names an indicator, a route or a year of this particular plan.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

from yzlogi.months import Month
from yzlogi.text import closest_name, fold

INDICATOR_KINDS = ("band", "floor", "annual_flow", "level", "composite")
FREQUENCIES = {"monthly": "每月", "quarterly": "每季度末月", "yearly": "每年12月"}
GOAL_KINDS = ("cumulative", "floor", "band", "rank", "milestone")
KIND_LABELS = {
    "band": "区间（左右）",
    "floor": "下限（以上）",
    "annual_flow": "年度流量",
    "level": "存量水平",
    "composite": "组合（取最差）",
    "cumulative": "累计",
    "rank": "排名",
    "milestone": "里程碑",
}


@dataclass(frozen=True)
class Thresholds:
    """Light thresholds (design: status rules); kept as data, not literals."""

    green_ratio: float
    yellow_ratio: float
    floor_yellow_share: float
    band_green_points: float
    band_yellow_points: float


@dataclass(frozen=True)
class Department:
    name: str
    short: str
    aliases: tuple[str, ...]
    group: bool = False


@dataclass(frozen=True)
class Milestone:
    """What a target due at the plan's end should reach by the end of one year (年度分解)."""

    year: int
    value: float


@dataclass(frozen=True)
class Route:
    name: str
    annual_target: int
    unit: str
    synonyms: tuple[str, ...]
    source: str
    lead: tuple[str, ...]
    responsible: tuple[str, ...] = ()


@dataclass(frozen=True)
class FleetCategory:
    category: str
    target: int
    at_least: bool
    unit: str
    text: str
    source: str
    lead: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    task: int | None = None
    milestones: tuple[Milestone, ...] = ()


@dataclass(frozen=True)
class Target:
    """One year's target of an indicator: the cell verbatim and what it means."""

    year: int
    text: str
    kind: str
    value: float | None
    unit: str
    parts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Indicator:
    no: int
    name: str
    unit: str
    kind: str
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    source: str
    targets: tuple[Target, ...]
    register: str | None = None  # the register sheet (schema key) whose count stands beside it
    frequency: str = "monthly"  # how often its figure is reported: monthly | quarterly | yearly (报送情况)

    def target(self, year: int) -> Target:
        for target in self.targets:
            if target.year == year:
                return target
        raise KeyError(year)

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


@dataclass(frozen=True)
class Group:
    no: int
    name: str
    label: str


@dataclass(frozen=True)
class Task:
    no: int
    group: int
    name: str
    text: str
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    measure: int
    measure_name: str
    body_lead: tuple[str, ...]
    body_support: tuple[str, ...]
    source: str

    @property
    def units(self) -> tuple[str, ...]:
        """Lead units first, then responsible units."""
        return self.lead + self.responsible

    def role_of(self, department: str) -> str | None:
        """'lead', 'responsible' or None for a department's role in this task."""
        if department in self.lead:
            return "lead"
        if department in self.responsible:
            return "responsible"
        return None

    @property
    def body_differs(self) -> bool:
        """Whether the body text names other units than the task list for this task."""
        return set(self.body_lead) != set(self.lead) or set(self.body_support) != set(self.responsible)


@dataclass(frozen=True)
class Goal:
    """A secondary goal of the body text, due by the plan's last December."""

    key: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    target: float
    unit: str
    text: str
    source: str
    task: int | None
    lead: tuple[str, ...] = ()
    at_least: bool = False
    max: float | None = None
    milestones: tuple[Milestone, ...] = ()


@dataclass(frozen=True)
class Discrepancy:
    title: str
    body: str
    annex: str
    source: str
    tasks: tuple[int, ...] = ()
    indicators: tuple[int, ...] = ()


@dataclass(frozen=True)
class Plan:
    title: str
    short_title: str
    document_no: str
    issued: str
    issuer: str
    first_year: int
    last_year: int
    thresholds: Thresholds
    departments: tuple[Department, ...]
    routes: tuple[Route, ...]
    fleet: tuple[FleetCategory, ...]
    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...]
    tasks: tuple[Task, ...]
    goals: tuple[Goal, ...]
    discrepancies: tuple[Discrepancy, ...]
    whole_units: tuple[str, ...] = ()  # units counted in whole items (艘, 家, 个): 序时进度 rounds down
    coordinator: str = ""  # the unit that collects the returns (the 专班 office); "" → the one leading most tasks
    indicator_list: str = "主要指标表"  # how the plan names its table of key indicators (附件1)
    task_list: str = "重点任务清单"  # and its list of key tasks (附件2)
    # The plan file's text as loaded, so a version can keep the plan it was judged under.
    text: str = field(default="", repr=False, compare=False)
    _department_index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _route_index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _goal_index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _fleet_index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    # --- time ------------------------------------------------------------------

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    @property
    def start(self) -> Month:
        """The plan's first month (January of its first year)."""
        return Month(self.first_year, 1)

    @property
    def deadline(self) -> Month:
        """The plan's last month (December of its last year)."""
        return Month(self.last_year, 12)

    @property
    def baseline(self) -> Month:
        """The December before the plan: reported values give the first year's base."""
        return Month(self.first_year - 1, 12)

    @property
    def months(self) -> int:
        return self.deadline - self.start + 1

    @property
    def span(self) -> str:
        """The plan's length in words: 三年 (the route totals are 年均 × the years)."""
        count = len(self.years)
        words = "零一两三四五六七八九十"
        return (words[count] if count <= 10 else str(count)) + "年"

    @property
    def period(self) -> str:
        """The plan's years as written in titles: 2025—2027年."""
        return f"{self.first_year}—{self.last_year}年"

    @property
    def office(self) -> str:
        """The unit that collects the member units' returns: the plan's coordinator, else the one leading most tasks."""
        if self.coordinator:
            return self.coordinator
        return max(self.departments, key=lambda d: len(self.tasks_led_by(d.name))).name

    # --- identity --------------------------------------------------------------

    @cached_property
    def digest(self) -> str:
        """The identity of what the plan says (not of its comments or layout): sha256 of to_json()."""
        text = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    # --- parts -----------------------------------------------------------------

    def counts_whole(self, unit: str) -> bool:
        """Whether targets in `unit` are counted in whole items (序时进度 rounds down)."""
        return unit in self.whole_units

    @property
    def composite(self) -> Indicator | None:
        """The indicator made of the routes (the worst of them), if the plan has one."""
        return next((i for i in self.indicators if i.kind == "composite"), None)

    @property
    def reported_indicators(self) -> tuple[Indicator, ...]:
        """Indicators officials report (the composite one is computed from the routes)."""
        return tuple(i for i in self.indicators if i.kind != "composite")

    @property
    def registers(self) -> tuple[str, ...]:
        """The register sheets (schema keys) some indicator of this plan is checked against."""
        return tuple(i.register for i in self.indicators if i.register)

    def register_indicator(self, register: str) -> Indicator | None:
        return next((i for i in self.indicators if i.register == register), None)

    def indicator(self, no: int) -> Indicator:
        for indicator in self.indicators:
            if indicator.no == no:
                return indicator
        raise KeyError(no)

    def task(self, no: int) -> Task:
        for task in self.tasks:
            if task.no == no:
                return task
        raise KeyError(no)

    def group(self, no: int) -> Group:
        for group in self.groups:
            if group.no == no:
                return group
        raise KeyError(no)

    def route(self, name: str) -> Route:
        for route in self.routes:
            if route.name == name:
                return route
        raise KeyError(name)

    def goal(self, key: str) -> Goal:
        for goal in self.goals:
            if goal.key == key:
                return goal
        raise KeyError(key)

    def fleet_category(self, category: str) -> FleetCategory:
        for item in self.fleet:
            if item.category == category:
                return item
        raise KeyError(category)

    def department(self, name: str) -> Department:
        for department in self.departments:
            if department.name == name:
                return department
        raise KeyError(name)

    def resolve_department(self, text: str) -> str | None:
        """The plan's name for a department written as name, alias or short form."""
        return self._department_index.get(fold(text))

    def suggest_department(self, text: str) -> str | None:
        """The department a mistyped name most likely means (商务局 → 区商务委), for "您是否要找"; None if none."""
        return closest_name(text, {**self._department_index, **{d.name: d.name for d in self.departments}})

    def department_spellings(self) -> dict[str, str]:
        """Every accepted spelling of a department (folded) → the plan's name."""
        return dict(self._department_index)

    def resolve_route(self, text: str) -> str | None:
        """The plan's route name for a name or synonym; None for a new line."""
        return self._route_index.get(fold(text))

    def resolve_fleet_category(self, text: str) -> str | None:
        """The plan's fleet category for a name or synonym."""
        return self._fleet_index.get(fold(text))

    def resolve_goal(self, text: str) -> str | None:
        """The key of a secondary goal written by name or alias."""
        return self._goal_index.get(fold(text))

    def tasks_led_by(self, department: str) -> tuple[Task, ...]:
        return tuple(t for t in self.tasks if department in t.lead)

    def tasks_supported_by(self, department: str) -> tuple[Task, ...]:
        return tuple(t for t in self.tasks if department in t.responsible)

    def indicators_led_by(self, department: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if department in i.lead)

    def indicators_supported_by(self, department: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if department in i.responsible)

    # --- as data ----------------------------------------------------------------

    def to_json(self) -> dict:
        """The plan as plain JSON data (python -m yzlogi plan --json); everything that judges a light."""
        return {
            "title": self.title,
            "short_title": self.short_title,
            "document_no": self.document_no,
            "issued": self.issued,
            "issuer": self.issuer,
            "coordinator": self.office,
            "indicator_list": self.indicator_list,
            "task_list": self.task_list,
            "years": list(self.years),
            "thresholds": vars(self.thresholds),
            "whole_units": list(self.whole_units),
            "indicators": [
                {
                    "no": i.no,
                    "name": i.name,
                    "unit": i.unit,
                    "kind": i.kind,
                    "source": i.source,
                    "targets": {
                        str(t.year): {
                            "text": t.text,
                            "kind": t.kind,
                            "value": t.value,
                            "unit": t.unit,
                            **({"parts": {r: v for r, v in t.parts}} if t.parts else {}),
                        }
                        for t in i.targets
                    },
                    "lead": list(i.lead),
                    "responsible": list(i.responsible),
                    "register": i.register,
                    "frequency": i.frequency,
                }
                for i in self.indicators
            ],
            "groups": [{"no": g.no, "name": g.name, "label": g.label} for g in self.groups],
            "tasks": [
                {
                    "no": t.no,
                    "group": t.group,
                    "group_name": self.group(t.group).name,
                    "name": t.name,
                    "text": t.text,
                    "lead": list(t.lead),
                    "responsible": list(t.responsible),
                    "measure": t.measure,
                    "measure_name": t.measure_name,
                    "body_lead": list(t.body_lead),
                    "body_support": list(t.body_support),
                    "source": t.source,
                }
                for t in self.tasks
            ],
            "departments": [
                {"name": d.name, "short": d.short, "aliases": list(d.aliases), "group": d.group}
                for d in self.departments
            ],
            "routes": [
                {
                    "name": r.name,
                    "annual_target": r.annual_target,
                    "three_year_target": r.annual_target * len(self.years),
                    "unit": r.unit,
                    "synonyms": list(r.synonyms),
                    "source": r.source,
                    "lead": list(r.lead),
                    "responsible": list(r.responsible),
                }
                for r in self.routes
            ],
            "fleet": [
                {
                    "category": f.category,
                    "target": f.target,
                    "at_least": f.at_least,
                    "unit": f.unit,
                    "deadline": str(self.deadline),
                    "text": f.text,
                    "source": f.source,
                    "synonyms": list(f.synonyms),
                    "lead": list(f.lead),
                    "task": f.task,
                    "milestones": {str(m.year): m.value for m in f.milestones},
                }
                for f in self.fleet
            ],
            "goals": [
                {
                    "key": g.key,
                    "name": g.name,
                    "kind": g.kind,
                    "target": g.target,
                    "max": g.max,
                    "at_least": g.at_least,
                    "unit": g.unit,
                    "text": g.text,
                    "source": g.source,
                    "task": g.task,
                    "lead": list(g.lead),
                    "aliases": list(g.aliases),
                    "milestones": {str(m.year): m.value for m in g.milestones},
                }
                for g in self.goals
            ],
            "discrepancies": [
                {
                    "title": d.title,
                    "body": d.body,
                    "annex": d.annex,
                    "source": d.source,
                    "tasks": list(d.tasks),
                    "indicators": list(d.indicators),
                }
                for d in self.discrepancies
            ],
        }
