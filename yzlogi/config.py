"""Where runtime data lives, the settings and the limits every input is held to, in one place.

Each setting and each limit has a documented default and an environment variable
to change it (README «Configuration» and «Limits», both generated from here).
Limits protect the server from files that would take unbounded time or memory;
they are checked before anything is parsed where possible. Settings say how this
installation works (which plan file, the reporting deadline, …).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_WORKBOOK = ROOT / "data" / "sample" / "示例进度.xlsx"
MB = 1024 * 1024


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, its default and what it means (Chinese).

    `kind` says how the variable is read: "path" (relative to the project), "int"
    (a whole number from `minimum` to `maximum`) or "text". An unusable value falls back to
    the default; `problem` says so (python -m yzlogi doctor shows it)."""

    name: str
    env: str
    default: str
    help: str
    kind: str = "text"
    minimum: int = 0
    maximum: int | None = None

    @property
    def raw(self) -> str:
        return os.environ.get(self.env, "").strip()

    @property
    def value(self):
        raw = self.raw
        if self.kind == "path":
            return Path(raw).expanduser().resolve() if raw else ROOT / self.default
        if self.kind == "int":
            return int(raw) if raw and self.problem is None else int(self.default)
        return raw or self.default

    @property
    def problem(self) -> str | None:
        """Why the variable's value cannot be used (Chinese), or None."""
        raw = self.raw
        if self.kind != "int" or not raw:
            return None
        top = self.maximum
        if raw.isdigit() and self.minimum <= int(raw) and (top is None or int(raw) <= top):
            return None
        allowed = f"{self.minimum}—{top}之间的整数" if top is not None else f"不小于{self.minimum}的整数"
        return f"{self.env}=“{raw}”不可用（应为{allowed}），已按默认值 {self.default} 执行"


DATA_DIR = Setting("data_dir", "YZLOGI_DATA_DIR", "var", "数据文件夹：数据库、原始上传文件、历史都在这里", kind="path")
PLAN_FILE = Setting("plan_file", "YZLOGI_PLAN", "data/plan.toml",
                    "计划数据文件：指标、任务、部门、线路、船舶、阈值；看板跟踪的内容由它决定", kind="path")

TRUSTED_PROXIES = Setting(
    "trusted_proxies", "YZLOGI_TRUSTED_PROXIES", "",
    "受信任的反向代理地址（如 nginx 在本机时为 127.0.0.1；多个用逗号分隔，可写网段如 10.0.0.0/24）。"
    "只有直接来自这些地址的请求，才按其 X-Forwarded-For 确定访问者地址（口令错误限速按访问者地址计）；为空时一律不采信")
BACKUP_DIR = Setting("backup_dir", "YZLOGI_BACKUP_DIR", "backups",
                     "备份文件夹：python -m yzlogi backup 默认写入这里，doctor 检查其中最新备份的时间；应放在另一块磁盘上",
                     kind="path")
BACKUP_KEEP = Setting("backup_keep", "YZLOGI_BACKUP_KEEP", "14",
                      "备份文件夹中保留最近几份定时备份（更早的自动删除；恢复前自动保存的副本不删除）", kind="int", minimum=1)

REPORT_DEADLINE_DAY = Setting("report_deadline_day", "YZLOGI_REPORT_DEADLINE_DAY", "5",
                              "每月进展的报送截止日：次月的第几日（1—28；报送情况、催报清单按此判断按时或逾期）",
                              kind="int", minimum=1, maximum=28)
FOLLOWUP_DUE_SOON_DAYS = Setting(
    "followup_due_soon_days", "YZLOGI_FOLLOWUP_DUE_SOON_DAYS", "7",
    "督办事项临期天数：未办结的事项距截止日期不超过这么多天（含截止当天）时亮黄灯（临期），过了截止日期亮红灯（逾期）",
    kind="int", minimum=0)

SETTINGS: tuple[Setting, ...] = (DATA_DIR, PLAN_FILE, REPORT_DEADLINE_DAY, TRUSTED_PROXIES, BACKUP_DIR, BACKUP_KEEP,
                                 FOLLOWUP_DUE_SOON_DAYS)


def report_deadline_day() -> int:
    """Day N of the following month by which a month's return is due (at most 28: every month has it)."""
    return REPORT_DEADLINE_DAY.value


def data_dir() -> Path:
    """The folder holding everything that changes: YZLOGI_DATA_DIR, default var/."""
    return DATA_DIR.value


def plan_path() -> Path:
    """The plan file this installation tracks: YZLOGI_PLAN, default data/plan.toml."""
    return PLAN_FILE.value


def trusted_proxies_text() -> str:
    """The trusted proxy addresses as configured (YZLOGI_TRUSTED_PROXIES), parsed by yzlogi.forwarding."""
    return TRUSTED_PROXIES.value


def backup_dir() -> Path:
    """Where backups go by default and where doctor looks for the latest: YZLOGI_BACKUP_DIR."""
    return BACKUP_DIR.value


def backup_keep() -> int:
    """How many scheduled backups to keep: YZLOGI_BACKUP_KEEP, default 14."""
    return BACKUP_KEEP.value


def followup_due_soon_days() -> int:
    """How many days before its due date an open follow-up item turns yellow: YZLOGI_FOLLOWUP_DUE_SOON_DAYS, default 7."""
    return FOLLOWUP_DUE_SOON_DAYS.value


def settings_markdown() -> str:
    """The README's table of settings (tests/unit/test_settings.py keeps the two equal)."""
    lines = ["| name | environment variable | default | meaning |", "| --- | --- | --- | --- |"]
    lines += [f"| `{s.name}` | `{s.env}` | {f'`{s.default}`' if s.default else '（无）'} | {s.help} |" for s in SETTINGS]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Limit:
    name: str
    env: str
    default: int
    help: str

    @property
    def value(self) -> int:
        raw = os.environ.get(self.env, "").strip()
        if raw.isdigit() and int(raw) > 0:
            return int(raw)
        return self.default


MAX_UPLOAD_MB = Limit("max_upload_mb", "YZLOGI_MAX_UPLOAD_MB", 20,
                      "一次上传（所有文件合计）的最大大小，MB")
MAX_ROWS_PER_SHEET = Limit("max_rows_per_sheet", "YZLOGI_MAX_ROWS_PER_SHEET", 200_000,
                           "每个工作表（或每个 CSV）的最大行数")
MAX_UNCOMPRESSED_MB = Limit("max_uncompressed_mb", "YZLOGI_MAX_UNCOMPRESSED_MB", 300,
                            "xlsx/ods 解压后的最大总大小，MB（防压缩炸弹）")
MAX_COMPRESSION_RATIO = Limit("max_compression_ratio", "YZLOGI_MAX_COMPRESSION_RATIO", 200,
                              "xlsx/ods 中单个文件（解压后超过 1 MB 的）的最大压缩比（防压缩炸弹）")
MAX_ISSUES_LISTED = Limit("max_issues_listed", "YZLOGI_MAX_ISSUES_LISTED", 200,
                          "校验报告逐条列出的问题上限（超出部分只计数）")
LOCK_TIMEOUT_S = Limit("lock_timeout_s", "YZLOGI_LOCK_TIMEOUT_S", 30,
                       "等待另一个导入或读取释放数据文件的最长时间，秒")

# Each uploaded file is read in a process of its own (yzlogi.sandbox), held to these.
READ_MEMORY_MB = Limit("read_memory_mb", "YZLOGI_READ_MEMORY_MB", 2048,
                       "读取一个上传文件的子进程可用的最大内存（地址空间），MB；超出即停止读取并拒收该文件")
READ_CPU_S = Limit("read_cpu_s", "YZLOGI_READ_CPU_S", 30,
                   "读取一个上传文件的子进程可用的最长 CPU 时间，秒")
READ_TIMEOUT_S = Limit("read_timeout_s", "YZLOGI_READ_TIMEOUT_S", 60,
                       "读取一个上传文件的最长等待时间（从启动子进程到读完），秒")
READ_OUTPUT_MB = Limit("read_output_mb", "YZLOGI_READ_OUTPUT_MB", 256,
                       "读取一个上传文件得到的表格数据（单元格文本）的最大大小，MB")

LIMITS: tuple[Limit, ...] = (
    MAX_UPLOAD_MB, MAX_ROWS_PER_SHEET, MAX_UNCOMPRESSED_MB, MAX_COMPRESSION_RATIO,
    MAX_ISSUES_LISTED, LOCK_TIMEOUT_S, READ_MEMORY_MB, READ_CPU_S, READ_TIMEOUT_S, READ_OUTPUT_MB,
)


def size_refusal(total: int) -> str | None:
    """Why an upload of `total` bytes is refused (MAX_UPLOAD_MB), or None.

    The command line asks before reading a file, so a huge one is never loaded."""
    limit = MAX_UPLOAD_MB.value
    if total > limit * MB:
        return f"上传的文件共 {total / MB:.1f} MB，超过上限 {limit} MB"
    return None


def limits_markdown() -> str:
    """The README's table of limits (tests/unit/test_hardening_limits.py keeps the two equal)."""
    lines = ["| name | environment variable | default | meaning |", "| --- | --- | --- | --- |"]
    lines += [f"| `{limit.name}` | `{limit.env}` | {limit.default} | {limit.help} |" for limit in LIMITS]
    return "\n".join(lines) + "\n"
