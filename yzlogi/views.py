"""Status shaped for display: the tables and chart data the pages render.

Pages stay thin: they pick a view function, render its frame or chart. Every
light is written with its mark and label (■ 红) so nothing depends on colour;
numbers and months follow Chinese conventions (2026年6月, 万/亿 for large amounts).
"""

from __future__ import annotations

import math

import pandas as pd

from yzlogi import levels
from yzlogi.model import VersionData
from yzlogi.months import Month, month_range
from yzlogi.plan import Plan
from yzlogi.status import (
    ROLE_LABELS,
    SECTION_LABELS,
    DepartmentStatus,
    FleetStatus,
    IndicatorStatus,
    Light,
    RouteStatus,
    Status,
    department_status,
    fmt,
)

NONE = "——"
ROLE_MARKS = {"lead": "牵", "responsible": "责"}
STATUS_MARKS = {"序时推进": "序", "未启动": "未", "滞后": "滞", "已完成": "完"}


# --- words and numbers ----------------------------------------------------------


def light_text(light: Light | str) -> str:
    """A light as text that survives black-and-white: ■ 红."""
    key = light if isinstance(light, str) else light.level
    level = levels.level(key)
    return f"{level.mark} {level.label}"


def number(value: float | int | None, unit: str = "", digits: int = 2) -> str:
    """A figure with its unit, large amounts in 万/亿: 2650班次, 10.3%, 1.25万元."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NONE
    magnitude = abs(float(value))
    if unit not in ("%",) and magnitude >= 1e8:
        text = fmt(value / 1e8, 2) + "亿"
    elif unit not in ("%",) and magnitude >= 1e5:
        text = fmt(value / 1e4, 2) + "万"
    else:
        text = fmt(value, digits)
    return f"{text}{unit}"


def year_elapsed(as_of: Month) -> tuple[int, float]:
    """(months of the as-of year elapsed, share of the year): 序时进度 of a year."""
    return as_of.month, as_of.month / 12


def units(names) -> str:
    return "、".join(names) if names else NONE


# --- 总览 ----------------------------------------------------------------------


def exceptions_table(status: Status, section: str | None = None) -> pd.DataFrame:
    """Every red then yellow item (of one section, or all) with its reason and who answers for it."""
    return pd.DataFrame(
        [
            {
                "灯": light_text(alert.level),
                "类别": SECTION_LABELS[alert.section],
                "事项": alert.title,
                "原因": alert.why,
                "牵头单位": units(alert.departments),
            }
            for alert in status.exceptions()
            if section is None or alert.section == section
        ],
        columns=["灯", "类别", "事项", "原因", "牵头单位"],
    )


def counts_table(status: Status) -> pd.DataFrame:
    """Lights per section (rows) and in total, red first."""
    counts = status.counts()
    rows = []
    for section, label in [*SECTION_LABELS.items(), ("total", "合计")]:
        row = {"类别": label}
        for key in levels.ORDER:
            row[levels.name(key)] = counts[section][key]
        rows.append(row)
    return pd.DataFrame(rows)


def indicator_card(item: IndicatorStatus) -> dict[str, str]:
    """What one indicator card shows: the light, the value, the target, the pace."""
    target = item.target_text
    if item.kind == "composite":
        value = "；".join(f"{p.route} {number(p.actual_ytd)}" for p in item.parts)
        expected = "；".join(f"{p.route} {number(p.expected_ytd, digits=0)}" for p in item.parts)
        target = "年均 " + "、".join(f"{p.route}{number(p.target)}" for p in item.parts) + "班次"
    else:
        value = number(item.actual, item.unit)
        expected = number(item.expected, item.unit, 1) if item.kind in ("annual_flow", "level") else NONE
    return {
        "title": f"{item.no}. {item.name}",
        "light": light_text(item.light),
        "level": item.light.level,
        "value": value,
        "target": target,
        "expected": expected,
        "as_of": item.actual_month.label if item.actual_month else NONE,
        "why": item.light.text,
    }


# --- 年度指标 -------------------------------------------------------------------


def indicator_matrix(status: Status) -> pd.DataFrame:
    """The 8 indicators × the plan years: target, actual, 序时进度, light, and why."""
    rows = []
    for item in status.indicators:
        if item.kind == "composite":
            actual = "；".join(f"{p.route} {number(p.actual_ytd)}" for p in item.parts)
            expected = "；".join(f"{p.route} {number(p.expected_ytd, digits=0)}" for p in item.parts)
        else:
            actual = number(item.actual, item.unit)
            expected = number(item.expected, item.unit, 1)
        rows.append(
            {
                "序号": item.no,
                "主要指标": item.name,
                "年度": f"{item.year}年",
                "目标": item.target_text,
                "完成值": actual,
                "数据月份": item.actual_month.label if item.actual_month else NONE,
                "序时进度": expected,
                "灯": light_text(item.light),
                "说明": item.light.text,
            }
        )
    return pd.DataFrame(rows)


def indicator_trend(plan: Plan, data: VersionData, no: int, as_of: Month) -> pd.DataFrame:
    """Reported values of one indicator up to as-of, with each year's target (for a chart)."""
    indicator = plan.indicator(no)
    frame = data.indicators
    rows = frame[(frame["indicator_no"] == no) & (frame["month"] <= str(as_of))]
    values = dict(zip(rows["month"], rows["value"]))
    first = min([Month.parse(m) for m in values] + [plan.start])
    out = []
    for month in month_range(first, as_of):
        target = indicator.target(month.year).value if month.year in plan.years else None
        value = values.get(str(month))
        out.append({"month": str(month), "value": None if value is None or pd.isna(value) else float(value),
                    "target": target})
    return pd.DataFrame(out, columns=["month", "value", "target"]).astype({"value": "float64", "target": "float64"})


def goals_table(status: Status) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "目标": goal.name,
                "原文": goal.text,
                "完成值": number(goal.value, goal.unit) if goal.has_data else NONE,
                "数据月份": goal.month.label if goal.month else NONE,
                "灯": light_text(goal.light),
                "说明": goal.light.text,
                "相关任务": goal.task if goal.task is not None else NONE,
            }
            for goal in status.goals
        ]
    )


def registers_table(status: Status, data: VersionData, months: int = 12) -> pd.DataFrame:
    """Each register's count beside the reported value of the indicator the plan checks it against,
    for the last `months` months up to as-of, newest first (empty when the plan has no register)."""
    from yzlogi.plan.check import REGISTERS

    plan = status.plan
    checked = [i for i in plan.indicators if i.register]
    frame = data.indicators
    numbers = {i.no for i in checked}
    reported = {
        (int(no), month): value
        for no, month, value in zip(frame["indicator_no"], frame["month"], frame["value"])
        if no in numbers
    }
    columns = ["月份"]
    for indicator in checked:
        columns += [f"指标{indicator.no} 填报值", f"{REGISTERS[indicator.register]}（名册）"]
        if indicator.register == "forwarders":
            columns.append("其中全球知名")
    rows = []
    for item in sorted(status.registers, key=lambda r: r.month, reverse=True)[:months]:
        month = str(item.month)
        row = {"月份": item.month.label}
        for indicator in checked:
            row[f"指标{indicator.no} 填报值"] = number(reported.get((indicator.no, month)))
            row[f"{REGISTERS[indicator.register]}（名册）"] = number(getattr(item, indicator.register))
            if indicator.register == "forwarders":
                row["其中全球知名"] = number(item.global_forwarders)
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def registers_caption(plan: Plan) -> tuple[str, str]:
    """(header, caption) of the registers section: which register stands beside which indicator."""
    from yzlogi.plan.check import REGISTERS

    checked = [i for i in plan.indicators if i.register]
    numbers = "、".join(str(i.no) for i in checked)
    names = "、".join(REGISTERS[i.register] for i in checked)
    return (f"名册对照（指标{numbers}）",
            f"近12个月：按{names}名册的日期统计的个数，与“指标进展”中指标{numbers}的填报值对照。")


# --- 通道班次 -------------------------------------------------------------------


def route_pace(status: Status, plan: Plan, route: str, year: int) -> pd.DataFrame:
    """One route in one year: cumulative runs against the pace line and the target."""
    item = status.route(route)
    target = item.annual_target
    by_month = {m.month: m.runs for m in item.monthly}
    rows = []
    total = 0
    for month in month_range(Month(year, 1), Month(year, 12)):
        runs = by_month.get(month)
        if month <= status.as_of:
            total += runs or 0
            actual = float(total)
        else:
            actual = math.nan
        rows.append({"month": str(month), "actual": actual, "expected": target * month.month / 12,
                     "target": float(target)})
    return pd.DataFrame(rows)


def route_monthly(item: RouteStatus) -> pd.DataFrame:
    return pd.DataFrame(
        [{"month": str(m.month), "value": float(m.runs or 0)} for m in item.monthly],
        columns=["month", "value"],
    )


def route_years_table(item: RouteStatus) -> pd.DataFrame:
    """One route, every plan year: runs, pace, light, projection and catch-up."""
    rows = []
    for year in item.years:
        rows.append(
            {
                "年度": f"{year.year}年",
                "年目标": number(year.target),
                "累计开行": number(year.actual_ytd),
                "序时进度": number(year.expected_ytd, digits=0),
                "灯": light_text(year.light),
                "全年预计": number(year.projected_year_end, digits=0),
                "剩余每月需开行": number(_ceil(year.required_monthly)),
                "说明": year.light.text,
            }
        )
    return pd.DataFrame(rows)


def span(status: Status) -> str:
    """The plan's length in words (三年), for the route totals' column names."""
    return status.plan.span


def route_summary(status: Status) -> pd.DataFrame:
    """The routes in the as-of year and over the plan's years (年均 × the years)."""
    rows = []
    total = span(status)
    for item in status.routes:
        year = item.year(status.current_year)
        rows.append(
            {
                "线路": item.route,
                "年目标": number(item.annual_target),
                f"{year.year}年累计": number(year.actual_ytd),
                "序时进度": number(year.expected_ytd, digits=0),
                "灯": light_text(year.light),
                "全年预计": number(year.projected_year_end, digits=0),
                "剩余每月需开行": number(_ceil(year.required_monthly)),
                f"{total}目标": number(item.three_year_target),
                f"{total}累计": number(item.cumulative),
                f"{total}目标剩余每月需开行": number(_ceil(item.required_monthly_3y)),
                f"{total}灯": light_text(item.light_3y),
            }
        )
    return pd.DataFrame(rows)


def route_glance(status: Status) -> pd.DataFrame:
    """The routes at a glance (总览, the PDF briefing): the year and the plan-long total."""
    total = span(status)
    columns = ["线路", "年目标", f"{status.current_year}年累计", "序时进度", "灯", "全年预计", "剩余每月需开行",
               f"{total}累计", f"{total}灯"]
    return route_summary(status)[columns] if status.routes else pd.DataFrame(columns=columns)


def route_light_columns(status: Status) -> tuple[str, str]:
    return "灯", f"{span(status)}灯"


def new_lines_table(status: Status) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"线路": line.route, "首次开行": line.first_month.label, f"{status.as_of.year}年累计": line.ytd,
             "累计开行": line.total}
            for line in status.new_lines
        ],
        columns=["线路", "首次开行", f"{status.as_of.year}年累计", "累计开行"],
    )


def _ceil(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(math.ceil(value - 1e-9)) if value > 0 else 0.0


# --- 船舶更新 -------------------------------------------------------------------


def fleet_frame(status: Status) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"category": f.category, "done": f.done, "in_progress": f.in_progress, "planned": f.planned,
             "target": f.target, "expected": f.expected}
            for f in status.fleet
        ]
    )


def fleet_table(status: Status) -> pd.DataFrame:
    return pd.DataFrame([_fleet_row(f) for f in status.fleet])


def _fleet_row(item: FleetStatus) -> dict[str, object]:
    return {
        "类别": item.category,
        "目标": f"{item.target}{item.unit}{'以上' if item.at_least else ''}",
        "已完成": item.done,
        "在建": item.in_progress,
        "计划": item.planned,
        "序时进度": number(item.expected, item.unit, 1),
        "灯": light_text(item.light),
        "说明": item.light.text,
    }


def ships_table(status: Status) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "船名": ship.name,
                "类别": ship.category,
                "状态": ship.status,
                "填报状态": ship.reported_status,
                "完成月份": ship.completed.label if ship.completed else NONE,
                "所属企业": ship.company or NONE,
                "备注": ship.note or "",
            }
            for item in status.fleet
            for ship in item.ships
        ],
        columns=["船名", "类别", "状态", "填报状态", "完成月份", "所属企业", "备注"],
    )


def fleet_timeline(status: Status) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"month": str(ship.completed), "category": ship.category, "ship_name": ship.name}
            for item in status.fleet
            for ship in item.ships
            if ship.completed is not None and ship.completed <= status.as_of
        ],
        columns=["month", "category", "ship_name"],
    )


# --- 部门任务 -------------------------------------------------------------------


def task_label(no: int, name: str) -> str:
    return f"{no} {name}"


def heatmap_frame(status: Status, plan: Plan) -> pd.DataFrame:
    """Departments × tasks: each unit's light, marked 牵/责 and its status so it reads without colour."""
    rows = []
    for task in status.tasks:
        for unit in task.units:
            status_mark = STATUS_MARKS.get(unit.status or "", "—") if unit.reported else "缺"
            rows.append(
                {
                    "department": unit.department,
                    "task": task_label(task.no, task.name),
                    "task_no": task.no,
                    "level": unit.light.level,
                    "mark": f"{ROLE_MARKS[unit.role]}·{status_mark}",
                    "detail": unit.light.text,
                }
            )
    order = {d.name: i for i, d in enumerate(plan.departments)}
    frame = pd.DataFrame(rows)
    return frame.sort_values(["department", "task_no"], key=lambda s: s.map(order) if s.name == "department" else s)


def task_overview(status: Status) -> pd.DataFrame:
    """The 16 tasks: light, why, and each unit's mark."""
    rows = []
    for task in status.tasks:
        rows.append(
            {
                "序号": task.no,
                "重点工作": task.name,
                "灯": light_text(task.light),
                "说明": task.light.text,
                "牵头单位": "、".join(f"{u.department}（{_unit_state(u)}）" for u in task.units if u.role == "lead"),
                "责任单位": "、".join(f"{u.department}（{_unit_state(u)}）" for u in task.units
                                   if u.role == "responsible") or NONE,
            }
        )
    return pd.DataFrame(rows)


def _unit_state(unit) -> str:
    if not unit.reported:
        return "未报送"
    return unit.status or NONE


# --- 部门详情 -------------------------------------------------------------------


def department_tasks_table(detail: DepartmentStatus, role: str) -> pd.DataFrame:
    """The tasks one department leads (role='lead') or supports, red first, with its latest report."""
    items = detail.led_tasks if role == "lead" else detail.supported_tasks
    return pd.DataFrame(
        [
            {
                "任务": task_label(item.task.no, item.task.name),
                "任务灯": light_text(item.task.light),
                "本单位": light_text(item.report.light),
                "状态": item.report.status or "未报送",
                "报告月份": item.report.month.label if item.report.month else NONE,
                "完成进度": number(item.report.progress, "%", 1),
                "进展情况": item.report.progress_text or "",
                "存在问题": item.report.problems or "",
                "下步计划": item.report.next_steps or "",
            }
            for item in items
        ],
        columns=["任务", "任务灯", "本单位", "状态", "报告月份", "完成进度", "进展情况", "存在问题", "下步计划"],
    )


def department_indicators_table(detail: DepartmentStatus) -> pd.DataFrame:
    rows = []
    for role, items in (("lead", detail.led_indicators), ("responsible", detail.supported_indicators)):
        for item in items:
            card = indicator_card(item)
            rows.append({"指标": card["title"], "角色": ROLE_LABELS[role], "目标": card["target"],
                         "完成值": card["value"], "灯": card["light"], "说明": card["why"]})
    return pd.DataFrame(rows, columns=["指标", "角色", "目标", "完成值", "灯", "说明"])


def department_missing_table(detail: DepartmentStatus) -> pd.DataFrame:
    return pd.DataFrame(
        [{"事项": m.title, "角色": ROLE_LABELS.get(m.role, m.role), "说明": m.why} for m in detail.missing],
        columns=["事项", "角色", "说明"],
    )


def department_alerts_table(detail: DepartmentStatus) -> pd.DataFrame:
    return pd.DataFrame(
        [{"灯": light_text(a.level), "类别": SECTION_LABELS[a.section], "事项": a.title, "原因": a.why}
         for a in detail.alerts],
        columns=["灯", "类别", "事项", "原因"],
    )


def department_summary(plan: Plan, status: Status) -> pd.DataFrame:
    """Per department: tasks led/supported and how many of its own reports are red/yellow/grey."""
    rows = []
    for department in plan.departments:
        detail = department_status(status, plan, department.name)
        counts = detail.counts()
        rows.append(
            {
                "部门": department.name,
                "牵头任务": len(detail.led_tasks),
                "责任任务": len(detail.supported_tasks),
                **{levels.name(k): counts[k] for k in levels.ORDER},
                "未报送": len(detail.missing),
            }
        )
    return pd.DataFrame(rows)
