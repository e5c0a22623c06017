"""Locks on the data folder: many readers or one writer, across threads and processes.

DuckDB lets one process open a database file read-write, or many processes open
it read-only, and one process cannot hold the same file under two configurations
at once. The app (many Streamlit threads in one process) and the command line
(another process) share the folder, so every use of the database is short and
happens under a lock file beside it:

- readers hold a shared flock, writers an exclusive one;
- every acquisition opens its own file descriptor: flock locks belong to the open
  file description, so threads of one process exclude each other exactly as
  processes do;
- a second lock file is a turnstile that gives writers fairness: a writer holds it
  while it waits, so new readers queue behind the writer while the readers already
  inside finish (readers pass the turnstile in an instant and let go of it);
- waits are bounded (config.LOCK_TIMEOUT_S) and end in LockTimeout, a Chinese
  message, never a raw lock error. flock has no timed wait, so the wait polls.

flock is advisory and local: the folder must be on a local file system.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from yzlogi.config import LOCK_TIMEOUT_S
from yzlogi.errors import YzlogiError

# Poll intervals while waiting: short at first so an uncontended wait ends fast.
_FIRST_PAUSE_S = 0.001
_LONGEST_PAUSE_S = 0.025


class LockTimeout(YzlogiError):
    """Another reader or writer kept the data folder longer than the allowed wait."""


class FolderUnusable(YzlogiError):
    """The data folder or its lock files cannot be created or opened for writing."""


_held = threading.local()  # lock files this thread holds: nested acquisition would deadlock


class FolderLock:
    """The shared/exclusive lock of one data folder."""

    def __init__(self, folder: Path, name: str = "yzlogi", timeout_s: float | None = None):
        self.folder = Path(folder)
        self.path = self.folder / f"{name}.lock"
        self.turnstile = self.folder / f"{name}.turnstile"
        self.timeout_s = timeout_s

    def _timeout(self) -> float:
        return self.timeout_s if self.timeout_s is not None else float(LOCK_TIMEOUT_S.value)

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Hold the folder for reading: other readers may too, no writer may."""
        with self._holding(exclusive=False):
            yield

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the folder for writing: alone."""
        with self._holding(exclusive=True):
            yield

    @contextmanager
    def _holding(self, exclusive: bool) -> Iterator[None]:
        key = str(self.path)
        held = _held.__dict__.setdefault("paths", set())
        if key in held:
            raise RuntimeError(f"nested acquisition of {key} by one thread would deadlock")
        timeout = self._timeout()
        deadline = time.monotonic() + timeout
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gate = _acquire(self.turnstile, fcntl.LOCK_EX, deadline, timeout, exclusive)
        except OSError as exc:
            raise FolderUnusable(f"无法使用数据文件夹 {self.folder}：{_reason(exc)}。") from exc
        try:
            main = _acquire(self.path, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, deadline, timeout, exclusive)
        finally:
            # A writer lets go of the turnstile once it holds the lock: readers then
            # queue on the lock itself until it is done.
            os.close(gate)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            os.close(main)  # closing the descriptor releases its flock


def _acquire(path: Path, mode: int, deadline: float, timeout: float, writing: bool) -> int:
    """A new descriptor on `path` holding flock `mode`, or LockTimeout at the deadline."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    pause = _FIRST_PAUSE_S
    try:
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                pass
            now = time.monotonic()
            if now >= deadline:
                raise LockTimeout(_timeout_message(timeout, writing))
            time.sleep(min(pause, deadline - now))
            pause = min(pause * 2, _LONGEST_PAUSE_S)
    except BaseException:
        os.close(fd)
        raise


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "运行本程序的用户没有写入权限"
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "该路径（或其上级）是一个文件，不是文件夹"
    return f"系统错误 {exc.errno}（{exc.strerror}）"


def _timeout_message(timeout: float, writing: bool) -> str:
    if writing:
        return (f"数据正被另一个导入或查看操作占用，等待 {timeout:g} 秒后仍未释放，"
                "本次操作未执行，已保存的数据未受影响。请稍后重试。")
    return f"数据正被另一个导入操作占用，等待 {timeout:g} 秒后仍未完成。请稍后刷新重试。"
