"""The follow-up items' expected failures, each with a Chinese message a user can be shown as is.

Every one is raised before anything is written: a refused action changes nothing."""

from __future__ import annotations

from yzlogi.errors import YzlogiError


class FollowupError(YzlogiError):
    """An expected failure of a follow-up action; the message is Chinese."""


class UnknownItem(FollowupError):
    def __init__(self, item_id: object):
        super().__init__(f"没有编号为 {item_id} 的督办事项。可用 python -m yzlogi followup list 查看已有事项。")
        self.item_id = item_id


class ItemClosed(FollowupError):
    """The action needs an open item, and this one is closed (销号)."""


class ItemOpen(FollowupError):
    """The action needs a closed item, and this one is open."""


class BadAbout(FollowupError):
    """What an item is about names nothing of the plan, or is written wrongly."""


class UnknownUnit(FollowupError):
    """A unit the plan does not know."""


class BadDue(FollowupError):
    """A due date before the day the item was raised, or no change."""


class BadText(FollowupError):
    """An empty or overlong requirement, answer or note."""
