"""Issue 14: the monthly cycle in a real data folder, with workbooks written by real tools.

The record is the bundled sample's 22 months (2025-01 to 2026-10) sent as a real upload
(opened and saved again, as an official would), active as version 2 over the sample.
Then returns arrive the way officials send them: a blank template with one month of
rows typed in (openpyxl, as a quick script or a careless save would), the pre-filled
填报表 and one unit's 报送表 changed in LibreOffice Calc (tests/lo_fill.py) — each
merged, never wiping the record; a replace only on purpose; a row withdrawn by 删除.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from libreoffice import fill_xlsx
from openpyxl import load_workbook

from yzlogi import forms, snapshot
from yzlogi.config import SAMPLE_WORKBOOK
from yzlogi.model import InputFile
from yzlogi.months import Month
from yzlogi.plan import load_plan
from yzlogi.schema import WORKBOOK
from yzlogi.store import Store
from yzlogi.template import FIRST_DATA_ROW, HEADER_ROW, write_template

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
OCTOBER, NOVEMBER = Month(2026, 10), Month(2026, 11)
PROVENANCE = ["first_version", "from_version"]


@pytest.fixture(scope="module")
def template_folder(tmp_path_factory) -> Path:
    """Sample v1, then the same 22 months as a real upload, v2 (active)."""
    base = tmp_path_factory.mktemp("cycle")
    store = Store(base / "data", plan=PLAN)
    store.ensure_ready()
    book = load_workbook(SAMPLE_WORKBOOK)
    buffer = io.BytesIO()
    book.save(buffer)  # opened and saved again: the same rows, other bytes
    outcome = store.import_files([InputFile("2025年1月至2026年10月进度.xlsx", buffer.getvalue())], by="王五")
    assert outcome.stored and outcome.version.id == 2 and outcome.merge.replaced_sample
    return store.folder


@pytest.fixture
def store(template_folder, tmp_path) -> Store:
    folder = tmp_path / "data"
    shutil.copytree(template_folder, folder)
    return Store(folder, plan=PLAN)


def rows_of(store: Store, version_id: int) -> dict[str, pd.DataFrame]:
    data = store.load(version_id)
    return {sheet.key: data.table(sheet.key) for sheet in WORKBOOK}


def keyed(frame: pd.DataFrame, sheet) -> dict[tuple, dict]:
    """Rows by their key (what a merge matches on), without the row number in the file."""
    out = {}
    for row in frame.drop(columns=["row"]).astype(object).where(frame.notna(), None).to_dict("records"):
        out[tuple(row[k] for k in sheet.unique)] = row
    return out


def differences(store: Store, before: int, after: int) -> dict[str, dict[str, list]]:
    """Per sheet, the keys added, removed and changed (content or provenance) between two versions."""
    old, new = rows_of(store, before), rows_of(store, after)
    out = {}
    for sheet in WORKBOOK:
        a, b = keyed(old[sheet.key], sheet), keyed(new[sheet.key], sheet)
        found = {"added": sorted(set(b) - set(a), key=repr), "removed": sorted(set(a) - set(b), key=repr),
                 "changed": sorted((k for k in a.keys() & b.keys() if a[k] != b[k]), key=repr)}
        if any(found.values()):
            out[sheet.key] = found
    return out


def lights(store: Store, version_id: int, as_of: Month) -> dict[str, str]:
    shot = snapshot.take(store, version_id, as_of)
    return {key: light.level for _, key, _, light, _ in shot.status.items()}


def cell_of(sheet, column_header: str, **where) -> str:
    """The address of a data cell: the column by its header, the row by the values of other columns."""
    headers = {cell.value: cell.column_letter for cell in sheet[HEADER_ROW] if cell.value}
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        if all(str(sheet[f"{headers[h]}{row}"].value) == str(v) for h, v in where.items()):
            return f"{headers[column_header]}{row}"
    raise LookupError(where)



def upload(store: Store, path: Path, **options):
    return store.import_files([InputFile(path.name, path.read_bytes())], by="赵六", **options)


def one_month_in_the_blank_template(path: Path) -> Path:
    """A blank template where a hurried official typed only November: one task report, one route's runs;
    every other pre-filled row left as it came."""
    write_template(path, PLAN)
    book = load_workbook(path)
    tasks, routes = book["任务进展"], book["通道班次"]
    for header, value in (("统计期", "2026-11"), ("状态", "序时推进"), ("进展情况", "已完成合同审查")):
        tasks[cell_of(tasks, header, 任务编号=12, 填报单位="区司法局")] = value
    routes[cell_of(routes, "月份", 线路="东盟班车")] = "2026-11"
    routes[cell_of(routes, "开行班次", 线路="东盟班车")] = 140
    book.save(path)
    return path


# --- a return adds to the record ---------------------------------------------------------------------------------


def test_one_month_in_the_blank_template_keeps_every_other_row_and_every_earlier_light(store, tmp_path):
    before = lights(store, 2, OCTOBER)
    outcome = upload(store, one_month_in_the_blank_template(tmp_path / "11月进度.xlsx"))
    assert outcome.stored and outcome.version.id == 3 and outcome.version.mode == "merge"
    # Exactly the two rows typed in are new; no row of the 22 months is touched, not even its provenance.
    assert differences(store, 2, 3) == {
        "routes": {"added": [("东盟班车", "2026-11")], "removed": [], "changed": []},
        "tasks": {"added": [(12, "区司法局", "2026-11")], "removed": [], "changed": []},
    }
    assert lights(store, 3, OCTOBER) == before
    assert outcome.merge.lines() == [
        "指标进展：新增 0 行，修改 0 行，保留 135 行",
        "通道班次：新增 1 行，修改 0 行，保留 74 行",
        "船舶更新：新增 0 行，修改 0 行，保留 15 行",
        "任务进展：新增 1 行，修改 0 行，保留 1028 行",
        "其他目标：新增 0 行，修改 0 行，保留 48 行",
        "海外分拨仓：新增 0 行，修改 0 行，保留 27 行",
        "货代备案企业：新增 0 行，修改 0 行，保留 65 行",
        "本次上传涉及单位：区交通运输委、区司法局",
        "本次上传涉及月份：2026-11",
    ]
    # The untouched pre-filled rows were skipped as not reported, and said so.
    assert [i.code for i in outcome.parsed.warnings] == ["unfilled_rows", "unfilled_rows", "unfilled_rows"]
    new = store.load(3)
    row = new.tasks[(new.tasks["task_no"] == 12) & (new.tasks["month"] == "2026-11")].iloc[0]
    assert (row["status"], row["progress_text"], row["first_version"], row["from_version"]) == (
        "序时推进", "已完成合同审查", 3, 3)


def test_sending_a_row_again_changes_it_and_keeps_when_it_was_first_sent(store, tmp_path):
    upload(store, one_month_in_the_blank_template(tmp_path / "11月进度.xlsx"))
    again = one_month_in_the_blank_template(tmp_path / "11月进度（更正）.xlsx")
    book = load_workbook(again)
    book["通道班次"][cell_of(book["通道班次"], "开行班次", 线路="东盟班车")] = 150
    book.save(again)
    outcome = upload(store, again)
    assert outcome.merge.sheet("routes").line("merge") == "通道班次：新增 0 行，修改 1 行，保留 74 行"
    assert outcome.merge.sheet("tasks").line("merge") == "任务进展：新增 0 行，修改 0 行，重复报送未变 1 行，保留 1028 行"
    routes = store.load(4).routes
    row = routes[(routes["route"] == "东盟班车") & (routes["month"] == "2026-11")].iloc[0]
    assert (row["runs"], row["first_version"], row["from_version"]) == (150, 3, 4)


def test_a_row_marked_for_deletion_is_withdrawn_and_nothing_else_goes(store, tmp_path):
    path = tmp_path / "撤回.xlsx"
    write_template(path, PLAN)
    book = load_workbook(path)
    tasks = book["任务进展"]
    headers = {cell.value: cell.column_letter for cell in tasks[HEADER_ROW] if cell.value}
    # 区司法局's September report is withdrawn; a row it never sent cannot be, and is named.
    for unit, month in (("区司法局", "2026-09"), ("区大数据发展局", "2027-01")):
        where = cell_of(tasks, "统计期", 填报单位=unit)
        tasks[where] = month
        tasks[f"{headers['删除']}{where[1:]}"] = "是"
    book.save(path)
    outcome = upload(store, path)
    assert outcome.stored
    assert differences(store, 2, 3) == {"tasks": {"added": [], "removed": [(12, "区司法局", "2026-09")], "changed": []}}
    assert outcome.merge.sheet("tasks").line("merge") == "任务进展：新增 0 行，修改 0 行，保留 1027 行，撤回 1 行"
    assert "任务进展：要删除的 1 行不在当前数据中，已忽略（15、区大数据发展局、2027-01）" in outcome.merge.lines()


def test_the_same_file_replacing_everything_keeps_only_its_rows_and_says_how_many_go(store, tmp_path):
    path = one_month_in_the_blank_template(tmp_path / "11月进度.xlsx")
    result = subprocess.run([sys.executable, "-m", "yzlogi", "import", str(path), "--replace", "--by", "赵六"],
                            cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300,
                            env={**os.environ, "YZLOGI_DATA_DIR": str(store.folder)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-11:-1] == [
        "  全部替换：导入后的版本只含本次上传的数据，未上传的行将被删除",
        "  指标进展：新增 0 行，修改 0 行，保留 0 行，删除 135 行",
        "  通道班次：新增 1 行，修改 0 行，保留 0 行，删除 74 行",
        "  船舶更新：新增 0 行，修改 0 行，保留 0 行，删除 15 行",
        "  任务进展：新增 1 行，修改 0 行，保留 0 行，删除 1028 行",
        "  其他目标：新增 0 行，修改 0 行，保留 0 行，删除 48 行",
        "  海外分拨仓：新增 0 行，修改 0 行，保留 0 行，删除 27 行",
        "  货代备案企业：新增 0 行，修改 0 行，保留 0 行，删除 65 行",
        "  本次上传涉及单位：区交通运输委、区司法局",
        "  本次上传涉及月份：2026-11",
    ]
    assert result.stdout.splitlines()[-1] == "已替换全部数据，导入为版本 3，并已设为当前版本。"
    assert store.version(3).mode == "replace"
    assert {key: len(frame) for key, frame in rows_of(store, 3).items() if len(frame)} == {"routes": 1, "tasks": 1}
    # The replace is a version like any other: version 2 is one rollback away.
    store.rollback(2, by="赵六", note="替换有误")
    assert lights(store, 2, OCTOBER) == lights(store, store.active_version().id, OCTOBER)


# --- the two forms, changed in LibreOffice and sent back ------------------------------------------------------------


def content_differences(store: Store, before: int, after: int) -> dict[str, dict[str, list]]:
    """differences() of the rows' content: a row sent again unchanged is supplied by the new version
    (from_version), which is not a change of what it says."""
    old, new = rows_of(store, before), rows_of(store, after)
    out = {}
    for sheet in WORKBOOK:
        a = keyed(old[sheet.key].drop(columns=PROVENANCE), sheet)
        b = keyed(new[sheet.key].drop(columns=PROVENANCE), sheet)
        found = {"added": sorted(set(b) - set(a), key=repr), "removed": sorted(set(a) - set(b), key=repr),
                 "changed": sorted((k for k in a.keys() & b.keys() if a[k] != b[k]), key=repr)}
        if any(found.values()):
            out[sheet.key] = found
    return out


def test_the_record_form_changed_in_libreoffice_changes_exactly_those_cells(store, tmp_path):
    form = tmp_path / forms.record_file_name(2, NOVEMBER)
    form.write_bytes(forms.record_form(PLAN, store.load(2), NOVEMBER))
    book = load_workbook(form)
    typed = [
        ["通道班次", cell_of(book["通道班次"], "开行班次", 线路="东盟班车", 月份="2026-10"), "200"],
        ["通道班次", cell_of(book["通道班次"], "开行班次", 线路="渝甬班列", 月份="2026-11"), "30"],
        ["任务进展", cell_of(book["任务进展"], "状态", 任务编号=9, 填报单位="区交通运输委", 统计期="2026-10"), "滞后"],
    ]
    outcome = upload(store, fill_xlsx(form, typed, tmp_path / "填报表（已修改）.xlsx"))
    assert outcome.stored, [i.message for i in outcome.parsed.errors]
    assert content_differences(store, 2, 3) == {
        "routes": {"added": [("渝甬班列", "2026-11")], "removed": [], "changed": [("东盟班车", "2026-10")]},
        "tasks": {"added": [], "removed": [], "changed": [(9, "区交通运输委", "2026-10")]},
    }
    assert outcome.merge.sheet("routes").line("merge") == "通道班次：新增 1 行，修改 1 行，重复报送未变 73 行，保留 0 行"
    assert outcome.merge.sheet("tasks").line("merge") == "任务进展：新增 0 行，修改 1 行，重复报送未变 1027 行，保留 0 行"
    # November's other reserved rows came back empty: skipped, not errors.
    assert {i.sheet for i in outcome.parsed.warnings if i.code == "unfilled_rows"} == {"指标进展", "通道班次", "任务进展"}


def test_a_units_return_changed_in_libreoffice_adds_its_month_and_touches_no_other_unit(store, tmp_path):
    unit = "区商务委"
    form = tmp_path / forms.unit_file_name(unit, NOVEMBER)
    form.write_bytes(forms.unit_form(PLAN, store.load(2), unit, NOVEMBER))
    book = load_workbook(form)
    typed = [
        ["任务进展", cell_of(book["任务进展"], "状态", 任务编号=8, 统计期="2026-11"), "滞后"],
        ["指标进展", cell_of(book["指标进展"], "完成值", 指标编号=8, 统计期="2026-11"), "67"],
    ]
    outcome = upload(store, fill_xlsx(form, typed, tmp_path / "区商务委11月报送表（已填）.xlsx"))
    assert outcome.stored, [i.message for i in outcome.parsed.errors]
    tasks = [t.no for t in PLAN.tasks if unit in t.units]
    assert content_differences(store, 2, 3) == {
        "indicators": {"added": [(8, "2026-11")], "removed": [], "changed": []},
        "tasks": {"added": sorted(((no, unit, "2026-11") for no in tasks), key=repr), "removed": [], "changed": []},
    }
    # Each task's November report is its October report, but for the one cell changed.
    data = store.load(3).tasks
    mine = data[data["department"] == unit].set_index(["task_no", "month"])
    columns = ["status", "progress", "progress_text", "problems", "next_steps"]
    for no in tasks:
        october = mine.loc[(no, "2026-10"), columns].tolist()
        november = mine.loc[(no, "2026-11"), columns].tolist()
        expected = ["滞后", *october[1:]] if no == 8 else october
        assert [None if pd.isna(v) else v for v in november] == [None if pd.isna(v) else v for v in expected], no
    assert mine.loc[(8, "2026-10"), "status"] == "序时推进"  # what was changed was not so before
    assert (outcome.merge.units, outcome.merge.months) == ((unit,), ("2026-11",))


# --- who has reported, from the command line ------------------------------------------------------------------------


def cli(store: Store, *args, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yzlogi", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=300,
                          env={**os.environ, "YZLOGI_DATA_DIR": str(store.folder), **(env or {})})


def test_returns_json_says_who_sent_what_and_when_against_the_deadline(store, tmp_path):
    upload(store, one_month_in_the_blank_template(tmp_path / "11月进度.xlsx"))
    committed = store.version(3).committed_at
    result = cli(store, "returns", "--json", "--month", "2026-11", "--today", "2026-12-07")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["month"], data["due"], data["today"]) == ("2026-11", "2026-12-05", "2026-12-07")
    units = {u["unit"]: u for u in data["units"]}
    justice = units["区司法局"]  # owes task 12 only, sent in version 3
    assert (justice["owed"], justice["sent"], justice["first_sent_at"]) == (
        1, 1, committed.isoformat(timespec="seconds"))
    assert justice["state"] == ("on_time" if committed.date() <= date(2026, 12, 5) else "late")
    transport = units["区交通运输委"]  # sent 东盟班车's runs, nothing else yet; tasks 1 and 2 it has finished
    assert (transport["owed"], transport["sent"], transport["state"], transport["level"]) == (19, 1, "partial", "red")
    assert transport["unsent"][:2] == ["任务3 强化龙头企业招引", "任务4 促进本地企业发展"]
    # 区财政局's one task is finished: it owes nothing and is not listed.
    assert {name: (u["owed"], u["state"]) for name, u in units.items() if name not in ("区司法局", "区交通运输委")} == {
        "区发展改革委": (5, "missing"), "区商务委": (15, "missing"), "区经济信息委": (4, "missing"),
        "区产业发展促进局": (2, "missing"), "区政府外办": (2, "missing"), "区科技局": (1, "missing"),
        "区大数据发展局": (1, "missing"), "各管委会": (2, "missing")}
    # The deadline is a setting: day 10 moves it, and the same day is before it.
    later = json.loads(cli(store, "returns", "--json", "--month", "2026-11", "--today", "2026-12-07",
                           env={"YZLOGI_REPORT_DEADLINE_DAY": "10"}).stdout)
    assert later["due"] == "2026-12-10"
    assert {u["unit"]: u["level"] for u in later["units"]}["区交通运输委"] == "yellow"  # partial, not yet late
    # Without --month: the month before --today.
    assert json.loads(cli(store, "returns", "--json", "--today", "2026-12-07").stdout)["month"] == "2026-11"
    text = cli(store, "returns", "--month", "2026-11", "--today", "2026-12-07").stdout.splitlines()
    assert text[0] == "2026年11月报送情况（截止 2026-12-05，统计日期 2026-12-07）：" + (
        "按时报送 1，逾期报送 0，部分报送 1，尚未报送 8" if justice["state"] == "on_time"
        else "按时报送 0，逾期报送 1，部分报送 1，尚未报送 8")


def test_chase_writes_the_list_and_the_text_to_forward(store, tmp_path):
    upload(store, one_month_in_the_blank_template(tmp_path / "11月进度.xlsx"))
    result = cli(store, "chase", "--month", "2026-11", "--today", "2026-12-03", "-o", tmp_path / "催报清单.xlsx")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("截至12月3日，以下单位尚未报送2026年11月进展：区交通运输委（任务3、任务4、")
    assert "、指标7、渝甬班列开行班次、渝穗班列开行班次）；区发展改革委（任务4、任务9、任务13、任务14、任务16）；" in lines[0]
    assert lines[0].endswith("；各管委会（任务3、任务13）。请于12月5日前报送。")
    assert lines[1] == f"已生成催报清单：{tmp_path / '催报清单.xlsx'}（9 个单位）"
    sheet = load_workbook(tmp_path / "催报清单.xlsx")["催报清单"]
    assert sheet["A1"].value == "渝中区现代物流三年行动计划 2026年11月进展报送催报清单"
    assert sheet["A2"].value == "报送截止：2026-12-05　统计日期：2026-12-03"
    assert sheet["A3"].value == lines[0]
    assert [c.value for c in sheet[5]] == ["序号", "单位", "状态", "应报项数", "已报项数", "未报送事项"]
    listed = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    assert [row[:5] for row in listed] == [
        [1, "区交通运输委", "部分报送", 19, 1], [2, "区发展改革委", "尚未报送", 5, 0], [3, "区商务委", "尚未报送", 15, 0],
        [4, "区经济信息委", "尚未报送", 4, 0], [5, "区产业发展促进局", "尚未报送", 2, 0], [6, "区政府外办", "尚未报送", 2, 0],
        [7, "区科技局", "尚未报送", 1, 0], [8, "区大数据发展局", "尚未报送", 1, 0], [9, "各管委会", "尚未报送", 2, 0]]
    assert listed[4][5] == "任务2 健全政策支持体系；任务11 丰富通道服务类别"


def test_the_forms_from_the_command_line_are_the_pages_forms(store, tmp_path):
    result = cli(store, "template", tmp_path / "商务委.xlsx", "--dept", "商务委", "--month", "2026-11")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"已生成区商务委2026年11月报送表：{tmp_path / '商务委.xlsx'}\n"
    assert (tmp_path / "商务委.xlsx").read_bytes() == forms.unit_form(PLAN, store.load(2), "区商务委", NOVEMBER)
    result = cli(store, "template", tmp_path / "填报表.xlsx", "--prefilled")
    assert result.stdout == f"已生成含版本 v2 全部数据、预留2026年11月空行的填报表：{tmp_path / '填报表.xlsx'}\n"
    assert (tmp_path / "填报表.xlsx").read_bytes() == forms.record_form(PLAN, store.load(2), NOVEMBER)
    wrong = cli(store, "template", tmp_path / "x.xlsx", "--dept", "区商务局")
    assert (wrong.returncode, wrong.stdout, wrong.stderr) == (1, "", "计划中没有部门“区商务局”，您是否要找：区商务委？\n")
    assert not (tmp_path / "x.xlsx").exists()
