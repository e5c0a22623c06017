"""会议模式: large type, no sidebar or toolbar, and an automatic walk through the
views that can be paused and stepped by hand (?mode=meeting in the URL).

The walk's logic is yzlogi.meeting.Walk (pure); this module keeps one Walk per
session, draws the control bar and ticks a one-second fragment that moves to
the next view when the countdown runs out.
"""

from __future__ import annotations

import time

import streamlit as st

from ui import shell, urlstate
from ui.nav import PAGES
from yzlogi import meeting

MODE_KEY = "mode"  # URL: ?mode=meeting
ON_KEY = "meeting_on"  # the sidebar toggle
SECONDS_KEY = "every"  # URL: ?every=45
WALK_KEY = "_meeting_walk"
MEETING = "meeting"
_PATHS = {spec.url_path: spec.path for spec in PAGES}
_TITLES = {spec.url_path: spec.title for spec in PAGES}

# Meeting mode's look. Constant CSS, never built from data. Tables are drawn
# as HTML in meeting mode (render.table) so that this type size applies to them.
STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
[data-testid="stHeader"], [data-testid="stDecoration"], [data-testid="stMainMenu"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 1.2rem 2.5rem 3rem 2.5rem !important; }
[data-testid="stAppViewContainer"] { font-size: 24px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stCaptionContainer"], [data-testid="stTable"] td, [data-testid="stTable"] th,
[data-testid="stAlertContainer"] p, [data-testid="stMetricLabel"] p, div[data-baseweb="select"] div,
[data-testid="stBadge"] { font-size: 24px !important; line-height: 1.45 !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important; line-height: 1.2 !important; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.4rem !important; } h3 { font-size: 2rem !important; }
[data-testid="stButton"] button p { font-size: 22px !important; }
</style>
"""


def clock() -> float:
    """The walk's clock; tests move time by shifting the walk's start instead."""
    return time.monotonic()


def is_on() -> bool:
    return bool(st.session_state.get(ON_KEY))


def mode_switch() -> None:
    """The sidebar switch into meeting mode, kept in the URL (?mode=meeting)."""
    urlstate.adopt(ON_KEY, False, lambda text: True if text == MEETING else None, param=MODE_KEY)
    st.sidebar.toggle(
        "会议模式",
        key=ON_KEY,
        help="大字号、隐藏侧边栏，按 " + " → ".join(_TITLES[v] for v in meeting.views_for(shell.plan())) + " 自动翻页。",
    )
    urlstate.mirror(MODE_KEY, MEETING if is_on() else None)


def _leave() -> None:
    st.session_state[ON_KEY] = False
    st.session_state.pop(WALK_KEY, None)


def _go(view: str) -> None:
    st.switch_page(_PATHS[view], query_params=urlstate.keep())


def _walk(current: str, seconds: int) -> meeting.Walk:
    """The session's walk, following the page actually shown (a link or the menu may move it)."""
    now = clock()
    walk = st.session_state.get(WALK_KEY)
    if walk is None:
        walk = meeting.Walk(current, started=now, seconds=seconds, views=meeting.views_for(shell.plan()))
    if walk.view != current:
        walk = walk.show(current, now)
    if walk.seconds != seconds:
        walk = walk.with_seconds(seconds, now)
    st.session_state[WALK_KEY] = walk
    return walk


def controls(current: str) -> None:
    """Meeting mode's style and control bar, drawn above the page; nothing in normal mode."""
    if not is_on():
        st.session_state.pop(WALK_KEY, None)
        return
    st.html(STYLE)
    bar = st.columns([1.1, 1.1, 1.1, 3.2, 1.6, 1.4], vertical_alignment="center")
    urlstate.adopt(SECONDS_KEY, meeting.DEFAULT_SECONDS,
                   lambda text: meeting.clamp_seconds(int(text)) if text.isdigit() else None)
    seconds = bar[4].number_input(
        "翻页间隔（秒）", min_value=meeting.MIN_SECONDS, max_value=meeting.MAX_SECONDS, step=5, key=SECONDS_KEY,
    )
    urlstate.mirror(SECONDS_KEY, None if seconds == meeting.DEFAULT_SECONDS else str(seconds))
    walk = _walk(current, meeting.clamp_seconds(seconds))
    if bar[0].button("上一页", icon=":material/skip_previous:", key="meeting_prev", width="stretch"):
        st.session_state[WALK_KEY] = walk.advance(clock(), -1)
        _go(st.session_state[WALK_KEY].view)
    if walk.paused:
        if bar[1].button("继续", icon=":material/play_arrow:", key="meeting_resume", width="stretch"):
            st.session_state[WALK_KEY] = walk.resume(clock())
            st.rerun()
    elif bar[1].button("暂停", icon=":material/pause:", key="meeting_pause", width="stretch"):
        st.session_state[WALK_KEY] = walk.pause(clock())
        st.rerun()
    if bar[2].button("下一页", icon=":material/skip_next:", key="meeting_next", width="stretch"):
        st.session_state[WALK_KEY] = walk.advance(clock(), 1)
        _go(st.session_state[WALK_KEY].view)
    with bar[3]:
        _countdown()
    bar[5].button("退出会议模式", icon=":material/close_fullscreen:", key="meeting_exit", on_click=_leave,
                  width="stretch")


@st.fragment(run_every=1)
def _countdown() -> None:
    """Ticks every second: shows the time left and moves on when it runs out."""
    walk = st.session_state.get(WALK_KEY)
    if walk is None:
        return
    now = clock()
    if walk.due(now):
        st.session_state[WALK_KEY] = walk.advance(now)
        _go(st.session_state[WALK_KEY].view)
    upcoming = _TITLES[walk.upcoming()]
    if walk.paused:
        st.markdown(f"**已暂停**　下一页：{upcoming}")
    else:
        st.markdown(f"下一页：{upcoming}　**{walk.remaining(now):.0f}** 秒后")
