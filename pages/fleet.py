"""船舶更新 — done / in progress / planned per category against the plan's deadline target and its pace."""

import streamlit as st

from ui import context, render, slides
from yzlogi import charts, tables, views

view = context.require()
slides.take_over("fleet", view)  # meeting mode: this view's slide instead of the page
status, plan = view.status, view.plan

st.title("船舶更新")
st.caption(f"{tables.deadline_rule(plan)}数据截至 {view.as_of.label}。")

render.alerts(status, "fleet", "船舶更新")
render.chart((*view.key, "fleet"),
             lambda: charts.fleet_chart(views.fleet_frame(status), "各类别进展（竖线：目标；虚线：序时进度）"))
render.table(views.fleet_table(status))

st.header("完成时间线")
timeline = views.fleet_timeline(status)
if timeline.empty:
    st.info("截至所选月份还没有完成的船舶。")
else:
    render.chart((*view.key, "timeline"), lambda: charts.timeline_chart(timeline))

st.header("船舶名册")
st.caption("“状态”为截至所选月份的状态：完成日期晚于该月的船舶计为在建。")
render.table(views.ships_table(status))
