"""Meeting mode's walk: the order of views, the countdown, pause and step."""

import pytest

from yzlogi.meeting import DEFAULT_SECONDS, VIEWS, Walk, clamp_seconds, step


def test_the_walk_visits_the_five_views_then_the_follow_up_items():
    assert VIEWS == ("overview", "indicators", "routes", "fleet", "tasks", "followups")
    seen, view = [], "overview"
    for _ in range(7):
        seen.append(view)
        view = step(view)
    assert seen == ["overview", "indicators", "routes", "fleet", "tasks", "followups", "overview"]


@pytest.mark.parametrize("current, by, expected", [
    ("overview", -1, "followups"), ("tasks", 1, "followups"), ("followups", 1, "overview"), ("routes", -1, "indicators"),
    ("plan", 1, "overview"), ("department", -1, "overview"),
])
def test_stepping_by_hand_wraps_and_starts_from_the_overview(current, by, expected):
    assert step(current, by) == expected


def test_the_countdown_runs_then_is_due():
    walk = Walk("overview", started=100.0, seconds=30)
    assert walk.remaining(110.0) == 20.0
    assert not walk.due(129.9)
    assert walk.due(130.0)
    nxt = walk.advance(130.0)
    assert (nxt.view, nxt.started, nxt.remaining(130.0)) == ("indicators", 130.0, 30.0)


def test_a_paused_walk_keeps_its_time_left_and_resumes_from_it():
    walk = Walk("routes", started=0.0, seconds=30).pause(now=12.0)
    assert walk.paused and walk.remaining(500.0) == 18.0 and not walk.due(500.0)
    resumed = walk.resume(now=500.0)
    assert resumed.remaining(500.0) == 18.0
    assert resumed.due(518.0)


def test_stepping_by_hand_restarts_the_countdown_and_keeps_pause():
    walk = Walk("fleet", started=0.0, seconds=30).pause(now=25.0)
    back = walk.advance(now=40.0, by=-1)
    assert (back.view, back.paused, back.remaining(1000.0)) == ("routes", True, 30.0)


@pytest.mark.parametrize("given, kept", [(None, DEFAULT_SECONDS), (1, 5), (45, 45), (10_000, 600)])
def test_the_interval_is_clamped(given, kept):
    assert clamp_seconds(given) == kept


# --- slide by slide (a view of several slides: 总览 with fifteen exceptions on three) -------------

SHAPE = (3, 1, 1, 1, 2, 1)


def test_the_walk_steps_through_every_slide_of_every_view_then_wraps():
    walk = Walk("overview", started=0.0, pages=SHAPE)
    seen = []
    for tick in range(10):
        seen.append((walk.view, walk.page))
        walk = walk.advance(float(tick))
    assert seen == [("overview", 0), ("overview", 1), ("overview", 2), ("indicators", 0), ("routes", 0),
                    ("fleet", 0), ("tasks", 0), ("tasks", 1), ("followups", 0), ("overview", 0)]
    assert len(walk.slides()) == 9


def test_stepping_back_from_a_view_lands_on_the_last_slide_of_the_one_before():
    walk = Walk("indicators", started=0.0, pages=SHAPE)
    back = walk.advance(5.0, -1)
    assert (back.view, back.page, back.started) == ("overview", 2, 5.0)
    assert back.advance(6.0, -3).view == "followups"
    assert Walk("overview", 0.0, pages=SHAPE, page=1).upcoming() == "overview"
    assert Walk("overview", 0.0, pages=SHAPE, page=2).upcoming() == "indicators"


def test_a_page_outside_the_walk_goes_on_to_the_first_slide():
    walk = Walk("department", started=0.0, pages=SHAPE)
    assert walk.count("department") == 1
    assert (walk.advance(1.0).view, walk.advance(1.0).page) == ("overview", 0)


def test_a_slide_asked_for_is_kept_within_its_view_and_a_new_shape_keeps_the_slide_shown():
    walk = Walk("overview", started=0.0, pages=SHAPE)
    assert walk.show("overview", 1.0, 7).page == 2  # a link to ?slide=8 of a view of three
    assert walk.show("routes", 1.0, 1).page == 0
    # Fewer exceptions after an upload: 总览 has two slides now; the third shown becomes the second.
    on_third = walk.show("overview", 1.0, 2)
    smaller = on_third.with_pages((2, 1, 1, 1, 2, 1))
    assert (smaller.page, smaller.started) == (1, 1.0)
    # The walk made before its deck was known holds the page until the shape comes.
    early = Walk("overview", started=0.0, page=2)
    assert early.with_pages(SHAPE).page == 2


def test_pause_and_a_new_interval_keep_the_slide():
    walk = Walk("tasks", started=0.0, pages=SHAPE, page=1).pause(10.0)
    assert (walk.page, walk.remaining(99.0)) == (1, 20.0)
    faster = Walk("tasks", started=0.0, pages=SHAPE, page=1).with_seconds(45, 3.0)
    assert (faster.page, faster.seconds, faster.remaining(3.0)) == (1, 45, 45.0)
