"""The bundled sample workbook (示例数据): fictitious, deterministic, every light shown.

`python -m yzlogi sample` writes data/sample/示例进度.xlsx, which a fresh data
folder commits as version 1. It covers 2025-01 to 2026-10 (with a 2024-12
baseline for the level indicators) in the official template's layout, every
sheet titled as illustrative. Each value is derived from the Plan (targets,
routes, units, thresholds) and a scenario below that says which light each item
should show at the default as-of month (the last month): change the plan and
the sample follows. Random variation comes from seeded generators, one per
sheet, and the file's timestamps are fixed, so two runs give the same bytes.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook

from yzlogi.months import Month, month_range
from yzlogi.plan import Indicator, Plan, Task
from yzlogi.schema import BASELINE_MONTH
from yzlogi.template import add_text_sheet, build_workbook, save_workbook, workbook_title

SEED = 20250918  # the plan's issue date
FIRST = Month(2025, 1)
LAST = Month(2026, 10)  # the default as-of month: the latest 统计期 in the sample
SAMPLE_STAMP = datetime(2026, 11, 5, 9, 0, 0)
SAMPLE_MARK = "示例数据（虚构，仅供演示）"
NOTE_SHEET = "说明"

# --- the scenario: which light each item shows at LAST ------------------------------
# Lights are reached through the plan's thresholds (see pace()), so they hold when
# thresholds change. Items are addressed by their position in the plan, tasks by
# their 附件2 序号.

FLOOR_LIGHTS = ("green", "yellow", "red")  # the floor-rate indicators, in plan order
LEVEL_LIGHTS = ("green", "yellow")  # the level indicators (海外分拨仓, 货代备案企业)
ROUTE_LIGHTS = ("green", "yellow", "red")  # the plan's routes, in plan order
ROUTE_SHARE_FIRST_YEAR = (1.03, 0.97, 0.86)  # each route's first-year runs ÷ annual target
FLEET_LIGHTS = ("green", "red", "red", "green")  # the plan's fleet categories, in plan order
NEW_LINE = "中老铁路班列"  # not a plan route: imported as 新增线路 (a warning)
NEW_LINE_FROM = Month(2026, 3)
# Band indicator (GDP share): quarterly values, offset from target in band_green_points.
BAND_OFFSETS = (-0.6, -0.3, -0.1, 0.2, 0.1, 0.2, 0.3)
QUARTER_MONTHS = (3, 6, 9, 12)

TASK_DONE = {1: Month(2026, 6)}  # every unit reports 已完成 from then on; the lead then stops reporting
TASK_BEHIND = {8: Month(2026, 8), 9: Month(2026, 5), 16: Month(2026, 9)}  # the lead reports 滞后 from then
TASK_NOT_STARTED = {2: -1, 11: -1}  # task → its unit (index into lead+responsible) still at 未启动
TASK_LEAD_SILENT = 12  # the lead misses the LAST report: the task is grey (待报送)
TASK_RESPONSIBLE_SILENT = (4, -1)  # a responsible unit misses LAST: the task stays green
TASK_UNIT_DONE = {(5, 1): Month(2026, 4)}  # (task, unit index) finished early, keeps reporting

GOAL_MONTHS = (Month(2025, 6), Month(2025, 12), Month(2026, 6), Month(2026, 9))
# Goal key → share of its target reached at GOAL_MONTHS; 行业智慧化投资 ends just
# short of 序时进度 (yellow), the others ahead; goals not listed stay unreported.
GOAL_SHARES = {
    "supply_chain_output": (0.28, 0.46, 0.60, 0.68),
    "smart_investment": (0.15, 0.35, 0.52, 0.61),
    "supply_chain_firms": (0.25, 0.5, 0.5, 1.0),
}
FIVE_A_FROM = Month(2026, 5)  # the new 5A enterprise; the district then ranks first


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


def elapsed_in_plan(plan: Plan, month: Month) -> int:
    """Months of the plan period elapsed at the end of `month` (deadline counts)."""
    return month - plan.start + 1


def plan_months(plan: Plan) -> int:
    return plan.deadline - plan.start + 1


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


def route_rows(plan: Plan) -> list[dict[str, object]]:
    """Monthly runs per route: each year's total set by the scenario, spread by season."""
    rng = _rng("routes")
    runs: dict[tuple[str, Month], int] = {}
    for position, route in enumerate(plan.routes):
        for year in range(FIRST.year, LAST.year + 1):
            months = [m for m in month_range(FIRST, LAST) if m.year == year]
            if year == LAST.year:
                light = ROUTE_LIGHTS[position % len(ROUTE_LIGHTS)]
                total = round(route.annual_target * LAST.month / 12 * pace(plan, light))
            else:
                total = round(route.annual_target * ROUTE_SHARE_FIRST_YEAR[position % 3])
            weights = [SEASON[m.month] * rng.uniform(0.94, 1.06) for m in months]
            for month, count in zip(months, spread(total, weights)):
                runs[(route.name, month)] = count
    for month in month_range(NEW_LINE_FROM, LAST):
        runs[(NEW_LINE, month)] = rng.randint(4, 9)

    rows = []
    for month in month_range(FIRST, LAST):
        for name in [r.name for r in plan.routes] + [NEW_LINE]:
            if (name, month) not in runs:
                continue
            note = ""
            if name == NEW_LINE and month == NEW_LINE_FROM:
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


# --- registers (indicators 7 and 8) --------------------------------------------------

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


def level_path(plan: Plan, indicator: Indicator, light: str) -> dict[Month, int]:
    """The standing count at the baseline, each December and LAST, for a light at LAST."""
    first = indicator.target(FIRST.year).value
    counts = {BASELINE_MONTH: int(first) - max(1, round(first * 0.1))}
    for year in range(FIRST.year, LAST.year):
        counts[Month(year, 12)] = int(indicator.target(year).value)
    base = counts[Month(LAST.year - 1, 12)]
    target = indicator.target(LAST.year).value
    expected = base + (target - base) * LAST.month / 12
    if light == "green":
        counts[LAST] = math.ceil(expected * plan.thresholds.green_ratio)
    else:
        counts[LAST] = math.floor(expected * pace(plan, light))
    return counts


def opening_months(counts: dict[Month, int], rng: random.Random) -> list[Month]:
    """When each register entry starts, so the count at each key month matches."""
    marks = sorted(counts)
    before = month_range(Month(2016, 1), marks[0])
    months = sorted(rng.choice(before) for _ in range(counts[marks[0]]))
    for previous, mark in zip(marks, marks[1:]):
        months += evenly(counts[mark] - counts[previous], month_range(previous.plus(1), mark))
    return months


def level_indicators(plan: Plan) -> list[Indicator]:
    return [i for i in plan.indicators if i.kind == "level"]


def warehouse_rows(plan: Plan) -> list[dict[str, object]]:
    """The overseas warehouse register, consistent with the first level indicator."""
    rng = _rng("warehouses")
    counts = level_path(plan, level_indicators(plan)[0], LEVEL_LIGHTS[0])
    rows = []
    for index, month in enumerate(opening_months(counts, rng)):
        country, city = WAREHOUSE_PLACES[index % len(WAREHOUSE_PLACES)]
        suffix = "" if index < len(WAREHOUSE_PLACES) else "第二"
        operator = f"重庆示例{rng.choice(FIRM_MARKS)}国际物流有限公司"
        rows.append({"name": f"{city}{suffix}海外分拨仓", "country": country, "city": city,
                     "operator": operator, "opened": _day(rng, month)})
    return rows


def forwarder_rows(plan: Plan) -> list[dict[str, object]]:
    """The forwarder register, consistent with the second level indicator; two are
    globally known (one before 2025, one joining in LAST's year)."""
    rng = _rng("forwarders")
    counts = level_path(plan, level_indicators(plan)[1], LEVEL_LIGHTS[1])
    names = [f"重庆示例{mark}{kind}国际货运代理有限公司" for mark in FIRM_MARKS for kind in FIRM_KINDS]
    months = opening_months(counts, rng)
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


def new_firm_months(plan: Plan, indicator: Indicator) -> list[Month]:
    """Months in which a new above-scale enterprise is counted (annual-flow indicator)."""
    months = []
    for year in range(FIRST.year, LAST.year + 1):
        target = indicator.target(year).value
        span = [m for m in month_range(FIRST, LAST) if m.year == year]
        if year == LAST.year:
            count = math.ceil(target * LAST.month / 12 * plan.thresholds.green_ratio)
        else:
            count = int(target) + 1
        months += evenly(count, span)
    return months


def indicator_rows(plan: Plan, warehouses, forwarders) -> list[dict[str, object]]:
    """指标进展: every reportable indicator, monthly (GDP share quarterly)."""
    rng = _rng("indicators")
    values: dict[tuple[int, Month], object] = {}
    notes: dict[tuple[int, Month], str] = {}
    months = month_range(FIRST, LAST)
    floors = [i for i in plan.indicators if i.kind == "floor"]
    levels = level_indicators(plan)
    for indicator in plan.indicators:
        if indicator.kind == "band":
            quarters = [m for m in months if m.month in QUARTER_MONTHS]
            for month, offset in zip(quarters, BAND_OFFSETS):
                target = indicator.target(month.year).value
                values[(indicator.no, month)] = round(target + offset * plan.thresholds.band_green_points, 1)
        elif indicator.kind == "floor":
            light = FLOOR_LIGHTS[floors.index(indicator) % len(FLOOR_LIGHTS)]
            first_year = {"green": "green", "yellow": "green", "red": "yellow"}[light]
            for year in range(FIRST.year, LAST.year + 1):
                target = indicator.target(year).value
                end = floor_value(plan, target, light if year == LAST.year else first_year)
                # January is reported with February (1—2月合计), as statistics offices do.
                span = [m for m in months if m.year == year and m.month >= 2]
                drift = rng.uniform(-0.15, 0.15)
                for k, month in enumerate(span):
                    left = 1 - (k + 1) / len(span)
                    wobble = rng.uniform(-0.03, 0.03) * target * left
                    values[(indicator.no, month)] = round(end * (1 + drift * left) + wobble, 1)
                    if month.month == 2:
                        notes[(indicator.no, month)] = "1—2月合计"
                values[(indicator.no, span[-1])] = end
        elif indicator.kind == "annual_flow":
            events = new_firm_months(plan, indicator)
            for month in months:
                values[(indicator.no, month)] = sum(1 for e in events if e.year == month.year and e <= month)
        elif indicator.kind == "level":
            register, key = (warehouses, "opened") if indicator is levels[0] else (forwarders, "registered")
            for month in [BASELINE_MONTH, *months]:
                values[(indicator.no, month)] = count_by(register, key, month)
            notes[(indicator.no, BASELINE_MONTH)] = f"{BASELINE_MONTH.year}年末基数"
    rows = []
    for month in [BASELINE_MONTH, *months]:
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


def done_for(plan: Plan, target: int, light: str) -> int:
    """Ships done by LAST for a light under the deadline-count rule."""
    expected = target * elapsed_in_plan(plan, LAST) / plan_months(plan)
    th = plan.thresholds
    if light == "green":
        return min(target, math.ceil(expected * th.green_ratio))
    if light == "red":
        return max(0, math.ceil(expected * th.yellow_ratio) - 1)
    done = math.ceil(expected * th.yellow_ratio)
    if done >= expected * th.green_ratio:
        raise ValueError(f"no whole number of ships is yellow at {LAST} for a target of {target}")
    return done


def ship_rows(plan: Plan) -> list[dict[str, object]]:
    """船舶更新: per category, ships done (with dates), one under way, the rest planned."""
    rng = _rng("ships")
    done_span = month_range(Month(FIRST.year, 3), LAST.plus(-1))
    rows = []
    for position, item in enumerate(plan.fleet):
        done = done_for(plan, item.target, FLEET_LIGHTS[position % len(FLEET_LIGHTS)])
        total = item.target + (1 if item.at_least else 0)
        mark = SHIP_MARKS[position] if position < len(SHIP_MARKS) else f"{position + 1}号"
        owner = SHIP_OWNERS[position % len(SHIP_OWNERS)]
        finished = sorted(rng.sample(done_span, done))
        for index in range(total):
            if index < done:
                status, completed, note = "已完成", _day(rng, finished[index]), "已通过验收并投入运营"
            elif index == done:
                status, completed, note = "在建", None, f"预计{LAST.year + 1}年上半年完成"
            else:
                status, completed, note = "计划", None, "已列入更新计划，正在开展前期工作"
            rows.append({"ship_name": f"渝中{mark}{index + 1:02d}", "category": item.category, "status": status,
                         "completed": completed, "company": owner, "note": note})
    return rows


# --- tasks -----------------------------------------------------------------------------

# What each lead writes. Fields in braces come from the sample's own numbers that month.
LEAD_PROGRESS = {
    1: ("开展现代物流业扶持政策修订调研，走访重点物流企业{firms}家，形成政策修订初稿。",
        "扶持政策修订稿征求相关部门和企业意见，收到意见建议{ideas}条。",
        "兑现上年度物流扶持资金，惠及企业{firms}家。"),
    2: ("对接辖区银行机构，梳理供应链金融产品需求，收集企业融资需求{firms}项。",
        "组织银企对接会1场，推介运费贷、运输单证融资等产品。",
        "推动2家银行开发面向物流企业的供应链金融产品方案。"),
    3: ("更新物流产业招商图谱，跟踪在谈项目{projects}个。",
        "赴外地开展物流招商活动，接洽龙头企业{firms}家。",
        "推进“总部+基地”模式项目对接，完成项目评估{projects}个。"),
    4: ("推动头部物流企业筹建行业联盟，召开筹备会1次。",
        "组织“以商引商”对接活动，促成上下游企业合作{projects}项；本年新增规上物流企业{new_firms}家。",
        "走访中小物流企业{firms}家，协调解决诉求{ideas}项。"),
    5: ("推动铁公水企业签订合作协议，新增多式联运线路1条。",
        "组织企业对接西部陆海新通道、中欧班列资源，开展“门到门”一体化服务试点。",
        "统计多式联运业务量，跟踪重点企业营收变化。"),
    6: ("组织物流企业与汽车、电子企业对接，签订合作意向{projects}项。",
        "推动快递物流企业嵌入制造业供应链，试点线边物流项目1个。",
        "梳理供应链企业培育名单，重点跟踪企业{firms}家。"),
    7: ("摸排冷链、医药、大件等细分领域物流企业{firms}家。",
        "支持中小物流企业共享仓储和运力资源，促成合作{projects}项。",
        "组织细分物流领域业务培训1场。"),
    8: ("本月{route0}开行{route0_runs}班次、{route1}开行{route1_runs}班次、{route2}开行{route2_runs}班次。",
        "协调企业加密{route0}班次，新增海运船舶方面已完成{sea_ships}艘。",
        "对接平台公司研究增开班车班列新线路，本月各线路合计开行{runs_total}班次。"),
    9: ("组织企业与果园港、江北机场等节点对接，开展货源组织{projects}次。",
        "赴四川、贵州开展货源对接，签订合作意向{projects}项。",
        "跟踪通道运量变化，分析重点企业货量波动原因。"),
    10: ("支持企业布局海外分拨仓，目前可调度使用海外分拨仓{warehouses}个。",
         "对接“一带一路”沿线合作伙伴，推进新设海外仓项目{projects}个。",
         "梳理企业海外网络布局需求，协调解决境外经营问题{ideas}项。"),
    11: ("组织辖区银行参与陆海新通道金融服务联合体。",
         "推广“跨境易融”平台应用，新增注册企业{firms}家。",
         "对接银行开展贸易融资区块链应用推广。"),
    12: ("依托律师事务所推进西部陆海新通道法律展示中心建设。",
         "开展东南亚国家涉外法律研究，形成研究报告1篇。",
         "为“走出去”物流企业提供涉外法律咨询{projects}次。"),
    13: ("推进国际货代楼宇招商，国际货代备案企业达到{forwarders}家。",
         "起草国际货代集聚区核心区扶持办法，征求有关部门意见。",
         "依托“码上出海”平台推进国际货代公共服务平台建设。"),
    14: ("推动商贸企业与物流企业合作组建配送网络，新增前置仓{projects}个。",
         "推广即时配送、网订店取等末端配送模式，试点企业{firms}家。",
         "推动商贸物流企业应用新能源车辆，新增新能源配送车辆{ideas}辆。"),
    15: ("组织物流企业申报市级物流科技项目{projects}个。",
         "推进物流基础设施智慧化改造项目，完成投资统计。",
         "推动重点企业应用物流信息系统，试点数据交换标准化。"),
    16: ("推进LNG、甲醇动力船舶更新，目前已完成船舶更新和新增{ships_done}艘。",
         "落实交通运输领域设备更新政策，支持老旧新能源货车更新{ideas}辆。",
         "推进绿色仓储设施建设，跟踪船舶建造和改造进度。"),
}
LEAD_NEXT = ("继续按计划推进，按月调度工作进展。", "加强与责任单位沟通，协调解决推进中的问题。",
             "做好下月工作安排，确保按序时进度完成。", "梳理阶段性成效，形成工作小结。")
BEHIND_PROBLEMS = {
    8: "{route2}回程货源不足，开行班次低于序时进度；甲醇动力船舶建造周期延长。",
    9: "西部陆海新通道货源组织难度加大，运量增速低于目标。",
    16: "甲醇动力船舶建造进度慢于预期，部分船舶交付时间推迟。",
}
BEHIND_NEXT = {
    8: "协调平台公司稳定回程货源，争取加密{route2}；督促船厂加快建造进度。",
    9: "加强与通道沿线地区货源对接，争取重点企业货量回流。",
    16: "会同船东企业和船厂制定赶工计划，每月调度建造进度。",
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


def task_status(task: Task, unit_index: int, month: Month, start: Month,
                slip: tuple[Month, Month] | None) -> str | None:
    """The status unit `unit_index` of a task reports for a month (None: no report):
    the scenario first, then 未启动 before its start, 滞后 during a slip, else 序时推进."""
    unit_count = len(task.units)
    is_lead = unit_index < len(task.lead)
    done_from = TASK_DONE.get(task.no)
    if done_from is not None and month >= done_from:
        if is_lead and month > done_from:
            return None  # finished: the lead stops reporting
        return "已完成"
    if (task.no, unit_index) in TASK_UNIT_DONE and month >= TASK_UNIT_DONE[(task.no, unit_index)]:
        return "已完成"
    if month == LAST:
        if task.no == TASK_LEAD_SILENT and unit_index == 0:
            return None
        silent_task, silent_unit = TASK_RESPONSIBLE_SILENT
        if task.no == silent_task and unit_index == silent_unit % unit_count:
            return None
    if task.no in TASK_NOT_STARTED and unit_index == TASK_NOT_STARTED[task.no] % unit_count:
        return "未启动"
    if month < start:
        return "未启动"
    if is_lead and unit_index == 0 and task.no in TASK_BEHIND and month >= TASK_BEHIND[task.no]:
        return "滞后"
    if slip is not None and slip[0] <= month <= slip[1]:
        return "滞后"
    return "序时推进"


def task_rows(plan: Plan, routes: list[dict[str, object]], ships: list[dict[str, object]],
              warehouses: list[dict[str, object]], forwarders: list[dict[str, object]]) -> list[dict[str, object]]:
    """任务进展: every task × unit × month, with statuses, progress and texts."""
    rng = _rng("tasks")
    months = month_range(FIRST, LAST)
    flows = [i for i in plan.indicators if i.kind == "annual_flow"]
    new_firms = new_firm_months(plan, flows[0]) if flows else []

    pairs = [(task, index) for task in plan.tasks for index in range(len(task.units))]
    starts = {}
    slips = {}
    special = set(TASK_DONE) | set(TASK_BEHIND) | set(TASK_NOT_STARTED) | {TASK_LEAD_SILENT}
    for task, index in pairs:
        starts[(task.no, index)] = FIRST.plus(rng.randint(0, 1) if index < len(task.lead) else rng.randint(1, 3))
    # A few units fell behind for a while in the first year and caught up.
    for task, index in rng.sample([p for p in pairs if p[0].no not in special], 6):
        begin = Month(FIRST.year, rng.randint(5, 9))
        slips[(task.no, index)] = (begin, begin.plus(rng.randint(1, 2)))

    finished = [s for s in ships if s["completed"] is not None]
    rows = []
    progress: dict[tuple[int, int], float] = {}
    for month in months:
        context = {
            "new_firms": sum(1 for e in new_firms if e.year == month.year and e <= month),
            "warehouses": count_by(warehouses, "opened", month),
            "forwarders": count_by(forwarders, "registered", month),
            "ships_done": count_by(finished, "completed", month),
            # The last fleet category is the new sea-going ships of task 8.
            "sea_ships": count_by(finished, "completed", month, lambda s: s["category"] == plan.fleet[-1].category),
            "runs_total": sum(int(r["runs"]) for r in routes if r["month"] == str(month)),
        }
        for position, route in enumerate(plan.routes):
            context[f"route{position}"] = route.name
            context[f"route{position}_runs"] = route_runs(routes, route.name, month)
        for task, index in pairs:
            status = task_status(task, index, month, starts[(task.no, index)], slips.get((task.no, index)))
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
        bank = LEAD_PROGRESS.get(task.no, ("按计划推进{name}各项工作。",))
        counts = {"firms": rng.randint(6, 18), "ideas": rng.randint(5, 20), "projects": rng.randint(2, 6)}
        text = rng.choice(bank).format(name=task.name, **counts, **context)
        if status == "滞后":
            if task.no in BEHIND_PROBLEMS:
                return text, BEHIND_PROBLEMS[task.no].format(**context), BEHIND_NEXT[task.no].format(**context)
            return text, rng.choice(EARLY_PROBLEMS), "加快推进进度，力争下月追上序时进度。"
        return text, rng.choice(("", "", "无")), rng.choice(LEAD_NEXT)
    phrase = rng.choice(SUPPORT_PHRASES.get(unit, DEFAULT_SUPPORT))
    text = f"配合{lead_short}推进{task.name}，{phrase}。"
    if status == "滞后":
        return text, rng.choice(EARLY_PROBLEMS), "加强与牵头单位对接，加快推进。"
    return text, rng.choice(("", "无")), "继续做好配合工作。"


# --- secondary goals -----------------------------------------------------------------------


def goal_rows(plan: Plan, forwarders: list[dict[str, object]]) -> list[dict[str, object]]:
    """其他目标: some of the secondary goals, quarterly-ish; the rest left unreported."""
    flows = [i for i in plan.indicators if i.kind == "annual_flow"]
    new_firms = new_firm_months(plan, flows[0]) if flows else []
    known = {g.key for g in plan.goals}
    rows = []
    for index, month in enumerate(GOAL_MONTHS):
        values: dict[str, tuple[float, str]] = {}
        if "5a_rank" in known:
            target = plan.goal("5a_rank").target
            values["5a_rank"] = (target if month >= FIVE_A_FROM else target + 1, "")
        if "5a_new" in known:
            values["5a_new"] = (plan.goal("5a_new").target if month >= FIVE_A_FROM else 0, "")
        if "new_above_scale" in known:
            values["new_above_scale"] = (sum(1 for e in new_firms if e <= month), "自2025年起累计")
        if "global_forwarders" in known:
            famous = count_by(forwarders, "registered", month, lambda r: r["global_famous"] == "是")
            values["global_forwarders"] = (famous, "与货代备案企业名册一致")
        for key, shares in GOAL_SHARES.items():
            if key not in known:
                continue
            goal = plan.goal(key)
            amount = goal.target * shares[index]
            value = round(amount, 2) if goal.unit == "亿元" else math.floor(amount)
            values[key] = (value, "自2025年起累计" if goal.unit == "亿元" else "")
        for goal in plan.goals:
            if goal.key in values:
                value, note = values[goal.key]
                if isinstance(value, float) and value.is_integer() and goal.unit != "亿元":
                    value = int(value)
                rows.append({"goal": goal.name, "month": str(month), "value": value, "note": note})
    return rows


# --- the workbook ---------------------------------------------------------------------------


def sample_rows(plan: Plan) -> dict[str, list[dict[str, object]]]:
    """Every sheet's rows, by sheet key and column key."""
    routes = route_rows(plan)
    ships = ship_rows(plan)
    warehouses = warehouse_rows(plan)
    forwarders = forwarder_rows(plan)
    return {
        "indicators": indicator_rows(plan, warehouses, forwarders),
        "routes": routes,
        "ships": ships,
        "tasks": task_rows(plan, routes, ships, warehouses, forwarders),
        "goals": goal_rows(plan, forwarders),
        "warehouses": warehouses,
        "forwarders": forwarders,
    }


def note_lines(plan: Plan) -> list[str]:
    """The 说明 sheet: what this workbook is and what it is built to show."""
    routes = plan.routes
    silent = plan.task(TASK_LEAD_SILENT)
    behind = "、".join(str(no) for no in TASK_BEHIND)
    return [
        "一、这是什么",
        "本工作簿为虚构的示例数据，仅用于演示进度看板的功能，不代表任何单位的实际工作进展；"
        "其中的企业、船舶、海外分拨仓名称均为虚构。",
        f"数据范围：{FIRST.label}至{LAST.label}（海外分拨仓、货代备案企业另有{BASELINE_MONTH.label}基数）；"
        f"看板默认以最新统计期{LAST.label}为截止月份。",
        "本工作簿与填报模板格式相同，可作为填报参考；由 python -m yzlogi sample 生成，每次生成结果相同。",
        "二、示例中设计的情形",
        "主要指标：GDP比重保持在目标附近；营收增速高于目标；多式联运营收增速略低于目标；"
        "西部陆海新通道运量增速明显低于目标；海外分拨仓个数快于序时进度，国际货代备案企业略慢于序时进度，"
        "两者与名册逐月一致。",
        f"通道班次：{routes[0].name}快于序时进度，{routes[1].name}略慢，{routes[2].name}明显滞后；"
        f"“{NEW_LINE}”为{NEW_LINE_FROM.label}新开线路，上传时会提示为新增线路。",
        "船舶更新：各类别有已完成、在建和计划中的船舶，部分类别慢于序时进度。",
        f"重点任务：任务{behind}的牵头单位报告滞后；部分责任单位尚未启动；"
        f"任务{silent.no}的牵头单位{silent.lead[0]}未报送{LAST.label}进展（显示为待报送）；"
        f"任务{TASK_RESPONSIBLE_SILENT[0]}有一个责任单位未报送{LAST.label}进展；"
        f"任务{next(iter(TASK_DONE))}已完成。",
        "其他目标：填报了部分目标，其余目标显示为待报送。",
    ]


def build_sample(plan: Plan) -> Workbook:
    """The sample workbook: 说明, the seven data sheets, the hidden lists."""
    workbook = build_workbook(plan, sample_rows(plan), title_prefix=SAMPLE_MARK,
                              note_prefix=f"{SAMPLE_MARK}。")
    add_text_sheet(workbook, NOTE_SHEET, f"{SAMPLE_MARK}{workbook_title(plan)}", note_lines(plan), [110], index=0)
    workbook.active = 0
    return workbook


def write_sample(target: str | Path | BinaryIO, plan: Plan) -> None:
    """Write the sample workbook to a path or a binary file object."""
    save_workbook(build_sample(plan), target, SAMPLE_STAMP)

