"""Target texts as the plan writes them, and the quantities inside running text.

A target cell of the indicator table is read from its words alone (维持在10%左右,
5%以上, 2家, the route runs); loading checks that the typed value stored beside it
says the same, so a wrong number in the plan file cannot go unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"(\d+(?:\.\d+)?)"
# Units a target may be counted in; a plan with another unit adds it here.
UNITS = ("%", "家", "个", "艘", "班次", "亿元", "万元", "万吨", "吨", "条", "项", "列", "次", "名")
_UNIT = "(" + "|".join(sorted(UNITS, key=len, reverse=True)) + ")"
_TEXT_UNIT = "(" + "|".join(sorted((u for u in UNITS if u not in ("班次", "列", "次", "名")), key=len, reverse=True)) + ")"
_AROUND = re.compile(rf"^维持在{_NUMBER}{_UNIT}左右$")
_AT_LEAST = re.compile(rf"^{_NUMBER}{_UNIT}以上$")
_EXACT = re.compile(rf"^{_NUMBER}{_UNIT}$")
_ROUTE_PART = re.compile(r"“([^”]+)”年均开行(\d+)班次")
# A number with a unit inside running text ("新增4艘以上海运船舶", "引进1—2家…").
_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)(?:[—\-－~～](\d+(?:\.\d+)?))?" + _TEXT_UNIT + "(以上)?")


@dataclass(frozen=True)
class ParsedTarget:
    """What a target cell of 附件1 says, read from its words alone."""

    form: str  # around | at_least | exact | routes
    value: float | None
    unit: str
    parts: tuple[tuple[str, int], ...] = ()


def parse_target_text(text: str) -> ParsedTarget:
    """Read a 附件1 target cell: 维持在10%左右, 5%以上, 2家, 26个, or the route runs."""
    compact = "".join(text.split())
    if match := _AROUND.match(compact):
        return ParsedTarget("around", float(match.group(1)), match.group(2))
    if match := _AT_LEAST.match(compact):
        return ParsedTarget("at_least", float(match.group(1)), match.group(2))
    if match := _EXACT.match(compact):
        return ParsedTarget("exact", float(match.group(1)), match.group(2))
    parts = tuple((name, int(runs)) for name, runs in _ROUTE_PART.findall(compact))
    if parts and "".join(_ROUTE_PART.sub("", compact).split("，")) == "":
        return ParsedTarget("routes", None, "班次", parts)
    raise ValueError(f"无法解析的目标表述：“{text}”")


def parse_quantity_in_text(text: str) -> tuple[float, float | None, str, bool] | None:
    """The first number-with-unit in running text: (value, top of range, unit, 以上)."""
    match = _IN_TEXT.search(text)
    if not match:
        return None
    top = float(match.group(2)) if match.group(2) else None
    return float(match.group(1)), top, match.group(3), bool(match.group(4))


FORM_OF_KIND = {
    "band": "around",
    "floor": "at_least",
    "annual_flow": "exact",
    "level": "exact",
    "composite": "routes",
}
