"""Sidebar choices mirrored into the URL, so that a link reproduces the view.

Streamlit's own widget binding (bind="query-params") writes each option's
display label into the URL (?asof=2026年6月), and a later st.switch_page
cannot carry bound parameters. Here the session state holds the choice; the
URL seeds it once per session (opening a link) and mirrors it on every run,
in plain forms: ?v=3&asof=2026-06&mode=meeting&every=45.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def seed(key: str, default: str, valid: Callable[[str], bool]) -> None:
    """Give the widget with this key its first value: from the URL when valid, else the default."""
    if key in st.session_state:
        return
    value = st.query_params.get(key)
    st.session_state[key] = value if value is not None and valid(value) else default


def mirror(key: str, value: str | None, default: str | None) -> None:
    """Show a choice in the URL; leave the URL clean when it is the default."""
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def keep() -> dict[str, str]:
    """The URL's parameters, for a page switch that should carry them (switch_page drops them)."""
    return st.query_params.to_dict()
