"""通道班次 — each route's cumulative runs against 序时进度, projections and catch-up."""

import streamlit as st

from ui import context, render, slides
from yzlogi import charts, tables, views

view = context.require()
slides.take_over("routes", view)  # meeting mode: this view's slide instead of the page
status, plan = view.status, view.plan

st.title("通道班次")
st.caption(f"{tables.route_rule(plan)}数据截至 {view.as_of.label}。")
render.alerts(status, "route", f"{status.current_year}年通道班次")
render.table(views.route_summary(status), light_columns=views.route_light_columns(status))

years = [y for y in plan.years if y <= status.current_year]
year = st.segmented_control("年度", years, default=status.current_year, format_func=lambda y: f"{y}年",
                            key="route_year") or status.current_year

for item in status.routes:
    st.header(item.route)
    row = item.year(year)
    render.badge(row.light)
    st.caption(row.light.text)
    left, right = st.columns([3, 2])
    with left:
        render.chart(
            (*view.key, "pace", item.route, year),
            lambda: charts.pace_chart(views.route_pace(status, plan, item.route, year), f"{year}年累计开行与序时进度",
                                      "班次"),
            width="stretch",
        )
    with right:
        render.chart((*view.key, "monthly", item.route),
                     lambda: charts.monthly_bars(views.route_monthly(item), "每月开行班次", "班次"))
    render.table(views.route_years_table(item))
    st.caption(item.light_3y.text)

st.header("新增线路")
new_lines = views.new_lines_table(status)
if new_lines.empty:
    st.info("截至所选月份没有新增线路。")
else:
    render.table(new_lines)
