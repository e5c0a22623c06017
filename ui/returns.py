"""报送情况 on 数据管理 and 部门详情: who has reported for a month, the 催报清单, and the return forms.

The returns are those of the active version (the record as it stands), judged today
against the deadline setting; they are cached on the store's state token, the month
and the day, so a new upload shows on the next run. The forms (the template holding
the record, one unit's return) are made when their button is clicked, not on every run.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import streamlit as st

from ui import context, render, shell
from yzlogi import config, forms
from yzlogi.chase import chase_workbook
from yzlogi.chase import file_name as chase_file_name
from yzlogi.followups import service as followup_service
from yzlogi.months import Month, month_range
from yzlogi.returns import STATE_LABELS, Returns, chase_text, compute_returns, owed_month
from yzlogi.status import default_as_of
from yzlogi.template import write_template

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILE_NAME = "进度填报模板.xlsx"


@st.cache_resource(show_spinner=False, max_entries=16)
def _returns(version_id: int, month: str, today: str, deadline_day: int) -> Returns:
    # A version's rows and the commit times of the versions that first carried them never change:
    # the version's id is key enough (a new upload or a rollback makes another version the active one).
    versions = {v.id: v for v in context.versions()}
    return compute_returns(context.version_plan(version_id), context.version_data(version_id), versions,
                           Month.parse(month), deadline_day, date.fromisoformat(today))


def returns_of(version_id: int, month: Month) -> Returns:
    """A version's 报送情况 for `month`, judged today."""
    return _returns(version_id, str(month), date.today().isoformat(), config.report_deadline_day())


def returns_for(month: Month) -> Returns | None:
    """The active version's returns for `month`, judged today (None before any version)."""
    active = next((v for v in context.versions() if v.active), None)
    return returns_of(active.id, month) if active is not None else None


def month_picker(key: str) -> Month:
    """A month of the plan up to the one being reported now, that month first."""
    plan = shell.plan()
    owed = owed_month(date.today(), plan)
    months = list(reversed(month_range(plan.start, owed)))
    chosen = st.selectbox("报送月份", months, key=key, format_func=lambda m: m.label,
                          help=f"每月进展于次月{config.report_deadline_day()}日前报送（设置 report_deadline_day）。")
    return chosen or owed


def returns_table(returns: Returns) -> pd.DataFrame:
    rows = []
    for unit in returns.units:
        rows.append({
            "灯": render_light(unit.light.level),
            "单位": unit.unit,
            "状态": STATE_LABELS[unit.state],
            "应报": len(unit.owed),
            "已报": unit.sent,
            "报齐时间": unit.last_sent_at.strftime("%Y-%m-%d %H:%M") if unit.last_sent_at and unit.state
            in ("on_time", "late") else "——",
            "未报事项": "；".join(item.title for item in unit.unsent) or "——",
            "说明": unit.light.text,
        })
    return pd.DataFrame(rows, columns=["灯", "单位", "状态", "应报", "已报", "报齐时间", "未报事项", "说明"])


def render_light(level: str) -> str:
    from yzlogi.views import light_text

    return light_text(level)


def section() -> None:
    """数据管理's 报送情况: every unit for a month, and the 催报清单."""
    st.header("报送情况")
    month = month_picker("data_returns_month")
    returns = returns_for(month)
    if returns is None:
        st.info("还没有任何数据版本。")
        return
    counts = returns.counts()
    st.caption(f"{month.label}进展应于 {returns.due.month}月{returns.due.day}日前报送（统计日期 {returns.today.isoformat()}）："
               + "，".join(f"{STATE_LABELS[state]} {n} 个单位" for state, n in counts.items()))
    render.table(returns_table(returns))
    st.subheader("催报清单")
    text = chase_text(returns)
    st.code(text, language=None, wrap_lines=True)
    st.caption("上面的文字可直接复制，发到工作专班群中。")
    st.download_button("下载催报清单（xlsx）", chase_workbook(returns, shell.plan().short_title),
                       file_name=chase_file_name(returns), mime=XLSX_MIME, key="data_chase_download",
                       icon=":material/download:", on_click="ignore", disabled=not returns.to_chase)


def unit_section(unit: str) -> None:
    """部门详情's 报送情况 of one unit for a month, and its own return form."""
    month = month_picker("department_returns_month")
    returns = returns_for(month)
    mine = returns.unit(unit) if returns is not None else None
    if mine is None:
        st.caption(f"{unit}{month.label}没有应报的行。")
    else:
        render.badge(mine.light)
        st.caption(mine.light.text)
        if mine.unsent:
            st.markdown("未报送：" + "、".join(render.escape_md(item.title) for item in mine.unsent))
    active = next((v for v in context.versions() if v.active), None)
    if active is not None:
        st.download_button(
            f"下载本单位{month.label}报送表（已按上次报送预填）",
            lambda: forms.unit_form(context.version_plan(active.id), context.version_data(active.id), unit, month,
                                    _open_items(unit)),
            file_name=forms.unit_file_name(unit, month), mime=XLSX_MIME, key="department_form_download",
            icon=":material/download:", on_click="ignore",
        )


def _open_items(unit: str) -> list:
    """The unit's follow-up items as they stand at the click, for the form's 督办反馈 sheet."""
    return followup_service.items(context.store(), unit)


@st.cache_resource(show_spinner=False)
def _template_bytes() -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, shell.plan())
    return buffer.getvalue()


def forms_section() -> None:
    """数据管理's forms: the blank template, the record with next month's rows, a unit's return."""
    st.download_button("下载空白填报模板（进度填报模板.xlsx）", _template_bytes(), file_name=TEMPLATE_FILE_NAME,
                       mime=XLSX_MIME, key="data_template", icon=":material/download:", on_click="ignore")
    active = next((v for v in context.versions() if v.active), None)
    if active is None:
        return
    plan = context.version_plan(active.id)
    following = min(default_as_of(context.version_data(active.id), plan.start).plus(1), plan.deadline)
    st.download_button(
        f"下载含当前全部数据的填报表（预留{following.label}空行）",
        lambda: forms.record_form(plan, context.version_data(active.id), following),
        file_name=forms.record_file_name(active.id, following), mime=XLSX_MIME, key="data_record_form",
        icon=":material/download:", on_click="ignore",
    )
    left, right = st.columns(2)
    unit = left.selectbox("单位报送表：选择单位", [d.name for d in plan.departments], key="data_form_unit")
    month = owed_month(date.today(), plan)
    with right:
        st.download_button(
            f"下载{unit}{month.label}报送表",
            lambda: forms.unit_form(plan, context.version_data(active.id), unit, month, _open_items(unit)),
            file_name=forms.unit_file_name(unit, month), mime=XLSX_MIME, key="data_unit_form",
            icon=":material/download:", on_click="ignore",
        )
    st.caption("单位报送表只含该单位应报的行，并按其上次报送预填；部门也可在“部门详情”页下载本单位的报送表。"
               "上传时默认“合并”：只更新表中的行，其余数据保留。")
