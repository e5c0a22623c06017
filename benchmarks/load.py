"""Load: N browser sessions at once against one dashboard server.

A meeting room and the departments open the dashboard at the same time: each
session (its own Chromium context, so its own Streamlit session) opens 总览,
then walks the sidebar menu through every page, `--rounds` times. Prints the
median and p95 time to a settled page (Streamlit idle, every chart and table
drawn: the e2e harness's own test), the errors, and the server's peak memory
(RSS of the streamlit process and its children, sampled from /proc).

    .venv/bin/python benchmarks/load.py                 # 20 sessions, 2 rounds
    .venv/bin/python benchmarks/load.py --sessions 5 --rounds 1

The browser and the server share the machine, so on a small machine the
figures include the browsers' own work. Figures, not pass/fail: see
docs/performance.md («Load»).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "e2e")]

from harness import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, STREAM_PATH, VIEWPORT, AppServer, run_finished  # noqa: E402
from ui.nav import PAGES  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SAMPLE_EVERY_S = 0.1  # memory sampling period


class Sampler:
    """Samples the server's RSS and CPU time in a thread until stopped."""

    def __init__(self, server: AppServer):
        self.server = server
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss())
            self._stop.wait(SAMPLE_EVERY_S)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def settle(page, title: str, timeout_ms: float) -> None:
    """Wait until the page titled `title` is shown and idle, with no exception element."""
    await page.wait_for_function(
        "(t) => document.querySelector('[data-testid=\"stMain\"] h1')?.innerText.trim() === t",
        arg=title, timeout=timeout_ms)
    await page.wait_for_function(IDLE_JS, timeout=timeout_ms)
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"exception element on {title}")


async def session(browser, server: AppServer, number: int, rounds: int, timeout_ms: float,
                  timings: list[dict], errors: list[str]) -> None:
    """One visitor: open 总览, then every page of the menu in turn, `rounds` times."""
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    streams = []
    finished: list[float] = []  # when each whole script run's script_finished message arrived

    def follow(ws) -> None:
        if STREAM_PATH in ws.url:
            streams.append(ws)
            ws.on("framereceived",
                  lambda payload: finished.append(time.perf_counter()) if run_finished(payload) else None)

    def record(kind: str, title: str, start: float) -> None:
        served = next(t for t in finished if t >= start)
        timings.append({"session": number, "kind": kind, "page": title, "seconds": time.perf_counter() - start,
                        "server_seconds": served - start})

    page.on("websocket", follow)
    step = "open"
    try:
        start = time.perf_counter()
        await page.goto(server.page_url())
        await settle(page, PAGES[0].title, timeout_ms)
        record("open", PAGES[0].title, start)
        for _ in range(rounds):
            for spec in (*PAGES[1:], PAGES[0]):
                step = spec.title
                link = page.locator('[data-testid="stSidebar"]').get_by_role("link", name=spec.title, exact=True)
                start = time.perf_counter()
                async with streams[-1].expect_event("framereceived", predicate=run_finished, timeout=timeout_ms):
                    await link.click()
                await settle(page, spec.title, timeout_ms)
                record("switch", spec.title, start)
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported, the others go on
        errors.append(f"session {number} at {step}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await context.close()


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summarise(timings: list[dict], field: str) -> dict[str, dict]:
    out = {}
    for kind in ("open", "switch", "all"):
        values = [t[field] for t in timings if kind == "all" or t["kind"] == kind]
        if values:
            out[kind] = {"count": len(values), "median_s": round(statistics.median(values), 2),
                         "p95_s": round(p95(values), 2), "max_s": round(max(values), 2)}
    return out


def by_page(timings: list[dict]) -> dict[str, dict]:
    """Page switches per page: median seconds to settled and to the server's script_finished."""
    out = {}
    for title in dict.fromkeys(t["page"] for t in timings if t["kind"] == "switch"):
        rows = [t for t in timings if t["kind"] == "switch" and t["page"] == title]
        out[title] = {"count": len(rows), "median_s": round(statistics.median(t["seconds"] for t in rows), 2),
                      "served_median_s": round(statistics.median(t["server_seconds"] for t in rows), 2)}
    return out


async def run(args: argparse.Namespace) -> dict:
    from playwright.async_api import async_playwright

    folder = Path(tempfile.mkdtemp(prefix="yzlogi-load-"))
    server = AppServer(folder / "data", folder / "server.log")
    timings: list[dict] = []
    errors: list[str] = []
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            # One visitor first, as on a server that has been up: the sample is
            # committed and the plan loaded before the crowd arrives.
            warm: list[str] = []
            await session(browser, server, 0, 0, args.timeout * 1000, [], warm)
            if warm:
                raise RuntimeError(f"the warm-up visit failed: {warm[0]}\n{server.log()}")
            baseline = server.rss()
            load_before = os.getloadavg()
            cpu_before = cpu_seconds(server.process.pid)
            started = time.perf_counter()
            with Sampler(server) as sampler:
                await asyncio.gather(*(session(browser, server, n, args.rounds, args.timeout * 1000, timings, errors)
                                       for n in range(1, args.sessions + 1)))
            wall = time.perf_counter() - started
            cpu = cpu_seconds(server.process.pid) - cpu_before
            await browser.close()
    finally:
        server.stop()
    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "sessions": args.sessions, "rounds": args.rounds, "pages": [p.title for p in PAGES],
        "settled": summarise(timings, "seconds"), "served": summarise(timings, "server_seconds"),
        "settled_by_page": by_page(timings),
        "errors": errors, "wall_s": round(wall, 1),
        "server": {"rss_before_mb": round(baseline / 2**20, 1), "rss_peak_mb": round(sampler.peak / 2**20, 1),
                   "cpu_s": round(cpu, 1)},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def report(result: dict) -> str:
    lines = [f"{result['sessions']} sessions × ({result['rounds']} rounds of {len(result['pages'])} pages + 总览 first), "
             f"{result['machine']['cpus']} CPUs, {result['wall_s']} s wall"]
    for field, what in (("settled", "to a settled page (all drawn)"), ("served", "to the server's script_finished")):
        lines.append(f"time {what}:")
        lines.append(f"  {'':8}{'count':>7}{'median s':>10}{'p95 s':>8}{'max s':>8}")
        for kind, row in result[field].items():
            lines.append(f"  {kind:8}{row['count']:>7}{row['median_s']:>10}{row['p95_s']:>8}{row['max_s']:>8}")
    lines.append("page switches by page (median s to settled / to script_finished):")
    lines.append("  " + "  ".join(f"{title} {row['median_s']}/{row['served_median_s']}"
                                  for title, row in result["settled_by_page"].items()))
    server = result["server"]
    lines.append(f"errors: {len(result['errors'])}")
    lines += [f"  {e}" for e in result["errors"][:20]]
    lines.append(f"load average (1, 5, 15 min) before: {result['load_average_before']}, "
                 f"after: {result['load_average_after']}")
    lines.append(f"server RSS: {server['rss_before_mb']} MB before, {server['rss_peak_mb']} MB peak; "
                 f"server CPU during the load: {server['cpu_s']} s")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    parser.add_argument("--rounds", type=int, default=2, help="walks through the menu per session (default 2)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds one page may take before it counts as an error (default 300)")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(report(result))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"load-{result['date'].replace(':', '')}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
