"""报送情况: who has reported for a month, when, and who is to be chased (催报).

design «Status rules — Reporting»: for a month, a unit owes its task rows (every task
it leads or supports, but one it has already reported 已完成) and the monthly figures it
leads (the indicators whose figures it reports that month, by each indicator's reporting
frequency, and the runs of the routes it leads). A row counts as sent when the active
version holds it, at the commit time of the version that first carried it (its
first_version, yzlogi.merge). The deadline is day N of the following month (setting
report_deadline_day, default 5).

  on_time  everything owed sent by the deadline            绿
  late     everything sent, some of it after the deadline  黄
  partial  some of it sent                                 黄 before the deadline, 红 after
  missing  nothing sent yet                                灰 before the deadline, 红 after

The bundled sample's rows count as sent on time: its dates are fictitious too. So do the rows
of the first real version (the record brought in when the dashboard took over, often months
of history at once): when they were reported is not known.
Pure: the day it is judged on is passed in.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from yzlogi.levels import GREEN, GREY, RED, YELLOW
from yzlogi.model import Version, VersionData
from yzlogi.months import Month
from yzlogi.plan import Plan
from yzlogi.status.rows import month_of, records
from yzlogi.status.rules import TASK_DONE, Light, arrow

ON_TIME, LATE, PARTIAL, MISSING = "on_time", "late", "partial", "missing"
STATE_LABELS = {ON_TIME: "按时报送", LATE: "逾期报送", PARTIAL: "部分报送", MISSING: "尚未报送"}
FREQUENCY_MONTHS = {"monthly": tuple(range(1, 13)), "quarterly": (3, 6, 9, 12), "yearly": (12,)}


@dataclass(frozen=True)
class Owed:
    """One row a unit owes for the month, and whether and when it was sent."""

    section: str  # task | indicator | route
    key: str  # task:8, indicator:5, route:东盟班车
    title: str
    sent_at: datetime | None  # the commit time of the version that first carried it; None: not sent
    sent: bool

    def to_json(self) -> dict:
        return {"section": self.section, "key": self.key, "title": self.title, "sent": self.sent,
                "sent_at": self.sent_at.isoformat(timespec="seconds") if self.sent_at else None}


@dataclass(frozen=True)
class UnitReturn:
    unit: str
    owed: tuple[Owed, ...]
    state: str
    light: Light
    first_sent_at: datetime | None
    last_sent_at: datetime | None

    @property
    def sent(self) -> int:
        return sum(1 for item in self.owed if item.sent)

    @property
    def unsent(self) -> tuple[Owed, ...]:
        return tuple(item for item in self.owed if not item.sent)

    def to_json(self) -> dict:
        return {
            "unit": self.unit, "owed": len(self.owed), "sent": self.sent,
            "first_sent_at": self.first_sent_at.isoformat(timespec="seconds") if self.first_sent_at else None,
            "last_sent_at": self.last_sent_at.isoformat(timespec="seconds") if self.last_sent_at else None,
            "state": self.state, "level": self.light.level, "explanation": self.light.text,
            "unsent": [item.title for item in self.unsent], "items": [item.to_json() for item in self.owed],
        }


@dataclass(frozen=True)
class Returns:
    month: Month
    due: date
    today: date
    units: tuple[UnitReturn, ...]

    def unit(self, name: str) -> UnitReturn | None:
        return next((u for u in self.units if u.unit == name), None)

    @property
    def to_chase(self) -> tuple[UnitReturn, ...]:
        """The units that still owe rows for the month (partial or missing), in plan order."""
        return tuple(u for u in self.units if u.state in (PARTIAL, MISSING))

    def counts(self) -> dict[str, int]:
        return {state: sum(1 for u in self.units if u.state == state) for state in STATE_LABELS}

    def to_json(self) -> dict:
        return {"month": str(self.month), "due": self.due.isoformat(), "today": self.today.isoformat(),
                "counts": self.counts(), "units": [u.to_json() for u in self.units]}


def due_date(month: Month, deadline_day: int) -> date:
    """The reporting deadline of a month: day N of the following month (the month's last day at most)."""
    after = month.plus(1)
    return date(after.year, after.month, min(deadline_day, calendar.monthrange(after.year, after.month)[1]))


def owed_month(today: date, plan: Plan) -> Month:
    """The month being reported now: the calendar month before today, within the plan."""
    previous = Month(today.year, today.month).plus(-1)
    return min(max(previous, plan.start), plan.deadline)


def compute_returns(plan: Plan, data: VersionData, versions: dict[int, Version], month: Month,
                    deadline_day: int, today: date) -> Returns:
    """Each unit's return for `month` in the version `data`, judged on `today`."""
    due = due_date(month, deadline_day)
    deadline = datetime.combine(due, time.max)
    sent_at = _sent_times(versions)
    owed: dict[str, list[Owed]] = {}

    def owe(unit: str, item: Owed) -> None:
        owed.setdefault(unit, []).append(item)

    # Tasks: every lead and responsible unit, until it has reported the task 已完成.
    finished = finished_tasks(data, month)
    this_month = {(int(r["task_no"]), r["department"]): r for r in records(data.tasks)
                  if r.get("task_no") is not None and r.get("department") and r.get("month")
                  and month_of(r["month"]) == month}
    for task in plan.tasks:
        for unit in task.units:
            if (task.no, unit) not in finished:
                owe(unit, _owed("task", f"task:{task.no}", f"任务{task.no} {task.name}",
                                this_month.get((task.no, unit)), sent_at))
    # Indicators: the lead units of each reported indicator due that month.
    values = {(int(r["indicator_no"]), month_of(r["month"])): r for r in records(data.indicators)
              if r.get("indicator_no") is not None and r.get("month")}
    for indicator in plan.reported_indicators:
        if month.month not in FREQUENCY_MONTHS[indicator.frequency]:
            continue
        row = values.get((indicator.no, month))
        for unit in indicator.lead:
            owe(unit, _owed("indicator", f"indicator:{indicator.no}", f"指标{indicator.no} {indicator.name}", row,
                            sent_at))
    # Routes: the runs of each route, owed by its lead units.
    runs = {(r["route"], month_of(r["month"])): r for r in records(data.routes) if r.get("route") and r.get("month")}
    for route in plan.routes:
        row = runs.get((route.name, month))
        for unit in route.lead:
            owe(unit, _owed("route", f"route:{route.name}", f"{route.name}开行班次", row, sent_at))

    units = []
    for department in plan.departments:
        items = owed.get(department.name)
        if items:
            units.append(_unit_return(department.name, tuple(items), month, due, deadline, today))
    return Returns(month, due, today, tuple(units))


def finished_tasks(data: VersionData, month: Month) -> set[tuple[int, str]]:
    """(task, unit) pairs whose latest report before `month` is 已完成: nothing more to report."""
    latest: dict[tuple[int, str], dict] = {}
    for row in records(data.tasks):
        if row.get("task_no") is None or not row.get("department") or not row.get("month"):
            continue
        if month_of(row["month"]) >= month:
            continue
        key = (int(row["task_no"]), row["department"])
        if key not in latest or row["month"] > latest[key]["month"]:
            latest[key] = row
    return {key for key, row in latest.items() if row.get("status") == TASK_DONE}


def _sent_times(versions: dict[int, Version]) -> dict[int, datetime | None]:
    """When each version's rows were sent: its commit time. None (not known: counted as on time) for
    the sample and for the first real version, the record as it stood when the dashboard took over:
    when its rows were reported is not known, and its commit time is not when they were."""
    first_real = min((vid for vid, v in versions.items() if not v.sample), default=None)
    return {vid: (None if v.sample or vid == first_real else v.committed_at) for vid, v in versions.items()}


def _owed(section: str, key: str, title: str, row: dict | None, sent_at: dict[int, datetime | None]) -> Owed:
    if row is None:
        return Owed(section, key, title, None, False)
    first = row.get("first_version") or row.get("from_version")
    return Owed(section, key, title, sent_at.get(int(first)) if first is not None else None, True)


def _unit_return(unit: str, owed: tuple[Owed, ...], month: Month, due: date, deadline: datetime,
                 today: date) -> UnitReturn:
    sent = [item for item in owed if item.sent]
    times = [item.sent_at for item in sent if item.sent_at is not None]
    first, last = (min(times), max(times)) if times else (None, None)
    due_text = f"截止 {due.month}月{due.day}日"
    passed = today > due
    if len(sent) == len(owed):
        if last is None or last <= deadline:
            state, level = ON_TIME, GREEN
            when = f"，{last.month}月{last.day}日报齐" if last else ""
            body = f"{month.label}应报 {len(owed)} 项，已全部报送{when}（{due_text}）"
        else:
            state, level = LATE, YELLOW
            body = f"{month.label}应报 {len(owed)} 项，{last.month}月{last.day}日报齐，晚于{due_text.replace('截止 ', '')}"
    elif sent:
        state, level = PARTIAL, RED if passed else YELLOW
        body = f"{month.label}应报 {len(owed)} 项，已报 {len(sent)} 项（{due_text}{'，已逾期' if passed else ''}）"
    else:
        state, level = MISSING, RED if passed else GREY
        body = f"{month.label}应报 {len(owed)} 项，尚未报送（{due_text}{'，已逾期' if passed else ''}）"
    reason = "未报送" if level == GREY else ""
    return UnitReturn(unit, owed, state, arrow(body, level, reason), first, last)


def chase_text(returns: Returns) -> str:
    """The 催报 message, ready to paste into the work group's chat."""
    head = f"截至{returns.today.month}月{returns.today.day}日"
    late = returns.to_chase
    if not late:
        return f"{head}，各单位均已报送{returns.month.label}进展。"
    parts = []
    for unit in late:
        owed = "、".join(item.title.split(" ")[0] if item.section != "route" else item.title for item in unit.unsent)
        parts.append(f"{unit.unit}（{owed}）")
    tail = (f"请于{returns.due.month}月{returns.due.day}日前报送。" if returns.today <= returns.due
            else f"报送截止日期（{returns.due.month}月{returns.due.day}日）已过，请尽快报送。")
    return f"{head}，以下单位尚未报送{returns.month.label}进展：{'；'.join(parts)}。{tail}"
