"""Routes (通道运力投入强度): each plan route's runs per year against 序时进度, and the three-year total.

The plan's figures are 年均 (an average over the plan's years): each year is held
to the annual target as an annual flow (序时进度 T × m/12), and the years together
to T × the number of plan years by the deadline. Lines not in the plan are kept
as 新增线路 with their runs, without a target or a light.
"""

from __future__ import annotations

from dataclasses import dataclass

from yzlogi.months import Month, month_range
from yzlogi.plan import Plan
from yzlogi.status.rules import (
    Light, months_elapsed, evaluation_month, iso, no_data, not_started, ratio_light,
)
from yzlogi.status.rows import upto


@dataclass(frozen=True)
class MonthRuns:
    month: Month
    runs: int | None  # None: no row for that month


@dataclass(frozen=True)
class RouteYear:
    """One route in one plan year: runs to date against the annual target (annual flow)."""

    route: str
    year: int
    target: int
    evaluated_at: Month | None  # December for past years, as-of for the as-of year, None if not started
    actual_ytd: int | None  # None: no row in the year up to evaluated_at
    last_month: Month | None  # latest month with a row
    expected_ytd: float | None
    ratio: float | None
    projected_year_end: float | None  # at the pace so far: actual × 12 / m
    remaining_months: int
    required_monthly: float | None  # runs per remaining month for the annual target
    light: Light

    def to_json(self) -> dict:
        return {
            "route": self.route,
            "year": self.year,
            "target": self.target,
            "evaluated_at": iso(self.evaluated_at),
            "actual_ytd": self.actual_ytd,
            "last_month": iso(self.last_month),
            "expected_ytd": self.expected_ytd,
            "ratio": self.ratio,
            "projected_year_end": self.projected_year_end,
            "remaining_months": self.remaining_months,
            "required_monthly": self.required_monthly,
            "level": self.light.level,
            "explanation": self.light.text,
        }


@dataclass(frozen=True)
class RouteStatus:
    """One plan route: each year, and the three-year total (年均 × 3 by the deadline)."""

    route: str
    annual_target: int
    years: tuple[RouteYear, ...]
    three_year_target: int
    cumulative: int | None  # runs since the plan's first month up to as-of
    expected_cumulative: float
    ratio_cumulative: float | None
    remaining_months_3y: int
    required_monthly_3y: float | None  # runs per remaining month to reach 3 × target
    light_3y: Light
    monthly: tuple[MonthRuns, ...]  # plan start to as-of, for charts
    lead: tuple[str, ...] = ()  # who answers for the route (plan: lead)

    def year(self, year: int) -> RouteYear:
        for item in self.years:
            if item.year == year:
                return item
        raise KeyError(year)

    def totals_json(self) -> dict:
        return {
            "route": self.route,
            "three_year_target": self.three_year_target,
            "cumulative": self.cumulative,
            "expected_cumulative": self.expected_cumulative,
            "ratio": self.ratio_cumulative,
            "remaining_months": self.remaining_months_3y,
            "required_monthly_3y": self.required_monthly_3y,
            "level": self.light_3y.level,
            "explanation": self.light_3y.text,
        }


@dataclass(frozen=True)
class NewLine:
    """A line not in the plan (增开新线路): shown with its runs, no target, no light."""

    route: str
    first_month: Month
    total: int  # all runs up to as-of
    ytd: int  # runs in the as-of year
    monthly: tuple[MonthRuns, ...]

    def to_json(self) -> dict:
        return {
            "route": self.route,
            "first_month": str(self.first_month),
            "total": self.total,
            "ytd": self.ytd,
            "monthly": [{"month": str(r.month), "runs": r.runs} for r in self.monthly],
        }



def routes_status(plan: Plan, rows: list[dict], as_of: Month) -> tuple[tuple[RouteStatus, ...], tuple[NewLine, ...]]:
    rows = [r for r in upto(rows, as_of) if r.get("route") is not None]
    plan_names = {r.name for r in plan.routes}
    runs_by_route: dict[str, dict[Month, int]] = {}
    for row in rows:
        runs = row.get("runs")
        by_month = runs_by_route.setdefault(row["route"], {})
        by_month[row["_m"]] = by_month.get(row["_m"], 0) + (int(runs) if runs is not None else 0)

    chart_months = month_range(plan.start, min(as_of, plan.deadline)) if as_of >= plan.start else []
    statuses = []
    for route in plan.routes:
        by_month = runs_by_route.get(route.name, {})
        years = tuple(_route_year(plan, route.name, route.annual_target, by_month, year, as_of) for year in plan.years)
        statuses.append(_route_totals(plan, route.name, route.annual_target, by_month, years, chart_months, as_of,
                                      route.lead))

    new_lines = []
    for name in sorted(n for n in runs_by_route if n not in plan_names):
        by_month = runs_by_route[name]
        first = min(by_month)
        new_lines.append(
            NewLine(
                route=name,
                first_month=first,
                total=sum(by_month.values()),
                ytd=sum(v for m, v in by_month.items() if m.year == as_of.year),
                monthly=tuple(MonthRuns(m, by_month.get(m)) for m in month_range(min(first, as_of), as_of)),
            )
        )
    return tuple(statuses), tuple(new_lines)


def _route_year(plan: Plan, name: str, target: int, by_month: dict[Month, int], year: int, as_of: Month) -> RouteYear:
    """Annual flow (design): expected T × m / 12; projection and catch-up for the year."""
    at = evaluation_month(year, as_of)
    if at is None:
        return RouteYear(name, year, target, None, None, None, None, None, None, 12, None, not_started(year))
    months = [m for m in by_month if m.year == year and m <= at]
    m = at.month
    expected = target * m / 12
    remaining = 12 - m
    if not months:
        required = target / remaining if remaining else None
        return RouteYear(name, year, target, at, None, None, expected, None, None, remaining, required, no_data(at))
    actual = sum(by_month[mm] for mm in months)
    last = max(months)
    note = f"（数据截至{last.label}）" if last < at else ""
    ratio, light = ratio_light(expected, actual, plan.thresholds, actual_note=note)
    projected = actual * 12 / m
    required = max(target - actual, 0) / remaining if remaining else None
    return RouteYear(name, year, target, at, actual, last, expected, ratio, projected, remaining, required, light)


def _route_totals(plan: Plan, name: str, target: int, by_month: dict[Month, int], years: tuple[RouteYear, ...],
                  chart_months: list[Month], as_of: Month, lead: tuple[str, ...]) -> RouteStatus:
    """The plan's figures are 年均: the plan's years together must reach T × years by the deadline."""
    total_target = target * len(plan.years)
    elapsed = months_elapsed(plan, as_of)
    expected = total_target * elapsed / plan.months
    remaining = max(plan.deadline - as_of, 0) if as_of >= plan.start else plan.months
    in_plan = [m for m in by_month if plan.start <= m <= min(as_of, plan.deadline)]
    cumulative = sum(by_month[m] for m in in_plan) if in_plan else None
    done = cumulative or 0
    required = max(total_target - done, 0) / remaining if remaining else None
    if cumulative is None:
        ratio, light = None, no_data(as_of)
    else:
        ratio, light = ratio_light(
            expected, cumulative, plan.thresholds, prefix=f"{plan.span}累计目标 {total_target}，",
            expected_note=f"（{elapsed}/{plan.months}个月）",
        )
    return RouteStatus(
        route=name,
        annual_target=target,
        years=years,
        three_year_target=total_target,
        cumulative=cumulative,
        expected_cumulative=expected,
        ratio_cumulative=ratio,
        remaining_months_3y=remaining,
        required_monthly_3y=required,
        light_3y=light,
        monthly=tuple(MonthRuns(m, by_month.get(m)) for m in chart_months),
        lead=lead,
    )


# registers
