"""python -m yzlogi followup …: what the 督办事项 page does, from a shell, into the same data folder.

  followup add --about task:8 --unit 区交通运输委 --text "…" --due 2026-07-15 --by 张三   (prints the number)
  followup list [--json] [--unit NAME] [--today YYYY-MM-DD]
  followup answer ID --text "…" --by 张三 [--unit NAME] [--close-request]
  followup close ID --by 张三 [--note "…"]
  followup reopen ID --by 张三 [--note "…"]
  followup due ID YYYY-MM-DD --by 张三 [--note "…"]
Every refusal is a Chinese message (yzlogi.cli prints it and exits with 1) and changes nothing.
Only the arguments and what is printed are here; the work is yzlogi.followups.service's,
imported when a command runs, so that registering the commands costs the command line nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from yzlogi.errors import YzlogiError
from yzlogi.followups.model import CLI, date_label


def parse_day(text: str) -> date:
    """A YYYY-MM-DD argument, refused in Chinese when malformed."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise YzlogiError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，如 2026-07-15") from None


def _store():
    from yzlogi.store import Store  # imported late: only when a command runs

    return Store()


def cmd_add(args: argparse.Namespace) -> int:
    from yzlogi.followups import service

    due = parse_day(args.due)
    item = service.raise_item(_store(), args.about, args.text, due, args.by, args.unit or (),
                              version_id=args.version, as_of=args.as_of, via=CLI)
    print(item.id)
    where = f"，数据版本 v{item.version_id}、截至 {item.as_of.label}" if item.version_id is not None and item.as_of else ""
    print(f"已交办督办事项 {item.id}：{item.subject}，办理单位 {'、'.join(item.units)}，截止 {date_label(item.due)}"
          f"{where}。", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from yzlogi.followups import service
    from yzlogi.followups.present import item_json, item_lines, summary_line

    day = parse_day(args.today) if args.today else date.today()
    judged = service.judged(_store(), day, args.unit)
    if args.json:
        print(json.dumps([item_json(j) for j in judged], ensure_ascii=False, indent=2))
        return 0
    if not judged:
        print("还没有督办事项。" if not args.unit else f"{service.unit_of(_store(), args.unit)}没有督办事项。")
        return 0
    print(summary_line(judged, day))
    for j in judged:
        print("\n".join(item_lines(j)))
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from yzlogi.followups import service

    item = service.answer(_store(), args.id, args.text, args.by, request_close=args.close_request, unit=args.unit,
                          via=CLI)
    asked = "，并申请办结（待专班办公室销号）" if args.close_request else ""
    print(f"已记录{item.name}的反馈{asked}。")
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    from yzlogi.followups import service

    item = service.close(_store(), args.id, args.by, args.note, via=CLI)
    print(f"已销号：{item.name}已办结。")
    return 0


def cmd_reopen(args: argparse.Namespace) -> int:
    from yzlogi.followups import service

    item = service.reopen(_store(), args.id, args.by, args.note, via=CLI)
    print(f"已重新打开{item.name}，截止日期为 {date_label(item.due)}。")
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    from yzlogi.followups import service

    item = service.change_due(_store(), args.id, parse_day(args.due), args.by, args.note, via=CLI)
    print(f"已将{item.name}的截止日期调整为 {date_label(item.due)}。")
    return 0


def register(commands, default_by: str) -> None:
    """Add `followup` and its subcommands to the command line's subparsers."""
    group = commands.add_parser("followup", help="督办事项：交办、列出、反馈、销号、重新打开、调整期限")
    actions = group.add_subparsers(dest="action", metavar="操作", parser_class=type(group))
    actions.required = True

    p = actions.add_parser("add", help="交办一个督办事项（输出事项编号）")
    p.add_argument("--about", required=True, metavar="内容",
                   help="所涉内容：indicator:指标编号:年份、route:线路:年份、fleet:船舶类别、task:任务编号、"
                        "task:任务编号:单位 或 goal:目标")
    p.add_argument("--unit", action="append", metavar="单位",
                   help="办理单位（可重复；可用简称或别称），默认为所涉内容的牵头单位")
    p.add_argument("--text", required=True, metavar="要求", help="督办要求，如 报送渝穗班列追赶计划")
    p.add_argument("--due", required=True, metavar="YYYY-MM-DD", help="截止日期（不早于交办当天）")
    p.add_argument("--by", default=default_by, help="交办人，默认为当前系统用户名")
    p.add_argument("--version", type=int, metavar="ID", help="交办时所看的数据版本，默认为当前版本")
    p.add_argument("--as-of", metavar="YYYY-MM", help="交办时所看的截至月份，默认为该版本数据中的最新月份")
    p.set_defaults(func=cmd_add)

    p = actions.add_parser("list", help="列出督办事项及其灯号（新交办的在前）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（含每项的灯号、原因和全部记录）")
    p.add_argument("--unit", metavar="单位", help="只列出该单位办理的事项")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="按哪一天计算灯号（及当天结束时的状态），默认为今天")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("answer", help="记录办理单位的反馈（可申请办结）")
    p.add_argument("id", metavar="ID", type=int, help="事项编号")
    p.add_argument("--text", required=True, metavar="办理情况", help="办理情况")
    p.add_argument("--by", default=default_by, help="反馈人，默认为当前系统用户名")
    p.add_argument("--unit", metavar="单位", help="反馈单位（可用简称或别称）")
    p.add_argument("--close-request", action="store_true", help="申请办结（由专班办公室销号）")
    p.set_defaults(func=cmd_answer)

    p = actions.add_parser("close", help="销号：事项已办结")
    p.add_argument("id", metavar="ID", type=int, help="事项编号")
    p.add_argument("--by", default=default_by, help="销号人，默认为当前系统用户名")
    p.add_argument("--note", default="", help="销号说明")
    p.set_defaults(func=cmd_close)

    p = actions.add_parser("reopen", help="重新打开已办结的事项")
    p.add_argument("id", metavar="ID", type=int, help="事项编号")
    p.add_argument("--by", default=default_by, help="操作人，默认为当前系统用户名")
    p.add_argument("--note", default="", help="原因")
    p.set_defaults(func=cmd_reopen)

    p = actions.add_parser("due", help="调整未办结事项的截止日期")
    p.add_argument("id", metavar="ID", type=int, help="事项编号")
    p.add_argument("due", metavar="YYYY-MM-DD", help="新的截止日期（不早于交办当天）")
    p.add_argument("--by", default=default_by, help="操作人，默认为当前系统用户名")
    p.add_argument("--note", default="", help="原因")
    p.set_defaults(func=cmd_due)
