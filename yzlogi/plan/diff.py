"""What changed between two plans, in Chinese: shown when a version was judged under another plan.

A version remembers the plan it was committed under (yzlogi.store); when the plan
file has changed since, the page says how, item by item, instead of silently
judging old data by new rules.
"""

from __future__ import annotations

from yzlogi.plan.model import FREQUENCIES, Plan

LIMIT = 12  # lines listed before "……另有 N 处"


def plan_changes(old: Plan, new: Plan) -> list[str]:
    """Each difference that can change a light or what is tracked, old → new; empty when none."""
    lines: list[str] = []
    if old.title != new.title:
        lines.append(f"计划名称：{old.title} → {new.title}")
    if old.years != new.years:
        lines.append(f"计划年份：{old.period} → {new.period}")
    if old.thresholds != new.thresholds:
        for name, before in vars(old.thresholds).items():
            after = getattr(new.thresholds, name)
            if before != after:
                lines.append(f"灯号阈值 {name}：{before:g} → {after:g}")
    if old.whole_units != new.whole_units:
        lines.append(f"按整数计的单位：{'、'.join(old.whole_units) or '无'} → {'、'.join(new.whole_units) or '无'}")
    lines += _keyed("指标", {i.no: i for i in old.indicators}, {i.no: i for i in new.indicators},
                    lambda i: f"指标{i.no} {i.name}", _indicator_changes)
    lines += _keyed("线路", {r.name: r for r in old.routes}, {r.name: r for r in new.routes},
                    lambda r: f"线路 {r.name}", lambda a, b: [f"年目标 {a.annual_target} → {b.annual_target}"]
                    if a.annual_target != b.annual_target else [])
    lines += _keyed("船舶类别", {f.category: f for f in old.fleet}, {f.category: f for f in new.fleet},
                    lambda f: f"船舶类别 {f.category}", _target_changes)
    lines += _keyed("任务", {t.no: t for t in old.tasks}, {t.no: t for t in new.tasks},
                    lambda t: f"任务{t.no} {t.name}", _task_changes)
    lines += _keyed("其他目标", {g.key: g for g in old.goals}, {g.key: g for g in new.goals},
                    lambda g: f"其他目标 {g.name}", _target_changes)
    old_units, new_units = {d.name for d in old.departments}, {d.name for d in new.departments}
    if old_units != new_units:
        added, removed = sorted(new_units - old_units), sorted(old_units - new_units)
        lines.append("部门：" + "；".join(p for p in (f"新增 {'、'.join(added)}" if added else "",
                                                    f"删除 {'、'.join(removed)}" if removed else "") if p))
    return lines


def summary(lines: list[str]) -> list[str]:
    """The first LIMIT lines and how many more."""
    if len(lines) <= LIMIT:
        return lines
    return lines[:LIMIT] + [f"……另有 {len(lines) - LIMIT} 处"]


def _keyed(what, old: dict, new: dict, title, compare) -> list[str]:
    lines = []
    for key in old.keys() - new.keys():
        lines.append(f"删除{what}：{title(old[key])}")
    for key in new.keys() - old.keys():
        lines.append(f"新增{what}：{title(new[key])}")
    for key in old.keys() & new.keys():
        for change in compare(old[key], new[key]):
            lines.append(f"{title(new[key])}：{change}")
    return sorted(lines)


def _indicator_changes(a, b) -> list[str]:
    changes = []
    if a.kind != b.kind:
        changes.append(f"类型 {a.kind} → {b.kind}")
    for target in b.targets:
        try:
            before = a.target(target.year).text
        except KeyError:
            before = "无"
        if before != target.text:
            changes.append(f"{target.year}年目标 “{before}” → “{target.text}”")
    if a.lead != b.lead:
        changes.append(f"牵头单位 {'、'.join(a.lead)} → {'、'.join(b.lead)}")
    if a.frequency != b.frequency:
        changes.append(f"报送频率 {FREQUENCIES[a.frequency]} → {FREQUENCIES[b.frequency]}")
    return changes


def _target_changes(a, b) -> list[str]:
    changes = []
    if a.target != b.target:
        changes.append(f"目标 {a.target:g} → {b.target:g}")
    if a.milestones != b.milestones:
        text = lambda ms: "、".join(f"{m.year}年 {m.value:g}" for m in ms) or "无"  # noqa: E731
        changes.append(f"年度分解 {text(a.milestones)} → {text(b.milestones)}")
    return changes


def _task_changes(a, b) -> list[str]:
    changes = []
    if a.lead != b.lead:
        changes.append(f"牵头单位 {'、'.join(a.lead)} → {'、'.join(b.lead)}")
    if a.responsible != b.responsible:
        changes.append(f"责任单位 {'、'.join(a.responsible) or '无'} → {'、'.join(b.responsible) or '无'}")
    return changes
