"""计划总览 — the plan itself (the plan file this installation tracks): indicators, tasks,
units, the light rules, and where the texts disagree."""

import streamlit as st

from ui import render, shell
from yzlogi import tables

plan = shell.plan()

st.title("计划总览")
st.caption(f"{plan.title}　{plan.document_no}　{plan.issuer} {plan.issued} 印发")

st.header(f"主要指标年度目标（{plan.indicator_list}）")
render.table(tables.indicator_targets_table(plan), light_columns=())

parts = [part for part in ("routes", "fleet") if getattr(plan, part)]
for part, column in zip(parts, st.columns(len(parts)) if parts else ()):
    with column:
        if part == "routes":
            st.subheader("通道班次目标")
            st.caption(tables.route_rule(plan))
            render.table(tables.route_targets_table(plan), light_columns=())
        else:
            st.subheader(f"船舶更新目标（{plan.last_year}年底前）")
            render.table(tables.fleet_targets_table(plan), light_columns=())

st.header(f"重点任务清单（{plan.task_list}）")
for group in plan.groups:
    st.subheader(f"{group.label}{group.name}")
    render.table(tables.task_table(plan, group.no), light_columns=())

st.header("灯号规则")
st.caption("灯号按“序时进度”计算：截至所选月份，按时间进度应完成多少。阈值来自计划数据文件，各页每个灯旁均列出其计算过程。")
render.table(tables.light_rules_table(plan), light_columns=())

st.header("责任部门")
render.table(tables.department_table(plan), light_columns=())

if plan.goals:
    st.header("其他量化目标（正文）")
    render.table(tables.goal_targets_table(plan), light_columns=())

if plan.discrepancies:
    st.header("正文与附件的差异")
    st.caption(f"{plan.task_list}为任务清单的依据；正文的分工一并列出，供会议核对。")
    render.table(tables.discrepancy_table(plan), light_columns=())
