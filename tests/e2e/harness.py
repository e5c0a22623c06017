"""The pieces of the browser harness shared by the e2e tests and benchmarks/load.py:
the app server process, Chromium's launch settings, and the JavaScript that
tells when Streamlit has settled a page."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("YZLOGI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Chromium's own background traffic is refused on a closed network; keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1600, "height": 1000}
# Idle: connected, the script not running, the page drawn (every page has a
# title), no element left stale from the run before, no lazily loaded element
# still a skeleton, and every visible chart and data grid drawn (Vega and the
# grid draw after the script's run ends; a screenshot or a figure read before
# that would see an empty box).
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning'
      || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
      || document.querySelector('[data-testid="stMain"] h1') === null
      || document.querySelectorAll('[data-stale="true"]').length > 0
      || document.querySelectorAll('[data-testid="stSkeleton"]').length > 0) return false;
  const shown = (el) => el.getClientRects().length > 0;
  const sized = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].filter(shown);
  if (!charts.every((c) => [...c.querySelectorAll('svg.marks, canvas')].some(sized))) return false;
  const frames = [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(shown);
  return frames.every((frame) => {
    const grid = frame.querySelector('[data-testid="data-grid-canvas"]');
    const table = grid && grid.querySelector('table');
    return !!table && grid.width > 0
      && (table.getAttribute('aria-rowcount') === '1' || table.querySelector('tbody tr') !== null);
  });
}"""
# What is still pending when a page does not settle, for the failure message.
PENDING_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const shown = (el) => el.getClientRects().length > 0;
  return {
    script: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'),
    title: document.querySelector('[data-testid="stMain"] h1') !== null,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
    charts: [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].filter(shown).length,
    tables: [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(shown).length,
    tablesDrawn: [...document.querySelectorAll('[data-testid="data-grid-canvas"] tbody tr:first-child')].length,
  };
}"""
STREAM_PATH = "/_stcore/stream"  # Streamlit's websocket


def run_finished(payload: str | bytes) -> bool:
    """Whether a websocket frame from the server ends a whole script run (not a fragment's).

    After an interaction, the page's DOM alone cannot tell a new run from the
    idle state before it: a short run's "running" state may never be drawn
    (React draws only the last of states that arrive together). The server's
    own script_finished message always arrives."""
    if not isinstance(payload, bytes):
        return False
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg.FromString(payload)
    return message.WhichOneof("type") == "script_finished" and message.script_finished in (
        ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)


_PLAN = None


def plan():
    """The checked plan, loaded once."""
    global _PLAN
    if _PLAN is None:
        from yzlogi.plan import load_plan

        _PLAN = load_plan()
    return _PLAN


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """A `streamlit run app.py` process on localhost with its own data folder."""

    def __init__(self, data_dir: Path, log_path: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.host = f"127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.log_path = log_path
        # FORWARDED_ALLOW_IPS empty, as `make run` and the service start it (yzlogi/forwarding.py).
        self.env = {**os.environ, "YZLOGI_DATA_DIR": str(data_dir), "FORWARDED_ALLOW_IPS": "", **(env or {})}
        self._log = open(log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)  # polling a process that is starting, not waiting on the page
        raise RuntimeError(f"streamlit did not become healthy:\n{self.log()}")

    def page_url(self, url_path: str = "", **params: str) -> str:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return f"{self.url}/{url_path}{query}"

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """`python -m yzlogi …` on this server's data folder, as an administrator would run it."""
        return subprocess.run([sys.executable, "-m", "yzlogi", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=180)

    def store(self):
        """A store on the server's folder for reading expected figures (the folder lock makes it safe)."""
        from yzlogi.store import Store

        return Store(self.data_dir, plan=plan(), sample=None)

    def status(self, as_of: str | None = None, version: int | None = None):
        """The status the pages should show, computed without the UI."""
        from yzlogi.months import Month
        from yzlogi.status import compute_status, default_as_of

        store = self.store()
        version_id = version if version is not None else store.active_version().id
        data = store.load(version_id)
        month = Month.parse(as_of) if as_of else default_as_of(data)
        return compute_status(plan(), data, month)

    def rss(self) -> int:
        """Resident memory of the server process and all its descendants, in bytes (Linux /proc)."""
        return sum(_rss(pid) for pid in _tree(self.process.pid))

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _tree(pid: int) -> list[int]:
    """A process and its descendants, from /proc's children lists."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass  # the task ended while being read
    return out


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass  # the process ended while being read
    return 0
