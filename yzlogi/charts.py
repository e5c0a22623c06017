"""Altair chart builders: pure functions from shaped data to a chart.

One palette for the four lights (yzlogi.levels); Chinese labels; months on a
time axis written the Chinese way (2026年6月). Nothing is conveyed by colour
alone: lights also carry their label (绿/黄/红/灰) and mark in tooltips and text.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from yzlogi import levels

MONTH_FORMAT = "%Y年%-m月"
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
SERIES_COLOURS = {"实际": "#1f4e9c", "序时进度": "#6b7280", "目标": "#111827"}


def _month_dates(months: pd.Series) -> pd.Series:
    """'YYYY-MM' strings → the first day of each month (for a time axis)."""
    return pd.to_datetime(months.astype(str) + "-01")


def month_axis(months: pd.Series) -> alt.X:
    """A time axis of months: every label whole (2026年10月, never cut at the edge), ticks at even
    steps of whole months (every month up to a year, else every 2, 3 or 6), the months of the data only."""
    count = max(1, pd.Series(months).nunique())
    step = 1 if count <= 12 else 2 if count <= 24 else 3 if count <= 36 else 6
    return alt.X(
        "date:T", title=None,
        axis=alt.Axis(format=MONTH_FORMAT, labelAngle=-40, labelLimit=0, labelFlush=False, labelOverlap=False,
                      tickCount={"interval": "month", "step": step}, labelPadding=4),
        scale=alt.Scale(nice=False, padding=18),
    )


def count_axis(title: str | None) -> alt.Axis:
    """An axis of whole things (ships, firms, runs): integer ticks only."""
    return alt.Axis(title=title, format="d", tickMinStep=1)


def _light_scale() -> alt.Scale:
    domain, colours = levels.chart_scale()
    return alt.Scale(domain=domain, range=colours)


def _finish(chart: alt.Chart, title: str | None, height: int) -> alt.Chart:
    if title:
        chart = chart.properties(title=title)
    return (
        chart.properties(height=height)
        .configure_axis(labelFont=FONT, titleFont=FONT, labelFontSize=14, titleFontSize=14)
        .configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=14, titleFontSize=14, orient="bottom")
        .configure_title(font=FONT, fontSize=18, anchor="start")
        .configure_text(font=FONT)
    )


def pace_chart(frame: pd.DataFrame, title: str | None = None, unit: str = "", height: int = 380) -> alt.Chart:
    """Cumulative actual against the 序时进度 line and the target.

    `frame` columns: month ('YYYY-MM'), actual (cumulative, may be NaN after
    the as-of month), expected (the pace line), target (constant)."""
    data = frame.assign(date=_month_dates(frame["month"]))
    long = data.melt(
        id_vars=["date", "month"],
        value_vars=["actual", "expected", "target"],
        var_name="series",
        value_name="value",
    ).dropna(subset=["value"])
    long["series"] = long["series"].map({"actual": "实际", "expected": "序时进度", "target": "目标"})
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(SERIES_COLOURS), range=list(SERIES_COLOURS.values())),
    )
    dash = alt.StrokeDash(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(SERIES_COLOURS), range=[[1, 0], [6, 4], [2, 2]]),
    )
    base = alt.Chart(long).encode(
        x=month_axis(data["month"]),
        y=alt.Y("value:Q", axis=count_axis(unit or None)),
        color=colour,
        strokeDash=dash,
        tooltip=[
            alt.Tooltip("date:T", title="月份", format=MONTH_FORMAT),
            alt.Tooltip("series:N", title="系列"),
            alt.Tooltip("value:Q", title="数值", format=",.0f"),
        ],
    )
    chart = base.mark_line(strokeWidth=3) + base.mark_point(size=50, filled=True).transform_filter(
        alt.datum.series == "实际"
    )
    return _finish(chart, title, height)


def monthly_bars(frame: pd.DataFrame, title: str | None = None, unit: str = "", height: int = 260) -> alt.Chart:
    """Runs (or any count) per month. `frame` columns: month, value."""
    data = frame.assign(date=_month_dates(frame["month"]))
    chart = (
        alt.Chart(data)
        .mark_bar(color=SERIES_COLOURS["实际"])
        .encode(
            x=month_axis(data["month"]),
            y=alt.Y("value:Q", axis=count_axis(unit or None)),
            tooltip=[
                alt.Tooltip("date:T", title="月份", format=MONTH_FORMAT),
                alt.Tooltip("value:Q", title=unit or "数值", format=",.0f"),
            ],
        )
    )
    return _finish(chart, title, height)


def trend_chart(frame: pd.DataFrame, title: str | None = None, unit: str = "", height: int = 260) -> alt.Chart:
    """Reported values over time, with the year's target as a step line.

    `frame` columns: month, value, target (NaN where there is none)."""
    data = frame.assign(date=_month_dates(frame["month"]))
    x = month_axis(data["month"])
    values = (
        alt.Chart(data.dropna(subset=["value"]))
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True), strokeWidth=3, color=SERIES_COLOURS["实际"])
        .encode(
            x=x,
            y=alt.Y("value:Q", title=unit or None, scale=alt.Scale(zero=False)),
            tooltip=[
                alt.Tooltip("date:T", title="统计期", format=MONTH_FORMAT),
                alt.Tooltip("value:Q", title=f"完成值（{unit}）" if unit else "完成值", format=",.2f"),
            ],
        )
    )
    target = (
        alt.Chart(data.dropna(subset=["target"]))
        .mark_line(interpolate="step-after", strokeDash=[6, 4], strokeWidth=2, color=SERIES_COLOURS["目标"])
        .encode(x=x, y="target:Q", tooltip=[alt.Tooltip("target:Q", title="目标", format=",.2f")])
    )
    return _finish(target + values, title, height)


def fleet_chart(frame: pd.DataFrame, title: str | None = None, height: int = 280) -> alt.Chart:
    """Done / in progress / planned per category against the target and the pace.

    `frame` columns: category, done, in_progress, planned, target, expected."""
    stages = {"done": "已完成", "in_progress": "在建", "planned": "计划"}
    long = frame.melt(id_vars=["category"], value_vars=list(stages), var_name="stage", value_name="ships")
    long["stage"] = long["stage"].map(stages)
    long["order"] = long["stage"].map({v: i for i, v in enumerate(stages.values())})
    y = alt.Y("category:N", title=None, sort=list(frame["category"]), axis=alt.Axis(labelLimit=320))
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("ships:Q", axis=count_axis("艘"), stack="zero"),
            color=alt.Color(
                "stage:N",
                title=None,
                scale=alt.Scale(domain=list(stages.values()), range=["#1f4e9c", "#7aa2d6", "#d6dde8"]),
            ),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("category:N", title="类别"), alt.Tooltip("stage:N", title="状态"),
                     alt.Tooltip("ships:Q", title="艘")],
        )
    )
    target = (
        alt.Chart(frame)
        .mark_tick(thickness=3, size=36, color=SERIES_COLOURS["目标"])
        .encode(y=y, x="target:Q", tooltip=[alt.Tooltip("target:Q", title="目标（艘）")])
    )
    pace = (
        alt.Chart(frame)
        .mark_tick(thickness=3, size=36, color="#F9A825", strokeDash=[4, 2])
        .encode(y=y, x="expected:Q", tooltip=[alt.Tooltip("expected:Q", title="序时进度（艘）", format=".1f")])
    )
    return _finish(bars + target + pace, title, height)


def timeline_chart(frame: pd.DataFrame, title: str | None = None, height: int = 260) -> alt.Chart:
    """Ships completed per month by category. `frame` columns: month, category, ship_name."""
    data = frame.assign(date=_month_dates(frame["month"]))
    chart = (
        alt.Chart(data)
        .mark_circle(size=220, opacity=0.85)
        .encode(
            x=month_axis(data["month"]),
            y=alt.Y("category:N", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color("category:N", title=None, legend=None),
            tooltip=[alt.Tooltip("ship_name:N", title="船名"), alt.Tooltip("category:N", title="类别"),
                     alt.Tooltip("date:T", title="完成", format=MONTH_FORMAT)],
        )
    )
    return _finish(chart, title, height)


def heatmap(frame: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """Departments × tasks coloured by light, each cell marked 牵/责 and the status.

    The chart takes its container's width (every task column on screen at any width):
    columns are headed by the task's number, upright (the names are in the tooltip and
    in heatmap_key), and the cells' marks shrink with the columns.

    `frame` columns: department, task (label, e.g. '8 提升通道运力投入强度'),
    task_no, level (key), mark (text shown in the cell), detail (tooltip)."""
    data = frame.assign(light=frame["level"].map(levels.label), column=frame["task_no"].map(lambda no: f"任务{no}"))
    departments = list(dict.fromkeys(data["department"]))
    columns = [f"任务{no}" for no in sorted(dict.fromkeys(data["task_no"]))]
    x = alt.X("column:N", title=None, sort=columns,
              axis=alt.Axis(labelAngle=0, orient="top", labelOverlap=False, labelLimit=0, labelPadding=4,
                            labelExpr="replace(datum.label, '任务', '')", ticks=False, domain=False))
    y = alt.Y("department:N", title=None, sort=departments,
              axis=alt.Axis(labelOverlap=False, labelLimit=200, ticks=False, domain=False))
    cells = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.Color("light:N", title="灯", scale=_light_scale()),
            tooltip=[
                alt.Tooltip("department:N", title="部门"),
                alt.Tooltip("task:N", title="任务"),
                alt.Tooltip("light:N", title="灯"),
                alt.Tooltip("detail:N", title="情况"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        # 15 px where a column is wide enough for the mark's two characters, smaller where not.
        .mark_text(fontSize=alt.ExprRef("max(8, min(15, bandwidth('x') / 3.2))"), fontWeight="bold")
        .encode(
            x=x,
            y=y,
            text="mark:N",
            color=alt.condition(alt.datum.light == levels.label(levels.YELLOW), alt.value("#111827"), alt.value("white")),
        )
    )
    chart = (cells + text).properties(width="container", height=alt.Step(40))
    if title:
        chart = chart.properties(title=title)
    return (
        chart.configure_axis(labelFont=FONT, titleFont=FONT, labelFontSize=14, titleFontSize=14)
        .configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=14, titleFontSize=14, orient="bottom")
        .configure_title(font=FONT, fontSize=18, anchor="start")
        .configure_view(strokeWidth=0)
    )


def heatmap_key(frame: pd.DataFrame) -> str:
    """The heatmap's column numbers and the tasks they stand for, in one line: 1 …；2 …."""
    tasks = frame.drop_duplicates("task_no").sort_values("task_no")
    return "；".join(tasks["task"])
