"""会议模式: large type, no sidebar or toolbar, and an automatic walk through the
views that can be paused and stepped by hand (?mode=meeting in the URL).

The walk's logic is yzlogi.meeting.Walk (pure); this module keeps one Walk per
session, draws the control bar and ticks a one-second fragment that moves to
the next slide when the countdown runs out (another page, or the same page at its
next slide). The slides themselves are ui/slides.py's.
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
SLIDE_PARAM = "slide"  # URL: ?slide=2, the view's second slide (absent: its first)
_SLIDE_WRITTEN = "_meeting_slide_written"  # what this session last wrote to ?slide=
WALK_KEY = "_meeting_walk"
MEETING = "meeting"
_PATHS = {spec.url_path: spec.path for spec in PAGES}
_TITLES = {spec.url_path: spec.title for spec in PAGES}

# Meeting mode's look. Constant CSS, never built from data. Sizes are in screen units
# (yzlogi.deck: 1 u = min(1vh, 0.5625vw)) so that the bar, the title and the slide below
# them fit a 16:9 screen of any size; the control bar's type never goes below 14 px, so
# its words stay whole on a 1024×768 screen. Pages outside the walk (部门详情, 计划总览, …)
# keep their long body in large type; their tables are HTML (render.table) so it applies.
STYLE = """
<style>
:root { --u: min(1vh, 0.5625vw); }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
[data-testid="stHeader"], [data-testid="stDecoration"], [data-testid="stMainMenu"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important;
  padding: calc(var(--u) * 1) calc(var(--u) * 3.9) calc(var(--u) * 1) calc(var(--u) * 3.9) !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: calc(var(--u) * 0.8) !important; }
[data-testid="stAppViewContainer"] { font-size: 24px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stCaptionContainer"], [data-testid="stTable"] td, [data-testid="stTable"] th,
[data-testid="stAlertContainer"] p, [data-testid="stMetricLabel"] p, div[data-baseweb="select"] div,
[data-testid="stBadge"] { font-size: 24px !important; line-height: 1.45 !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 3.2rem !important; line-height: 1.2 !important; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.4rem !important; } h3 { font-size: 2rem !important; }
.st-key-meeting_bar [data-testid="stButton"] button { min-height: 0 !important; padding: 0.15em 0.6em !important; }
.st-key-meeting_bar [data-testid="stButton"] button p, .st-key-meeting_bar [data-testid="stMarkdownContainer"] p,
.st-key-meeting_bar input { font-size: max(14px, calc(var(--u) * 2)) !important; line-height: 1.4 !important;
  white-space: nowrap !important; }
.st-key-meeting_bar [data-testid="stNumberInputContainer"], .st-key-meeting_bar [data-baseweb="input"] { min-height: 0 !important; }
.st-key-meeting_bar input { padding: 0.15em 0.4em !important; }
[data-testid="stAlertContainer"] { padding: calc(var(--u) * 0.5) calc(var(--u) * 1.2) !important; }
[data-testid="stAlert"] [data-testid="stMarkdownContainer"], [data-testid="stAlert"] p,
.st-key-meeting_title [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
.st-key-meeting_title [data-testid="stHeaderActionElements"] { display: none !important; }
[data-testid="stAlertContainer"] p { font-size: calc(var(--u) * 1.6) !important; line-height: 1.35 !important; }
.st-key-meeting_title h1 { font-size: calc(var(--u) * 3.6) !important; line-height: 1.2 !important; padding: 0 !important; }
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
    mirror_slide(0)


def mirror_slide(page: int) -> None:
    """Show the slide of the view in the URL (?slide=2; nothing for the first)."""
    text = str(page + 1) if page else None
    urlstate.mirror(SLIDE_PARAM, text)
    st.session_state[_SLIDE_WRITTEN] = text


def title_of(view: str) -> str:
    return _TITLES.get(view, view)


def _slide_params(page: int) -> dict[str, str]:
    """The URL's parameters with the slide of the view about to be shown (none for its first)."""
    params = {k: v for k, v in urlstate.keep().items() if k != SLIDE_PARAM}
    if page:
        params[SLIDE_PARAM] = str(page + 1)
    return params


def _go(walk: meeting.Walk, current: str) -> None:
    """Show the walk's slide: another page, or this page again at another slide."""
    st.session_state[WALK_KEY] = walk
    if walk.view != current:
        st.switch_page(_PATHS[walk.view], query_params=_slide_params(walk.page))
    st.rerun()


def _url_page() -> int | None:
    """The slide the URL names (?slide=2 → 1), None when it names none; only when the URL says
    something this session did not write itself (a link opened or followed)."""
    text = st.query_params.get(SLIDE_PARAM)
    if text is None or text == st.session_state.get(_SLIDE_WRITTEN):
        return None
    return int(text) - 1 if text.isdigit() and int(text) >= 1 else None


def _walk(current: str, seconds: int) -> meeting.Walk:
    """The session's walk, following the page actually shown (a link or the menu may move it)."""
    now = clock()
    asked = _url_page()
    walk = st.session_state.get(WALK_KEY)
    if walk is None:  # its deck's shape comes with the first slide drawn (reshape), which keeps `page` in it
        walk = meeting.Walk(current, started=now, seconds=seconds, views=meeting.views_for(shell.plan()),
                            page=asked or 0)
    elif walk.view != current or asked is not None:
        walk = walk.show(current, now, asked or 0)
    if walk.seconds != seconds:
        walk = walk.with_seconds(seconds, now)
    st.session_state[WALK_KEY] = walk
    return walk


def current_walk() -> meeting.Walk:
    """The walk as the control bar left it for this run."""
    return st.session_state[WALK_KEY]


def reshape(pages: tuple[int, ...]) -> meeting.Walk:
    """Give the walk the shape of the deck just built (slides per view); returns the walk."""
    walk = st.session_state[WALK_KEY]
    if walk.pages != tuple(pages):
        walk = walk.with_pages(pages)
        st.session_state[WALK_KEY] = walk
    return walk


def _where(walk: meeting.Walk, view: str, page: int) -> str:
    """A slide in words: 年度指标, 总览 2/3."""
    count = walk.count(view)
    return title_of(view) + (f" {page + 1}/{count}" if count > 1 else "")


def controls(current: str) -> None:
    """Meeting mode's style and control bar, drawn above the page; nothing in normal mode."""
    if not is_on():
        st.session_state.pop(WALK_KEY, None)
        return
    st.html(STYLE)
    bar = st.container(key="meeting_bar").columns([1.1, 1.1, 1.1, 2.9, 1.0, 1.2, 1.0], vertical_alignment="center")
    urlstate.adopt(SECONDS_KEY, meeting.DEFAULT_SECONDS,
                   lambda text: meeting.clamp_seconds(int(text)) if text.isdigit() else None)
    bar[4].markdown("翻页间隔（秒）")
    seconds = bar[5].number_input(
        "翻页间隔（秒）", min_value=meeting.MIN_SECONDS, max_value=meeting.MAX_SECONDS, step=5, key=SECONDS_KEY,
        label_visibility="collapsed",
    )
    urlstate.mirror(SECONDS_KEY, None if seconds == meeting.DEFAULT_SECONDS else str(seconds))
    walk = _walk(current, meeting.clamp_seconds(seconds))
    if bar[0].button("上一页", icon=":material/skip_previous:", key="meeting_prev", width="stretch"):
        _go(walk.advance(clock(), -1), current)
    if walk.paused:
        if bar[1].button("继续", icon=":material/play_arrow:", key="meeting_resume", width="stretch"):
            st.session_state[WALK_KEY] = walk.resume(clock())
            st.rerun()
    elif bar[1].button("暂停", icon=":material/pause:", key="meeting_pause", width="stretch"):
        st.session_state[WALK_KEY] = walk.pause(clock())
        st.rerun()
    if bar[2].button("下一页", icon=":material/skip_next:", key="meeting_next", width="stretch"):
        _go(walk.advance(clock(), 1), current)
    with bar[3]:
        _countdown(current)
    bar[6].button("退出", icon=":material/close_fullscreen:", key="meeting_exit", on_click=_leave,
                  width="stretch", help="退出会议模式")


@st.fragment(run_every=1)
def _countdown(current: str) -> None:
    """Ticks every second: shows the time left and moves on when it runs out."""
    walk = st.session_state.get(WALK_KEY)
    if walk is None:
        return
    now = clock()
    if walk.due(now):
        _go(walk.advance(now), current)
    upcoming = _where(walk, *walk.after(1))
    if walk.paused:
        st.markdown(f"**已暂停**　下一页：{upcoming}")
    else:
        st.markdown(f"下一页：{upcoming}　**{walk.remaining(now):.0f}** 秒后")
