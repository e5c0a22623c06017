"""Meeting mode's walk through the slides of the views: which slide comes next, and when.

Each view of the walk is one or more slides (yzlogi.deck says how many, from the data:
fifteen exceptions make three slides of 总览). The walk steps slide by slide through the
views in order, wrapping around; a view's slides are numbered from 0 (`page`).

Pure: the clock is passed in, so the walk can be tested without waiting. The
UI (ui/meeting.py) keeps a Walk in the session and asks it each second.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yzlogi.plan import Plan

# The views a meeting steps through, in order (总览 → 年度指标 → 通道班次 → 船舶更新
# → 部门任务 → 督办事项), by their url paths; a plan without routes or fleet skips their view.
VIEWS: tuple[str, ...] = ("overview", "indicators", "routes", "fleet", "tasks", "followups")
DEFAULT_SECONDS = 30
MIN_SECONDS = 5
MAX_SECONDS = 600


def views_for(plan: Plan) -> tuple[str, ...]:
    """The walk for a plan: the views of the parts it has."""
    absent = {"routes"} if not plan.routes else set()
    if not plan.fleet:
        absent.add("fleet")
    return tuple(view for view in VIEWS if view not in absent)


def step(current: str, by: int = 1, views: tuple[str, ...] = VIEWS) -> str:
    """The view `by` steps after `current`, wrapping around; the first view for any other page."""
    if current not in views:
        return views[0]
    return views[(views.index(current) + by) % len(views)]


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
    views: tuple[str, ...] = VIEWS  # the views walked through (views_for the plan)
    page: int = 0  # the slide of the view being shown, from 0
    pages: tuple[int, ...] = ()  # how many slides each of `views` has (missing: one)

    def count(self, view: str) -> int:
        """How many slides a view has (at least one; a page outside the walk has one)."""
        if view not in self.views:
            return 1
        index = self.views.index(view)
        return max(1, self.pages[index]) if index < len(self.pages) else 1

    def slides(self) -> tuple[tuple[str, int], ...]:
        """Every slide of the walk in order: (view, page)."""
        return tuple((view, page) for view in self.views for page in range(self.count(view)))

    def after(self, by: int = 1) -> tuple[str, int]:
        """The slide `by` steps on (back when negative), wrapping around; the first slide
        from a page outside the walk."""
        slides = self.slides()
        if (self.view, self.page) not in slides:
            return slides[0]
        return slides[(slides.index((self.view, self.page)) + by) % len(slides)]

    def remaining(self, now: float) -> float:
        """Seconds until the next view (frozen while paused)."""
        if self.paused:
            return self.left_when_paused
        return max(0.0, self.seconds - (now - self.started))

    def due(self, now: float) -> bool:
        return not self.paused and self.remaining(now) <= 0

    def show(self, view: str, now: float, page: int = 0) -> Walk:
        """A slide shown now (by the timer, by hand or by a link): its countdown starts afresh."""
        page = min(max(page, 0), self.count(view) - 1)
        return replace(self, view=view, page=page, started=now, left_when_paused=float(self.seconds))

    def advance(self, now: float, by: int = 1) -> Walk:
        view, page = self.after(by)
        return self.show(view, now, page)

    def upcoming(self) -> str:
        """The view of the next slide."""
        return self.after(1)[0]

    def with_pages(self, pages: tuple[int, ...]) -> Walk:
        """The walk over a deck of another shape (the data changed): the slide shown is kept,
        or the view's last one when it has fewer slides now. The countdown goes on."""
        walk = replace(self, pages=tuple(pages))
        return replace(walk, page=min(self.page, walk.count(self.view) - 1))

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
        return replace(self, seconds=clamp_seconds(seconds)).show(self.view, now, self.page)
