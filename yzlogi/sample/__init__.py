"""The demonstration workbook (示例数据) of any plan: fictitious, deterministic, every light shown.

`python -m yzlogi sample` writes data/sample/示例进度.xlsx, which a fresh data
folder commits as version 1. It is built from the plan file alone: its years,
indicators and their kinds, routes, fleet categories, units, tasks and goals. It
runs from the plan's first month to a month about three fifths through the plan
(the default as-of month), with a baseline for the level indicators, in the
official template's layout, every sheet titled as illustrative. A Scenario says
which light each item shows at that month: items are chosen by their position in
the plan (the first task is done, tasks near the middle and the last one fall
behind, …), and values are reached through the plan's thresholds and the status
rules' own 序时进度, so they hold for any plan and any thresholds. Random
variation comes from seeded generators, one per sheet, and the file's timestamps
are fixed, so two runs give the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook

from yzlogi import sample_file
from yzlogi.model import InputFile
from yzlogi.months import Month
from yzlogi.plan import Plan
from yzlogi.sample.figures import (
    forwarder_rows,
    goal_rows,
    indicator_rows,
    route_rows,
    ship_rows,
    warehouse_rows,
)
from yzlogi.sample.scenario import NEW_LINE, Scenario, scenario_of
from yzlogi.sample.tasks import task_rows
from yzlogi.template import (
    add_text_sheet,
    build_workbook,
    save_workbook,
    workbook_title,
)

SAMPLE_MARK = "示例数据（虚构，仅供演示）"
NOTE_SHEET = "说明"

__all__ = ["SAMPLE_MARK", "Scenario", "build_sample", "note_lines", "sample_input", "sample_rows", "scenario_of",
           "write_sample"]


def sample_rows(plan: Plan, last: Month | None = None) -> dict[str, list[dict[str, object]]]:
    """Every sheet's rows, by sheet key and column key (`last`: another last month than the scenario's)."""
    sc = scenario_of(plan, last)
    routes = route_rows(plan, sc)
    ships = ship_rows(plan, sc)
    warehouses = warehouse_rows(plan, sc)
    forwarders = forwarder_rows(plan, sc)
    return {
        "indicators": indicator_rows(plan, sc, warehouses, forwarders),
        "routes": routes,
        "ships": ships,
        "tasks": task_rows(plan, sc, routes, ships, warehouses, forwarders),
        "goals": goal_rows(plan, sc),
        "warehouses": warehouses,
        "forwarders": forwarders,
    }


def note_lines(plan: Plan) -> list[str]:
    """The 说明 sheet: what this workbook is and what it is built to show."""
    sc = scenario_of(plan)
    lines = [
        "一、这是什么",
        "本工作簿为虚构的示例数据，仅用于演示进度看板的功能，不代表任何单位的实际工作进展；"
        "其中的企业、船舶、海外分拨仓名称均为虚构。",
        f"数据范围：{sc.first.label}至{sc.last.label}（存量指标另有{sc.baseline.label}基数）；"
        f"看板默认以最新统计期{sc.last.label}为截止月份。",
        "本工作簿与填报模板格式相同，可作为填报参考；由 python -m yzlogi sample 根据计划数据文件生成，每次生成结果相同。",
        "二、示例中设计的情形",
        "主要指标：比重类指标保持在目标附近；下限类指标有的高于目标、有的略低、有的明显低于目标；"
        "存量指标有的快于、有的略慢于序时进度" + ("，与名册逐月一致" if plan.registers else "") + "。",
    ]
    routes = plan.routes
    if routes:
        words = ("快于序时进度", "略慢", "明显滞后")
        described = "，".join(f"{r.name}{words[i % 3]}" for i, r in enumerate(routes))
        lines.append(f"通道班次：{described}；“{NEW_LINE}”为{sc.new_line_from.label}新开线路，上传时会提示为新增线路。")
    if plan.fleet:
        lines.append("船舶更新：各类别有已完成、在建和计划中的船舶，部分类别慢于序时进度。")
    parts = []
    if sc.behind:
        parts.append(f"任务{'、'.join(str(no) for no in sc.behind)}的牵头单位报告滞后")
    if sc.not_started:
        parts.append("部分责任单位尚未启动")
    if sc.lead_silent is not None:
        silent = plan.task(sc.lead_silent)
        parts.append(f"任务{silent.no}的牵头单位{silent.lead[0]}未报送{sc.last.label}进展（显示为待报送）")
    if sc.responsible_silent is not None:
        parts.append(f"任务{sc.responsible_silent[0]}有一个责任单位未报送{sc.last.label}进展")
    if sc.done:
        parts.append(f"任务{next(iter(sc.done))}已完成")
    lines.append("重点任务：" + "；".join(parts) + "。")
    if plan.goals:
        lines.append("其他目标：累计类目标有的快于序时进度、有的略慢；排名类目标期中达到目标。")
    return lines


def build_sample(plan: Plan) -> Workbook:
    """The sample workbook: 说明, the plan's data sheets, the hidden lists."""
    workbook = build_workbook(plan, sample_rows(plan), title_prefix=SAMPLE_MARK,
                              note_prefix=f"{SAMPLE_MARK}。", stored_only=True)
    add_text_sheet(workbook, NOTE_SHEET, f"{SAMPLE_MARK}{workbook_title(plan)}", note_lines(plan), [110], index=0)
    workbook.active = 0
    # Which plan this sample was made for (yzlogi.sample_file): another plan gets its own.
    workbook.properties.description = f"{SAMPLE_MARK}（{plan.short_title}）{sample_file.MARK}{plan.digest}"
    return workbook


def sample_input(plan: Plan, name: str) -> InputFile:
    """The sample of `plan` as an upload named `name` (a new folder of a plan without a bundled sample)."""
    buffer = io.BytesIO()
    write_sample(buffer, plan)
    return InputFile(name, buffer.getvalue())


def write_sample(target: str | Path | BinaryIO, plan: Plan) -> None:
    """Write the sample workbook to a path or a binary file object."""
    save_workbook(build_sample(plan), target, scenario_of(plan).stamp)
