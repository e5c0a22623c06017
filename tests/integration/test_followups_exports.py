"""What the papers say about follow-up items: the briefing's 督办事项 section (the workbook's sheet,
the PDF's section read back with pdftotext) and one unit's 督办通知单 (xlsx read back with
openpyxl, pdf with pdftotext), on a real store with items raised, answered and closed at known
times, and briefings handed out before, on and after the day."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from store_helpers import workbook
from yzlogi import briefing, snapshot
from yzlogi.briefing.followup_section import followup_section
from yzlogi.briefing.xlsx import FOLLOWUPS_SHEET
from yzlogi.followups import notice
from yzlogi.followups import service as followups
from yzlogi.followups.errors import UnknownUnit
from yzlogi.plan import load_plan
from yzlogi.store import Store

PLAN = load_plan()
DAY = date(2026, 7, 18)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 7, day, hour)


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode("utf-8")
    return re.sub(r"\s+", "", out)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Five items on 2026-07-18: one overdue, one due soon, one open, one closed before the last
    briefing (07-12) and one closed after it; briefings handed out on 07-03, 07-12 and 07-18."""
    store = Store(tmp_path_factory.mktemp("followups") / "data", plan=PLAN, sample=None)
    store.commit(workbook(1), by="张三", note="6月")
    raise_ = followups.raise_item
    raise_(store, "task:8", "报送渝穗班列追赶计划", date(2026, 7, 15), "张三", at=at(1))
    raise_(store, "route:渝穗班列:2026", "加密至每周2班", date(2026, 7, 20), "张三", at=at(2))
    raise_(store, "indicator:5:2026", "分析运量增速偏低原因", date(2026, 8, 31), "张三", at=at(2))
    raise_(store, "fleet:甲醇动力船舶更新", "落实船企更新计划", date(2026, 7, 10), "张三", at=at(1))
    raise_(store, "task:9", "组织通道联动专题会", date(2026, 7, 30), "张三", at=at(1))
    followups.answer(store, 1, "已起草，待审定", "李四", unit="区交通运输委", at=at(10))
    followups.answer(store, 4, "两艘已签合同", "李四", request_close=True, at=at(8))
    followups.close(store, 4, "王五", "核实无误", at=at(9))
    followups.close(store, 5, "王五", at=at(16))
    for moment in (at(3, 10), at(12, 10), at(18, 8)):
        store.record_export(1, "2026-06", "xlsx", b"briefing", by="王五", via="web", at=moment)
    return store


@pytest.fixture(scope="module")
def shot(store):
    return snapshot.take(store)


def test_the_section_lists_open_items_by_light_then_those_closed_since_the_last_briefing(shot):
    section = followup_section(shot, DAY, soon_days=7)
    assert [(j.item.id, j.light.level) for j in section.open] == [(1, "red"), (2, "yellow"), (3, "green")]
    assert [j.item.id for j in section.closed] == [5]  # item 4 was closed before the 07-12 briefing
    assert section.since == at(12, 10)  # the briefing of the day itself does not count
    assert section.summary() == ("按 2026年7月18日 计：未办结 3 项（逾期 1 项，临期 1 项，办理中 1 项）；"
                                 "临期指距截止日期 7 天以内（含当天）。")
    assert section.closed_title() == "自上次导出会议材料（2026年7月12日）以来办结的事项"
    earlier = followup_section(shot, date(2026, 7, 3), soon_days=7)
    assert ([(j.item.id, j.light.level) for j in earlier.open], earlier.closed, earlier.since) == (
        [(4, "yellow"), (1, "green"), (2, "green"), (5, "green"), (3, "green")], (), None)
    assert earlier.closed_title() == "已办结事项（此前未导出过会议材料）"


def test_the_workbook_has_the_section_as_a_sheet(store, shot):
    ws = load_workbook(io.BytesIO(briefing.build_xlsx(shot, PLAN, DAY)))[FOLLOWUPS_SHEET]
    values = [[c for c in row if c is not None] for row in ws.iter_rows(min_row=3, values_only=True)]
    values = [row for row in values if row]
    assert values == [
        ["按 2026年7月18日 计：未办结 3 项（逾期 1 项，临期 1 项，办理中 1 项）；临期指距截止日期 7 天以内（含当天）。"],
        ["一、未办结事项（按逾期、临期、办理中排列）"],
        ["编号", "事项", "办理单位", "督办要求", "截止日期", "灯", "说明", "最新反馈"],
        [1, "任务8 提升通道运力投入强度", "区交通运输委", "报送渝穗班列追赶计划", "2026年7月15日", "■ 红",
         "截止 2026年7月15日，已逾期 3 天 → 红灯", "2026-07-10（区交通运输委，李四）：已起草，待审定"],
        [2, "渝穗班列（2026年）", "区交通运输委", "加密至每周2班", "2026年7月20日", "▲ 黄",
         "截止 2026年7月20日，还剩 2 天 → 黄灯", "尚未反馈"],
        [3, "指标5 西部陆海新通道运量增速（2026年）", "区商务委", "分析运量增速偏低原因", "2026年8月31日", "● 绿",
         "截止 2026年8月31日，还剩 44 天 → 绿灯", "尚未反馈"],
        ["二、自上次导出会议材料（2026年7月12日）以来办结的事项"],
        ["编号", "事项", "办理单位", "督办要求", "截止日期", "状态", "办结情况", "最新反馈"],
        [5, "任务9 发挥通道联动作用", "区商务委", "组织通道联动专题会", "2026年7月30日", "✓ 办结", "2026年7月16日由王五销号",
         "尚未反馈"],
    ]
    red = next(c for row in ws.iter_rows() for c in row if c.value == "■ 红")
    assert red.fill.fgColor.rgb == "00C62828"


def test_the_pdf_has_the_section_after_the_exceptions_and_numbers_what_follows(shot):
    text = pdf_text(briefing.build_pdf(shot, PLAN, DAY))
    assert text.index("一、需要关注") < text.index("二、督办事项") < text.index("三、主要指标")
    assert squeeze("按 2026年7月18日 计：未办结 3 项（逾期 1 项，临期 1 项，办理中 1 项）") in text
    for row in ("1任务8提升通道运力投入强度区交通运输委报送渝穗班列追赶计划2026年7月15日■红截止2026年7月15日，已逾期3天→红灯",
                "2渝穗班列（2026年）区交通运输委加密至每周2班2026年7月20日▲黄截止2026年7月20日，还剩2天→黄灯尚未反馈",
                "自上次导出会议材料（2026年7月12日）以来办结的事项",
                "2026年7月16日由王五销号"):
        assert row in text, row
    assert text.index("■红截止2026年7月15日") < text.index("▲黄截止2026年7月20日") < text.index("●绿截止2026年8月31日")
    assert "落实船企更新计划" not in text  # closed before the last briefing


def test_the_same_day_gives_the_same_bytes_and_another_day_does_not(shot):
    assert briefing.build_xlsx(shot, PLAN, DAY) == briefing.build(shot, PLAN, "xlsx", DAY)
    assert briefing.build_xlsx(shot, PLAN, DAY) != briefing.build_xlsx(shot, PLAN, date(2026, 7, 19))


# --- the 督办通知单 ----------------------------------------------------------------------------


def test_the_notice_of_a_unit_lists_its_open_items_overdue_first(store):
    found = notice.notice_for(store, "交通委", DAY)
    assert (found.unit, [j.item.id for j in found.open]) == ("区交通运输委", [1, 2])
    book = load_workbook(io.BytesIO(notice.build(found, "xlsx")))
    assert book.sheetnames == ["督办通知单"]
    rows = [[c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)]
    assert [row for row in rows if row] == [
        ["渝中区现代物流业高质量发展三年行动计划（2025—2027年）工作专班"],
        ["督办通知单"],
        ["区交通运输委："],
        ["根据工作专班会议安排，现将贵单位截至2026年7月18日尚未办结的督办事项（共 2 项：逾期 1 项，临期 1 项，办理中 0 项）"
         "通知如下。请按督办要求抓紧办理，在截止日期前反馈办理情况（看板“督办事项”页面，或月度报送工作簿的“督办反馈”表）；"
         "办结后可申请销号，由专班办公室核实后销号。"],
        ["编号", "事项", "督办要求", "截止日期", "灯", "说明"],
        [1, "任务8 提升通道运力投入强度", "报送渝穗班列追赶计划", "2026年7月15日", "■ 红", "截止 2026年7月15日，已逾期 3 天 → 红灯"],
        [2, "渝穗班列（2026年）", "加密至每周2班", "2026年7月20日", "▲ 黄", "截止 2026年7月20日，还剩 2 天 → 黄灯"],
        ["联系单位：区交通运输委"],
        ["渝中区现代物流三年行动计划工作专班办公室"],
        ["2026年7月18日"],
    ]
    assert book.active.oddFooter.center.text == "督办通知单　区交通运输委　2026年7月18日　第 &P 页，共 &N 页"
    assert book.properties.created == datetime(2026, 7, 18)


def test_the_notice_pdf_reads_back_with_its_items_and_the_day(store):
    data = notice.build(notice.notice_for(store, "区交通运输委", DAY), "pdf")
    text = pdf_text(data)
    for part in ("督办通知单", "区交通运输委：", "截至2026年7月18日尚未办结的督办事项（共2项：逾期1项，临期1项，办理中0项）",
                 "1任务8提升通道运力投入强度报送渝穗班列追赶计划2026年7月15日■红截止2026年7月15日，已逾期3天→红灯",
                 "2渝穗班列（2026年）加密至每周2班2026年7月20日▲黄截止2026年7月20日，还剩2天→黄灯",
                 "联系单位：区交通运输委", "渝中区现代物流三年行动计划工作专班办公室2026年7月18日", "第1页，共1页"):
        assert part in text, part
    info = subprocess.run(["pdfinfo", "-isodates", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "CreationDate:    2026-07-18T00:00:00+08" in info
    assert "Title:           督办通知单（区交通运输委，2026年7月18日）" in info


def test_the_notice_is_the_same_bytes_for_the_same_day_and_items(store):
    for fmt in notice.FORMATS:
        first = notice.build(notice.notice_for(store, "区交通运输委", DAY), fmt)
        assert notice.build(notice.notice_for(store, "交通运输委", DAY), fmt) == first
        assert notice.build(notice.notice_for(store, "区交通运输委", date(2026, 7, 19)), fmt) != first


def test_a_unit_without_open_items_gets_a_notice_that_says_so(store):
    found = notice.notice_for(store, "区发展改革委", DAY)
    assert found.open == ()
    assert found.body() == "截至2026年7月18日，贵单位没有未办结的督办事项。"
    assert "截至2026年7月18日，贵单位没有未办结的督办事项。" in pdf_text(notice.build(found, "pdf"))
    assert notice.file_name(found.unit, DAY, "pdf") == "督办通知单_区发展改革委_2026年7月18日.pdf"
    with pytest.raises(UnknownUnit) as refused:
        notice.notice_for(store, "商务局", DAY)
    assert str(refused.value) == "计划中没有部门“商务局”，您是否要找：区商务委？"
