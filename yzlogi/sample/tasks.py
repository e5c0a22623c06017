"""The sample's task reports: every task × unit × month, with statuses, progress and what each
official writes (进展情况, 存在问题, 下步计划)."""

from __future__ import annotations

import random

from yzlogi.months import Month, month_range
from yzlogi.plan import Plan, Task
from yzlogi.sample.scenario import (
    Scenario,
    count_by,
    new_firm_months,
    rng_for,
    route_runs,
)

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
    rng = rng_for("tasks")
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
