"""The four lights (绿/黄/红/灰): keys, Chinese labels, one palette, ordering.

Everything that shows or sorts a light goes through LEVELS so that the labels,
the chart colours and the text marks are defined once (design: status rules;
style: charts use one palette).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

GREEN = "green"
YELLOW = "yellow"
RED = "red"
GREY = "grey"


@dataclass(frozen=True)
class Level:
    """One light: its key, how it is written and drawn, and how bad it is."""

    key: str
    label: str  # one character, as in tables: 绿
    name: str  # as in sentences: 绿灯
    colour: str  # hex, for charts and badges
    mark: str  # a shape that survives a black-and-white print or a poor projector
    severity: int  # for worst_of: red > yellow > grey > green (design: task lights)


LEVELS: dict[str, Level] = {
    GREEN: Level(GREEN, "绿", "绿灯", "#2E7D32", "●", 0),
    YELLOW: Level(YELLOW, "黄", "黄灯", "#F9A825", "▲", 2),
    RED: Level(RED, "红", "红灯", "#C62828", "■", 3),
    GREY: Level(GREY, "灰", "灰灯", "#9E9E9E", "○", 1),
}

# Worst first: the order of exception lists and of "red items first" views.
ORDER: tuple[str, ...] = (RED, YELLOW, GREY, GREEN)


def level(key: str) -> Level:
    """The Level for a key ('green', …); KeyError for anything else."""
    return LEVELS[key]


def label(key: str) -> str:
    return LEVELS[key].label


def name(key: str) -> str:
    return LEVELS[key].name


def colour(key: str) -> str:
    return LEVELS[key].colour


def worst_of(keys: Iterable[str], default: str = GREY) -> str:
    """The worst light among keys (red > yellow > grey > green); default when empty."""
    keys = list(keys)
    if not keys:
        return default
    return max(keys, key=lambda k: LEVELS[k].severity)


def sort_key(key: str) -> int:
    """Position in ORDER: sorting by it puts red first, green last."""
    return ORDER.index(key)


def empty_counts() -> dict[str, int]:
    """A count per light, all zero, in display order (red first)."""
    return {key: 0 for key in ORDER}


def count(keys: Iterable[str]) -> dict[str, int]:
    """How many of each light, in display order (red first)."""
    counts = empty_counts()
    for key in keys:
        counts[key] += 1
    return counts


def chart_scale() -> tuple[list[str], list[str]]:
    """(domain, range) for a chart colour scale keyed by Chinese label, worst first."""
    return [LEVELS[k].label for k in ORDER], [LEVELS[k].colour for k in ORDER]
