"""Key tasks: each lead and responsible unit's latest report, and the task's light.

Design (tasks): a unit's row takes its latest report up to as-of; 已完成 is green
whenever reported, otherwise the as-of month's report maps 序时推进 → green,
未启动 → yellow, 滞后 → red, and no report for the as-of month is grey (未报送).
The task takes the worst over its lead units and the responsible units that
reported: a silent responsible unit does not grey the task, a silent lead does.
"""

from __future__ import annotations

from dataclasses import dataclass

from yzlogi.levels import GREEN, GREY, worst_of
from yzlogi.months import Month
from yzlogi.plan import Plan, Task
from yzlogi.status.rows import upto
from yzlogi.status.rules import NOT_REPORTED, TASK_DONE, TASK_STATUS_LEVELS, Light, arrow, iso


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
            "month": iso(self.month),
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





def tasks_status(plan: Plan, rows: list[dict], as_of: Month) -> tuple[TaskStatus, ...]:
    latest: dict[tuple[int, str], dict] = {}
    for row in upto(rows, as_of):
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
        light = arrow(f"截至{as_of.label}无报送", GREY, NOT_REPORTED)
        return UnitReport(department, role, None, None, None, None, None, None, light)
    month, status = row["_m"], row.get("status")
    if status == TASK_DONE:
        light = arrow(f"{month.label}报送“{TASK_DONE}”", GREEN)
    elif month == as_of and status in TASK_STATUS_LEVELS:
        light = arrow(f"{month.label}报送“{status}”", TASK_STATUS_LEVELS[status])
    elif month == as_of:
        light = arrow(f"{month.label}报送的状态“{status}”无法识别", GREY, NOT_REPORTED)
    else:
        light = arrow(f"最近一次为{month.label}报送“{status}”，{as_of.label}未报送", GREY, NOT_REPORTED)
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
    light = arrow(body, level, NOT_REPORTED if level == GREY else "")
    return TaskStatus(task.no, task.name, task.group, task.text, light, units)


# goals
