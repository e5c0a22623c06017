"""Checking a loaded plan whole: every unit named exists, every number agrees with its words.

check_plan() returns every inconsistency as a located Problem (Chinese), so the
plan file's author sees them all at once with their lines: a lead that is not a
department (with the closest name suggested), a target whose text and typed value
disagree, a register no sheet holds, milestones that do not lead to the target.
"""

from __future__ import annotations

from yzlogi.plan.model import (
    FREQUENCIES,
    GOAL_KINDS,
    INDICATOR_KINDS,
    KIND_LABELS,
    Indicator,
    Milestone,
    Plan,
    Target,
)
from yzlogi.plan.problems import Problem, Where
from yzlogi.plan.targets import FORM_OF_KIND, parse_quantity_in_text, parse_target_text

# The registers the workbook has a sheet for (yzlogi.schema): an indicator may be checked against one.
REGISTERS = {"warehouses": "海外分拨仓", "forwarders": "货代备案企业"}


def check_plan(plan: Plan) -> list[Problem]:
    """Every inconsistency in a loaded plan (empty when sound)."""
    problems: list[Problem] = []

    def add(message: str, section: str, index: int | None = None, key: str | None = None) -> None:
        problems.append(Problem(message, Where(section, index, key)))

    th = plan.thresholds
    if not 0 < th.yellow_ratio <= th.green_ratio:
        add("阈值应满足 0 < yellow_ratio ≤ green_ratio", "thresholds", key="yellow_ratio")
    if not 0 < th.band_green_points <= th.band_yellow_points:
        add("阈值应满足 0 < band_green_points ≤ band_yellow_points", "thresholds", key="band_green_points")
    if not 0 < th.floor_yellow_share <= 1:
        add("阈值应满足 0 < floor_yellow_share ≤ 1", "thresholds", key="floor_yellow_share")
    if plan.first_year > plan.last_year:
        add("first_year 晚于 last_year", "plan", key="first_year")
    if not 1990 <= plan.first_year <= 2200 or not 1990 <= plan.last_year <= 2200:
        add("first_year、last_year 应为四位年份", "plan", key="first_year")

    names = [d.name for d in plan.departments]
    known = set(names)
    if len(known) != len(names):
        add("部门名称重复", "departments")

    def check_units(owner: str, role: str, units: tuple[str, ...], section: str, index: int, key: str) -> None:
        for unit in units:
            if unit not in known:
                guess = plan.suggest_department(unit)
                hint = f"；您是否要找：{guess}？" if guess else ""
                add(f"{owner}的{role}“{unit}”不在部门名单中{hint}", section, index, key)
        if len(set(units)) != len(units):
            add(f"{owner}的{role}有重复", section, index, key)

    if plan.coordinator:
        check_units("计划", "汇总单位（coordinator）", (plan.coordinator,), "plan", None, "coordinator")

    years = set(plan.years)
    route_targets = {r.name: r.annual_target for r in plan.routes}
    nos = [i.no for i in plan.indicators]
    if not plan.indicators:
        add("计划中没有主要指标（[[indicators]]）", "indicators")
    if nos != list(range(1, len(nos) + 1)):
        add(f"指标编号应从1起连续，实为 {nos}", "indicators")
    registers_seen: dict[str, int] = {}
    for index, indicator in enumerate(plan.indicators):
        owner = f"指标{indicator.no}"
        if indicator.kind not in INDICATOR_KINDS:
            add(f"{owner}的类型“{indicator.kind}”未定义（应为 {'、'.join(INDICATOR_KINDS)}）", "indicators", index, "kind")
        if not indicator.lead:
            add(f"{owner}没有牵头单位", "indicators", index, "lead")
        check_units(owner, "牵头单位", indicator.lead, "indicators", index, "lead")
        check_units(owner, "责任单位", indicator.responsible, "indicators", index, "responsible")
        if {t.year for t in indicator.targets} != years or len(indicator.targets) != len(years):
            add(f"{owner}应有 {sorted(years)} 每年一个目标", "indicators", index, "targets")
        for target in indicator.targets:
            message = _check_target(owner, indicator, target, route_targets)
            if message:
                add(message, "indicators", index, "targets")
        if indicator.frequency not in FREQUENCIES:
            add(f"{owner}的报送频率“{indicator.frequency}”未定义（应为 {'、'.join(FREQUENCIES)}）", "indicators", index,
                "frequency")
        if indicator.kind == "composite" and not plan.routes:
            add(f"{owner}为组合指标（取各线路最差），但计划中没有线路（[[routes]]）", "indicators", index, "kind")
        if indicator.register is not None:
            if indicator.register not in REGISTERS:
                add(f"{owner}的名册“{indicator.register}”未定义（应为 "
                    + "、".join(f"{k}（{v}）" for k, v in REGISTERS.items()) + "）", "indicators", index, "register")
            elif indicator.kind != "level":
                add(f"{owner}对照名册“{REGISTERS[indicator.register]}”，应为存量水平（level）指标", "indicators", index,
                    "register")
            elif indicator.register in registers_seen:
                add(f"名册“{REGISTERS[indicator.register]}”同时对照指标{registers_seen[indicator.register]}和{owner}",
                    "indicators", index, "register")
            registers_seen.setdefault(indicator.register, indicator.no)
    if sum(1 for i in plan.indicators if i.kind == "composite") > 1:
        add("组合指标（composite）最多一个", "indicators")

    group_nos = {g.no for g in plan.groups}
    task_nos = [t.no for t in plan.tasks]
    if not plan.tasks:
        add("计划中没有重点任务（[[tasks]]）", "tasks")
    if task_nos != list(range(1, len(task_nos) + 1)):
        add(f"任务编号应从1起连续，实为 {task_nos}", "tasks")
    for index, task in enumerate(plan.tasks):
        owner = f"任务{task.no}"
        if not task.lead:
            add(f"{owner}没有牵头单位", "tasks", index, "lead")
        if task.group not in group_nos:
            add(f"{owner}所属分组 {task.group} 不存在", "tasks", index, "group")
        if set(task.lead) & set(task.responsible):
            add(f"{owner}的同一单位既是牵头单位又是责任单位", "tasks", index, "responsible")
        check_units(owner, "牵头单位", task.lead, "tasks", index, "lead")
        check_units(owner, "责任单位", task.responsible, "tasks", index, "responsible")
        check_units(owner, "正文牵头单位", task.body_lead, "tasks", index, "body_lead")
        check_units(owner, "正文配合单位", task.body_support, "tasks", index, "body_support")

    for index, route in enumerate(plan.routes):
        owner = f"线路“{route.name}”"
        if route.annual_target <= 0:
            add(f"{owner}的年目标应为正数", "routes", index, "annual_target")
        if not route.lead:
            add(f"{owner}没有牵头单位", "routes", index, "lead")
        check_units(owner, "牵头单位", route.lead, "routes", index, "lead")
        check_units(owner, "责任单位", route.responsible, "routes", index, "responsible")

    for index, item in enumerate(plan.fleet):
        owner = f"船舶类别“{item.category}”"
        parsed = parse_quantity_in_text(item.text)
        if parsed is None or parsed[0] != item.target or parsed[2] != item.unit:
            add(f"{owner}的目标 {item.target}{item.unit} 与原文“{item.text}”不符", "fleet", index, "target")
        elif parsed[3] != item.at_least:
            add(f"{owner}的“以上”与原文“{item.text}”不符", "fleet", index, "at_least")
        if not item.lead:
            add(f"{owner}没有牵头单位", "fleet", index, "lead")
        check_units(owner, "牵头单位", item.lead, "fleet", index, "lead")
        if item.task is not None and item.task not in task_nos:
            add(f"{owner}关联的任务{item.task}不存在", "fleet", index, "task")
        for message in _check_milestones(owner, item.milestones, item.target, plan):
            add(message, "fleet", index, "milestones")

    keys = [g.key for g in plan.goals]
    if len(set(keys)) != len(keys):
        add("其他目标的 key 重复", "goals")
    for index, goal in enumerate(plan.goals):
        owner = f"其他目标“{goal.name}”"
        if goal.kind not in GOAL_KINDS:
            add(f"{owner}的类型“{goal.kind}”未定义（应为 {'、'.join(GOAL_KINDS)}）", "goals", index, "kind")
        if goal.task is not None and goal.task not in task_nos:
            add(f"{owner}关联的任务{goal.task}不存在", "goals", index, "task")
        if not goal.lead:
            add(f"{owner}没有牵头单位", "goals", index, "lead")
        check_units(owner, "牵头单位", goal.lead, "goals", index, "lead")
        if goal.kind in ("cumulative", "floor", "band"):
            parsed = parse_quantity_in_text(goal.text)
            if parsed is None:
                add(f"{owner}的原文“{goal.text}”中找不到数值", "goals", index, "text")
            else:
                value, top, unit, at_least = parsed
                if (value, top, unit, at_least) != (goal.target, goal.max, goal.unit, goal.at_least):
                    add(f"{owner}的目标与原文“{goal.text}”不符", "goals", index, "target")
        if goal.milestones and goal.kind != "cumulative":
            add(f"{owner}不是累计（cumulative）目标，不能设年度分解", "goals", index, "milestones")
        for message in _check_milestones(owner, goal.milestones, goal.target, plan):
            add(message, "goals", index, "milestones")

    for index, item in enumerate(plan.discrepancies):
        for no in item.tasks:
            if no not in task_nos:
                add(f"差异“{item.title}”引用的任务{no}不存在", "discrepancies", index, "tasks")
        for no in item.indicators:
            if no not in nos:
                add(f"差异“{item.title}”引用的指标{no}不存在", "discrepancies", index, "indicators")
    return problems


def _check_milestones(owner: str, milestones: tuple[Milestone, ...], target: float, plan: Plan) -> list[str]:
    """Yearly milestones (年度分解): plan years before the last, rising, none beyond the target."""
    if not milestones:
        return []
    years = [m.year for m in milestones]
    problems = []
    if years != sorted(set(years)):
        problems.append(f"{owner}的年度分解年份应各不相同、从早到晚排列")
    outside = [y for y in years if not plan.first_year <= y < plan.last_year]
    if outside:
        problems.append(f"{owner}的年度分解年份 {outside} 应在 {plan.first_year}—{plan.last_year - 1} 年之间"
                        f"（{plan.last_year}年即为最终目标）")
    values = [m.value for m in milestones]
    if values != sorted(values) or values[0] < 0 or values[-1] > target:
        problems.append(f"{owner}的年度分解应逐年不减，且不超过目标 {target:g}")
    return problems


def _check_target(owner: str, indicator: Indicator, target: Target, route_targets: dict[str, int]) -> str | None:
    where = f"{owner} {target.year}年目标“{target.text}”"
    try:
        parsed = parse_target_text(target.text)
    except ValueError as exc:
        return f"{where}：{exc}"
    expected_form = FORM_OF_KIND.get(indicator.kind)
    if parsed.form != expected_form:
        return f"{where}的写法与类型“{KIND_LABELS.get(indicator.kind, indicator.kind)}”不符"
    if parsed.unit != target.unit or target.unit != indicator.unit:
        return f"{where}的单位应为“{indicator.unit}”"
    if indicator.kind == "composite":
        if parsed.parts != target.parts:
            return f"{where}与所列分项 {list(target.parts)} 不符"
        if dict(target.parts) != route_targets:
            return f"{where}的分项与线路年目标 {route_targets} 不符"
        return None
    if parsed.value != target.value:
        return f"{where}与类型值 {target.value} 不符"
    return None
