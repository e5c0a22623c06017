"""The errors yzlogi raises on purpose; each carries a Chinese message for users."""


class YzlogiError(Exception):
    """An expected failure whose message (Chinese) can be shown to a user as is."""


class PlanError(YzlogiError):
    """The plan reference data is broken; the app cannot start on it."""


def write_error(path, exc: OSError) -> str:
    """Why a file could not be written, in Chinese."""
    reason = {
        FileNotFoundError: "所在文件夹不存在",
        PermissionError: "没有写入权限",
        IsADirectoryError: "这是一个文件夹",
    }.get(type(exc), f"系统错误 {exc.errno}")
    return f"无法写入 {path}：{reason}"
