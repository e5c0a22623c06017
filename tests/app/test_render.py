"""render.chart draws what st.altair_chart draws, from a spec built once per key."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest


def charts_page():
    import pandas as pd
    import streamlit as st

    from ui import render
    from yzlogi import charts

    frame = pd.DataFrame({
        "month": ["2026-01", "2026-02", "2026-03"],
        "actual": [250.0, 430.0, float("nan")],
        "expected": [250.0, 500.0, 750.0],
        "target": [3000.0, 3000.0, 3000.0],
    })
    st.session_state.setdefault("builds", 0)

    def build():
        st.session_state["builds"] += 1
        return charts.pace_chart(frame, "2026年累计开行与序时进度", "班次")

    st.altair_chart(charts.pace_chart(frame, "2026年累计开行与序时进度", "班次"), width="stretch")
    render.chart((1, "2026-03", "pace", "东盟班车", 2026), build)


@pytest.fixture
def page():
    st.cache_resource.clear()
    yield AppTest.from_function(charts_page, default_timeout=60)
    st.cache_resource.clear()


def _charts(at):
    return [element.proto for element in at.get("vega_lite_chart")]


def test_cached_chart_is_the_altair_chart_element(page):
    page.run()
    direct, cached = _charts(page)
    assert cached.spec == direct.spec
    assert [(d.name, d.data.data) for d in cached.datasets] == [(d.name, d.data.data) for d in direct.datasets]
    assert (cached.theme, cached.use_container_width) == (direct.theme, direct.use_container_width)


def test_chart_is_built_once_per_key_across_reruns(page):
    page.run()
    page.run()
    page.run()
    assert page.session_state["builds"] == 1
    assert len(_charts(page)) == 2


def test_meeting_mode_has_its_own_spec_with_large_type(page):
    page.run()
    normal = _charts(page)[1].spec
    page.session_state["meeting_on"] = True
    page.run()
    meeting = _charts(page)[1].spec
    assert page.session_state["builds"] == 2
    assert '"labelFontSize": 20' in meeting and '"labelFontSize": 20' not in normal
