"""Sidebar choices mirrored into the URL, so that a link reproduces the view.

Streamlit's own widget binding (bind="query-params") writes each option's
display label into the URL (?asof=2026年6月), and a later st.switch_page
cannot carry bound parameters. Here the session state holds the choice and the
URL mirrors it on every run, in plain forms: ?v=3&asof=2026-06&mode=meeting.
The URL wins when it says something new: opening a link (a new session), or a
link or page switch inside the session that sets the parameter. A URL without
the parameter (the menu drops parameters) keeps the session's choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

_LAST = "_url_last_"  # what this session last wrote to the URL, per key


def adopt(key: str, default: Any, parse: Callable[[str], Any | None], param: str | None = None) -> None:
    """Set the session's choice (widget key `key`) from the URL parameter `param`
    (default: the same name) when the URL says something new.

    `parse` turns the URL text into the widget's value, or None when invalid."""
    param = param or key
    text = st.query_params.get(param)
    value = parse(text) if text is not None else None
    if key not in st.session_state:
        st.session_state[key] = default if value is None else value
    elif value is not None and text != st.session_state.get(_LAST + param):
        st.session_state[key] = value


def mirror(key: str, text: str | None) -> None:
    """Show a choice in the URL (None: the default, so the URL stays clean)."""
    if text is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text
    st.session_state[_LAST + key] = text


def keep() -> dict[str, str]:
    """The URL's parameters, for a page switch that should carry them (switch_page drops them)."""
    return st.query_params.to_dict()
