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
    """The indicator table (附件1) as a table: one row per indicator, one column per year's target."""
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
    """The task list (附件2) as a table, optionally one group only; 正文 units shown where they differ."""
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
                f"正文分工（与{plan.task_list}不同时）": (
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


def route_rule(plan: Plan) -> str:
    """How route targets (年均) are held: each year to the annual figure, the plan's years together to the total."""
    count = len(plan.years)
    return (f"目标为“年均开行”（{plan.period}{plan.span}平均）：每年按年目标考核，"
            f"{plan.span}合计按年目标的{count}倍考核。")


def deadline_rule(plan: Plan) -> str:
    """How targets due by the plan's end are paced (fleet renewal, cumulative goals)."""
    whole = "、".join(plan.whole_units)
    text = f"目标均为{plan.last_year}年底前完成；序时进度按{plan.span}（{plan.months}个月）均匀计算"
    if any(f.milestones for f in plan.fleet):
        text += "，有年度分解的按年度分解逐年计算"
    if whole:
        text += f"，按整数计的单位（{whole}）取整到整数"
    return text + "。"


def _examples(names: list[str], limit: int = 2) -> str:
    shown = "；".join(names[:limit])
    return shown + ("等" if len(names) > limit else "") if shown else NONE


def light_rules_table(plan: Plan) -> pd.DataFrame:
    """How each kind of target gets its light, with the plan's own thresholds, examples and
    rounding (设计：灯号规则); rows for kinds the plan does not use are left out."""
    th = plan.thresholds
    green, yellow = f"{th.green_ratio:.0%}", f"{th.yellow_ratio:.0%}"
    ratio = f"完成序时进度 ≥ {green} 绿；≥ {yellow} 黄；否则红"
    first = plan.first_year
    of_kind = lambda kind: [f"指标{i.no} {i.name}" for i in plan.indicators if i.kind == kind]  # noqa: E731
    rows = []
    flows = [f"{r.name}年均{r.annual_target}{r.unit}" for r in plan.routes] + of_kind("annual_flow")
    if flows:
        rows.append({"目标类型": KIND_LABELS["annual_flow"], "例子": _examples(flows),
                     "序时进度（截至Y年m月）": "年目标 × m/12", "灯": ratio})
    if of_kind("level"):
        rows.append({"目标类型": KIND_LABELS["level"], "例子": _examples(of_kind("level")),
                     "序时进度（截至Y年m月）": "B + (年目标 − B) × m/12，B 为上年12月填报值（无则取上年目标）",
                     "灯": ratio})
    if of_kind("floor"):
        rows.append({"目标类型": KIND_LABELS["floor"], "例子": _examples(of_kind("floor")),
                     "序时进度（截至Y年m月）": "目标本身",
                     "灯": f"实际 ≥ 目标 绿；≥ {th.floor_yellow_share:.0%} × 目标 黄；否则红"})
    if of_kind("band"):
        rows.append({"目标类型": KIND_LABELS["band"], "例子": _examples(of_kind("band")),
                     "序时进度（截至Y年m月）": "目标本身",
                     "灯": f"偏离 ≤ {th.band_green_points:g} 个百分点 绿；≤ {th.band_yellow_points:g} 个百分点 黄；否则红"})
    deadline = [f"{f.category}（{f.target}{f.unit}）" for f in plan.fleet]
    deadline += [f"{g.name}（{g.target:g}{g.unit}）" for g in plan.goals if g.kind == "cumulative"]
    if deadline:
        rows.append({"目标类型": "期限数量", "例子": _examples(deadline),
                     "序时进度（截至Y年m月）": f"目标 × 已过月数/{plan.months}（自{first}年1月起）", "灯": ratio})
    staged = [f"{f.category}：" + "、".join(f"{m.year}年底{m.value:g}{f.unit}" for m in f.milestones)
              for f in plan.fleet if f.milestones]
    staged += [f"{g.name}：" + "、".join(f"{m.year}年底{m.value:g}{g.unit}" for m in g.milestones)
               for g in plan.goals if g.milestones]
    if staged:
        rows.append({"目标类型": "年度分解", "例子": _examples(staged),
                     "序时进度（截至Y年m月）": "上一年底的分解目标 + (本年底的分解目标 − 上一年底的分解目标) × m/12，"
                                             f"{plan.last_year}年底为最终目标", "灯": ratio})
    if plan.whole_units:
        units = "、".join(plan.whole_units)
        rows.append({"目标类型": "按整数计", "例子": f"单位为 {units} 的目标",
                     "序时进度（截至Y年m月）": "按上面的规则算出后向下取整（如 4艘 × 22/36 = 2.44，取 2艘）",
                     "灯": "以取整后的序时进度计算完成比例；取整为 0 时为绿"})
    composite = plan.composite
    if composite is not None:
        routes = "、".join(r.name for r in plan.routes)
        rows.append({"目标类型": KIND_LABELS["composite"], "例子": f"指标{composite.no} {composite.name}",
                     "序时进度（截至Y年m月）": "各线路分别计算",
                     "灯": f"取各线路（{routes}）中最差的灯：一条落后不被其他线路掩盖"})
    rows += [
        {"目标类型": "重点任务", "例子": f"{plan.task_list} {len(plan.tasks)}项任务",
         "序时进度（截至Y年m月）": "各单位截至该月的最近一次报送",
         "灯": "已完成 绿；当月报送 序时推进 绿、未启动 黄、滞后 红；当月未报送 灰。"
               "任务取牵头单位和已报送责任单位中最差（红 > 黄 > 灰 > 绿）：牵头单位未报送则任务为灰，责任单位未报送不影响"},
        {"目标类型": "无数据", "例子": "统计数据尚未发布",
         "序时进度（截至Y年m月）": "——", "灯": "截至该月当年无数据 灰（待报送），不算红"},
    ]
    return pd.DataFrame(rows)
