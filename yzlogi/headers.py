"""Finding a sheet's header row: the first of the top rows that names every required column.

Officials put titles, merged cells and notes above the header (up to MAX_TITLE_ROWS
rows), write headers with spaces, line breaks or a unit in brackets, and sometimes
name a column twice (序号 beside 任务编号): all of that is found here. A CSV is matched
to its sheet by the same means, by its header rather than its file name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yzlogi import reader
from yzlogi.schema import MAX_TITLE_ROWS, Column, Sheet, header_key

@dataclass
class Header:
    index: int  # 0-based row of the header
    columns: dict[str, int]  # column key → array index
    unknown: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str, Column]] = field(default_factory=list)

    def complete(self, sheet: Sheet) -> bool:
        return all(c.key in self.columns for c in sheet.required_columns)


def head(raw: reader.RawSheet) -> list[list[str | None]]:
    """The first rows that may hold the header, as lists of cell texts."""
    count = min(raw.rows, MAX_TITLE_ROWS + 1)
    columns = [column.slice(0, count).to_pylist() for column in raw.columns]
    return [[column[i] for column in columns] for i in range(count)]


_HEADER_INDEX: dict[str, dict[str, Column]] = {}


def match_header(sheet: Sheet, text: str) -> Column | None:
    """Sheet.match_header, with the sheet's folded headers computed once."""
    index = _HEADER_INDEX.get(sheet.key)
    if index is None:
        index = {}
        for column in sheet.columns:
            for name in column.headers:
                index.setdefault(header_key(name), column)
        _HEADER_INDEX[sheet.key] = index
    key = header_key(text)
    return index.get(key) if key else None


def find_header(head: list[list[str | None]], sheet: Sheet) -> Header | None:
    """The first row holding all required column names; else the row naming most of them."""
    best: Header | None = None
    for index, cells_ in enumerate(head):
        header = Header(index, {})
        for j, text in enumerate(cells_):
            if text is None or not text.strip():
                continue
            column = match_header(sheet, text)
            if column is None:
                header.unknown.append((j, text.strip()))
            elif column.key not in header.columns:
                header.columns[column.key] = j
            else:
                # Two cells name one column (序号 and 任务编号): the exact header wins.
                kept = header.columns[column.key]
                if header_key(text) == header_key(column.header) and header_key(cells_[kept]) != header_key(column.header):
                    header.columns[column.key], j, text = j, kept, cells_[kept]
                header.duplicates.append((j, text.strip(), column))
        if header.complete(sheet):
            return header
        required = sum(1 for c in sheet.required_columns if c.key in header.columns)
        if required and (best is None or required > sum(1 for c in sheet.required_columns if c.key in best.columns)):
            best = header
    return best


def match_csv(raw: reader.RawSheet, sheets: tuple[Sheet, ...]) -> tuple[Sheet, Header] | None:
    """The sheet whose required columns all appear in a CSV's header; most columns matched wins."""
    rows = head(raw)
    best = None
    for sheet in sheets:
        header = find_header(rows, sheet)
        if header is not None and header.complete(sheet):
            if best is None or len(header.columns) > len(best[1].columns):
                best = (sheet, header)
    return best
