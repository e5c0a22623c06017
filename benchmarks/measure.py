"""Whole-process measurements: wall time, CPU time and peak memory of one child.

A child is started by a small launcher process (LAUNCHER, Python without site),
which forks, executes the command, waits for it with os.wait4 and reports that
child's own rusage. Peak RSS would otherwise start at the benchmark's own size:
Linux counts a forked child's memory before exec into its maximum.

Cases run in interleaved rounds after one untimed warm-up round, so that a burst
of load from the other users of this machine falls on every case of a round alike;
figures are medians over rounds. Children run with compiled bytecode cached (as
on a server, where the first start writes __pycache__) in a folder of the run's
own, whatever PYTHONDONTWRITEBYTECODE the calling shell sets.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

LAUNCHER = """
import json, os, sys, time
report, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as handle:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "max_rss_kb": usage.ru_maxrss,
               "returncode": os.waitstatus_to_exitcode(status)}, handle)
"""


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of measured children: bytecode cached under the run's folder."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "yzlogi-bench-pycache"))
    return {**env, **(extra or {})}


@dataclass(frozen=True)
class Run:
    wall: float  # seconds, from fork to exit
    cpu: float  # user + system seconds of the child
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run(args: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run `python args…` from the repository root through the launcher, and measure it."""
    with tempfile.TemporaryDirectory(prefix="yzlogi-run-") as folder:
        report = Path(folder) / "rusage.json"
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            subprocess.run([PYTHON, "-S", "-c", LAUNCHER, str(report), PYTHON, *args], cwd=ROOT,
                           stdout=stdout, stderr=stderr, env=child_env(env), check=False)
        if not report.exists():
            raise RuntimeError(f"the launcher failed: {err.read_text(errors='replace')[-2000:]}")
        usage = json.loads(report.read_text())
        return Run(wall=usage["wall"], cpu=usage["cpu"], max_rss_mb=usage["max_rss_kb"] / 1024,
                   returncode=usage["returncode"], stdout=out.read_text(errors="replace"),
                   stderr=err.read_text(errors="replace"))


@dataclass
class Case:
    """A command measured over rounds; `args()` prepares each run (untimed) and returns its command."""

    name: str
    args: Callable[[], tuple[Sequence[str], dict[str, str]]]
    check: Callable[[Run], None] | None = None
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def max_rss_mb(self) -> float:
        return statistics.median(r.max_rss_mb for r in self.runs)


def rounds(cases: Sequence[Case], count: int, progress: Callable[[str], None] | None = None) -> None:
    """One untimed warm-up run of every case, then `count` rounds, rotating which case goes first."""
    for number in range(-1, count):
        shift = max(number, 0) % len(cases)
        for case in [*cases[shift:], *cases[:shift]]:
            args, env = case.args()
            result = run(args, env)
            if case.check is not None:
                case.check(result)
            if number >= 0:
                case.runs.append(result)
        if progress and number >= 0:
            progress(f"  round {number + 1}/{count}")
