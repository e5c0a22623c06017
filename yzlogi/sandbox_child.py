"""The sandbox's other side: the zygote and the child that reads one file (see yzlogi.sandbox).

`python -m yzlogi.sandbox_child zygote FD` is the zygote: it loads the reader and its
libraries once, then forks one child per request that arrives on the Unix socket FD,
hands the child its descriptors and reports its end. The child limits itself before
it reads a byte of the file (address space, CPU seconds, no file written, no core
dump), runs yzlogi.reader, and answers as yzlogi.sandbox's protocol says.

Test-only hook: with YZLOGI_TEST_SANDBOX set to one of MISBEHAVIOURS, the child
misbehaves that way after limiting itself, in place of reading the file, so that
tests/integration/test_sandbox.py can show every way a child can fail. Unset
(always, outside those tests) it does nothing.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import resource
import selectors
import signal
import socket
import struct
import sys
import time
from collections.abc import Sequence

from yzlogi.model import InputFile

MB = 1024 * 1024
TEST_ENV = "YZLOGI_TEST_SANDBOX"
MISBEHAVIOURS = ("panic", "abort", "kill", "loop", "sleep", "allocate", "flood", "garbage", "report")
_CHUNK = 65536


def zygote(fd: int) -> int:
    """Fork a reading child for every request on the socket FD, until the parent is gone."""
    server = socket.socket(fileno=fd)
    broken = ""
    try:  # loaded once here, so that every child has them already
        import fastexcel  # noqa: F401 - loaded for the children
        import nanoarrow  # noqa: F401
        import nanoarrow.ipc  # noqa: F401
        import xlrd  # noqa: F401

        from yzlogi import reader, schema  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - said to the parent, which logs it
        broken = f"cannot load the reader: {type(exc).__name__}: {exc}"
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    waiting: dict[int, int] = {}  # child pid → the status pipe to report its end on
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    while True:
        for key, _events in selector.select():
            if key.fd == wake_r:
                os.read(wake_r, 4096)
                _reap(waiting)
                continue
            message, fds, _flags, _address = socket.recv_fds(server, 65536, 4)
            if not message:
                return 0  # the parent is gone; children still running end on their own
            if len(fds) != 4 or broken:
                for received in fds:
                    os.close(received)
                server.send(json.dumps({"error": broken or f"{len(fds)} descriptors"}).encode())
                continue
            try:
                pid = os.fork()
            except OSError as exc:
                for received in fds:
                    os.close(received)
                server.send(json.dumps({"error": str(exc)}).encode())
                continue
            if pid == 0:
                code = 70
                try:
                    server.detach()  # its descriptor is closed below with the zygote's others
                    code = _forked(json.loads(message), fds)
                finally:
                    os._exit(code)
            for received in fds[:3]:
                os.close(received)
            waiting[pid] = fds[3]
            server.send(json.dumps({"pid": pid}).encode())
            _reap(waiting)


def _reap(waiting: dict[int, int]) -> None:
    """Report every child that ended on its status pipe."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        fd = waiting.pop(pid, None)
        if fd is not None:
            try:
                os.write(fd, struct.pack(">i", status))
            except OSError:
                pass  # the parent gave up waiting
            os.close(fd)


def _forked(request: dict, fds: list[int]) -> int:
    """In the forked child: take the request's streams, then read the file as child() does."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # its own process group: the parent kills it and nothing else
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    os.closerange(3, os.sysconf("SC_OPEN_MAX") if os.sysconf("SC_OPEN_MAX") > 0 else 65536)
    for name in [name for name in os.environ if name.startswith("YZLOGI_")]:
        del os.environ[name]
    os.environ.update(request["env"])
    return child(int(request["memory_mb"]), int(request["cpu_s"]))


# --- the child -------------------------------------------------------------------


def _limit(which: int, soft: int, hard: int | None = None) -> None:
    """Lower a resource limit of this process (never above a hard limit already set)."""
    _soft, ceiling = resource.getrlimit(which)
    hard = soft if hard is None else hard
    if ceiling != resource.RLIM_INFINITY:
        soft, hard = min(soft, ceiling), min(hard, ceiling)
    resource.setrlimit(which, (soft, hard))


def child(memory_mb: int, cpu_s: int) -> int:
    """Read one file from stdin and answer on stdout, limited before anything of it is read."""
    _limit(resource.RLIMIT_CORE, 0)  # an abort leaves no core file behind
    _limit(resource.RLIMIT_AS, memory_mb * MB)
    _limit(resource.RLIMIT_CPU, cpu_s, cpu_s + 1)  # SIGXCPU at the soft limit, SIGKILL a second later
    import io
    import traceback

    import nanoarrow as na
    import nanoarrow.ipc

    from yzlogi import reader
    from yzlogi.schema import known_sheet_name

    # No file is written from here on: a write fails (EFBIG) instead of a signal killing the child.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _limit(resource.RLIMIT_FSIZE, 0)
    stdin, stdout = open(0, "rb", closefd=False), open(1, "wb", closefd=False)
    (length,) = struct.unpack(">I", stdin.read(4))
    name = json.loads(stdin.read(length))["name"]
    data = stdin.read()
    misbehave = os.environ.get(TEST_ENV, "")
    try:
        if misbehave:
            _misbehave(misbehave, stdout)
        try:
            result = reader.read_file(InputFile(name, data), known_sheet_name)
        except reader.ReadError as exc:
            _frame(stdout, json.dumps({"refused": [exc.code, exc.message]}, ensure_ascii=False).encode("utf-8"))
            stdout.flush()
            return 0
        # The formats too are read here (xlrd for an .xls): a file they choke on is refused like any other.
        summary = {
            "problems": result.problems,
            "sheets": [{"name": raw.name, "format": raw.format, "positions": raw.positions, "rows": raw.rows,
                        "percent": raw.percent_by_position(), "literal": raw.percent_by_position(literal=True)}
                       for raw in result.sheets],
        }
        tables = []
        for raw in result.sheets:  # each sheet as an Arrow IPC stream, written by nanoarrow (no pyarrow here)
            sink = io.BytesIO()
            writer = nanoarrow.ipc.StreamWriter.from_writable(sink)
            writer.write_stream(na.c_array_stream(raw.table))
            writer.close()
            tables.append(sink.getvalue())
    except BaseException:  # a panic of the Rust reader (pyo3's PanicException) is a BaseException
        traceback.print_exc()
        sys.stderr.flush()
        return 3
    _frame(stdout, json.dumps(summary, ensure_ascii=False).encode("utf-8"))
    for table in tables:
        _frame(stdout, table)
    stdout.flush()
    return 0


def _frame(stream, payload: bytes) -> None:
    stream.write(struct.pack(">Q", len(payload)))
    stream.write(payload)


def _misbehave(how: str, stdout) -> None:
    """The test-only hook (module docstring): fail in the way named."""
    if how == "panic":
        class PanicException(BaseException):  # what pyo3 raises for a Rust panic
            pass
        raise PanicException("index out of bounds: the len is 4 but the index is 4")
    if how == "abort":
        os.abort()
    if how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if how == "loop":
        while True:
            pass
    if how == "sleep":
        time.sleep(3600)
    if how == "allocate":
        import ctypes

        # As the Rust reader does for a huge length read from a small .xls: the allocation
        # fails under the address-space limit and Rust aborts.
        malloc = ctypes.CDLL(None).malloc
        malloc.restype = ctypes.c_void_p
        if not malloc(ctypes.c_size_t(7 << 30)):
            print("memory allocation of 7516192768 bytes failed", file=sys.stderr, flush=True)
            os.abort()
    if how == "flood":
        block = b"\0" * _CHUNK
        while True:
            stdout.write(block)
    if how == "garbage":
        _frame(stdout, b'{"sheets": [{"name": "x"}]}')
        stdout.flush()
        os._exit(0)
    if how == "report":  # the limits the child runs under, and what writing a file does
        limits = {name: resource.getrlimit(getattr(resource, f"RLIMIT_{name}")) for name in ("AS", "CPU", "FSIZE", "CORE")}
        try:
            with open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"yzlogi-sandbox-{os.getpid()}"), "wb") as handle:
                handle.write(b"x")
            written = "written"
        except OSError as exc:
            written = f"not written: {errno.errorcode.get(exc.errno, exc.errno)}"
        finally:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"yzlogi-sandbox-{os.getpid()}"))
        print(f"limits {json.dumps(limits, sort_keys=True)}; a file {written}", file=sys.stderr, flush=True)
        os._exit(5)


def main(argv: Sequence[str]) -> int:
    """zygote FD, or MEMORY_MB CPU_S: one file from stdin without a zygote (by hand, for a look)."""
    if argv[:1] == ["zygote"]:
        return zygote(int(argv[1]))
    return child(int(argv[0]), int(argv[1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
