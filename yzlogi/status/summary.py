"""Every light of one version at one as-of month: compute_status() and the Status it returns.

Status gathers the plan parts (indicators, routes, fleet, tasks, goals, registers)
and answers what the pages and the command line ask of the whole: the current
picture's items, the counts of lights, the exceptions (red then yellow, each with
its one line of why and who answers for it), and the JSON of `status --json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yzlogi.levels import RED, YELLOW, count, sort_key
from yzlogi.model import Version, VersionData
from yzlogi.months import Month
from yzlogi.plan import Plan
from yzlogi.status.fleet import FleetStatus, fleet_status
from yzlogi.status.goals import GoalStatus, goals_status
from yzlogi.status.indicators import IndicatorStatus, RegisterMonth, indicators_status, registers_status
from yzlogi.status.routes import NewLine, RouteStatus, RouteYear, routes_status
from yzlogi.status.rows import records
from yzlogi.status.rules import Light
from yzlogi.status.tasks import TaskStatus, tasks_status

ROLE_LABELS = {"lead": "牵头单位", "responsible": "责任单位"}
SECTION_LABELS = {
    "indicator": "主要指标",
    "route": "通道班次",
    "fleet": "船舶更新",
    "task": "重点任务",
    "goal": "其他目标",
}
SECTIONS = tuple(SECTION_LABELS)


@dataclass(frozen=True)
class Alert:
    """One red or yellow item with the line that says why (the exceptions list)."""

    section: str  # indicator | route | fleet | task | goal
    key: str  # stable id, e.g. "indicator:5:2026", "route:东盟班车:2026", "task:8"
    title: str
    level: str
    why: str
    departments: tuple[str, ...]  # the lead units who answer for it

    def to_json(self) -> dict:
        return {
            "section": self.section,
            "key": self.key,
            "title": self.title,
            "level": self.level,
            "why": self.why,
            "departments": list(self.departments),
        }


@dataclass(frozen=True)
class Status:
    """Every light of one version at one as-of month."""

    version: Version | None
    as_of: Month
    current_year: int  # the as-of year, clamped to the plan's years
    indicators: tuple[IndicatorStatus, ...]
    routes: tuple[RouteStatus, ...]
    new_lines: tuple[NewLine, ...]
    fleet: tuple[FleetStatus, ...]
    tasks: tuple[TaskStatus, ...]
    goals: tuple[GoalStatus, ...]
    registers: tuple[RegisterMonth, ...]
    plan: Plan = field(repr=False, compare=False, default=None)  # the plan that judged it

    @property
    def sample(self) -> bool:
        return bool(self.version.sample) if self.version is not None else False

    def indicator(self, no: int, year: int | None = None) -> IndicatorStatus:
        year = self.current_year if year is None else year
        for item in self.indicators:
            if item.no == no and item.year == year:
                return item
        raise KeyError((no, year))

    def current_indicators(self) -> tuple[IndicatorStatus, ...]:
        """The indicators of the as-of year (clamped to the plan)."""
        return tuple(i for i in self.indicators if i.year == self.current_year)

    def route(self, name: str) -> RouteStatus:
        for item in self.routes:
            if item.route == name:
                return item
        raise KeyError(name)

    def current_routes(self) -> tuple[RouteYear, ...]:
        return tuple(r.year(self.current_year) for r in self.routes)

    def fleet_category(self, category: str) -> FleetStatus:
        for item in self.fleet:
            if item.category == category:
                return item
        raise KeyError(category)

    def task(self, no: int) -> TaskStatus:
        for item in self.tasks:
            if item.no == no:
                return item
        raise KeyError(no)

    def goal(self, key: str) -> GoalStatus:
        for item in self.goals:
            if item.key == key:
                return item
        raise KeyError(key)

    def register_at(self, month: Month) -> RegisterMonth | None:
        for item in self.registers:
            if item.month == month:
                return item
        return None

    def items(self) -> list[tuple[str, str, str, Light, tuple[str, ...]]]:
        """The lights that make the current picture: (section, key, title, light, leads).

        Indicators and routes of the as-of year, every fleet category and task,
        and the secondary goals that have data (the 其他目标 sheet is optional, so
        a goal nobody reports is not counted as grey)."""
        out = []
        for i in self.current_indicators():
            out.append(("indicator", f"indicator:{i.no}:{i.year}", i.title, i.light, i.lead))
        for route in self.routes:
            r = route.year(self.current_year)
            out.append(("route", f"route:{r.route}:{r.year}", f"{r.route}（{r.year}年）", r.light, route.lead))
        for f in self.fleet:
            out.append(("fleet", f"fleet:{f.category}", f.title, f.light, f.lead))
        for t in self.tasks:
            out.append(("task", f"task:{t.no}", t.title, t.light, t.lead))
        for g in self.goals:
            if g.has_data:
                out.append(("goal", f"goal:{g.key}", g.title, g.light, g.lead))
        return out

    def counts(self) -> dict[str, dict[str, int]]:
        """Lights per section of items() and in total, each red first."""
        result = {section: count(()) for section in SECTIONS}
        for section, _, _, light, _ in self.items():
            result[section][light.level] += 1
        result["total"] = count(light.level for _, _, _, light, _ in self.items())
        return result

    def exceptions(self) -> list[Alert]:
        """Every red item, then every yellow one, each with one line of why."""
        alerts = [
            Alert(section, key, title, light.level, light.text, leads)
            for section, key, title, light, leads in self.items()
            if light.level in (RED, YELLOW)
        ]
        return sorted(alerts, key=lambda a: sort_key(a.level))

    def to_json(self) -> dict:
        routes = []
        for route in self.routes:
            for item in route.years:
                row = item.to_json()
                row["three_year_target"] = route.three_year_target
                row["cumulative_3y"] = route.cumulative
                row["required_monthly_3y"] = route.required_monthly_3y
                routes.append(row)
        return {
            "version": self.version.id if self.version is not None else None,
            "as_of": str(self.as_of),
            "as_of_label": self.as_of.label,
            "current_year": self.current_year,
            "sample": self.sample,
            "counts": self.counts(),
            "indicators": [i.to_json() for i in self.indicators],
            "routes": routes,
            "route_totals": [r.totals_json() for r in self.routes],
            "route_monthly": [
                {"route": r.route, "month": str(m.month), "runs": m.runs} for r in self.routes for m in r.monthly
            ],
            "new_lines": [n.to_json() for n in self.new_lines],
            "fleet": [f.to_json() for f in self.fleet],
            "tasks": [t.to_json() for t in self.tasks],
            "goals": [g.to_json() for g in self.goals],
            "registers": [r.to_json() for r in self.registers],
            "exceptions": [a.to_json() for a in self.exceptions()],
        }


def compute_status(plan: Plan, data: VersionData, as_of: Month) -> Status:
    """Every light of the version at the as-of month (design: status rules), judged under `plan`."""
    current_year = min(max(as_of.year, plan.first_year), plan.last_year)
    routes, new_lines = routes_status(plan, records(data.routes), as_of)
    registers = registers_status(plan, records(data.warehouses), records(data.forwarders), as_of)
    indicators = indicators_status(plan, records(data.indicators), routes, registers, as_of)
    return Status(
        version=data.version,
        as_of=as_of,
        current_year=current_year,
        indicators=indicators,
        routes=routes,
        new_lines=new_lines,
        fleet=fleet_status(plan, records(data.ships), as_of),
        tasks=tasks_status(plan, records(data.tasks), as_of),
        goals=goals_status(plan, records(data.goals), as_of),
        registers=registers,
        plan=plan,
    )
