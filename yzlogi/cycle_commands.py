"""python -m yzlogi template / returns / chase: the monthly cycle from a shell.

  template PATH [--prefilled | --dept NAME] [--month YYYY-MM]   the blank template, the 填报表 or a unit's 报送表
  returns [--json] [--month YYYY-MM] [--today YYYY-MM-DD]        who has reported the month, on a day
  chase -o PATH [--month …] [--today …]                          the 催报清单 and a notice text to forward
The work is yzlogi.forms, yzlogi.returns and yzlogi.chase; only arguments and what is printed are here.
"""

from __future__ import annotations

import argparse
import json

from yzlogi.errors import YzlogiError, write_error


def _store():
    from yzlogi.store import Store  # imported late: only when a command runs

    return Store()


def cmd_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from yzlogi.plan import load_plan

    plan = load_plan()
    if args.dept or args.prefilled:
        from yzlogi import forms, snapshot

        store = _store()
        version = store.active_version()
        if version is None:
            raise YzlogiError("还没有任何数据版本，无法生成预填的报送表。")
        data = store.load(version.id)
        if args.dept:
            unit = _department(plan, args.dept)
            month = snapshot.parse_month(args.month) if args.month else _owed_month(plan)
            from yzlogi.followups import service

            # 督办反馈 lists the unit's open follow-up items, for its answers.
            content = forms.unit_form(plan, data, unit, month, service.items(store, unit))
            what = f"{unit}{month.label}报送表"
        else:
            from yzlogi.status import default_as_of

            month = snapshot.parse_month(args.month) if args.month else min(
                default_as_of(data, plan.start).plus(1), plan.deadline)
            content = forms.record_form(plan, data, month)
            what = f"含版本 v{version.id} 全部数据、预留{month.label}空行的填报表"
    else:
        from io import BytesIO

        from yzlogi.template import write_template

        buffer = BytesIO()
        write_template(buffer, plan)
        content, what = buffer.getvalue(), "填报模板"
    try:
        Path(args.path).write_bytes(content)
    except OSError as exc:
        raise YzlogiError(write_error(args.path, exc)) from None
    print(f"已生成{what}：{args.path}")
    return 0


def _department(plan, name: str) -> str:
    """The plan's name of a unit written as name or alias; a Chinese error suggesting the closest."""
    found = plan.resolve_department(name)
    if found is None:
        guess = plan.suggest_department(name)
        hint = f"您是否要找：{guess}？" if guess else "可用 python -m yzlogi plan 查看部门名单。"
        raise YzlogiError(f"计划中没有部门“{name}”，{hint}")
    return found


def today_arg(text: str | None):
    """A --today argument (YYYY-MM-DD), today when not given."""
    from datetime import date

    from yzlogi.followups.commands import parse_day

    return parse_day(text) if text else date.today()


def _owed_month(plan, today=None):
    from yzlogi.returns import owed_month

    return owed_month(today or today_arg(None), plan)


def _returns(args: argparse.Namespace):
    """The 报送情况 of the active version for --month (default: the month being reported now), on --today."""
    from yzlogi import config, snapshot
    from yzlogi.returns import compute_returns

    store = _store()
    version = store.active_version()
    if version is None:
        raise YzlogiError("还没有任何数据版本。")
    plan = store.plan_of(version)
    today = today_arg(args.today)
    month = snapshot.parse_month(args.month) if args.month else _owed_month(plan, today)
    versions = {v.id: v for v in store.versions()}
    return plan, compute_returns(plan, store.load(version.id), versions, month, config.report_deadline_day(), today)


def cmd_returns(args: argparse.Namespace) -> int:
    from yzlogi.returns import STATE_LABELS

    _plan, returns = _returns(args)
    if args.json:
        print(json.dumps(returns.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"{returns.month.label}报送情况（截止 {returns.due.isoformat()}，统计日期 {returns.today.isoformat()}）：" +
          "，".join(f"{STATE_LABELS[state]} {n}" for state, n in returns.counts().items()))
    for unit in returns.units:
        print(f"  [{STATE_LABELS[unit.state]}] {unit.unit}：{unit.light.text}")
    return 0


def cmd_chase(args: argparse.Namespace) -> int:
    from pathlib import Path

    from yzlogi.chase import chase_workbook
    from yzlogi.returns import chase_text

    plan, returns = _returns(args)
    data = chase_workbook(returns, plan.short_title)
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise YzlogiError(write_error(args.output, exc)) from None
    print(chase_text(returns))
    print(f"已生成催报清单：{args.output}（{len(returns.to_chase)} 个单位）")
    return 0


def register(commands) -> None:
    """Add the monthly cycle's commands to the command line's subparsers."""
    p = commands.add_parser("template", help="生成填报模板（.xlsx）：空白模板、含已有数据的填报表，或某单位的月度报送表")
    p.add_argument("path", metavar="PATH", help="保存路径，如 进度填报模板.xlsx")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--prefilled", action="store_true", help="填入当前版本的全部数据，并为下个月预留空行")
    kind.add_argument("--dept", metavar="NAME", help="只含该单位应报的行，按其最近一次报送预填（单位名称或简称）")
    p.add_argument("--month", metavar="YYYY-MM", help="报送月份：--dept 默认为上个月，--prefilled 默认为数据最新月份的下个月")
    p.set_defaults(func=cmd_template)

    for name, func, text in (("returns", cmd_returns, "各单位某月进展的报送情况（按时、逾期、部分、未报）"),
                             ("chase", cmd_chase, "生成某月的催报清单（.xlsx）并输出可直接转发的催报通知")):
        p = commands.add_parser(name, help=text)
        if name == "returns":
            p.add_argument("--json", action="store_true", help="以 JSON 输出")
        else:
            p.add_argument("-o", "--output", required=True, metavar="PATH", help="保存路径，如 催报清单.xlsx")
        p.add_argument("--month", metavar="YYYY-MM", help="报送月份，默认为上个月")
        p.add_argument("--today", metavar="YYYY-MM-DD", help="按哪一天判断（默认今天）")
        p.set_defaults(func=func)
