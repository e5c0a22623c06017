"""会议模式 in the real app script: every view renders in it, large-type tables,
and the walk moves on when its countdown runs out or when stepped by hand."""

from datetime import date, datetime

import pytest

from page_helpers import tables
from ui import meeting as ui_meeting
from yzlogi.followups import service
from yzlogi.store import Store
from yzlogi.meeting import VIEWS, Walk

TITLES = {"overview": "总览", "indicators": "年度指标", "routes": "通道班次", "fleet": "船舶更新", "tasks": "部门任务",
          "followups": "督办事项"}


def _meeting(app, page="pages/overview.py"):
    at = app(page)
    at.toggle(key=ui_meeting.ON_KEY).set_value(True).run()
    return at


def _button(at, key):
    return next(b for b in at.button if b.key == key)


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_renders_in_meeting_mode(app, tmp_path, view):
    if view == "followups":  # an overdue item, for the table the meeting looks at
        store = Store(tmp_path / "var")
        service.raise_item(store, "task:8", "报送追赶计划", date(2026, 6, 15), "张三", at=datetime(2026, 6, 1, 9))
    at = _meeting(app, f"pages/{view}.py")
    assert not at.exception
    assert at.title[0].value == TITLES[view]
    assert {b.key for b in at.button} >= {"meeting_prev", "meeting_pause", "meeting_next", "meeting_exit"}
    # Tables are HTML tables in meeting mode, so the large type applies to them.
    assert len(at.table) >= 1 and len(at.dataframe) == 0
    assert at.query_params.get("mode") == "meeting"


def test_the_timer_moves_to_the_next_view_when_the_countdown_runs_out(app):
    at = _meeting(app)
    walk = at.session_state[ui_meeting.WALK_KEY]
    assert walk.view == "overview" and walk.seconds == 30
    # Thirty-one seconds ago: the countdown has run out.
    at.session_state[ui_meeting.WALK_KEY] = Walk("overview", started=ui_meeting.clock() - 31, seconds=30)
    at.run()
    assert not at.exception
    assert at.title[0].value == "年度指标"
    assert at.session_state[ui_meeting.WALK_KEY].view == "indicators"


def test_a_paused_walk_does_not_move(app):
    at = _meeting(app)
    _button(at, "meeting_pause").click().run()
    assert at.session_state[ui_meeting.WALK_KEY].paused
    walk = at.session_state[ui_meeting.WALK_KEY]
    at.session_state[ui_meeting.WALK_KEY] = Walk("overview", started=ui_meeting.clock() - 300, seconds=30,
                                                  paused=True, left_when_paused=walk.left_when_paused)
    at.run()
    assert at.title[0].value == "总览"
    assert any("已暂停" in m.value for m in at.markdown)


def test_stepping_by_hand_both_ways(app):
    at = _meeting(app)
    _button(at, "meeting_next").click().run()
    assert at.title[0].value == "年度指标"
    _button(at, "meeting_prev").click().run()
    _button(at, "meeting_prev").click().run()
    assert at.title[0].value == "督办事项"  # the walk's last view


def test_leaving_meeting_mode_restores_the_normal_page(app):
    at = _meeting(app)
    _button(at, "meeting_exit").click().run()
    assert not at.session_state[ui_meeting.ON_KEY]
    assert "mode" not in at.query_params
    assert tables(at) and not at.table  # the normal mode's wrapping HTML tables again
