"""Reading the plan file: TOML → Plan, checked whole, every fault named by its line.

`load_plan()` reads the file the setting plan_file names (config.PLAN_FILE,
default data/plan.toml); `load_plan_text()` reads a plan kept as text (a version's own
plan, yzlogi.store). A file that does not parse, lacks a field or fails a check
(yzlogi.plan.check) raises PlanError with every fault in Chinese, each with the
line of the file it is on: the app and the command line stop on it.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from yzlogi import config
from yzlogi.errors import PlanError
from yzlogi.plan.check import check_plan
from yzlogi.plan.model import (
    Department,
    Discrepancy,
    FleetCategory,
    Goal,
    Group,
    Indicator,
    Milestone,
    Plan,
    Route,
    Target,
    Task,
    Thresholds,
)
from yzlogi.plan.problems import Problem, Where
from yzlogi.text import fold

ROOT = config.ROOT
SECTION_LABELS = {
    "plan": "计划",
    "thresholds": "阈值",
    "rules": "规则",
    "departments": "部门",
    "routes": "线路",
    "fleet": "船舶类别",
    "indicators": "指标",
    "groups": "任务分组",
    "tasks": "任务",
    "goals": "其他目标",
    "discrepancies": "差异",
}


class Locator:
    """Line numbers of the plan file's tables and keys, found by reading its text.

    tomllib gives values, not positions; the plan file is hand-written TOML with one
    [section] or [[section]] header per table and one `key = …` per line, so the
    headers and keys can be found line by line."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z_][\w.]*)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.tables: dict[str, list[int]] = {}  # section → line numbers (1-based) of its headers
        self.headers: list[int] = []
        for number, line in enumerate(self.lines, start=1):
            match = self._HEADER.match(line)
            if match:
                self.tables.setdefault(match.group(2), []).append(number)
                self.headers.append(number)

    def line(self, where: Where | None) -> int | None:
        if where is None:
            return None
        starts = self.tables.get(where.section)
        if not starts:
            return None
        index = where.index or 0
        if index >= len(starts):
            return None
        start = starts[index]
        if where.key is None:
            return start
        end = next((h for h in self.headers if h > start), len(self.lines) + 1)
        pattern = re.compile(rf"^\s*{re.escape(where.key)}\s*=")
        for number in range(start + 1, end):
            if pattern.match(self.lines[number - 1]):
                return number
        return start


# --- loading -------------------------------------------------------------------------


def plan_path() -> Path:
    """The plan file this installation tracks (config.PLAN_FILE, default data/plan.toml)."""
    return config.plan_path()


def load_plan(path: Path | str | None = None) -> Plan:
    """Load and check the plan file (default: the configured one); PlanError names every fault."""
    path = Path(path) if path is not None else plan_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise PlanError(f"找不到计划数据文件 {_display_path(path)}（可用环境变量 {config.PLAN_FILE.env} 指定）") from None
    except OSError as exc:
        raise PlanError(f"无法读取计划数据文件 {_display_path(path)}（系统错误 {exc.errno}）") from None
    return _load_file(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_file(path: str, mtime_ns: int, size: int) -> Plan:
    # Keyed on the file's time and size: an edited file is read again, an unchanged one once.
    where = _display_path(Path(path))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PlanError(f"无法读取计划数据文件 {where}（系统错误 {exc.errno}）") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanError(f"计划数据文件 {where} 不是 UTF-8 编码的文本，请用 UTF-8 保存") from None
    return load_plan_text(text, where)


def load_plan_text(text: str, where: str = "（已保存的计划）") -> Plan:
    """A plan from the text of a plan file (a version's own plan); checked like the file."""
    return _load_text(text, where)


@lru_cache(maxsize=16)
def _load_text(text: str, where: str) -> Plan:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"计划数据文件 {where} 格式错误：{_toml_position(str(exc))}") from None
    locator = Locator(text)
    builder = _Builder(raw)
    plan = builder.build(text)
    problems = builder.problems
    if plan is not None and not problems:
        problems = check_plan(plan)
    if problems:
        listing = "；".join(_located(p, locator) for p in problems)
        raise PlanError(f"计划数据文件 {where} 有误：{listing}")
    return plan


def plan_text_digest(text: str) -> str:
    """sha256 of a plan file's text (what was loaded, comments included)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml_position(message: str) -> str:
    """tomllib's English message as a Chinese one naming the line (the detail is TOML's own)."""
    match = _TOML_AT.search(message)
    if match:
        return f"第{match.group(1)}行第{match.group(2)}列附近不符合 TOML 写法（如缺少引号、括号或逗号，或同一项写了两次）"
    if "end of document" in message:
        return "文件末尾不完整（如缺少右括号或引号）"
    return "不符合 TOML 写法"


def _located(problem: Problem, locator: Locator) -> str:
    line = locator.line(problem.where)
    return f"第{line}行：{problem.message}" if line else problem.message


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --- building --------------------------------------------------------------------------


class _Builder:
    """Turns the parsed TOML into a Plan, collecting a Problem for every missing or mistyped field."""

    def __init__(self, raw: dict):
        self.raw = raw
        self.problems: list[Problem] = []

    def fail(self, message: str, where: Where) -> None:
        self.problems.append(Problem(message, where))

    def entries(self, section: str, make: Callable[[dict, Where], object], required: bool = True) -> tuple:
        """Each [[section]] entry built by `make`; a faulty entry becomes a Problem and is left out."""
        items = self.raw.get(section)
        if items is None:
            if required:
                self.fail(f"缺少 [[{section}]]（{SECTION_LABELS.get(section, section)}）", Where(section))
            return ()
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            self.fail(f"{section} 应写成若干个 [[{section}]] 表", Where(section))
            return ()
        built = []
        for index, item in enumerate(items):
            where = Where(section, index)
            try:
                built.append(make(_Fields(item, where, self), where))
            except _Missing:
                continue
        return tuple(built)

    def table(self, section: str) -> _Fields:
        item = self.raw.get(section)
        if not isinstance(item, dict):
            self.fail(f"缺少 [{section}]（{SECTION_LABELS.get(section, section)}）", Where(section))
            raise _Missing
        return _Fields(item, Where(section), self)

    def build(self, text: str) -> Plan | None:
        try:
            meta = self.table("plan")
            th = self.table("thresholds")
            head = dict(
                title=meta.text("title"), short_title=meta.text("short_title"), document_no=meta.text("document_no"),
                issued=meta.text("issued"), issuer=meta.text("issuer"),
                first_year=meta.integer("first_year"), last_year=meta.integer("last_year"),
            )
            for key in ("coordinator", "indicator_list", "task_list"):
                if key in meta.item:
                    head[key] = meta.text(key)
            thresholds = Thresholds(th.number("green_ratio"), th.number("yellow_ratio"),
                                    th.number("floor_yellow_share"), th.number("band_green_points"),
                                    th.number("band_yellow_points"))
        except _Missing:
            head = thresholds = None
        rules = self.raw.get("rules", {})
        whole_units = ()
        if rules:
            try:
                whole_units = _Fields(rules, Where("rules"), self).names("whole_units", required=False)
            except _Missing:
                pass
        departments = self.entries("departments", lambda f, w: Department(
            f.text("name"), f.text("short"), f.names("aliases", required=False), f.flag("group")))
        routes = self.entries("routes", lambda f, w: Route(
            f.text("name"), f.integer("annual_target"), f.text("unit"), f.names("synonyms", required=False),
            f.text("source"), f.names("lead"), f.names("responsible", required=False)), required=False)
        fleet = self.entries("fleet", lambda f, w: FleetCategory(
            f.text("category"), f.integer("target"), f.flag("at_least"), f.text("unit"), f.text("text"),
            f.text("source"), f.names("lead"), f.names("synonyms", required=False), f.optional_integer("task"),
            f.milestones()), required=False)
        indicators = self.entries("indicators", self._indicator)
        groups = self.entries("groups", lambda f, w: Group(f.integer("no"), f.text("name"), f.text("label")))
        tasks = self.entries("tasks", lambda f, w: Task(
            no=f.integer("no"), group=f.integer("group"), name=f.text("name"), text=f.text("text"),
            lead=f.names("lead"), responsible=f.names("responsible"), measure=f.integer("measure"),
            measure_name=f.text("measure_name"), body_lead=f.names("body_lead", required=False),
            body_support=f.names("body_support", required=False), source=f.text("source")))
        goals = self.entries("goals", lambda f, w: Goal(
            key=f.text("key"), name=f.text("name"), aliases=f.names("aliases", required=False), kind=f.text("kind"),
            target=f.number("target"), unit=f.text("unit"), text=f.text("text"), source=f.text("source"),
            task=f.optional_integer("task"), lead=f.names("lead"), at_least=f.flag("at_least"),
            max=f.optional_number("max"), milestones=f.milestones()), required=False)
        discrepancies = self.entries("discrepancies", lambda f, w: Discrepancy(
            f.text("title"), f.text("body"), f.text("annex"), f.text("source"),
            tuple(f.integers("tasks")), tuple(f.integers("indicators"))), required=False)
        if self.problems or head is None:
            return None
        indexes = {}
        for attribute, what, entries, where in (
            ("_department_index", "部门", ((d.name, (d.name, d.short, *d.aliases)) for d in departments), "departments"),
            ("_route_index", "线路", ((r.name, (r.name, *r.synonyms)) for r in routes), "routes"),
            ("_goal_index", "其他目标", ((g.key, (g.name, *g.aliases)) for g in goals), "goals"),
            ("_fleet_index", "船舶类别", ((f.category, (f.category, *f.synonyms)) for f in fleet), "fleet"),
        ):
            indexes[attribute] = self._index(entries, what, where)
        if self.problems:
            return None
        return Plan(**head, thresholds=thresholds, departments=departments, routes=routes, fleet=fleet,
                    indicators=indicators, groups=groups, tasks=tasks, goals=goals, discrepancies=discrepancies,
                    whole_units=whole_units, text=text, **indexes)

    def _indicator(self, f: _Fields, where: Where) -> Indicator:
        kind = f.text("kind")
        targets = []
        raw_targets = f.item.get("targets")
        if not isinstance(raw_targets, list) or not all(isinstance(t, dict) for t in raw_targets):
            self.fail("targets 应为每年一项的列表，如 { year = 2025, text = \"2家\", value = 2, unit = \"家\" }",
                      Where(where.section, where.index, "targets"))
            raise _Missing
        for t in raw_targets:
            tf = _Fields(t, Where(where.section, where.index, "targets"), self)
            parts = t.get("parts", ())
            try:
                parts = tuple((str(name), int(runs)) for name, runs in parts)
            except (TypeError, ValueError):
                self.fail("targets 中的 parts 应为 [线路名称, 班次] 的列表", tf.where)
                raise _Missing from None
            targets.append(Target(year=tf.integer("year"), text=tf.text("text"), kind=kind,
                                  value=tf.optional_number("value"), unit=tf.text("unit"), parts=parts))
        return Indicator(no=f.integer("no"), name=f.text("name"), unit=f.text("unit"), kind=kind, lead=f.names("lead"),
                         responsible=f.names("responsible"), source=f.text("source"), targets=tuple(targets),
                         register=f.optional_text("register"), frequency=f.optional_text("frequency") or "monthly")

    def _index(self, entries: Iterable, what: str, section: str) -> dict[str, str]:
        """Folded name/alias → canonical name; an alias claimed twice is a Problem."""
        index: dict[str, str] = {}
        for position, (canonical, names) in enumerate(entries):
            for name in names:
                key = fold(name)
                if index.get(key, canonical) != canonical:
                    self.fail(f"{what}别名“{name}”同时指向“{index[key]}”和“{canonical}”", Where(section, position))
                    continue
                index[key] = canonical
        return index


class _Missing(Exception):
    """A field was missing or mistyped; the Problem is already recorded."""


class _Fields:
    """Typed access to one table's fields, recording a located Problem for a bad one."""

    def __init__(self, item: dict, where: Where, builder: _Builder):
        self.item = item
        self.where = where
        self.builder = builder

    def _bad(self, key: str, expected: str) -> None:
        present = key in self.item
        message = f"字段 {key} {'应为' + expected if present else '缺失（应为' + expected + '）'}"
        self.builder.fail(message, Where(self.where.section, self.where.index, key if present else None))
        raise _Missing

    def text(self, key: str) -> str:
        value = self.item.get(key)
        if not isinstance(value, str) or not value.strip():
            self._bad(key, "非空文本")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if key in self.item else None

    def integer(self, key: str) -> int:
        value = self.item.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self._bad(key, "整数")
        return value

    def optional_integer(self, key: str) -> int | None:
        return self.integer(key) if key in self.item else None

    def integers(self, key: str) -> list[int]:
        value = self.item.get(key, [])
        if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            self._bad(key, "整数列表")
        return value

    def number(self, key: str) -> float:
        value = self.item.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._bad(key, "数值")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        return self.number(key) if key in self.item else None

    def flag(self, key: str) -> bool:
        value = self.item.get(key, False)
        if not isinstance(value, bool):
            self._bad(key, "true 或 false")
        return value

    def names(self, key: str, required: bool = True) -> tuple[str, ...]:
        if key not in self.item and not required:
            return ()
        value = self.item.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self._bad(key, "文本列表，如 [\"区交通运输委\"]")
        return tuple(value)

    def milestones(self) -> tuple[Milestone, ...]:
        value = self.item.get("milestones", [])
        try:
            return tuple(Milestone(int(m["year"]), float(m["value"])) for m in value)
        except (TypeError, KeyError, ValueError):
            self._bad("milestones", "每年一项的列表，如 [{ year = 2025, value = 1 }]")
            raise
