"""A snapshot: one version at one as-of month, with its status and its change
digest against the version before it. What the command line reports and what
a briefing records, so that what a meeting saw can be produced again.

A version is judged under the plan it was committed under (Store.plan_of); when
the plan file has changed since, `plan_changes` says how."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from yzlogi.digest import Digest, compute_digest
from yzlogi.errors import YzlogiError
from yzlogi.model import Version, VersionData
from yzlogi.months import Month
from yzlogi.plan import Plan, plan_changes
from yzlogi.status import Status, compute_status, default_as_of
from yzlogi.store import Store


@dataclass(frozen=True)
class Snapshot:
    version: Version
    data: VersionData
    as_of: Month
    latest: Month  # the latest month in the version's data (the default as-of)
    status: Status
    previous: Version | None  # the version committed just before this one
    plan: Plan  # the plan the version was committed and is judged under
    store: Store = field(repr=False, compare=False)

    @cached_property
    def plan_changes(self) -> list[str]:
        """How the plan file has changed since this version was committed (empty: it has not)."""
        if self.plan.digest == self.store.plan.digest:
            return []
        return plan_changes(self.plan, self.store.plan)

    @cached_property
    def digest(self) -> Digest:
        """This version against `previous`, at the same as-of; made when first asked for,
        since it loads a second version that the status alone does not need."""
        if self.previous is None:
            return compute_digest(self.plan, None, self.data, self.as_of, new_status=self.status)
        old = self.store.load(self.previous.id)
        # Each version under its own plan: a plan change is never a change of lights in disguise.
        old_status = compute_status(self.store.plan_of(self.previous), old, self.as_of)
        return compute_digest(self.plan, old, self.data, self.as_of, old_status=old_status, new_status=self.status)


def plan_json(shot: Snapshot) -> dict:
    """Which plan judged the snapshot, and how the plan file has changed since (status --json)."""
    return {
        "digest": shot.plan.digest,
        "title": shot.plan.title,
        "years": list(shot.plan.years),
        "current": not shot.plan_changes,
        "changes": shot.plan_changes,
    }


def parse_month(text: str) -> Month:
    """A --as-of argument (YYYY-MM), refused in Chinese when malformed."""
    try:
        return Month.parse(text)
    except ValueError:
        raise YzlogiError(f"月份“{text}”格式不对，应为 YYYY-MM，如 2026-06") from None


def _within(start: Month, latest: Month, as_of: Month, version: Version) -> Month:
    """An as-of month the app also offers: from the plan's first month to the version's
    latest; a later month would judge months nobody has reported yet."""
    first = start if latest >= start else latest
    if not first <= as_of <= latest:
        raise YzlogiError(f"截至月份 {as_of} 超出版本 {version.id} 的数据范围：应在 {first} 至 {latest} 之间"
                          f"（不指定时为 {latest}，即该版本数据的最新月份）")
    return as_of


def take(store: Store, version_id: int | None = None, as_of: Month | None = None) -> Snapshot:
    """The snapshot of a version (default: the active one) at a month (default: its latest)."""
    versions = store.versions()  # one read for the version, its predecessor and the active flag
    if version_id is None:
        version = next((v for v in versions if v.active), None)
        if version is None:
            raise YzlogiError("还没有任何数据版本，请先导入进度填报工作簿")
    else:
        version = store.version(version_id)
    data = store.load(version.id)
    plan = store.plan_of(version)
    latest = default_as_of(data, plan.start)
    month = latest if as_of is None else _within(plan.start, latest, as_of, version)
    earlier = [v for v in versions if v.id < version.id]
    previous = max(earlier, key=lambda v: v.id) if earlier else None
    return Snapshot(
        version=version,
        data=data,
        as_of=month,
        latest=latest,
        status=compute_status(plan, data, month),
        previous=previous,
        plan=plan,
        store=store,
    )
