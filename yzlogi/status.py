"""序时进度 and the lights: pure functions from (plan, one version's data, as-of) to status.

The rules are design.md «Status rules», with every threshold read from
plan.thresholds. Let the as-of month be (Y, m). Data dated after as-of is
ignored, so any earlier month can be replayed exactly. Each light carries a
one-line Chinese explanation of how it was computed, shown beside it on screen.

Nothing here does I/O or knows about Streamlit: pages and the command line call
compute_status() and render what it returns.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from yzlogi.errors import YzlogiError
from yzlogi.levels import GREEN, GREY, LEVELS, RED, YELLOW, count, sort_key, worst_of
from yzlogi.model import Version, VersionData
from yzlogi.months import Month, month_range
from yzlogi.plan import Goal, Indicator, Plan, Task, Thresholds
from yzlogi.schema import BASELINE_MONTH, FIRST_MONTH

# Ratios and points are compared with this slack so that a boundary computed in
# floating point (30 ÷ (100 × 4/12) = 0.8999999999999999) lands on the side the
# rules document (exactly 0.90 is yellow).
TOLERANCE = 1e-9

# Why a light is grey; shown in brackets after 灰灯.
PENDING = "待报送"  # indicator, route or goal: no value yet (statistics arrive late)
NOT_REPORTED = "未报送"  # task unit: no report for the as-of month
NOT_STARTED = "未开始"  # a plan year after the as-of year

TASK_STATUS_LEVELS = {"序时推进": GREEN, "未启动": YELLOW, "滞后": RED}  # design: task rule
TASK_DONE = "已完成"
SHIP_DONE = "已完成"
SHIP_BUILDING = "在建"
SHIP_PLANNED = "计划"

ROLE_LABELS = {"lead": "牵头单位", "responsible": "责任单位"}
SECTION_LABELS = {
    "indicator": "主要指标",
    "route": "通道班次",
    "fleet": "船舶更新",
    "task": "重点任务",
    "goal": "其他目标",
}
SECTIONS = tuple(SECTION_LABELS)


# --- lights -------------------------------------------------------------------


@dataclass(frozen=True)
class Light:
    """A light and the one line that says how it was computed."""

    level: str
    text: str
    reason: str = ""  # for grey: 待报送 / 未报送 / 未开始

    @property
    def label(self) -> str:
        return LEVELS[self.level].label

    @property
    def name(self) -> str:
        return LEVELS[self.level].name

    @property
    def colour(self) -> str:
        return LEVELS[self.level].colour

    @property
    def mark(self) -> str:
        return LEVELS[self.level].mark


def _arrow(body: str, level: str, reason: str = "") -> Light:
    """'body → 黄灯' (no space after a closing bracket), grey with its reason."""
    sep = "→ " if body.endswith("）") else " → "
    tail = LEVELS[level].name + (f"（{reason}）" if reason else "")
    return Light(level, f"{body}{sep}{tail}", reason)


def _at_least(value: float, bound: float) -> bool:
    """value ≥ bound, with TOLERANCE relative to the bound's size."""
    return value >= bound - TOLERANCE * max(1.0, abs(bound))


def ratio_level(ratio: float, th: Thresholds) -> str:
    """Design: ratio ≥ green_ratio → green, ≥ yellow_ratio → yellow, else red."""
    if _at_least(ratio, th.green_ratio):
        return GREEN
    if _at_least(ratio, th.yellow_ratio):
        return YELLOW
    return RED


def floor_level(actual: float, target: float, th: Thresholds) -> str:
    """Design: floor rate — green if actual ≥ T, yellow if ≥ share × T, else red."""
    if _at_least(actual, target):
        return GREEN
    if _at_least(actual, th.floor_yellow_share * target):
        return YELLOW
    return RED


def band_level(deviation: float, th: Thresholds) -> str:
    """Design: band — green if |actual − T| ≤ green points, yellow if ≤ yellow points."""
    if deviation <= th.band_green_points + TOLERANCE:
        return GREEN
    if deviation <= th.band_yellow_points + TOLERANCE:
        return YELLOW
    return RED


# --- number and month formatting (Chinese conventions) -------------------------


def fmt(value: float | int | None, digits: int = 2) -> str:
    """A number as written on screen: 1500, 41.7, 4.55 (no trailing zeros)."""
    if value is None:
        return "——"
    rounded = round(float(value), digits)
    if abs(rounded - round(rounded)) < TOLERANCE:
        return str(int(round(rounded)))
    return f"{rounded:.{digits}f}".rstrip("0").rstrip(".")


def fmt_ratio(ratio: float) -> str:
    """A ratio as a percentage with one decimal, cut (not rounded) so 89.96% never
    reads 90.0% beside a red light: 0.9333 → 93.3%."""
    tenths = math.floor(ratio * 1000 + TOLERANCE * 1000)
    return f"{tenths / 10:.1f}%"


def _month_label(month: Month | None) -> str:
    return month.label if month is not None else "——"


# --- typed results ------------------------------------------------------------


@dataclass(frozen=True)
class MonthRuns:
    month: Month
    runs: int | None  # None: no row for that month


@dataclass(frozen=True)
class RouteYear:
    """One route in one plan year: runs to date against the annual target (annual flow)."""

    route: str
    year: int
    target: int
    evaluated_at: Month | None  # December for past years, as-of for the as-of year, None if not started
    actual_ytd: int | None  # None: no row in the year up to evaluated_at
    last_month: Month | None  # latest month with a row
    expected_ytd: float | None
    ratio: float | None
    projected_year_end: float | None  # at the pace so far: actual × 12 / m
    remaining_months: int
    required_monthly: float | None  # runs per remaining month for the annual target
    light: Light

    def to_json(self) -> dict:
        return {
            "route": self.route,
            "year": self.year,
            "target": self.target,
            "evaluated_at": _m(self.evaluated_at),
            "actual_ytd": self.actual_ytd,
            "last_month": _m(self.last_month),
            "expected_ytd": self.expected_ytd,
            "ratio": self.ratio,
            "projected_year_end": self.projected_year_end,
            "remaining_months": self.remaining_months,
            "required_monthly": self.required_monthly,
            "level": self.light.level,
            "explanation": self.light.text,
        }


@dataclass(frozen=True)
class RouteStatus:
    """One plan route: each year, and the three-year total (年均 × 3 by the deadline)."""

    route: str
    annual_target: int
    years: tuple[RouteYear, ...]
    three_year_target: int
    cumulative: int | None  # runs since the plan's first month up to as-of
    expected_cumulative: float
    ratio_cumulative: float | None
    remaining_months_3y: int
    required_monthly_3y: float | None  # runs per remaining month to reach 3 × target
    light_3y: Light
    monthly: tuple[MonthRuns, ...]  # plan start to as-of, for charts

    def year(self, year: int) -> RouteYear:
        for item in self.years:
            if item.year == year:
                return item
        raise KeyError(year)

    def totals_json(self) -> dict:
        return {
            "route": self.route,
            "three_year_target": self.three_year_target,
            "cumulative": self.cumulative,
            "expected_cumulative": self.expected_cumulative,
            "ratio": self.ratio_cumulative,
            "remaining_months": self.remaining_months_3y,
            "required_monthly_3y": self.required_monthly_3y,
            "level": self.light_3y.level,
            "explanation": self.light_3y.text,
        }


@dataclass(frozen=True)
class NewLine:
    """A line not in the plan (增开新线路): shown with its runs, no target, no light."""

    route: str
    first_month: Month
    total: int  # all runs up to as-of
    ytd: int  # runs in the as-of year
    monthly: tuple[MonthRuns, ...]

    def to_json(self) -> dict:
        return {
            "route": self.route,
            "first_month": str(self.first_month),
            "total": self.total,
            "ytd": self.ytd,
            "monthly": [{"month": str(r.month), "runs": r.runs} for r in self.monthly],
        }


@dataclass(frozen=True)
class IndicatorStatus:
    """One 附件1 indicator in one plan year."""

    no: int
    name: str
    year: int
    kind: str
    unit: str
    target_text: str
    target: float | None
    evaluated_at: Month | None
    actual: float | None
    actual_month: Month | None
    expected: float | None  # 序时进度 (flow, level); the target itself for floor and band
    baseline: float | None  # level: B
    baseline_source: str
    ratio: float | None
    deviation: float | None  # band: |actual − T| in points
    light: Light
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    parts: tuple[RouteYear, ...] = ()  # composite: the routes
    register_count: int | None = None  # 7 and 8: the register's count at evaluated_at

    @property
    def title(self) -> str:
        return f"指标{self.no} {self.name}（{self.year}年）"

    def to_json(self) -> dict:
        data = {
            "no": self.no,
            "name": self.name,
            "year": self.year,
            "kind": self.kind,
            "unit": self.unit,
            "target_text": self.target_text,
            "target": self.target,
            "evaluated_at": _m(self.evaluated_at),
            "actual": self.actual,
            "actual_month": _m(self.actual_month),
            "expected": self.expected,
            "baseline": self.baseline,
            "baseline_source": self.baseline_source,
            "ratio": self.ratio,
            "deviation": self.deviation,
            "level": self.light.level,
            "explanation": self.light.text,
            "lead": list(self.lead),
            "responsible": list(self.responsible),
            "register_count": self.register_count,
        }
        if self.parts:
            data["parts"] = [p.to_json() for p in self.parts]
        return data


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
            "completed": _m(self.completed),
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


@dataclass(frozen=True)
class UnitReport:
    """One lead or responsible unit of a task: its latest report up to as-of."""

    department: str
    role: str  # lead | responsible
    month: Month | None  # of the report used; None: never reported
    status: str | None
    progress: float | None
    progress_text: str | None
    problems: str | None
    next_steps: str | None
    light: Light

    @property
    def reported(self) -> bool:
        """Whether this unit counts as having reported (not grey 未报送)."""
        return self.light.level != GREY

    def to_json(self) -> dict:
        return {
            "department": self.department,
            "role": self.role,
            "month": _m(self.month),
            "status": self.status,
            "progress": self.progress,
            "progress_text": self.progress_text,
            "problems": self.problems,
            "next_steps": self.next_steps,
            "level": self.light.level,
            "explanation": self.light.text,
        }


@dataclass(frozen=True)
class TaskStatus:
    """One 附件2 task: each unit's latest report and the task's light."""

    no: int
    name: str
    group: int
    text: str
    light: Light
    units: tuple[UnitReport, ...]

    @property
    def title(self) -> str:
        return f"任务{self.no} {self.name}"

    def unit(self, department: str) -> UnitReport:
        for unit in self.units:
            if unit.department == department:
                return unit
        raise KeyError(department)

    @property
    def lead(self) -> tuple[str, ...]:
        return tuple(u.department for u in self.units if u.role == "lead")

    def to_json(self) -> dict:
        return {
            "no": self.no,
            "name": self.name,
            "group": self.group,
            "level": self.light.level,
            "explanation": self.light.text,
            "units": [u.to_json() for u in self.units],
        }


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
            "month": _m(self.month),
            "expected": self.expected,
            "ratio": self.ratio,
            "deviation": self.deviation,
            "level": self.light.level,
            "explanation": self.light.text,
            "task": self.task,
        }


@dataclass(frozen=True)
class RegisterMonth:
    """The registers' counts as of the end of one month (None: register absent)."""

    month: Month
    warehouses: int | None
    forwarders: int | None
    global_forwarders: int | None

    def to_json(self) -> dict:
        return {
            "month": str(self.month),
            "warehouses": self.warehouses,
            "forwarders": self.forwarders,
            "global_forwarders": self.global_forwarders,
        }


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
    route_leads: tuple[str, ...] = ()

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
        for r in self.current_routes():
            out.append(("route", f"route:{r.route}:{r.year}", f"{r.route}（{r.year}年）", r.light, self.route_leads))
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


def _m(month: Month | None) -> str | None:
    return str(month) if month is not None else None


# --- reading the version's tables ---------------------------------------------


def _native(value):
    """A cell as a plain Python value; None for every flavour of missing."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def records(frame) -> list[dict]:
    """A typed table's rows as dicts of plain values (empty for None or no rows)."""
    if frame is None or len(frame) == 0:
        return []
    names = list(frame.columns)
    return [dict(zip(names, row)) for row in zip(*(_plain(frame[name]) for name in names))]


def _column(frame, name: str) -> list:
    """One column of a typed table as plain values (empty when absent)."""
    if frame is None or len(frame) == 0 or name not in frame.columns:
        return []
    return _plain(frame[name])


def column_values(frame, names) -> list[list]:
    """Columns of a typed table as lists of plain values; an absent column is all None (as records' .get)."""
    return [_plain(frame[name]) if name in frame.columns else [None] * len(frame) for name in names]


# Column dtypes whose tolist() already gives plain Python values (missing cells aside).
_PLAIN_KINDS = frozenset("biuf")
_PLAIN_DTYPES = frozenset(("str", "string", "Int8", "Int16", "Int32", "Int64", "boolean", "Float64"))


def _plain(column) -> list:
    """A column's cells as plain Python values, None for every flavour of missing.

    Whole columns at a time where the dtype allows: cell by cell (_native) took
    most of a cold page's run on a full three-year workbook."""
    dtype = column.dtype
    if getattr(dtype, "kind", "O") not in _PLAIN_KINDS and str(dtype) not in _PLAIN_DTYPES:
        return [_native(v) for v in column.tolist()]
    values = column.tolist()
    missing = column.isna().to_numpy()
    if missing.any():
        values = [None if gap else value for value, gap in zip(values, missing.tolist())]
    return values


def _month(value) -> Month | None:
    if value is None:
        return None
    if isinstance(value, Month):
        return value
    return _parse_month(str(value))


@lru_cache(maxsize=4096)
def _parse_month(text: str) -> Month:
    # A table repeats a few dozen months over thousands of rows; Month is immutable.
    return Month.parse(text)


def _upto(rows: list[dict], as_of: Month, column: str = "month") -> list[dict]:
    """Rows dated up to as-of, each with its month parsed into '_m'."""
    out = []
    for row in rows:
        month = _month(row.get(column))
        if month is not None and month <= as_of:
            out.append({**row, "_m": month})
    return out


def default_as_of(data: VersionData, fallback: Month = FIRST_MONTH) -> Month:
    """The latest 统计期/月份 in the version (indicators, routes, tasks, goals)."""
    months = [
        _month(value)
        for key in ("indicators", "routes", "tasks", "goals")
        for value in _column(data.table(key), "month")
    ]
    months = [m for m in months if m is not None]
    return max(months) if months else fallback


# --- computing ------------------------------------------------------------------


def compute_status(plan: Plan, data: VersionData, as_of: Month) -> Status:
    """Every light of the version at the as-of month (design: status rules)."""
    current_year = min(max(as_of.year, plan.first_year), plan.last_year)
    # Routes answer to the lead of the composite indicator they make up (附件1 序号6).
    route_leads = next((i.lead for i in plan.indicators if i.kind == "composite"), ())
    routes, new_lines = _routes(plan, records(data.routes), as_of)
    registers = _registers(records(data.warehouses), records(data.forwarders), as_of)
    indicators = _indicators(plan, records(data.indicators), routes, registers, as_of)
    return Status(
        version=data.version,
        as_of=as_of,
        current_year=current_year,
        indicators=indicators,
        routes=routes,
        new_lines=new_lines,
        fleet=_fleet(plan, records(data.ships), as_of),
        tasks=_tasks(plan, records(data.tasks), as_of),
        goals=_goals(plan, records(data.goals), as_of),
        registers=registers,
        route_leads=route_leads,
    )


def _evaluation_month(year: int, as_of: Month) -> Month | None:
    """December for a past year, as-of for the as-of year, None for a later year."""
    if year < as_of.year:
        return Month(year, 12)
    if year == as_of.year:
        return as_of
    return None


def _not_started(year: int) -> Light:
    return _arrow(f"{year}年尚未开始", GREY, NOT_STARTED)


def _no_data(month: Month) -> Light:
    return _arrow(f"截至{month.label}无数据", GREY, PENDING)


def _plan_months(plan: Plan) -> int:
    return plan.deadline - plan.start + 1


def _elapsed(plan: Plan, as_of: Month) -> int:
    """Plan months elapsed at the end of as-of: (Y − 2025) × 12 + m, within 0…36."""
    return min(max(as_of - plan.start + 1, 0), _plan_months(plan))


_MEASURE = re.compile(r"正文第(\d+)条")


def _measure_leads(plan: Plan, source: str) -> tuple[str, ...]:
    """The lead units of the tasks implementing the body-text measure a source cites."""
    match = _MEASURE.search(source)
    if not match:
        return ()
    measure = int(match.group(1))
    leads: list[str] = []
    for task in plan.tasks:
        if task.measure == measure:
            leads.extend(u for u in task.lead if u not in leads)
    return tuple(leads)


def _ratio_light(expected: float, actual: float, th: Thresholds, *, prefix: str = "", actual_note: str = "",
                 expected_note: str = "", actual_word: str = "实际") -> tuple[float | None, Light]:
    """'序时进度 1500，实际 1400，完成序时进度 93.3% → 黄灯' and the ratio."""
    head = f"{prefix}序时进度 {fmt(expected, 1)}{expected_note}，{actual_word} {fmt(actual)}{actual_note}"
    if expected <= TOLERANCE:
        return None, _arrow(f"{head}，序时进度为0", GREEN)
    ratio = actual / expected
    return ratio, _arrow(f"{head}，完成序时进度 {fmt_ratio(ratio)}", ratio_level(ratio, th))


# routes


def _routes(plan: Plan, rows: list[dict], as_of: Month) -> tuple[tuple[RouteStatus, ...], tuple[NewLine, ...]]:
    rows = [r for r in _upto(rows, as_of) if r.get("route") is not None]
    plan_names = {r.name for r in plan.routes}
    runs_by_route: dict[str, dict[Month, int]] = {}
    for row in rows:
        runs = row.get("runs")
        by_month = runs_by_route.setdefault(row["route"], {})
        by_month[row["_m"]] = by_month.get(row["_m"], 0) + (int(runs) if runs is not None else 0)

    chart_months = month_range(plan.start, min(as_of, plan.deadline)) if as_of >= plan.start else []
    statuses = []
    for route in plan.routes:
        by_month = runs_by_route.get(route.name, {})
        years = tuple(_route_year(plan, route.name, route.annual_target, by_month, year, as_of) for year in plan.years)
        statuses.append(_route_totals(plan, route.name, route.annual_target, by_month, years, chart_months, as_of))

    new_lines = []
    for name in sorted(n for n in runs_by_route if n not in plan_names):
        by_month = runs_by_route[name]
        first = min(by_month)
        new_lines.append(
            NewLine(
                route=name,
                first_month=first,
                total=sum(by_month.values()),
                ytd=sum(v for m, v in by_month.items() if m.year == as_of.year),
                monthly=tuple(MonthRuns(m, by_month.get(m)) for m in month_range(min(first, as_of), as_of)),
            )
        )
    return tuple(statuses), tuple(new_lines)


def _route_year(plan: Plan, name: str, target: int, by_month: dict[Month, int], year: int, as_of: Month) -> RouteYear:
    """Annual flow (design): expected T × m / 12; projection and catch-up for the year."""
    at = _evaluation_month(year, as_of)
    if at is None:
        return RouteYear(name, year, target, None, None, None, None, None, None, 12, None, _not_started(year))
    months = [m for m in by_month if m.year == year and m <= at]
    m = at.month
    expected = target * m / 12
    remaining = 12 - m
    if not months:
        required = target / remaining if remaining else None
        return RouteYear(name, year, target, at, None, None, expected, None, None, remaining, required, _no_data(at))
    actual = sum(by_month[mm] for mm in months)
    last = max(months)
    note = f"（数据截至{last.label}）" if last < at else ""
    ratio, light = _ratio_light(expected, actual, plan.thresholds, actual_note=note)
    projected = actual * 12 / m
    required = max(target - actual, 0) / remaining if remaining else None
    return RouteYear(name, year, target, at, actual, last, expected, ratio, projected, remaining, required, light)


def _route_totals(plan: Plan, name: str, target: int, by_month: dict[Month, int], years: tuple[RouteYear, ...],
                  chart_months: list[Month], as_of: Month) -> RouteStatus:
    """The plan's figures are 年均: three years together must reach 3 × T by the deadline."""
    total_target = target * len(plan.years)
    elapsed = _elapsed(plan, as_of)
    expected = total_target * elapsed / _plan_months(plan)
    remaining = max(plan.deadline - as_of, 0) if as_of >= plan.start else _plan_months(plan)
    in_plan = [m for m in by_month if plan.start <= m <= min(as_of, plan.deadline)]
    cumulative = sum(by_month[m] for m in in_plan) if in_plan else None
    done = cumulative or 0
    required = max(total_target - done, 0) / remaining if remaining else None
    if cumulative is None:
        ratio, light = None, _no_data(as_of)
    else:
        ratio, light = _ratio_light(
            expected, cumulative, plan.thresholds, prefix=f"三年累计目标 {total_target}，",
            expected_note=f"（{elapsed}/{_plan_months(plan)}个月）",
        )
    return RouteStatus(
        route=name,
        annual_target=target,
        years=years,
        three_year_target=total_target,
        cumulative=cumulative,
        expected_cumulative=expected,
        ratio_cumulative=ratio,
        remaining_months_3y=remaining,
        required_monthly_3y=required,
        light_3y=light,
        monthly=tuple(MonthRuns(m, by_month.get(m)) for m in chart_months),
    )


# registers


def _registers(warehouses: list[dict], forwarders: list[dict], as_of: Month) -> tuple[RegisterMonth, ...]:
    """Counts as of each month from the baseline month to as-of (for indicators 7 and 8)."""
    if not warehouses and not forwarders:
        return ()
    opened = [_month(w.get("opened")) for w in warehouses]
    registered = [(_month(f.get("registered")), bool(f.get("global_famous"))) for f in forwarders]
    out = []
    for month in month_range(BASELINE_MONTH, as_of) if as_of >= BASELINE_MONTH else []:
        out.append(
            RegisterMonth(
                month,
                sum(1 for m in opened if m is not None and m <= month) if warehouses else None,
                sum(1 for m, _ in registered if m is not None and m <= month) if forwarders else None,
                sum(1 for m, famous in registered if m is not None and m <= month and famous) if forwarders else None,
            )
        )
    return tuple(out)


# Which register stands beside which indicator (workbook-spec: registers).
_REGISTER_OF_INDICATOR = {7: "warehouses", 8: "forwarders"}


# indicators


def _indicators(plan: Plan, rows: list[dict], routes: tuple[RouteStatus, ...],
                registers: tuple[RegisterMonth, ...], as_of: Month) -> tuple[IndicatorStatus, ...]:
    values: dict[int, dict[Month, float]] = {}
    for row in _upto(rows, as_of):
        if row.get("indicator_no") is None or row.get("value") is None:
            continue
        values.setdefault(int(row["indicator_no"]), {})[row["_m"]] = float(row["value"])
    register_index = {r.month: r for r in registers}
    out = []
    for indicator in plan.indicators:
        for target in indicator.targets:
            status = _indicator_year(plan, indicator, target.year, values.get(indicator.no, {}), routes, as_of)
            register = _REGISTER_OF_INDICATOR.get(indicator.no)
            if register and status.evaluated_at in register_index:
                status = replace(status, register_count=getattr(register_index[status.evaluated_at], register))
            out.append(status)
    return tuple(out)


def _indicator_year(plan: Plan, indicator: Indicator, year: int, values: dict[Month, float],
                    routes: tuple[RouteStatus, ...], as_of: Month) -> IndicatorStatus:
    th = plan.thresholds
    target = indicator.target(year)
    at = _evaluation_month(year, as_of)
    base = dict(
        no=indicator.no, name=indicator.name, year=year, kind=indicator.kind, unit=indicator.unit,
        target_text=target.text, target=target.value, evaluated_at=at, actual=None, actual_month=None,
        expected=None, baseline=None, baseline_source="", ratio=None, deviation=None,
        lead=indicator.lead, responsible=indicator.responsible,
    )
    if indicator.kind == "composite":
        # 附件1 序号6: the worst of the three routes, so one behind cannot hide behind two ahead.
        parts = tuple(r.year(year) for r in routes)
        if at is None:
            return IndicatorStatus(**base, light=_not_started(year), parts=parts)
        level = worst_of(p.light.level for p in parts)
        described = "，".join(_part_text(p) for p in parts)
        reason = PENDING if level == GREY else ""
        return IndicatorStatus(**base, light=_arrow(f"取各线路最差：{described}", level, reason), parts=parts)
    if at is None:
        return IndicatorStatus(**base, light=_not_started(year))

    in_year = [m for m in values if m.year == year and m <= at]
    if not in_year:
        return IndicatorStatus(**base, light=_no_data(at))
    month = max(in_year)
    actual = values[month]
    base.update(actual=actual, actual_month=month)
    note = f"（{month.label}）" if month < at else ""
    pct = "%" if indicator.is_percent else ""
    t = target.value

    if indicator.kind == "annual_flow":
        expected = t * at.month / 12
        ratio, light = _ratio_light(expected, actual, th, actual_note=note)
        return IndicatorStatus(**{**base, "expected": expected, "ratio": ratio}, light=light)
    if indicator.kind == "level":
        b, source = _baseline(indicator, year, values)
        expected = b + (t - b) * at.month / 12
        ratio, light = _ratio_light(
            expected, actual, th, actual_note=note, expected_note=f"（基数 {fmt(b)}，取{source}）",
        )
        return IndicatorStatus(
            **{**base, "expected": expected, "baseline": b, "baseline_source": source, "ratio": ratio}, light=light,
        )
    if indicator.kind == "floor":
        level = floor_level(actual, t, th)
        bound = t if level == GREEN else th.floor_yellow_share * t
        sign = "<" if level == RED else "≥"
        body = f"目标 {target.text}，实际 {fmt(actual)}{pct}{note}（{sign} {fmt(bound)}{pct}）"
        return IndicatorStatus(**{**base, "expected": t}, light=_arrow(body, level))
    if indicator.kind == "band":
        deviation = abs(actual - t)
        body = f"目标 {target.text}，实际 {fmt(actual)}{pct}{note}，偏离 {fmt(deviation)} 个百分点"
        return IndicatorStatus(**{**base, "expected": t, "deviation": deviation},
                               light=_arrow(body, band_level(deviation, th)))
    raise ValueError(f"unknown indicator kind {indicator.kind!r}")


def _baseline(indicator: Indicator, year: int, values: dict[Month, float]) -> tuple[float, str]:
    """Design (level): B is the value for December of Y−1, else the target of Y−1, else T."""
    december = Month(year - 1, 12)
    if december in values:
        return values[december], f"{december.label}实际值"
    try:
        return indicator.target(year - 1).value, f"{year - 1}年目标"
    except KeyError:
        return indicator.target(year).value, f"本年目标，无{december.label}数据"


def _part_text(part: RouteYear) -> str:
    if part.actual_ytd is None:
        return f"{part.route} 无数据 {LEVELS[part.light.level].name}"
    return f"{part.route} {fmt(part.actual_ytd)}/{fmt(part.expected_ytd, 1)} {LEVELS[part.light.level].name}"


# fleet


def _fleet(plan: Plan, rows: list[dict], as_of: Month) -> tuple[FleetStatus, ...]:
    """Deadline count (design): expected T × elapsed / 36; a ship completed after as-of is in progress."""
    elapsed = _elapsed(plan, as_of)
    total = _plan_months(plan)
    leads_by_category = {f.category: _measure_leads(plan, f.source) for f in plan.fleet}
    out = []
    for item in plan.fleet:
        ships = []
        for row in rows:
            if row.get("category") != item.category:
                continue
            completed = _month(row.get("completed"))
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
        expected = item.target * elapsed / total
        ratio, light = _ratio_light(
            expected, done, plan.thresholds, actual_word="已完成",
            expected_note=f"（{item.target}{item.unit} × {elapsed}/{total}个月）",
        )
        out.append(FleetStatus(item.category, item.target, item.at_least, item.unit, done, in_progress, planned,
                               expected, ratio, light, tuple(ships), leads_by_category[item.category]))
    return tuple(out)


# tasks


def _tasks(plan: Plan, rows: list[dict], as_of: Month) -> tuple[TaskStatus, ...]:
    latest: dict[tuple[int, str], dict] = {}
    for row in _upto(rows, as_of):
        if row.get("task_no") is None or row.get("department") is None:
            continue
        key = (int(row["task_no"]), row["department"])
        if key not in latest or row["_m"] > latest[key]["_m"]:
            latest[key] = row
    return tuple(_task(task, latest, as_of) for task in plan.tasks)


def _unit(department: str, role: str, row: dict | None, as_of: Month) -> UnitReport:
    """Design (tasks): 已完成 → green whenever reported; else the as-of month's report maps
    序时推进 → green, 未启动 → yellow, 滞后 → red; no report for the as-of month → grey."""
    if row is None:
        light = _arrow(f"截至{as_of.label}无报送", GREY, NOT_REPORTED)
        return UnitReport(department, role, None, None, None, None, None, None, light)
    month, status = row["_m"], row.get("status")
    if status == TASK_DONE:
        light = _arrow(f"{month.label}报送“{TASK_DONE}”", GREEN)
    elif month == as_of and status in TASK_STATUS_LEVELS:
        light = _arrow(f"{month.label}报送“{status}”", TASK_STATUS_LEVELS[status])
    elif month == as_of:
        light = _arrow(f"{month.label}报送的状态“{status}”无法识别", GREY, NOT_REPORTED)
    else:
        light = _arrow(f"最近一次为{month.label}报送“{status}”，{as_of.label}未报送", GREY, NOT_REPORTED)
    progress = row.get("progress")
    return UnitReport(department, role, month, status, float(progress) if progress is not None else None,
                      row.get("progress_text"), row.get("problems"), row.get("next_steps"), light)


def _task(task: Task, latest: dict[tuple[int, str], dict], as_of: Month) -> TaskStatus:
    """Design: worst over lead units and the responsible units that reported."""
    units = tuple(
        _unit(dept, role, latest.get((task.no, dept)), as_of)
        for role, depts in (("lead", task.lead), ("responsible", task.responsible))
        for dept in depts
    )
    counted = [u for u in units if u.role == "lead" or u.reported]
    level = worst_of(u.light.level for u in counted)
    described = "，".join(f"{u.department} {u.light.label}" for u in counted)
    body = f"取牵头单位和已报送责任单位中最差：{described}"
    skipped = [u.department for u in units if u not in counted]
    if skipped:
        body += f"；{'、'.join(skipped)}未报送，不计入"
    light = _arrow(body, level, NOT_REPORTED if level == GREY else "")
    return TaskStatus(task.no, task.name, task.group, task.text, light, units)


# goals


def _goals(plan: Plan, rows: list[dict], as_of: Month) -> tuple[GoalStatus, ...]:
    latest: dict[str, dict] = {}
    for row in _upto(rows, as_of):
        key = row.get("goal")
        if key is None or row.get("value") is None:
            continue
        if key not in latest or row["_m"] > latest[key]["_m"]:
            latest[key] = row
    out = []
    for goal in plan.goals:
        leads = plan.task(goal.task).lead if goal.task is not None else ()
        out.append(_goal(plan, goal, latest.get(goal.key), as_of, leads))
    return tuple(out)


def _goal_target_text(goal: Goal) -> str:
    value = fmt(goal.target) + (f"—{fmt(goal.max)}" if goal.max is not None else "")
    return f"{value}{goal.unit}{'以上' if goal.at_least else ''}"


def _goal(plan: Plan, goal: Goal, row: dict | None, as_of: Month, leads: tuple[str, ...]) -> GoalStatus:
    th = plan.thresholds
    base = dict(key=goal.key, name=goal.name, kind=goal.kind, unit=goal.unit, text=goal.text, target=goal.target,
                max=goal.max, value=None, month=None, expected=None, ratio=None, deviation=None, task=goal.task,
                lead=leads)
    if row is None:
        return GoalStatus(**base, light=_no_data(as_of))
    value, month = float(row["value"]), row["_m"]
    base.update(value=value, month=month)
    note = f"（{month.label}）" if month < as_of else ""
    unit = goal.unit
    deadline = plan.deadline

    if goal.kind == "cumulative":
        elapsed, total = _elapsed(plan, as_of), _plan_months(plan)
        expected = goal.target * elapsed / total
        ratio, light = _ratio_light(expected, value, th, actual_note=note,
                                    expected_note=f"（{fmt(goal.target)}{unit} × {elapsed}/{total}个月）")
        return GoalStatus(**{**base, "expected": expected, "ratio": ratio}, light=light)
    if goal.kind == "floor":
        level = floor_level(value, goal.target, th)
        bound = goal.target if level == GREEN else th.floor_yellow_share * goal.target
        sign = "<" if level == RED else "≥"
        body = f"目标 {_goal_target_text(goal)}，实际 {fmt(value)}{unit}{note}（{sign} {fmt(bound)}{unit}）"
        return GoalStatus(**{**base, "expected": goal.target}, light=_arrow(body, level))
    if goal.kind == "band":
        deviation = abs(value - goal.target)
        body = f"目标 {fmt(goal.target)}{unit}左右，实际 {fmt(value)}{unit}{note}，偏离 {fmt(deviation)} 个百分点"
        return GoalStatus(**{**base, "expected": goal.target, "deviation": deviation},
                          light=_arrow(body, band_level(deviation, th)))
    if goal.kind == "rank":
        # Smaller is better; like a milestone, falling short is yellow until the deadline passes.
        head = f"目标 全市第{fmt(goal.target)}名，实际 第{fmt(value)}名{note}"
        if value <= goal.target + TOLERANCE:
            return GoalStatus(**{**base, "expected": goal.target}, light=_arrow(head, GREEN))
        return GoalStatus(**{**base, "expected": goal.target}, light=_short_of_deadline(head, as_of, deadline))
    if goal.kind == "milestone":
        if _at_least(value, 1):
            return GoalStatus(**base, light=_arrow(f"{month.label}已实现", GREEN))
        return GoalStatus(**base, light=_short_of_deadline(f"尚未实现{note}", as_of, deadline))
    raise ValueError(f"unknown goal kind {goal.kind!r}")


def _short_of_deadline(head: str, as_of: Month, deadline: Month) -> Light:
    """Not achieved yet: yellow before the deadline month, red from it on."""
    if as_of < deadline:
        return _arrow(f"{head}，期限{deadline.label}未到", YELLOW)
    return _arrow(f"{head}，期限{deadline.label}已到", RED)


# --- one department's view ------------------------------------------------------


@dataclass(frozen=True)
class DepartmentTask:
    """A task seen from one of its units: the task's light and this unit's report."""

    task: TaskStatus
    report: UnitReport

    @property
    def role(self) -> str:
        return self.report.role

    def to_json(self) -> dict:
        return {
            "no": self.task.no,
            "name": self.task.name,
            "role": self.role,
            "task_level": self.task.light.level,
            "task_explanation": self.task.light.text,
            **{k: v for k, v in self.report.to_json().items() if k not in ("department", "role")},
        }


@dataclass(frozen=True)
class Missing:
    """Something a department has not reported for the as-of month."""

    section: str  # task | indicator
    no: int
    title: str
    role: str
    why: str

    def to_json(self) -> dict:
        return {"section": self.section, "no": self.no, "title": self.title, "role": self.role, "why": self.why}


@dataclass(frozen=True)
class DepartmentStatus:
    """One department's tasks (lead and responsible), indicators, gaps and alerts."""

    department: str
    as_of: Month
    led_tasks: tuple[DepartmentTask, ...]
    supported_tasks: tuple[DepartmentTask, ...]
    led_indicators: tuple[IndicatorStatus, ...]
    supported_indicators: tuple[IndicatorStatus, ...]
    missing: tuple[Missing, ...]
    alerts: tuple[Alert, ...]

    def counts(self) -> dict[str, int]:
        """Lights of this unit's own task reports and of the indicators it leads."""
        own = [t.report.light.level for t in self.led_tasks + self.supported_tasks]
        return count(own + [i.light.level for i in self.led_indicators])

    def to_json(self) -> dict:
        return {
            "department": self.department,
            "as_of": str(self.as_of),
            "counts": self.counts(),
            "led_tasks": [t.to_json() for t in self.led_tasks],
            "supported_tasks": [t.to_json() for t in self.supported_tasks],
            "led_indicators": [i.to_json() for i in self.led_indicators],
            "supported_indicators": [i.to_json() for i in self.supported_indicators],
            "missing": [m.to_json() for m in self.missing],
            "alerts": [a.to_json() for a in self.alerts],
        }


def department_status(status: Status, plan: Plan, department: str) -> DepartmentStatus:
    """One department's view (?dept=…), red and yellow first; a name or alias is accepted."""
    name = plan.resolve_department(department)
    if name is None:
        raise YzlogiError(f"计划中没有部门“{department}”")

    def tasks_of(role: str) -> tuple[DepartmentTask, ...]:
        items = [
            DepartmentTask(t, t.unit(name)) for t in status.tasks
            if any(u.department == name and u.role == role for u in t.units)
        ]
        return tuple(sorted(items, key=lambda d: (sort_key(d.report.light.level), sort_key(d.task.light.level),
                                                  d.task.no)))

    led, supported = tasks_of("lead"), tasks_of("responsible")
    current = status.current_indicators()
    led_ind = tuple(sorted((i for i in current if name in i.lead), key=lambda i: (sort_key(i.light.level), i.no)))
    sup_ind = tuple(sorted((i for i in current if name in i.responsible),
                           key=lambda i: (sort_key(i.light.level), i.no)))

    missing = [
        Missing("task", d.task.no, d.task.title, d.role, d.report.light.text)
        for d in sorted(led + supported, key=lambda d: d.task.no) if not d.report.reported
    ]
    missing += [
        Missing("indicator", i.no, i.title, "lead", i.light.text)
        for i in sorted(led_ind, key=lambda i: i.no) if i.light.reason == PENDING
    ]

    # A lead answers for its task's light; a responsible unit for its own report.
    alerts = [
        Alert("task", f"task:{d.task.no}", f"{d.task.title}（牵头）", d.task.light.level, d.task.light.text, (name,))
        for d in led if d.task.light.level in (RED, YELLOW)
    ]
    alerts += [
        Alert("task", f"task:{d.task.no}", f"{d.task.title}（{ROLE_LABELS[d.role]}）", d.report.light.level,
              d.report.light.text, (name,))
        for d in supported if d.report.light.level in (RED, YELLOW)
    ]
    for alert in status.exceptions():
        if alert.section != "task" and name in alert.departments:
            alerts.append(alert)
    alerts.sort(key=lambda a: (sort_key(a.level), SECTIONS.index(a.section)))
    return DepartmentStatus(name, status.as_of, led, supported, led_ind, sup_ind, tuple(missing), tuple(alerts))


__all__ = [
    "Alert", "DepartmentStatus", "DepartmentTask", "FleetStatus", "GoalStatus", "IndicatorStatus", "Light",
    "Missing", "MonthRuns", "NewLine", "RegisterMonth", "RouteStatus", "RouteYear", "ShipState", "Status",
    "TaskStatus", "UnitReport", "compute_status", "default_as_of", "department_status", "records",
]
