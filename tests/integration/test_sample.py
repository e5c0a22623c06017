"""The bundled sample workbook: deterministic, committed as generated, in the template's
layout, and built so that every light shows at its default as-of month (2026-10)."""

import io
import math
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from yzlogi import workbook
from yzlogi.config import SAMPLE_WORKBOOK
from yzlogi.months import Month, month_range
from yzlogi.plan import load_plan
from yzlogi.sample import write_sample
from yzlogi.sample_file import plan_digest_of
from yzlogi.schema import WORKBOOK
from yzlogi.template import FIRST_DATA_ROW, HEADER_ROW, TITLE_ROW

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
AS_OF = Month(2026, 10)


def sample_bytes() -> bytes:
    buffer = io.BytesIO()
    write_sample(buffer, PLAN)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def sample():
    return load_workbook(io.BytesIO(sample_bytes()))


def values(workbook) -> dict[str, list[tuple]]:
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


def records(workbook, name: str) -> list[dict]:
    """A data sheet's rows as dicts by header."""
    ws = workbook[name]
    header = [c.value for c in ws[HEADER_ROW]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True) if any(row)]


def month_of(value) -> Month:
    if isinstance(value, datetime):
        return Month(value.year, value.month)
    return Month.parse(value)


# --- the file -------------------------------------------------------------------------


def test_two_generations_are_the_same_bytes():
    assert sample_bytes() == sample_bytes()


def test_the_committed_sample_is_what_the_generator_writes_now(sample):
    committed = load_workbook(SAMPLE_WORKBOOK)
    assert committed.sheetnames == sample.sheetnames
    assert values(committed) == values(sample), "data/sample 已过期：请运行 python -m yzlogi sample"
    # It is marked with the plan it was made for: a fresh folder commits it only under that plan.
    assert plan_digest_of(SAMPLE_WORKBOOK.read_bytes()) == PLAN.digest, "data/sample 已过期：请运行 python -m yzlogi sample"


def test_the_sample_has_fixed_timestamps(sample):
    assert sample.properties.created == datetime(2026, 11, 5, 9, 0)
    assert sample.properties.modified == datetime(2026, 11, 5, 9, 0)


def test_every_sheet_is_titled_as_illustrative_and_has_the_schema_header(sample):
    assert sample.sheetnames == [
        "说明", "指标进展", "通道班次", "船舶更新", "任务进展", "其他目标", "海外分拨仓", "货代备案企业", "下拉选项",
    ]
    for ws in sample.worksheets:
        assert ws.cell(TITLE_ROW, 1).value.startswith("示例数据（虚构，仅供演示）"), ws.title
    for sheet in WORKBOOK:
        assert [c.value for c in sample[sheet.name][HEADER_ROW]] == [c.header for c in sheet.columns]
    note = [sample["说明"].cell(row, 1).value for row in range(1, 4)]
    assert note[:2] == ["示例数据（虚构，仅供演示）渝中区现代物流业高质量发展三年行动计划（2025—2027年）进度填报表", "一、这是什么"]
    assert note[2].startswith("本工作簿为虚构的示例数据，仅用于演示进度看板的功能")


def test_the_sample_covers_2025_01_to_2026_10(sample):
    every = [str(m) for m in month_range(Month(2025, 1), AS_OF)]
    assert sorted({r["统计期"] for r in records(sample, "任务进展")}) == every
    assert sorted({r["月份"] for r in records(sample, "通道班次")}) == every
    indicator_months = sorted({r["统计期"] for r in records(sample, "指标进展")})
    assert indicator_months == ["2024-12", *every]  # 2024-12: the baseline of the level indicators
    assert max(r["统计期"] for r in records(sample, "其他目标")) == "2026-09"


def test_the_cli_regenerates_the_sample_at_a_given_path(tmp_path):
    target = tmp_path / "示例.xlsx"
    result = subprocess.run([sys.executable, "-m", "yzlogi", "sample", str(target)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"已生成示例工作簿：{target}\n"
    assert target.read_bytes() == sample_bytes()


# --- what the sample is built to show at 2026-10 ----------------------------------------
# A small oracle of design.md «Status rules», kept apart from yzlogi.status on purpose.


def ratio_light(ratio: float) -> str:
    th = PLAN.thresholds
    return "green" if ratio >= th.green_ratio else "yellow" if ratio >= th.yellow_ratio else "red"


def whole(expected: float, unit: str) -> float:
    """design: targets counted in whole units (艘, 家, 个) round 序时进度 down to a whole unit."""
    return math.floor(expected + 1e-9) if unit in ("艘", "家", "个") else expected


def ratio_or_green(actual: float, expected: float) -> str:
    return "green" if expected == 0 else ratio_light(actual / expected)


def latest(rows, no: int, year: int) -> tuple[str, float]:
    mine = [r for r in rows if r["指标编号"] == no and r["统计期"].startswith(str(year)) and r["统计期"] <= str(AS_OF)]
    row = max(mine, key=lambda r: r["统计期"])
    return row["统计期"], row["完成值"]


def test_indicator_values_and_lights_at_2026_10(sample):
    rows = records(sample, "指标进展")
    th = PLAN.thresholds
    assert {no: latest(rows, no, 2026) for no in (1, 2, 3, 4, 5, 7, 8)} == {
        1: ("2026-09", 10.3), 2: ("2026-10", 6.2), 3: ("2026-10", 1), 4: ("2026-10", 9.5),
        5: ("2026-10", 7.7), 7: ("2026-10", 27), 8: ("2026-10", 65),
    }
    baseline = {r["指标编号"]: r["完成值"] for r in rows if r["统计期"] == "2025-12" and r["指标编号"] in (7, 8)}
    assert baseline == {7: 26, 8: 60}
    lights = {}
    for indicator in PLAN.indicators:
        if indicator.kind == "composite":
            continue
        target = indicator.target(2026).value
        actual = latest(rows, indicator.no, 2026)[1]
        if indicator.kind == "band":
            gap = abs(actual - target)
            lights[indicator.no] = ("green" if gap <= th.band_green_points else
                                    "yellow" if gap <= th.band_yellow_points else "red")
        elif indicator.kind == "floor":
            lights[indicator.no] = ("green" if actual >= target else
                                    "yellow" if actual >= th.floor_yellow_share * target else "red")
        elif indicator.kind == "annual_flow":
            lights[indicator.no] = ratio_light(actual / whole(target * AS_OF.month / 12, indicator.unit))
        else:
            base = baseline[indicator.no]
            lights[indicator.no] = ratio_light(actual / whole(base + (target - base) * AS_OF.month / 12, indicator.unit))
    assert lights == {1: "green", 2: "green", 3: "green", 4: "yellow", 5: "red", 7: "green", 8: "yellow"}


def test_route_runs_and_lights_at_2026_10(sample):
    rows = records(sample, "通道班次")
    ytd = {}
    for row in rows:
        if row["月份"].startswith("2026"):
            ytd[row["线路"]] = ytd.get(row["线路"], 0) + row["开行班次"]
    assert ytd == {"东盟班车": 2650, "渝甬班列": 238, "渝穗班列": 60, "中老铁路班列": ytd["中老铁路班列"]}
    first_year = {r.name: sum(row["开行班次"] for row in rows if row["线路"] == r.name and row["月份"].startswith("2025"))
                  for r in PLAN.routes}
    assert first_year == {"东盟班车": 3090, "渝甬班列": 291, "渝穗班列": 86}
    lights = {r.name: ratio_light(ytd[r.name] / (r.annual_target * AS_OF.month / 12)) for r in PLAN.routes}
    assert lights == {"东盟班车": "green", "渝甬班列": "yellow", "渝穗班列": "red"}
    assert min(row["月份"] for row in rows if row["线路"] == "中老铁路班列") == "2026-03"


def test_fleet_states_and_lights_at_2026_10(sample):
    rows = records(sample, "船舶更新")
    done = {f.category: 0 for f in PLAN.fleet}
    states = {f.category: [] for f in PLAN.fleet}
    for row in rows:
        states[row["类别"]].append(row["状态"])
        if row["状态"] == "已完成":
            assert month_of(row["完成日期"]) <= AS_OF
            done[row["类别"]] += 1
        else:
            assert row["完成日期"] is None
    assert states == {
        "LNG动力船舶更新": ["已完成", "已完成", "在建", "计划"],
        "甲醇动力船舶更新": ["已完成", "在建", "计划", "计划"],
        "滚装船LNG-柴油混合动力改造": ["在建", "计划"],
        "新增海运船舶": ["已完成", "已完成", "在建", "计划", "计划"],
    }
    elapsed = (AS_OF.year - 2025) * 12 + AS_OF.month
    # Whole ships: 4 × 22/36 = 2.44 is 2艘 of 序时进度, 2 × 22/36 = 1.22 is 1艘; no whole number is yellow.
    lights = {f.category: ratio_light(done[f.category] / whole(f.target * elapsed / 36, "艘")) for f in PLAN.fleet}
    assert lights == {"LNG动力船舶更新": "green", "甲醇动力船舶更新": "red",
                      "滚装船LNG-柴油混合动力改造": "red", "新增海运船舶": "green"}


def task_light(rows, task) -> str:
    """design: a unit's latest report ≤ as-of; the worst over leads and reporting responsible units."""
    severity = {"red": 3, "yellow": 2, "grey": 1, "green": 0}
    levels = []
    for unit in task.lead + task.responsible:
        reports = [r for r in rows if r["任务编号"] == task.no and r["填报单位"] == unit and r["统计期"] <= str(AS_OF)]
        last = max(reports, key=lambda r: r["统计期"]) if reports else None
        if last is not None and last["状态"] == "已完成":
            levels.append("green")
        elif last is None or last["统计期"] != str(AS_OF):
            if unit in task.lead:
                levels.append("grey")
        else:
            levels.append({"序时推进": "green", "未启动": "yellow", "滞后": "red"}[last["状态"]])
    return max(levels, key=severity.get)


def test_task_lights_at_2026_10(sample):
    rows = records(sample, "任务进展")
    lights = {task.no: task_light(rows, task) for task in PLAN.tasks}
    assert lights == {
        1: "green", 2: "yellow", 3: "green", 4: "green", 5: "green", 6: "green", 7: "green", 8: "red",
        9: "red", 10: "green", 11: "yellow", 12: "grey", 13: "green", 14: "green", 15: "green", 16: "red",
    }
    latest_month = {(r["任务编号"], r["填报单位"]): r for r in rows if r["统计期"] == str(AS_OF)}
    missing = [(t.no, u) for t in PLAN.tasks for u in t.lead + t.responsible if (t.no, u) not in latest_month]
    # Task 1's lead finished in 2026-06 and stopped reporting; task 12's lead and one
    # responsible unit of task 4 missed the month.
    assert missing == [(1, "区交通运输委"), (4, "区发展改革委"), (12, "区司法局")]


def test_every_task_unit_reports_monthly_with_texts(sample):
    rows = records(sample, "任务进展")
    pairs = {(t.no, u) for t in PLAN.tasks for u in t.lead + t.responsible}
    assert {(r["任务编号"], r["填报单位"]) for r in rows} == pairs
    assert len(rows) == 47 * 22 - 4 - 2  # task 1's lead silent 2026-07…10, two units silent in 2026-10
    assert all(r["进展情况"] and r["下步计划"] for r in rows)
    statuses = {r["状态"] for r in rows}
    assert statuses == {"未启动", "序时推进", "滞后", "已完成"}
    assert all(r["存在问题"] for r in rows if r["状态"] == "滞后")
    assert [r["完成进度"] for r in rows if r["状态"] == "已完成"] == [100] * sum(r["状态"] == "已完成" for r in rows)


def test_registers_agree_with_indicators_7_and_8_every_month(sample):
    indicators = records(sample, "指标进展")
    warehouses = [month_of(r["启用日期"]) for r in records(sample, "海外分拨仓")]
    forwarders = [month_of(r["备案日期"]) for r in records(sample, "货代备案企业")]
    for row in indicators:
        month = Month.parse(row["统计期"])
        if row["指标编号"] == 7:
            assert row["完成值"] == sum(m <= month for m in warehouses), row
        if row["指标编号"] == 8:
            assert row["完成值"] == sum(m <= month for m in forwarders), row
    assert (len(warehouses), len(forwarders)) == (27, 65)
    famous = [r for r in records(sample, "货代备案企业") if r["是否全球知名"] == "是"]
    assert len(famous) == 2


def test_every_secondary_goal_is_reported_at_the_goal_months_and_shows_its_designed_light(sample):
    rows = records(sample, "其他目标")
    assert sorted({r["统计期"] for r in rows}) == ["2025-06", "2025-12", "2026-06", "2026-09"]
    latest = {r["目标名称"]: r["完成值"] for r in rows if r["统计期"] == "2026-09"}
    # Every goal: the first milestone-kind goal is reported achieved, and this plan has only one.
    assert set(latest) == {g.name for g in PLAN.goals}
    lights = {}
    for goal in PLAN.goals:
        value = latest[goal.name]
        if goal.kind == "cumulative":
            lights[goal.key] = ratio_or_green(value, whole(goal.target * 22 / 36, goal.unit))
        elif goal.kind == "rank":
            lights[goal.key] = "green" if value <= goal.target else "yellow"
        elif goal.kind == "milestone":
            lights[goal.key] = "green" if value >= 1 else "yellow"
        elif goal.kind == "floor":
            lights[goal.key] = "green" if value >= goal.target else "yellow" if value >= 0.9 * goal.target else "red"
        else:
            lights[goal.key] = "green" if abs(value - goal.target) <= 1 else "yellow"
    g, y = "green", "yellow"
    # The cumulative goals cycle green, green, yellow in plan order; a yellow that no whole
    # number can reach (1家 against 序时进度 1) falls back to green.
    assert lights == {
        "5a_rank": g, "5a_new": g, "global_logistics": g, "hq_base": g, "influential": g, "new_above_scale": g,
        "multimodal_revenue": g, "supply_chain_firms": g, "supply_chain_output": y, "asean_trade_share": y,
        "global_forwarders": g, "smart_investment": g,
    }


# --- importing ----------------------------------------------------------------------------


def test_the_sample_imports_with_only_the_new_line_warning():
    from yzlogi.model import InputFile

    parsed = workbook.read_workbook([InputFile(SAMPLE_WORKBOOK.name, SAMPLE_WORKBOOK.read_bytes())], PLAN)
    assert [i.message for i in parsed.errors] == []
    assert parsed.ok
    # The new line may be reported once or on each of its rows; nothing else warns.
    assert {(i.sheet, i.column, i.value) for i in parsed.warnings} == {("通道班次", "线路", "中老铁路班列")}
    assert parsed.rows() == {
        "indicators": 135, "routes": 74, "ships": 15, "tasks": 1028, "goals": 48, "warehouses": 27, "forwarders": 65,
    }



def test_yzlogi_status_gives_the_designed_lights_at_the_default_as_of():
    from versions import make_data

    from yzlogi.model import InputFile
    from yzlogi.status import compute_status, default_as_of

    parsed = workbook.read_workbook([InputFile(SAMPLE_WORKBOOK.name, SAMPLE_WORKBOOK.read_bytes())], PLAN)
    data = make_data(**{key: table.drop_columns(["withdraw"]).to_pylist() for key, table in parsed.tables.items()},
                     sample=True)
    as_of = default_as_of(data, PLAN.start)
    assert as_of == AS_OF
    lights = {key: light.level for _, key, _, light, _ in compute_status(PLAN, data, as_of).items()}
    g, y, r = "green", "yellow", "red"
    assert lights == {
        "indicator:1:2026": g, "indicator:2:2026": g, "indicator:3:2026": g, "indicator:4:2026": y,
        "indicator:5:2026": r, "indicator:6:2026": r, "indicator:7:2026": g, "indicator:8:2026": y,
        "route:东盟班车:2026": g, "route:渝甬班列:2026": y, "route:渝穗班列:2026": r,
        "fleet:LNG动力船舶更新": g, "fleet:甲醇动力船舶更新": r, "fleet:滚装船LNG-柴油混合动力改造": r, "fleet:新增海运船舶": g,
        "task:1": g, "task:2": y, "task:3": g, "task:4": g, "task:5": g, "task:6": g, "task:7": g, "task:8": r,
        "task:9": r, "task:10": g, "task:11": y, "task:12": "grey", "task:13": g, "task:14": g, "task:15": g,
        "task:16": r,
        "goal:5a_rank": g, "goal:5a_new": g, "goal:global_logistics": g, "goal:hq_base": g, "goal:influential": g,
        "goal:new_above_scale": g, "goal:multimodal_revenue": g, "goal:supply_chain_firms": g,
        "goal:supply_chain_output": y, "goal:asean_trade_share": y, "goal:global_forwarders": g,
        "goal:smart_investment": g,
    }
