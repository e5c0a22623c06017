"""How the rows of the pages' tables read as cards on a phone (ui.htmltable.Card), one per kind of table.

The columns named here are those of yzlogi.views' frames; a table without one of them
simply leaves it out of its cards."""

from __future__ import annotations

from ui.htmltable import Card

# A red or yellow item: the light, what, why (总览, 部门详情, each page's 红灯、黄灯).
ALERT = Card(title="事项", meta=("类别", "牵头单位"), body=("原因",))
# A task one unit leads or supports: both lights, its report in a line, the texts folded.
TASK = Card(title="任务", lights=("任务灯", "本单位"), meta=("状态", "完成进度", "报告月份"),
            details=("进展情况", "存在问题", "下步计划"), summary="进展、问题、下步", plain=("状态", "报告月份"))
# What a unit has not reported for the month.
MISSING = Card(title="事项", meta=("角色",), body=("说明",))
# An indicator a unit leads or supports.
INDICATOR = Card(title="指标", meta=("角色", "目标", "完成值"), body=("说明",))
# 总览's fleet (its routes: compact()).
FLEET = Card(title="类别", meta=("目标", "已完成", "在建", "计划", "序时进度"), body=("说明",))
# A 督办事项.
FOLLOWUP = Card(title="事项", meta=("编号", "办理单位", "截止日期"), body=("说明", "督办要求", "最新反馈"))


def compact(columns, title: str, lights: tuple[str, ...]) -> Card:
    """A card whose every other column is on its meta line (short figures: 总览's routes)."""
    return Card(title=title, lights=lights, meta=tuple(c for c in columns if c != title and c not in lights))
