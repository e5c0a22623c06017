"""Tables as HTML that wraps, and the same rows as cards for a phone.

st.dataframe draws on a canvas and cuts every cell at its column's width, so the sentence
that explains a light (原因, 说明), a task's name or an error's explanation was cut off. The
pages' tables are therefore drawn as plain HTML (ui.render.table puts it on the page with
st.html): cells wrap, the table fits its container at any width, light cells keep their
colour and text mark. A table given a `Card` also carries its rows as a list of cards,
which ui.layout's CSS shows instead of the table on screens under 640 px.

Every header and cell is escaped here (html.escape, newlines as <br>): workbook text is
only ever text. Nothing in this module touches Streamlit, so it is tested as a function.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from yzlogi import levels
from yzlogi.followups.lights import CLOSED_LOOK

# Each column keeps a minimum width (em) so that wrapping never leaves a column one character
# wide: a header keeps up to HEADER_EM, a cell up to SHORT_EM when its column's cells are all
# that short (numbers, months, names), LONG_EM for a column of sentences.
HEADER_EM, SHORT_EM, LONG_EM = 4.0, 5.0, 6.5
MAX_ROWS = 40  # more rows than this scroll inside a box of their own (header kept in view)
_LOOKS = [*levels.LEVELS.values(), CLOSED_LOOK]


@dataclass(frozen=True)
class Card:
    """How one row reads as a card on a phone. Columns the table lacks are left out.

    title: the card's heading; lights: badges before it (default: the table's light
    columns; with two or more, each names its column: 任务灯 ■ 红); meta: short columns
    on one line (标签 值 · 标签 值; those in `plain` without their label); body: a
    paragraph each (标签：值); details: long columns folded under `summary` (opened by a tap)."""

    title: str
    lights: tuple[str, ...] | None = None
    meta: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    summary: str = "详情"
    plain: tuple[str, ...] = ()


def light_look(value: object):
    """The light (or 已办结) whose table text is `value` (■ 红灯), or None."""
    return next((look for look in _LOOKS if value == f"{look.mark} {look.label}"), None)


def cell_style(value: object) -> str:
    """The CSS of a light cell: its colour, with text that reads on it; "" for any other value."""
    look = light_look(value)
    if look is None:
        return ""
    text = "#111827" if look.key == levels.YELLOW else "#ffffff"
    return f"background-color: {look.colour}; color: {text}; font-weight: 700"


def text(value: object) -> str:
    """A cell's value as escaped HTML: empty for a missing value, line breaks kept."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value)).replace("\r\n", "<br>").replace("\n", "<br>")


def width(value: object) -> float:
    """How wide a text is drawn, in em: a CJK character 1, anything else about half."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in str(value))


def _widest(frame: pd.DataFrame, column) -> float:
    return max((width(line) for v in frame[column] if text(v) for line in str(v).splitlines()), default=0.0)


def min_width(frame: pd.DataFrame, column) -> float:
    """The narrowest a column may get (em), from its header and its widest cell."""
    widest = _widest(frame, column)
    cells = widest if widest <= SHORT_EM else SHORT_EM if widest <= 2 * SHORT_EM else LONG_EM
    return round(max(min(width(column), HEADER_EM), cells), 1)


def _cell(tag: str, value: object, classes: list[str], style: str = "") -> str:
    attributes = f' class="{" ".join(classes)}"' if classes else ""
    if style:
        attributes += f' style="{style}"'
    return f"<{tag}{attributes}>{text(value)}</{tag}>"


def _table(frame: pd.DataFrame, lights: list) -> str:
    classes = {}
    for column in frame.columns:
        # Lights, and columns of short cells (numbers, states, names), stay on one line.
        own = ["yz-nw"] if column in lights or _widest(frame, column) <= SHORT_EM else []
        if pd.api.types.is_numeric_dtype(frame[column]) and column not in lights:
            own.append("yz-num")
        classes[column] = own
    # A header may wrap (down to its minimum width) even over a column of short cells.
    head = "".join(_cell("th", column, [c for c in classes[column] if c != "yz-nw" or column in lights],
                         f"min-width: {min_width(frame, column)}em")
                   for column in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = [
            _cell("td", value, classes[column], cell_style(value) if column in lights else "")
            for column, value in zip(frame.columns, values)
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="yz-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _badge(value: object, name: str = "") -> str:
    named = f'<span class="yz-badge-name">{text(name)}</span> ' if name else ""
    return f'<span class="yz-badge" style="{cell_style(value)}">{named}{text(value)}</span>'


def _labelled(column: str, value: object, separator: str) -> str:
    return f'<span class="yz-k">{text(column)}{separator}</span>{text(value)}'


def _cards(frame: pd.DataFrame, lights: list, card: Card) -> str:
    present = set(frame.columns)
    badges = [c for c in (card.lights if card.lights is not None else lights) if c in present]
    meta = [c for c in card.meta if c in present]
    body = [c for c in card.body if c in present]
    details = [c for c in card.details if c in present]
    items = []
    for _, row in frame.iterrows():
        first = light_look(row[badges[0]]) if badges else None
        edge = f' style="border-left-color: {first.colour}"' if first is not None else ""
        parts = [
            '<div class="yz-card-head">' + "".join(_badge(row[c], c if len(badges) > 1 else "") for c in badges)
            + f'<span class="yz-card-title">{text(row[card.title]) if card.title in present else ""}</span></div>'
        ]
        shown_meta = [text(row[c]) if c in card.plain else _labelled(c, row[c], " ") for c in meta if text(row[c])]
        if shown_meta:
            parts.append(f'<div class="yz-meta">{" · ".join(shown_meta)}</div>')
        parts += [f"<p>{_labelled(c, row[c], '：')}</p>" for c in body if text(row[c])]
        folded = [f"<p>{_labelled(c, row[c], '：')}</p>" for c in details if text(row[c])]
        if folded:
            parts.append(f"<details><summary>{text(card.summary)}</summary>{''.join(folded)}</details>")
        items.append(f'<li class="yz-card"{edge}>{"".join(parts)}</li>')
    return f'<ul class="yz-cards">{"".join(items)}</ul>'


def html_table(frame: pd.DataFrame, light_columns: tuple[str, ...] = ("灯",), card: Card | None = None) -> str:
    """`frame` as an HTML table that wraps (and, with `card`, as cards for a phone), every text escaped."""
    lights = [c for c in light_columns if c in frame.columns]
    classes = ["yz-t"]
    if card is not None:
        classes.append("yz-has-cards")
    if len(frame) > MAX_ROWS:
        classes.append("yz-scroll")
    inner = _table(frame, lights) + (_cards(frame, lights, card) if card is not None else "")
    return f'<div class="{" ".join(classes)}">{inner}</div>'
