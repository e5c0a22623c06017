"""Meeting mode's deck (yzlogi.deck): how much text a slide holds, and content longer than a
slide paged onto further slides titled "（2/3）" with a pointer to the rest."""

from __future__ import annotations

import pytest

from yzlogi import deck
from yzlogi.deck import Slide, em, lines, paginate, widths
from yzlogi.status import Alert


def test_text_is_measured_in_em_cjk_wide_and_latin_narrow():
    assert em("红灯") == 2.0
    assert em("2650/2500") == pytest.approx(5.4)
    # 20 characters in a box 22 u wide at type 2.2 u: 9 em a line (one spared) → 3 lines.
    assert lines("一" * 20, 22.0, 2.2) == 3
    assert lines("", 22.0) == 1


def test_the_free_column_takes_what_the_others_leave():
    room = widths(deck.EXCEPTIONS)
    assert room == {"灯": 9.0, "事项": 44.0, "原因": pytest.approx(170 - 9 - 44 - 26 - 3 * 1.2), "牵头单位": 26.0}


@pytest.mark.parametrize("costs, room, first, pages", [
    ([10, 10, 10], 25, None, [(0, 2), (2, 3)]),
    ([10, 10, 10], 25, 12, [(0, 1), (1, 3)]),
    ([40, 5], 25, None, [(0, 1), (1, 2)]),  # taller than a slide: a slide of its own
    ([], 25, None, [(0, 0)]),  # nothing: one empty slide
])
def test_paginate(costs, room, first, pages):
    assert paginate(costs, room, first) == pages


def _alert(n: int, why: str = "序时进度 83.3，实际 60，完成序时进度 72.0% → 红灯") -> Alert:
    return Alert("route", f"route:{n}", f"线路{n}（2026年）", "red", why, ("区交通运输委",))


class _Status:
    """What deck.overview asks of a status: its exceptions."""

    def __init__(self, alerts):
        self.alerts = alerts

    def exceptions(self):
        return self.alerts


def test_thirty_red_items_make_numbered_slides_and_the_first_keeps_room_for_the_counts():
    slides = deck.overview(_Status([_alert(n) for n in range(30)]))
    assert [(s.part, s.title, len(s.items), s.rest) for s in slides] == [
        ("counts", "需要关注：红灯、黄灯（1/3）", 10, 20),
        ("exceptions", "需要关注：红灯、黄灯（2/3）", 13, 7),
        ("exceptions", "需要关注：红灯、黄灯（3/3）", 7, 0),
    ]
    # Every row of one line: the budget in rows is the slide's height over a row's.
    row = deck.row_height(deck.exception_cells(_alert(0)), deck.EXCEPTIONS)
    assert row == pytest.approx(2.2 * 1.35 + 1.2)
    assert sum(len(s.items) for s in slides) == 30
    assert [len(s.items) for s in deck.overview(_Status([_alert(n) for n in range(20)]))] == [10, 10]


def test_long_reasons_wrap_and_take_more_room():
    long = "取牵头单位和已报送责任单位中最差：" + "区交通运输委 红，" * 12 + "→ 红灯"
    assert lines(long, widths(deck.EXCEPTIONS)["原因"] - 1.2) == 4
    slides = deck.overview(_Status([_alert(n, long) for n in range(6)]))
    assert [len(s.items) for s in slides] == [3, 3]


def test_without_exceptions_the_overview_is_the_counts_alone():
    [only] = deck.overview(_Status([]))
    assert (only.part, only.items, only.title) == ("counts", (), "需要关注：红灯、黄灯")


def test_a_view_with_nothing_to_show_keeps_one_quiet_slide_and_the_shape_counts_it():
    built = deck.build(_Status([]), ("overview", "followups"))
    assert built["followups"] == (Slide("followups", "quiet", "督办与报送", ()),)
    assert deck.shape(built, ("overview", "followups", "plan")) == (1, 1, 1)
