"""督办事项 on the pages: the items as they stand today, their lights and tables, and the forms
that raise, answer, close, reopen and re-date them (yzlogi.followups.service does the work).

Items are read once per change: the cache key is the data folder's state token (a commit may
carry answers from a return) and its writes token (every follow-up write changes it), and the
day; a short time-to-live covers a writer that died between its write and the token. Every
form acts through a callback that checks the unlock again at that moment (the same passcode
as upload; ui.access), and reports in Chinese through a flash shown where the form is.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from ui import access, cards, context, meeting, render, urlstate
from yzlogi import config
from yzlogi.levels import sort_key
from yzlogi.errors import YzlogiError
from yzlogi.followups import notice, service
from yzlogi.followups.lights import CLOSED, ORDER, STATES, light_text, look
from yzlogi.followups.model import PAGE, date_label
from yzlogi.followups.present import event_line
from yzlogi.status import Alert
from yzlogi.views import light_text as status_light

DEFAULT_DUE_DAYS = 14  # a new item's due date unless chosen: two weeks on
COLUMNS = ["灯", "编号", "事项", "办理单位", "督办要求", "截止日期", "说明", "最新反馈"]
FLASH = "_followup_flash_"  # + the form's key
NOT_UNLOCKED = "本会话尚未解锁或解锁已失效，未保存。请先输入上传口令解锁。"
GENERIC_ERROR = "处理时发生内部错误，未保存。请重试；如仍出错，请联系系统管理员查看服务器日志。"

log = logging.getLogger(__name__)


# --- reading -------------------------------------------------------------------------


@st.cache_data(show_spinner=False, ttl=60, max_entries=32)
def _judged(folder: str, state: str, writes: str, day: str, soon: int) -> list[service.Judged]:
    return service.judged(context.store(), date.fromisoformat(day), soon_days=soon)


def today() -> date:
    return date.today()


def judged(unit: str | None = None) -> list[service.Judged]:
    """Every item (or one unit's) as it stands today, newest first; [] when they cannot be read."""
    store = context.store()
    try:
        found = _judged(str(store.folder), store.state_token(), store.writes_token(), today().isoformat(),
                        config.followup_due_soon_days())
    except YzlogiError as exc:
        st.error(render.escape_md(exc))
        return []
    return [j for j in found if unit is None or unit in j.item.units]


def counts(items: list[service.Judged]) -> dict[str, int]:
    found = {key: 0 for key in ORDER}
    for j in items:
        found[j.light.level] += 1
    return found


def by_light(items: list[service.Judged]) -> list[service.Judged]:
    """Overdue first, then due soon, open, closed; within a light the earliest due first."""
    return sorted(items, key=lambda j: (ORDER.index(j.light.level), j.item.due, j.item.id))


def _answer(item) -> str:
    answer = item.last_answer
    if answer is None:
        return "尚未反馈"
    request = "（申请办结）" if answer.request_close else ""
    return f"{answer.at:%m-%d} {answer.by}：{answer.text}{request}"


def frame(items: list[service.Judged]) -> pd.DataFrame:
    """Items as the pages' table: the light (with its word), what, who, the requirement, the due date, why."""
    return pd.DataFrame(
        [{
            "灯": light_text(j.light.level),
            "编号": j.item.id,
            "事项": j.item.subject,
            "办理单位": "、".join(j.item.units),
            "督办要求": j.item.requirement,
            "截止日期": date_label(j.item.due),
            "说明": f"{j.light.state}：{j.light.text}" + ("（已申请办结，待销号）" if j.item.close_requested else ""),
            "最新反馈": _answer(j.item),
        } for j in items],
        columns=COLUMNS,
    )


def light_counts(found: dict[str, int]) -> None:
    """The four follow-up lights as metrics: 逾期 临期 办理中 已办结."""
    for column, key in zip(render.counts_row("followups"), ORDER):
        column.metric(f"{look(key).mark} {STATES[key]}", found[key])


def table(items: list[service.Judged]) -> None:
    render.table(frame(items), light_columns=("灯",), card=cards.FOLLOWUP)


# --- acting ----------------------------------------------------------------------------------


def flash(key: str, level: str, text: str) -> None:
    st.session_state[FLASH + key] = (level, text)


def show_flash(key: str) -> None:
    found = st.session_state.pop(FLASH + key, None)
    if found:
        level, text = found
        getattr(st, level)(render.escape_md(text))


def _act(key: str, action, done: str) -> None:
    """Run a follow-up action from a form's callback: unlocked now, else refused; a FollowupError in Chinese."""
    if not access.unlocked():
        flash(key, "error", NOT_UNLOCKED)
        return
    try:
        item = action()
    except YzlogiError as exc:
        flash(key, "error", str(exc))
        return
    except Exception:  # noqa: BLE001 - never a traceback on the page
        log.exception("a follow-up action failed")
        flash(key, "error", GENERIC_ERROR)
        return
    flash(key, "success", done.format(item=item))


def _signed(key: str) -> str:
    return (st.session_state.get(f"{key}_by") or "").strip()


def _raise(key: str, options: dict[str, tuple[str, str, tuple[str, ...]]], view: context.View) -> None:
    about = st.session_state.get(f"{key}_about")
    if about not in options:
        flash(key, "error", "请选择督办的事项。")
        return
    units = st.session_state.get(f"{key}_units_{about}") or options[about][2]
    text = st.session_state.get(f"{key}_text") or ""
    due = st.session_state.get(f"{key}_due")
    by = _signed(key)
    if not by:
        flash(key, "error", "请填写交办人姓名后再交办。")
        return
    _act(key, lambda: service.raise_item(context.store(), about, text, due, by, units, version_id=view.version.id,
                                         as_of=view.as_of, via=PAGE),
         "已交办督办事项 {item.id}：{item.subject}，办理单位 " + "、".join(units) + "，截止 {item.due:%Y-%m-%d}。")
    for field in ("text",):
        st.session_state.pop(f"{key}_{field}", None)


def raise_form(key: str, choices: list[tuple[str, str, str, tuple[str, ...]]], view: context.View,
               title: str = "交办督办事项") -> None:
    """A form raising an item about one of `choices` ((key, label, title, leads)): the units (default the
    leads), what is required, the due date, who raises it. Needs the unlock, asked for here if missing."""
    show_flash(key)
    if not choices:
        st.caption("没有可以交办督办的事项。")
        return
    if not access.unlocked():
        access.panel("交办督办事项", key=key)
        return
    options = {about: (label, subject, leads) for about, label, subject, leads in choices}
    names = [d.name for d in view.plan.departments]
    st.markdown(f"**{title}**")
    # Outside the form: choosing the subject reruns, so the units below follow its lead units.
    about = st.selectbox("督办的事项", list(options), key=f"{key}_about", format_func=lambda a: options[a][0])
    with st.form(f"{key}_form", clear_on_submit=False, border=False):
        st.multiselect("办理单位（默认为牵头单位）", names, default=[u for u in options[about][2] if u in names],
                       key=f"{key}_units_{about}")
        st.text_area("督办要求", key=f"{key}_text", max_chars=2000, placeholder="如：7月15日前报送渝穗班列追赶计划")
        left, right = st.columns(2)
        left.date_input("截止日期", value=today() + timedelta(days=DEFAULT_DUE_DAYS), min_value=today(),
                        key=f"{key}_due", format="YYYY-MM-DD")
        right.text_input("交办人（必填）", key=f"{key}_by", max_chars=40)
        st.form_submit_button("交办", key=f"{key}_submit", type="primary", icon=":material/assignment_add:",
                              on_click=_raise, args=(key, options, view))


def alert_choices(alerts: list[Alert]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """The exception rows as raise-form choices: ■ 红 指标5 …（2026年）."""
    return [(a.key, f"{status_light(a.level)}　{a.title}", a.title, a.departments) for a in alerts]


def status_choices(status) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Every light of the picture (red and yellow first) as raise-form choices."""
    items = sorted(status.items(), key=lambda i: sort_key(i[3].level))
    return [(about, f"{status_light(light.level)}　{title}", title, leads) for _, about, title, light, leads in items]


def actions(key: str, j: service.Judged) -> None:
    """One item's history and what can be done with it (answer, close, reopen, change the due date)."""
    item = j.item
    show_flash(key)
    st.markdown(f"**督办事项 {item.id}　{render.escape_md(item.subject)}**")
    badge(j.light.level)
    st.caption(render.escape_md(f"{j.light.state}：{j.light.text}"))
    st.markdown(f"督办要求：{render.escape_md(item.requirement)}  \n办理单位：{render.escape_md('、'.join(item.units))}")
    render.lines([event_line(event) for event in item.events])
    if not access.unlocked():
        access.panel("反馈、销号和调整督办事项", key=key)
        return
    if item.is_closed:
        with st.form(f"{key}_reopen_form", border=False):
            st.text_input("重新打开的说明（选填）", key=f"{key}_note", max_chars=200)
            st.text_input("操作人（必填）", key=f"{key}_by", max_chars=40)
            st.form_submit_button("重新打开", key=f"{key}_reopen", on_click=_reopen, args=(key, item.id))
        return
    answer_tab, close_tab, due_tab = st.tabs(["反馈办理情况", "销号", "调整期限"])
    with answer_tab, st.form(f"{key}_answer_form", border=False):
        st.text_area("办理情况", key=f"{key}_answer", max_chars=2000)
        st.selectbox("反馈单位", item.units, key=f"{key}_unit")
        st.checkbox("申请办结（由专班办公室销号）", key=f"{key}_request")
        st.text_input("反馈人（必填）", key=f"{key}_answer_by", max_chars=40)
        st.form_submit_button("提交反馈", key=f"{key}_answer_submit", type="primary", on_click=_answer_it,
                              args=(key, item.id))
    with close_tab, st.form(f"{key}_close_form", border=False):
        st.text_input("销号说明（选填）", key=f"{key}_close_note", max_chars=200)
        st.text_input("操作人（必填）", key=f"{key}_close_by", max_chars=40)
        st.form_submit_button("销号（已办结）", key=f"{key}_close", on_click=_close, args=(key, item.id))
    with due_tab, st.form(f"{key}_due_form", border=False):
        st.date_input("新的截止日期", value=item.due, min_value=item.raised_at.date(), key=f"{key}_new_due",
                      format="YYYY-MM-DD")
        st.text_input("调整原因（选填）", key=f"{key}_due_note", max_chars=200)
        st.text_input("操作人（必填）", key=f"{key}_due_by", max_chars=40)
        st.form_submit_button("调整期限", key=f"{key}_due_submit", on_click=_redate, args=(key, item.id))


def badge(level: str) -> None:
    """A follow-up light as a badge: the colour lights as everywhere, ✓ 已办结 in grey."""
    if level == CLOSED:
        st.badge(f"{look(CLOSED).mark} {look(CLOSED).name}", color="gray")
    else:
        render.badge(level)


def _required(key: str, field: str, what: str) -> str | None:
    value = (st.session_state.get(f"{key}_{field}") or "").strip()
    if not value:
        flash(key, "error", f"请填写{what}后再提交。")
        return None
    return value


def _answer_it(key: str, item_id: int) -> None:
    by = _required(key, "answer_by", "反馈人姓名")
    if by is None:
        return
    text = st.session_state.get(f"{key}_answer") or ""
    request = bool(st.session_state.get(f"{key}_request"))
    unit = st.session_state.get(f"{key}_unit")
    _act(key, lambda: service.answer(context.store(), item_id, text, by, request_close=request, unit=unit, via=PAGE),
         "已记录督办事项 {item.id} 的反馈" + ("，并申请办结（待专班办公室销号）。" if request else "。"))


def _close(key: str, item_id: int) -> None:
    by = _required(key, "close_by", "操作人姓名")
    if by is not None:
        _act(key, lambda: service.close(context.store(), item_id, by, st.session_state.get(f"{key}_close_note") or "",
                                        via=PAGE), "督办事项 {item.id} 已销号（已办结）。")


def _reopen(key: str, item_id: int) -> None:
    by = _required(key, "by", "操作人姓名")
    if by is not None:
        _act(key, lambda: service.reopen(context.store(), item_id, by, st.session_state.get(f"{key}_note") or "",
                                         via=PAGE), "督办事项 {item.id} 已重新打开。")


def _redate(key: str, item_id: int) -> None:
    by = _required(key, "due_by", "操作人姓名")
    if by is not None:
        due = st.session_state.get(f"{key}_new_due")
        _act(key, lambda: service.change_due(context.store(), item_id, due, by,
                                             st.session_state.get(f"{key}_due_note") or "", via=PAGE),
             "督办事项 {item.id} 的截止日期已改为 {item.due:%Y-%m-%d}。")


# --- one unit's 督办通知单 -------------------------------------------------------------------------


def notice_downloads(unit: str, key: str) -> None:
    """The unit's 督办通知单 (its open items) as PDF and xlsx, made when clicked."""
    day = today()
    store = context.store()
    columns = st.columns(2)
    for column, fmt, label in zip(columns, (notice.PDF, notice.XLSX), ("下载督办通知单（PDF）", "下载督办通知单（Excel）")):
        column.download_button(
            label, data=lambda fmt=fmt: notice.build(notice.notice_for(store, unit, day), fmt),
            file_name=notice.file_name(unit, day, fmt), mime=notice.MIME_TYPES[fmt], key=f"{key}_{fmt}",
            icon=":material/download:", on_click="ignore", width="stretch")


# --- the 督办事项 page ------------------------------------------------------------------------

ALL = "all"
UNIT_KEY = "unit"  # the page's filters, as their URL parameters: ?unit=区交通运输委&light=red
LIGHT_KEY = "light"


def page(view: context.View) -> None:
    """Every item, filtered by unit and light (both in the URL), overdue first; one item's history and
    actions; raising a new one about any light of the picture on screen."""
    plan = view.plan
    names = [d.name for d in plan.departments]
    urlstate.adopt(UNIT_KEY, ALL, lambda text: plan.resolve_department(text))
    urlstate.adopt(LIGHT_KEY, ALL, lambda text: text if text in ORDER else None)
    everything = judged()
    if not meeting.is_on():
        left, right = st.columns(2)
        left.selectbox("办理单位", [ALL, *names], key=UNIT_KEY, format_func=lambda u: "全部单位" if u == ALL else u)
        right.selectbox("灯号", [ALL, *ORDER], key=LIGHT_KEY,
                        format_func=lambda k: "全部" if k == ALL else f"{look(k).mark} {STATES[k]}")
    unit, light = st.session_state[UNIT_KEY], st.session_state[LIGHT_KEY]
    urlstate.mirror(UNIT_KEY, None if unit == ALL else unit)
    urlstate.mirror(LIGHT_KEY, None if light == ALL else light)
    mine = [j for j in everything if unit == ALL or unit in j.item.units]
    light_counts(counts(mine))
    shown = by_light([j for j in mine if light == ALL or j.light.level == light])
    if meeting.is_on():  # the meeting looks at what is late or nearly so
        shown = [j for j in shown if j.light.level in ("red", "yellow")] or shown
    if not everything:
        st.info("还没有督办事项。会议决定督办某个红灯或黄灯事项时，在下方或总览页的“需要关注”中交办。")
    elif not shown:
        st.success("没有符合条件的督办事项。")
    else:
        st.caption(f"按 {date_label(today())} 计：逾期亮红灯，距截止日期 {config.followup_due_soon_days()} 天以内亮黄灯；"
                   "逾期的在前。")
        table(shown)
    if shown:
        with st.expander("查看事项的办理过程，反馈、销号或调整期限", expanded=False):
            by_id = {j.item.id: j for j in shown}
            chosen = st.selectbox("督办事项", list(by_id), key="fu_pick",
                                  format_func=lambda i: f"{i}　{by_id[i].item.subject}（{by_id[i].light.state}）")
            actions(f"fu_item_{chosen}", by_id[chosen])
    with st.expander("交办新的督办事项", expanded=False):
        raise_form("fu_raise", status_choices(view.status), view)


# --- on 总览 and 部门详情 -------------------------------------------------------------------------


def overview_summary() -> list[service.Judged]:
    """总览's line of follow-up counts (逾期, 临期, open), linking to the page; returns the overdue items."""
    open_items = [j for j in judged() if j.light.level != CLOSED]
    if not open_items:
        return []
    found = counts(open_items)
    st.markdown(f"**督办事项**：{look('red').mark} 逾期 **{found['red']}** 项　{look('yellow').mark} 临期 "
                f"**{found['yellow']}** 项　办理中 {found['green']} 项")
    st.page_link("pages/followups.py", label="查看全部督办事项", icon=":material/assignment_late:")
    return by_light([j for j in open_items if j.light.level == "red"])


def unit_section(unit: str, view: context.View) -> None:
    """部门详情's own items first: the unit's open items, its closed count, and its 督办通知单."""
    mine = judged(unit)
    open_items = by_light([j for j in mine if j.light.level != CLOSED])
    closed = len(mine) - len(open_items)
    if not mine:
        st.caption(f"{unit}没有督办事项。")
        return
    if open_items:
        table(open_items)
    else:
        st.success(f"{unit}的督办事项均已办结。")
    st.caption(f"未办结 {len(open_items)} 项，已办结 {closed} 项（全部事项见“督办事项”页）。")
    if open_items and not meeting.is_on():
        notice_downloads(unit, "department_notice")
