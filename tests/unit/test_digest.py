"""The change digest between two versions: values, lights, task statuses, ships,
missing reports and rows per sheet, with the Chinese lines shown to users."""

from __future__ import annotations

import json

from versions import goal, ind, make_data, monthly_runs, report, runs, ship

from yzlogi.digest import compute_digest
from yzlogi.levels import GREEN, GREY, RED, YELLOW
from yzlogi.months import Month
from yzlogi.plan import load_plan

PLAN = load_plan()
LNG = "LNG动力船舶更新"
LEAD, RESP = "区交通运输委", "区商务委"  # task 8


def _old():
    return make_data(
        id=3,
        indicators=[ind(2, "2026-05", 4.6), ind(7, "2026-05", 27)],
        routes=monthly_runs("东盟班车", "2026-01", [250] * 5),
        ships=[ship("渝LNG1", LNG, "在建"), ship("渝LNG2", LNG, "已完成", "2025-12")],
        tasks=[report(8, LEAD, "2026-05", "序时推进"), report(8, RESP, "2026-05", "序时推进")],
    )


def _new():
    return make_data(
        id=4,
        indicators=[ind(2, "2026-05", 5.2), ind(2, "2026-06", 5.6)],
        routes=monthly_runs("东盟班车", "2026-01", [250] * 6),
        ships=[ship("渝LNG1", LNG, "已完成", "2026-06"), ship("渝LNG2", LNG, "已完成", "2025-12"),
               ship("渝LNG3", LNG, "已完成", "2026-09")],
        tasks=[report(8, LEAD, "2026-05", "序时推进"), report(8, RESP, "2026-05", "序时推进"),
               report(8, LEAD, "2026-06", "滞后"), report(8, RESP, "2026-06", "序时推进")],
    )


def test_digest_is_judged_at_the_new_versions_latest_month():
    digest = compute_digest(PLAN, _old(), _new())
    assert (digest.old_version, digest.new_version, digest.as_of) == (3, 4, Month(2026, 6))
    assert compute_digest(PLAN, _old(), _new(), Month(2026, 5)).as_of == Month(2026, 5)


def test_indicator_values_added_removed_and_changed():
    digest = compute_digest(PLAN, _old(), _new())
    assert [(v.no, str(v.month), v.old, v.new) for v in digest.values] == [
        (2, "2026-05", 4.6, 5.2), (2, "2026-06", None, 5.6), (7, "2026-05", 27, None),
    ]


def test_lights_that_flip_and_how():
    digest = compute_digest(PLAN, _old(), _new())
    assert [(f.key, f.old, f.new) for f in digest.flips] == [
        ("indicator:2:2026", YELLOW, GREEN),
        ("indicator:6:2026", RED, GREY),
        ("indicator:7:2026", GREEN, GREY),
        ("route:东盟班车:2026", RED, GREEN),
        ("fleet:LNG动力船舶更新", RED, GREEN),
        ("task:8", GREY, RED),
    ]
    assert digest.flips[0].why == "目标 5%以上，实际 5.6%（≥ 5%）→ 绿灯"


def test_task_statuses_that_change_but_not_the_ones_reported_again_unchanged():
    digest = compute_digest(PLAN, _old(), _new())
    assert [(t.task, t.department, t.role, t.old, str(t.old_month), t.new, str(t.month)) for t in digest.tasks] == [
        (8, LEAD, "lead", "序时推进", "2026-05", "滞后", "2026-06"),
    ]


def test_ships_newly_completed_up_to_as_of():
    digest = compute_digest(PLAN, _old(), _new())
    assert [(s.name, s.category, str(s.completed)) for s in digest.ships_completed] == [("渝LNG1", LNG, "2026-06")]


def test_units_that_did_not_report_for_the_latest_month():
    digest = compute_digest(PLAN, _old(), _new())
    assert (8, LEAD) not in {(m.task, m.department) for m in digest.missing}
    assert len(digest.missing) == sum(len(t.lead) + len(t.responsible) for t in PLAN.tasks) - 2
    assert (digest.missing[0].task, digest.missing[0].department, digest.missing[0].role) == (1, LEAD, "lead")


def test_rows_added_removed_and_changed_per_sheet_by_unique_key():
    digest = compute_digest(PLAN, _old(), _new())
    sheets = {s.key: s for s in digest.sheets}
    assert [s.key for s in digest.sheets] == ["indicators", "routes", "ships", "tasks", "goals", "warehouses",
                                              "forwarders"]
    assert (sheets["indicators"].added, sheets["indicators"].removed, sheets["indicators"].changed) == (
        ((2, "2026-06"),), ((7, "2026-05"),), ((2, "2026-05"),),
    )
    assert (sheets["routes"].added, sheets["routes"].removed, sheets["routes"].changed) == (
        (("东盟班车", "2026-06"),), (), (),
    )
    assert (sheets["ships"].added, sheets["ships"].changed) == ((("渝LNG3",),), (("渝LNG1",),))
    assert sheets["tasks"].added == ((8, LEAD, "2026-06"), (8, RESP, "2026-06"))
    assert not sheets["goals"].any


def test_a_changed_note_is_a_changed_row_and_a_moved_row_is_not():
    old = make_data(id=1, goals=[goal("hq_base", "2026-06", 0, note="筹备中", row=2), goal("5a_rank", "2026-06", 2, row=3)])
    new = make_data(id=2, goals=[goal("5a_rank", "2026-06", 2, row=2), goal("hq_base", "2026-06", 0, note="已签约", row=3)])
    sheet = next(s for s in compute_digest(PLAN, old, new).sheets if s.key == "goals")
    assert (sheet.added, sheet.removed, sheet.changed) == ((), (), (("hq_base", "2026-06"),))


def test_the_same_data_again_is_unchanged():
    digest = compute_digest(PLAN, _new(), make_data(id=5, **{k: _new().table(k).to_dict("records")
                                                             for k in ("indicators", "routes", "ships", "tasks")}))
    assert digest.unchanged
    assert (digest.values, digest.flips, digest.tasks, digest.ships_completed) == ((), (), (), ())
    assert digest.lines()[0] == "与版本4相比，数据没有变化"


def test_first_version_has_nothing_to_compare_with():
    digest = compute_digest(PLAN, None, _new())
    assert digest.old_version is None
    assert (digest.flips, digest.tasks) == ((), ())
    assert [(v.no, v.old, v.new) for v in digest.values] == [(2, None, 5.2), (2, None, 5.6)]
    assert [s.name for s in digest.ships_completed] == ["渝LNG2", "渝LNG1"]  # in order of completion
    assert {s.key: len(s.added) for s in digest.sheets if s.any} == {"indicators": 2, "routes": 6, "ships": 3,
                                                                     "tasks": 4}
    # Shown: that it is the first, its rows, who has not reported; not every value and ship as "new".
    assert digest.lines()[:2] == ["首个版本，没有可比较的上一版本",
                                  "本版本共有：指标进展 2 行，通道班次 6 行，船舶更新 3 行，任务进展 4 行"]
    assert not any(line.startswith(("指标数值变化", "新完成船舶", "亮灯变化", "任务状态变化")) for line in digest.lines())
    assert digest.lines(rows=False)[:2] == ["首个版本，没有可比较的上一版本", "2026年6月未报送（11个单位，共45项）："]


def test_lines_in_chinese():
    lines = compute_digest(PLAN, _old(), _new()).lines(limit=3)
    assert lines[:16] == [
        "指标进展：新增 1 行，修改 1 行，保留 0 行，删除 1 行",
        "通道班次：新增 1 行，修改 0 行，保留 5 行",
        "船舶更新：新增 1 行，修改 1 行，保留 1 行",
        "任务进展：新增 2 行，修改 0 行，保留 2 行",
        "指标数值变化（3项）：",
        "  指标2 行业规上企业营收增速 2026年5月：4.6% → 5.2%",
        "  指标2 行业规上企业营收增速 2026年6月：新增 5.6%",
        "  指标7 海外分拨仓个数 2026年5月：删除（原 27）",
        "亮灯变化（6项）：",
        "  指标2 行业规上企业营收增速（2026年）：黄灯 → 绿灯",
        "  指标6 通道运力投入强度（2026年）：红灯 → 灰灯",
        "  指标7 海外分拨仓个数（2026年）：绿灯 → 灰灯",
        "  ……另有 3 项",
        "任务状态变化（1项）：",
        "  任务8 区交通运输委（牵头单位）：序时推进（2026年5月） → 滞后（2026年6月）",
        "新完成船舶（1项）：",
    ]
    assert lines[16] == "  渝LNG1（LNG动力船舶更新）2026年6月完成"
    assert lines[17].startswith("2026年6月未报送（11个单位，共")
    assert lines[18] == "  区交通运输委：任务1、3、4、5、6、7、9、10、13、14、15、16"


def test_a_unit_reporting_for_the_first_time_is_a_status_change():
    old = make_data(id=1, routes=[runs("东盟班车", "2026-06", 250)])
    new = make_data(id=2, tasks=[report(8, RESP, "2026-06", "未启动")])
    digest = compute_digest(PLAN, old, new, Month(2026, 6))
    assert [(t.department, t.old, t.old_month, t.new) for t in digest.tasks] == [(RESP, None, None, "未启动")]
    assert "  任务8 区商务委（责任单位）：无报送 → 未启动（2026年6月）" in digest.lines()


def test_digest_json_is_plain_data():
    result = compute_digest(PLAN, _old(), _new()).to_json()
    json.dumps(result, ensure_ascii=False)
    assert set(result) == {"old_version", "new_version", "as_of", "unchanged", "values", "flips", "tasks",
                           "ships_completed", "missing", "sheets", "lines"}
    assert result["values"][0] == {"no": 2, "name": "行业规上企业营收增速", "month": "2026-05", "old": 4.6, "new": 5.2}
    assert result["flips"][0]["old"] == "yellow" and result["flips"][0]["new"] == "green"
    assert result["tasks"][0] == {"task": 8, "name": "提升通道运力投入强度", "department": LEAD, "role": "lead",
                                  "month": "2026-06", "old": "序时推进", "old_month": "2026-05", "new": "滞后"}
    assert result["ships_completed"] == [{"name": "渝LNG1", "category": LNG, "completed": "2026-06"}]
    assert result["sheets"][0] == {
        "key": "indicators", "name": "指标进展", "added": 1, "removed": 1, "changed": 1, "kept": 0,
        "added_keys": [[2, "2026-06"]], "removed_keys": [[7, "2026-05"]], "changed_keys": [[2, "2026-05"]],
    }
