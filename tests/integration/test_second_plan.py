"""Issue 12: another plan is a new plan file. With the made-up second plan (2026—2028, two
routes, no fleet, other units and tasks, the warehouse register feeding indicator 5,
other thresholds, milestones) and no other change, the plan, the template, the sample,
an import, the status, the command line and the briefing all work and show that plan."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from plan_files import SECOND_PLAN, second_plan

from builders import write_xlsx
from yzlogi.frames import record_data
from yzlogi.merge import MERGE, merge
from yzlogi.model import InputFile
from yzlogi.sample import write_sample
from yzlogi.dictionary import dictionary_markdown
from yzlogi.schema import for_plan
from yzlogi.status import compute_status, default_as_of
from yzlogi.template import HEADER_ROW, write_template
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
PLAN = second_plan()
# Words of the district's plan that nothing generated for the second plan may say.
FOREIGN = ("2024", "2025-01", "2027-12", "附件1", "附件2", "东盟", "渝甬", "船舶", "1—8", "1—16", "货代", "指标6", "指标7",
           "三条线路", "区交通运输委")


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "YZLOGI_PLAN": str(SECOND_PLAN), "YZLOGI_DATA_DIR": str(folder)}
    return subprocess.run([sys.executable, "-m", "yzlogi", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8")


def sample_bytes() -> bytes:
    buffer = io.BytesIO()
    write_sample(buffer, PLAN)
    return buffer.getvalue()


def test_the_second_plan_loads_with_its_own_shape():
    assert (PLAN.years, PLAN.period, PLAN.span, PLAN.months) == ((2026, 2027, 2028), "2026—2028年", "三年", 36)
    assert [r.name for r in PLAN.routes] == ["中欧班列", "陆海新通道班列"]
    assert PLAN.fleet == ()
    assert (PLAN.registers, PLAN.register_indicator("warehouses").no) == (("warehouses",), 5)
    assert PLAN.whole_units == ("家", "个", "条")
    assert (PLAN.baseline, PLAN.composite.no) == (PLAN.start.plus(-1), 4)


def test_its_workbook_has_only_its_parts_and_names_its_own_months_and_numbers():
    assert [s.name for s in for_plan(PLAN)] == ["指标进展", "通道班次", "任务进展", "其他目标", "海外分拨仓", "督办反馈"]
    text = dictionary_markdown(PLAN)
    assert "| 统计期 | 统计月份、月份、统计时间、报告期 | 月份 | 必填 | 数据所属月份，2025-12 至 2028-12（2025-12 为基数） |" in text
    assert "附表1的序号，1—5（4由通道班次计算，填写将被忽略）" in text
    assert "中欧班列、陆海新通道班列每月开行班次" in text
    assert "与指标5对照" in text
    assert [word for word in FOREIGN if word in text] == []


def test_its_template_has_its_sheets_lists_and_instructions():
    buffer = io.BytesIO()
    write_template(buffer, PLAN)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["填报说明", "指标进展", "通道班次", "任务进展", "其他目标", "海外分拨仓", "督办反馈", "下拉选项"]
    guide = "\n".join(str(c.value) for row in book["填报说明"].iter_rows() for c in row if c.value)
    assert guide.startswith("示例市现代物流与供应链提升行动计划（2026—2028年）进度填报表 填报说明")
    assert "报送市交通局汇总" in guide  # the unit leading the most tasks collects the returns
    assert [word for word in FOREIGN if word in guide] == []
    lists = book["下拉选项"]
    columns = {lists.cell(2, c).value: [lists.cell(r, c).value for r in range(3, lists.max_row + 1)
                                        if lists.cell(r, c).value is not None]
               for c in range(1, lists.max_column + 1)}
    assert columns["指标编号"] == [1, 2, 3, 5]
    assert columns["任务编号"] == [1, 2, 3, 4, 5, 6]
    assert columns["线路"] == ["中欧班列", "陆海新通道班列"]
    assert columns["部门"] == ["市商务局", "市交通局", "市发改委", "市工信局", "各区县"]
    assert "船舶类别" not in columns
    assert [c.value for c in book["通道班次"][HEADER_ROW]] == ["线路", "月份", "开行班次", "备注", "删除"]


def test_months_before_its_baseline_are_refused_and_its_baseline_accepted(tmp_path):
    sheets = {
        "指标进展": [["指标编号", "统计期", "完成值"], [[5, "2025-12", 9], [5, "2025-06", 8], [1, "2026-03", 9.2]]],
        "通道班次": [["线路", "月份", "开行班次"], [["中欧班列", "2025-12", 40], ["中欧班列", "2026-01", 45]]],
        "任务进展": [["任务编号", "填报单位", "统计期", "状态"], [[1, "交通局", "2026-01", "序时推进"]]],
    }
    parsed = read_workbook([InputFile("进度.xlsx", write_xlsx(tmp_path / "进度.xlsx", sheets).read_bytes())], PLAN)
    assert [(i.sheet, i.row, i.column, i.value) for i in parsed.errors] == [
        ("指标进展", 3, "统计期", "2025-06"), ("通道班次", 2, "月份", "2025-12")]
    assert "应在 2025-12 至 2028-12 之间" in parsed.errors[0].message
    assert "应在 2026-01 至 2028-12 之间" in parsed.errors[1].message


def test_its_sample_imports_with_only_the_new_line_warning_and_shows_the_designed_lights():
    parsed = read_workbook([InputFile("示例进度.xlsx", sample_bytes())], PLAN)
    assert parsed.ok, [i.message for i in parsed.errors]
    assert [(i.sheet, i.code) for i in parsed.warnings] == [("通道班次", "new_route")]
    assert parsed.rows() == {"indicators": 72, "routes": 52, "tasks": 326, "goals": 12, "warehouses": 11}
    data = record_data(merge(PLAN, None, None, parsed, MERGE, 1).tables)  # what its first version holds
    as_of = default_as_of(data, PLAN.start)
    assert str(as_of) == "2027-10"  # 21 months into the 36 of 2026—2028
    status = compute_status(PLAN, data, as_of)
    lights = {key: light.level for _, key, _, light, _ in status.items()}
    g, y, r = "green", "yellow", "red"
    assert lights == {
        "indicator:1:2027": g, "indicator:2:2027": g, "indicator:3:2027": g, "indicator:4:2027": y,
        "indicator:5:2027": g, "route:中欧班列:2027": g, "route:陆海新通道班列:2027": y,
        "task:1": g, "task:2": y, "task:3": r, "task:4": r, "task:5": y, "task:6": r,
        "goal:multimodal_lines": g, "goal:cold_chain_investment": g, "goal:logistics_revenue": g,
    }
    # Its thresholds: 92.5% of 序时进度 is yellow here (0.85), where the district's plan (0.90) agrees.
    assert status.route("陆海新通道班列").year(2027).light.text == "序时进度 1000，实际 925，完成序时进度 92.5% → 黄灯"
    # Its milestones and whole 条: 1 + (2 − 1) × 10/12 = 1.83 → 1条.
    assert status.goal("multimodal_lines").light.text == (
        "序时进度 1（年度分解：2026年12月末 1条 → 2027年12月末 2条，已过 10/12个月 = 1.83，按整条计），"
        "实际 1（2027年9月），完成序时进度 100.0% → 绿灯")
    assert status.indicator(5).register_count == 11


def test_every_command_works_on_a_data_folder_tracking_the_second_plan(tmp_path):
    folder = tmp_path / "data"
    result = cli(folder, "plan")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "示例市现代物流与供应链提升行动计划（2026—2028年）（示例府办〔2026〕12号，2026—2028年）"
    # A new folder opens on a full dashboard: the sample made from this plan.
    result = cli(folder, "versions", "--json")
    (version,) = json.loads(result.stdout)
    assert (version["sample"], version["plan_digest"], version["rows"]["tasks"]) == (True, PLAN.digest, 326)
    status = json.loads(cli(folder, "status", "--json").stdout)
    assert (status["as_of"], status["current_year"], status["plan"]["title"]) == ("2027-10", 2027, PLAN.title)
    assert status["counts"]["total"] == {"red": 3, "yellow": 4, "grey": 0, "green": 9}
    assert status["fleet"] == [] and [r["route"] for r in status["route_totals"]] == ["中欧班列", "陆海新通道班列"]
    # The template round trip: filled, imported, judged.
    template = tmp_path / "模板.xlsx"
    assert cli(folder, "template", template).returncode == 0
    book = load_workbook(template)
    ws = book["通道班次"]
    ws.cell(4, 2, "2027-11")
    ws.cell(4, 3, 52)
    ws.cell(5, 2, "2027-11")
    ws.cell(5, 3, 101)
    ws = book["任务进展"]
    for row in range(4, ws.max_row + 1):
        if ws.cell(row, 1).value:
            ws.cell(row, 3, "2027-11")
            ws.cell(row, 4, "序时推进")
    ws = book["指标进展"]
    for row in range(4, ws.max_row + 1):
        ws.delete_rows(4)
    book.save(template)
    result = cli(folder, "import", template, "--by", "张三")
    assert result.returncode == 0, result.stderr
    status = json.loads(cli(folder, "status", "--json").stdout)
    assert status["as_of"] == "2027-11"
    assert [t["level"] for t in status["tasks"]] == ["green"] * 6
    for fmt in ("xlsx", "pdf"):
        result = cli(folder, "briefing", "--format", fmt, "-o", tmp_path / f"简报.{fmt}", "--version", "1")
        assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "简报.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    squeezed = "".join(text.split())
    assert "示例市现代物流与供应链提升行动计划（2026—2028年）" in squeezed and "陆海新通道班列" in squeezed
    assert [word for word in ("东盟", "船舶更新", "渝中府办") if word in squeezed] == []
    briefing = load_workbook(tmp_path / "简报.xlsx")
    cells = " ".join(str(c.value) for ws in briefing.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "中欧班列" in cells and "船舶" not in cells
