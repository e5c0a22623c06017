"""Where runtime data lives and the limits every input is held to, in one place.

Each limit has a documented default and an environment variable to change it
(README «Limits»). Limits protect the server from files that would take unbounded
time or memory; they are checked before anything is parsed where possible.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_WORKBOOK = ROOT / "data" / "sample" / "示例进度.xlsx"


def data_dir() -> Path:
    """The folder holding everything that changes: YZLOGI_DATA_DIR, default var/."""
    configured = os.environ.get("YZLOGI_DATA_DIR", "").strip()
    return Path(configured).expanduser().resolve() if configured else ROOT / "var"


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

LIMITS: tuple[Limit, ...] = (
    MAX_UPLOAD_MB, MAX_ROWS_PER_SHEET, MAX_UNCOMPRESSED_MB, MAX_COMPRESSION_RATIO,
    MAX_ISSUES_LISTED, LOCK_TIMEOUT_S,
)


def limits_markdown() -> str:
    """The README's table of limits (tests/unit/test_hardening_limits.py keeps the two equal)."""
    lines = ["| name | environment variable | default | meaning |", "| --- | --- | --- | --- |"]
    lines += [f"| `{limit.name}` | `{limit.env}` | {limit.default} | {limit.help} |" for limit in LIMITS]
    return "\n".join(lines) + "\n"
