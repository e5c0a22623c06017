"""Meeting mode's slides: a page of the walk, in meeting mode, draws its slide here instead
of its long body (`take_over`, one call near the top of the page).

What goes on each slide is yzlogi.deck's (pure, paged to fit a 16:9 screen); this module
gathers what the deck needs (the ranking with its change since the previous version, the
督办 items, the month's returns), keeps the walk's deck shape up to date, and draws the slide
as one block of HTML in screen units (yzlogi.deck: 1 u = min(1vh, 0.5625vw)), every text from
data escaped. The drawing of each part is in ui/slide_parts.py.
"""

from __future__ import annotations

import html

import streamlit as st

from ui import context, followups, meeting
from ui.returns import returns_of
from ui.slide_parts import DRAW, STYLE
from yzlogi import deck, ranking, views


def ranked(view: context.View) -> tuple[ranking.UnitRank, ...]:
    """The units' ranking at the view's as-of month, with the change since the previous version."""
    now = ranking.rank_units(view.status, view.plan, returns_of(view.version.id, view.as_of))
    previous = view.previous
    if previous is None:
        return now
    before = ranking.rank_units(context.status_of(previous.id, view.as_of), context.version_plan(previous.id),
                                returns_of(previous.id, view.as_of))
    return ranking.with_changes(now, before)


def build(view: context.View, views_walked: tuple[str, ...]) -> dict[str, tuple[deck.Slide, ...]]:
    """Every view's slides for the view on screen."""
    status = view.status
    wanted = set(views_walked)
    returns = returns_of(view.version.id, view.as_of) if "followups" in wanted else None
    return deck.build(
        status, views_walked,
        cards=[views.indicator_card(i) for i in status.current_indicators()] if "indicators" in wanted else (),
        ranked=ranked(view) if "tasks" in wanted else (),
        judged=followups.by_light(followups.judged()) if "followups" in wanted else (),
        unreported=returns.to_chase if returns is not None else (),
        month_label=view.as_of.label,
    )


def take_over(name: str, view: context.View) -> None:
    """In meeting mode: draw this view's slide of the walk (and stop the page there). Nothing otherwise."""
    if not meeting.is_on():
        return
    walk = meeting.current_walk()
    slides = build(view, walk.views)
    walk = meeting.reshape(deck.shape(slides, walk.views))
    shown = slides.get(name) or (deck.Slide(name, "quiet", view.plan.short_title, ()),)
    page = walk.page if walk.view == name else 0
    meeting.mirror_slide(page)
    slide = shown[min(page, len(shown) - 1)]
    st.container(key="meeting_title").title(meeting.title_of(name))
    st.html(STYLE)
    st.html(_frame(slide, view))
    if slide.part in ("counts", "exceptions") and slide.items:
        with st.expander("对红灯、黄灯事项交办督办"):
            followups.raise_form("overview_raise", followups.alert_choices(view.status.exceptions()), view)
    st.stop()


def _frame(slide: deck.Slide, view: context.View) -> str:
    """The slide: its heading (numbered when its part has several), where the figures stand, its body."""
    months, share = views.year_elapsed(view.as_of)
    where = f"数据截至 {view.as_of.label}　{view.as_of.year}年序时进度 {share:.1%}"
    rest = (f'<div class="yz-rest">另有 {slide.rest} 项，见下一页（{slide.number + 1}/{slide.of}）</div>'
            if slide.rest else "")
    return (f'<div class="yz-slide" data-part="{slide.part}">'
            f'<div class="yz-head"><div class="yz-heading">{html.escape(slide.title)}</div>'
            f'<div class="yz-where">{html.escape(where)}</div></div>'
            f'{DRAW[slide.part](slide, view)}{rest}</div>')
