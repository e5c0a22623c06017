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

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook

from yzlogi import sample_file
from yzlogi.months import Month, month_range
from yzlogi.plan import Indicator, Plan, Task
from yzlogi.status.rules import deadline_pace, year_pace
from yzlogi.template import add_text_sheet, build_workbook, save_workbook, workbook_title

SEED = 20250918
SAMPLE_MARK = "示例数据（虚构，仅供演示）"
NOTE_SHEET = "说明"

# --- the scenario: which light each item shows at the last month ----------------------
# Lights are reached through the plan's thresholds (see pace()), so they hold when
# thresholds change. Items are chosen by their place in the plan.

FLOOR_LIGHTS = ("green", "yellow", "red")  # the floor-rate indicators, in plan order
LEVEL_LIGHTS = ("green", "yellow")  # the level indicators, in plan order
ROUTE_LIGHTS = ("green", "yellow", "red")  # the plan's routes, in plan order
ROUTE_SHARE_FIRST_YEAR = (1.03, 0.97, 0.86)  # each route's runs in earlier years ÷ annual target
FLEET_LIGHTS = ("green", "red", "red", "green")  # the plan's fleet categories, in plan order
GOAL_LIGHTS = ("green", "green", "yellow")  # the cumulative goals, in plan order
NEW_LINE = "中老铁路班列"  # not a plan route: imported as 新增线路 (a warning)
# Band indicator (a share held around its target): quarterly values, offset in band_green_points.
BAND_OFFSETS = (-0.6, -0.3, -0.1, 0.2, 0.1, 0.2, 0.3)
QUARTER_MONTHS = (3, 6, 9, 12)
# Where in the task list each role of the scenario is looked for (a share of the list).
TASK_PLACES = {
    "done": 0.0, "behind": (0.44, 0.5, 0.97), "not_started": (0.07, 0.63), "lead_silent": 0.69,
    "responsible_silent": 0.19, "unit_done": 0.25,
}


@dataclass(frozen=True)
class Scenario:
    """The sample's months and which tasks play which part, for one plan."""

    first: Month
    last: Month  # the default as-of month: the latest 统计期 in the sample
    baseline: Month
    done: dict[int, Month] = field(default_factory=dict)  # every unit reports 已完成 from then on; the lead then stops
    behind: dict[int, Month] = field(default_factory=dict)  # the lead reports 滞后 from then
    not_started: dict[int, int] = field(default_factory=dict)  # task → its unit (index) still at 未启动
    lead_silent: int | None = None  # the lead misses the last report: the task is grey (待报送)
    responsible_silent: tuple[int, int] | None = None  # a responsible unit misses the last month: task stays green
    unit_done: dict[tuple[int, int], Month] = field(default_factory=dict)  # (task, unit index) done early

    @property
    def new_line_from(self) -> Month:
        return max(self.first, self.last.plus(-7))

    @property
    def rank_from(self) -> Month:
        """When a rank goal reaches its target."""
        return max(self.first, self.last.plus(-5))

    @property
    def goal_months(self) -> tuple[Month, ...]:
        """The months goals are reported: half-yearly, then the month before the last."""
        marks = [self.first.plus(5), self.first.plus(11), self.first.plus(17), self.last.plus(-1)]
        return tuple(sorted({m for m in marks if self.first <= m < self.last}))

    @property
    def stamp(self) -> datetime:
        """The file's timestamps: the fifth of the month after the last."""
        after = self.last.plus(1)
        return datetime(after.year, after.month, 5, 9, 0, 0)


def scenario(plan: Plan, last: Month | None = None) -> Scenario:
    """The scenario of `plan`: its months and the tasks that play each part."""
    first = plan.start
    last = last or first.plus(max(0, min(plan.months - 3, int(plan.months * 0.6))))
    count = len(plan.tasks)
    taken: set[int] = set()

    def pick(share: float, usable=lambda task: True) -> Task | None:
        start = min(count - 1, int(share * count)) if count else 0
        for index in list(range(start, count)) + list(range(0, start)):
            task = plan.tasks[index]
            if index not in taken and usable(task):
                taken.add(index)
                return task
        return None

    done = pick(TASK_PLACES["done"])
    behind = [pick(share) for share in TASK_PLACES["behind"]]
    behind_from = (last.plus(-2), last.plus(-5), last.plus(-1))
    not_started = [pick(share, lambda t: len(t.units) > 1) for share in TASK_PLACES["not_started"]]
    lead_silent = pick(TASK_PLACES["lead_silent"])
    responsible_silent = pick(TASK_PLACES["responsible_silent"], lambda t: bool(t.responsible))
    unit_done = pick(TASK_PLACES["unit_done"], lambda t: len(t.units) > 1)
    return Scenario(
        first=first, last=last, baseline=plan.baseline,
        done={done.no: max(first, last.plus(-4))} if done else {},
        behind={t.no: max(first, month) for t, month in zip(behind, behind_from) if t},
        not_started={t.no: -1 for t in not_started if t},
        lead_silent=lead_silent.no if lead_silent else None,
        responsible_silent=(responsible_silent.no, -1) if responsible_silent else None,
        unit_done={(unit_done.no, 1): max(first, last.plus(-6))} if unit_done else {},
    )


def pace(plan: Plan, light: str) -> float:
    """A ratio of actual to expected that lands well inside a light's band."""
    th = plan.thresholds
    return {
        "green": th.green_ratio * 1.06,
        "yellow": (th.yellow_ratio + th.green_ratio) / 2,
        "red": th.yellow_ratio * 0.8,
    }[light]


def floor_value(plan: Plan, target: float, light: str) -> float:
    """A floor-rate value for a light: above T, between 0.9T and T, or well below."""
    share = plan.thresholds.floor_yellow_share
    factor = {"green": 1.24, "yellow": (1 + share) / 2, "red": share * 0.85}[light]
    return round(target * factor, 1)


def count_for(plan: Plan, expected: float, light: str, cap: float | None = None) -> int:
    """A whole count whose ratio to `expected` (序时进度 as the status rules give it) shows `light`,
    inside the light's band where it can; ValueError when no whole number is yellow (say, against 1)."""
    th = plan.thresholds
    if light == "green" or expected <= 0:
        count = math.ceil(expected * th.green_ratio - 1e-9)
    elif light == "red":
        count = max(0, math.ceil(expected * th.yellow_ratio - 1e-9) - 1)
    else:
        low, high = expected * th.yellow_ratio - 1e-9, expected * th.green_ratio
        count = round(expected * pace(plan, "yellow"))
        if not low <= count < high:
            count = math.ceil(low)
        if count >= high:
            raise ValueError(f"no whole number is yellow against 序时进度 {expected:g}")
    return min(count, int(cap)) if cap is not None else count


def spread(total: int, weights: list[float]) -> list[int]:
    """Split an integer total over weights, largest remainders first (sums exactly)."""
    if total <= 0:
        return [0] * len(weights)
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def evenly(count: int, months: list[Month]) -> list[Month]:
    """`count` months spread evenly over a span (for events: openings, new firms)."""
    return [months[min(len(months) - 1, int((i + 0.5) * len(months) / count))] for i in range(count)]


def _rng(section: str) -> random.Random:
    # One generator per section: a change in one sheet leaves the others' values alone.
    return random.Random(f"{SEED}:{section}")


def _day(rng: random.Random, month: Month) -> date:
    return date(month.year, month.month, rng.randint(3, 26))


# --- routes ------------------------------------------------------------------------

# Runs dip at the Spring Festival and rise towards the year end.
SEASON = {1: 0.95, 2: 0.72, 3: 0.96, 4: 1.0, 5: 1.0, 6: 1.02, 7: 1.0, 8: 1.0, 9: 1.04, 10: 1.05, 11: 1.08, 12: 1.12}


def route_rows(plan: Plan, sc: Scenario) -> list[dict[str, object]]:
    """Monthly runs per route: each year's total set by the scenario, spread by season."""
    rng = _rng("routes")
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


def route_runs(rows: list[dict[str, object]], name: str, month: Month) -> int:
    for row in rows:
        if row["route"] == name and row["month"] == str(month):
            return int(row["runs"])
    return 0


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
    rng = _rng("warehouses")
    rows = []
    for index, month in enumerate(opening_months(level_path(plan, sc, indicator), rng)):
        country, city = WAREHOUSE_PLACES[index % len(WAREHOUSE_PLACES)]
        suffix = "" if index < len(WAREHOUSE_PLACES) else "第二"
        operator = f"重庆示例{rng.choice(FIRM_MARKS)}国际物流有限公司"
        rows.append({"name": f"{city}{suffix}海外分拨仓", "country": country, "city": city,
                     "operator": operator, "opened": _day(rng, month)})
    return rows


def forwarder_rows(plan: Plan, sc: Scenario) -> list[dict[str, object]]:
    """The forwarder register, consistent with the indicator the plan checks it against; two are
    globally known (one before the plan, one joining in the last month's year)."""
    indicator = plan.register_indicator("forwarders")
    if indicator is None:
        return []
    rng = _rng("forwarders")
    months = opening_months(level_path(plan, sc, indicator), rng)
    names = [f"重庆示例{mark}{kind}国际货运代理有限公司" for mark in FIRM_MARKS for kind in FIRM_KINDS]
    names += [f"重庆示例国际货运代理有限公司{n:03d}" for n in range(len(months) - len(names))]
    names = rng.sample(names, len(months))
    famous = {0, len(months) - 2}
    rows = []
    for index, (name, month) in enumerate(zip(names, months)):
        if index in famous:
            name = f"示例环球{'一' if index == 0 else '二'}国际物流（中国）有限公司重庆分公司"
        rows.append({"name": name, "registered": _day(rng, month), "global_famous": "是" if index in famous else "否"})
    return rows


def count_by(rows: list[dict[str, object]], key: str, month: Month, where=None) -> int:
    """Register entries dated in or before `month`."""
    return sum(
        1 for row in rows
        if Month(row[key].year, row[key].month) <= month and (where is None or where(row))
    )


# --- indicators ----------------------------------------------------------------------


def new_firm_months(plan: Plan, sc: Scenario, indicator: Indicator) -> list[Month]:
    """Months in which a new unit of an annual-flow indicator is counted (a new above-scale firm)."""
    months = []
    span_all = month_range(sc.first, sc.last)
    for year in range(sc.first.year, sc.last.year + 1):
        target = indicator.target(year).value
        span = [m for m in span_all if m.year == year]
        if year == sc.last.year:
            expected = year_pace(plan, indicator.unit, 0.0, target, sc.last.month).expected
            count = max(1, count_for(plan, expected, "green"))
        else:
            count = int(target) + 1
        months += evenly(count, span)
    return months


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
    rng = _rng("indicators")
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
    rng = _rng("ships")
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
                status, completed, note = "已完成", _day(rng, finished[index]), "已通过验收并投入运营"
            elif index == len(finished):
                status, completed, note = "在建", None, f"预计{sc.last.year + 1}年上半年完成"
            else:
                status, completed, note = "计划", None, "已列入更新计划，正在开展前期工作"
            rows.append({"ship_name": f"{plan.short_title[:2]}{mark}{index + 1:02d}", "category": item.category, "status": status,
                         "completed": completed, "company": owner, "note": note})
    return rows


# What each lead writes, for tasks whose text starts so (the district's plan); any other task gets
# a generic line. Fields in braces come from the sample's own numbers that month.
LEAD_PROGRESS = {
    "不断优化完善现代物流业扶持政": ("开展现代物流业扶持政策修订调研，走访重点物流企业{firms}家，形成政策修订初稿。",
        "扶持政策修订稿征求相关部门和企业意见，收到意见建议{ideas}条。",
        "兑现上年度物流扶持资金，惠及企业{firms}家。"),
    "鼓励金融机构开发供应链金融产": ("对接辖区银行机构，梳理供应链金融产品需求，收集企业融资需求{firms}项。",
        "组织银企对接会1场，推介运费贷、运输单证融资等产品。",
        "推动2家银行开发面向物流企业的供应链金融产品方案。"),
    "深化细化招商图谱，加快引进一": ("更新物流产业招商图谱，跟踪在谈项目{projects}个。",
        "赴外地开展物流招商活动，接洽龙头企业{firms}家。",
        "推进“总部+基地”模式项目对接，完成项目评估{projects}个。"),
    "引导头部物流企业成立行业联盟": ("推动头部物流企业筹建行业联盟，召开筹备会1次。",
        "组织“以商引商”对接活动，促成上下游企业合作{projects}项；本年新增规上物流企业{new_firms}家。",
        "走访中小物流企业{firms}家，协调解决诉求{ideas}项。"),
    "鼓励铁公水各领域运输企业加强": ("推动铁公水企业签订合作协议，新增多式联运线路1条。",
        "组织企业对接西部陆海新通道、中欧班列资源，开展“门到门”一体化服务试点。",
        "统计多式联运业务量，跟踪重点企业营收变化。"),
    "支持现代物流企业与全市汽车、": ("组织物流企业与汽车、电子企业对接，签订合作意向{projects}项。",
        "推动快递物流企业嵌入制造业供应链，试点线边物流项目1个。",
        "梳理供应链企业培育名单，重点跟踪企业{firms}家。"),
    "引导企业积极参与细分物流市场": ("摸排冷链、医药、大件等细分领域物流企业{firms}家。",
        "支持中小物流企业共享仓储和运力资源，促成合作{projects}项。",
        "组织细分物流领域业务培训1场。"),
    "积极鼓励引导企业加大“东盟班": ("本月{route0}开行{route0_runs}班次、{route1}开行{route1_runs}班次、{route2}开行{route2_runs}班次。",
        "协调企业加密{route0}班次，新增海运船舶方面已完成{sea_ships}艘。",
        "对接平台公司研究增开班车班列新线路，本月各线路合计开行{runs_total}班次。"),
    "组织企业加强与果园港、江北机": ("组织企业与果园港、江北机场等节点对接，开展货源组织{projects}次。",
        "赴四川、贵州开展货源对接，签订合作意向{projects}项。",
        "跟踪通道运量变化，分析重点企业货量波动原因。"),
    "借助中欧班列、西部陆海新通道": ("支持企业布局海外分拨仓，目前可调度使用海外分拨仓{warehouses}个。",
         "对接“一带一路”沿线合作伙伴，推进新设海外仓项目{projects}个。",
         "梳理企业海外网络布局需求，协调解决境外经营问题{ideas}项。"),
    "支持区域内银行积极参与陆海新": ("组织辖区银行参与陆海新通道金融服务联合体。",
         "推广“跨境易融”平台应用，新增注册企业{firms}家。",
         "对接银行开展贸易融资区块链应用推广。"),
    "依托律师事务所打造西部陆海新": ("依托律师事务所推进西部陆海新通道法律展示中心建设。",
         "开展东南亚国家涉外法律研究，形成研究报告1篇。",
         "为“走出去”物流企业提供涉外法律咨询{projects}次。"),
    "引导物流行业组织、国际货代企": ("推进国际货代楼宇招商，国际货代备案企业达到{forwarders}家。",
         "起草国际货代集聚区核心区扶持办法，征求有关部门意见。",
         "依托“码上出海”平台推进国际货代公共服务平台建设。"),
    "鼓励商贸自营物流与物流企业跨": ("推动商贸企业与物流企业合作组建配送网络，新增前置仓{projects}个。",
         "推广即时配送、网订店取等末端配送模式，试点企业{firms}家。",
         "推动商贸物流企业应用新能源车辆，新增新能源配送车辆{ideas}辆。"),
    "鼓励企业加大科技研发投入，主": ("组织物流企业申报市级物流科技项目{projects}个。",
         "推进物流基础设施智慧化改造项目，完成投资统计。",
         "推动重点企业应用物流信息系统，试点数据交换标准化。"),
    "引导物流企业全流程应用环保材": ("推进LNG、甲醇动力船舶更新，目前已完成船舶更新和新增{ships_done}艘。",
         "落实交通运输领域设备更新政策，支持老旧新能源货车更新{ideas}辆。",
         "推进绿色仓储设施建设，跟踪船舶建造和改造进度。"),
}
LEAD_NEXT = ("继续按计划推进，按月调度工作进展。", "加强与责任单位沟通，协调解决推进中的问题。",
             "做好下月工作安排，确保按序时进度完成。", "梳理阶段性成效，形成工作小结。")
BEHIND_PROBLEMS = {
    "积极鼓励引导企业加大“东盟班": "{route2}回程货源不足，开行班次低于序时进度；甲醇动力船舶建造周期延长。",
    "组织企业加强与果园港、江北机": "西部陆海新通道货源组织难度加大，运量增速低于目标。",
    "引导物流企业全流程应用环保材": "甲醇动力船舶建造进度慢于预期，部分船舶交付时间推迟。",
}
BEHIND_NEXT = {
    "积极鼓励引导企业加大“东盟班": "协调平台公司稳定回程货源，争取加密{route2}；督促船厂加快建造进度。",
    "组织企业加强与果园港、江北机": "加强与通道沿线地区货源对接，争取重点企业货量回流。",
    "引导物流企业全流程应用环保材": "会同船东企业和船厂制定赶工计划，每月调度建造进度。",
}
EARLY_PROBLEMS = ("部分企业数据报送不及时。", "相关政策衔接需进一步明确。", "企业参与积极性有待提高。",
                  "项目前期手续办理周期较长。")
SUPPORT_PHRASES = {
    "区发展改革委": ("做好项目储备和政策衔接", "争取上级专项资金支持", "将相关项目纳入区级重点项目调度"),
    "区财政局": ("落实扶持资金预算", "做好资金拨付和绩效评价"),
    "区商务委": ("组织商贸企业开展对接", "梳理外贸企业物流需求", "对接市级部门争取支持"),
    "区经济信息委": ("梳理制造业企业物流需求", "推动工业企业与物流企业对接"),
    "区产业发展促进局": ("对接金融机构", "梳理重点企业融资需求"),
    "区政府外办": ("对接驻外机构和友好城市资源", "协助企业办理出入境手续"),
    "区司法局": ("组织律师事务所提供法律服务", "开展企业合规宣传"),
    "区科技局": ("组织企业申报科技项目", "推动产学研合作"),
    "区大数据发展局": ("推进物流数据共享", "支持企业上云用数"),
    "各管委会": ("做好楼宇载体服务和企业走访", "梳理辖区物流企业诉求"),
    "区交通运输委": ("提供运力和通道资源支持", "配合开展企业调度"),
}
DEFAULT_SUPPORT = ("按职责做好配合工作", "及时报送相关数据")


def task_status(sc: Scenario, task: Task, unit_index: int, month: Month, start: Month,
                slip: tuple[Month, Month] | None) -> str | None:
    """The status unit `unit_index` of a task reports for a month (None: no report):
    the scenario first, then 未启动 before its start, 滞后 during a slip, else 序时推进."""
    unit_count = len(task.units)
    is_lead = unit_index < len(task.lead)
    done_from = sc.done.get(task.no)
    if done_from is not None and month >= done_from:
        if is_lead and month > done_from:
            return None  # finished: the lead stops reporting
        return "已完成"
    if (task.no, unit_index) in sc.unit_done and month >= sc.unit_done[(task.no, unit_index)]:
        return "已完成"
    if month == sc.last:
        if task.no == sc.lead_silent and unit_index == 0:
            return None
        if sc.responsible_silent is not None:
            silent_task, silent_unit = sc.responsible_silent
            if task.no == silent_task and unit_index == silent_unit % unit_count:
                return None
    if task.no in sc.not_started and unit_index == sc.not_started[task.no] % unit_count:
        return "未启动"
    if month < start:
        return "未启动"
    if is_lead and unit_index == 0 and task.no in sc.behind and month >= sc.behind[task.no]:
        return "滞后"
    if slip is not None and slip[0] <= month <= slip[1]:
        return "滞后"
    return "序时推进"


def task_rows(plan: Plan, sc: Scenario, routes: list[dict[str, object]], ships: list[dict[str, object]],
              warehouses: list[dict[str, object]], forwarders: list[dict[str, object]]) -> list[dict[str, object]]:
    """任务进展: every task × unit × month, with statuses, progress and texts."""
    rng = _rng("tasks")
    months = month_range(sc.first, sc.last)
    flows = [i for i in plan.indicators if i.kind == "annual_flow"]
    new_firms = new_firm_months(plan, sc, flows[0]) if flows else []

    pairs = [(task, index) for task in plan.tasks for index in range(len(task.units))]
    starts = {}
    slips = {}
    special = set(sc.done) | set(sc.behind) | set(sc.not_started) | {sc.lead_silent}
    for task, index in pairs:
        starts[(task.no, index)] = sc.first.plus(rng.randint(0, 1) if index < len(task.lead) else rng.randint(1, 3))
    # A few units fell behind for a while in the first year and caught up.
    ordinary = [p for p in pairs if p[0].no not in special]
    for task, index in rng.sample(ordinary, min(6, len(ordinary))):
        begin = Month(sc.first.year, rng.randint(5, 9))
        slips[(task.no, index)] = (begin, begin.plus(rng.randint(1, 2)))

    finished = [s for s in ships if s["completed"] is not None]
    last_category = plan.fleet[-1].category if plan.fleet else None
    rows = []
    progress: dict[tuple[int, int], float] = {}
    for month in months:
        context = {
            "new_firms": sum(1 for e in new_firms if e.year == month.year and e <= month),
            "warehouses": count_by(warehouses, "opened", month),
            "forwarders": count_by(forwarders, "registered", month),
            "ships_done": count_by(finished, "completed", month),
            # The last fleet category (new sea-going ships, in the district's plan).
            "sea_ships": count_by(finished, "completed", month, lambda s: s["category"] == last_category),
            "runs_total": sum(int(r["runs"]) for r in routes if r["month"] == str(month)),
        }
        for position, route in enumerate(plan.routes):
            context[f"route{position}"] = route.name
            context[f"route{position}_runs"] = route_runs(routes, route.name, month)
        for task, index in pairs:
            status = task_status(sc, task, index, month, starts[(task.no, index)], slips.get((task.no, index)))
            if status is None:
                continue
            unit = task.units[index]
            lead = task.lead[0]
            is_lead = index < len(task.lead)
            key = (task.no, index)
            start = starts[key]
            if status == "未启动":
                value = 0.0
            elif status == "已完成":
                value = 100.0
            else:
                pace_value = 100 * (month - start + 1) / (plan.deadline - start + 1)
                value = pace_value * (0.78 if status == "滞后" else 1.0) + rng.uniform(-2, 3)
                value = min(95.0, max(value, progress.get(key, 0.0), 1.0))
            progress[key] = value
            text, problems, steps = _texts(plan, task, unit, lead, is_lead, status, context, rng)
            rows.append({
                "task_no": task.no,
                "department": unit,
                "month": str(month),
                "status": status,
                "progress": int(round(value)),
                "progress_text": text,
                "problems": problems,
                "next_steps": steps,
            })
    return rows


def _flavour(table: dict[str, object], task: Task):
    """The entry of a table keyed by the start of a task's text (the district's plan), or None."""
    return next((value for prefix, value in table.items() if task.text.startswith(prefix)), None)


def _fill(template: str, fallback: str, **values) -> str:
    """A text with the sample's numbers filled in; the generic text when a field is missing
    (a plan with fewer routes than the text names)."""
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return fallback.format(**values)


def _texts(plan: Plan, task: Task, unit: str, lead: str, is_lead: bool, status: str, context: dict,
           rng: random.Random) -> tuple[str, str, str]:
    """进展情况, 存在问题, 下步计划 for one report."""
    lead_short = plan.department(lead).short
    if status == "未启动":
        if is_lead:
            return "尚未启动，正在梳理任务分工，制定工作方案。", "", "本月内制定工作方案并启动实施。"
        return (f"尚未启动，待{lead_short}明确具体分工后配合推进。", "具体分工和工作抓手尚待明确。",
                f"主动对接{lead_short}，明确配合事项。")
    if status == "已完成":
        if is_lead:
            return f"{task.name}任务已完成，相关成果已印发实施。", "", "做好政策兑现和跟踪评估，巩固工作成效。"
        return f"配合{lead_short}完成{task.name}相关工作。", "", "按职责做好后续跟踪。"
    if is_lead:
        generic = "按计划推进{name}各项工作。"
        bank = _flavour(LEAD_PROGRESS, task) or (generic,)
        counts = {"firms": rng.randint(6, 18), "ideas": rng.randint(5, 20), "projects": rng.randint(2, 6)}
        text = _fill(rng.choice(bank), generic, name=task.name, **counts, **context)
        if status == "滞后":
            problem, plan_next = _flavour(BEHIND_PROBLEMS, task), _flavour(BEHIND_NEXT, task)
            if problem and plan_next:
                return (text, _fill(problem, "推进进度慢于预期。", **context),
                        _fill(plan_next, "加快推进进度，力争下月追上序时进度。", **context))
            return text, rng.choice(EARLY_PROBLEMS), "加快推进进度，力争下月追上序时进度。"
        return text, rng.choice(("", "", "无")), rng.choice(LEAD_NEXT)
    phrase = rng.choice(SUPPORT_PHRASES.get(unit, DEFAULT_SUPPORT))
    text = f"配合{lead_short}推进{task.name}，{phrase}。"
    if status == "滞后":
        return text, rng.choice(EARLY_PROBLEMS), "加强与牵头单位对接，加快推进。"
    return text, rng.choice(("", "无")), "继续做好配合工作。"


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


# --- the workbook ---------------------------------------------------------------------------


def sample_rows(plan: Plan, last: Month | None = None) -> dict[str, list[dict[str, object]]]:
    """Every sheet's rows, by sheet key and column key (`last`: another last month than the scenario's)."""
    sc = scenario(plan, last)
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
    sc = scenario(plan)
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
                              note_prefix=f"{SAMPLE_MARK}。")
    add_text_sheet(workbook, NOTE_SHEET, f"{SAMPLE_MARK}{workbook_title(plan)}", note_lines(plan), [110], index=0)
    workbook.active = 0
    # Which plan this sample was made for (yzlogi.sample_file): another plan gets its own.
    workbook.properties.description = f"{SAMPLE_MARK}（{plan.short_title}）{sample_file.MARK}{plan.digest}"
    return workbook


def write_sample(target: str | Path | BinaryIO, plan: Plan) -> None:
    """Write the sample workbook to a path or a binary file object."""
    save_workbook(build_sample(plan), target, scenario(plan).stamp)
