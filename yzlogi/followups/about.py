"""What a follow-up item is about, and who must act on it, checked against the plan.

An item is about one thing the plan tracks, written as the exceptions list keys its rows
(yzlogi.status Alert.key), so a red row can be raised as it is:
  indicator:5:2026        an indicator in a year of the plan
  route:渝穗班列:2026      a route in a year (its name or any synonym)
  fleet:甲醇动力船舶更新    a fleet category (name or synonym)
  task:8                  a task
  task:8:区商务委          a task × one of its units (name or alias)
  goal:5a_new             a secondary goal (its key, name or alias)
Its default units are the lead(s) of that thing (for a task × unit, that unit). Unit names
are the plan's, or any alias; an unknown name is refused with the closest one suggested.
Nothing here names a part of this particular plan: every name comes from the Plan.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from yzlogi.followups.errors import BadAbout, UnknownUnit
from yzlogi.plan import Plan
from yzlogi.text import closest, fold

SECTIONS = ("indicator", "route", "fleet", "task", "goal")


@dataclass(frozen=True)
class About:
    """One thing of the plan an item can be about."""

    section: str  # indicator | route | fleet | task | goal
    key: str  # canonical: the plan's names, e.g. route:渝穗班列:2026
    subject: str  # in words, as the pages title it: 指标5 西部陆海新通道运量增速（2026年）
    leads: tuple[str, ...]  # the default units


def forms(plan: Plan) -> str:
    """The ways an item's subject can be written under this plan, for messages."""
    parts = ["indicator:指标编号:年份"]
    if plan.routes:
        parts.append("route:线路:年份")
    if plan.fleet:
        parts.append("fleet:船舶类别")
    parts += ["task:任务编号", "task:任务编号:单位"]
    if plan.goals:
        parts.append("goal:目标")
    return "、".join(parts)


def parse_about(text: str, plan: Plan) -> About:
    """The thing `text` names (see the module docstring); BadAbout in Chinese when it names nothing."""
    raw = (text or "").strip()
    parts = [p.strip() for p in unicodedata.normalize("NFKC", raw).split(":")]
    section = parts[0].lower()
    if section not in SECTIONS or any(not p for p in parts) or len(parts) < 2:
        raise BadAbout(f"督办事项所涉内容“{raw}”的写法不对，应为 {forms(plan)} 之一，如 task:{plan.tasks[0].no}。")
    if section == "indicator":
        return _indicator(raw, parts, plan)
    if section == "route":
        return _route(raw, parts, plan)
    if section == "fleet":
        return _fleet(raw, parts, plan)
    if section == "task":
        return _task(raw, parts, plan)
    return _goal(raw, parts, plan)


def _arity(raw: str, parts: list[str], count: int, form: str) -> None:
    if len(parts) != count:
        raise BadAbout(f"督办事项所涉内容“{raw}”的写法不对，应为 {form}。")


def _number(raw: str, text: str, what: str) -> int:
    if not text.isdigit():
        raise BadAbout(f"督办事项所涉内容“{raw}”中的{what}“{text}”应为数字。")
    return int(text)


def _year(raw: str, text: str, plan: Plan) -> int:
    year = _number(raw, text, "年份")
    if year not in plan.years:
        raise BadAbout(f"督办事项所涉内容“{raw}”中的年份 {year} 不在计划年度（{plan.period}）内。")
    return year


def _unknown(what: str, text: str, spellings: dict[str, str], names: Iterable[str] = ()) -> str:
    """计划中没有线路“渝穗”，您是否要找：渝穗班列？ — or the plan's names when none is close."""
    folded = fold(text)
    found = next((s for s in spellings if folded and (folded in fold(s) or fold(s) in folded)), None)
    found = found or closest(text, spellings, cutoff=0.6)
    if found:
        return f"计划中没有{what}“{text.strip()}”，您是否要找：{spellings[found]}？"
    listed = "、".join(names)
    return f"计划中没有{what}“{text.strip()}”" + (f"（计划中的{what}：{listed}）。" if listed else "。")


def _indicator(raw: str, parts: list[str], plan: Plan) -> About:
    _arity(raw, parts, 3, "indicator:指标编号:年份，如 indicator:1:" + str(plan.years[0]))
    no = _number(raw, parts[1], "指标编号")
    try:
        indicator = plan.indicator(no)
    except KeyError:
        numbers = "、".join(str(i.no) for i in plan.indicators)
        raise BadAbout(f"计划中没有指标 {no}（主要指标的编号为 {numbers}）。") from None
    year = _year(raw, parts[2], plan)
    return About("indicator", f"indicator:{no}:{year}", f"指标{no} {indicator.name}（{year}年）", indicator.lead)


def _route(raw: str, parts: list[str], plan: Plan) -> About:
    _arity(raw, parts, 3, "route:线路:年份")
    name = plan.resolve_route(parts[1])
    if name is None:
        if not plan.routes:
            raise BadAbout("计划中没有通道线路。")
        spellings = {s: r.name for r in plan.routes for s in (r.name, *r.synonyms)}
        raise BadAbout(_unknown("线路", parts[1], spellings, (r.name for r in plan.routes)))
    year = _year(raw, parts[2], plan)
    return About("route", f"route:{name}:{year}", f"{name}（{year}年）", plan.route(name).lead)


def _fleet(raw: str, parts: list[str], plan: Plan) -> About:
    _arity(raw, parts, 2, "fleet:船舶类别")
    name = plan.resolve_fleet_category(parts[1])
    if name is None:
        if not plan.fleet:
            raise BadAbout("计划中没有船舶更新目标。")
        spellings = {s: f.category for f in plan.fleet for s in (f.category, *f.synonyms)}
        raise BadAbout(_unknown("船舶类别", parts[1], spellings, (f.category for f in plan.fleet)))
    return About("fleet", f"fleet:{name}", f"船舶更新 {name}", plan.fleet_category(name).lead)


def _task(raw: str, parts: list[str], plan: Plan) -> About:
    if len(parts) not in (2, 3):
        raise BadAbout(f"督办事项所涉内容“{raw}”的写法不对，应为 task:任务编号 或 task:任务编号:单位。")
    no = _number(raw, parts[1], "任务编号")
    try:
        task = plan.task(no)
    except KeyError:
        raise BadAbout(f"计划中没有任务 {no}（重点任务共 {len(plan.tasks)} 项，编号 "
                       f"{plan.tasks[0].no}—{plan.tasks[-1].no}）。") from None
    subject = f"任务{no} {task.name}"
    if len(parts) == 2:
        return About("task", f"task:{no}", subject, task.lead)
    unit = resolve_unit(plan, parts[2])
    if unit not in task.units:
        responsible = "、".join(task.responsible) or "无"
        raise BadAbout(f"{unit}不是任务{no}的牵头或责任单位（牵头：{'、'.join(task.lead)}；责任：{responsible}）。")
    return About("task", f"task:{no}:{unit}", f"{subject}（{unit}）", (unit,))


def _goal(raw: str, parts: list[str], plan: Plan) -> About:
    _arity(raw, parts, 2, "goal:目标")
    key = parts[1] if any(g.key == parts[1] for g in plan.goals) else plan.resolve_goal(parts[1])
    if key is None:
        if not plan.goals:
            raise BadAbout("计划中没有其他目标。")
        spellings = {s: g.name for g in plan.goals for s in (g.key, g.name, *g.aliases)}
        raise BadAbout(_unknown("目标", parts[1], spellings, (g.name for g in plan.goals)))
    goal = plan.goal(key)
    leads = goal.lead or (plan.task(goal.task).lead if goal.task is not None else ())
    return About("goal", f"goal:{key}", f"其他目标 {goal.name}", leads)


# --- units ----------------------------------------------------------------------------


def resolve_unit(plan: Plan, text: str) -> str:
    """The plan's name of a unit written as its name, short form or alias; UnknownUnit with the closest else."""
    name = plan.resolve_department(text or "")
    if name is not None:
        return name
    guess = plan.suggest_department(text or "")
    if guess is not None:
        raise UnknownUnit(f"计划中没有部门“{(text or '').strip()}”，您是否要找：{guess}？")
    raise UnknownUnit(_unknown("部门", text or "", {}))


def resolve_units(plan: Plan, names: Iterable[str], about: About) -> tuple[str, ...]:
    """The units that must act: those named (in order, once each), else the subject's leads."""
    units: list[str] = []
    for text in names:
        name = resolve_unit(plan, text)
        if name not in units:
            units.append(name)
    if units:
        return tuple(units)
    if not about.leads:
        raise UnknownUnit(f"“{about.subject}”在计划中没有牵头单位，请指定办理单位。")
    return tuple(about.leads)


def unit_filter(plan: Plan, name: str | None) -> str | None:
    """A unit to list items for, as the plan names it (None or '': every unit)."""
    return resolve_unit(plan, name) if name else None
