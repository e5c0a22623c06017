"""The briefing download buttons (ui/exports.py) on the sample data: what they offer
for the version and month on screen, and what a click hands out and records."""

import hashlib

from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from yzlogi import briefing, snapshot
from yzlogi.fonts import FONT_ENV
from yzlogi.months import Month
from yzlogi.store import Store


def downloads_page():
    from ui import context, exports

    context.sidebar()
    exports.render_downloads(context.require())


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(tmp_path / "var"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path / "var"
    st.cache_data.clear()
    st.cache_resource.clear()


def run(query: dict | None = None) -> AppTest:
    at = AppTest.from_function(downloads_page, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def test_both_buttons_are_offered_for_the_version_and_month_on_screen(folder):
    at = run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [(b.proto.label, b.proto.disabled) for b in buttons] == [
        ("下载推进情况汇总表（Excel）", False), ("下载会议简报（PDF）", False)]
    assert all(b.proto.deferred_file_id for b in buttons)  # made on click, not on every page run
    assert at.caption[0].value == (f"会议材料按2026年10月、数据版本 v1 生成，督办事项按今天（{date.today():%Y-%m-%d}）的情况列出；"
                                   "同一版本、月份和日期再次导出的文件完全相同，每次导出都记入导出记录（python -m yzlogi exports）。")


def test_an_earlier_month_in_the_url_is_what_the_buttons_export(folder):
    at = run({"asof": "2026-06"})
    assert not at.exception
    assert at.caption[0].value.startswith("会议材料按2026年6月、数据版本 v1 生成")


def test_without_the_chinese_font_the_pdf_button_is_disabled_and_says_why(folder, monkeypatch, tmp_path):
    monkeypatch.setenv(FONT_ENV, str(tmp_path / "none.ttf"))
    at = run()
    assert not at.exception
    assert [b.proto.disabled for b in at.get("download_button")] == [False, True]
    assert at.caption[0].value.startswith("生成 PDF 需要中文字体 Noto Sans CJK SC（")


def test_a_click_hands_out_the_snapshot_bytes_and_records_each_download(folder):
    from ui import exports

    store = Store(folder)
    store.ensure_ready()
    produce = exports.producer(store, store.plan, 1, "2026-09", "xlsx")
    first, second = produce(), produce()
    expected = briefing.build_xlsx(snapshot.take(store, 1, Month(2026, 9)), store.plan)
    assert first == second == expected
    records = store.exports()
    assert [(r.id, r.version_id, r.as_of, r.format, r.by, r.via, r.sha256, r.size) for r in records] == [
        (n, 1, "2026-09", "xlsx", "未署名", "web", hashlib.sha256(expected).hexdigest(), len(expected)) for n in (1, 2)
    ]
