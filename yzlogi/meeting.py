"""Meeting mode's walk through the views: which view comes next, and when.

Pure: the clock is passed in, so the walk can be tested without waiting. The
UI (ui/meeting.py) keeps a Walk in the session and asks it each second.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# The views a meeting steps through, in order (issue: 总览 → 年度指标 → 通道班次
# → 船舶更新 → 部门任务), by their url paths.
VIEWS: tuple[str, ...] = ("overview", "indicators", "routes", "fleet", "tasks")
DEFAULT_SECONDS = 30
MIN_SECONDS = 5
MAX_SECONDS = 600


def step(current: str, by: int = 1) -> str:
    """The view `by` steps after `current`, wrapping around; the first view for any other page."""
    if current not in VIEWS:
        return VIEWS[0]
    return VIEWS[(VIEWS.index(current) + by) % len(VIEWS)]


def clamp_seconds(seconds: int | float | None) -> int:
    """An interval within [MIN_SECONDS, MAX_SECONDS]; the default for none."""
    if seconds is None:
        return DEFAULT_SECONDS
    return int(min(MAX_SECONDS, max(MIN_SECONDS, seconds)))


@dataclass(frozen=True)
class Walk:
    """The automatic walk: the view being shown since `started`, paused or running."""

    view: str
    started: float  # clock reading when this view was shown (or the walk resumed)
    seconds: int = DEFAULT_SECONDS
    paused: bool = False
    left_when_paused: float = 0.0  # seconds that were left when the walk was paused

    def remaining(self, now: float) -> float:
        """Seconds until the next view (frozen while paused)."""
        if self.paused:
            return self.left_when_paused
        return max(0.0, self.seconds - (now - self.started))

    def due(self, now: float) -> bool:
        return not self.paused and self.remaining(now) <= 0

    def show(self, view: str, now: float) -> Walk:
        """A view shown now (by the timer or by hand): its countdown starts afresh."""
        return replace(self, view=view, started=now, left_when_paused=float(self.seconds))

    def advance(self, now: float, by: int = 1) -> Walk:
        return self.show(step(self.view, by), now)

    def pause(self, now: float) -> Walk:
        if self.paused:
            return self
        return replace(self, paused=True, left_when_paused=self.remaining(now))

    def resume(self, now: float) -> Walk:
        if not self.paused:
            return self
        # Restart the clock so that the time left is what it was at the pause.
        return replace(self, paused=False, started=now - (self.seconds - self.left_when_paused))

    def with_seconds(self, seconds: int, now: float) -> Walk:
        return replace(self, seconds=clamp_seconds(seconds)).show(self.view, now)
