"""Meeting mode's deck: what goes on each slide of each view, so that every slide fits one
16:9 screen (1920×1080, 1366×768) with nothing to scroll.

Slides are laid out in screen units: 1 u is a hundredth of the largest 16:9 box the
window holds (CSS `min(1vh, 0.5625vw)`), so a slide that fits one 16:9 screen fits
every one, and its paging does not depend on the screen. The sizes below are the ones
ui/slides.py draws with; how much text a slide holds is estimated from them (a CJK
character is 1 em wide, a Latin one at most 0.6 em), a little on the generous side, and
content longer than a slide goes on to the next one, titled "（2/3）".

Pure: statuses, rankings, follow-up items and returns are passed in; nothing here draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from yzlogi.levels import RED, YELLOW
from yzlogi.status import Alert, Status

# --- the layout, in u (ui/slides.py draws with the same figures) ----------------------------

WIDTH = 170.0  # the slide's width: 177.8 u of a 16:9 screen less the side padding
HEIGHT = 76.0  # the slide's height under the control bar, a notice and the title
EXPANDER = 6.0  # 总览's form to raise a 督办 item, under its slides
GAP = 1.2  # between columns, cards and tiles
BODY = 2.2  # body type
SMALL = 1.8  # secondary type (reasons on cards, the items of a unit)
LINE = 1.35  # line height, in multiples of the type size
HEADING = 4.4  # a slide's heading (type 2.8 u) and the space under it
POINTER = 3.2  # the line "另有 N 项，见下一页"
ROW_PAD = 1.2  # a table row's vertical padding and rule
COUNTS = 16.0  # 总览's four counts (numbers 8 u high: three and a half times the body type)

# Tables: column widths in u (None: what is left), and the type of each column.
EXCEPTIONS = (("灯", 9.0), ("事项", 44.0), ("原因", None), ("牵头单位", 26.0))
FOLLOWUPS = (("灯", 9.0), ("编号", 8.0), ("事项", 44.0), ("办理单位", 24.0), ("截止日期", 17.0), ("说明", None))
RETURNS = (("灯", 9.0), ("单位", 26.0), ("报送", 22.0), ("未报事项", None))
RANKING = (("名次", 8.0), ("单位", 26.0), ("红灯", 9.0), ("黄灯", 9.0), ("报送", 21.0), ("较上一版本", 24.0),
           ("红灯、黄灯事项", None))
CARD_COLUMNS = 4  # indicator cards per row
CARD_TITLE, CARD_VALUE = 2.2, 4.4
ROUTES_PER_SLIDE = 3
FLEET_PER_SLIDE = 4
HEATMAP_ROW = 3.4  # one task's row of the heatmap
HEATMAP_HEAD = 6.0  # the units' names over the columns (two lines of 1.6 u)
HEATMAP_LEGEND = 3.0


def widths(columns: Sequence[tuple[str, float | None]]) -> dict[str, float]:
    """Each column's width in u, the free one taking what the others and the gaps leave."""
    fixed = sum(w for _, w in columns if w is not None) + GAP * (len(columns) - 1)
    return {name: (WIDTH - fixed if w is None else w) for name, w in columns}


def em(text: str) -> float:
    """The width of a text in em: 1 for CJK and full-width signs, 0.6 for Latin letters and digits."""
    return sum(0.6 if ord(ch) < 0x2000 else 1.0 for ch in str(text))


def lines(text: str, width: float, size: float = BODY) -> int:
    """How many lines a text wraps to in a box `width` u wide at type `size` u (one em spared
    per line for a Latin word that does not break)."""
    room = max(1.0, width / size - 1.0)
    return max(1, math.ceil(em(text) / room))


def text_height(text: str, width: float, size: float = BODY) -> float:
    return lines(text, width, size) * size * LINE


def row_height(cells: dict[str, tuple[str, float]], columns: Sequence[tuple[str, float | None]]) -> float:
    """A table row: its tallest cell. `cells`: column → (text, type size)."""
    room = widths(columns)
    return max(text_height(text, room[name] - 1.2, size) for name, (text, size) in cells.items()) + ROW_PAD


def table_head(columns) -> float:
    return BODY * LINE + ROW_PAD


# --- slides --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slide:
    """One slide: a part of a view (its kind), the items it shows, and its place in the part."""

    view: str
    part: str  # counts | exceptions | indicators | routes | fleet | heatmap | ranking | followups | returns | quiet
    heading: str
    items: tuple
    number: int = 1  # this slide within its part, from 1
    of: int = 1  # the part's slides
    rest: int = 0  # the part's items on the slides after this one

    @property
    def title(self) -> str:
        """The heading, numbered when the part takes several slides: 需要关注：红灯、黄灯（2/3）."""
        return f"{self.heading}（{self.number}/{self.of}）" if self.of > 1 else self.heading


def paginate(costs: Sequence[float], room: float, first_room: float | None = None) -> list[tuple[int, int]]:
    """Items of the given heights in order onto slides of `room` u (the first `first_room`):
    [start, end) per slide; an item taller than a slide gets a slide of its own."""
    pages, start, used = [], 0, 0.0
    limit = room if first_room is None else first_room
    for index, cost in enumerate(costs):
        if index > start and used + cost > limit:
            pages.append((start, index))
            start, used, limit = index, 0.0, room
        used += cost
    if start < len(costs) or not pages:
        pages.append((start, len(costs)))
    return pages


def _part(view: str, part: str, heading: str, items: Sequence, costs: Sequence[float], room: float,
          first_room: float | None = None, pointer: bool = True) -> list[Slide]:
    """A part's slides: its items paged by their heights (each slide keeps room for the
    "另有 N 项" line while items are left for the next)."""
    spare = POINTER if pointer else 0.0
    pages = paginate(costs, room - spare, None if first_room is None else first_room - spare)
    return [
        Slide(view, part, heading, tuple(items[a:b]), number, len(pages), len(items) - b)
        for number, (a, b) in enumerate(pages, start=1)
    ]


def exception_cells(alert: Alert) -> dict[str, tuple[str, float]]:
    """The cells of an exception row that wrap (the light is a badge on one line)."""
    return {"事项": (alert.title, BODY), "原因": (alert.why, BODY),
            "牵头单位": ("、".join(alert.departments), BODY)}


def overview(status: Status) -> list[Slide]:
    """The counts with the first exceptions (as many as fit), the rest on further slides."""
    alerts = status.exceptions()
    costs = [row_height(exception_cells(a), EXCEPTIONS) for a in alerts]
    room = HEIGHT - EXPANDER - HEADING - table_head(EXCEPTIONS)
    slides = _part("overview", "exceptions", "需要关注：红灯、黄灯", alerts, costs, room, room - COUNTS)
    first = slides[0]
    return [Slide("overview", "counts", first.heading, first.items, first.number, first.of, first.rest),
            *slides[1:]]


def card_height(title: str, value: str, lines_below: Sequence[str], why: str) -> float:
    """An indicator card: title, the value in large type, target and 序时, the reason."""
    inner = (WIDTH - GAP * (CARD_COLUMNS - 1)) / CARD_COLUMNS - 2.4
    value_size = CARD_VALUE if em(value) * CARD_VALUE <= inner else BODY
    return (text_height(title, inner - 7.0, CARD_TITLE) + text_height(value, inner, value_size)
            + sum(text_height(t, inner, SMALL) for t in lines_below) + text_height(why, inner, SMALL) + 3.6)


def indicators(cards: Sequence[dict[str, str]]) -> list[Slide]:
    """The indicator cards (views.indicator_card), four to a row, rows paged by their height."""
    rows = [list(cards[i:i + CARD_COLUMNS]) for i in range(0, len(cards), CARD_COLUMNS)]
    costs = [max(card_height(c["title"], c["value"], [f"目标 {c['target']}", f"序时进度 {c['expected']}"], c["why"])
                 for c in row) + GAP for row in rows]
    pages = paginate(costs, HEIGHT - HEADING)
    heading = "年度指标"
    return [Slide("indicators", "indicators", heading, tuple(c for row in rows[a:b] for c in row), n, len(pages),
                  sum(len(row) for row in rows[b:]))
            for n, (a, b) in enumerate(pages, start=1)]


def fixed(view: str, part: str, heading: str, items: Sequence, per_slide: int) -> list[Slide]:
    """Items that take a fixed share of a slide each (route and fleet tiles)."""
    chunks = [tuple(items[i:i + per_slide]) for i in range(0, len(items), per_slide)] or [()]
    return [Slide(view, part, heading, chunk, n, len(chunks), len(items) - min(n * per_slide, len(items)))
            for n, chunk in enumerate(chunks, start=1)]


def heatmap(status: Status) -> list[Slide]:
    """The tasks × units grid: as many tasks' rows as fit on a slide."""
    room = HEIGHT - HEADING - HEATMAP_HEAD - HEATMAP_LEGEND
    return _part("tasks", "heatmap", "部门任务热力图", status.tasks, [HEATMAP_ROW] * len(status.tasks), room,
                 pointer=False)


def ranking_cells(row) -> dict[str, tuple[str, float]]:
    change = row.change.text() if row.change else "——"
    return {"单位": (row.unit, BODY), "报送": (row.reporting_text, BODY), "较上一版本": (change, BODY),
            "红灯、黄灯事项": ("、".join(row.items) or "——", SMALL)}


def ranking(rows: Sequence) -> list[Slide]:
    """The units' ranking (yzlogi.ranking), rows paged by their height."""
    costs = [row_height(ranking_cells(r), RANKING) for r in rows]
    return _part("tasks", "ranking", "单位亮牌：红灯、黄灯与报送", rows, costs, HEIGHT - HEADING - table_head(RANKING))


def followup_cells(judged) -> dict[str, tuple[str, float]]:
    """The cells of a 督办 row but 事项 (its subject over its requirement, measured apart)."""
    item = judged.item
    return {"办理单位": ("、".join(item.units), BODY), "说明": (f"{judged.light.state}：{judged.light.text}", BODY)}


def _followup_height(judged) -> float:
    room = widths(FOLLOWUPS)
    item = judged.item
    subject = text_height(item.subject, room["事项"] - 1.2) + text_height(item.requirement, room["事项"] - 1.2, SMALL)
    others = row_height(followup_cells(judged), FOLLOWUPS) - ROW_PAD
    return max(subject, others) + ROW_PAD


def followups(items: Sequence) -> list[Slide]:
    """The 督办 items that are overdue or due soon (service.Judged, overdue first)."""
    late = [j for j in items if j.light.level in (RED, YELLOW)]
    if not late:
        return []
    return _part("followups", "followups", "督办事项：逾期与临期", late, [_followup_height(j) for j in late],
                 HEIGHT - HEADING - table_head(FOLLOWUPS))


def returns_cells(unit) -> dict[str, tuple[str, float]]:
    return {"单位": (unit.unit, BODY), "报送": ("部分报送 00/00", BODY),
            "未报事项": ("、".join(item.title for item in unit.unsent), BODY)}


def returns(units: Sequence, month_label: str) -> list[Slide]:
    """The units that still owe rows for the month (returns.Returns.to_chase)."""
    if not units:
        return []
    return _part("followups", "returns", f"{month_label}尚未报齐的单位", units,
                 [row_height(returns_cells(u), RETURNS) for u in units], HEIGHT - HEADING - table_head(RETURNS))


def build(status: Status, views: Sequence[str], *, cards: Sequence[dict[str, str]] = (),
          ranked: Sequence = (), judged: Sequence = (), unreported: Sequence = (),
          month_label: str = "") -> dict[str, tuple[Slide, ...]]:
    """Every view's slides, in the walk's order. A view with nothing to show (no 督办 item
    overdue or due soon, every unit reported) keeps one slide that says so."""
    makers: dict[str, Callable[[], list[Slide]]] = {
        "overview": lambda: overview(status),
        "indicators": lambda: indicators(cards),
        "routes": lambda: fixed("routes", "routes", "通道班次", status.routes, ROUTES_PER_SLIDE),
        "fleet": lambda: fixed("fleet", "fleet", "船舶更新", status.fleet, FLEET_PER_SLIDE),
        "tasks": lambda: heatmap(status) + ranking(ranked),
        "followups": lambda: followups(judged) + returns(unreported, month_label)
        or [Slide("followups", "quiet", "督办与报送", ())],
    }
    return {view: tuple(makers[view]()) for view in views if view in makers}


def shape(deck: dict[str, tuple[Slide, ...]], views: Sequence[str]) -> tuple[int, ...]:
    """How many slides each view has, in the walk's order (for meeting.Walk.pages)."""
    return tuple(len(deck.get(view, ())) or 1 for view in views)
