"""部门任务 — departments × the 16 tasks, by light, with a text mark in every cell."""

import streamlit as st

from ui import context, render, slides
from ui.nav import DEPARTMENT
from yzlogi import charts, views

view = context.require()
slides.take_over("tasks", view)  # meeting mode: this view's slide instead of the page
status, plan = view.status, view.plan

st.title("部门任务")
st.caption(
    f"截至 {view.as_of.label}。格内文字：牵＝牵头单位，责＝责任单位；序＝序时推进，未＝未启动，"
    "滞＝滞后，完＝已完成，缺＝当月未报送。"
)
render.alerts(status, "task", "重点任务")
heatmap = views.heatmap_frame(status, plan)
render.chart((*view.key, "heatmap"), lambda: charts.heatmap(heatmap), width="stretch")
st.caption(f"任务编号：{render.escape_md(charts.heatmap_key(heatmap))}")

st.header("打开部门详情")
names = [d.name for d in plan.departments]
chosen = st.selectbox("部门", names, index=None, placeholder="选择一个部门", key="tasks_department")
if chosen:
    st.page_link(DEPARTMENT.path, label=f"查看 {chosen} 的详情", icon=":material/arrow_forward:",
                 query_params={"dept": chosen})

st.header("各部门概况")
render.table(views.department_summary(plan, status), light_columns=())

st.header("任务一览")
render.table(views.task_overview(status))
