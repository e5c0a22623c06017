"""Finding elements on an AppTest page by what a user reads, not by their position."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """An HTML table's text read back as a dataframe held it: a column of whole numbers as ints
    (an empty cell as None), any other column as text."""
    out = frame.copy()
    for column in out.columns:
        cells = [c for c in out[column] if c != ""]
        if cells and all(c.lstrip("-").isdigit() for c in cells):
            out[column] = pd.Series([int(c) if c != "" else None for c in out[column]], dtype=object, index=out.index)
    return out


def download(at, label: str):
    """The one download button whose label starts with `label`."""
    found = [b for b in at.get("download_button") if b.proto.label.startswith(label)]
    assert len(found) == 1, f"{len(found)} download buttons labelled {label!r}: " + \
        repr([b.proto.label for b in at.get("download_button")])
    return found[0]


def frame_with(at, *columns: str):
    """The one table on the page (render.table's HTML, or an st.dataframe) that has all of
    `columns`, as a pandas frame (an HTML table's cells as shown: text)."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    found += [_typed(t) for t in tables(at) if set(columns) <= set(t.columns)]
    assert len(found) == 1, f"{len(found)} tables with the columns {columns!r}"
    return found[0]


class _Tables(HTMLParser):
    """The HTML tables of ui.htmltable (class yz-table): header → cell text, as typed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._depth = 0  # inside a yz-table
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "yz-table") in attrs:
            self._depth = 1
            self.tables.append([])
        elif self._depth and tag == "tr":
            self.tables[-1].append([])
        elif self._depth and tag in ("th", "td"):
            self._cell = []
        elif self._cell is not None and tag == "br":
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if self._depth and tag in ("th", "td") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._depth = 0

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse_tables(body: str) -> list[pd.DataFrame]:
    """The yz-tables in an HTML text, each as a frame of strings."""
    parser = _Tables()
    parser.feed(body)
    return [pd.DataFrame(rows[1:], columns=rows[0]) for rows in parser.tables if rows]


def tables(at) -> list[pd.DataFrame]:
    """Every table the page draws with render.table (HTML), in page order, as frames of the shown text."""
    return [frame for html in at.html for frame in parse_tables(html.proto.body)]


def table_with(at, *columns: str) -> pd.DataFrame:
    """The one HTML table on the page that has all of `columns` (shown text)."""
    found = [t for t in tables(at) if set(columns) <= set(t.columns)]
    assert len(found) == 1, f"{len(found)} tables with the columns {columns!r}: " + \
        repr([list(t.columns) for t in tables(at)])
    return found[0]


class _Cards(HTMLParser):
    """The phone cards of ui.htmltable (li.yz-card): each card's text, parts joined by " | "."""

    BLOCKS = {"div", "p", "details", "summary"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cards: list[list[str]] = []
        self._card: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "li" and ("class", "yz-card") in attrs:
            self._card = [""]
        elif self._card is not None and tag in self.BLOCKS:
            self._card.append("")
        elif self._card is not None and tag == "span":
            self._card[-1] += " "

    def handle_endtag(self, tag):
        if tag == "li" and self._card is not None:
            self.cards.append([" ".join(part.split()) for part in self._card if part.strip()])
            self._card = None

    def handle_data(self, data):
        if self._card is not None:
            self._card[-1] += data


def cards(at) -> list[list[list[str]]]:
    """Per HTML table with cards, in page order: each card as its lines (head, meta, paragraphs, …)."""
    out = []
    for html in at.html:
        if html.proto.body.startswith('<div class="yz-t') and "yz-cards" in html.proto.body:
            parser = _Cards()
            parser.feed(html.proto.body)
            out.append(parser.cards)
    return out
