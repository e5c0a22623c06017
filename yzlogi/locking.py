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

A third file, yzlogi.running, tells whether an app process uses the folder: the
app holds a shared flock on it for as long as it runs (RunningMark), which
`restore` tries to take exclusively without waiting (`in_use`).

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


RUNNING_FILE = "yzlogi.running"
LOCK_FILES = ("yzlogi.lock", "yzlogi.turnstile", RUNNING_FILE)  # never copied, moved or removed

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


class RunningMark:
    """Says "an app runs on this folder" for as long as the object lives: a shared flock
    on yzlogi.running (many app processes may hold it; `in_use` sees any of them)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / RUNNING_FILE
        self._fd: int | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise FolderUnusable(f"无法使用数据文件夹 {self.path.parent}：{_reason(exc)}。") from exc
        # Waits only while a restore holds the folder (`idle`): the app then opens the restored data.
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.release()


def in_use(folder: Path) -> bool:
    """Whether an app process holds a RunningMark on the folder now (never waits)."""
    try:
        with idle(folder, create=False):
            return False
    except FolderInUse:
        return True


class FolderInUse(YzlogiError):
    """An app process runs on the data folder."""


@contextmanager
def idle(folder: Path, create: bool = True) -> Iterator[None]:
    """Hold yzlogi.running exclusively: no app runs on the folder, and one that starts
    meanwhile waits until this ends. FolderInUse at once when an app runs."""
    path = Path(folder) / RUNNING_FILE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | (os.O_CREAT if create else 0), 0o666)
    except FileNotFoundError:
        if create:
            raise
        yield  # no app ever marked this folder
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderInUse(f"看板正在使用数据文件夹 {folder}。") from None
        yield
    finally:
        os.close(fd)
