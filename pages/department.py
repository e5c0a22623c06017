"""部门详情 — one department (?dept=区商务委, aliases accepted): its 督办事项 first, then its red
and yellow items, its returns, its tasks."""

import streamlit as st

from ui import cards, context, followups, render, returns
from yzlogi import views
from yzlogi.status import department_status

view = context.require()
status, plan = view.status, view.plan

st.title("部门详情")
names = [d.name for d in plan.departments]
requested = st.query_params.get("dept", "")
resolved = plan.resolve_department(requested) if requested else None
if requested and resolved is None:
    guess = plan.suggest_department(requested)
    # The URL's text is shown inert (escaped); a close name is offered as the link to follow.
    st.error(f"计划中没有部门“{render.escape_md(requested)}”" + (f"，您是否要找：{guess}？" if guess else "，请从下面选择。"))
    if guess and st.button(f"打开{guess}", icon=":material/arrow_forward:", key="department_suggested"):
        st.query_params["dept"] = guess
        st.rerun()

chosen = st.selectbox("部门", names, index=names.index(resolved) if resolved else None,
                      placeholder="选择一个部门", key=f"department_{resolved or ''}")
if not chosen:
    st.info("请选择一个部门，或使用链接 ?dept=部门名称 直接打开。")
    st.stop()
if st.query_params.get("dept") != chosen:
    st.query_params["dept"] = chosen

detail = department_status(status, plan, chosen)
st.header(chosen)
st.caption(f"截至 {view.as_of.label}。牵头任务 {len(detail.led_tasks)} 项，责任任务 {len(detail.supported_tasks)} 项。")

st.subheader("督办事项")
followups.unit_section(chosen, view)

counts = detail.counts()
render.light_counts(counts)

st.subheader("需要关注：红灯、黄灯")
alerts = views.department_alerts_table(detail)
if alerts.empty:
    st.success("本部门没有红灯或黄灯事项。")
else:
    render.table(alerts, card=cards.ALERT)

st.subheader("报送情况与本单位报送表")
returns.unit_section(chosen)

st.subheader(f"{view.as_of.label}尚未报送")
missing = views.department_missing_table(detail)
if missing.empty:
    st.success("本部门已全部报送。")
else:
    render.table(missing, light_columns=(), card=cards.MISSING)

st.subheader("牵头的任务")
led = views.department_tasks_table(detail, "lead")
if led.empty:
    st.caption("本部门不牵头重点任务。")
else:
    render.table(led, light_columns=("任务灯", "本单位"), card=cards.TASK)

st.subheader("负责的任务")
supported = views.department_tasks_table(detail, "responsible")
if supported.empty:
    st.caption("本部门不是重点任务的责任单位。")
else:
    render.table(supported, light_columns=("任务灯", "本单位"), card=cards.TASK)

st.subheader("相关主要指标")
indicators = views.department_indicators_table(detail)
if indicators.empty:
    st.caption("本部门不牵头或负责主要指标。")
else:
    render.table(indicators, card=cards.INDICATOR)
