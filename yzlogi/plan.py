"""The plan as frozen dataclasses, loaded from data/plan.toml and checked.

The plan (targets, tasks, units, aliases, thresholds) is reference data kept in
the repository. Loading checks it whole: every unit named exists, every task has
a lead, every target's verbatim text parses to the typed meaning stored beside
it. A broken file raises PlanError naming the problem, and the app stops on it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from yzlogi.errors import PlanError
from yzlogi.months import Month
from yzlogi.text import fold

ROOT = Path(__file__).resolve().parent.parent
PLAN_PATH = ROOT / "data" / "plan.toml"

INDICATOR_KINDS = ("band", "floor", "annual_flow", "level", "composite")
GOAL_KINDS = ("cumulative", "floor", "band", "rank", "milestone")
KIND_LABELS = {
    "band": "区间（左右）",
    "floor": "下限（以上）",
    "annual_flow": "年度流量",
    "level": "存量水平",
    "composite": "组合（取最差）",
    "cumulative": "三年累计",
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
class Route:
    name: str
    annual_target: int
    unit: str
    synonyms: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class FleetCategory:
    category: str
    target: int
    at_least: bool
    unit: str
    text: str
    source: str
    synonyms: tuple[str, ...] = ()


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
        """Whether the body text names other units than 附件2 for this task."""
        return set(self.body_lead) != set(self.lead) or set(self.body_support) != set(
            self.responsible
        )


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
    at_least: bool = False
    max: float | None = None


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
    _department_index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _route_index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _goal_index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _fleet_index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    @property
    def start(self) -> Month:
        return Month(self.first_year, 1)

    @property
    def deadline(self) -> Month:
        return Month(self.last_year, 12)

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

    def to_json(self) -> dict:
        """The plan as plain JSON data (python -m yzlogi plan --json)."""
        return {
            "title": self.title,
            "document_no": self.document_no,
            "issued": self.issued,
            "years": list(self.years),
            "thresholds": vars(self.thresholds),
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
                    "aliases": list(g.aliases),
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


# --- target text ------------------------------------------------------------

_NUMBER = r"(\d+(?:\.\d+)?)"
_UNIT = r"(%|家|个|艘|班次|亿元)"
_AROUND = re.compile(rf"^维持在{_NUMBER}{_UNIT}左右$")
_AT_LEAST = re.compile(rf"^{_NUMBER}{_UNIT}以上$")
_EXACT = re.compile(rf"^{_NUMBER}{_UNIT}$")
_ROUTE_PART = re.compile(r"“([^”]+)”年均开行(\d+)班次")
# A number with a unit inside running text ("新增4艘以上海运船舶", "引进1—2家…").
_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)(?:[—\-－~～](\d+(?:\.\d+)?))?(%|家|个|艘|亿元)(以上)?")


@dataclass(frozen=True)
class ParsedTarget:
    """What a target cell of 附件1 says, read from its words alone."""

    form: str  # around | at_least | exact | routes
    value: float | None
    unit: str
    parts: tuple[tuple[str, int], ...] = ()


def parse_target_text(text: str) -> ParsedTarget:
    """Read a 附件1 target cell: 维持在10%左右, 5%以上, 2家, 26个, or the route runs."""
    compact = "".join(text.split())
    if match := _AROUND.match(compact):
        return ParsedTarget("around", float(match.group(1)), match.group(2))
    if match := _AT_LEAST.match(compact):
        return ParsedTarget("at_least", float(match.group(1)), match.group(2))
    if match := _EXACT.match(compact):
        return ParsedTarget("exact", float(match.group(1)), match.group(2))
    parts = tuple((name, int(runs)) for name, runs in _ROUTE_PART.findall(compact))
    if parts and "".join(_ROUTE_PART.sub("", compact).split("，")) == "":
        return ParsedTarget("routes", None, "班次", parts)
    raise ValueError(f"无法解析的目标表述：“{text}”")


def parse_quantity_in_text(text: str) -> tuple[float, float | None, str, bool] | None:
    """The first number-with-unit in running text: (value, top of range, unit, 以上)."""
    match = _IN_TEXT.search(text)
    if not match:
        return None
    top = float(match.group(2)) if match.group(2) else None
    return float(match.group(1)), top, match.group(3), bool(match.group(4))


_FORM_OF_KIND = {
    "band": "around",
    "floor": "at_least",
    "annual_flow": "exact",
    "level": "exact",
    "composite": "routes",
}


# --- loading and checking -----------------------------------------------------


def load_plan(path: Path | str | None = None) -> Plan:
    """Load and check the plan file; raise PlanError naming what is wrong."""
    path = Path(path) if path is not None else PLAN_PATH
    if path == PLAN_PATH:
        return _load_default()
    return _load(path)


@lru_cache(maxsize=1)
def _load_default() -> Plan:
    return _load(PLAN_PATH)


def _load(path: Path) -> Plan:
    where = _display_path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"找不到计划数据文件 {where}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError(f"计划数据文件 {where} 格式错误：{exc}") from None
    try:
        plan = _build(raw)
    except PlanError as exc:
        raise PlanError(f"计划数据文件 {where}：{exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanError(f"计划数据文件 {where} 缺少或写错了字段：{exc}") from None
    problems = check_plan(plan)
    if problems:
        listing = "；".join(problems)
        raise PlanError(f"计划数据文件 {where} 有误：{listing}")
    return plan


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _build(raw: dict) -> Plan:
    meta = raw["plan"]
    departments = tuple(
        Department(d["name"], d["short"], tuple(d.get("aliases", ())), bool(d.get("group", False)))
        for d in raw["departments"]
    )
    routes = tuple(
        Route(r["name"], int(r["annual_target"]), r["unit"], tuple(r.get("synonyms", ())), r["source"])
        for r in raw["routes"]
    )
    fleet = tuple(
        FleetCategory(
            f["category"], int(f["target"]), bool(f["at_least"]), f["unit"], f["text"], f["source"],
            tuple(f.get("synonyms", ())),
        )
        for f in raw["fleet"]
    )
    indicators = []
    for i in raw["indicators"]:
        kind = i["kind"]
        targets = tuple(
            Target(
                year=int(t["year"]),
                text=t["text"],
                kind=kind,
                value=float(t["value"]) if "value" in t else None,
                unit=t["unit"],
                parts=tuple((str(name), int(runs)) for name, runs in t.get("parts", ())),
            )
            for t in i["targets"]
        )
        indicators.append(
            Indicator(
                no=int(i["no"]),
                name=i["name"],
                unit=i["unit"],
                kind=kind,
                lead=tuple(i["lead"]),
                responsible=tuple(i["responsible"]),
                source=i["source"],
                targets=targets,
            )
        )
    groups = tuple(Group(int(g["no"]), g["name"], g["label"]) for g in raw["groups"])
    tasks = tuple(
        Task(
            no=int(t["no"]),
            group=int(t["group"]),
            name=t["name"],
            text=t["text"],
            lead=tuple(t["lead"]),
            responsible=tuple(t["responsible"]),
            measure=int(t["measure"]),
            measure_name=t["measure_name"],
            body_lead=tuple(t["body_lead"]),
            body_support=tuple(t["body_support"]),
            source=t["source"],
        )
        for t in raw["tasks"]
    )
    goals = tuple(
        Goal(
            key=g["key"],
            name=g["name"],
            aliases=tuple(g.get("aliases", ())),
            kind=g["kind"],
            target=float(g["target"]),
            unit=g["unit"],
            text=g["text"],
            source=g["source"],
            task=int(g["task"]) if "task" in g else None,
            at_least=bool(g.get("at_least", False)),
            max=float(g["max"]) if "max" in g else None,
        )
        for g in raw.get("goals", ())
    )
    discrepancies = tuple(
        Discrepancy(
            d["title"], d["body"], d["annex"], d["source"],
            tuple(d.get("tasks", ())), tuple(d.get("indicators", ())),
        )
        for d in raw.get("discrepancies", ())
    )
    th = raw["thresholds"]
    return Plan(
        title=meta["title"],
        short_title=meta["short_title"],
        document_no=meta["document_no"],
        issued=meta["issued"],
        issuer=meta["issuer"],
        first_year=int(meta["first_year"]),
        last_year=int(meta["last_year"]),
        thresholds=Thresholds(
            float(th["green_ratio"]),
            float(th["yellow_ratio"]),
            float(th["floor_yellow_share"]),
            float(th["band_green_points"]),
            float(th["band_yellow_points"]),
        ),
        departments=departments,
        routes=routes,
        fleet=fleet,
        indicators=tuple(indicators),
        groups=groups,
        tasks=tasks,
        goals=goals,
        discrepancies=discrepancies,
        _department_index=_index(
            ((d.name, (d.name, d.short, *d.aliases)) for d in departments), "部门"
        ),
        _route_index=_index(((r.name, (r.name, *r.synonyms)) for r in routes), "线路"),
        _goal_index=_index(((g.key, (g.name, *g.aliases)) for g in goals), "其他目标"),
        _fleet_index=_index(((f.category, (f.category, *f.synonyms)) for f in fleet), "船舶类别"),
    )


def _index(entries, what: str) -> dict[str, str]:
    """Folded name/alias → canonical name; an alias claimed twice is an error."""
    index: dict[str, str] = {}
    for canonical, names in entries:
        for name in names:
            key = fold(name)
            if index.get(key, canonical) != canonical:
                raise PlanError(f"{what}别名“{name}”同时指向“{index[key]}”和“{canonical}”")
            index[key] = canonical
    return index


def check_plan(plan: Plan) -> list[str]:
    """Every inconsistency in a loaded plan, as Chinese sentences (empty when sound)."""
    problems: list[str] = []
    th = plan.thresholds
    if not 0 < th.yellow_ratio <= th.green_ratio:
        problems.append("阈值应满足 0 < yellow_ratio ≤ green_ratio")
    if not 0 < th.band_green_points <= th.band_yellow_points:
        problems.append("阈值应满足 0 < band_green_points ≤ band_yellow_points")
    if plan.first_year > plan.last_year:
        problems.append("first_year 晚于 last_year")

    names = [d.name for d in plan.departments]
    known = set(names)
    if len(known) != len(names):
        problems.append("部门名称重复")

    def check_units(owner: str, role: str, units: tuple[str, ...]) -> None:
        for unit in units:
            if unit not in known:
                problems.append(f"{owner}的{role}“{unit}”不在部门名单中")
        if len(set(units)) != len(units):
            problems.append(f"{owner}的{role}有重复")

    years = set(plan.years)
    route_targets = {r.name: r.annual_target for r in plan.routes}
    nos = [i.no for i in plan.indicators]
    if nos != list(range(1, len(nos) + 1)):
        problems.append(f"指标编号应从1起连续，实为 {nos}")
    for indicator in plan.indicators:
        owner = f"指标{indicator.no}"
        if indicator.kind not in INDICATOR_KINDS:
            problems.append(f"{owner}的类型“{indicator.kind}”未定义")
        if not indicator.lead:
            problems.append(f"{owner}没有牵头单位")
        check_units(owner, "牵头单位", indicator.lead)
        check_units(owner, "责任单位", indicator.responsible)
        if {t.year for t in indicator.targets} != years or len(indicator.targets) != len(years):
            problems.append(f"{owner}应有 {sorted(years)} 每年一个目标")
        for target in indicator.targets:
            problems.extend(_check_target(owner, indicator, target, route_targets))

    group_nos = {g.no for g in plan.groups}
    task_nos = [t.no for t in plan.tasks]
    if task_nos != list(range(1, len(task_nos) + 1)):
        problems.append(f"任务编号应从1起连续，实为 {task_nos}")
    for task in plan.tasks:
        owner = f"任务{task.no}"
        if not task.lead:
            problems.append(f"{owner}没有牵头单位")
        if task.group not in group_nos:
            problems.append(f"{owner}所属分组 {task.group} 不存在")
        if set(task.lead) & set(task.responsible):
            problems.append(f"{owner}的同一单位既是牵头单位又是责任单位")
        check_units(owner, "牵头单位", task.lead)
        check_units(owner, "责任单位", task.responsible)
        check_units(owner, "正文牵头单位", task.body_lead)
        check_units(owner, "正文配合单位", task.body_support)

    for route in plan.routes:
        if route.annual_target <= 0:
            problems.append(f"线路“{route.name}”的年目标应为正数")
    for item in plan.fleet:
        parsed = parse_quantity_in_text(item.text)
        if parsed is None or parsed[0] != item.target or parsed[2] != item.unit:
            problems.append(f"船舶类别“{item.category}”的目标 {item.target}{item.unit} 与原文“{item.text}”不符")
        elif parsed[3] != item.at_least:
            problems.append(f"船舶类别“{item.category}”的“以上”与原文“{item.text}”不符")

    keys = [g.key for g in plan.goals]
    if len(set(keys)) != len(keys):
        problems.append("其他目标的 key 重复")
    for goal in plan.goals:
        owner = f"其他目标“{goal.name}”"
        if goal.kind not in GOAL_KINDS:
            problems.append(f"{owner}的类型“{goal.kind}”未定义")
        if goal.task is not None and goal.task not in task_nos:
            problems.append(f"{owner}关联的任务{goal.task}不存在")
        if goal.kind in ("cumulative", "floor", "band"):
            parsed = parse_quantity_in_text(goal.text)
            if parsed is None:
                problems.append(f"{owner}的原文“{goal.text}”中找不到数值")
            else:
                value, top, unit, at_least = parsed
                if (value, top, unit, at_least) != (goal.target, goal.max, goal.unit, goal.at_least):
                    problems.append(f"{owner}的目标与原文“{goal.text}”不符")

    for item in plan.discrepancies:
        for no in item.tasks:
            if no not in task_nos:
                problems.append(f"差异“{item.title}”引用的任务{no}不存在")
        for no in item.indicators:
            if no not in nos:
                problems.append(f"差异“{item.title}”引用的指标{no}不存在")
    return problems


def _check_target(owner: str, indicator: Indicator, target: Target, route_targets: dict[str, int]) -> list[str]:
    where = f"{owner} {target.year}年目标“{target.text}”"
    try:
        parsed = parse_target_text(target.text)
    except ValueError as exc:
        return [f"{where}：{exc}"]
    expected_form = _FORM_OF_KIND.get(indicator.kind)
    if parsed.form != expected_form:
        return [f"{where}的写法与类型“{KIND_LABELS.get(indicator.kind, indicator.kind)}”不符"]
    if parsed.unit != target.unit or target.unit != indicator.unit:
        return [f"{where}的单位应为“{indicator.unit}”"]
    if indicator.kind == "composite":
        if parsed.parts != target.parts:
            return [f"{where}与所列分项 {list(target.parts)} 不符"]
        if dict(target.parts) != route_targets:
            return [f"{where}的分项与线路年目标 {route_targets} 不符"]
        return []
    if parsed.value != target.value:
        return [f"{where}与类型值 {target.value} 不符"]
    return []
