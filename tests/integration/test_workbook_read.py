"""Reading real workbooks (written by openpyxl as Excel would) into typed tables and issues:
layout tolerance, every rule of workbook-spec with its message and location, the issue cap."""

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from builders import good_sheets, write_xlsx
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.schema import WORKBOOK
from yzlogi.workbook import read_workbook

PLAN = load_plan()
ROOT = Path(__file__).resolve().parents[2]
TITLE = "渝中区现代物流业发展进度统计表（截至2026年6月）"


def read_sheets(tmp_path, sheets, title=None, name="进度.xlsx", replace=False):
    path = write_xlsx(tmp_path / name, sheets, title=title)
    return read_workbook([InputFile(name, path.read_bytes())], PLAN, replace=replace)


def write_raw(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    """Rows exactly as given, title rows and blanks included; merged ranges per sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    workbook.save(path)
    return path


def read_raw(tmp_path, sheets, merges=None):
    path = write_raw(tmp_path / "进度.xlsx", sheets, merges)
    return read_workbook([InputFile("进度.xlsx", path.read_bytes())], PLAN)


def located(parsed):
    return [(i.level, i.code, i.sheet, i.row, i.column, i.value) for i in parsed.issues]


def messages(parsed):
    return [i.message for i in parsed.issues]


def with_good(**replacements):
    """good_sheets() with some sheets replaced: name → (header, rows)."""
    sheets = good_sheets()
    sheets.update(replacements)
    return sheets


# --- a good workbook ---------------------------------------------------------------------


def test_a_good_workbook_with_a_merged_title_reads_into_typed_tables(tmp_path):
    parsed = read_sheets(tmp_path, good_sheets(), title=TITLE)

    assert parsed.issues == [] and parsed.ok and (parsed.error_count, parsed.warning_count) == (0, 0)
    assert parsed.rows() == {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3}
    assert parsed.tables["indicators"].to_pylist() == [
        {"indicator_no": 1, "indicator_name": "现代物流业占全区GDP比重", "month": "2026-06", "value": 10.2,
         "department": "区交通运输委", "note": None, "row": 4, "withdraw": False},
        {"indicator_no": 2, "indicator_name": "行业规上企业营收增速", "month": "2026-06", "value": 5.6,
         "department": "区交通运输委", "note": None, "row": 5, "withdraw": False},
        {"indicator_no": 3, "indicator_name": "行业规上企业新增数量", "month": "2026-06", "value": 1.0,
         "department": "区交通运输委", "note": None, "row": 6, "withdraw": False},
        {"indicator_no": 7, "indicator_name": "海外分拨仓个数", "month": "2026-06", "value": 27.0,
         "department": "区交通运输委", "note": None, "row": 7, "withdraw": False},
        {"indicator_no": 8, "indicator_name": "国际货代备案企业数量", "month": "2026-06", "value": 66.0,
         "department": "区商务委", "note": None, "row": 8, "withdraw": False},
    ]
    assert parsed.tables["routes"].to_pylist() == [
        {"route": "东盟班车", "month": "2026-05", "runs": 250, "note": None, "is_new": False, "row": 4, "withdraw": False},
        {"route": "东盟班车", "month": "2026-06", "runs": 260, "note": None, "is_new": False, "row": 5, "withdraw": False},
        {"route": "渝甬班列", "month": "2026-06", "runs": 25, "note": None, "is_new": False, "row": 6, "withdraw": False},
        {"route": "渝穗班列", "month": "2026-06", "runs": 8, "note": None, "is_new": False, "row": 7, "withdraw": False},
    ]
    assert parsed.tables["ships"].to_pylist() == [
        {"ship_name": "渝中LNG01", "category": "LNG动力船舶更新", "status": "已完成", "completed": "2026-03",
         "company": "重庆某航运有限公司", "note": None, "row": 4, "withdraw": False},
        {"ship_name": "渝中甲醇01", "category": "甲醇动力船舶更新", "status": "在建", "completed": None,
         "company": "重庆某航运有限公司", "note": None, "row": 5, "withdraw": False},
    ]
    assert parsed.tables["tasks"].to_pylist() == [
        {"task_no": 1, "department": "区交通运输委", "month": "2026-06", "status": "序时推进", "progress": 50.0,
         "progress_text": "修订扶持政策", "problems": None, "next_steps": "征求意见", "row": 4, "withdraw": False},
        {"task_no": 1, "department": "区发展改革委", "month": "2026-06", "status": "序时推进", "progress": 50.0,
         "progress_text": "配合修订", "problems": None, "next_steps": None, "row": 5, "withdraw": False},
        {"task_no": 8, "department": "区交通运输委", "month": "2026-06", "status": "滞后", "progress": 40.0,
         "progress_text": "班次不足", "problems": "货源不稳", "next_steps": "加密班次", "row": 6, "withdraw": False},
    ]
    assert {k: (s.sheet, s.file, s.found_as, s.header_row, s.rows) for k, s in parsed.sources.items()} == {
        "indicators": ("指标进展", "进度.xlsx", "指标进展", 3, 5),
        "routes": ("通道班次", "进度.xlsx", "通道班次", 3, 4),
        "ships": ("船舶更新", "进度.xlsx", "船舶更新", 3, 2),
        "tasks": ("任务进展", "进度.xlsx", "任务进展", 3, 3),
    }


def test_every_table_has_exactly_the_schemas_read_columns_and_types(tmp_path):
    sheets = good_sheets()
    sheets["其他目标"] = (["目标名称", "统计期", "完成值", "备注"], [["供应链服务产值", "2026-06", "6.5亿元", ""]])
    sheets["海外分拨仓"] = (["名称", "国家", "城市", "运营企业", "启用日期"], [])
    sheets["货代备案企业"] = (["企业名称", "备案日期", "是否全球知名"], [])
    parsed = read_sheets(tmp_path, sheets)
    types = {"INTEGER": "int32", "BIGINT": "int64", "DOUBLE": "double", "VARCHAR": "string", "BOOLEAN": "bool"}
    for sheet in WORKBOOK:
        table = parsed.tables[sheet.key]
        assert [(f.name, str(f.type)) for f in table.schema] == [(k, types[t]) for k, t in sheet.read_columns()]
        assert [f.name for f in table.schema][-2:] == ["row", "withdraw"]
    assert parsed.rows() == {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3, "goals": 1,
                             "warehouses": 0, "forwarders": 0}
    assert parsed.issues == []


def test_reading_never_imports_pandas(tmp_path):
    path = write_xlsx(tmp_path / "进度.xlsx", good_sheets())
    code = (
        "import sys\n"
        "from yzlogi.model import InputFile\nfrom yzlogi.plan import load_plan\n"
        "from yzlogi.workbook import read_workbook\n"
        f"parsed = read_workbook([InputFile('x.xlsx', open({str(path)!r}, 'rb').read())], load_plan())\n"
        "print(parsed.ok, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


# --- layout tolerance ----------------------------------------------------------------------


def test_headers_with_line_breaks_units_spaces_and_free_order_are_matched(tmp_path):
    sheets = {name: [header, *rows] for name, (header, rows) in good_sheets().items()}
    sheets["指标进展"] = [
        [TITLE],
        ["填报单位：区交通运输委", None, "填报时间：2026年7月5日"],
        ["完成值（%）", "统计\n期", "指标 编号", "填报\u3000单位", "联系人"],
        ["１０．２％", "2026年1—6月", "1", "交通运输委", "张三"],
        [None, None, None, None, None],
        ["27个", "2026年6月", 7, "重庆市渝中区交通运输委员会", "张三"],
        ["66家", "2026/6", 8, "区商务委", None],
        ["注：1.增速为年初至统计期末的累计值。", None, None, None, None],
        ["填表人：张三    审核人：李四", None, None, None, None],
    ]
    parsed = read_raw(tmp_path, sheets, merges={"指标进展": ["A1:E1"]})

    assert located(parsed) == [("warning", "unknown_column", "指标进展", 3, "联系人", None)]
    assert messages(parsed) == ["指标进展 第3行：列「联系人」不是本表的列，已忽略"]
    assert [(r["indicator_no"], r["month"], r["value"], r["department"], r["indicator_name"], r["row"])
            for r in parsed.tables["indicators"].to_pylist()] == [
        (1, "2026-06", 10.2, "区交通运输委", None, 4),
        (7, "2026-06", 27.0, "区交通运输委", None, 6),
        (8, "2026-06", 66.0, "区商务委", None, 7),
    ]
    assert parsed.sources["indicators"].header_row == 3


def test_ten_title_rows_are_allowed_above_the_header_and_eleven_are_not(tmp_path):
    header, rows = good_sheets()["任务进展"]
    sheets = {name: [h, *r] for name, (h, r) in good_sheets().items()}
    sheets["任务进展"] = [[f"标题{i}"] for i in range(10)] + [header, *rows]
    parsed = read_raw(tmp_path, sheets)
    assert parsed.ok and parsed.sources["tasks"].header_row == 11
    assert [r["row"] for r in parsed.tables["tasks"].to_pylist()] == [12, 13, 14]

    sheets["任务进展"] = [[f"标题{i}"] for i in range(11)] + [header, *rows]
    parsed = read_raw(tmp_path, sheets)
    assert located(parsed) == [("error", "no_header", "任务进展", None, None, None)]
    assert messages(parsed) == ["工作表「任务进展」前11行中找不到表头，表头行应包含 任务编号、填报单位、统计期、状态"]
    assert parsed.tables["tasks"].num_rows == 0


def test_sheet_names_ignore_surrounding_spaces_and_other_sheets_are_ignored(tmp_path):
    sheets = {("  任务进展 " if name == "任务进展" else name): value for name, value in good_sheets().items()}
    sheets["填报说明"] = (["说明"], [["请按模板填写"]])
    sheets["lists"] = (["任务编号", "填报单位", "统计期", "状态"], [["x", "y", "z", "w"]])
    parsed = read_sheets(tmp_path, sheets)
    assert parsed.issues == []
    assert parsed.sources["tasks"].found_as == "  任务进展 "
    assert parsed.rows()["tasks"] == 3


def test_a_missing_required_sheet_is_an_error_only_for_a_replace(tmp_path):
    sheets = good_sheets()
    del sheets["船舶更新"]
    parsed = read_sheets(tmp_path, sheets, replace=True)
    assert located(parsed) == [("error", "missing_sheet", "船舶更新", None, None, None)]
    assert messages(parsed) == ["全部替换时须包含每个必需的工作表：缺少「船舶更新」"]
    assert "ships" not in parsed.tables and parsed.rows()["tasks"] == 3
    # Merged, the upload adds what it holds: the record's ships stay as they are.
    merged = read_sheets(tmp_path, sheets)
    assert merged.ok and merged.issues == [] and "ships" not in merged.tables


def test_a_missing_required_column_is_an_error_naming_it(tmp_path):
    header, rows = good_sheets()["任务进展"]
    keep = [i for i, h in enumerate(header) if h != "状态"]
    parsed = read_sheets(tmp_path, with_good(任务进展=([header[i] for i in keep], [[r[i] for i in keep] for r in rows])))
    assert located(parsed) == [("error", "missing_column", "任务进展", 1, "状态", None)]
    assert messages(parsed) == ["任务进展 第1行：缺少必填列「状态」"]
    assert parsed.tables["tasks"].num_rows == 0


def test_a_second_column_for_the_same_field_is_a_warning_and_the_exact_header_wins(tmp_path):
    header, rows = good_sheets()["任务进展"]
    parsed = read_sheets(tmp_path, with_good(任务进展=(["序号", *header], [[n, *r] for n, r in enumerate(rows, 1)])))
    assert located(parsed) == [("warning", "duplicate_column", "任务进展", 1, "序号", None)]
    assert messages(parsed) == ["任务进展 第1行：列「序号」与「任务编号」重复，已忽略"]
    assert [r["task_no"] for r in parsed.tables["tasks"].to_pylist()] == [1, 1, 8]


# --- every rule: its code, location and message --------------------------------------------

T8 = "任务8“提升通道运力投入强度”：牵头单位 区交通运输委；责任单位 区商务委"

CASES = {
    # name: (sheet, row index in good_sheets (0 = spreadsheet row 2), column, new value, expected issue)
    "choice": ("任务进展", 0, "状态", "进行中中",
               ("error", "bad_choice", "任务进展", 2, "状态", "进行中中",
                "任务进展 第2行「状态」：无法识别“进行中中”，应为 未启动/序时推进/滞后/已完成")),
    "missing": ("任务进展", 0, "状态", None,
                ("error", "missing_value", "任务进展", 2, "状态", None, "任务进展 第2行「状态」：必填，不能为空")),
    "month": ("任务进展", 1, "统计期", "2026-13",
              ("error", "bad_month", "任务进展", 3, "统计期", "2026-13",
               "任务进展 第3行「统计期」：无法识别“2026-13”，应为月份，如 2026-06、2026年6月、2026年1-6月")),
    "month range": ("任务进展", 1, "统计期", "2028-01",
                    ("error", "month_out_of_range", "任务进展", 3, "统计期", "2028-01",
                     "任务进展 第3行「统计期」：“2028-01”超出范围，应在 2025-01 至 2027-12 之间")),
    "route month range": ("通道班次", 0, "月份", "2024-12",
                          ("error", "month_out_of_range", "通道班次", 2, "月份", "2024-12",
                           "通道班次 第2行「月份」：“2024-12”超出范围，应在 2025-01 至 2027-12 之间")),
    "count": ("通道班次", 1, "开行班次", "二百六",
              ("error", "bad_count", "通道班次", 3, "开行班次", "二百六",
               "通道班次 第3行「开行班次」：无法识别“二百六”，应为非负整数（可带单位 班次/班/列/次）")),
    "unit": ("通道班次", 1, "开行班次", "260家",
             ("error", "bad_unit", "通道班次", 3, "开行班次", "260家",
              "通道班次 第3行「开行班次」：“260家”的单位“家”与本列不符，应为 班次/班/列/次")),
    "negative": ("通道班次", 1, "开行班次", -3,
                 ("error", "bad_count", "通道班次", 3, "开行班次", "-3",
                  "通道班次 第3行「开行班次」：“-3”是负数，应为非负整数（可带单位 班次/班/列/次）")),
    "progress": ("任务进展", 2, "完成进度", "120%",
                 ("error", "out_of_range", "任务进展", 4, "完成进度", "120%",
                  "任务进展 第4行「完成进度」：“120%”超出范围，应在 0 至 100 之间")),
    "department": ("任务进展", 1, "填报单位", "区某某局",
                   ("error", "unknown_department", "任务进展", 3, "填报单位", "区某某局",
                    "任务进展 第3行「填报单位」：无法识别“区某某局”，应为 计划中的部门：区交通运输委/区发展改革委/区商务委/"
                    "区经济信息委/区财政局/区产业发展促进局/区政府外办/区司法局/区科技局/区大数据发展局/各管委会")),
    "task unit": ("任务进展", 2, "填报单位", "区财政局",
                  ("error", "not_task_unit", "任务进展", 4, "填报单位", "区财政局",
                   f"任务进展 第4行「填报单位」：“区财政局”不是任务8的牵头单位或责任单位（{T8}）")),
    "task unit by alias": ("任务进展", 2, "填报单位", "区发改委",
                           ("error", "not_task_unit", "任务进展", 4, "填报单位", "区发改委",
                            f"任务进展 第4行「填报单位」：“区发展改革委”不是任务8的牵头单位或责任单位（{T8}）")),
    "task no": ("任务进展", 2, "任务编号", 17,
                ("error", "bad_task_no", "任务进展", 4, "任务编号", "17",
                 "任务进展 第4行「任务编号」：无法识别“17”，应为附件2的任务编号 1—16")),
    "indicator no": ("指标进展", 0, "指标编号", 9,
                     ("error", "bad_indicator_no", "指标进展", 2, "指标编号", "9",
                      "指标进展 第2行「指标编号」：无法识别“9”，应为附件1的指标编号 1—8")),
    "percent value": ("指标进展", 0, "完成值", "约10%",
                      ("error", "bad_percent", "指标进展", 2, "完成值", "约10%",
                       "指标进展 第2行「完成值」：无法识别“约10%”，应为百分数，如 10.5 或 10.5%")),
    "count value": ("指标进展", 3, "完成值", "27.5",
                    ("error", "bad_count", "指标进展", 5, "完成值", "27.5",
                     "指标进展 第5行「完成值」：“27.5”不是整数，应为非负整数（可带单位 个）")),
    "count value unit": ("指标进展", 4, "完成值", "66个",
                         ("error", "bad_unit", "指标进展", 6, "完成值", "66个",
                          "指标进展 第6行「完成值」：“66个”的单位“个”与本列不符，应为 家")),
    "indicator department": ("指标进展", 4, "填报单位", "商务局",
                             ("error", "unknown_department", "指标进展", 6, "填报单位", "商务局",
                              "指标进展 第6行「填报单位」：无法识别“商务局”，您是否要找：区商务委？")),
    "indicator name": ("指标进展", 1, "指标名称", "营收增速",
                       ("warning", "indicator_name_differs", "指标进展", 3, "指标名称", "营收增速",
                        "指标进展 第3行「指标名称」：“营收增速”与附件1中指标2的名称“行业规上企业营收增速”不一致，已按指标编号2读取")),
    "category": ("船舶更新", 1, "类别", "LNG船",
                 ("error", "bad_category", "船舶更新", 3, "类别", "LNG船",
                  "船舶更新 第3行「类别」：无法识别“LNG船”，应为 LNG动力船舶更新/甲醇动力船舶更新/滚装船LNG-柴油混合动力改造/新增海运船舶")),
    "completion date": ("船舶更新", 0, "完成日期", None,
                        ("error", "missing_value", "船舶更新", 2, "完成日期", None,
                         "船舶更新 第2行「完成日期」：状态为已完成时必须填写完成日期")),
    "ship status": ("船舶更新", 1, "状态", "开工",
                    ("error", "bad_choice", "船舶更新", 3, "状态", "开工",
                     "船舶更新 第3行「状态」：无法识别“开工”，应为 计划/在建/已完成")),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_rule_gives_its_code_location_and_message(tmp_path, case):
    sheet, index, column, value, expected = CASES[case]
    sheets = good_sheets()
    header, rows = sheets[sheet]
    rows[index][header.index(column)] = value
    parsed = read_sheets(tmp_path, sheets)

    assert [(i.level, i.code, i.sheet, i.row, i.column, i.value, i.message) for i in parsed.issues] == [expected]
    assert (parsed.error_count, parsed.warning_count) == ((1, 0) if expected[0] == "error" else (0, 1))
    table = parsed.tables[next(s.key for s in WORKBOOK if s.name == sheet)]
    kept_rows = [r["row"] for r in table.to_pylist()]
    # An error keeps its row out of the typed table; a warning keeps it in.
    assert (expected[3] in kept_rows) == (expected[0] == "warning")


def test_a_row_for_indicator_6_is_a_warning_and_ignored(tmp_path):
    header, rows = good_sheets()["指标进展"]
    rows.append([6, "通道运力投入强度", "2026-06", "乱填", "区交通运输委", ""])
    parsed = read_sheets(tmp_path, with_good(指标进展=(header, rows)))
    assert [(i.level, i.code, i.sheet, i.row, i.column, i.value, i.message) for i in parsed.issues] == [
        ("warning", "computed_indicator", "指标进展", 7, "指标编号", "6",
         "指标进展 第7行「指标编号」：指标6（通道运力投入强度）由「通道班次」的班次计算，无需填写，此行已忽略")]
    assert [r["indicator_no"] for r in parsed.tables["indicators"].to_pylist()] == [1, 2, 3, 7, 8]


def test_duplicate_rows_are_errors_naming_both_rows(tmp_path):
    sheets = good_sheets()
    sheets["任务进展"][1].append([1, "交通运输委", "2026年6月", "滞后", "", "", "", ""])
    sheets["船舶更新"][1].append(["渝中LNG01", "LNG动力船舶更新", "在建", "", "", ""])
    sheets["通道班次"][1].append(["东盟公路班车", "2026/6", 1, ""])
    sheets["指标进展"][1].append([7, "", "202606", "28", "", ""])
    parsed = read_sheets(tmp_path, sheets)
    assert [(i.code, i.sheet, i.row, i.column, i.value, i.message) for i in parsed.issues] == [
        ("duplicate_row", "指标进展", 7, "指标编号", "7",
         "指标进展 第7行「指标编号」：与第5行重复：指标编号 7、统计期 2026-06 只能填一行"),
        ("duplicate_row", "通道班次", 6, "线路", "东盟公路班车",
         "通道班次 第6行「线路」：与第3行重复：线路 东盟班车、月份 2026-06 只能填一行"),
        ("duplicate_row", "船舶更新", 4, "船名", "渝中LNG01",
         "船舶更新 第4行「船名」：与第2行重复：船名 渝中LNG01 只能填一行"),
        ("duplicate_row", "任务进展", 5, "任务编号", "1",
         "任务进展 第5行「任务编号」：与第2行重复：任务编号 1、填报单位 区交通运输委、统计期 2026-06 只能填一行"),
    ]
    assert parsed.error_count == 4 and parsed.rows() == {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3}


def test_a_new_route_is_a_warning_once_and_kept_as_new(tmp_path):
    sheets = good_sheets()
    sheets["通道班次"][1].extend([["渝新欧班列", "2026-05", 4, ""], ["渝新欧班列", "2026-06", 5, "新开"]])
    parsed = read_sheets(tmp_path, sheets)
    assert [(i.level, i.code, i.sheet, i.row, i.column, i.value, i.message) for i in parsed.issues] == [
        ("warning", "new_route", "通道班次", 6, "线路", "渝新欧班列",
         "通道班次 第6行「线路」：“渝新欧班列”不是计划中的线路（东盟班车/渝甬班列/渝穗班列），按新增线路计入（共 2 行）")]
    routes = parsed.tables["routes"].to_pylist()
    assert [(r["route"], r["month"], r["runs"], r["is_new"], r["note"]) for r in routes[-2:]] == [
        ("渝新欧班列", "2026-05", 4, True, None), ("渝新欧班列", "2026-06", 5, True, "新开")]
    assert parsed.ok


def test_secondary_goals_read_in_their_units(tmp_path):
    sheets = good_sheets()
    sheets["其他目标"] = (["目标名称", "统计期", "完成值", "备注"], [
        ["供应链服务产值", "2026-06", "6.5亿元", ""],
        ["行业智慧化投资", "2026年1-6月", "3500万元", ""],
        ["5A级物流企业数量", "2024-12", "1", "基数"],
        ["5A级物流企业数量居全市位次", "2026-06", "第1名", ""],
        ["不存在的目标", "2026-06", "1", ""],
        ["规上供应链企业", "2026-06", "2亿元", ""],
    ])
    parsed = read_sheets(tmp_path, sheets)
    assert [(r["goal"], r["month"], r["value"], r["note"], r["row"]) for r in parsed.tables["goals"].to_pylist()] == [
        ("supply_chain_output", "2026-06", 6.5, None, 2),
        ("smart_investment", "2026-06", 0.35, None, 3),
        ("5a_new", "2024-12", 1.0, "基数", 4),
        ("5a_rank", "2026-06", 1.0, None, 5),
    ]
    goal_names = "/".join(g.name for g in PLAN.goals)
    assert [(i.code, i.row, i.column, i.message) for i in parsed.issues] == [
        ("unknown_goal", 6, "目标名称",
         f"其他目标 第6行「目标名称」：无法识别“不存在的目标”，应为 计划中的其他目标：{goal_names}"),
        ("bad_unit", 7, "完成值", "其他目标 第7行「完成值」：“2亿元”的单位“亿元”与该项不符，应为 家"),
    ]


def test_registers_are_checked_against_indicators_7_and_8(tmp_path):
    sheets = good_sheets()
    # 26 warehouses opened by 2026-06 (27 reported) and one opened later; 66 forwarders as reported.
    warehouses = [[f"分拨仓{i}", "泰国", "曼谷", "某物流公司", f"2025-{i % 12 + 1:02d}"] for i in range(26)]
    warehouses.append(["新仓", "越南", "河内", "某物流公司", "2026-09-01"])
    sheets["海外分拨仓"] = (["名称", "国家", "城市", "运营企业", "启用日期"], warehouses)
    sheets["货代备案企业"] = (["企业名称", "备案日期", "是否全球知名"],
                              [[f"货代{i}", "2026年3月", "是" if i < 3 else "否"] for i in range(66)])
    parsed = read_sheets(tmp_path, sheets)
    assert [(i.level, i.code, i.sheet, i.row, i.column, i.value, i.message) for i in parsed.issues] == [
        ("warning", "register_mismatch", "指标进展", 5, "完成值", "27",
         "指标进展 第5行「完成值」：「海外分拨仓」中截至 2026-06 共 26 个，与此处填报的 27 个不一致")]
    forwarders = parsed.tables["forwarders"].to_pylist()
    assert forwarders[0] == {"name": "货代0", "registered": "2026-03", "global_famous": True, "row": 2, "withdraw": False}
    assert forwarders[5]["global_famous"] is False
    assert parsed.tables["warehouses"].to_pylist()[-1]["opened"] == "2026-09"


def test_a_register_yes_no_column_refuses_other_words(tmp_path):
    sheets = good_sheets()
    sheets["货代备案企业"] = (["企业名称", "备案日期", "是否全球知名"], [["货代甲", "2026-03-02", "也许"]])
    parsed = read_sheets(tmp_path, sheets)
    assert messages(parsed) == ["货代备案企业 第2行「是否全球知名」：无法识别“也许”，应为 是/否"]


# --- listing: errors first, first rows first, capped with a summary -------------------------


def test_issues_are_counted_in_full_and_listed_up_to_the_cap(tmp_path):
    sheets = good_sheets()
    header, _ = sheets["任务进展"]
    sheets["任务进展"] = (header, [[1, "区交通运输委", f"2026-{13 + i % 5}", "进行中中", "", "", "", ""]
                                   for i in range(300)])
    sheets["通道班次"][1].append(["渝新欧班列", "2026-06", 5, ""])
    parsed = read_sheets(tmp_path, sheets)

    assert (parsed.error_count, parsed.warning_count) == (600, 1)
    assert len(parsed.issues) == 201
    listed = parsed.issues[:200]
    assert all(i.level == "error" and i.sheet == "任务进展" for i in listed)
    assert [(i.row, i.column) for i in listed[:4]] == [(2, "统计期"), (2, "状态"), (3, "统计期"), (3, "状态")]
    assert listed[-1].row == 101
    assert (parsed.issues[-1].level, parsed.issues[-1].code, parsed.issues[-1].message) == (
        "error", "more_issues", "另有 400 个错误、1 个提醒未逐条列出（共 600 个错误、1 个提醒），请先修改以上问题后重新上传")
    assert parsed.tables["tasks"].num_rows == 0 and not parsed.ok


def test_the_cap_comes_from_the_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("YZLOGI_MAX_ISSUES_LISTED", "3")
    sheets = good_sheets()
    sheets["任务进展"][1][2][3] = "进行中中"
    sheets["任务进展"][1][0][2] = "2026-13"
    sheets["指标进展"][1][1][1] = "营收增速"
    sheets["通道班次"][1][3][2] = "八"
    parsed = read_sheets(tmp_path, sheets)
    assert [(i.level, i.sheet, i.row, i.code) for i in parsed.issues] == [
        ("error", "通道班次", 5, "bad_count"),
        ("error", "任务进展", 2, "bad_month"),
        ("error", "任务进展", 4, "bad_choice"),
        ("warning", None, None, "more_issues"),
    ]
    assert parsed.issues[-1].message == "另有 1 个提醒未逐条列出（共 3 个错误、1 个提醒），请先修改以上问题后重新上传"


def test_text_columns_keep_what_was_typed_and_show_a_date_as_a_date(tmp_path):
    import datetime

    sheets = good_sheets()
    sheets["任务进展"][1][0][5] = "  第一阶段\n已完成  "
    sheets["任务进展"][1][1][5] = datetime.date(2026, 6, 15)
    sheets["任务进展"][1][2][5] = 3.25
    parsed = read_sheets(tmp_path, sheets)
    assert [r["progress_text"] for r in parsed.tables["tasks"].to_pylist()] == ["第一阶段\n已完成", "2026-06-15", "3.25"]


# --- a whole version per upload -------------------------------------------------------


def test_a_required_sheet_without_rows_warns_a_replace_that_it_empties_the_sheet(tmp_path):
    sheets = with_good(通道班次=(["线路", "月份", "开行班次", "备注"], []))
    parsed = read_sheets(tmp_path, sheets, replace=True)
    assert parsed.ok
    assert [(i.level, i.code, i.sheet) for i in parsed.issues] == [("warning", "empty_sheet", "通道班次")]
    assert parsed.issues[0].message == (
        "工作表「通道班次」没有数据行：全部替换后，当前数据中的通道班次将全部删除（只报送本月时请选择“合并”）")
    # Merged, an empty sheet changes nothing: nothing to warn of.
    assert read_sheets(tmp_path, sheets).issues == []


def test_a_workbook_with_headers_only_is_refused_as_holding_no_data(tmp_path):
    sheets = {name: (header, []) for name, (header, _) in good_sheets().items()}
    parsed = read_sheets(tmp_path, sheets)
    assert [(i.level, i.code) for i in parsed.issues] == [
        ("error", "no_data")]
    assert parsed.issues[0].message == "上传的工作簿中没有任何填报数据（各工作表只有表头或模板预填的内容），未导入"


def test_task_rows_holding_only_what_a_form_prefills_are_unfilled_template_rows(tmp_path):
    header, rows = good_sheets()["任务进展"]
    rows = rows + [[4, "区商务委", "2026-06", None, None, None, None, None], [5, "区商务委"]]
    parsed = read_sheets(tmp_path, with_good(任务进展=(header, rows)))
    assert parsed.ok
    assert [(i.level, i.code, i.sheet, i.row) for i in parsed.issues] == [
        ("warning", "unfilled_rows", "任务进展", 5)]
    assert parsed.issues[0].message == "任务进展：第5、6行共2行只有模板预填的「任务编号」、「填报单位」、「统计期」，视为未填报，已跳过"
    assert parsed.rows()["tasks"] == 3


def test_a_task_row_with_a_status_but_no_month_is_still_an_error(tmp_path):
    header, rows = good_sheets()["任务进展"]
    rows = rows + [[4, "区商务委", None, "滞后", None, None, None, None]]
    parsed = read_sheets(tmp_path, with_good(任务进展=(header, rows)))
    assert [(i.level, i.sheet, i.row, i.column) for i in parsed.errors] == [("error", "任务进展", 5, "统计期")]
