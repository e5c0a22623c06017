"""The units' ranking (双亮牌) and the meeting deck on the bundled sample, in a real store:
the figures the wall shows, pinned."""

from __future__ import annotations

from datetime import date

import pytest

from yzlogi import deck, views
from yzlogi.meeting import views_for
from yzlogi.ranking import rank_units
from yzlogi.returns import compute_returns
from yzlogi.snapshot import take
from yzlogi.store import Store


@pytest.fixture(scope="module")
def shot(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("ranking") / "var")
    store.ensure_ready()  # the sample as version 1
    return take(store)


@pytest.fixture(scope="module")
def returns(shot):
    versions = {v.id: v for v in shot.store.versions()}
    return compute_returns(shot.plan, shot.data, versions, shot.as_of, 5, date(2026, 11, 10))


def test_the_sample_ranking(shot, returns):
    assert str(shot.as_of) == "2026-10"
    ranked = rank_units(shot.status, shot.plan, returns)
    assert [(r.rank, r.unit, r.red, r.yellow, r.reporting_text) for r in ranked] == [
        (1, "区交通运输委", 6, 3, "按时报送"),
        (2, "区商务委", 2, 3, "按时报送"),
        (3, "区产业发展促进局", 0, 2, "按时报送"),
        (4, "区政府外办", 0, 1, "按时报送"),
        (5, "区司法局", 0, 0, "尚未报送"),
        (6, "区发展改革委", 0, 0, "部分报送 4/5"),
        (7, "区经济信息委", 0, 0, "按时报送"),
        (7, "区财政局", 0, 0, "无应报"),
        (7, "区科技局", 0, 0, "按时报送"),
        (7, "区大数据发展局", 0, 0, "按时报送"),
        (7, "各管委会", 0, 0, "按时报送"),
    ]
    assert ranked[0].items[:2] == ("指标6 通道运力投入强度（2026年）", "渝穗班列（2026年）")
    assert (ranked[4].reporting_level, ranked[5].reporting_level) == ("red", "red")  # after 11月5日


def test_the_sample_deck(shot, returns):
    ranked = rank_units(shot.status, shot.plan, returns)
    cards = [views.indicator_card(i) for i in shot.status.current_indicators()]
    slides = deck.build(shot.status, views_for(shot.plan), cards=cards, ranked=ranked,
                        unreported=returns.to_chase, month_label=shot.as_of.label)
    assert deck.shape(slides, views_for(shot.plan)) == (2, 1, 1, 1, 2, 1)
    overview = slides["overview"]
    assert [(s.part, s.title, len(s.items), s.rest) for s in overview] == [
        ("counts", "需要关注：红灯、黄灯（1/2）", 6, 9),
        ("exceptions", "需要关注：红灯、黄灯（2/2）", 9, 0),
    ]
    assert [s.part for s in slides["tasks"]] == ["heatmap", "ranking"]
    assert len(slides["tasks"][0].items) == 16
    [reporting] = slides["followups"]
    assert (reporting.title, [u.unit for u in reporting.items]) == ("2026年10月尚未报齐的单位", ["区发展改革委", "区司法局"])
