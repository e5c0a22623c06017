"""Display tables of the plan: the shapes pages render, with Chinese column names.

Pages stay thin: they call these and render the result. Nothing here knows about
Streamlit; the same tables feed exports and tests.
"""

from __future__ import annotations

import pandas as pd

from yzlogi.plan import KIND_LABELS, Plan

NONE = "——"


def units_text(units: tuple[str, ...] | list[str]) -> str:
    """Units joined the way the plan writes them (、), or —— for none."""
    return "、".join(units) if units else NONE


def indicator_targets_table(plan: Plan) -> pd.DataFrame:
    """附件1 as a table: one row per indicator, one column per year's target."""
    rows = []
    for indicator in plan.indicators:
        row = {
            "序号": indicator.no,
            "主要指标": indicator.name,
            "单位": indicator.unit,
            "目标类型": KIND_LABELS[indicator.kind],
        }
        for target in indicator.targets:
            row[f"{target.year}年目标"] = target.text
        row["牵头单位"] = units_text(indicator.lead)
        row["责任单位"] = units_text(indicator.responsible)
        row["出处"] = indicator.source
        rows.append(row)
    return pd.DataFrame(rows)


def task_table(plan: Plan, group: int | None = None) -> pd.DataFrame:
    """附件2 as a table, optionally one group only; 正文 units shown where they differ."""
    rows = []
    for task in plan.tasks:
        if group is not None and task.group != group:
            continue
        rows.append(
            {
                "序号": task.no,
                "重点工作": task.name,
                "工作内容": task.text,
                "牵头单位": units_text(task.lead),
                "责任单位": units_text(task.responsible),
                "正文条目": f"第{task.measure}条 {task.measure_name}",
                "正文分工（与附件2不同时）": (
                    f"牵头：{units_text(task.body_lead)}；配合：{units_text(task.body_support)}"
                    if task.body_differs
                    else ""
                ),
            }
        )
    return pd.DataFrame(rows)


def department_table(plan: Plan) -> pd.DataFrame:
    """Each department with how many tasks and indicators it leads or supports."""
    rows = []
    for department in plan.departments:
        led = plan.tasks_led_by(department.name)
        supported = plan.tasks_supported_by(department.name)
        rows.append(
            {
                "部门": department.name,
                "牵头任务数": len(led),
                "责任任务数": len(supported),
                "牵头任务": "、".join(str(t.no) for t in led) or NONE,
                "责任任务": "、".join(str(t.no) for t in supported) or NONE,
                "牵头指标数": len(plan.indicators_led_by(department.name)),
                "责任指标数": len(plan.indicators_supported_by(department.name)),
                "也写作": "、".join(department.aliases),
            }
        )
    return pd.DataFrame(rows)


def route_targets_table(plan: Plan) -> pd.DataFrame:
    years = len(plan.years)
    return pd.DataFrame(
        [
            {
                "线路": route.name,
                "年均目标（班次）": route.annual_target,
                f"{plan.first_year}—{plan.last_year}年合计（班次）": route.annual_target * years,
                "也写作": "、".join(route.synonyms),
                "出处": route.source,
            }
            for route in plan.routes
        ]
    )


def fleet_targets_table(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "类别": item.category,
                f"到{plan.last_year}年目标": f"{item.target}{item.unit}{'以上' if item.at_least else ''}",
                "原文": item.text,
                "出处": item.source,
            }
            for item in plan.fleet
        ]
    )


def goal_targets_table(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "目标": goal.name,
                "原文": goal.text,
                "类型": KIND_LABELS[goal.kind],
                "目标值": _goal_target_text(goal),
                "相关任务": goal.task if goal.task is not None else NONE,
                "出处": goal.source,
            }
            for goal in plan.goals
        ]
    )


def _goal_target_text(goal) -> str:
    value = f"{goal.target:g}"
    if goal.max is not None:
        value = f"{value}—{goal.max:g}"
    if goal.kind == "rank":
        return f"第{value}{goal.unit}"
    if goal.kind == "milestone":
        return "实现"
    return f"{value}{goal.unit}{'以上' if goal.at_least else ''}"


def discrepancy_table(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"差异": d.title, "正文": d.body, "附件": d.annex, "出处": d.source}
            for d in plan.discrepancies
        ]
    )


def light_rules_table(plan: Plan) -> pd.DataFrame:
    """How each kind of target gets its light, with the plan's own thresholds (设计：灯号规则)."""
    th = plan.thresholds
    green, yellow = f"{th.green_ratio:.0%}", f"{th.yellow_ratio:.0%}"
    ratio = f"完成序时进度 ≥ {green} 绿；≥ {yellow} 黄；否则红"
    first, last = plan.first_year, plan.last_year
    months = (last - first + 1) * 12
    return pd.DataFrame(
        [
            {"目标类型": KIND_LABELS["annual_flow"], "例子": "三条线路年均班次；行业规上企业新增数量",
             "序时进度（截至Y年m月）": "年目标 × m/12", "灯": ratio},
            {"目标类型": KIND_LABELS["level"], "例子": "海外分拨仓个数；国际货代备案企业数量",
             "序时进度（截至Y年m月）": "B + (年目标 − B) × m/12，B 为上年12月填报值（无则取上年目标）",
             "灯": ratio},
            {"目标类型": KIND_LABELS["floor"], "例子": "营收增速 5%以上；多式联运、通道运量增速 10%以上",
             "序时进度（截至Y年m月）": "目标本身",
             "灯": f"实际 ≥ 目标 绿；≥ {th.floor_yellow_share:.0%} × 目标 黄；否则红"},
            {"目标类型": KIND_LABELS["band"], "例子": "物流业增加值占GDP比重 维持在10%左右",
             "序时进度（截至Y年m月）": "目标本身",
             "灯": f"偏离 ≤ {th.band_green_points:g} 个百分点 绿；≤ {th.band_yellow_points:g} 个百分点 黄；否则红"},
            {"目标类型": "期限数量", "例子": f"船舶更新（{last}年底前）",
             "序时进度（截至Y年m月）": f"目标 × 已过月数/{months}（自{first}年1月起）", "灯": ratio},
            {"目标类型": KIND_LABELS["composite"], "例子": "指标6 通道运力投入强度",
             "序时进度（截至Y年m月）": "各线路分别计算", "灯": "取三条线路中最差的灯：一条落后不被另两条掩盖"},
            {"目标类型": "重点任务", "例子": "附件2 16项任务",
             "序时进度（截至Y年m月）": "各单位截至该月的最近一次报送",
             "灯": "已完成 绿；当月报送 序时推进 绿、未启动 黄、滞后 红；当月未报送 灰。"
                   "任务取牵头单位和已报送责任单位中最差（红 > 黄 > 灰 > 绿）：牵头单位未报送则任务为灰，责任单位未报送不影响"},
            {"目标类型": "无数据", "例子": "统计数据尚未发布",
             "序时进度（截至Y年m月）": "——", "灯": "截至该月当年无数据 灰（待报送），不算红"},
        ]
    )
