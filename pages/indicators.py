"""年度指标 — the key indicators × the plan's years, with how each light was computed."""

import streamlit as st

from ui import context, render, slides
from yzlogi import charts, views

view = context.require()
slides.take_over("indicators", view)  # meeting mode: this view's slide instead of the page
status, plan = view.status, view.plan

st.title("年度指标")
st.caption(f"数据截至 {view.as_of.label}；往年按当年12月计算，当年按序时进度计算，以后年度未开始。")

render.alerts(status, "indicator", f"{status.current_year}年主要指标")
render.table(views.indicator_matrix(status))

st.header("指标趋势")
choices = [i for i in plan.indicators if i.kind != "composite"]
chosen = st.selectbox(
    "选择指标",
    choices,
    format_func=lambda i: f"{i.no}. {i.name}",
    key="indicator_trend",
)
trend = views.indicator_trend(plan, view.data, chosen.no, view.as_of)
left, right = st.columns([3, 2])
with left:
    if trend["value"].notna().any():
        render.chart((*view.key, "trend", chosen.no),
                     lambda: charts.trend_chart(trend, f"{chosen.no}. {chosen.name}", chosen.unit))
    else:
        st.info("该指标截至所选月份还没有填报值。")
with right:
    for year in plan.years:
        item = status.indicator(chosen.no, year)
        st.markdown(f"**{year}年** 目标 {item.target_text}")
        render.badge(item.light)
        st.caption(item.light.text)
if plan.composite is not None:
    st.caption(f"指标{plan.composite.no}（{plan.composite.name}）由{len(plan.routes)}条线路的班次计算，见“通道班次”页。")

# One below the other: side by side, neither table had the width to be read.
if plan.goals:
    st.header("其他量化目标")
    render.table(views.goals_table(status))
if plan.registers:
    header, caption = views.registers_caption(plan)
    st.header(header)
    st.caption(caption)
    registers = views.registers_table(status, view.data)
    if registers.empty:
        st.info("本版本未上传名册。")
    else:
        render.table(registers)
