"""The 推进情况汇总表 workbook over real stores: the bundled sample (version 1 of a
fresh folder, as-of 2026-10) and a hostile upload whose text looks like formulas."""

import io
import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from builders import good_sheets, write_csv
from yzlogi import briefing, snapshot
from yzlogi.briefing.xlsx import (FOLLOWUPS_SHEET, INDICATORS_SHEET, LINE_HEIGHT, ROUTES_SHEET, TASK_COLUMNS,
                                  TASK_WIDTHS, TASKS_SHEET)
from yzlogi.followups import service as followups
from yzlogi.model import InputFile
from yzlogi.months import Month
from yzlogi.store import Store

HOSTILE = ["=1+1", "+SUM(A1)", "-2", "@x", '=HYPERLINK("http://example.invalid","点我")']


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """A fresh data folder: the bundled sample committed as version 1."""
    store = Store(tmp_path_factory.mktemp("sample"))
    store.ensure_ready()
    return store


@pytest.fixture(scope="module")
def sample_xlsx(sample_store):
    return briefing.build_xlsx(snapshot.take(sample_store), sample_store.plan)


@pytest.fixture(scope="module")
def book(sample_xlsx):
    return load_workbook(io.BytesIO(sample_xlsx))


def task_rows(ws) -> dict[int, tuple]:
    """Task rows of the summary sheet by 序号 (group heading rows skipped)."""
    return {row[0].value: tuple(c.value for c in row) for row in ws.iter_rows(min_row=4)
            if isinstance(row[0].value, int)}


def test_workbook_has_the_four_sheets_each_titled_with_plan_month_and_version(book, sample_store):
    assert book.sheetnames == [TASKS_SHEET, INDICATORS_SHEET, ROUTES_SHEET, FOLLOWUPS_SHEET]
    plan = sample_store.plan
    assert book[TASKS_SHEET]["A1"].value == f"{plan.title}重点任务推进情况汇总表"
    assert book[INDICATORS_SHEET]["A1"].value == f"{plan.title}主要指标完成情况（2026年）"
    assert book[ROUTES_SHEET]["A1"].value == f"{plan.title}通道班次与船舶更新情况"
    assert book[FOLLOWUPS_SHEET]["A1"].value == f"{plan.title}督办事项办理情况"
    assert book[FOLLOWUPS_SHEET]["A3"].value == "暂无督办事项。"  # a fresh folder: none raised yet
    version = sample_store.version(1)
    for ws in book.worksheets:
        info = ws["A2"].value.split("\n")
        assert info[0] == briefing.SAMPLE_NOTICE
        assert info[1] == f"数据截至 2026年10月　数据版本 v1（{version.committed_at:%Y-%m-%d %H:%M} 导入）（示例数据）"
        assert info[2] == briefing.legend(plan)
        assert info[2].endswith("指标、线路、船舶按序时进度计算，依据见“说明”列。")


def test_task_sheet_lists_the_16_tasks_with_their_units_latest_reports_and_lights(book):
    ws = book[TASKS_SHEET]
    assert tuple(c.value for c in ws[3]) == TASK_COLUMNS
    rows = task_rows(ws)
    assert sorted(rows) == list(range(1, 17))
    assert rows[8] == (
        8, "提升通道运力投入强度", "区交通运输委", "区商务委",
        "区交通运输委（2026年10月报送，滞后，进度52%）：对接平台公司研究增开班车班列新线路，本月各线路合计开行325班次。\n"
        "区商务委（2026年10月报送，序时推进，进度62%）：配合交通运输委推进提升通道运力投入强度，组织商贸企业开展对接。",
        "区交通运输委：渝穗班列回程货源不足，开行班次低于序时进度；甲醇动力船舶建造周期延长。",
        "■ 红",
    )
    assert rows[2][4:] == (
        "区产业发展促进局（2026年10月报送，序时推进，进度60%）：对接辖区银行机构，梳理供应链金融产品需求，收集企业融资需求11项。\n"
        "区商务委（2026年10月报送，未启动，进度0%）：尚未启动，待产业发展促进局明确具体分工后配合推进。",
        "区商务委：具体分工和工作抓手尚待明确。",
        "▲ 黄",
    )
    # A lead unit whose latest report is older than the as-of month greys the task.
    assert rows[12][2:] == (
        "区司法局", "区商务委",
        "区司法局（2026年9月报送，序时推进，进度59%，2026年10月未报送）：依托律师事务所推进西部陆海新通道法律展示中心建设。\n"
        "区商务委（2026年10月报送，序时推进，进度61%）：配合司法局推进丰富通道服务类别，对接市级部门争取支持。",
        "无",
        "○ 灰",
    )
    # Done earlier stays green; "无" written as a problem is no problem.
    assert rows[1][4].split("\n")[0] == "区交通运输委（2026年6月报送，已完成，进度100%）：健全政策支持体系任务已完成，相关成果已印发实施。"
    assert rows[4][5] == "无"
    assert rows[4][3] == "区商务委、区经济信息委、区发展改革委"
    assert {no: row[6] for no, row in rows.items()} == {
        1: "● 绿", 2: "▲ 黄", 3: "● 绿", 4: "● 绿", 5: "● 绿", 6: "● 绿", 7: "● 绿", 8: "■ 红",
        9: "■ 红", 10: "● 绿", 11: "▲ 黄", 12: "○ 灰", 13: "● 绿", 14: "● 绿", 15: "● 绿", 16: "■ 红",
    }


def test_lights_are_filled_with_their_colour(book):
    ws = book[TASKS_SHEET]
    fills = {}
    for row in ws.iter_rows(min_row=4):
        if isinstance(row[0].value, int):
            fills[row[6].value] = row[6].fill.fgColor.rgb[-6:]
    assert fills == {"● 绿": "2E7D32", "▲ 黄": "F9A825", "■ 红": "C62828", "○ 灰": "9E9E9E"}


def test_tasks_sit_under_their_five_groups(book):
    ws = book[TASKS_SHEET]
    groups = [row[0].value for row in ws.iter_rows(min_row=4) if isinstance(row[0].value, str)]
    assert groups == ["（一）推动现代物流总部集聚", "（二）创新发展物流新模式", "（三）推动通道服务能级跃升",
                      "（四）推动商贸货代融合发展", "（五）推进绿色智慧物流建设"]
    assert "A4:G4" in {str(r) for r in ws.merged_cells.ranges}


def test_indicator_sheet_holds_the_8_indicators_of_the_as_of_year(book):
    ws = book[INDICATORS_SHEET]
    header = tuple(c.value for c in ws[3])
    assert header == ("序号", "主要指标", "目标", "完成值", "数据月份", "序时进度", "灯", "说明", "牵头单位")
    rows = {row[0]: row for row in ws.iter_rows(min_row=4, values_only=True)}
    assert sorted(rows) == list(range(1, 9))
    assert rows[1][:7] == (1, "现代物流业占全区GDP比重", "维持在10%左右", "10.3%", "2026年9月", "10%", "● 绿")
    assert rows[5][:7] + rows[5][8:] == (5, "西部陆海新通道运量增速", "10%以上", "7.7%", "2026年10月", "10%", "■ 红",
                                         "区商务委")
    assert rows[5][7] == "目标 10%以上，实际 7.7%（< 9%）→ 红灯"
    assert rows[6][3:7] == ("东盟班车 2650；渝甬班列 238；渝穗班列 60", "——", "东盟班车 2500；渝甬班列 250；渝穗班列 83",
                            "■ 红")
    assert rows[8][2:7] == ("70家", "65家", "2026年10月", "68家", "▲ 黄")


def test_routes_sheet_holds_routes_new_lines_fleet_and_ships(book):
    ws = book[ROUTES_SHEET]
    every = [row for row in ws.iter_rows(min_row=3, values_only=True) if row[0] is not None]
    headers = [row for row in every if row[0] in ("线路", "类别", "船名")]
    assert [h[:len([v for v in h if v is not None])] for h in headers] == [
        ("线路", "年目标", "2026年累计", "序时进度", "灯", "全年预计", "剩余每月需开行", "三年目标", "三年累计", "三年目标剩余每月需开行",
         "三年灯"),
        ("线路", "首次开行", "2026年累计", "累计开行"),
        ("类别", "目标", "已完成", "在建", "计划", "序时进度", "灯", "说明"),
        ("船名", "类别", "状态", "填报状态", "完成月份", "所属企业", "备注"),
    ]
    rows = {row[0]: row for row in every}
    assert rows["东盟班车"][:11] == ("东盟班车", "3000", "2650", "2500", "● 绿", "3180", "175", "9000", "5740", "233", "● 绿")
    assert rows["渝甬班列"][:5] == ("渝甬班列", "300", "238", "250", "▲ 黄")
    assert rows["渝穗班列"][:5] == ("渝穗班列", "100", "60", "83", "■ 红")
    assert rows["中老铁路班列"][:4] == ("中老铁路班列", "2026年3月", 50, 50)
    assert rows["甲醇动力船舶更新"][:7] == ("甲醇动力船舶更新", "4艘", 1, 1, 2, "2艘", "■ 红")
    assert rows["新增海运船舶"][:7] == ("新增海运船舶", "4艘以上", 2, 1, 2, "2艘", "● 绿")
    assert rows["渝中甲醇01"][:5] == ("渝中甲醇01", "甲醇动力船舶更新", "已完成", "已完成", "2026年3月")
    sections = [v for v in rows if isinstance(v, str) and v[1:2] == "、"]
    assert sections == ["一、通道班次（2026年，年均目标按年考核，三年合计按3倍考核）", "二、新增线路", "三、船舶更新（2027年底前完成）",
                        "四、船舶名册（状态为截至所选月份）"]


def test_every_sheet_prints_on_a4_landscape_fit_to_width_with_repeated_titles(book):
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4 in the OOXML paper-size table
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.oddFooter.center.text == "数据截至 2026年10月　数据版本 v1　第 &P 页，共 &N 页"
    assert book[TASKS_SHEET].print_title_rows == "$1:$3"
    assert book[INDICATORS_SHEET].print_title_rows == "$1:$3"
    assert book[ROUTES_SHEET].print_title_rows == "$1:$2"
    tasks = book[TASKS_SHEET]
    assert tuple(tasks.column_dimensions[c].width for c in "ABCDEFG") == TASK_WIDTHS
    assert tasks["E5"].alignment.wrap_text is True
    assert tasks["E5"].border.left.style == "thin"
    # Task 1 (row 5) reports three units, each wrapping in 推进情况: the row is set tall enough.
    assert tasks["A5"].value == 1
    assert tasks.row_dimensions[5].height >= 6 * LINE_HEIGHT


def test_same_snapshot_gives_identical_bytes_and_another_month_does_not(sample_store, sample_xlsx):
    plan = sample_store.plan
    assert briefing.build_xlsx(snapshot.take(sample_store), plan) == sample_xlsx
    june = briefing.build_xlsx(snapshot.take(sample_store, 1, Month(2026, 6)), plan)
    assert june != sample_xlsx
    assert load_workbook(io.BytesIO(june))[TASKS_SHEET]["A2"].value.split("\n")[1].startswith("数据截至 2026年6月")
    with zipfile.ZipFile(io.BytesIO(sample_xlsx)) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    committed = sample_store.version(1).committed_at
    # Zip keeps times to two seconds.
    assert stamps == {committed.replace(second=committed.second - committed.second % 2).timetuple()[:6]}


# --- hostile text ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_xlsx(tmp_path_factory):
    """A workbook (as CSV files) whose free text looks like formulas, committed and briefed."""
    folder = tmp_path_factory.mktemp("hostile")
    sheets = good_sheets()
    ships = sheets["船舶更新"][1]
    ships[0][0], ships[0][4], ships[0][5] = HOSTILE[0], HOSTILE[3], HOSTILE[4]
    ships[1][0], ships[1][4], ships[1][5] = HOSTILE[2], HOSTILE[1], "\t=2"
    sheets["通道班次"][1].append([HOSTILE[1], "2026-06", 5, "新开线路"])
    tasks = sheets["任务进展"][1]
    tasks[0][5], tasks[0][6] = HOSTILE[0], HOSTILE[1]
    tasks[2][5], tasks[2][6] = HOSTILE[4], HOSTILE[3]
    files = [InputFile(f"{name}.csv", write_csv(folder / f"{name}.csv", header, rows).read_bytes())
             for name, (header, rows) in sheets.items()]
    store = Store(folder / "data", sample=None)
    outcome = store.import_files(files, by="测试")
    assert outcome.stored, outcome.message
    # A follow-up item whose requirement and answer look like formulas too (the 督办事项 sheet).
    raised = followups.raise_item(store, "task:8", HOSTILE[0], date(2026, 7, 15), "@张三", at=datetime(2026, 7, 1, 9))
    followups.answer(store, raised.id, HOSTILE[4], "-李四", at=datetime(2026, 7, 10, 9))
    return briefing.build_xlsx(snapshot.take(store), store.plan, date(2026, 7, 20))


def test_no_cell_of_the_workbook_is_a_formula_even_for_hostile_text(hostile_xlsx):
    with zipfile.ZipFile(io.BytesIO(hostile_xlsx)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert len(sheets) == 4
        for name in sheets:
            assert not re.search(rb"<f[ >]", archive.read(name)), name
    book = load_workbook(io.BytesIO(hostile_xlsx))
    assert [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"] == []


def test_hostile_text_is_kept_verbatim_as_text_with_the_quote_prefix(hostile_xlsx):
    ws = load_workbook(io.BytesIO(hostile_xlsx))[ROUTES_SHEET]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in [*HOSTILE, "=2"]:
        cell = cells[text]
        assert cell.data_type == "s"
        assert cell.quotePrefix is True
        assert cell.number_format == "@"
    rows = {row[0]: row for row in ws.iter_rows(values_only=True) if row[0] in ("=1+1", "-2", "+SUM(A1)")}
    assert rows["=1+1"][:7] == ("=1+1", "LNG动力船舶更新", "已完成", "已完成", "2026年3月", "@x", HOSTILE[4])
    assert rows["-2"][5:7] == ("+SUM(A1)", "=2")
    assert rows["+SUM(A1)"][:4] == ("+SUM(A1)", "2026年6月", 5, 5)
    assert cells["LNG动力船舶更新"].quotePrefix is False  # ordinary text carries no prefix


def test_hostile_follow_up_text_is_inert_text_in_the_followups_sheet(hostile_xlsx):
    ws = load_workbook(io.BytesIO(hostile_xlsx))[FOLLOWUPS_SHEET]
    rows = [row for row in ws.iter_rows() if row[0].value == 1]
    assert len(rows) == 1
    values = [c.value for c in rows[0]]
    assert values == [1, "任务8 提升通道运力投入强度", "区交通运输委", "=1+1", "2026年7月15日", "■ 红",
                      "截止 2026年7月15日，已逾期 5 天 → 红灯", f"2026-07-10（-李四）：{HOSTILE[4]}"]
    requirement = rows[0][3]
    assert (requirement.data_type, requirement.quotePrefix, requirement.number_format) == ("s", True, "@")


def test_hostile_task_text_is_labelled_by_unit_in_the_summary(hostile_xlsx):
    rows = task_rows(load_workbook(io.BytesIO(hostile_xlsx))[TASKS_SHEET])
    assert rows[1][4].split("\n")[0] == "区交通运输委（2026年6月报送，序时推进，进度50%）：=1+1"
    assert rows[1][5] == "区交通运输委：+SUM(A1)"
    assert rows[8][4] == "区交通运输委（2026年6月报送，滞后，进度40%）：" + HOSTILE[4] + "\n区商务委：截至2026年6月未报送"
    assert rows[8][5] == "区交通运输委：@x"


def test_clean_text_keeps_line_breaks_and_drops_what_xml_cannot_hold():
    from yzlogi.briefing.xlsx import MAX_CELL_CHARS, clean_text

    assert clean_text("一\r\n二\r三\n四") == "一\n二\n三\n四"
    assert clean_text("a\x00b\x07c\x1bd") == "abcd"
    long = clean_text("长" * (MAX_CELL_CHARS + 10))
    assert len(long) == MAX_CELL_CHARS and long.endswith("……")
