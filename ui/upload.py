"""Upload on the 数据管理 page: template, files, validation report, change digest, commit.

An upload is read and checked once per distinct set of files and active version
(the review is kept in session state); nothing is stored until the official
confirms with a name. The confirmation commits in the button's callback, before
the run draws anything (so the sidebar of that same run shows the new version),
and only if the session is still unlocked and the active version is still the
one the digest was computed against: the store checks that state token under its
write lock (Store.commit's expected_token), so a command-line import landing
between review and confirmation is noticed, nothing is committed, and the page
shows the digest against the new version.
"""

from __future__ import annotations

import logging
from datetime import datetime

import pandas as pd
import streamlit as st

from ui import access, context, render, shell
from yzlogi.errors import YzlogiError
from yzlogi.followups import service as followups
from yzlogi.merge import MERGE, MODE_LABELS, REPLACE, REPLACE_CONFIRM_SHARE
from yzlogi.model import InputFile, upload_sha256
from yzlogi.review import (
    REPORT_FILE_NAME,
    Review,
    report_frame,
    report_summary,
    report_xlsx,
    review,
)
from yzlogi.dictionary import dictionary_rows
from yzlogi.schema import for_plan
from yzlogi.store import ChangedMeanwhile, DuplicateUpload, WorkbookHasErrors, duplicate_message
from yzlogi.workbook import read_workbook

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOADER_KEY = "data_upload"  # + the round: a new round empties the uploader after a commit
ROUND_KEY = "_data_upload_round"
REVIEW_KEY = "_data_review"
FLASH_KEY = "_data_flash_"  # + the section
SECTION = "upload"
GENERIC_ERROR = "处理时发生内部错误，操作未完成，已保存的数据未受影响。请重试；如仍出错，请联系系统管理员查看服务器日志。"
CHANGED_MEANWHILE = "下面的变化摘要已按新的当前版本重新计算，请核对后再次确认。"
MODE_KEY = "data_mode"
CONFIRM_KEY = "data_replace_confirm"
CONFIRM_WORD = "全部替换"
MODE_HELP = {
    MERGE: "合并（默认）：按行更新或新增上传的数据，未上传的行全部保留。各单位每月报送的表、只填本月的表都用这种方式。",
    REPLACE: "全部替换：导入后只保留本次上传的数据，未上传的行将被删除。只在整理、重建全部数据时使用。",
}
NOT_UNLOCKED = "本会话尚未解锁或解锁已失效，未导入，当前数据未改变。请重新输入上传口令。"

log = logging.getLogger(__name__)


# --- messages from callbacks -----------------------------------------------------------


def flash(section: str, kind: str, text: str) -> None:
    """Show `text` (success | info | warning | error) at the top of `section` in this run.

    Commit and rollback run in button callbacks, before the script draws anything,
    so that the sidebar and every section of the same run already show their result."""
    st.session_state.setdefault(FLASH_KEY + section, []).append((kind, text))


def show_flashes(section: str) -> None:
    for kind, text in st.session_state.pop(FLASH_KEY + section, []):
        {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}[kind](text)


# --- the template -------------------------------------------------------------------


def template_section() -> None:
    from ui import returns

    st.header("填报表")
    st.markdown("下载填报表，在 Excel 或 WPS 中填写后在下方上传（也可以每个工作表另存为一个 CSV 文件，一起上传）。"
                "每次上传都合并到已有数据：只需填本月或本单位的行，以前的数据不会丢失。")
    returns.forms_section()
    with st.expander("填报说明（数据字典）：各工作表的列、填写要求和可接受的写法"):
        dictionary_section()


def dictionary_section() -> None:
    """The data dictionary, derived from the schema like the template's 填报说明 and docs/workbook.md."""
    st.markdown("表头可以带单位或换行，表头上方可以有标题行；数字可写全角或带千分位，月份可写 2026-06、2026年6月等。")
    plan = shell.plan()
    rows = pd.DataFrame(dictionary_rows(plan))
    for sheet in for_plan(plan):
        st.markdown(f"**{sheet.name}**（{'必需' if sheet.required else '可选'}）：{render.escape_md(sheet.help)}")
        shown = rows[rows["工作表"].isin([sheet.name, f"{sheet.name}（可选）"])].drop(columns="工作表")
        render.full_table(shown, light_columns=())


# --- uploading ----------------------------------------------------------------------


def section(unlocked: bool) -> None:
    """The upload section; uploading needs `unlocked` (the page checked access.panel())."""
    st.header("上传进度数据")
    show_flashes(SECTION)
    if not unlocked:
        st.caption("解锁后可在此上传填报工作簿。")
        return
    round_ = st.session_state.setdefault(ROUND_KEY, 0)
    mode = st.radio("上传方式", (MERGE, REPLACE), key=MODE_KEY, horizontal=True,
                    format_func=lambda m: MODE_LABELS[m] + ("（默认）" if m == MERGE else "（慎用）"),
                    captions=[MODE_HELP[MERGE], MODE_HELP[REPLACE]])
    uploaded = st.file_uploader(
        "上传填报工作簿（.xlsx / .xls / .ods），或每个工作表一个 CSV 文件",
        accept_multiple_files=True,
        key=f"{UPLOADER_KEY}_{round_}",
        help="一个工作簿包含全部工作表；或每个工作表另存为一个 CSV 文件（UTF-8 或 GB18030 编码）后一起上传。",
    )
    if not uploaded:
        st.session_state.pop(REVIEW_KEY, None)
        return
    files = [InputFile(f.name, f.getvalue()) for f in uploaded]
    reviewed = _review(files, mode)
    if reviewed is None:
        return
    current, report = reviewed
    _show_review(current, report)
    if current.committable:
        _commit_form(current)


def _review(files: list[InputFile], mode: str) -> tuple[Review, bytes] | None:
    """The review of these files against the active version and its report as xlsx,
    computed once per (files, mode, active version)."""
    store = context.store()
    token = store.state_token()
    # The follow-up items' revision too: an answer's item closed or reopened since is checked again.
    identity = (tuple(f.name for f in files), upload_sha256(files), token, mode, followups.revision(store))
    kept = st.session_state.get(REVIEW_KEY)
    if kept is not None and kept[0] == identity:
        return kept[1], kept[2]
    names = render.escape_md("、".join(f.name for f in files))  # file names are the uploader's text
    failure = None
    with st.status(f"正在读取和校验：{names}", expanded=True) as status:
        try:
            st.write("读取文件并逐行校验……")
            items = followups.item_index(store)  # a 督办反馈 sheet's answers are checked against them
            parsed = read_workbook(files, shell.plan(), replace=mode == REPLACE, followups=items)
            st.write(f"校验完成：错误 {parsed.error_count} 处，提醒 {parsed.warning_count} 处。")
            versions = context.versions()
            active = next((v for v in versions if v.active), None)
            if parsed.ok:
                st.write("与当前版本比较，计算变化摘要……")
            result = review(shell.plan(), parsed, versions,
                            context.version_data(active.id) if active is not None else None, mode=mode,
                            followups=items)
            report = report_xlsx(parsed, datetime.now().replace(microsecond=0))
        except YzlogiError as exc:
            failure = str(exc)
        except Exception:  # noqa: BLE001 - never a traceback on the page
            log.exception("reviewing an upload failed")
            failure = GENERIC_ERROR
        if failure is not None:
            status.update(label=f"无法读取上传的文件：{names}", state="error", expanded=False)
        elif parsed.ok:
            status.update(label=f"读取和校验完成：{names}，没有错误", state="complete", expanded=False)
        else:
            status.update(label=f"读取和校验完成：{names}，发现 {parsed.error_count} 处错误", state="error",
                          expanded=False)
    if failure is not None:
        st.error(render.escape_md(failure))
        return None
    st.session_state[REVIEW_KEY] = (identity, result, report)
    return result, report


def _show_review(current: Review, report: bytes) -> None:
    parsed = current.parsed
    st.subheader("校验报告")
    errors, warnings = st.columns(2)
    errors.metric("错误", parsed.error_count)
    warnings.metric("提醒", parsed.warning_count)
    summary = report_summary(parsed)
    for line in summary[1:]:
        st.warning(line)
    frame = report_frame(parsed)
    if frame.empty:
        st.success("没有发现错误或提醒。")
    else:
        render.table(frame, light_columns=())
    st.download_button("下载校验报告（xlsx）", report, file_name=REPORT_FILE_NAME, mime=XLSX_MIME,
                       key="data_report_download", icon=":material/download:", on_click="ignore")
    if not parsed.ok:
        st.error(f"{WorkbookHasErrors(parsed.error_count)} 请按校验报告修改后重新上传。")
        return
    if current.duplicate_of is not None:
        st.info(render.escape_md(duplicate_message(current.duplicate_of)))
        return
    st.subheader("变化摘要")
    against = current.against
    merged = current.merge
    st.caption(
        f"导入后与当前版本 v{against.id} 相比的变化（按 {current.digest.as_of.label} 计算灯号）。确认无误后再导入。"
        if against is not None else "这将是第一个版本。"
    )
    if merged is not None:
        st.markdown(digest_markdown(current.lines()))  # the merge's lines and what the 督办反馈 does
        if merged.mode == REPLACE and against is not None and not merged.replaced_sample:
            _show_removals(merged)
    # The rows per sheet are the merge's lines above.
    st.markdown(digest_markdown(current.digest.lines(rows=False)))


def _show_removals(merged) -> None:
    """What a replace deletes, per sheet, and whether it needs a typed confirmation."""
    rows = [{"工作表": s.name, "当前行数": s.before, "替换后行数": s.after, "将删除": s.removed,
             "删除比例": f"{s.removed_share:.0%}"} for s in merged.sheets if s.before or s.after]
    st.markdown("**全部替换将删除的行**")
    render.table(pd.DataFrame(rows), light_columns=())
    if merged.needs_confirmation:
        st.warning(f"有工作表将删除超过 {REPLACE_CONFIRM_SHARE:.0%} 的已有数据。如确需全部替换，"
                   f"请在下方输入“{CONFIRM_WORD}”后再确认导入；只报送本月数据时，请改选“合并”。")


def digest_markdown(lines: list[str]) -> str:
    """Digest lines as a nested Markdown list, each line's text made inert."""
    out = []
    for line in lines:
        if line.startswith("  "):
            out.append(f"    - {render.escape_md(line.strip())}")
        else:
            out.append(f"- {render.escape_md(line)}")
    return "\n".join(out)


def _commit_form(current: Review) -> None:
    # The token names the active version the digest above was computed against.
    token = context.store().state_token()
    with st.form("data_commit_form"):
        st.text_input("导入人（必填，记入版本历史）", key="data_by", max_chars=40)
        st.text_input("备注（选填，如：2026年6月数据）", key="data_note", max_chars=200)
        if current.merge is not None and current.merge.needs_confirmation:
            st.text_input(f"确认全部替换：请输入“{CONFIRM_WORD}”", key=CONFIRM_KEY, max_chars=10)
        st.form_submit_button("确认导入为新的当前版本", key="data_commit", type="primary",
                              icon=":material/cloud_upload:", on_click=_confirm, args=(token,))


def _confirm(token_then: str) -> None:
    """The confirm button's callback: commit, and say how it went."""
    flash(SECTION, *_commit(token_then))


def _commit(token_then: str) -> tuple[str, str]:
    """Commit the reviewed upload, re-checking access and the active version right now."""
    if not access.unlocked():
        return "error", NOT_UNLOCKED
    kept = st.session_state.get(REVIEW_KEY)
    if kept is None or not kept[1].committable:
        return "error", "没有可导入的文件，当前数据未改变。请重新上传。"
    identity, current, _report = kept
    mode = identity[3]
    by = (st.session_state.get("data_by") or "").strip()
    note = (st.session_state.get("data_note") or "").strip()
    if not by:
        return "error", "请填写导入人姓名后再确认导入。"
    if current.merge is not None and current.merge.needs_confirmation and (
            (st.session_state.get(CONFIRM_KEY) or "").strip() != CONFIRM_WORD):
        return "error", f"全部替换将删除大量已有数据：请在确认框中输入“{CONFIRM_WORD}”后再确认导入。当前数据未改变。"
    try:
        if identity[2] != token_then:  # the form and the digest were drawn against different states
            raise ChangedMeanwhile("导入", context.store().state_token())
        # Checked again under the store's write lock: the state the digest was computed against.
        version = context.store().commit(current.parsed, by=by, note=note, expected_token=token_then, mode=mode)
    except ChangedMeanwhile as exc:
        log.info("commit refused: the active version changed meanwhile (now %s)", exc.token)
        return "warning", render.escape_md(f"{exc}{CHANGED_MEANWHILE}")
    except DuplicateUpload as exc:
        return "info", render.escape_md(exc)
    except YzlogiError as exc:
        return "error", render.escape_md(exc)
    except Exception:  # noqa: BLE001 - never a traceback on the page
        log.exception("committing an upload failed")
        return "error", GENERIC_ERROR
    log.info("version %s committed from the web page", version.id)
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1  # a fresh, empty uploader
    st.session_state.pop(REVIEW_KEY, None)
    done = current.merge.done if current.merge is not None else ""
    answered = "督办反馈已记入相应督办事项的办理记录。" if current.answers else ""
    return "success", f"已{done}导入为版本 {version.id}，并已设为当前版本。各页面均显示新数据。{answered}"
