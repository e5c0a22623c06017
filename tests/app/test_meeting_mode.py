"""会议模式 in the real app script: every view is a deck of slides (one HTML block each, no long
page below it), the figures on them are the sample's, and the walk moves slide by slide when its
countdown runs out or when stepped by hand, the slide in the URL (?slide=2)."""

from datetime import date, datetime
from html.parser import HTMLParser

import pytest

from page_helpers import tables
from ui import meeting as ui_meeting
from yzlogi.followups import service
from yzlogi.meeting import VIEWS, Walk
from yzlogi.store import Store

TITLES = {"overview": "总览", "indicators": "年度指标", "routes": "通道班次", "fleet": "船舶更新", "tasks": "部门任务",
          "followups": "督办事项"}
# The sample's deck: 15 exceptions on two slides of 总览; the heatmap and the ranking; the units
# that have not reported for the month (no 督办 item yet).
SHAPE = (2, 1, 1, 1, 2, 1)


class _Cells(HTMLParser):
    """The text of each element with a class in `wanted`, in order (nested tags' text joined)."""

    def __init__(self, wanted: set[str]):
        super().__init__()
        self.wanted, self.cells, self._depth, self._open = wanted, [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr"):  # void: no end tag follows
            return
        if self._open:
            self._depth += 1
        elif set((dict(attrs).get("class") or "").split()) & self.wanted:
            self._open, self._depth = True, 1
            self.cells.append("")

    def handle_endtag(self, tag):
        if self._open:
            self._depth -= 1
            if self._depth == 0:
                self._open = False

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def texts(markup: str, *classes: str) -> list[str]:
    parser = _Cells(set(classes))
    parser.feed(markup)
    return [c.strip() for c in parser.cells]


def slide(at) -> str:
    """The slide's HTML (the one st.html whose body is a slide)."""
    [found] = [h.value for h in at.html if 'class="yz-slide"' in h.value]
    return found


def rows(markup: str, columns: int) -> list[list[str]]:
    cells = texts(markup, "yz-td")
    return [cells[i:i + columns] for i in range(0, len(cells), columns)]


def _meeting(app, page="pages/overview.py", query=None):
    at = app(page, query)
    at.toggle(key=ui_meeting.ON_KEY).set_value(True).run()
    return at


def _button(at, key):
    return next(b for b in at.button if b.key == key)


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_is_a_slide_in_meeting_mode(app, tmp_path, view):
    if view == "followups":  # an overdue item, for the slide the meeting looks at
        store = Store(tmp_path / "var")
        service.raise_item(store, "task:8", "报送追赶计划", date(2026, 6, 15), "张三", at=datetime(2026, 6, 1, 9))
    at = _meeting(app, f"pages/{view}.py")
    assert not at.exception
    assert at.title[0].value == TITLES[view]
    assert {b.key for b in at.button} >= {"meeting_prev", "meeting_pause", "meeting_next", "meeting_exit"}
    # One slide and nothing of the long page under it: no data grid, no table, no chart.
    assert len(at.dataframe) == 0 and len(at.table) == 0 and len(at.get("arrow_vega_lite_chart")) == 0
    assert slide(at).count('class="yz-slide"') == 1
    assert at.query_params.get("mode") == "meeting"
    # With an overdue item, 督办事项 has its slide before the reporting one.
    assert at.session_state[ui_meeting.WALK_KEY].pages == (SHAPE[:-1] + (2,) if view == "followups" else SHAPE)
    if view == "followups":
        assert rows(slide(at), 6)[0][:4] == ["■ 红", "1", "任务8 提升通道运力投入强度报送追赶计划", "区交通运输委"]
        assert rows(slide(at), 6)[0][4:] == ["2026年6月15日", f"逾期：截止 2026年6月15日，已逾期 {(date.today() - date(2026, 6, 15)).days} 天 → 红灯"]


def test_the_overview_shows_the_counts_large_and_the_first_exceptions(app):
    at = _meeting(app)
    shown = slide(at)
    assert texts(shown, "yz-heading") == ["需要关注：红灯、黄灯（1/2）"]
    assert texts(shown, "yz-count-n") == ["8", "7", "1", "27"]
    assert texts(shown, "yz-count-l") == ["■ 红灯", "▲ 黄灯", "○ 灰灯", "● 绿灯"]
    assert [r[1] for r in rows(shown, 4)] == ["指标5 西部陆海新通道运量增速（2026年）", "指标6 通道运力投入强度（2026年）",
                                         "渝穗班列（2026年）", "船舶更新 甲醇动力船舶更新", "船舶更新 滚装船LNG-柴油混合动力改造",
                                         "任务8 提升通道运力投入强度"]
    assert rows(shown, 4)[0] == ["■ 红灯", "指标5 西部陆海新通道运量增速（2026年）", "目标 10%以上，实际 7.7%（< 9%）→ 红灯",
                                 "区商务委"]
    assert texts(shown, "yz-rest") == ["另有 9 项，见下一页（2/2）"]


def test_a_link_opens_a_slide_of_a_view(app):
    at = app("pages/overview.py", {"mode": "meeting", "slide": "2"})
    assert not at.exception
    walk = at.session_state[ui_meeting.WALK_KEY]
    assert (walk.view, walk.page) == ("overview", 1)
    shown = slide(at)
    assert texts(shown, "yz-heading") == ["需要关注：红灯、黄灯（2/2）"]
    assert [r[1] for r in rows(shown, 4)][-1] == "其他目标 与东盟国家贸易额占比增长"
    assert texts(shown, "yz-rest") == []
    assert at.query_params["slide"] in ("2", ["2"])


def test_the_route_tiles_carry_the_runs_the_pace_and_the_catch_up(app):
    at = _meeting(app, "pages/routes.py")
    shown = slide(at)
    assert texts(shown, "yz-tile-name") == ["东盟班车", "渝甬班列", "渝穗班列"]
    assert texts(shown, "yz-big") == ["2650班次（2026年累计）", "238班次（2026年累计）", "60班次（2026年累计）"]
    assert texts(shown, "yz-need") == ["剩余每月需开行 175 班次（剩 2 个月）", "剩余每月需开行 31 班次（剩 2 个月）",
                                       "剩余每月需开行 20 班次（剩 2 个月）"]
    assert texts(shown, "yz-mark") == ["序时 2500", "序时 250", "序时 83"]
    # The bar against the year's target: 2650 of 3000 filled, 序时 at 2500 of 3000.
    assert 'style="width: 88.3%; background: #2E7D32"' in shown and 'style="left: 83.3%"' in shown


def test_the_fleet_tiles_and_the_indicator_cards(app):
    at = _meeting(app, "pages/fleet.py")
    shown = slide(at)
    assert texts(shown, "yz-tile-name") == ["LNG动力船舶更新", "甲醇动力船舶更新", "滚装船LNG-柴油混合动力改造", "新增海运船舶"]
    assert texts(shown, "yz-big") == ["2/ 4艘 已完成", "1/ 4艘 已完成", "0/ 2艘 已完成", "2/ 4艘以上 已完成"]
    at = _meeting(app, "pages/indicators.py")
    shown = slide(at)
    assert texts(shown, "yz-card-title")[4] == "5. 西部陆海新通道运量增速"
    assert texts(shown, "yz-value")[:5] == ["10.3%", "6.2%", "1家", "9.5%", "7.7%"]
    assert "序时进度 68（基数 60，取2025年12月实际值；60 + 10 × 10/12 = 68.33，按整家计），实际 65，完成序时进度 95.5% → 黄灯" \
        in texts(shown, "yz-small")


def test_the_ranking_puts_the_unit_with_most_red_items_first(app):
    at = _meeting(app, "pages/tasks.py")
    _button(at, "meeting_next").click().run()  # after the heatmap
    shown = slide(at)
    assert texts(shown, "yz-heading") == ["单位亮牌：红灯、黄灯与报送"]
    ranked = rows(shown, 7)
    assert ranked[0][:5] == ["1", "区交通运输委", "6", "3", "按时报送"]
    assert [r[:2] for r in ranked[1:6]] == [["2", "区商务委"], ["3", "区产业发展促进局"], ["4", "区政府外办"], ["5", "区司法局"],
                                            ["6", "区发展改革委"]]
    assert (ranked[4][4], ranked[5][4]) == ("尚未报送", "部分报送 4/5")
    assert ranked[0][5] == "——（无上一版本）"  # the sample is the only version


def test_the_timer_moves_to_the_next_slide_then_the_next_view(app):
    at = _meeting(app)
    walk = at.session_state[ui_meeting.WALK_KEY]
    assert (walk.view, walk.page, walk.seconds) == ("overview", 0, 30)
    # Thirty-one seconds ago: the countdown has run out; the next slide is 总览's second.
    at.session_state[ui_meeting.WALK_KEY] = Walk("overview", started=ui_meeting.clock() - 31, seconds=30,
                                                  pages=SHAPE)
    at.run()
    assert not at.exception
    assert (at.title[0].value, at.session_state[ui_meeting.WALK_KEY].page) == ("总览", 1)
    assert texts(slide(at), "yz-heading") == ["需要关注：红灯、黄灯（2/2）"]
    at.session_state[ui_meeting.WALK_KEY] = Walk("overview", started=ui_meeting.clock() - 31, seconds=30,
                                                  pages=SHAPE, page=1)
    at.run()
    assert at.title[0].value == "年度指标"
    assert at.session_state[ui_meeting.WALK_KEY].view == "indicators"


def test_a_paused_walk_does_not_move(app):
    at = _meeting(app)
    _button(at, "meeting_pause").click().run()
    assert at.session_state[ui_meeting.WALK_KEY].paused
    walk = at.session_state[ui_meeting.WALK_KEY]
    at.session_state[ui_meeting.WALK_KEY] = Walk("overview", started=ui_meeting.clock() - 300, seconds=30,
                                                  paused=True, left_when_paused=walk.left_when_paused, pages=SHAPE)
    at.run()
    assert at.title[0].value == "总览"
    assert any("已暂停" in m.value for m in at.markdown)


def test_stepping_by_hand_both_ways(app):
    at = _meeting(app)
    _button(at, "meeting_next").click().run()
    assert (at.title[0].value, texts(slide(at), "yz-heading")) == ("总览", ["需要关注：红灯、黄灯（2/2）"])
    assert at.query_params["slide"] in ("2", ["2"])
    _button(at, "meeting_prev").click().run()
    assert "slide" not in at.query_params
    _button(at, "meeting_prev").click().run()
    assert at.title[0].value == "督办事项"  # the walk's last slide: who has not reported
    assert texts(slide(at), "yz-heading") == ["2026年10月尚未报齐的单位"]


def test_leaving_meeting_mode_restores_the_normal_page(app):
    at = _meeting(app)
    _button(at, "meeting_exit").click().run()
    assert not at.session_state[ui_meeting.ON_KEY]
    assert "mode" not in at.query_params
    assert tables(at) and not at.table  # the normal mode's wrapping HTML tables again
    assert not [h for h in at.html if 'class="yz-slide"' in h.value]
