"""Untrusted files are opened in a short-lived process of their own: the sandbox.

An uploaded file is parsed by native code (calamine, through fastexcel) that can
panic, abort the whole process, or try to allocate gigabytes for a 2 KB file. So
the server and the command line never parse one themselves. Each file is read by
a child process that limits itself before it looks at a byte of the file
(address space, CPU seconds, no file written, no core dump), runs yzlogi.reader
and hands back the raw sheets as Arrow IPC, or the reader's refusal. The parent
holds the child to a wall time and an output size. A child that panics, aborts,
is killed, runs out of time or memory, or answers anything but a well-formed
result becomes one Chinese refusal naming the file (code CRASHED); what the
child wrote on stderr (the library's own words) goes to the log. The parent
never fails with it.

    read_files(files) -> [ReadResult | ReadError, …]   one child per file, a few at a time
    prefetch(files)                                     start the children early (the command line
                                                        loads DuckDB and the plan meanwhile)

Children are forked by a zygote: a process started once per parent, on first
use (`python -m yzlogi.sandbox_child zygote`, where both live), that has imported
the reader and its libraries and does nothing but fork one child per file. A child then costs a
fork (a few ms) instead of a Python start and pyarrow's import (~150 ms). The
zygote never reads a file; it is restarted if it dies. It is not a security
boundary against code execution (the child runs as the same user); it contains
crashes and runaway resource use.

The protocol. The parent sends the zygote, over a Unix socket, a JSON request
(limits, the YZLOGI_ environment) with four descriptors: the child's stdin,
stdout, stderr and a status pipe; the zygote forks, answers the child's pid, and
when the child ends writes its wait status (4 bytes) to the status pipe.
  stdin   4-byte big-endian length, a JSON header {"name": file name}, the file's bytes
  stdout  frames of an 8-byte big-endian length and a payload: first a JSON summary,
          {"refused": [code, message]} or {"problems": [[code, message, sheet], …],
          "sheets": [{"name", "format", "positions", "rows", "percent", "literal"}, …]}, then one
          Arrow IPC stream per sheet (one record batch of string columns)
  stderr  free text, logged by the parent

The test-only hook YZLOGI_TEST_SANDBOX is yzlogi.sandbox_child's.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from yzlogi import config
from yzlogi.model import InputFile

MB = 1024 * 1024
CRASHED = "read_crashed"
UNAVAILABLE = "read_unavailable"
# At most this many children at once for one upload: each parses a whole file in memory.
MAX_CHILDREN = 4
_STDERR_KEPT = 8192  # the last bytes of a child's stderr, for the log
_CHUNK = 65536
_GRACE_S = 5  # after a kill, how long the zygote has to report the child's end

log = logging.getLogger(__name__)


def crashed_message(name: str) -> str:
    """The refusal of a file whose reading process failed (CRASHED)."""
    return f"文件“{name}”已损坏或格式异常，无法读取，请在 Excel 中打开并另存为 .xlsx 后重新上传"


def unavailable_message(name: str) -> str:
    """The refusal when no reading process could be started at all (UNAVAILABLE): not the file's fault."""
    return f"服务器暂时无法读取文件“{name}”（读取进程无法启动），请稍后重试；如仍不行，请联系系统管理员查看服务器日志"


class _Unavailable(Exception):
    """No child could be forked (the zygote cannot be started or does not answer)."""


# --- the parent's side -----------------------------------------------------------


class _Zygote:
    """The process that forks the readers, started on first use and again if it died."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.socket: socket.socket | None = None

    def fork(self, request: dict, fds: Sequence[int]) -> int:
        """A new child reading from/writing to `fds` (stdin, stdout, stderr, status); its pid."""
        message = json.dumps(request).encode("utf-8")
        with self.lock:
            for _attempt in range(2):
                try:
                    if self.process is None or self.process.poll() is not None:
                        self._start()
                    self.socket.settimeout(max(config.READ_TIMEOUT_S.value, 10))
                    socket.send_fds(self.socket, [message], fds)
                    reply = json.loads(self.socket.recv(4096) or b"{}")
                    if "pid" in reply:
                        return int(reply["pid"])
                    log.warning("the sandbox zygote could not fork: %s", reply.get("error", "no answer"))
                except (OSError, ValueError) as exc:
                    log.warning("the sandbox zygote failed: %s", exc)
                self._stop()
            raise _Unavailable()

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "yzlogi.sandbox_child", "zygote", str(theirs.fileno())],
                cwd=config.ROOT, env=_zygote_env(), pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        self.socket = ours

    def _stop(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            self.process = None


_ZYGOTE = _Zygote()
atexit.register(_ZYGOTE._stop)


def _zygote_env() -> dict[str, str]:
    env = dict(os.environ)
    # Arrow's own allocators reserve address space up front; the system one keeps the
    # memory limit about what is used. Few malloc arenas and no BLAS threads, for the
    # same reason and so that the zygote has one thread when it forks.
    env.update(ARROW_DEFAULT_MEMORY_POOL="system", MALLOC_ARENA_MAX="2", OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1", RUST_BACKTRACE="0")  # a panic's message, not its stack, for the log
    return env


class _Child:
    """One file being read by one child; the exchange runs in a thread of its own."""

    def __init__(self, file: InputFile):
        self.file = file
        self.thread: threading.Thread | None = None
        self.output = b""
        self.errors = b""
        self.status: int | None = None  # the child's wait status, once the zygote reported it
        self.failure = ""  # why the exchange failed, for the log ('' when it did not)
        self.unavailable = False
        self.elapsed = 0.0
        self._open: set[int] = set()

    @property
    def started(self) -> bool:
        return self.thread is not None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="yzlogi-sandbox", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        started = time.monotonic()
        timeout_s, output_mb = config.READ_TIMEOUT_S.value, config.READ_OUTPUT_MB.value
        request = {
            "memory_mb": config.READ_MEMORY_MB.value,
            "cpu_s": config.READ_CPU_S.value,
            "env": {key: value for key, value in os.environ.items() if key.startswith("YZLOGI_")},
        }
        pipes = [os.pipe() for _ in range(4)]  # stdin, stdout, stderr, status
        theirs = [pipes[0][0], pipes[1][1], pipes[2][1], pipes[3][1]]
        self._open = {fd for pipe in pipes for fd in pipe}
        try:
            try:
                pid = _ZYGOTE.fork(request, theirs)
            finally:
                for fd in theirs:
                    self._close(fd)
            self._exchange(pid, [pipes[0][1], pipes[1][0], pipes[2][0], pipes[3][0]], started + timeout_s,
                           output_mb)
        except _Unavailable:
            self.unavailable = True
            self.failure = "the zygote is unavailable"
        except OSError as exc:
            self.failure = f"exchange failed: {exc}"
        finally:
            for fd in list(self._open):
                self._close(fd)
            self.elapsed = time.monotonic() - started

    def _close(self, fd: int) -> None:
        """Close one of this exchange's descriptors once (a second close could hit another thread's)."""
        if fd in self._open:
            self._open.discard(fd)
            os.close(fd)

    def _exchange(self, pid: int, fds: list[int], deadline: float, output_mb: int) -> None:
        """Send the request, gather stdout (up to the limit), stderr and the status, within the wall time."""
        stdin, stdout, stderr, status = fds
        header = json.dumps({"name": self.file.name}).encode("utf-8")
        request = memoryview(struct.pack(">I", len(header)) + header + self.file.data)
        limit = output_mb * MB
        output, errors, reported = bytearray(), bytearray(), bytearray()
        selector = selectors.DefaultSelector()
        for fd in fds:
            os.set_blocking(fd, False)
        selector.register(stdin, selectors.EVENT_WRITE)
        for fd in (stdout, stderr, status):
            selector.register(fd, selectors.EVENT_READ)
        sent, open_reads, killed = 0, 3, False
        try:
            while open_reads:
                left = deadline - time.monotonic()
                if left <= 0:
                    if killed:
                        break  # the zygote did not report the end in time: give up on the status
                    self.failure = self.failure or f"no answer within {config.READ_TIMEOUT_S.value} s"
                    killed = _kill(pid)
                    deadline = time.monotonic() + _GRACE_S
                    continue
                for key, _events in selector.select(min(left, 1.0)):
                    fd = key.fd
                    if fd == stdin:
                        try:
                            sent += os.write(stdin, request[sent:sent + _CHUNK])
                        except BrokenPipeError:  # the child stopped reading: its end says why
                            sent = len(request)
                        except BlockingIOError:
                            continue
                        if sent >= len(request):
                            selector.unregister(stdin)
                            self._close(stdin)
                        continue
                    try:
                        chunk = os.read(fd, _CHUNK)
                    except BlockingIOError:
                        continue
                    if not chunk:
                        selector.unregister(fd)
                        open_reads -= 1
                    elif fd == stdout:
                        if not killed:
                            output += chunk
                    elif fd == stderr:
                        errors += chunk
                        del errors[:-_STDERR_KEPT]
                    else:
                        reported += chunk
                if len(output) > limit and not killed:
                    self.failure = f"answered more than {output_mb} MB"
                    killed = _kill(pid)
                    output.clear()
                    deadline = time.monotonic() + _GRACE_S
        finally:
            selector.close()
        if len(reported) >= 4:
            self.status = struct.unpack(">i", reported[:4])[0]
        self.output, self.errors = bytes(output), bytes(errors)

    def result(self):
        """The ReadResult, or the ReadError to raise (the reader's refusal, CRASHED or UNAVAILABLE)."""
        from yzlogi import reader

        if self.thread is None:
            self.start()
        self.thread.join()
        text = self.errors.decode("utf-8", "replace").strip()
        if not self.failure and self.status == 0:
            if text:  # the reader's own log: a library's words about a file it refused
                log.warning("reading %r in the sandbox: %s", self.file.name, text[-2000:])
            try:
                return _decode(self.file, self.output)
            except reader.ReadError as exc:
                return exc
            except Exception as exc:  # noqa: BLE001 - whatever the child wrote, it is refused
                self.failure = f"answered something unreadable ({type(exc).__name__}: {exc})"
        why = self.failure or _status_text(self.status)
        if self.failure and self.status is not None:
            why += f", then {_status_text(self.status)}"
        log.warning("reading %r in the sandbox failed after %.1f s: %s%s", self.file.name, self.elapsed, why,
                    f"; its stderr ends: {text[-2000:]}" if text else "")
        if self.unavailable:
            return reader.ReadError(UNAVAILABLE, unavailable_message(self.file.name))
        return reader.ReadError(CRASHED, crashed_message(self.file.name))


def _kill(pid: int) -> bool:
    try:
        os.killpg(pid, signal.SIGKILL)  # the child leads its own session
    except (ProcessLookupError, PermissionError):
        pass  # already gone
    return True


def _status_text(status: int | None) -> str:
    if status is None:
        return "its end was not reported"
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exited with {os.WEXITSTATUS(status)}"


_pending: dict[int, _Child] = {}  # id(file) → its child, started by prefetch
_pending_lock = threading.Lock()


def prefetch(files: Sequence[InputFile]) -> None:
    """Start reading `files` now (up to MAX_CHILDREN of them); read_files picks the results up."""
    with _pending_lock:
        for file in files[:MAX_CHILDREN]:
            if id(file) not in _pending:
                child = _Child(file)
                child.start()
                _pending[id(file)] = child


def read_files(files: Sequence[InputFile]) -> list:
    """Each file read in a child of its own: its reader.ReadResult, or the reader.ReadError refusing it.

    Up to MAX_CHILDREN children run at once; results come back in the order of `files`."""
    children: list[_Child] = []
    with _pending_lock:
        for file in files:
            child = _pending.pop(id(file), None)
            children.append(child if child is not None and child.file is file else _Child(file))
    results = []
    for index, child in enumerate(children):
        for ahead in children[index:index + MAX_CHILDREN]:
            if not ahead.started:
                ahead.start()
        results.append(child.result())
    return results


def _decode(file: InputFile, output: bytes) -> object:
    """The child's answer as a ReadResult (or the ReadError it refused the file with)."""
    import pyarrow as pa
    import pyarrow.ipc

    from yzlogi import reader

    frames = _frames(output)
    summary = json.loads(frames[0])
    if "refused" in summary:
        code, message = summary["refused"]
        return reader.ReadError(str(code), str(message))
    sheets = summary["sheets"]
    if len(frames) != 1 + len(sheets):
        raise ValueError(f"{len(frames) - 1} tables for {len(sheets)} sheets")
    result = reader.ReadResult([], [(str(c), str(m), str(n)) for c, m, n in summary["problems"]])
    for described, frame in zip(sheets, frames[1:]):
        batch = pyarrow.ipc.open_stream(frame).read_next_batch()
        positions = [int(p) for p in described["positions"]]
        rows = int(described["rows"])
        if batch.num_columns != len(positions) or any(
                column.type != pa.string() or len(column) != rows for column in batch.columns):
            raise ValueError("a table unlike its description")
        percent, literal = (_by_position(described[key]) for key in ("percent", "literal"))
        result.sheets.append(reader.RawSheet(
            file=file.name, name=str(described["name"]), format=str(described["format"]),
            columns=list(batch.columns), positions=positions, rows=rows,
            _percent=(lambda wanted, found=percent: {j: found[p] for p, j in wanted.items() if p in found}),
            _literal=(lambda wanted, found=literal: {j: found[p] for p, j in wanted.items() if p in found}),
        ))
    return result


def _by_position(found: dict) -> dict[int, list[int]]:
    return {int(position): [int(row) for row in rows] for position, rows in found.items()}


def _frames(data: bytes) -> list[bytes]:
    frames, offset = [], 0
    while offset < len(data):
        (length,) = struct.unpack_from(">Q", data, offset)
        offset += 8
        if offset + length > len(data):
            raise ValueError("a frame runs past the end")
        frames.append(data[offset:offset + length])
        offset += length
    if not frames:
        raise ValueError("no answer")
    return frames
