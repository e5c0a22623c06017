"""The key indicators: each one in each plan year against its target and 序时进度.

Kinds (plan file): annual_flow (T × m/12), level (B + (T − B) × m/12 from last
December's value), floor (a rate at least T), band (a rate around T), composite
(the worst of the routes, so one route behind cannot hide behind the others).
An indicator may be checked against a register (plan: `register`): the register's
count for the month stands beside the reported value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from yzlogi.levels import GREEN, GREY, LEVELS, RED, worst_of
from yzlogi.months import Month, month_range
from yzlogi.plan import Indicator, Plan
from yzlogi.status.routes import RouteStatus, RouteYear
from yzlogi.status.rows import month_of, upto
from yzlogi.status.rules import (
    PENDING, Light, arrow, band_level, evaluation_month, floor_level, fmt, iso, no_data, not_started, ratio_light,
    year_pace,
)


@dataclass(frozen=True)
class IndicatorStatus:
    """One 附件1 indicator in one plan year."""

    no: int
    name: str
    year: int
    kind: str
    unit: str
    target_text: str
    target: float | None
    evaluated_at: Month | None
    actual: float | None
    actual_month: Month | None
    expected: float | None  # 序时进度 (flow, level); the target itself for floor and band
    baseline: float | None  # level: B
    baseline_source: str
    ratio: float | None
    deviation: float | None  # band: |actual − T| in points
    light: Light
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    parts: tuple[RouteYear, ...] = ()  # composite: the routes
    register_count: int | None = None  # the count of its register (plan: register) at evaluated_at

    @property
    def title(self) -> str:
        return f"指标{self.no} {self.name}（{self.year}年）"

    def to_json(self) -> dict:
        data = {
            "no": self.no,
            "name": self.name,
            "year": self.year,
            "kind": self.kind,
            "unit": self.unit,
            "target_text": self.target_text,
            "target": self.target,
            "evaluated_at": iso(self.evaluated_at),
            "actual": self.actual,
            "actual_month": iso(self.actual_month),
            "expected": self.expected,
            "baseline": self.baseline,
            "baseline_source": self.baseline_source,
            "ratio": self.ratio,
            "deviation": self.deviation,
            "level": self.light.level,
            "explanation": self.light.text,
            "lead": list(self.lead),
            "responsible": list(self.responsible),
            "register_count": self.register_count,
        }
        if self.parts:
            data["parts"] = [p.to_json() for p in self.parts]
        return data



@dataclass(frozen=True)
class RegisterMonth:
    """The registers' counts as of the end of one month (None: register absent)."""

    month: Month
    warehouses: int | None
    forwarders: int | None
    global_forwarders: int | None

    def to_json(self) -> dict:
        return {
            "month": str(self.month),
            "warehouses": self.warehouses,
            "forwarders": self.forwarders,
            "global_forwarders": self.global_forwarders,
        }





def registers_status(plan: Plan, warehouses: list[dict], forwarders: list[dict],
                     as_of: Month) -> tuple[RegisterMonth, ...]:
    """Each register's count as of each month, from the plan's baseline month to as-of."""
    if not warehouses and not forwarders:
        return ()
    opened = [month_of(w.get("opened")) for w in warehouses]
    registered = [(month_of(f.get("registered")), bool(f.get("global_famous"))) for f in forwarders]
    out = []
    for month in month_range(plan.baseline, as_of) if as_of >= plan.baseline else []:
        out.append(
            RegisterMonth(
                month,
                sum(1 for m in opened if m is not None and m <= month) if warehouses else None,
                sum(1 for m, _ in registered if m is not None and m <= month) if forwarders else None,
                sum(1 for m, famous in registered if m is not None and m <= month and famous) if forwarders else None,
            )
        )
    return tuple(out)




def indicators_status(plan: Plan, rows: list[dict], routes: tuple[RouteStatus, ...],
                registers: tuple[RegisterMonth, ...], as_of: Month) -> tuple[IndicatorStatus, ...]:
    values: dict[int, dict[Month, float]] = {}
    for row in upto(rows, as_of):
        if row.get("indicator_no") is None or row.get("value") is None:
            continue
        values.setdefault(int(row["indicator_no"]), {})[row["_m"]] = float(row["value"])
    register_index = {r.month: r for r in registers}
    out = []
    for indicator in plan.indicators:
        for target in indicator.targets:
            status = _indicator_year(plan, indicator, target.year, values.get(indicator.no, {}), routes, as_of)
            if indicator.register and status.evaluated_at in register_index:
                count = getattr(register_index[status.evaluated_at], indicator.register)
                status = replace(status, register_count=count)
            out.append(status)
    return tuple(out)


def _indicator_year(plan: Plan, indicator: Indicator, year: int, values: dict[Month, float],
                    routes: tuple[RouteStatus, ...], as_of: Month) -> IndicatorStatus:
    th = plan.thresholds
    target = indicator.target(year)
    at = evaluation_month(year, as_of)
    base = dict(
        no=indicator.no, name=indicator.name, year=year, kind=indicator.kind, unit=indicator.unit,
        target_text=target.text, target=target.value, evaluated_at=at, actual=None, actual_month=None,
        expected=None, baseline=None, baseline_source="", ratio=None, deviation=None,
        lead=indicator.lead, responsible=indicator.responsible,
    )
    if indicator.kind == "composite":
        # 附件1 序号6: the worst of the three routes, so one behind cannot hide behind two ahead.
        parts = tuple(r.year(year) for r in routes)
        if at is None:
            return IndicatorStatus(**base, light=not_started(year), parts=parts)
        level = worst_of(p.light.level for p in parts)
        described = "，".join(_part_text(p) for p in parts)
        reason = PENDING if level == GREY else ""
        return IndicatorStatus(**base, light=arrow(f"取各线路最差：{described}", level, reason), parts=parts)
    if at is None:
        return IndicatorStatus(**base, light=not_started(year))

    in_year = [m for m in values if m.year == year and m <= at]
    if not in_year:
        return IndicatorStatus(**base, light=no_data(at))
    month = max(in_year)
    actual = values[month]
    base.update(actual=actual, actual_month=month)
    note = f"（{month.label}）" if month < at else ""
    pct = "%" if indicator.is_percent else ""
    t = target.value

    if indicator.kind == "annual_flow":
        pace = year_pace(plan, indicator.unit, 0.0, t, at.month)
        note_pace = pace.note if pace.expected != pace.raw else ""
        ratio, light = ratio_light(pace.expected, actual, th, actual_note=note, expected_note=note_pace)
        return IndicatorStatus(**{**base, "expected": pace.expected, "ratio": ratio}, light=light)
    if indicator.kind == "level":
        b, source = _baseline(indicator, year, values)
        pace = year_pace(plan, indicator.unit, b, t, at.month)
        rounding = f"；{pace.note[1:-1]}" if pace.expected != pace.raw else ""
        ratio, light = ratio_light(
            pace.expected, actual, th, actual_note=note, expected_note=f"（基数 {fmt(b)}，取{source}{rounding}）",
        )
        return IndicatorStatus(
            **{**base, "expected": pace.expected, "baseline": b, "baseline_source": source, "ratio": ratio},
            light=light,
        )
    if indicator.kind == "floor":
        level = floor_level(actual, t, th)
        bound = t if level == GREEN else th.floor_yellow_share * t
        sign = "<" if level == RED else "≥"
        body = f"目标 {target.text}，实际 {fmt(actual)}{pct}{note}（{sign} {fmt(bound)}{pct}）"
        return IndicatorStatus(**{**base, "expected": t}, light=arrow(body, level))
    if indicator.kind == "band":
        deviation = abs(actual - t)
        body = f"目标 {target.text}，实际 {fmt(actual)}{pct}{note}，偏离 {fmt(deviation)} 个百分点"
        return IndicatorStatus(**{**base, "expected": t, "deviation": deviation},
                               light=arrow(body, band_level(deviation, th)))
    raise ValueError(f"unknown indicator kind {indicator.kind!r}")


def _baseline(indicator: Indicator, year: int, values: dict[Month, float]) -> tuple[float, str]:
    """Design (level): B is the value for December of Y−1, else the target of Y−1, else T."""
    december = Month(year - 1, 12)
    if december in values:
        return values[december], f"{december.label}实际值"
    try:
        return indicator.target(year - 1).value, f"{year - 1}年目标"
    except KeyError:
        return indicator.target(year).value, f"本年目标，无{december.label}数据"


def _part_text(part: RouteYear) -> str:
    if part.actual_ytd is None:
        return f"{part.route} 无数据 {LEVELS[part.light.level].name}"
    return f"{part.route} {fmt(part.actual_ytd)}/{fmt(part.expected_ytd, 1)} {LEVELS[part.light.level].name}"


# fleet
