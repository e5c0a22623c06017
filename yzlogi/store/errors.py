"""The store's expected failures, each with a Chinese message a user can be shown as is."""

from __future__ import annotations

from yzlogi.errors import YzlogiError
from yzlogi.model import Version


class StoreError(YzlogiError):
    """An expected failure of the store; the message is Chinese."""


class UnknownVersion(StoreError):
    def __init__(self, version_id: object):
        super().__init__(f"版本 {version_id} 不存在。可用 python -m yzlogi versions 查看已有版本。")
        self.version_id = version_id


class WorkbookHasErrors(StoreError):
    def __init__(self, error_count: int):
        super().__init__(f"工作簿有 {error_count} 处错误，未导入，当前数据未改变。")
        self.error_count = error_count


class DuplicateUpload(StoreError):
    """The same bytes were committed before: `version` is that version."""

    def __init__(self, version: Version):
        super().__init__(duplicate_message(version))
        self.version = version


class AlreadyActive(StoreError):
    def __init__(self, version_id: int):
        super().__init__(f"版本 {version_id} 已是当前版本，无需切换。")


class CommitFailed(StoreError):
    """Writing a version failed part way; the transaction was rolled back."""


class AnswersRefused(StoreError):
    """An upload's 督办反馈 names an item that does not exist or is closed (checked under the write lock)."""

    def __init__(self, problems: list[str]):
        super().__init__("督办反馈有误，未导入，当前数据未改变：" + "；".join(problems) + "。")
        self.problems = tuple(problems)


class StoreUnavailable(StoreError):
    """The database file cannot be opened or is of an unknown layout."""


class RawFileMissing(StoreError):
    """A kept upload is missing from uploads/ or no longer matches its sha256."""


class ChangedMeanwhile(StoreError):
    """Another writer changed the active version after the caller looked (its expected_token)."""

    def __init__(self, action: str, token: str):
        version = token.rpartition(":")[2]
        now = f"当前版本现为版本 {version}" if version not in ("", "0") else "当前版本已变化"
        super().__init__(f"在您确认之前，其他人已更新了数据（{now}），本次{action}未执行，当前数据未改变。")
        self.token = token


def duplicate_message(version: Version) -> str:
    text = (f"这些文件与已导入的版本 {version.id}（{version.committed_at:%Y-%m-%d %H:%M}，{version.by}）"
            "内容完全相同，未重复导入。")
    if not version.active:
        text += f"版本 {version.id} 当前未生效；如需恢复它，请回滚到版本 {version.id}。"
    return text

