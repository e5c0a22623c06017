"""python -m yzlogi followup … and notice, run as real processes on a temporary data folder
(YZLOGI_DATA_DIR): items raised, answered, closed, reopened and moved from a shell; every bad
input refused in Chinese with nothing changed; an import and a rollback from the command line
leave the items as they were; the 督办通知单 written as xlsx and pdf; the made-up second plan too.

Items raised here are stamped by the clock, so due dates are counted from today and the lights
are judged with --today."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builders import good_sheets, write_xlsx
from plan_files import SECOND_PLAN
from store_helpers import workbook
from yzlogi.store import Store

ROOT = Path(__file__).resolve().parents[2]
TODAY = date.today()
DUE = TODAY + timedelta(days=10)


def label(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def run(folder: Path, *args, plan: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "YZLOGI_DATA_DIR": str(folder)}
    env.pop("YZLOGI_FOLLOWUP_DUE_SOON_DAYS", None)
    if plan is not None:
        env["YZLOGI_PLAN"] = str(plan)
    return subprocess.run([sys.executable, "-m", "yzlogi", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def listing(folder: Path, *args) -> list[dict]:
    return json.loads(ok(run(folder, "followup", "list", "--json", *args)))


@pytest.fixture
def folder(tmp_path):
    """Two committed versions (the second active, data to 2026-06), no follow-up items."""
    store = Store(tmp_path / "data", sample=None)
    store.commit(workbook(1), by="张三", note="5月")
    store.commit(workbook(2), by="李四", note="6月")
    return store.folder


@pytest.fixture
def raised(folder):
    """Item 1 about task 8, raised from the command line; item 2 about a route, for 区交通运输委."""
    result = run(folder, "followup", "add", "--about", "task:8", "--unit", "交通委", "--text", "报送渝穗班列追赶计划",
                 "--due", DUE, "--by", "张三")
    assert (result.returncode, result.stdout) == (0, "1\n"), result.stderr
    assert result.stderr == (f"已交办督办事项 1：任务8 提升通道运力投入强度，办理单位 区交通运输委，截止 {label(DUE)}，"
                             "数据版本 v2、截至 2026年6月。\n")
    result = run(folder, "followup", "add", "--about", "route:渝穗班列:2026", "--text", "加密班次",
                 "--due", TODAY, "--by", "张三", "--version", 1, "--as-of", "2026-05")
    assert (result.returncode, result.stdout) == (0, "2\n"), result.stderr
    return folder


def test_an_item_is_raised_answered_closed_reopened_and_moved_from_the_shell(raised):
    assert ok(run(raised, "followup", "answer", 1, "--text", "已报送专班", "--by", "李四", "--unit", "交通运输委",
                  "--close-request")) == "已记录督办事项 1（任务8 提升通道运力投入强度）的反馈，并申请办结（待专班办公室销号）。\n"
    assert ok(run(raised, "followup", "close", 1, "--by", "王五", "--note", "同意销号")) == (
        "已销号：督办事项 1（任务8 提升通道运力投入强度）已办结。\n")
    assert ok(run(raised, "followup", "reopen", 1, "--by", "王五", "--note", "缺分月安排")) == (
        f"已重新打开督办事项 1（任务8 提升通道运力投入强度），截止日期为 {label(DUE)}。\n")
    later = DUE + timedelta(days=5)
    assert ok(run(raised, "followup", "due", 1, later, "--by", "王五", "--note", "补充分月安排")) == (
        f"已将督办事项 1（任务8 提升通道运力投入强度）的截止日期调整为 {label(later)}。\n")

    items = listing(raised, "--today", later + timedelta(days=3))
    assert [(i["id"], i["level"], i["state"], i["reason"]) for i in items] == [
        (2, "red", "逾期", f"截止 {label(TODAY)}，已逾期 {(later - TODAY).days + 3} 天 → 红灯"),
        (1, "red", "逾期", f"截止 {label(later)}，已逾期 3 天 → 红灯"),
    ]
    first = items[1]
    assert (first["about"], first["units"], first["requirement"], first["due"], first["raised_by"],
            first["version_id"], first["as_of"], first["closed"], first["close_requested"]) == (
        "task:8", ["区交通运输委"], "报送渝穗班列追赶计划", later.isoformat(), "张三", 2, "2026-06", False, False)
    assert [(e["kind"], e["by"], e["text"], e["due"], e["request_close"], e["via"], e["unit"])
            for e in first["history"]] == [
        ("raised", "张三", "报送渝穗班列追赶计划", DUE.isoformat(), False, "cli", None),
        ("answered", "李四", "已报送专班", None, True, "cli", "区交通运输委"),
        ("closed", "王五", "同意销号", None, False, "cli", None),
        ("reopened", "王五", "缺分月安排", None, False, "cli", None),
        ("due_changed", "王五", "补充分月安排", later.isoformat(), False, "cli", None),
    ]
    assert all(e["at"].startswith(TODAY.isoformat()) for e in first["history"])
    assert [e["id"] for e in first["history"]] == [1, 3, 4, 5, 6]
    assert (items[0]["version_id"], items[0]["as_of"]) == (1, "2026-05")


def test_the_lights_follow_the_day_given(raised):
    def levels(day):
        return [(i["id"], i["level"]) for i in listing(raised, "--today", day)]

    assert levels(TODAY) == [(2, "yellow"), (1, "green")]  # due today; due in 10 days
    assert levels(TODAY + timedelta(days=3)) == [(2, "red"), (1, "yellow")]  # 7 days left
    assert levels(DUE + timedelta(days=1)) == [(2, "red"), (1, "red")]
    assert levels(TODAY - timedelta(days=1)) == []  # not raised yet on that day


def test_the_chinese_listing_and_one_units_items(raised):
    ok(run(raised, "followup", "answer", 2, "--text", "已加密", "--by", "李四"))
    text = ok(run(raised, "followup", "list", "--today", DUE, "--unit", "区交通运输委")).splitlines()
    assert text[0] == f"督办事项 2 项（按 {label(DUE)} 计）：逾期 1，临期 1，办理中 0，已办结 0"
    assert text[1] == f"[2] ■ 红 逾期｜渝穗班列（2026年）｜区交通运输委｜截止 {TODAY:%Y-%m-%d}"
    assert text[2:4] == ["    督办要求：加密班次", f"    截止 {label(TODAY)}，已逾期 10 天 → 红灯"]
    assert re.fullmatch(r"      \d{4}-\d\d-\d\d \d\d:\d\d 交办（命令行） 张三：加密班次", text[4])
    assert re.fullmatch(r"      \d{4}-\d\d-\d\d \d\d:\d\d 反馈（命令行） 李四：已加密", text[5])
    assert text[6] == f"[1] ▲ 黄 临期｜任务8 提升通道运力投入强度｜区交通运输委｜截止 {DUE:%Y-%m-%d}"
    assert ok(run(raised, "followup", "list", "--unit", "商务委")) == "区商务委没有督办事项。\n"
    assert listing(raised, "--unit", "发改委") == []


def bad_inputs():
    yesterday = TODAY - timedelta(days=1)
    return [
        (("add", "--about", "task:8", "--unit", "商务局", "--text", "x", "--due", DUE),
         "计划中没有部门“商务局”，您是否要找：区商务委？"),
        (("add", "--about", "task:8", "--text", "x", "--due", yesterday),
         f"截止日期 {label(yesterday)} 早于交办日期 {label(TODAY)}，请改为交办当天或之后的日期。"),
        (("add", "--about", "route:渝穗:2026", "--text", "x", "--due", DUE), "计划中没有线路“渝穗”，您是否要找：渝穗班列？"),
        (("add", "--about", "task:8", "--text", "x", "--due", "2026/7/15"),
         "日期“2026/7/15”格式不对，应为 YYYY-MM-DD，如 2026-07-15"),
        (("add", "--about", "task:8", "--text", "x", "--due", DUE, "--version", 7),
         "版本 7 不存在。可用 python -m yzlogi versions 查看已有版本。"),
        (("answer", 9, "--text", "x"), "没有编号为 9 的督办事项。可用 python -m yzlogi followup list 查看已有事项。"),
        (("answer", 3, "--text", "x"), "督办事项 3（任务8 提升通道运力投入强度（区商务委））已办结（{closed} 由王五销号），"
                                       "不能再反馈；如需继续办理，请先重新打开。"),
        (("answer", 1, "--text", "  "), "办理情况不能为空。"),
        (("close", 3, "--by", "王五"), "督办事项 3（任务8 提升通道运力投入强度（区商务委））已办结（{closed} 由王五销号），无需再次销号。"),
        (("reopen", 1, "--by", "王五"), "督办事项 1（任务8 提升通道运力投入强度）尚未办结，无需重新打开。"),
        (("due", 1, yesterday, "--by", "王五"),
         f"截止日期 {label(yesterday)} 早于交办日期 {label(TODAY)}，请改为交办当天或之后的日期。"),
        (("due", 1, DUE, "--by", "王五"), f"督办事项 1（任务8 提升通道运力投入强度）的截止日期已是 {label(DUE)}，未修改。"),
        (("list", "--unit", "商务局"), "计划中没有部门“商务局”，您是否要找：区商务委？"),
        (("list", "--today", "明天"), "日期“明天”格式不对，应为 YYYY-MM-DD，如 2026-07-15"),
    ]


@pytest.fixture
def with_closed(raised):
    assert ok(run(raised, "followup", "add", "--about", "task:8:商务委", "--text", "报送货源方案", "--due", DUE)) == "3\n"
    ok(run(raised, "followup", "close", 3, "--by", "王五"))
    return raised


@pytest.mark.parametrize("args, message", bad_inputs())
def test_bad_input_is_refused_in_chinese_and_changes_nothing(with_closed, args, message):
    before = listing(with_closed)
    result = run(with_closed, "followup", *args)
    closed = before[0]["closed_at"][:10]
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message.replace("{closed}", closed) + "\n")
    assert listing(with_closed) == before


def test_an_import_and_a_rollback_from_the_command_line_leave_the_items(raised, tmp_path):
    ok(run(raised, "followup", "answer", 1, "--text", "已起草", "--by", "李四"))
    before = listing(raised)
    path = write_xlsx(tmp_path / "7月进度.xlsx", good_sheets())
    assert ok(run(raised, "import", path, "--by", "张三")).splitlines()[-1] == "已合并到已有数据，导入为版本 3，并已设为当前版本。"
    assert listing(raised) == before
    ok(run(raised, "rollback", 1, "--by", "王五"))
    assert listing(raised) == before


def test_notice_writes_the_units_open_items_as_xlsx_and_pdf(raised, tmp_path):
    ok(run(raised, "followup", "close", 2, "--by", "王五"))
    result = run(raised, "notice", "--dept", "交通委", "-o", tmp_path / "通知.xlsx", "--today", DUE)
    assert ok(result) == f"已生成区交通运输委的督办通知单：{tmp_path / '通知.xlsx'}（截至 {DUE}，未办结事项 1 项）。\n"
    rows = [[c for c in row if c is not None] for row in load_workbook(tmp_path / "通知.xlsx").active.iter_rows(
        values_only=True)]
    assert [1, "任务8 提升通道运力投入强度", "报送渝穗班列追赶计划", label(DUE), "▲ 黄", f"截止 {label(DUE)}，今天到期 → 黄灯"] in rows
    assert not any(2 in row for row in rows)  # closed: not on the notice

    ok(run(raised, "notice", "--dept", "区交通运输委", "-o", tmp_path / "通知.pdf", "--today", DUE))
    text = subprocess.run(["pdftotext", "-raw", str(tmp_path / "通知.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = re.sub(r"\s+", "", text)
    assert f"1任务8提升通道运力投入强度报送渝穗班列追赶计划{label(DUE)}▲黄截止{label(DUE)}，今天到期→黄灯" in squeezed

    ok(run(raised, "notice", "--dept", "区交通运输委", "-o", tmp_path, "--format", "xlsx", "--today", DUE))
    assert (tmp_path / f"督办通知单_区交通运输委_{label(DUE)}.xlsx").read_bytes() == (tmp_path / "通知.xlsx").read_bytes()

    refused = run(raised, "notice", "--dept", "区交通运输委", "-o", tmp_path / "通知.docx")
    assert (refused.returncode, refused.stderr) == (1, f"督办通知单只能保存为 .xlsx 或 .pdf 文件：{tmp_path / '通知.docx'}\n")
    refused = run(raised, "notice", "--dept", "商务局", "-o", tmp_path / "x.pdf")
    assert (refused.returncode, refused.stderr) == (1, "计划中没有部门“商务局”，您是否要找：区商务委？\n")
    assert not (tmp_path / "x.pdf").exists()


def test_the_briefing_of_a_day_lists_the_items(raised, tmp_path):
    out = ok(run(raised, "briefing", "--format", "xlsx", "-o", tmp_path / "汇总表.xlsx", "--today", DUE))
    assert out.startswith(f"已生成推进情况汇总表：{tmp_path / '汇总表.xlsx'}（数据截至 2026年6月，数据版本 v2，")
    ws = load_workbook(tmp_path / "汇总表.xlsx")["督办事项"]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert f"按 {label(DUE)} 计：未办结 2 项（逾期 1 项，临期 1 项，办理中 0 项）；临期指距截止日期 7 天以内（含当天）。" in cells
    assert f"截止 {label(TODAY)}，已逾期 10 天 → 红灯" in cells
    refused = run(raised, "briefing", "--format", "pdf", "-o", tmp_path / "简报.pdf", "--today", "2026-13-01")
    assert (refused.returncode, refused.stderr) == (1, "日期“2026-13-01”格式不对，应为 YYYY-MM-DD，如 2026-07-15\n")


def test_the_second_plan_has_follow_ups_of_its_own(tmp_path):
    """Another plan file: its routes, tasks and units; its notice and briefing say nothing of the district's."""
    folder = tmp_path / "data"
    result = run(folder, "followup", "add", "--about", "route:中欧班列:2027", "--text", "恢复每周3列", "--due", DUE,
                 "--by", "张三", plan=SECOND_PLAN)
    assert (result.returncode, result.stdout) == (0, "1\n"), result.stderr
    refused = run(folder, "followup", "add", "--about", "fleet:甲醇动力船舶更新", "--text", "x", "--due", DUE,
                  plan=SECOND_PLAN)
    assert (refused.returncode, refused.stderr) == (1, "计划中没有船舶更新目标。\n")
    refused = run(folder, "followup", "add", "--about", "task:1", "--unit", "区交通运输委", "--text", "x", "--due", DUE,
                  plan=SECOND_PLAN)
    assert (refused.returncode, refused.stderr) == (1, "计划中没有部门“区交通运输委”，您是否要找：市交通局？\n")
    items = json.loads(ok(run(folder, "followup", "list", "--json", "--today", DUE, plan=SECOND_PLAN)))
    assert [(i["about"], i["subject"], i["units"], i["level"]) for i in items] == [
        ("route:中欧班列:2027", "中欧班列（2027年）", ["市交通局"], "yellow")]
    ok(run(folder, "notice", "--dept", "交通局", "-o", tmp_path / "通知.pdf", "--today", DUE, plan=SECOND_PLAN))
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(tmp_path / "通知.pdf"), "-"],
                                             capture_output=True, text=True, check=True).stdout)
    assert "示例市现代物流与供应链提升行动计划（2026—2028年）工作专班" in text
    assert "1中欧班列（2027年）恢复每周3列" in text and "示例市物流提升计划工作专班办公室" in text
    ok(run(folder, "briefing", "--format", "xlsx", "-o", tmp_path / "汇总表.xlsx", "--today", DUE, plan=SECOND_PLAN))
    book = load_workbook(io.BytesIO((tmp_path / "汇总表.xlsx").read_bytes()))
    cells = " ".join(str(c) for row in book["督办事项"].iter_rows(values_only=True) for c in row if c is not None)
    assert "中欧班列（2027年）" in cells and "市交通局" in cells
    assert [word for word in ("区交通运输委", "渝中", "东盟", "船舶") if word in cells + text] == []
