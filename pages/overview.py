"""总览 — the meeting's home: the as-of month, the lights, red and yellow first."""

import streamlit as st

from ui import context, exports, followups, render, slides
from ui.cards import ALERT, FLEET, compact
from yzlogi import views

view = context.require()
slides.take_over("overview", view)  # meeting mode: this view's slide instead of the page
status = view.status

st.title("总览")
months, share = views.year_elapsed(view.as_of)
st.markdown(
    f"#### 数据截至 {view.as_of.label}　·　{view.as_of.year}年已过 {months}/12（序时进度 {share:.1%}）"
)
st.caption(f"数据版本：{render.escape_md(context.version_label(view.version))}")

counts = status.counts()["total"]
render.light_counts(counts)

overdue = followups.overview_summary()

st.header("需要关注：红灯、黄灯")
exceptions = views.exceptions_table(status)
if exceptions.empty:
    st.success("没有红灯或黄灯事项。")
else:
    render.table(exceptions, card=ALERT)
if overdue:
    st.subheader("逾期的督办事项")
    followups.table(overdue)
if not exceptions.empty:
    with st.expander("对红灯、黄灯事项交办督办"):
        followups.raise_form("overview_raise", followups.alert_choices(status.exceptions()), view)

st.header(f"主要指标（{status.current_year}年）")
cards = [views.indicator_card(item) for item in status.current_indicators()]
for start in range(0, len(cards), 4):
    for column, card in zip(st.columns(4), cards[start:start + 4]):
        with column.container(border=True):
            st.markdown(f"**{card['title']}**")
            render.badge(card["level"])
            st.markdown(f"完成值：**{card['value']}**  \n目标：{card['target']}  \n序时进度：{card['expected']}")
            st.caption(card["why"])

if status.routes:
    st.header("通道班次")
    glance, lights = views.route_glance(status), views.route_light_columns(status)
    render.table(glance, light_columns=lights, card=compact(glance.columns, "线路", lights))
if status.fleet:
    st.header("船舶更新")
    render.table(views.fleet_table(status)[["类别", "目标", "已完成", "在建", "计划", "序时进度", "灯", "说明"]],
                 card=FLEET)

st.header("自上次更新以来")
digest = view.digest_since_previous()
previous = view.previous
st.caption(
    f"版本 v{view.version.id} 与上一版本 v{previous.id} 的比较（按 {view.as_of.label} 计算灯号）"
    if previous else "这是第一个版本。"
)
render.lines(digest.lines(rows=False))

st.header("会议材料")
exports.render_downloads(view)
