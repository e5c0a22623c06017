"""The command line: python -m yzlogi <command>.

Every command answers in Chinese and never shows a traceback: expected failures
(YzlogiError) print their message, anything else prints a short internal-error
line, and both exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import sys

from yzlogi.errors import YzlogiError

EXIT_USAGE = 2
EXIT_REFUSED = 1
EXIT_INTERNAL = 70


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in Chinese and exits with EXIT_USAGE."""

    def error(self, message: str) -> None:  # pragma: no cover - argparse contract
        self.print_usage(sys.stderr)
        print(f"命令行参数有误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_plan(args: argparse.Namespace) -> int:
    from yzlogi.plan import load_plan

    plan = load_plan()
    if args.json:
        _print_json(plan.to_json())
    else:
        print(f"{plan.title}（{plan.document_no}）")
        print(f"主要指标 {len(plan.indicators)} 项，重点任务 {len(plan.tasks)} 项，部门 {len(plan.departments)} 个")
        for indicator in plan.indicators:
            targets = "；".join(f"{t.year}年 {t.text}" for t in indicator.targets)
            print(f"  {indicator.no}. {indicator.name}：{targets}")
    return 0


def _write_error(path, exc: OSError) -> str:
    """Why a file could not be written, in Chinese."""
    reason = {
        FileNotFoundError: "所在文件夹不存在",
        PermissionError: "没有写入权限",
        IsADirectoryError: "这是一个文件夹",
    }.get(type(exc), f"系统错误 {exc.errno}")
    return f"无法写入 {path}：{reason}"


def cmd_template(args: argparse.Namespace) -> int:
    from yzlogi.plan import load_plan
    from yzlogi.template import write_template

    try:
        write_template(args.path, load_plan())
    except OSError as exc:
        raise YzlogiError(_write_error(args.path, exc)) from None
    print(f"已生成填报模板：{args.path}")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from yzlogi.config import SAMPLE_WORKBOOK
    from yzlogi.plan import load_plan
    from yzlogi.sample import write_sample

    path = args.path or SAMPLE_WORKBOOK
    try:
        write_sample(path, load_plan())
    except OSError as exc:
        raise YzlogiError(_write_error(path, exc)) from None
    print(f"已生成示例工作簿：{path}")
    return 0


def cmd_dictionary(args: argparse.Namespace) -> int:
    from yzlogi.config import ROOT
    from yzlogi.schema import dictionary_markdown

    text = dictionary_markdown()
    if args.write:
        path = ROOT / "docs" / "workbook.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"已写入数据字典：{path.relative_to(ROOT)}")
    else:
        print(text, end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m yzlogi", description="渝中区现代物流三年行动计划 进度看板 命令行工具")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    commands.required = True

    p = commands.add_parser("plan", help="显示计划（指标、任务、部门、线路、船舶）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_plan)

    p = commands.add_parser("template", help="生成填报模板（.xlsx）")
    p.add_argument("path", metavar="PATH", help="模板保存路径，如 进度填报模板.xlsx")
    p.set_defaults(func=cmd_template)

    p = commands.add_parser("sample", help="重新生成示例工作簿（示例数据）")
    p.add_argument("path", metavar="PATH", nargs="?", help="保存路径，默认 data/sample/示例进度.xlsx")
    p.set_defaults(func=cmd_sample)

    p = commands.add_parser("dictionary", help="输出工作簿数据字典（Markdown）")
    p.add_argument("--write", action="store_true", help="写入 docs/workbook.md")
    p.set_defaults(func=cmd_dictionary)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except YzlogiError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the CLI must never show a traceback
        print(f"内部错误（{type(exc).__name__}），操作未完成，已保存的数据未受影响。", file=sys.stderr)
        return EXIT_INTERNAL
