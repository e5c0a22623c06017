"""Version history on the 数据管理 page: every version, time travel, original files,
rollback (with a confirmation step), and the activations log.

Viewing a version sets the sidebar's version choice (session key "v", mirrored
to the URL as ?v=ID by ui.urlstate) from a callback, before the sidebar
renders, then opens 总览 with the URL's parameters.
A rollback, like a commit, re-checks the unlock at the moment it acts, and states
the store's state token its confirmation was drawn against: the store refuses it
under its write lock if another writer got in first.
"""

from __future__ import annotations

import logging

import streamlit as st

from ui import access, context, render, urlstate
from ui.nav import OVERVIEW
from ui.upload import GENERIC_ERROR, flash, show_flashes
from yzlogi.errors import YzlogiError
from yzlogi.model import InputFile, Version
from yzlogi.review import history_frame, versions_frame
from yzlogi.store import Activation, ChangedMeanwhile

PICK_KEY = "data_pick"
TARGET_KEY = "_data_rollback_target"
SECTION = "history"
GOTO_KEY = "_data_goto_overview"
NOT_UNLOCKED = "本会话尚未解锁或解锁已失效，未回滚，当前数据未改变。请重新输入上传口令。"

log = logging.getLogger(__name__)


@st.cache_data(show_spinner=False, max_entries=8)
def _history(token: str) -> list[Activation]:
    return context.store().history()


@st.cache_resource(show_spinner=False, max_entries=4)
def _files(version_id: int) -> list[InputFile]:
    # A version's files never change; kept so that reruns do not re-read them.
    return context.store().files_of(version_id)


def _view(version: Version) -> None:
    st.session_state[context.VERSION_KEY] = context.ACTIVE if version.active else str(version.id)
    st.session_state[GOTO_KEY] = True


def _choose_rollback(version_id: int | None) -> None:
    if version_id is None:
        st.session_state.pop(TARGET_KEY, None)
    else:
        st.session_state[TARGET_KEY] = version_id


def _confirm_rollback(version_id: int, token_then: str) -> None:
    """The confirm button's callback: roll back, and say how it went."""
    flash(SECTION, *_rollback(version_id, token_then))


def follow_view_request() -> None:
    """Open 总览 after 在各页查看此版本 (the sidebar already shows the version)."""
    if st.session_state.pop(GOTO_KEY, False):
        # switch_page drops the URL's parameters; the sidebar has just mirrored ?v= there.
        st.switch_page(OVERVIEW.path, query_params=urlstate.keep())


def section(unlocked: bool) -> None:
    """The history section; rolling back needs `unlocked`."""
    st.header("版本历史")
    show_flashes(SECTION)
    versions = context.versions()
    if not versions:
        st.info("还没有任何数据版本。")
        return
    # The newest versions; all of them on request (a dozen returns a month make hundreds).
    shown, everything = versions, True
    if len(versions) > context.RECENT:
        everything = st.toggle(f"显示全部 {len(versions)} 个版本", key="data_all_versions",
                               help=f"默认只列出最近 {context.RECENT} 个版本。")
        shown = versions if everything else versions[-context.RECENT:]
    render.table(versions_frame(shown), light_columns=())
    by_id = {v.id: v for v in versions}
    picked = st.session_state.get(PICK_KEY)
    if picked is not None and picked not in by_id:  # typed in
        typed = context.typed_version(picked, by_id)
        st.session_state[PICK_KEY] = int(typed) if typed else max(by_id)
        if typed is None:
            st.warning(f"没有版本“{render.escape_md(picked)}”。")
    keep = str(st.session_state[PICK_KEY]) if PICK_KEY in st.session_state else None
    ids = [int(i) for i in context.recent_ids(versions, keep)]
    picked = st.selectbox("选择一个版本", ids, key=PICK_KEY, accept_new_options=True,
                          format_func=lambda i: context.version_label(by_id[i]) if i in by_id else str(i),
                          help=f"列出最近 {context.RECENT} 个版本；更早的版本请输入版本号。")
    version = by_id.get(picked) or by_id[ids[0]]
    _actions(version, unlocked)
    st.subheader("切换历史")
    st.caption("每次导入、回滚都记入此处，从不删除。")
    try:
        activations = _history(context.store().state_token())
    except YzlogiError as exc:
        st.error(render.escape_md(exc))
        return
    if not everything and len(activations) > context.RECENT:
        st.caption(f"最近 {context.RECENT} 次（共 {len(activations)} 次；打开上面的“显示全部”可查看全部）。")
        activations = activations[-context.RECENT:]
    render.table(history_frame(activations), light_columns=())


def _actions(version: Version, unlocked: bool) -> None:
    st.button("在各页查看此版本", key="data_view", on_click=_view, args=(version,), icon=":material/history:",
              help="在侧边栏“数据版本”中选中此版本，并打开总览页；各页都显示此版本的数据。")
    try:
        files = _files(version.id)
    except YzlogiError as exc:
        st.error(render.escape_md(exc))
        files = []
    except Exception:  # noqa: BLE001 - never a traceback on the page
        log.exception("reading the files of version %s failed", version.id)
        st.error(GENERIC_ERROR)
        files = []
    for position, file in enumerate(files):
        st.download_button(f"下载原始文件：{render.escape_md(file.name)}", file.data, file_name=file.name,
                           key=f"data_file_{position}", icon=":material/download:", on_click="ignore")
    if version.active:
        st.caption(f"版本 {version.id} 是当前版本。")
        return
    if not unlocked:
        st.caption("回滚到此版本需要先输入上传口令解锁。")
        return
    if st.session_state.get(TARGET_KEY) != version.id:
        st.button(f"回滚到版本 {version.id}…", key="data_rollback", on_click=_choose_rollback, args=(version.id,),
                  icon=":material/undo:")
        return
    active = next((v for v in context.versions() if v.active), None)
    with st.form("data_rollback_form"):
        st.warning(f"确认把当前版本从 v{active.id if active else '—'} 切换为 v{version.id}"
                   f"（{render.escape_md(context.version_label(version))}）？此次切换会记入切换历史，之后仍可再切换回去。")
        st.text_input("操作人（必填，记入切换历史）", key="data_rollback_by", max_chars=40)
        st.text_input("回滚原因（选填）", key="data_rollback_note", max_chars=200)
        confirm, cancel = st.columns(2)
        with confirm:
            st.form_submit_button("确认回滚", key="data_rollback_confirm", type="primary",
                                  on_click=_confirm_rollback, args=(version.id, context.store().state_token()))
        with cancel:
            st.form_submit_button("取消", key="data_rollback_cancel", on_click=_choose_rollback, args=(None,))


def _rollback(version_id: int, token_then: str) -> tuple[str, str]:
    """Make `version_id` active, re-checking access and the active version right now."""
    if not access.unlocked():
        return "error", NOT_UNLOCKED
    by = (st.session_state.get("data_rollback_by") or "").strip()
    note = (st.session_state.get("data_rollback_note") or "").strip()
    if not by:
        return "error", "请填写操作人姓名后再确认回滚。"
    try:
        # The state the confirmation was drawn against, checked under the store's write lock.
        version = context.store().rollback(version_id, by=by, note=note, expected_token=token_then)
    except ChangedMeanwhile as exc:
        log.info("rollback refused: the active version changed meanwhile (now %s)", exc.token)
        return "warning", render.escape_md(f"{exc}请查看下面最新的版本历史后再操作。")
    except YzlogiError as exc:
        return "error", render.escape_md(exc)
    except Exception:  # noqa: BLE001 - never a traceback on the page
        log.exception("rolling back to version %s failed", version_id)
        return "error", GENERIC_ERROR
    log.info("rolled back to version %s from the web page", version.id)
    _choose_rollback(None)
    return "success", f"已切换到版本 {version.id}，此次回滚已记入切换历史，各页面均显示该版本。"
