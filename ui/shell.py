"""What every page shares: the plan (loaded once per process) and page chrome."""

from __future__ import annotations

import streamlit as st

from ui import ensure_router
from yzlogi.errors import PlanError
from yzlogi.plan import Plan, load_plan


@st.cache_resource(show_spinner=False)
def _plan() -> Plan:
    return load_plan()


def plan() -> Plan:
    """The checked plan; a broken plan file stops the app with its message."""
    ensure_router()
    try:
        return _plan()
    except PlanError as exc:
        st.error(f"计划数据有误，看板无法启动。{exc}")
        st.stop()
        raise  # unreachable: st.stop() raises
