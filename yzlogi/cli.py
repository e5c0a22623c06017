"""The command line: python -m yzlogi <command>.

Every command answers in Chinese and never shows a traceback: expected failures
(YzlogiError) print their message, anything else prints a short internal-error
line, and both exit non-zero. The log (libraries' own words about a file they
refused, a reading process that crashed) is kept out of that answer; `-v` shows
it on standard error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from yzlogi.cycle_commands import today_arg
from yzlogi.errors import YzlogiError, write_error

EXIT_USAGE = 2
EXIT_REFUSED = 1
EXIT_INTERNAL = 70
PLAN_FREE = ("passcode", "backup", "restore", "doctor")  # commands that do not need the plan (doctor reports on it)


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
        print(f"{plan.title}（{plan.document_no}，{plan.period}）")
        print(f"主要指标 {len(plan.indicators)} 项，重点任务 {len(plan.tasks)} 项，部门 {len(plan.departments)} 个")
        for indicator in plan.indicators:
            targets = "；".join(f"{t.year}年 {t.text}" for t in indicator.targets)
            print(f"  {indicator.no}. {indicator.name}：{targets}")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from yzlogi.config import SAMPLE_WORKBOOK
    from yzlogi.plan import load_plan
    from yzlogi.sample import write_sample

    path = args.path or SAMPLE_WORKBOOK
    try:
        write_sample(path, load_plan())
    except OSError as exc:
        raise YzlogiError(write_error(path, exc)) from None
    print(f"已生成示例工作簿：{path}")
    return 0


def cmd_dictionary(args: argparse.Namespace) -> int:
    from yzlogi.config import ROOT
    from yzlogi.plan import load_plan
    from yzlogi.dictionary import dictionary_markdown

    text = dictionary_markdown(load_plan())
    if args.write:
        path = ROOT / "docs" / "workbook.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"已写入数据字典：{path.relative_to(ROOT)}")
    else:
        print(text, end="")
    return 0


def _default_by() -> str:
    """The OS user name: who ran the command, for the version's history."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment (some containers)
        return ""


def _store():
    from yzlogi.store import Store

    return Store()


def _read_inputs(names: list[str]):
    """The files to import and, when the upload is refused for its size, why (else None).

    Sizes are checked before anything is read, and reads are bounded by the limit,
    so a file of many gigabytes (or a device that never ends) is never loaded."""
    import stat
    from pathlib import Path

    from yzlogi.config import MAX_UPLOAD_MB, MB, size_refusal
    from yzlogi.model import InputFile

    found = []
    for name in names:
        path = Path(name)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise YzlogiError(f"找不到文件：{name}") from None
        except OSError as exc:
            raise YzlogiError(_read_error(name, exc)) from None
        if stat.S_ISDIR(mode):
            raise YzlogiError(f"{name} 是文件夹，请指定工作簿文件或 CSV 文件")
        if not stat.S_ISREG(mode):
            raise YzlogiError(f"{name} 不是普通文件，请指定工作簿文件或 CSV 文件")
        found.append(path)
    refusal = size_refusal(sum(path.stat().st_size for path in found))
    if refusal is not None:
        return [], refusal
    room = MAX_UPLOAD_MB.value * MB + 1  # one byte past the limit is enough to refuse
    files = []
    for path in found:
        try:
            with path.open("rb") as handle:
                data = handle.read(room)
        except OSError as exc:
            raise YzlogiError(_read_error(str(path), exc)) from None
        room -= len(data)
        files.append(InputFile(path.name, data))
        if room <= 0:  # the file grew since its size was taken
            return [], size_refusal(sum(f.size for f in files))
    return files, None


def _read_error(name: str, exc: OSError) -> str:
    reason = "没有读取权限" if isinstance(exc, PermissionError) else f"系统错误 {exc.errno}"
    return f"无法读取文件 {name}：{reason}"


def cmd_import(args: argparse.Namespace) -> int:
    from yzlogi import sandbox
    from yzlogi.model import ERROR, LEVEL_LABELS

    files, refusal = _read_inputs(args.files)
    if refusal is None:
        # The files are parsed in sandbox processes while this one loads DuckDB and the plan.
        sandbox.prefetch(files)
    from yzlogi.store import WorkbookHasErrors

    if refusal is not None:
        print(WorkbookHasErrors(1), file=sys.stderr)
        print(f"  [{LEVEL_LABELS[ERROR]}] {refusal}", file=sys.stderr)
        return EXIT_REFUSED
    from yzlogi.merge import MERGE, REPLACE

    outcome = _store().import_files(files, by=args.by, note=args.note, mode=REPLACE if args.replace else MERGE)
    parsed = outcome.parsed
    if not parsed.ok:
        print(outcome.message, file=sys.stderr)
        for issue in parsed.issues:
            print(f"  [{LEVEL_LABELS[issue.level]}] {issue.message}", file=sys.stderr)
        return EXIT_REFUSED
    for issue in parsed.warnings:
        print(f"  [{LEVEL_LABELS[issue.level]}] {issue.message}")
    if outcome.merge is not None:
        for line in [*outcome.merge.lines(), *outcome.answer_lines()]:
            print(f"  {line}")
    print(outcome.message)
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    versions = _store().versions()
    if args.json:
        _print_json([v.to_json() for v in versions])
        return 0
    if not versions:
        print("还没有任何版本。")
        return 0
    for v in versions:
        marks = "".join(m for m, on in (("  [当前]", v.active), ("  [示例数据]", v.sample)) if on)
        note = f"  {v.note}" if v.note else ""
        print(f"版本 {v.id}  {v.committed_at:%Y-%m-%d %H:%M}  {v.by}  {'、'.join(v.files)}{marks}{note}")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    store = _store()
    before = store.active_version()
    version = store.rollback(args.id, by=args.by, note=args.note)
    was = f"；原当前版本为 {before.id}" if before else ""
    print(f"已切换到版本 {version.id}（{version.committed_at:%Y-%m-%d %H:%M} 由 {version.by} 导入）{was}。"
          "此次切换已记入历史，可随时再切换回去。")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    history = _store().history()
    if args.json:
        _print_json([a.to_json() for a in history])
        return 0
    for a in history:
        note = f"  {a.note}" if a.note else ""
        print(f"{a.seq}. {a.at:%Y-%m-%d %H:%M}  {a.action_label}  版本 {a.version_id}  {a.by}{note}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from yzlogi import snapshot
    from yzlogi.levels import ORDER, name

    as_of = snapshot.parse_month(args.as_of) if args.as_of else None
    shot = snapshot.take(_store(), args.version, as_of)
    status = shot.status
    if args.json:
        _print_json({**status.to_json(), "plan": snapshot.plan_json(shot)})
        return 0
    counts = status.counts()["total"]
    sample = "（示例数据）" if status.sample else ""
    print(f"版本 {shot.version.id}{sample}，截至 {status.as_of.label}：" +
          "，".join(f"{name(k)} {counts[k]}" for k in ORDER))
    if shot.plan_changes:
        print(f"注意：此版本导入后计划数据文件已修改，灯号按导入时的计划计算。计划的变化：{'；'.join(shot.plan_changes)}")
    for alert in status.exceptions():
        print(f"  [{name(alert.level)}] {alert.title}：{alert.why}")
    return 0


def cmd_passcode(args: argparse.Namespace) -> int:
    from yzlogi.access import ENV_VAR, hash_passcode

    if args.stdin:
        passcode = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        passcode = getpass.getpass("请输入上传口令：")
        if getpass.getpass("请再次输入：") != passcode:
            raise YzlogiError("两次输入的口令不一致，未生成。")
    encoded = hash_passcode(passcode)
    print(encoded)
    print(f"请将上面一行写入 .streamlit/secrets.toml 的 [upload] passcode_hash，或设为环境变量 {ENV_VAR}，"
          "然后重启看板。", file=sys.stderr)
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    from pathlib import Path

    from yzlogi import briefing, snapshot

    as_of = snapshot.parse_month(args.as_of) if args.as_of else None
    day = today_arg(args.today)
    store = _store()
    shot = snapshot.take(store, args.version, as_of)
    data = briefing.build(shot, shot.plan, args.format, day)
    path = Path(args.output)
    if path.is_dir():
        path = path / briefing.file_name(shot.version.id, shot.as_of, args.format)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise YzlogiError(write_error(path, exc)) from None
    export = store.record_export(shot.version.id, shot.as_of, args.format, data, by=args.by, via="cli")
    print(f"已生成{briefing.TITLES[args.format]}：{path}（{briefing.as_of_text(shot)}，数据版本 v{shot.version.id}，"
          f"{len(data):,} 字节，SHA-256 {export.sha256[:16]}…），已记入导出记录 {export.id}。")
    return 0


def cmd_notice(args: argparse.Namespace) -> int:
    from pathlib import Path

    from yzlogi.followups import notice

    day = today_arg(args.today)
    path = Path(args.output)
    fmt = notice.format_of(path) if not path.is_dir() else args.format
    if fmt is None:
        raise YzlogiError(f"督办通知单只能保存为 .xlsx 或 .pdf 文件：{path}")
    found = notice.notice_for(_store(), args.dept, day)
    data = notice.build(found, fmt)
    if path.is_dir():
        path = path / notice.file_name(found.unit, day, fmt)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise YzlogiError(write_error(path, exc)) from None
    print(f"已生成{found.unit}的{notice.TITLE}：{path}（截至 {day:%Y-%m-%d}，未办结事项 {len(found.open)} 项）。")
    return 0


def cmd_exports(args: argparse.Namespace) -> int:
    exports = _store().exports()
    if args.json:
        _print_json([e.to_json() for e in exports])
        return 0
    if not exports:
        print("还没有导出记录。")
        return 0
    for e in exports:
        print(f"{e.id}. {e.at:%Y-%m-%d %H:%M}  {e.format}  版本 {e.version_id}  截至 {e.as_of}  {e.by}  "
              f"{'命令行' if e.via == 'cli' else '网页'}  SHA-256 {e.sha256[:16]}…")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from yzlogi import backup, config

    keep = args.keep if args.keep is not None else config.backup_keep()
    if keep < 1:
        raise YzlogiError("--keep 至少为 1：备份文件夹中至少保留刚做好的这一份。")
    taken = backup.take(backups_dir=Path(args.dir) if args.dir else None, keep=keep)
    print(f"已备份到 {taken.backup.path}（{taken.backup.describe_contents()}），"
          "已校验：各文件与清单一致，数据库可以打开。")
    if taken.removed:
        print(f"按保留份数（{keep}）删除了较早的备份 {len(taken.removed)} 份：{'、'.join(p.name for p in taken.removed)}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from yzlogi import backup, config

    restored = backup.restore(Path(args.backup))
    print(f"已从备份 {restored.backup.path} 恢复到数据文件夹 {config.data_dir()}"
          f"（{restored.backup.describe_contents()}）。")
    if restored.saved is not None:
        print(f"恢复前的数据已保存为 {restored.saved.path}；如需撤销，停止看板后恢复该文件夹即可。")
    print("现在可以启动看板：sudo systemctl start yzlogi")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from yzlogi import doctor

    checks = doctor.run()
    if args.json:
        _print_json([c.to_json() for c in checks])
    else:
        print(doctor.report(checks), end="")
    return EXIT_REFUSED if doctor.failed(checks) else 0


def _load_env_file(path: str) -> None:
    """The service's settings file: its variables, unless already set in the environment."""
    import os

    from yzlogi import envfile

    for key, value in envfile.load(path).items():
        os.environ.setdefault(key, value)


def build_parser() -> argparse.ArgumentParser:
    from yzlogi import config

    parser = _Parser(prog="python -m yzlogi", description="渝中区现代物流三年行动计划 进度看板 命令行工具")
    parser.add_argument("--env-file", metavar="PATH",
                        help="先读取服务的设置文件（如 /etc/yzlogi/yzlogi.env）；环境中已有的变量优先")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="在标准错误中输出诊断日志（含所用程序库的英文原文），供管理员排查问题")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    commands.required = True

    p = commands.add_parser("plan", help="显示计划（指标、任务、部门、线路、船舶）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_plan)

    from yzlogi import cycle_commands

    cycle_commands.register(commands)

    p = commands.add_parser("sample", help="重新生成示例工作簿（示例数据）")
    p.add_argument("path", metavar="PATH", nargs="?", help="保存路径，默认 data/sample/示例进度.xlsx")
    p.set_defaults(func=cmd_sample)

    p = commands.add_parser("dictionary", help="输出工作簿数据字典（Markdown）")
    p.add_argument("--write", action="store_true", help="写入 docs/workbook.md")
    p.set_defaults(func=cmd_dictionary)

    p = commands.add_parser("import", help="导入填报工作簿：校验无误后合并到已有数据，成为新的当前版本")
    p.add_argument("files", metavar="FILE", nargs="+", help="一个工作簿，或每个工作表一个 CSV 文件")
    p.add_argument("--by", default=_default_by(), help="导入人，默认为当前系统用户名")
    p.add_argument("--note", default="", help="备注，如 2026年6月数据")
    p.add_argument("--replace", action="store_true",
                   help="用本次上传替换全部已有数据（未上传的行将被删除；默认按行合并，已有数据保留）")
    p.set_defaults(func=cmd_import)

    p = commands.add_parser("versions", help="列出所有已导入的版本")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_versions)

    p = commands.add_parser("rollback", help="将某个已导入的版本重新设为当前版本（记入历史）")
    p.add_argument("id", metavar="ID", type=int, help="版本号")
    p.add_argument("--by", default=_default_by(), help="操作人，默认为当前系统用户名")
    p.add_argument("--note", default="", help="原因，如 6月数据有误")
    p.set_defaults(func=cmd_rollback)

    p = commands.add_parser("status", help="计算并输出各项灯号（序时进度）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--as-of", metavar="YYYY-MM", help="截至月份，默认为该版本数据中的最新月份")
    p.add_argument("--version", type=int, metavar="ID", help="版本号，默认为当前版本")
    p.set_defaults(func=cmd_status)

    p = commands.add_parser("history", help="列出当前版本的切换历史（导入与回滚）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_history)

    p = commands.add_parser("briefing", help="导出会议材料：推进情况汇总表（xlsx）或会议简报（pdf），并记入导出记录")
    p.add_argument("--format", required=True, choices=("xlsx", "pdf"), help="xlsx：推进情况汇总表；pdf：会议简报")
    p.add_argument("-o", "--output", required=True, metavar="PATH", help="保存路径；为文件夹时使用默认文件名")
    p.add_argument("--version", type=int, metavar="ID", help="版本号，默认为当前版本")
    p.add_argument("--as-of", metavar="YYYY-MM", help="截至月份，默认为该版本数据中的最新月份")
    p.add_argument("--by", default=_default_by(), help="导出人，默认为当前系统用户名")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="督办事项按哪一天列出和计算灯号，默认为今天")
    p.set_defaults(func=cmd_briefing)

    from yzlogi.followups import commands as followup_commands

    followup_commands.register(commands, _default_by())

    p = commands.add_parser("notice", help="生成某单位的督办通知单（其未办结的督办事项），xlsx 或 pdf")
    p.add_argument("--dept", required=True, metavar="单位", help="单位名称（可用简称或别称）")
    p.add_argument("-o", "--output", required=True, metavar="PATH", help="保存路径（.xlsx 或 .pdf）；为文件夹时使用默认文件名")
    p.add_argument("--format", choices=("xlsx", "pdf"), default="pdf", help="保存到文件夹时的格式，默认 pdf")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="按哪一天列出事项和计算灯号，默认为今天")
    p.set_defaults(func=cmd_notice)

    p = commands.add_parser("exports", help="列出会议材料的导出记录")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_exports)

    p = commands.add_parser("passcode", help="生成上传口令的哈希（写入 secrets.toml 或环境变量）")
    p.add_argument("--stdin", action="store_true", help="从标准输入读取口令（一行），不提示")
    p.set_defaults(func=cmd_passcode)

    p = commands.add_parser("backup", help="备份数据文件夹（看板运行时也可以），校验后只保留最近几份")
    p.add_argument("dir", metavar="DIR", nargs="?", help=f"备份文件夹，默认为设置 {config.BACKUP_DIR.env}")
    p.add_argument("--keep", type=int, metavar="N", help=f"保留最近几份定时备份，默认为设置 {config.BACKUP_KEEP.env}")
    p.set_defaults(func=cmd_backup)

    p = commands.add_parser("restore", help="用备份恢复数据文件夹（须先停止看板；恢复前的数据另存为备份）")
    p.add_argument("backup", metavar="BACKUP", help="backup 命令生成的备份文件夹，如 yzlogi-20261129-020000")
    p.set_defaults(func=cmd_restore)

    p = commands.add_parser("doctor", help="检查运行环境：Python 与包、字体、数据文件夹、口令、数据库、备份")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_doctor)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # The log is for an administrator who asks for it; a no-op where logging is set up already (tests).
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    else:
        logging.basicConfig(handlers=[logging.NullHandler()])
    try:
        if args.env_file:
            _load_env_file(args.env_file)
        if args.command not in PLAN_FREE:
            # The plan file is checked before anything else: a broken one stops the command, the folder untouched.
            from yzlogi.plan import load_plan

            load_plan()
        return args.func(args)
    except YzlogiError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (… | head): nothing left to say.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI must never show a traceback
        print(f"内部错误（{type(exc).__name__}），操作未完成，已保存的数据未受影响。", file=sys.stderr)
        return EXIT_INTERNAL
