"""What every page is looking at: the version, the as-of month and their status.

The store is opened once per process; a version's tables and each (version,
as-of) status are cached, since versions never change. The list of versions is
cached on the store's state token, so a commit or rollback made by another
session or by the command line shows on the next rerun without reading DuckDB
on every rerun. The sidebar widgets keep the version and the as-of month in
the URL (?v=3&asof=2026-06), so a link reproduces the view.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from ui import shell, urlstate
from ui.render import escape_md
from yzlogi.digest import Digest, compute_digest
from yzlogi.errors import YzlogiError
from yzlogi.locking import RunningMark
from yzlogi.model import Version, VersionData
from yzlogi.months import Month, month_range
from yzlogi.plan import Plan, plan_changes
from yzlogi.status import Status, compute_status, default_as_of
from yzlogi.store import Store

ACTIVE = "active"  # the version selector's default: whatever version is active
LATEST = "latest"  # the as-of selector's default: the latest month in the data
VERSION_KEY = "v"
AS_OF_KEY = "asof"


@st.cache_resource(show_spinner=False)
def _store() -> Store:
    store = Store(plan=shell.plan())
    _running(str(store.folder))
    store.ensure_ready()
    return store


@st.cache_resource(show_spinner=False)
def _running(folder: str) -> RunningMark:
    """Held while the app runs, so that `python -m yzlogi restore` refuses the folder."""
    return RunningMark(Path(folder))


def store() -> Store:
    """The process's store; an unusable data folder stops the page with its message."""
    try:
        return _store()
    except YzlogiError as exc:
        st.error(f"数据文件夹无法使用：{exc}")
        st.stop()
        raise


@st.cache_resource(show_spinner=False)
def _known_versions(folder: str) -> tuple[dict[int, Version], threading.Lock]:
    """Every version read so far from the data folder, by id: a version never changes once
    committed (which one is active is the state token's business)."""
    return {}, threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=8)
def _versions(token: str) -> tuple[Version, ...]:
    # A resource, not data: shared as is (Versions are frozen), never copied on every call of every run.
    # Only the versions committed since the last read are read (hundreds of returns make hundreds of versions).
    the_store = store()
    known, lock = _known_versions(str(the_store.folder))
    with lock:
        new, active = the_store.versions_after(max(known, default=0))
        known.update((v.id, v) for v in new)
        listed = [known[i] for i in sorted(known)]
    return tuple(v if v.active == (v.id == active) else replace(v, active=v.id == active) for v in listed)


def versions() -> tuple[Version, ...]:
    """Every version, oldest first, with the active flag; re-read only after a change."""
    try:
        return _versions(store().state_token())
    except YzlogiError as exc:
        st.error(str(exc))
        st.stop()
        raise


@st.cache_resource(show_spinner=False, max_entries=16)
def version_data(version_id: int) -> VersionData:
    return store().load(version_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def version_plan(version_id: int) -> Plan:
    """The plan a version was committed and is judged under (the current one unless the file changed since)."""
    return store().plan_of(store().version(version_id))


@st.cache_resource(show_spinner=False, max_entries=64)
def _status(version_id: int, as_of: str) -> Status:
    return compute_status(version_plan(version_id), version_data(version_id), Month.parse(as_of))


def status_of(version_id: int, as_of: Month) -> Status:
    """A version's status at a month, judged under its own plan (cached: versions never change)."""
    return _status(version_id, str(as_of))


@st.cache_resource(show_spinner=False, max_entries=32)
def _default_as_of(version_id: int) -> Month:
    return default_as_of(version_data(version_id), version_plan(version_id).start)


@st.cache_resource(show_spinner=False, max_entries=32)
def _digest(old_id: int | None, new_id: int, as_of: str) -> Digest:
    # Both statuses through their caches (each version under its own plan): the new one is the
    # page's, the old one is reused when that version is viewed.
    old = version_data(old_id) if old_id is not None else None
    return compute_digest(version_plan(new_id), old, version_data(new_id), Month.parse(as_of),
                          old_status=_status(old_id, as_of) if old_id is not None else None,
                          new_status=_status(new_id, as_of))


@dataclass(frozen=True)
class View:
    """The version and as-of month a page shows, with everything derived from them.

    `plan` is the plan the version is judged under: the plan file's current one unless
    the file has changed since the version was committed (then `plan_changes` says how)."""

    plan: Plan
    versions: tuple[Version, ...]
    version: Version
    as_of: Month
    latest: Month  # the latest month in the version's data (default as-of)
    status: Status

    @property
    def key(self) -> tuple[int, str]:
        """What everything drawn from this view depends on: cache keys start with it."""
        return self.version.id, str(self.as_of)

    @property
    def is_active(self) -> bool:
        return self.version.active

    @property
    def plan_changes(self) -> list[str]:
        """How the plan file differs from the version's plan (empty: the same plan)."""
        current = shell.plan()
        return [] if current.digest == self.plan.digest else plan_changes(self.plan, current)

    @property
    def data(self) -> VersionData:
        return version_data(self.version.id)

    @property
    def previous(self) -> Version | None:
        """The version committed just before this one (for 自上次更新以来)."""
        earlier = [v for v in self.versions if v.id < self.version.id]
        return max(earlier, key=lambda v: v.id) if earlier else None

    def digest_since_previous(self) -> Digest:
        previous = self.previous
        return _digest(previous.id if previous else None, self.version.id, str(self.as_of))


def version_label(version: Version) -> str:
    """How a version is named in menus: v3 · 2026-06-30 14:02 · 张三（当前）."""
    when = version.committed_at.strftime("%Y-%m-%d %H:%M")
    parts = [f"v{version.id}", when, version.by or "—"]
    if version.sample:
        parts.append("示例数据")
    label = " · ".join(parts)
    return label + ("（当前）" if version.active else "")


RECENT = 20  # versions a picker lists (newest first); an older one is typed in by its number


def typed_version(text: object, ids) -> str | None:
    """A version typed into a picker ("37", "v37", "版本37") as its id if there is one, else None."""
    match = re.fullmatch(r"\s*(?:v|V|版本)?\s*(\d+)\s*", str(text))
    return match.group(1) if match and match.group(1) in {str(i) for i in ids} else None


def recent_ids(all_versions, keep: str | None = None) -> list[str]:
    """The newest RECENT version ids, newest first, and `keep` (a chosen older one) after them."""
    ids = [str(v.id) for v in reversed(all_versions[-RECENT:])]
    if keep is not None and keep not in ids and any(str(v.id) == keep for v in all_versions):
        ids.append(keep)
    return ids


def _chosen_version(all_versions: list[Version]) -> Version:
    chosen = st.session_state.get(VERSION_KEY, ACTIVE)
    by_id = {str(v.id): v for v in all_versions}
    if chosen in by_id:
        return by_id[chosen]
    active = [v for v in all_versions if v.active]
    return active[0] if active else all_versions[0]


def as_of_options(plan: Plan, latest: Month) -> list[str]:
    """The as-of choices: the latest month first, back to the plan's first month."""
    first = plan.start if latest >= plan.start else latest
    return [LATEST] + [str(m) for m in reversed(month_range(first, latest))]


def sidebar() -> None:
    """The shared sidebar: version (time travel) and as-of month, both in the URL."""
    all_versions = versions()
    if not all_versions:
        st.sidebar.warning("还没有任何数据版本。请在“数据管理”页上传进度填报工作簿。")
        return
    # The newest versions, newest first; any other is typed in by number (hundreds of versions
    # would make every run of every page carry hundreds of options).
    by_id = {str(v.id): v for v in all_versions}
    urlstate.adopt(VERSION_KEY, ACTIVE, lambda text: typed_version(text, by_id))
    chosen = st.session_state[VERSION_KEY]
    if chosen != ACTIVE and chosen not in by_id:  # typed in, or a version list that changed under us
        st.session_state[VERSION_KEY] = typed_version(chosen, by_id) or ACTIVE
        if st.session_state[VERSION_KEY] == ACTIVE:
            st.sidebar.warning(f"没有版本“{escape_md(chosen)}”，已显示当前版本。")
    options = [ACTIVE] + recent_ids(all_versions, st.session_state[VERSION_KEY])
    older = f"；更早的 {len(all_versions) - RECENT} 个版本请输入版本号，如 {all_versions[0].id}" \
        if len(all_versions) > RECENT else ""
    st.sidebar.selectbox(
        "数据版本",
        options,
        key=VERSION_KEY,
        format_func=lambda o: "当前版本" if o == ACTIVE else version_label(by_id[o]) if o in by_id else str(o),
        accept_new_options=True,
        help=f"选择历史版本可查看当时的数据（时间回溯）。列出最近 {min(RECENT, len(all_versions))} 个版本，最新的在前"
             f"{older}。默认显示当前版本。",
    )
    chosen = st.session_state[VERSION_KEY]
    urlstate.mirror(VERSION_KEY, None if chosen == ACTIVE else chosen)

    version = _chosen_version(all_versions)
    latest = _default_as_of(version.id)
    months = as_of_options(version_plan(version.id), latest)
    urlstate.adopt(AS_OF_KEY, LATEST, lambda text: text if text in months else None)
    if st.session_state[AS_OF_KEY] not in months:  # a month beyond another version's data
        st.session_state[AS_OF_KEY] = LATEST
    st.sidebar.selectbox(
        "截至月份",
        months,
        key=AS_OF_KEY,
        format_func=lambda o: f"最新（{latest.label}）" if o == LATEST else Month.parse(o).label,
        help="按该月末的序时进度计算各项灯号；晚于该月的数据不计入。",
    )
    month = st.session_state[AS_OF_KEY]
    urlstate.mirror(AS_OF_KEY, None if month == LATEST else month)


def current() -> View | None:
    """The view the sidebar selects; None when there is no version at all."""
    all_versions = versions()
    if not all_versions:
        return None
    version = _chosen_version(all_versions)
    latest = _default_as_of(version.id)
    chosen = st.session_state.get(AS_OF_KEY, LATEST)
    as_of = latest
    if chosen not in (None, LATEST):
        try:
            as_of = min(Month.parse(chosen), latest)
        except ValueError:
            as_of = latest
    return View(
        plan=version_plan(version.id),
        versions=tuple(all_versions),
        version=version,
        as_of=as_of,
        latest=latest,
        status=_status(version.id, str(as_of)),
    )


def require() -> View:
    """The current view, or a message and a stop when no data has been committed."""
    shell.plan()  # routes the run through app.py first (ui.ensure_router)
    view = current()
    if view is None:
        st.info("还没有任何数据版本。请在“数据管理”页上传进度填报工作簿。")
        st.stop()
    banner(view)
    return view


def banner(view: View) -> None:
    """The notices every data page starts with: sample data, an earlier version."""
    if view.version.sample:
        st.warning(
            "示例数据：当前显示的是随系统附带的虚构示例数据，仅供演示，不代表实际进度。"
            "上传真实的进度填报工作簿后，此提示消失。",
            icon=":material/science:",
        )
    changes = view.plan_changes
    if changes:
        from yzlogi.plan.diff import summary

        st.warning(
            f"此版本导入后，计划数据文件已修改：本页灯号仍按该版本导入时的计划（{escape_md(view.plan.title)}）计算，"
            "未按新计划重新评判。计划的变化：" + "；".join(escape_md(line) for line in summary(changes)),
            icon=":material/rule:",
        )
    if not view.is_active:
        st.info(
            f"正在查看历史版本 {escape_md(version_label(view.version))}，不是当前版本。"
            "在侧边栏“数据版本”中选择“当前版本”可返回。",
            icon=":material/history:",
        )
