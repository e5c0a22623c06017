"""Download buttons of the meeting briefing (总览): the 推进情况汇总表 workbook and
the 会议简报 PDF of the version and as-of month on screen.

A file is made only when its button is clicked (Streamlit's deferred download
data), from yzlogi.snapshot.take exactly as the command line makes it, and the
bytes are cached per (version, as-of, format, day, follow-up writes): versions never change, the
督办事项 section does. Each
download is recorded in the store (Store.record_export) with the sha256 of
what was handed out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import streamlit as st

from ui import context
from yzlogi import briefing, fonts, snapshot
from yzlogi.errors import YzlogiError
from yzlogi.months import Month
from yzlogi.plan import Plan
from yzlogi.store import Store

VIA = "web"
LABELS = {briefing.XLSX: "下载推进情况汇总表（Excel）", briefing.PDF: "下载会议简报（PDF）"}
ICONS = {briefing.XLSX: ":material/table_view:", briefing.PDF: ":material/picture_as_pdf:"}

log = logging.getLogger(__name__)


@st.cache_data(show_spinner=False, max_entries=16)
def briefing_bytes(_store: Store, _plan: Plan, folder: str, version_id: int, as_of: str, fmt: str, day: str,
                   writes: str) -> bytes:
    """The briefing of a version at a month on a day (its 督办事项 section is as they stand that day),
    made once per (data folder, version, as-of, format, day, follow-up writes)."""
    shot = snapshot.take(_store, version_id, Month.parse(as_of))
    return briefing.build(shot, _plan, fmt, date.fromisoformat(day))


def producer(store: Store, plan: Plan, version_id: int, as_of: str, fmt: str) -> Callable[[], bytes]:
    """What the button calls when clicked: the bytes, recorded as exported.

    It runs outside the page's script run, so it touches no Streamlit element; a
    failure to record is logged rather than withholding the file from a meeting."""

    def produce() -> bytes:
        data = briefing_bytes(store, plan, str(store.folder), version_id, as_of, fmt, date.today().isoformat(),
                              store.writes_token())
        try:
            store.record_export(version_id, as_of, fmt, data, via=VIA)
        except YzlogiError:
            log.exception("export of version %s at %s (%s) was handed out but not recorded", version_id, as_of, fmt)
        return data

    return produce


def render_downloads(view: context.View) -> None:
    """The two download buttons for the view's version and as-of month."""
    store = context.store()
    version_id, as_of = view.version.id, str(view.as_of)
    missing_font = fonts.available()
    columns = st.columns(len(briefing.FORMATS))
    for column, fmt in zip(columns, briefing.FORMATS):
        unavailable = fmt == briefing.PDF and missing_font is not None
        column.download_button(
            LABELS[fmt],
            data=producer(store, view.plan, version_id, as_of, fmt),
            file_name=briefing.file_name(version_id, view.as_of, fmt),
            mime=briefing.MIME_TYPES[fmt],
            icon=ICONS[fmt],
            on_click="ignore",
            key=f"briefing_{fmt}",
            disabled=unavailable,
            width="stretch",
        )
        if unavailable:
            column.caption(missing_font)
    st.caption(
        f"会议材料按{view.as_of.label}、数据版本 v{version_id} 生成，督办事项按今天（{date.today():%Y-%m-%d}）的情况列出；"
        "同一版本、月份和日期再次导出的文件完全相同，每次导出都记入导出记录（python -m yzlogi exports）。"
    )
