"""python -m yzlogi briefing / exports as real processes on a fresh data folder (the
bundled sample as version 1): exit codes, the files, and the export records."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from yzlogi import briefing, snapshot
from yzlogi.months import Month
from yzlogi.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run_cli(folder, *args, **env):
    environ = {**os.environ, "YZLOGI_DATA_DIR": str(folder), **env}
    return subprocess.run([sys.executable, "-m", "yzlogi", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", env=environ)


@pytest.fixture(scope="module")
def sample_folder(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("sample"))
    store.ensure_ready()
    return store.folder


@pytest.fixture
def folder(sample_folder, tmp_path):
    """A copy of the sample folder per test, so each starts without export records."""
    copy = tmp_path / "data"
    shutil.copytree(sample_folder, copy, ignore=shutil.ignore_patterns("yzlogi.lock", "yzlogi.turnstile"))
    return copy


def exports(folder) -> list[dict]:
    result = run_cli(folder, "exports", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_briefing_xlsx_writes_the_file_and_records_the_export(folder, tmp_path):
    target = tmp_path / "汇总表.xlsx"
    result = run_cli(folder, "briefing", "--format", "xlsx", "-o", target, "--by", "张三")
    assert result.returncode == 0, result.stderr
    data = target.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert result.stdout == (f"已生成推进情况汇总表：{target}（数据截至 2026年10月，数据版本 v1，{len(data):,} 字节，"
                             f"SHA-256 {digest[:16]}…），已记入导出记录 1。\n")
    [record] = exports(folder)
    assert {k: v for k, v in record.items() if k != "at"} == {
        "id": 1, "by": "张三", "version_id": 1, "as_of": "2026-10", "format": "xlsx", "sha256": digest,
        "size": len(data), "via": "cli", "program": "0.1.0",
    }
    store = Store(folder)
    assert data == briefing.build_xlsx(snapshot.take(store), store.plan)


def test_briefing_pdf_of_an_earlier_month_is_the_same_bytes_as_made_in_process(folder, tmp_path):
    result = run_cli(folder, "briefing", "--format", "pdf", "-o", tmp_path, "--version", 1, "--as-of", "2026-06")
    assert result.returncode == 0, result.stderr
    target = tmp_path / "会议简报_2026年6月_v1.pdf"  # a folder as -o takes the default file name
    assert result.stdout.startswith(f"已生成会议简报：{target}（数据截至 2026年6月，数据版本 v1，")
    data = target.read_bytes()
    store = Store(folder)
    assert data == briefing.build_pdf(snapshot.take(store, 1, Month(2026, 6)), store.plan)
    [record] = exports(folder)
    assert (record["format"], record["as_of"], record["sha256"]) == ("pdf", "2026-06", hashlib.sha256(data).hexdigest())


def test_exports_lists_every_record_oldest_first(folder, tmp_path):
    assert run_cli(folder, "exports").stdout == "还没有导出记录。\n"
    assert exports(folder) == []
    for fmt, month in (("xlsx", "2026-10"), ("xlsx", "2026-09"), ("xlsx", "2026-10")):
        assert run_cli(folder, "briefing", "--format", fmt, "-o", tmp_path / f"{month}.{fmt}", "--as-of", month,
                       "--by", "李四").returncode == 0
    records = exports(folder)
    assert [(r["id"], r["as_of"]) for r in records] == [(1, "2026-10"), (2, "2026-09"), (3, "2026-10")]
    assert records[0]["sha256"] == records[2]["sha256"] != records[1]["sha256"]
    lines = run_cli(folder, "exports").stdout.splitlines()
    assert [line.split("  ")[1:5] for line in lines] == [
        ["xlsx", "版本 1", "截至 2026-10", "李四"], ["xlsx", "版本 1", "截至 2026-09", "李四"],
        ["xlsx", "版本 1", "截至 2026-10", "李四"],
    ]


@pytest.mark.parametrize(
    ("args", "env", "code", "message"),
    [
        (["--format", "pdf", "--version", "9"], {}, 1, "版本 9 不存在。可用 python -m yzlogi versions 查看已有版本。\n"),
        (["--format", "xlsx", "--as-of", "2026-13"], {}, 1, "月份“2026-13”格式不对，应为 YYYY-MM，如 2026-06\n"),
        (["--format", "xlsx", "--as-of", "2026-11"], {}, 1,
         "截至月份 2026-11 超出版本 1 的数据范围：应在 2025-01 至 2026-10 之间（不指定时为 2026-10，即该版本数据的最新月份）\n"),
        (["--format", "pdf", "--as-of", "2024-12"], {}, 1,
         "截至月份 2024-12 超出版本 1 的数据范围：应在 2025-01 至 2026-10 之间（不指定时为 2026-10，即该版本数据的最新月份）\n"),
        (["--format", "pdf"], {"YZLOGI_CJK_FONT": "/无此字体.ttf"}, 1,
         "生成 PDF 需要中文字体 Noto Sans CJK SC（/无此字体.ttf），但环境变量 YZLOGI_CJK_FONT 指定的文件不存在。"
         "请在服务器上运行 make run 或 sudo apt-get install fonts-noto-cjk 安装后重试；"
         "也可用环境变量 YZLOGI_CJK_FONT 指定其他中文字体文件（.ttf/.otf/.ttc）。\n"),
    ],
    ids=["unknown-version", "bad-month", "after-the-data", "before-the-plan", "missing-font"],
)
def test_a_refused_briefing_exits_1_in_chinese_and_records_nothing(folder, tmp_path, args, env, code, message):
    target = tmp_path / "out.bin"
    result = run_cli(folder, "briefing", "-o", target, *args, **env)
    assert (result.returncode, result.stdout, result.stderr) == (code, "", message)
    assert not target.exists()
    assert exports(folder) == []


def test_an_unwritable_path_exits_1_and_records_nothing(folder, tmp_path):
    target = tmp_path / "无此文件夹" / "x.xlsx"
    result = run_cli(folder, "briefing", "--format", "xlsx", "-o", target)
    assert (result.returncode, result.stderr) == (1, f"无法写入 {target}：所在文件夹不存在\n")
    assert exports(folder) == []


def test_an_unknown_format_is_a_usage_error(folder, tmp_path):
    result = run_cli(folder, "briefing", "--format", "docx", "-o", tmp_path / "x.docx")
    assert result.returncode == 2
    assert "命令行参数有误：argument --format: invalid choice: 'docx' (choose from 'xlsx', 'pdf')" in result.stderr


def test_the_pdf_is_made_without_any_network(folder, tmp_path):
    """In a network namespace with no interface but loopback: the PDF (charts included) still builds."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rn", "true"]).returncode != 0:
        pytest.skip("unshare -rn (a private network namespace) is not permitted here")
    target = tmp_path / "offline.pdf"
    environ = {**os.environ, "YZLOGI_DATA_DIR": str(folder)}
    result = subprocess.run(["unshare", "-rn", sys.executable, "-m", "yzlogi", "briefing", "--format", "pdf",
                             "-o", str(target)], cwd=ROOT, capture_output=True, text=True, env=environ)
    assert result.returncode == 0, result.stderr
    store = Store(folder)
    assert target.read_bytes() == briefing.build_pdf(snapshot.take(store), store.plan)


def test_store_exports_of_a_folder_made_before_exports_existed_is_empty(tmp_path):
    store = Store(tmp_path / "data", sample=None)
    assert store.exports() == []
    with pytest.raises(ValueError):
        store.record_export(1, "2026-10", "docx", b"x")


def test_status_judges_only_months_the_data_covers(folder):
    """status --as-of takes the months the app offers; a later one would judge months nobody reported."""
    first, last = run_cli(folder, "status", "--json", "--as-of", "2025-01"), run_cli(folder, "status", "--json",
                                                                                        "--as-of", "2026-10")
    assert (json.loads(first.stdout)["as_of"], json.loads(last.stdout)["as_of"]) == ("2025-01", "2026-10")
    late = run_cli(folder, "status", "--json", "--as-of", "2027-03")
    assert (late.returncode, late.stdout) == (1, "")
    assert late.stderr == ("截至月份 2027-03 超出版本 1 的数据范围：应在 2025-01 至 2026-10 之间"
                           "（不指定时为 2026-10，即该版本数据的最新月份）\n")
