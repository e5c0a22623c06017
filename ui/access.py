"""The passcode gate of the 数据管理 page (Streamlit side of yzlogi.access).

Unlocking stores an unlock token (yzlogi.access.Unlocks) in session state; it is
an HMAC of this session's id under a secret held only by this process, so no
value a browser, a URL or a hand-set session state key can supply passes
`unlocked()`. Every commit and rollback calls `unlocked()` again at the moment
it acts, never trusting what an earlier run decided.
"""

from __future__ import annotations

import logging
import os

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from yzlogi import config, forwarding
from yzlogi.access import HOW_TO_ENABLE, AccessError, Gate, configured_hash, parse_hash

TOKEN_KEY = "_data_unlock_token"
PASSCODE_KEY = "data_passcode"
FORM_KEY = "data_unlock_form"
MESSAGE_KEY = "_data_unlock_message"

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def gate() -> Gate:
    """The process's gate: one throttle and one unlock secret for every session."""
    if forwarding.server_rewrites_peers(os.environ):
        log.warning("FORWARDED_ALLOW_IPS is not set to the empty string: the web server believes "
                    "X-Forwarded-For from local peers itself; start the app as the Makefile or "
                    "deploy/yzlogi.service does")
    return Gate()


def passcode_hash() -> str | None:
    """The configured hash (YZLOGI_PASSCODE_HASH, else secrets.toml [upload]); None when unset."""
    secrets_data = None
    # st.secrets is looked up at call time: AppTest replaces the module attribute.
    if st.secrets.load_if_toml_exists():
        secrets_data = st.secrets
    return configured_hash(os.environ, secrets_data)


def usable_hash() -> str | None:
    """The configured hash when it parses; a malformed one is reported (never shown) and disables."""
    encoded = passcode_hash()
    if encoded is None:
        return None
    try:
        parse_hash(encoded)
    except AccessError as exc:
        st.error(f"{exc} 上传和回滚暂不可用，请联系系统管理员。")
        return None
    return encoded


def session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def client_address() -> str | None:
    """The client's address for the throttle: X-Forwarded-For is read only from a trusted
    proxy (the setting trusted_proxies; yzlogi.forwarding walks it)."""
    try:
        peer = st.context.ip_address
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:  # noqa: BLE001 - no client context (a bare script run): the session key still applies
        return None
    trusted = forwarding.trusted_proxies(config.trusted_proxies_text())
    return forwarding.client_address(peer if isinstance(peer, str) else None, forwarded, trusted)


def unlocked() -> bool:
    """Whether this session proved the passcode, checked now against the configured hash."""
    encoded = passcode_hash()
    return bool(encoded) and gate().allows(st.session_state.get(TOKEN_KEY), encoded, session_id())


def lock() -> None:
    st.session_state.pop(TOKEN_KEY, None)


def _attempt(field: str = PASSCODE_KEY) -> None:
    """The unlock form's callback: check the passcode, then forget it.

    A callback: the attempt is made once per click, before this run draws the panel."""
    passcode = st.session_state.get(field) or ""
    st.session_state[field] = ""  # never kept in session state
    encoded = passcode_hash()
    if not encoded:
        return
    try:
        attempt = gate().attempt(passcode, encoded, session_id(), client_address())
    except AccessError as exc:
        st.session_state[MESSAGE_KEY] = str(exc)
        return
    if attempt.ok:
        st.session_state[TOKEN_KEY] = attempt.token
        st.session_state.pop(MESSAGE_KEY, None)
        log.info("upload unlocked for a session")
    else:
        log.warning("upload passcode refused (next attempt heard in %.0f s)", attempt.wait_s)
        st.session_state[MESSAGE_KEY] = attempt.message


def panel(what: str = "上传数据和回滚版本", key: str = "data") -> bool:
    """The access panel: how to enable, the passcode form, or the unlocked state; whether unlocked.

    The same unlock serves every page of the session (数据管理's upload, the 督办 forms); `what`
    says what it is for here, `key` keeps the widgets of two panels on one page apart."""
    message = st.session_state.pop(MESSAGE_KEY, None)
    encoded = usable_hash()
    if encoded is None:
        if passcode_hash() is None:
            st.info(HOW_TO_ENABLE, icon=":material/lock:")
        return False
    if unlocked():
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.success("已解锁：本会话可以上传数据、回滚版本和办理督办事项。", icon=":material/lock_open:")
        right.button("锁定", key=f"{key}_lock", on_click=lock, help="结束本会话的上传、回滚和督办权限。")
        return True
    with st.form(f"{key}_unlock_form" if key != "data" else FORM_KEY, clear_on_submit=True, enter_to_submit=True):
        st.markdown(f"{what}需要输入上传口令（查看不需要）。")
        st.text_input("上传口令", type="password", key=f"{key}_passcode", autocomplete="off")
        st.form_submit_button("解锁", key=f"{key}_unlock", type="primary", on_click=_attempt, args=(f"{key}_passcode",))
    if message:
        st.error(message, icon=":material/block:")
    return False
