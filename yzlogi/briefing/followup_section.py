"""What the briefing says about follow-up items (督办事项), whatever its format.

The open items by light (逾期, 临期, 办理中: red, yellow, green) with their units, what is
required, the due date and why, then the items closed since the last briefing was handed out
(the latest export recorded before the day: Store.exports()). The items are those of the
snapshot's store as they stood at the end of `day` (default today): follow-ups belong to no
version, so the same version and month briefed on another day may say more here. For a day
that is over, the same day gives the same section, and the briefing the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pandas as pd

from yzlogi import config
from yzlogi.levels import GREEN, RED, YELLOW
from yzlogi.followups.lights import CLOSED, STATES, counts
from yzlogi.followups.model import date_label
from yzlogi.followups.present import CLOSED_COLUMNS, OPEN_COLUMNS, closed_rows, open_rows
from yzlogi.followups.service import Judged, items, judge
from yzlogi.snapshot import Snapshot

TITLE = "督办事项"
OPEN_TITLE = "未办结事项（按逾期、临期、办理中排列）"
NO_ITEMS = "暂无督办事项。"
NO_OPEN = "没有未办结的督办事项。"


@dataclass(frozen=True)
class FollowupSection:
    day: date
    soon_days: int
    open: tuple[Judged, ...]  # red, then yellow, then green; the earliest due first within each
    closed: tuple[Judged, ...]  # closed since `since`
    since: datetime | None  # the last briefing handed out before `day`; None: none was
    total: int  # items raised by the end of `day`

    @property
    def empty(self) -> bool:
        return self.total == 0

    def summary(self) -> str:
        """按 2026年7月18日 计：未办结 3 项（逾期 1 项，临期 1 项，办理中 1 项）；临期指距截止日期 7 天以内（含当天）。"""
        found = counts(j.light for j in self.open)
        parts = "，".join(f"{STATES[key]} {found[key]} 项" for key in (RED, YELLOW, GREEN))
        return (f"按 {date_label(self.day)} 计：未办结 {len(self.open)} 项（{parts}）；"
                f"临期指距截止日期 {self.soon_days} 天以内（含当天）。")

    def closed_title(self) -> str:
        if self.since is None:
            return "已办结事项（此前未导出过会议材料）"
        return f"自上次导出会议材料（{date_label(self.since.date())}）以来办结的事项"

    def no_closed(self) -> str:
        if self.since is None:
            return "没有已办结的事项。"
        return "自上次导出会议材料以来没有办结的事项。"

    def open_frame(self) -> pd.DataFrame:
        return pd.DataFrame(open_rows(self.open), columns=list(OPEN_COLUMNS))

    def closed_frame(self) -> pd.DataFrame:
        return pd.DataFrame(closed_rows(self.closed), columns=list(CLOSED_COLUMNS))


def followup_section(snapshot: Snapshot, day: date | None = None, soon_days: int | None = None) -> FollowupSection:
    """The section for the snapshot's store on `day` (default today)."""
    day = day or date.today()
    soon = config.followup_due_soon_days() if soon_days is None else soon_days
    judged = judge(items(snapshot.store), day, soon)
    if not judged:  # no exports are read: a briefing without items never depends on them
        return FollowupSection(day, soon, (), (), None, 0)
    start = datetime.combine(day, time.min)
    earlier = [export.at for export in snapshot.store.exports() if export.at < start]
    since = max(earlier) if earlier else None
    open_ = tuple(j for j in judged if j.light.level != CLOSED)
    closed = tuple(j for j in judged if j.light.level == CLOSED and (since is None or j.item.closed_event.at > since))
    return FollowupSection(day, soon, open_, closed, since, len(judged))
