"""One department's view (?dept=…): its tasks, the indicators it leads or supports,
what it has not reported for the as-of month, and its red and yellow items first."""

from __future__ import annotations

from dataclasses import dataclass

from yzlogi.errors import YzlogiError
from yzlogi.levels import RED, YELLOW, count, sort_key
from yzlogi.months import Month
from yzlogi.plan import Plan
from yzlogi.status.indicators import IndicatorStatus
from yzlogi.status.rules import PENDING
from yzlogi.status.summary import ROLE_LABELS, SECTIONS, Alert, Status
from yzlogi.status.tasks import TaskStatus, UnitReport


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
