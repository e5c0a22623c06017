"""What the briefing says, whatever its format: names, dates, the legend and the tables.

Everything here comes from the Snapshot (one version at one as-of month, judged
under its own plan): every date from the version, never the clock, so the same
snapshot gives the same content. xlsx.py and pdf.py lay it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pandas as pd

from yzlogi import levels, views
from yzlogi.months import Month
from yzlogi.plan import Plan
from yzlogi.snapshot import Snapshot
from yzlogi.status import TASK_DONE, TASK_STATUS_LEVELS, Status, UnitReport, fmt

XLSX = "xlsx"
PDF = "pdf"
FORMATS = (XLSX, PDF)
TITLES = {XLSX: "推进情况汇总表", PDF: "会议简报"}
MIME_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
}
# The plan's own clock (Chongqing): the time zone written into PDF dates.
PLAN_TZ = timezone(timedelta(hours=8), "CST")
NONE = views.NONE
# What officials write in 存在问题 when there is none; such entries are left out.
NO_PROBLEM = re.compile(r"^\s*(无|暂无|没有|无问题|暂无问题|未发现问题)[。.；;]?\s*$")


# --- naming ----------------------------------------------------------------------


def file_name(version_id: int, as_of: Month, fmt_: str) -> str:
    """推进情况汇总表_2026年10月_v3.xlsx / 会议简报_2026年10月_v3.pdf."""
    return f"{TITLES[fmt_]}_{as_of.label}_v{version_id}.{fmt_}"


def stamp(snapshot: Snapshot) -> datetime:
    """The documents' creation time: when the version was committed (never the clock)."""
    return snapshot.version.committed_at.replace(microsecond=0, tzinfo=None)


def as_of_text(snapshot: Snapshot) -> str:
    return f"数据截至 {snapshot.as_of.label}"


def version_text(snapshot: Snapshot) -> str:
    """数据版本 v3（2026-11-05 14:02 导入）, marked when it is the bundled sample."""
    version = snapshot.version
    text = f"数据版本 v{version.id}（{version.committed_at:%Y-%m-%d %H:%M} 导入）"
    return text + ("（示例数据）" if version.sample else "")


SAMPLE_NOTICE = "示例数据：本文件由随系统附带的虚构示例数据生成，仅供演示，不代表实际进度。"


def legend(plan: Plan) -> str:
    """How the lights are written and what a task's light means (design: status rules)."""
    marks = "、".join(views.light_text(key) for key in levels.ORDER)
    tasks = "，".join(f"{name}为{levels.label(key)}" for name, key in TASK_STATUS_LEVELS.items())
    parts = "、".join(["指标"] + (["线路"] if plan.routes else []) + (["船舶"] if plan.fleet else []))
    return (f"灯号：{marks}（灰：未报送或待报送）。任务：{TASK_DONE}为{levels.label(levels.GREEN)}，{tasks}；"
            f"{parts}按序时进度计算，依据见“说明”列。")


# --- the 推进情况汇总表 -------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    """One of the 16 tasks as the official summary table writes it."""

    no: int
    name: str
    group: str  # （一）推动现代物流总部集聚
    lead: str
    responsible: str
    progress: str  # one line per unit, labelled by unit
    problems: str  # one line per unit that reported a problem; 无 when none did
    level: str


def _unit_progress(unit: UnitReport, as_of: Month) -> str:
    """区交通运输委（2026年10月，滞后，进度52%）：…; 未报送 when it never reported."""
    if unit.month is None:
        return f"{unit.department}：截至{as_of.label}未报送"
    details = [f"{unit.month.label}报送"]
    if unit.status:
        details.append(unit.status)
    if unit.progress is not None:
        details.append(f"进度{fmt(unit.progress, 1)}%")
    if not unit.reported:
        details.append(f"{as_of.label}未报送")
    text = (unit.progress_text or "").strip() or "（未填写进展情况）"
    return f"{unit.department}（{'，'.join(details)}）：{text}"


def _has_problem(unit: UnitReport) -> bool:
    return bool(unit.problems and unit.problems.strip() and not NO_PROBLEM.match(unit.problems))


def task_rows(status: Status, plan: Plan) -> list[TaskRow]:
    """The 16 tasks with their units' latest reports up to as-of, in plan order."""
    rows = []
    for task in status.tasks:
        planned = plan.task(task.no)
        group = plan.group(planned.group)
        problems = [f"{u.department}：{u.problems.strip()}" for u in task.units if _has_problem(u)]
        rows.append(
            TaskRow(
                no=task.no,
                name=task.name,
                group=f"{group.label}{group.name}",
                lead="、".join(planned.lead),
                responsible="、".join(planned.responsible) or NONE,
                progress="\n".join(_unit_progress(u, status.as_of) for u in task.units),
                problems="\n".join(problems) or "无",
                level=task.light.level,
            )
        )
    return rows


# --- the other tables (views' display tables, trimmed for paper) -------------------


def indicator_table(status: Status) -> pd.DataFrame:
    """The 8 indicators of the as-of year: target, value, 序时进度, light, why, lead units."""
    matrix = views.indicator_matrix(status)
    year = matrix[matrix["年度"] == f"{status.current_year}年"].drop(columns=["年度"]).reset_index(drop=True)
    leads = {item.no: views.units(item.lead) for item in status.current_indicators()}
    return year.assign(牵头单位=year["序号"].map(leads))


def route_table(status: Status) -> pd.DataFrame:
    return views.route_summary(status)


def light_level(text: str) -> str | None:
    """The light key of a cell written by views.light_text ('■ 红' → 'red'); None otherwise."""
    return _LIGHT_TEXTS.get(text)


_LIGHT_TEXTS = {views.light_text(key): key for key in levels.ORDER}
