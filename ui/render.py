"""Small render helpers shared by the pages: lights as badges and coloured cells,
tables that wrap (ui.htmltable), and text from workbooks made inert before it reaches Markdown."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from ui import cards, layout
from ui.htmltable import Card, cell_style, html_table
from yzlogi import levels
from yzlogi.status import Light
from yzlogi.views import exceptions_table

BADGE_COLOURS = {levels.GREEN: "green", levels.YELLOW: "yellow", levels.RED: "red", levels.GREY: "gray"}
# Every ASCII punctuation character can be backslash-escaped in CommonMark; doing
# so to text typed in a workbook stops it forming links, images, HTML, emphasis
# or Streamlit directives when shown through st.markdown.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def escape_md(text: object) -> str:
    """Text from a workbook, safe to place inside st.markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def badge(light: Light | str) -> None:
    """A light as a coloured badge that also reads without colour: ■ 红灯."""
    key = light if isinstance(light, str) else light.level
    level = levels.level(key)
    st.badge(f"{level.mark} {level.name}", color=BADGE_COLOURS[key])


def counts_row(name: str, count: int = 4) -> list:
    """Columns for a row of counts that stays one row on a phone (ui.layout's CSS)."""
    return st.container(key=f"{layout.COUNTS_KEY}_{name}").columns(count)


def light_counts(counts: dict[str, int]) -> None:
    """How many items carry each light, as four metrics in the lights' order (红 黄 灰 绿)."""
    for column, key in zip(counts_row("lights"), levels.ORDER):
        column.metric(f"{levels.level(key).mark} {levels.name(key)}", counts[key])


_cell_style = cell_style  # the light cells of st.table's Styler (meeting mode) and of the HTML tables


def _meeting() -> bool:
    # The key of ui.meeting.ON_KEY (ui.meeting imports this module, so not imported here).
    return bool(st.session_state.get("meeting_on"))


def table(frame: pd.DataFrame, light_columns: tuple[str, ...] = ("灯",), card: Card | None = None) -> None:
    """A table whose light columns are coloured cells (text marks kept).

    Drawn as HTML that wraps, so no reason or explanation is ever cut (ui.htmltable, not
    st.dataframe, whose canvas cuts every cell); with `card`, its rows are cards on a phone.
    In meeting mode it is an st.table, which takes the large type."""
    if _meeting():
        full_table(frame, light_columns)
        return
    st.html(html_table(frame, light_columns, card))


def full_table(frame: pd.DataFrame, light_columns: tuple[str, ...] = ("灯",)) -> None:
    """A static table that wraps long text (progress, problems, next steps) instead of cutting it.

    st.table renders every cell and header as Markdown, so text is escaped first."""
    present = [escape_md(c) for c in light_columns if c in frame.columns]
    frame = frame.map(lambda value: escape_md(value) if isinstance(value, str) else value)
    frame.columns = [escape_md(c) for c in frame.columns]
    styler = frame.style.hide(axis="index")
    if present and not frame.empty:
        styler = styler.map(_cell_style, subset=present)
    st.table(styler)


def alerts(status, section: str, what: str) -> None:
    """A page's red and yellow items first, each with its reason (or a line saying there are none)."""
    frame = exceptions_table(status, section).drop(columns=["类别"])
    if frame.empty:
        st.success(f"{what}没有红灯或黄灯。")
    else:
        table(frame, card=cards.ALERT)


def chart(key: tuple, build: Callable[[], alt.Chart], **kwargs) -> None:
    """An Altair chart; in meeting mode with type large enough for the back of the room.

    `key` names everything the chart is drawn from (View.key, what and which):
    `build` runs once per key and mode, not on every rerun, since building an Altair
    chart and turning it into Vega-Lite (with its schema check) takes 50–100 ms."""
    kwargs.setdefault("width", "stretch")
    st.vega_lite_chart(spec=copy.deepcopy(_vega_lite(key, _meeting(), build)), **kwargs)


@st.cache_resource(show_spinner=False, max_entries=256)
def _vega_lite(key: tuple, meeting: bool, _build: Callable[[], alt.Chart]) -> dict:
    chart = _build()
    if meeting:
        chart = (
            chart.configure_axis(labelFontSize=20, titleFontSize=20)
            .configure_legend(labelFontSize=20, titleFontSize=20, orient="bottom")
            .configure_title(fontSize=26, anchor="start")
        )
    # What st.altair_chart does on every call (spec with the data as Arrow datasets,
    # Streamlit's theme rules); tests/app/test_render.py checks the two stay equal.
    return _convert_altair_to_vega_lite_spec(chart)


def lines(items: list[str]) -> None:
    """A bulleted list of sentences that may hold workbook text, rendered inert."""
    if items:
        st.markdown("\n".join(f"- {escape_md(item)}" for item in items))
