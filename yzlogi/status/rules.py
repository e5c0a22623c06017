"""The shared light rules: the Light, the ratio/floor/band rules, 序时进度 and how it is written.

design.md «Status rules», with every threshold read from plan.thresholds. Every
light carries the one line of Chinese that says how it was computed
("序时进度 1500，实际 1400，完成序时进度 93.3% → 黄灯"); the modules of each plan
part (indicators, routes, fleet, tasks, goals) build their lights from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from yzlogi.levels import GREEN, GREY, LEVELS, RED, YELLOW
from yzlogi.months import Month
from yzlogi.plan import Plan, Thresholds

# Ratios and points are compared with this slack so that a boundary computed in
# floating point (30 ÷ (100 × 4/12) = 0.8999999999999999) lands on the side the
# rules document (exactly 0.90 is yellow).
TOLERANCE = 1e-9

# Why a light is grey; shown in brackets after 灰灯.
PENDING = "待报送"  # indicator, route or goal: no value yet (statistics arrive late)
NOT_REPORTED = "未报送"  # task unit: no report for the as-of month
NOT_STARTED = "未开始"  # a plan year after the as-of year

TASK_STATUS_LEVELS = {"序时推进": GREEN, "未启动": YELLOW, "滞后": RED}  # design: task rule
TASK_DONE = "已完成"
SHIP_DONE = "已完成"
SHIP_BUILDING = "在建"
SHIP_PLANNED = "计划"


@dataclass(frozen=True)
class Light:
    """A light and the one line that says how it was computed."""

    level: str
    text: str
    reason: str = ""  # for grey: 待报送 / 未报送 / 未开始

    @property
    def label(self) -> str:
        return LEVELS[self.level].label

    @property
    def name(self) -> str:
        return LEVELS[self.level].name

    @property
    def colour(self) -> str:
        return LEVELS[self.level].colour

    @property
    def mark(self) -> str:
        return LEVELS[self.level].mark


def arrow(body: str, level: str, reason: str = "") -> Light:
    """'body → 黄灯' (no space after a closing bracket), grey with its reason."""
    sep = "→ " if body.endswith("）") else " → "
    tail = LEVELS[level].name + (f"（{reason}）" if reason else "")
    return Light(level, f"{body}{sep}{tail}", reason)


def at_least(value: float, bound: float) -> bool:
    """value ≥ bound, with TOLERANCE relative to the bound's size."""
    return value >= bound - TOLERANCE * max(1.0, abs(bound))


def ratio_level(ratio: float, th: Thresholds) -> str:
    """Design: ratio ≥ green_ratio → green, ≥ yellow_ratio → yellow, else red."""
    if at_least(ratio, th.green_ratio):
        return GREEN
    if at_least(ratio, th.yellow_ratio):
        return YELLOW
    return RED


def floor_level(actual: float, target: float, th: Thresholds) -> str:
    """Design: floor rate — green if actual ≥ T, yellow if ≥ share × T, else red."""
    if at_least(actual, target):
        return GREEN
    if at_least(actual, th.floor_yellow_share * target):
        return YELLOW
    return RED


def band_level(deviation: float, th: Thresholds) -> str:
    """Design: band — green if |actual − T| ≤ green points, yellow if ≤ yellow points."""
    if deviation <= th.band_green_points + TOLERANCE:
        return GREEN
    if deviation <= th.band_yellow_points + TOLERANCE:
        return YELLOW
    return RED


def ratio_light(expected: float, actual: float, th: Thresholds, *, prefix: str = "", actual_note: str = "",
                expected_note: str = "", actual_word: str = "实际") -> tuple[float | None, Light]:
    """'序时进度 1500，实际 1400，完成序时进度 93.3% → 黄灯' and the ratio."""
    head = f"{prefix}序时进度 {fmt(expected, 1)}{expected_note}，{actual_word} {fmt(actual)}{actual_note}"
    if expected <= TOLERANCE:
        return None, arrow(f"{head}，序时进度为0", GREEN)
    ratio = actual / expected
    return ratio, arrow(f"{head}，完成序时进度 {fmt_ratio(ratio)}", ratio_level(ratio, th))


def short_of_deadline(head: str, as_of: Month, deadline: Month) -> Light:
    """Not achieved yet: yellow before the deadline month, red from it on."""
    if as_of < deadline:
        return arrow(f"{head}，期限{deadline.label}未到", YELLOW)
    return arrow(f"{head}，期限{deadline.label}已到", RED)


# --- time -------------------------------------------------------------------------


def evaluation_month(year: int, as_of: Month) -> Month | None:
    """December for a past year, as-of for the as-of year, None for a later year."""
    if year < as_of.year:
        return Month(year, 12)
    if year == as_of.year:
        return as_of
    return None


def not_started(year: int) -> Light:
    return arrow(f"{year}年尚未开始", GREY, NOT_STARTED)


def no_data(month: Month) -> Light:
    return arrow(f"截至{month.label}无数据", GREY, PENDING)


def months_elapsed(plan: Plan, as_of: Month) -> int:
    """Plan months elapsed at the end of as-of, within 0 … the plan's months."""
    return min(max(as_of - plan.start + 1, 0), plan.months)


# --- number and month formatting (Chinese conventions) -------------------------


def fmt(value: float | int | None, digits: int = 2) -> str:
    """A number as written on screen: 1500, 41.7, 4.55 (no trailing zeros)."""
    if value is None:
        return "——"
    rounded = round(float(value), digits)
    if abs(rounded - round(rounded)) < TOLERANCE:
        return str(int(round(rounded)))
    return f"{rounded:.{digits}f}".rstrip("0").rstrip(".")


def fmt_ratio(ratio: float) -> str:
    """A ratio as a percentage with one decimal, cut (not rounded) so 89.96% never
    reads 90.0% beside a red light: 0.9333 → 93.3%."""
    tenths = math.floor(ratio * 1000 + TOLERANCE * 1000)
    return f"{tenths / 10:.1f}%"


def month_label(month: Month | None) -> str:
    return month.label if month is not None else "——"


def iso(month: Month | None) -> str | None:
    """A month as 'YYYY-MM' for JSON, None stays None."""
    return str(month) if month is not None else None


# --- 序时进度 ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """序时进度 at the as-of month: what the ratio is taken against, and how it was reached.

    `raw` is the even-pace figure; `expected` is it rounded down to a whole unit for
    targets counted in whole items (plan: whole_units), else the same. `note` is the
    bracketed working shown after the figure: （4艘 × 22/36个月 = 2.44，按整艘计）."""

    expected: float
    raw: float
    note: str


def whole(plan: Plan, unit: str, raw: float, working: str) -> Pace:
    """A pace figure, rounded down to a whole unit when the plan counts `unit` whole (design)."""
    if not plan.counts_whole(unit):
        return Pace(raw, raw, f"（{working}）" if working else "")
    expected = float(math.floor(raw + TOLERANCE))
    if abs(expected - raw) <= TOLERANCE:
        return Pace(expected, raw, f"（{working}）" if working else "")
    return Pace(expected, raw, f"（{working} = {fmt(raw)}，按整{unit}计）")


def year_pace(plan: Plan, unit: str, start: float, target: float, month: int, base_text: str = "") -> Pace:
    """Within one year: start + (target − start) × m/12 (annual flow with start 0, or a level from its base)."""
    raw = start + (target - start) * month / 12
    if start:
        working = f"{base_text}{fmt(start)} + {fmt(target - start)} × {month}/12"
    else:
        working = f"{fmt(target)}{unit} × {month}/12"
    return whole(plan, unit, raw, working)


def deadline_pace(plan: Plan, target: float, unit: str, milestones, as_of: Month) -> Pace:
    """A target due by the plan's last December: target × elapsed / plan months, or, when
    the plan splits it by year (年度分解), milestone to milestone through each year."""
    if not milestones:
        done = months_elapsed(plan, as_of)
        return whole(plan, unit, target * done / plan.months, f"{fmt(target)}{unit} × {done}/{plan.months}个月")
    # Year-end marks: nothing before the plan, each milestone, the target at the deadline.
    marks = [(plan.baseline, 0.0)] + [(Month(m.year, 12), float(m.value)) for m in milestones]
    marks.append((plan.deadline, float(target)))
    if as_of <= plan.baseline:
        return whole(plan, unit, 0.0, "计划尚未开始")
    for (left, low), (right, high) in zip(marks, marks[1:]):
        if as_of <= right:
            span, done = right - left, as_of - left
            raw = low + (high - low) * done / span
            working = (f"年度分解：{left.label}末 {fmt(low)}{unit} → {right.label}末 {fmt(high)}{unit}，"
                       f"已过 {done}/{span}个月")
            return whole(plan, unit, raw, working)
    return whole(plan, unit, float(target), f"期限{plan.deadline.label}已过")
