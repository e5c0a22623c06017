"""One department's view (?dept=…): its tasks as lead and as responsible unit, its
indicators, what it has not reported for the as-of month, its red and yellow first."""

from __future__ import annotations

import json

import pytest
from versions import ind, make_data, report

from yzlogi.errors import YzlogiError
from yzlogi.levels import GREEN, GREY, RED, YELLOW
from yzlogi.months import Month
from yzlogi.plan import load_plan
from yzlogi.status import compute_status, department_status

PLAN = load_plan()
COMMERCE = "区商务委"


def _status():
    data = make_data(
        indicators=[ind(5, "2026-06", 8.5), ind(8, "2026-06", 66)],
        tasks=[
            report(9, COMMERCE, "2026-06", "滞后", problems="货源组织不足", next_steps="对接四川货源"),
            report(13, COMMERCE, "2026-06", "序时推进"),
            report(13, "区交通运输委", "2026-06", "未启动"),
            report(14, COMMERCE, "2026-06", "序时推进"),
            report(8, "区交通运输委", "2026-06", "序时推进"),
            report(8, COMMERCE, "2026-06", "未启动"),
            report(2, COMMERCE, "2025-11", "已完成"),
        ],
    )
    return compute_status(PLAN, data, Month(2026, 6))


def test_department_tasks_as_lead_and_as_responsible_unit_red_first_then_yellow_grey_green():
    view = department_status(_status(), PLAN, COMMERCE)
    assert [(d.task.no, d.report.light.level, d.task.light.level) for d in view.led_tasks] == [
        (9, RED, RED), (13, GREEN, YELLOW), (14, GREEN, GREY),
    ]
    assert [(d.task.no, d.report.light.level) for d in view.supported_tasks] == [
        (8, YELLOW), (3, GREY), (4, GREY), (5, GREY), (6, GREY), (7, GREY), (10, GREY), (11, GREY), (12, GREY),
        (2, GREEN),
    ]
    assert (view.led_tasks[0].report.problems, view.led_tasks[0].report.next_steps) == ("货源组织不足", "对接四川货源")


def test_department_indicators_it_leads_and_supports():
    view = department_status(_status(), PLAN, COMMERCE)
    assert [(i.no, i.light.level) for i in view.led_indicators] == [(5, RED), (8, GREEN)]
    assert [(i.no, i.light.level) for i in view.supported_indicators] == [(1, GREY), (6, GREY), (7, GREY)]


def test_department_lists_what_it_has_not_reported_for_the_as_of_month():
    status = compute_status(PLAN, make_data(tasks=[report(9, COMMERCE, "2026-06", "滞后")]), Month(2026, 6))
    view = department_status(status, PLAN, COMMERCE)
    assert [(m.section, m.no, m.role) for m in view.missing] == [
        ("task", 2, "responsible"), ("task", 3, "responsible"), ("task", 4, "responsible"),
        ("task", 5, "responsible"), ("task", 6, "responsible"), ("task", 7, "responsible"),
        ("task", 8, "responsible"), ("task", 10, "responsible"), ("task", 11, "responsible"),
        ("task", 12, "responsible"), ("task", 13, "lead"), ("task", 14, "lead"),
        ("indicator", 5, "lead"), ("indicator", 8, "lead"),
    ]
    assert view.missing[-1].why == "截至2026年6月无数据 → 灰灯（待报送）"


def test_department_alerts_red_then_yellow():
    view = department_status(_status(), PLAN, COMMERCE)
    assert [(a.level, a.section, a.title) for a in view.alerts] == [
        (RED, "indicator", "指标5 西部陆海新通道运量增速（2026年）"),
        (RED, "task", "任务9 发挥通道联动作用（牵头）"),
        (YELLOW, "task", "任务13 打造国际货代集聚区（牵头）"),
        (YELLOW, "task", "任务8 提升通道运力投入强度（责任单位）"),
    ]
    assert view.alerts[3].why == "2026年6月报送“未启动” → 黄灯"


def test_department_counts_its_own_reports_and_led_indicators():
    assert department_status(_status(), PLAN, COMMERCE).counts() == {RED: 2, YELLOW: 1, GREY: 8, GREEN: 4}


@pytest.mark.parametrize("written", ["区商务委", "商务委", "重庆市渝中区商务委员会"])
def test_department_is_found_by_name_or_alias(written):
    assert department_status(_status(), PLAN, written).department == COMMERCE


def test_unknown_department_is_a_chinese_error():
    with pytest.raises(YzlogiError, match="计划中没有部门“区教委”"):
        department_status(_status(), PLAN, "区教委")


def test_department_json_is_plain_data():
    result = department_status(_status(), PLAN, COMMERCE).to_json()
    json.dumps(result, ensure_ascii=False)
    assert set(result) == {"department", "as_of", "counts", "led_tasks", "supported_tasks", "led_indicators",
                           "supported_indicators", "missing", "alerts"}
    assert {k: result["led_tasks"][0][k] for k in ("no", "role", "task_level", "status", "level", "month")} == {
        "no": 9, "role": "lead", "task_level": "red", "status": "滞后", "level": "red", "month": "2026-06",
    }
