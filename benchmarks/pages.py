"""R4: each page's server-side run time, against a bare page in the same harness.

Run by benchmarks/run.py in a process of its own: `python benchmarks/pages.py
DATA_DIR FILE… --runs N` prints one JSON object. DATA_DIR holds a store whose active
version is the full three-year workbook; each FILE is a further upload of the same
content (different bytes), committed to make a version the pages have not seen.

The harness is Streamlit's AppTest: app.py runs in-process through its
ScriptRunner, as the server runs it for a browser session, without the network
and the browser. What is timed is ScriptRunner._run_script: the whole script run
(app.py's router, the sidebar, the page) with the session's widget state, up to
the last element handed to the session's queue. AppTest's own work (waiting for the
thread, parsing the messages into its element tree) is outside. Wall time and the
script thread's CPU time are both kept. The baseline is a one-line page (`st.write`)
timed the same way; page and baseline runs alternate.

- warm: the session reruns the page on the version it already shows (a click in a
  meeting that changes nothing the page reads).
- cold: the first run after a new version was committed by another session; the
  page finds the new state token, reads the version's tables and computes its
  status (and 总览 its change digest).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_PAGE = 'import streamlit as st\n\nst.write("ok")\n'
QUERY = {"pages/department.py": {"dept": "区商务委"}}  # the department page as its link opens it
TIMEOUT_S = 300


class Timer:
    """Sums the wall and CPU time (of the script thread) of every script run until read."""

    def __init__(self) -> None:
        self.spent = (0.0, 0.0)

    def install(self) -> None:
        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

        original = ScriptRunner._run_script
        timer = self

        def timed(self, rerun_data):
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(self, rerun_data)
            finally:
                spent = timer.spent
                timer.spent = (spent[0] + time.perf_counter() - wall, spent[1] + time.thread_time() - cpu)

        ScriptRunner._run_script = timed

    def take(self) -> tuple[float, float]:
        spent, self.spent = self.spent, (0.0, 0.0)
        return spent


def _as_after_first_visit() -> None:
    """Every AppTest run starts as if the server had just started, in Streamlit's v1
    pages/ mode, which ui.ensure_router leaves with a page switch (tests/app/conftest.py);
    a real server leaves it once for good, so the harness starts every run past it."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("uploads", nargs="+", help="files committed one per cold run")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import os

    os.environ["YZLOGI_DATA_DIR"] = args.data_dir
    from streamlit.testing.v1 import AppTest

    from ui.nav import PAGES
    from yzlogi.model import InputFile
    from yzlogi.store import Store

    _as_after_first_visit()
    timer = Timer()
    timer.install()
    bare_path = Path(tempfile.mkdtemp(prefix="yzlogi-bare-")) / "bare.py"
    bare_path.write_text(BARE_PAGE, encoding="utf-8")

    def session(page: str | None) -> AppTest:
        at = AppTest.from_file(str(bare_path if page is None else ROOT / "app.py"), default_timeout=TIMEOUT_S)
        for key, value in QUERY.get(page, {}).items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        timer.take()
        return at

    def timed(at: AppTest) -> tuple[float, float]:
        at.run()
        if at.exception:
            raise SystemExit(f"the page raised: {at.exception[0].value}")
        return timer.take()

    pages = [spec.path for spec in PAGES]
    sessions = {page: session(page) for page in pages}
    bare = session(None)
    warm: dict[str, list[tuple[float, float]]] = {page: [] for page in pages}
    bare_runs: list[tuple[float, float]] = []
    for _ in range(args.runs):
        for page in pages:
            bare_runs.append(timed(bare))
            warm[page].append(timed(sessions[page]))

    # Cold: another session commits a version; the page's next run is the first to see it.
    store = Store(args.data_dir)
    uploads = iter(args.uploads)
    cold: dict[str, list[tuple[float, float]]] = {page: [] for page in pages}
    cold_bare: list[tuple[float, float]] = []
    rounds = len(args.uploads) // len(pages)
    for _ in range(rounds):
        for page in pages:
            path = Path(next(uploads))
            outcome = store.import_files([InputFile(path.name, path.read_bytes())], by="benchmark")
            if not outcome.stored:
                raise SystemExit(f"not committed: {outcome.message}")
            cold_bare.append(timed(bare))
            cold[page].append(timed(sessions[page]))

    def median(values: list[tuple[float, float]]) -> dict[str, float] | None:
        if not values:
            return None
        return {"wall": statistics.median(v[0] for v in values), "cpu": statistics.median(v[1] for v in values)}

    print(json.dumps({
        "bare": median(bare_runs),
        "cold_bare": median(cold_bare),
        "warm": {page: median(values) for page, values in warm.items()},
        "cold": {page: median(values) for page, values in cold.items()},
        "titles": {spec.path: spec.title for spec in PAGES},
        "runs": args.runs,
        "cold_runs": rounds,
    }))


if __name__ == "__main__":
    main()
