"""The change digest between two versions: what an upload changes, in plain Chinese.

Shown before an upload is committed (so the official can see that nothing that
was there is lost by accident) and on the overview page as 自上次更新以来. Both
versions are judged at the same as-of month (by default the new version's
latest month), so a light that flips does so because the data changed. Pure:
no I/O, no Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from yzlogi.levels import LEVELS
from yzlogi.model import VersionData
from yzlogi.months import Month
from yzlogi.plan import Plan
from yzlogi.schema import for_plan
from yzlogi.status import (
    ROLE_LABELS,
    SHIP_DONE,
    TOLERANCE,
    Light,
    Status,
    column_values,
    compute_status,
    default_as_of,
    fmt,
    records,
)

# How many entries of each kind lines() shows before "……另有 N 项".
LINES_PER_KIND = 10


@dataclass(frozen=True)
class ValueChange:
    """An 指标进展 value added (old None), removed (new None) or changed."""

    no: int
    name: str
    month: Month
    old: float | None
    new: float | None
    unit: str

    def to_json(self) -> dict:
        return {"no": self.no, "name": self.name, "month": str(self.month), "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Flip:
    """A light that differs between the versions at the same as-of."""

    section: str
    key: str
    title: str
    old: str
    new: str
    why: str  # the new light's explanation

    def to_json(self) -> dict:
        return {"section": self.section, "key": self.key, "title": self.title, "old": self.old, "new": self.new,
                "why": self.why}


@dataclass(frozen=True)
class TaskChange:
    """A unit whose latest task status (up to as-of) differs between the versions."""

    task: int
    name: str
    department: str
    role: str
    month: Month | None  # of the new report; None if the new version has none
    old: str | None
    old_month: Month | None
    new: str | None

    def to_json(self) -> dict:
        return {"task": self.task, "name": self.name, "department": self.department, "role": self.role,
                "month": _m(self.month), "old": self.old, "old_month": _m(self.old_month), "new": self.new}


@dataclass(frozen=True)
class CompletedShip:
    name: str
    category: str
    completed: Month | None

    def to_json(self) -> dict:
        return {"name": self.name, "category": self.category, "completed": _m(self.completed)}


@dataclass(frozen=True)
class MissingReport:
    """A task unit with no report for the as-of month in the new version."""

    task: int
    name: str
    department: str
    role: str

    def to_json(self) -> dict:
        return {"task": self.task, "name": self.name, "department": self.department, "role": self.role}


@dataclass(frozen=True)
class SheetChanges:
    """Rows added, removed and changed in one sheet, rows matched by the sheet's unique key."""

    key: str
    name: str
    added: tuple[tuple, ...]
    removed: tuple[tuple, ...]
    changed: tuple[tuple, ...]
    kept: int = 0  # rows in both, the same

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def line(self) -> str:
        removed = f"，删除 {len(self.removed)} 行" if self.removed else ""
        return f"{self.name}：新增 {len(self.added)} 行，修改 {len(self.changed)} 行，保留 {self.kept} 行{removed}"

    def to_json(self) -> dict:
        return {"key": self.key, "name": self.name, "added": len(self.added), "removed": len(self.removed),
                "changed": len(self.changed), "kept": self.kept, "added_keys": [list(k) for k in self.added],
                "removed_keys": [list(k) for k in self.removed], "changed_keys": [list(k) for k in self.changed]}


@dataclass(frozen=True)
class Digest:
    old_version: int | None
    new_version: int | None
    as_of: Month
    values: tuple[ValueChange, ...]
    flips: tuple[Flip, ...]
    tasks: tuple[TaskChange, ...]
    ships_completed: tuple[CompletedShip, ...]
    missing: tuple[MissingReport, ...]
    sheets: tuple[SheetChanges, ...]

    @property
    def unchanged(self) -> bool:
        """No row of any sheet differs (missing reports are not changes)."""
        return not any(s.any for s in self.sheets)

    def to_json(self) -> dict:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "as_of": str(self.as_of),
            "unchanged": self.unchanged,
            "values": [v.to_json() for v in self.values],
            "flips": [f.to_json() for f in self.flips],
            "tasks": [t.to_json() for t in self.tasks],
            "ships_completed": [s.to_json() for s in self.ships_completed],
            "missing": [m.to_json() for m in self.missing],
            "sheets": [s.to_json() for s in self.sheets],
            "lines": self.lines(),
        }

    def lines(self, limit: int = LINES_PER_KIND, rows: bool = True) -> list[str]:
        """The digest as Chinese lines for display, each kind capped at `limit` entries. With `rows`
        False, without the rows per sheet: what a meeting reads (总览, the briefing) is what changed
        in the plan's terms, not the store's bookkeeping."""
        out: list[str] = []
        if self.old_version is None:
            # Everything is new in a first version: its rows, not a list of every value, ship and task.
            out.append("首个版本，没有可比较的上一版本")
            if rows:
                out.append("本版本共有：" + "，".join(f"{s.name} {len(s.added)} 行" for s in self.sheets if s.added))
        else:
            if self.unchanged:
                out.append(f"与版本{self.old_version}相比，数据没有变化")
            for sheet in self.sheets:
                if sheet.any and rows:
                    out.append(sheet.line())
            out += _capped("指标数值变化", [_value_line(v) for v in self.values], limit)
            out += _capped("亮灯变化", [f"{f.title}：{_light_name(f.old)} → {_light_name(f.new)}"
                                        for f in self.flips], limit)
            out += _capped("任务状态变化", [_task_line(t) for t in self.tasks], limit)
            out += _capped("新完成船舶", [
                f"{s.name}（{s.category}）{s.completed.label if s.completed else ''}完成" for s in self.ships_completed
            ], limit)
        by_department: dict[str, list[str]] = {}
        for m in self.missing:
            by_department.setdefault(m.department, []).append(str(m.task))
        out += _capped(f"{self.as_of.label}未报送", [
            f"{dept}：任务{'、'.join(tasks)}" for dept, tasks in by_department.items()
        ], limit, f"{len(by_department)}个单位，共{len(self.missing)}项")
        return out


def _m(month: Month | None) -> str | None:
    return str(month) if month is not None else None


def _light_name(level: str) -> str:
    return LEVELS[level].name


def _capped(title: str, items: list[str], limit: int, counted: str = "") -> list[str]:
    """A titled block of at most `limit` indented lines, then how many were left out."""
    if not items:
        return []
    shown = items[:limit]
    rest = len(items) - len(shown)
    return [f"{title}（{counted or f'{len(items)}项'}）："] + [f"  {line}" for line in shown] + (
        [f"  ……另有 {rest} 项"] if rest else []
    )


def _value_line(v: ValueChange) -> str:
    unit = "%" if v.unit == "%" else ""
    head = f"指标{v.no} {v.name} {v.month.label}："
    if v.old is None:
        return f"{head}新增 {fmt(v.new)}{unit}"
    if v.new is None:
        return f"{head}删除（原 {fmt(v.old)}{unit}）"
    return f"{head}{fmt(v.old)}{unit} → {fmt(v.new)}{unit}"


def _task_line(t: TaskChange) -> str:
    old = f"{t.old}（{t.old_month.label}）" if t.old is not None and t.old_month else "无报送"
    new = f"{t.new}（{t.month.label}）" if t.new is not None and t.month else "无报送"
    return f"任务{t.task} {t.department}（{ROLE_LABELS[t.role]}）：{old} → {new}"


# --- computing ------------------------------------------------------------------


def compute_digest(plan: Plan, old: VersionData | None, new: VersionData, as_of: Month | None = None, *,
                   old_status: Status | None = None, new_status: Status | None = None) -> Digest:
    """What changes from `old` (None: nothing before) to `new`, judged at one as-of month.

    A caller that holds the two versions' status at `as_of` already may pass them."""
    as_of = as_of if as_of is not None else default_as_of(new, plan.start)
    new_status = new_status if new_status is not None else compute_status(plan, new, as_of)
    if old is None:
        old_status = None
    elif old_status is None:
        old_status = compute_status(plan, old, as_of)
    return Digest(
        old_version=old.version.id if old is not None and old.version is not None else None,
        new_version=new.version.id if new.version is not None else None,
        as_of=as_of,
        values=_value_changes(plan, old, new),
        flips=_flips(old_status, new_status),
        tasks=_task_changes(old_status, new_status),
        ships_completed=_ships_completed(old_status, new_status),
        missing=tuple(
            MissingReport(t.no, t.name, u.department, u.role)
            for t in new_status.tasks for u in t.units if not u.reported
        ),
        sheets=tuple(_sheet_changes(sheet, old, new) for sheet in for_plan(plan) if sheet.stored),
    )


def _lights(status: Status) -> dict[str, tuple[str, str, Light]]:
    """Every light of a status by stable key: all indicator and route years, fleet, tasks, goals."""
    out: dict[str, tuple[str, str, Light]] = {}
    for i in status.indicators:
        out[f"indicator:{i.no}:{i.year}"] = ("indicator", i.title, i.light)
    for r in status.routes:
        for y in r.years:
            out[f"route:{r.route}:{y.year}"] = ("route", f"{r.route}（{y.year}年）", y.light)
    for f in status.fleet:
        out[f"fleet:{f.category}"] = ("fleet", f.title, f.light)
    for t in status.tasks:
        out[f"task:{t.no}"] = ("task", t.title, t.light)
    for g in status.goals:
        out[f"goal:{g.key}"] = ("goal", g.title, g.light)
    return out


def _flips(old: Status | None, new: Status) -> tuple[Flip, ...]:
    if old is None:
        return ()
    before = _lights(old)
    flips = []
    for key, (section, title, light) in _lights(new).items():
        _, _, was = before[key]
        if was.level != light.level:
            flips.append(Flip(section, key, title, was.level, light.level, light.text))
    return tuple(flips)


def _task_changes(old: Status | None, new: Status) -> tuple[TaskChange, ...]:
    if old is None:
        return ()
    out = []
    for task in new.tasks:
        before = old.task(task.no)
        for unit in task.units:
            was = before.unit(unit.department)
            if was.status == unit.status:
                continue
            out.append(TaskChange(task.no, task.name, unit.department, unit.role, unit.month, was.status,
                                  was.month, unit.status))
    return tuple(out)


def _ships_completed(old: Status | None, new: Status) -> tuple[CompletedShip, ...]:
    done_before = (
        {s.name for f in old.fleet for s in f.ships if s.status == SHIP_DONE} if old is not None else set()
    )
    return tuple(
        CompletedShip(s.name, s.category, s.completed)
        for f in new.fleet for s in f.ships
        if s.status == SHIP_DONE and s.name not in done_before
    )


def _value_changes(plan: Plan, old: VersionData | None, new: VersionData) -> tuple[ValueChange, ...]:
    def values(data: VersionData | None) -> dict[tuple[int, str], float | None]:
        if data is None:
            return {}
        return {
            (int(r["indicator_no"]), str(r["month"])): r.get("value")
            for r in records(data.indicators)
            if r.get("indicator_no") is not None and r.get("month") is not None
        }

    before, after = values(old), values(new)
    names = {i.no: (i.name, i.unit) for i in plan.indicators}
    out = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if key in before and key in after and _same(a, b):
            continue
        name, unit = names.get(key[0], (f"指标{key[0]}", ""))
        out.append(ValueChange(key[0], name, Month.parse(key[1]), a if key in before else None,
                               b if key in after else None, unit))
    return tuple(out)


def _sheet_changes(sheet, old: VersionData | None, new: VersionData) -> SheetChanges:
    columns = [name for name, _ in sheet.stored_columns() if name not in ("row", "first_version", "from_version")]

    def rows(data: VersionData | None) -> dict[tuple, tuple]:
        """Key → the row's cells; column by column, as a later row of a key replaces an earlier one."""
        frame = data.table(sheet.key) if data is not None else None
        if frame is None or len(frame) == 0:
            return {}
        keys = zip(*([_key_value(v) for v in values] for values in column_values(frame, sheet.unique)))
        return dict(zip(keys, zip(*column_values(frame, columns))))

    before, after = rows(old), rows(new)
    added = tuple(sorted((k for k in after if k not in before), key=_sortable))
    removed = tuple(sorted((k for k in before if k not in after), key=_sortable))
    changed = tuple(sorted((k for k in after if k in before and not _same_row(before[k], after[k])), key=_sortable))
    kept = sum(1 for k in after if k in before) - len(changed)
    return SheetChanges(sheet.key, sheet.name, added, removed, changed, kept)


def _key_value(value):
    """A key cell made comparable across versions: 8.0 and 8 are the same task."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sortable(key: tuple) -> tuple:
    return tuple((0, v) if isinstance(v, (int, float)) else (1, str(v)) for v in key)


def _same_row(a: tuple, b: tuple) -> bool:
    """Every cell _same; rows exactly equal (most of them, from one upload to the next) need no look closer."""
    return a == b or all(_same(x, y) for x, y in zip(a, b))


def _same(a, b) -> bool:
    """Equal cells: None only equals None; numbers within TOLERANCE."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return a == b


__all__ = [
    "CompletedShip", "Digest", "Flip", "MissingReport", "SheetChanges", "TaskChange", "ValueChange",
    "compute_digest",
]
