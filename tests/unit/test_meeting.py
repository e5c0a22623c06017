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
