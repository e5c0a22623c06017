"""The fill-in template: generated from the schema and the plan, and importable once filled."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from yzlogi import workbook as reader
from yzlogi.plan import load_plan
from yzlogi.dictionary import dictionary_rows
from yzlogi.schema import SHEETS, for_plan
from yzlogi.template import (
    FIRST_DATA_ROW,
    GUIDE_SHEET,
    HEADER_ROW,
    LISTS_HEADER_ROW,
    LISTS_SHEET,
    TITLE_ROW,
    column_list,
    guide_table_row,
    prefilled_rows,
    write_template,
)

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()


def template_bytes() -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, PLAN)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def template():
    return load_workbook(io.BytesIO(template_bytes()))


def data_rows(ws) -> list[list[object]]:
    """Rows below the header, up to the last filled one."""
    return [list(row) for row in ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True) if any(row)]


def lists_by_name(template) -> dict[str, tuple[str, list[object]]]:
    """The lists sheet as name → (column letter, values)."""
    ws = template[LISTS_SHEET]
    found = {}
    for column in ws.iter_cols(min_row=LISTS_HEADER_ROW):
        name = column[0].value
        found[name] = (column[0].column_letter, [c.value for c in column[1:] if c.value is not None])
    return found


def test_the_template_has_the_guide_first_then_the_schema_sheets_then_the_hidden_lists(template):
    assert template.sheetnames == [
        "填报说明", "指标进展", "通道班次", "船舶更新", "任务进展", "其他目标", "海外分拨仓", "货代备案企业", "督办反馈",
        "下拉选项",
    ]
    assert [template[name].sheet_state for name in template.sheetnames] == ["visible"] * 9 + ["hidden"]


@pytest.mark.parametrize("sheet", for_plan(PLAN), ids=lambda s: s.name)
def test_each_sheet_has_the_schema_header_in_order_below_a_title(template, sheet):
    ws = template[sheet.name]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == [c.header for c in sheet.columns]
    need = "必填" if sheet.required else "可选"
    assert ws.cell(TITLE_ROW, 1).value == f"渝中区现代物流业高质量发展三年行动计划（2025—2027年）进度填报表——{sheet.name}（{need}）"
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    assert [ws.column_dimensions[c.column_letter].width for c in ws[HEADER_ROW]] == [c.width for c in sheet.columns]
    fills = [c.fill.fgColor.rgb for c in ws[HEADER_ROW]]
    assert fills == ["001F4E79" if c.required else "00DDEBF7" for c in sheet.columns]
    assert all(c.font.bold for c in ws[HEADER_ROW])


def test_required_and_optional_sheets_are_marked_in_their_titles(template):
    titles = {name: template[name].cell(TITLE_ROW, 1).value for name in template.sheetnames[1:-1]}
    assert [name for name, title in titles.items() if title.endswith("（可选）")] == [
        "其他目标", "海外分拨仓", "货代备案企业", "督办反馈"]
    assert [name for name, title in titles.items() if title.endswith("（必填）")] == ["指标进展", "通道班次", "船舶更新", "任务进展"]


def test_the_lists_sheet_holds_every_department_route_category_goal_and_choice(template):
    lists = {name: values for name, (_, values) in lists_by_name(template).items()}
    assert lists == {
        "指标编号": [1, 2, 3, 4, 5, 7, 8],
        "部门": ["区交通运输委", "区发展改革委", "区商务委", "区经济信息委", "区财政局", "区产业发展促进局",
                 "区政府外办", "区司法局", "区科技局", "区大数据发展局", "各管委会"],
        "线路": ["东盟班车", "渝甬班列", "渝穗班列"],
        "船舶类别": ["LNG动力船舶更新", "甲醇动力船舶更新", "滚装船LNG-柴油混合动力改造", "新增海运船舶"],
        "船舶更新状态": ["计划", "在建", "已完成"],
        "任务编号": list(range(1, 17)),
        "任务进展状态": ["未启动", "序时推进", "滞后", "已完成"],
        "目标名称": [g.name for g in PLAN.goals],
        "是否": ["是", "否"],
    }


@pytest.mark.parametrize("sheet", for_plan(PLAN), ids=lambda s: s.name)
def test_every_choice_column_has_a_dropdown_on_its_list(template, sheet):
    ws = template[sheet.name]
    lists = lists_by_name(template)
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for index, column in enumerate(sheet.columns):
        letter = ws.cell(HEADER_ROW, index + 1).column_letter
        dv = validations[f"{letter}{FIRST_DATA_ROW}:{letter}5000"]
        entry = column_list(PLAN, sheet, column)
        if entry is None:
            assert dv.type != "list"
            continue
        list_letter, values = lists[entry[0]]
        first = LISTS_HEADER_ROW + 1
        assert dv.type == "list"
        assert dv.formula1 == f"'下拉选项'!${list_letter}${first}:${list_letter}${first + len(values) - 1}"
        assert values == list(entry[1])
        assert dv.prompt == column.help


def test_the_prefilled_task_rows_are_exactly_the_plans_task_unit_pairs(template):
    rows = data_rows(template["任务进展"])
    assert [(r[0], r[1]) for r in rows] == [(t.no, unit) for t in PLAN.tasks for unit in t.lead + t.responsible]
    assert len(rows) == 47
    assert rows[:4] == [
        [1, "区交通运输委", None, None, None, None, None, None, None],
        [1, "区发展改革委", None, None, None, None, None, None, None],
        [1, "区财政局", None, None, None, None, None, None, None],
        [2, "区产业发展促进局", None, None, None, None, None, None, None],
    ]


def test_the_prefilled_indicator_and_route_rows(template):
    assert data_rows(template["指标进展"]) == [
        [1, "现代物流业占全区GDP比重", None, None, None, None, None],
        [2, "行业规上企业营收增速", None, None, None, None, None],
        [3, "行业规上企业新增数量", None, None, None, None, None],
        [4, "多式联运营收增速", None, None, None, None, None],
        [5, "西部陆海新通道运量增速", None, None, None, None, None],
        [7, "海外分拨仓个数", None, None, None, None, None],
        [8, "国际货代备案企业数量", None, None, None, None, None],
    ]
    assert data_rows(template["通道班次"]) == [["东盟班车", None, None, None, None], ["渝甬班列", None, None, None, None],
                                              ["渝穗班列", None, None, None, None]]
    for name in ("船舶更新", "其他目标", "海外分拨仓", "货代备案企业", "督办反馈"):
        assert data_rows(template[name]) == []


def test_month_cells_are_text_so_excel_keeps_2026_06(template):
    tasks = template["任务进展"]
    assert {tasks.cell(row, 3).number_format for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 47)} == {"@"}
    assert tasks.column_dimensions["C"].number_format == "@"
    indicators = template["指标进展"]
    # Percent indicators (1, 2, 4, 5) are percent-formatted: a typed 5.2% shows and reads as 5.2 %.
    assert [indicators.cell(row, 4).number_format for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 7)] == [
        "0.0%", "0.0%", "0", "0.0%", "0.0%", "0", "0"]
    assert template["通道班次"].column_dimensions["C"].number_format == "0"
    # 完成进度 too, its prefilled rows and the rows officials add; its check is on the fraction (60% = 0.6).
    assert {tasks.cell(row, 5).number_format for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 47)} == {"0.0%"}
    assert tasks.column_dimensions["E"].number_format == "0.0%"
    (progress,) = [dv for dv in tasks.data_validations.dataValidation if str(dv.sqref).startswith("E")]
    assert (progress.type, progress.operator, progress.formula1, progress.formula2) == ("decimal", "between", "0", "1")
    assert progress.error == "完成进度应为 0%—100% 之间的百分数，请带 % 输入，如 60%。"


def test_the_guide_sheet_table_is_the_data_dictionary(template):
    ws = template[GUIDE_SHEET]
    start = guide_table_row(PLAN)
    keys = [c.value for c in ws[start] if c.value]
    assert keys == ["工作表", "列名", "也可写作", "类型", "是否必填", "填写要求", "示例"]
    table = [
        {key: value or "" for key, value in zip(keys, row)}
        for row in ws.iter_rows(min_row=start + 1, max_col=len(keys), values_only=True)
        if any(row)
    ]
    assert table == dictionary_rows(PLAN)
    lines = [ws.cell(row, 1).value for row in range(2, start)]
    assert lines[0] == "一、怎么填"
    assert any(line.startswith("二、报送：各单位填好后报送区交通运输委汇总") for line in lines)
    assert any("任务进展每个任务、每个牵头或责任单位、每月一行" in line for line in lines)
    assert any("指标1、2、4、5为年初至该月的累计增速或比重" in line for line in lines)


def test_the_template_is_the_same_bytes_every_time():
    assert template_bytes() == template_bytes()


def test_the_cli_writes_the_template_and_says_where(tmp_path):
    target = tmp_path / "进度填报模板.xlsx"
    result = subprocess.run([sys.executable, "-m", "yzlogi", "template", str(target)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"已生成填报模板：{target}\n"
    assert target.read_bytes() == template_bytes()


def test_the_cli_refuses_a_folder_that_does_not_exist_in_chinese(tmp_path):
    target = tmp_path / "没有这个文件夹" / "模板.xlsx"
    result = subprocess.run([sys.executable, "-m", "yzlogi", "template", str(target)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 1
    assert result.stderr == f"无法写入 {target}：所在文件夹不存在\n"


# --- filled like an official, then imported ---------------------------------------------


def fill_like_an_official(skip_units: int = 0) -> bytes:
    """Open the template, fill the prefilled rows and add a ship, save: what comes back.
    The last `skip_units` task rows are left as the template gave them (units that did not report).
    Percentages go in as Excel stores "10.2%" typed into the template's percent cells: 0.102."""
    workbook = load_workbook(io.BytesIO(template_bytes()))
    indicators = workbook["指标进展"]
    values = {1: 0.102, 2: 0.056, 3: 1, 4: 0.108, 5: 0.091, 7: 27, 8: 66}
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 7):
        indicators.cell(row, 3, "2026-06")
        indicators.cell(row, 4, values[indicators.cell(row, 1).value])
        indicators.cell(row, 5, "区交通运输委")
    routes = workbook["通道班次"]
    for row, runs in zip(range(FIRST_DATA_ROW, FIRST_DATA_ROW + 3), (262, 24, 7)):
        routes.cell(row, 2, "2026-06")
        routes.cell(row, 3, runs)
    ships = workbook["船舶更新"]
    for column, value in enumerate(["渝中LNG01", "LNG动力船舶更新", "已完成", "2026-03", "重庆某航运有限公司"], start=1):
        ships.cell(FIRST_DATA_ROW, column, value)
    tasks = workbook["任务进展"]
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 47 - skip_units):
        tasks.cell(row, 3, "2026-06")
        tasks.cell(row, 4, "序时推进")
        tasks.cell(row, 5, 0.5)
        tasks.cell(row, 6, "按计划推进")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_template_filled_like_an_official_imports_cleanly():
    from yzlogi.model import InputFile

    parsed = reader.read_workbook([InputFile("进度填报.xlsx", fill_like_an_official())], PLAN)
    assert [issue.message for issue in parsed.issues] == []
    assert parsed.ok
    # The optional sheets come with the template, empty: read as sheets without rows.
    assert parsed.rows() == {"indicators": 7, "routes": 3, "ships": 1, "tasks": 47,
                             "goals": 0, "warehouses": 0, "forwarders": 0, "feedback": 0}
    assert {s.sheet: s.header_row for s in parsed.sources.values()} == {sheet.name: HEADER_ROW for sheet in for_plan(PLAN)}
    tasks = parsed.tables["tasks"].to_pylist()
    assert [(r["task_no"], r["department"], r["month"], r["status"], r["progress"], r["row"]) for r in tasks[:2]] == [
        (1, "区交通运输委", "2026-06", "序时推进", 50.0, FIRST_DATA_ROW),
        (1, "区发展改革委", "2026-06", "序时推进", 50.0, FIRST_DATA_ROW + 1),
    ]
    indicators = parsed.tables["indicators"].to_pylist()
    assert [(r["indicator_no"], r["month"], r["value"]) for r in indicators] == [
        (1, "2026-06", 10.2), (2, "2026-06", 5.6), (3, "2026-06", 1.0), (4, "2026-06", 10.8),
        (5, "2026-06", 9.1), (7, "2026-06", 27.0), (8, "2026-06", 66.0)]
    ships = parsed.tables["ships"].to_pylist()
    assert [(r["ship_name"], r["category"], r["status"], r["completed"]) for r in ships] == [
        ("渝中LNG01", "LNG动力船舶更新", "已完成", "2026-03")]


def test_an_untouched_template_is_refused_as_holding_no_data():
    from yzlogi.model import InputFile

    parsed = reader.read_workbook([InputFile("进度填报模板.xlsx", template_bytes())], PLAN)
    assert not parsed.ok
    assert [i.code for i in parsed.errors] == ["no_data"]
    # Each sheet's prefilled rows are named as not filled in, not as errors.
    unfilled = {i.sheet: i.message for i in parsed.warnings if i.code == "unfilled_rows"}
    assert set(unfilled) == {"指标进展", "通道班次", "任务进展"}
    assert unfilled["任务进展"].startswith(f"任务进展：第{FIRST_DATA_ROW}、")
    assert unfilled["任务进展"].endswith("等行共47行只有模板预填的「任务编号」、「填报单位」，视为未填报，已跳过")


def test_rows_a_unit_left_as_the_template_gave_them_are_skipped_not_refused():
    from yzlogi.model import InputFile

    parsed = reader.read_workbook([InputFile("进度填报.xlsx", fill_like_an_official(skip_units=2))], PLAN)
    assert parsed.ok, [i.message for i in parsed.errors]
    assert parsed.rows()["tasks"] == 45
    (warning,) = [i for i in parsed.warnings if i.code == "unfilled_rows"]
    assert warning.sheet == "任务进展"
    assert "共2行只有模板预填的「任务编号」、「填报单位」，视为未填报，已跳过" in warning.message


def test_the_blank_template_prefills_only_columns_the_reader_skips_as_prefilled():
    # The blank template has no month; the return forms (yzlogi.forms) fill the month and 填报单位 too.
    filled = {key: {k for row in rows for k in row} for key, rows in prefilled_rows(PLAN).items()}
    assert filled == {"indicators": {"indicator_no", "indicator_name"}, "routes": {"route"},
                      "tasks": {"task_no", "department"}}
    assert all(columns <= set(SHEETS[key].prefilled) for key, columns in filled.items())
