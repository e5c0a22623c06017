"""The sample's figures: route runs, the registers and the indicators they feed, ships and goals,
each reached for the light the scenario gives it."""

from __future__ import annotations

import random

from yzlogi.months import Month, month_range
from yzlogi.plan import Indicator, Plan
from yzlogi.sample.scenario import (
    BAND_OFFSETS,
    FLEET_LIGHTS,
    FLOOR_LIGHTS,
    GOAL_LIGHTS,
    LEVEL_LIGHTS,
    NEW_LINE,
    QUARTER_MONTHS,
    ROUTE_LIGHTS,
    ROUTE_SHARE_FIRST_YEAR,
    Scenario,
    count_by,
    count_for,
    day,
    evenly,
    floor_value,
    new_firm_months,
    pace,
    rng_for,
    spread,
)
from yzlogi.status.rules import deadline_pace, year_pace

# --- routes ------------------------------------------------------------------------

# Runs dip at the Spring Festival and rise towards the year end.
SEASON = {1: 0.95, 2: 0.72, 3: 0.96, 4: 1.0, 5: 1.0, 6: 1.02, 7: 1.0, 8: 1.0, 9: 1.04, 10: 1.05, 11: 1.08, 12: 1.12}


def route_rows(plan: Plan, sc: Scenario) -> list[dict[str, object]]:
    """Monthly runs per route: each year's total set by the scenario, spread by season."""
    rng = rng_for("routes")
    runs: dict[tuple[str, Month], int] = {}
    months = month_range(sc.first, sc.last)
    for position, route in enumerate(plan.routes):
        for year in range(sc.first.year, sc.last.year + 1):
            span = [m for m in months if m.year == year]
            if year == sc.last.year:
                light = ROUTE_LIGHTS[position % len(ROUTE_LIGHTS)]
                total = round(route.annual_target * sc.last.month / 12 * pace(plan, light))
            else:
                total = round(route.annual_target * ROUTE_SHARE_FIRST_YEAR[position % len(ROUTE_SHARE_FIRST_YEAR)])
            weights = [SEASON[m.month] * rng.uniform(0.94, 1.06) for m in span]
            for month, count in zip(span, spread(total, weights)):
                runs[(route.name, month)] = count
    if plan.routes:
        for month in month_range(sc.new_line_from, sc.last):
            runs[(NEW_LINE, month)] = rng.randint(4, 9)

    rows = []
    for month in months:
        for name in [r.name for r in plan.routes] + [NEW_LINE]:
            if (name, month) not in runs:
                continue
            note = ""
            if name == NEW_LINE and month == sc.new_line_from:
                note = f"{month.label}新开线路"
            elif month.month == 2:
                note = "受春节影响班次减少"
            rows.append({"route": name, "month": str(month), "runs": runs[(name, month)], "note": note})
    return rows


# --- level indicators and their registers ---------------------------------------------

WAREHOUSE_PLACES = (
    ("泰国", "曼谷"), ("越南", "河内"), ("越南", "胡志明市"), ("老挝", "万象"), ("柬埔寨", "金边"),
    ("马来西亚", "吉隆坡"), ("新加坡", "新加坡"), ("印度尼西亚", "雅加达"), ("缅甸", "仰光"),
    ("菲律宾", "马尼拉"), ("哈萨克斯坦", "阿拉木图"), ("乌兹别克斯坦", "塔什干"), ("吉尔吉斯斯坦", "比什凯克"),
    ("德国", "杜伊斯堡"), ("德国", "汉堡"), ("波兰", "华沙"), ("匈牙利", "布达佩斯"), ("荷兰", "鹿特丹"),
    ("阿联酋", "迪拜"), ("沙特阿拉伯", "利雅得"), ("土耳其", "伊斯坦布尔"), ("俄罗斯", "莫斯科"),
    ("白俄罗斯", "明斯克"), ("塞尔维亚", "贝尔格莱德"), ("泰国", "林查班"), ("越南", "海防"),
    ("马来西亚", "巴生"), ("印度尼西亚", "泗水"), ("柬埔寨", "西哈努克"), ("老挝", "磨丁"),
    ("哈萨克斯坦", "霍尔果斯"), ("西班牙", "马德里"),
)
FIRM_MARKS = ("朝天", "解放", "嘉陵", "两江", "渝州", "山城", "鹅岭", "化龙", "菜园", "大坪", "上清", "七星", "储奇",
              "望龙", "南纪", "通远")
FIRM_KINDS = ("通达", "远航", "捷运", "汇通", "联程", "海陆", "驰远", "恒泰")


def level_indicators(plan: Plan) -> list[Indicator]:
    return [i for i in plan.indicators if i.kind == "level"]


def level_path(plan: Plan, sc: Scenario, indicator: Indicator) -> dict[Month, int]:
    """The standing count at the baseline, each December and the last month, for the indicator's light."""
    light = LEVEL_LIGHTS[level_indicators(plan).index(indicator) % len(LEVEL_LIGHTS)]
    first = indicator.target(sc.first.year).value
    counts = {sc.baseline: int(first) - max(1, round(first * 0.1))}
    for year in range(sc.first.year, sc.last.year):
        counts[Month(year, 12)] = int(indicator.target(year).value)
    base = counts[Month(sc.last.year - 1, 12)]
    target = indicator.target(sc.last.year).value
    expected = year_pace(plan, indicator.unit, base, target, sc.last.month).expected
    counts[sc.last] = count_for(plan, expected, light)
    return counts


def opening_months(counts: dict[Month, int], rng: random.Random) -> list[Month]:
    """When each register entry starts, so the count at each key month matches."""
    marks = sorted(counts)
    before = month_range(marks[0].plus(-107), marks[0])  # nine years of earlier entries
    months = sorted(rng.choice(before) for _ in range(counts[marks[0]]))
    for previous, mark in zip(marks, marks[1:]):
        months += evenly(counts[mark] - counts[previous], month_range(previous.plus(1), mark))
    return months


def warehouse_rows(plan: Plan, sc: Scenario) -> list[dict[str, object]]:
    """The overseas warehouse register, consistent with the indicator the plan checks it against."""
    indicator = plan.register_indicator("warehouses")
    if indicator is None:
        return []
    rng = rng_for("warehouses")
    rows = []
    for index, month in enumerate(opening_months(level_path(plan, sc, indicator), rng)):
        country, city = WAREHOUSE_PLACES[index % len(WAREHOUSE_PLACES)]
        suffix = "" if index < len(WAREHOUSE_PLACES) else "第二"
        operator = f"重庆示例{rng.choice(FIRM_MARKS)}国际物流有限公司"
        rows.append({"name": f"{city}{suffix}海外分拨仓", "country": country, "city": city,
                     "operator": operator, "opened": day(rng, month)})
    return rows


def forwarder_rows(plan: Plan, sc: Scenario) -> list[dict[str, object]]:
    """The forwarder register, consistent with the indicator the plan checks it against; two are
    globally known (one before the plan, one joining in the last month's year)."""
    indicator = plan.register_indicator("forwarders")
    if indicator is None:
        return []
    rng = rng_for("forwarders")
    months = opening_months(level_path(plan, sc, indicator), rng)
    names = [f"重庆示例{mark}{kind}国际货运代理有限公司" for mark in FIRM_MARKS for kind in FIRM_KINDS]
    names += [f"重庆示例国际货运代理有限公司{n:03d}" for n in range(len(months) - len(names))]
    names = rng.sample(names, len(months))
    famous = {0, len(months) - 2}
    rows = []
    for index, (name, month) in enumerate(zip(names, months)):
        if index in famous:
            name = f"示例环球{'一' if index == 0 else '二'}国际物流（中国）有限公司重庆分公司"
        rows.append({"name": name, "registered": day(rng, month), "global_famous": "是" if index in famous else "否"})
    return rows


# --- indicators ----------------------------------------------------------------------


def _interpolated(counts: dict[Month, int], month: Month) -> int:
    """A standing count between the level path's marks (rising evenly, whole units)."""
    marks = sorted(counts)
    if month <= marks[0]:
        return counts[marks[0]]
    for left, right in zip(marks, marks[1:]):
        if month <= right:
            return counts[left] + (counts[right] - counts[left]) * (month - left) // (right - left)
    return counts[marks[-1]]


def indicator_rows(plan: Plan, sc: Scenario, warehouses, forwarders) -> list[dict[str, object]]:
    """指标进展: every reported indicator, monthly (a band indicator quarterly)."""
    rng = rng_for("indicators")
    values: dict[tuple[int, Month], object] = {}
    notes: dict[tuple[int, Month], str] = {}
    months = month_range(sc.first, sc.last)
    floors = [i for i in plan.indicators if i.kind == "floor"]
    registers = {"warehouses": (warehouses, "opened"), "forwarders": (forwarders, "registered")}
    for indicator in plan.indicators:
        if indicator.kind == "band":
            quarters = [m for m in months if m.month in QUARTER_MONTHS]
            for index, month in enumerate(quarters):
                target = indicator.target(month.year).value
                offset = BAND_OFFSETS[index % len(BAND_OFFSETS)]
                values[(indicator.no, month)] = round(target + offset * plan.thresholds.band_green_points, 1)
        elif indicator.kind == "floor":
            light = FLOOR_LIGHTS[floors.index(indicator) % len(FLOOR_LIGHTS)]
            first_year = {"green": "green", "yellow": "green", "red": "yellow"}[light]
            for year in range(sc.first.year, sc.last.year + 1):
                target = indicator.target(year).value
                end = floor_value(plan, target, light if year == sc.last.year else first_year)
                # January is reported with February (1—2月合计), as statistics offices do.
                span = [m for m in months if m.year == year and m.month >= 2] or [m for m in months if m.year == year]
                drift = rng.uniform(-0.15, 0.15)
                for k, month in enumerate(span):
                    left = 1 - (k + 1) / len(span)
                    wobble = rng.uniform(-0.03, 0.03) * target * left
                    values[(indicator.no, month)] = round(end * (1 + drift * left) + wobble, 1)
                    if month.month == 2:
                        notes[(indicator.no, month)] = "1—2月合计"
                values[(indicator.no, span[-1])] = end
        elif indicator.kind == "annual_flow":
            events = new_firm_months(plan, sc, indicator)
            for month in months:
                values[(indicator.no, month)] = sum(1 for e in events if e.year == month.year and e <= month)
        elif indicator.kind == "level":
            register = registers.get(indicator.register) if indicator.register else None
            counts = level_path(plan, sc, indicator)
            for month in [sc.baseline, *months]:
                if register is not None:
                    values[(indicator.no, month)] = count_by(*register, month)
                else:
                    values[(indicator.no, month)] = _interpolated(counts, month)
            notes[(indicator.no, sc.baseline)] = f"{sc.baseline.year}年末基数"
    rows = []
    for month in [sc.baseline, *months]:
        for indicator in plan.indicators:
            if (indicator.no, month) in values:
                rows.append({
                    "indicator_no": indicator.no,
                    "indicator_name": indicator.name,
                    "month": str(month),
                    "value": values[(indicator.no, month)],
                    "department": indicator.lead[0],
                    "note": notes.get((indicator.no, month), ""),
                })
    return rows


# --- ships -----------------------------------------------------------------------------

SHIP_MARKS = ("LNG", "甲醇", "滚装", "海运")
SHIP_OWNERS = ("重庆示例长江航运有限公司", "重庆示例江海联运有限公司", "重庆示例滚装运输有限公司", "重庆示例远洋海运有限公司")


def ship_rows(plan: Plan, sc: Scenario) -> list[dict[str, object]]:
    """船舶更新: per category, ships done (with dates) for its light, one under way, the rest planned."""
    rng = rng_for("ships")
    done_span = month_range(Month(sc.first.year, 3), sc.last.plus(-1))
    rows = []
    for position, item in enumerate(plan.fleet):
        expected = deadline_pace(plan, item.target, item.unit, item.milestones, sc.last).expected
        light = FLEET_LIGHTS[position % len(FLEET_LIGHTS)]
        try:
            done = count_for(plan, expected, light, cap=item.target)
        except ValueError:
            done = count_for(plan, expected, "red")
        total = item.target + (1 if item.at_least else 0)
        mark = SHIP_MARKS[position] if position < len(SHIP_MARKS) else f"{position + 1}号"
        owner = SHIP_OWNERS[position % len(SHIP_OWNERS)]
        finished = sorted(rng.sample(done_span, min(done, len(done_span))))
        for index in range(total):
            if index < len(finished):
                status, completed, note = "已完成", day(rng, finished[index]), "已通过验收并投入运营"
            elif index == len(finished):
                status, completed, note = "在建", None, f"预计{sc.last.year + 1}年上半年完成"
            else:
                status, completed, note = "计划", None, "已列入更新计划，正在开展前期工作"
            rows.append({"ship_name": f"{plan.short_title[:2]}{mark}{index + 1:02d}", "category": item.category, "status": status,
                         "completed": completed, "company": owner, "note": note})
    return rows


# --- secondary goals -----------------------------------------------------------------------


def goal_rows(plan: Plan, sc: Scenario) -> list[dict[str, object]]:
    """其他目标: each goal at the scenario's goal months. A rank reaches its target part way;
    cumulative goals run ahead of or just short of 序时进度 (GOAL_LIGHTS); floor and band
    rates sit near their targets; a milestone is achieved by the first milestone goal only."""
    rows = []
    cumulative = [g for g in plan.goals if g.kind == "cumulative"]
    milestones = [g for g in plan.goals if g.kind == "milestone"]
    for goal in plan.goals:
        for month in sc.goal_months:
            note = ""
            if goal.kind == "rank":
                value = goal.target if month >= sc.rank_from else goal.target + 1
            elif goal.kind == "milestone":
                if goal is not milestones[0]:
                    continue
                value = 1 if month >= sc.rank_from else 0
            elif goal.kind == "cumulative":
                light = GOAL_LIGHTS[cumulative.index(goal) % len(GOAL_LIGHTS)]
                # The last report is judged at the last month: its value is set against that month's pace.
                judged = sc.last if month == sc.goal_months[-1] else month
                value = _goal_value(plan, goal, judged, light)
                if judged == sc.last and light == "green" and plan.counts_whole(goal.unit):
                    value = max(value, 1)  # a whole-unit goal on pace shows one done, not a bare zero
                note = f"自{sc.first.year}年起累计"
            elif goal.kind == "floor":
                value = round(goal.target * (1.1 if plan.goals.index(goal) % 2 == 0 else 0.95), 1)
            else:  # band
                value = round(goal.target + 0.5 * plan.thresholds.band_green_points, 1)
            rows.append({"goal": goal.name, "month": str(month), "value": value, "note": note})
    return rows


def _goal_value(plan: Plan, goal, month: Month, light: str) -> float | int:
    """A cumulative goal's value at `month`: the share of 序时进度 that shows `light`."""
    expected = deadline_pace(plan, goal.target, goal.unit, goal.milestones, month).expected
    if plan.counts_whole(goal.unit):
        try:
            return count_for(plan, expected, light, cap=goal.max or goal.target)
        except ValueError:
            return count_for(plan, expected, "green", cap=goal.max or goal.target)
    return round(expected * pace(plan, light), 2)
