"""yzlogi's benchmark: `make bench` (python benchmarks/run.py [--runs N]).

Every figure is a ratio against a baseline measured in the same run, since the
machines this runs on are shared and noisy; the absolute medians stand beside it.
Whole-process cases run in interleaved rounds (benchmarks/measure.py); pages are
timed in-process by benchmarks/pages.py. Prints Markdown for docs/performance.md.

  R1  python -m yzlogi import of a full three-year workbook ÷ a bare fastexcel parse
      of the same file in its own process                                  goal ≤ 2.5
  R2  the same refusing a workbook whose 任务进展 has 100 000 bad rows
      ÷ a bare parse of that file                                          goal ≤ 3.0
  R3  status --json with 30 versions stored ÷ with one                     goal ≤ 1.3
  R4  each page's server-side run, warm and cold, ÷ a one-line page's
  R5  many small versions (a dozen returns a month): status --json, an import of one
      unit's return, and every page's warm and cold run, with 500 versions stored ÷ with
      one (the same record, the three-year workbook; 499 returns merged into it)  goal ≤ 1.1
  peer: pandas.read_excel (openpyxl) + DuckDB, with peak memory of each
  growth: import at 1×, 4×, 16× the rows; status at 1, 10, 30 versions
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import workbooks  # noqa: E402
from benchmarks.measure import PYTHON, Case, child_env, rounds  # noqa: E402
from yzlogi import config  # noqa: E402
from yzlogi.model import InputFile  # noqa: E402
from yzlogi.plan import load_plan  # noqa: E402
from yzlogi.store import Store  # noqa: E402
from yzlogi.template import template_stamp, workbook_bytes  # noqa: E402

GOALS = {"R1": 2.5, "R2": 3.0, "R3": 1.3, "R5": 1.1}
MANY = 500  # versions: ~450 by the end of 2027 at a dozen returns a month
SCALES = (1, 4, 16)
BAD_ROWS = 100_000
VERSION_COUNTS = (1, 10, 30)
# The bare parse: fastexcel, every sheet, each cell as text (what yzlogi's reader asks for), to Arrow.
BARE_PARSE = (
    "import sys, fastexcel\n"
    "reader = fastexcel.read_excel(sys.argv[1])\n"
    "for name in reader.sheet_names:\n"
    "    reader.load_sheet(name, header_row=None, dtypes='string').to_arrow()\n"
)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- what is measured ---------------------------------------------------------------


class Bench:
    def __init__(self, work: Path, runs: int, page_runs: int, cold_rounds: int):
        self.work = work
        self.runs = runs
        self.page_runs = page_runs
        self.cold_rounds = cold_rounds
        self.plan = load_plan()
        self.count = 0

    def folder(self, template: Path | None = None) -> Path:
        """A new data folder: empty, or a copy of a prepared one (untimed)."""
        self.count += 1
        path = self.work / "folders" / f"{self.count:04d}"
        if template is None:
            path.mkdir(parents=True)
        else:
            shutil.copytree(template, path)
        return path

    # -- inputs

    def make_inputs(self) -> None:
        log("building workbooks …")
        self.full: dict[int, Path] = {}
        self.rows: dict[int, int] = {}
        for scale in SCALES:
            rows = workbooks.full_rows(self.plan, scale)
            book = workbooks.build_workbook(self.plan, rows)
            path = self.work / f"full-{scale}x.xlsx"
            path.write_bytes(workbook_bytes(book, template_stamp(self.plan)))
            self.full[scale], self.rows[scale] = path, workbooks.row_count(rows)
            if scale == 1:
                self.full_book = book
        self.bad = self.work / "bad-100000.xlsx"
        workbooks.write_bad_workbook(self.bad, self.plan, BAD_ROWS, workbooks.full_rows(self.plan, 1))
        # Further uploads of the full workbook's content, each its own version.
        self.uploads = []
        for number, data in enumerate(workbooks.variants(self.full_book, max(VERSION_COUNTS) + 8 * self.cold_rounds, self.plan)):
            path = self.work / "uploads" / f"upload-{number:03d}.xlsx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            self.uploads.append(path)

    def make_folders(self) -> None:
        log("preparing data folders …")
        # In use: set up, holding the bundled sample as version 1 (as after the app's first start).
        self.in_use = self.work / "prepared" / "in-use"
        Store(self.in_use).ensure_ready()
        # n versions of the full workbook's content, the last one active.
        self.stores: dict[int, Path] = {}
        for count in VERSION_COUNTS:
            folder = self.work / "prepared" / f"versions-{count}"
            store = Store(folder, sample=None)
            for path in self.uploads[:count]:
                outcome = store.import_files([InputFile(path.name, path.read_bytes())], by="benchmark")
                assert outcome.stored, outcome.message
            self.stores[count] = folder

    def make_many(self) -> None:
        """R5: the three-year record as one version, and the same record after 499 returns merged into it."""
        log(f"R5: preparing a store of {MANY} versions …")
        rows = workbooks.full_rows(self.plan, 1)
        returns = workbooks.unit_returns(rows, MANY - 1 + self.runs + 1 + 9 * self.cold_rounds)
        folder = self.work / "uploads-r5"
        folder.mkdir()
        self.returns = []
        for number, data in enumerate(returns):
            path = folder / f"{number:04d}" / "任务进展.csv"
            path.parent.mkdir()
            path.write_bytes(data)
            self.returns.append(path)
        self.one = self.work / "prepared" / "many-1"
        store = Store(self.one, sample=None)
        assert store.import_files([InputFile(self.full[1].name, self.full[1].read_bytes())], by="benchmark").stored
        self.many = self.work / "prepared" / f"many-{MANY}"
        shutil.copytree(self.one, self.many)
        store = Store(self.many, sample=None)
        for path in self.returns[:MANY - 1]:
            outcome = store.import_files([InputFile(path.name, path.read_bytes())], by="benchmark")
            assert outcome.stored, outcome.message
        assert len(store.versions()) == MANY

    # -- cases

    def bare(self, path: Path) -> Case:
        return Case(f"bare parse {path.name}", lambda: (["-c", BARE_PARSE, str(path)], {}), _succeeds)

    def import_case(self, name: str, path: Path, template: Path | None, check) -> Case:
        def args():
            return ["-m", "yzlogi", "import", str(path), "--by", "benchmark"], {
                "YZLOGI_DATA_DIR": str(self.folder(template))}
        return Case(name, args, check)

    def peer(self, path: Path) -> Case:
        return Case(f"peer {path.name}", lambda: ([str(ROOT / "benchmarks" / "peer.py"), str(path),
                                                   str(self.folder() / "peer.duckdb")], {}), _succeeds)

    def status(self, count: int) -> Case:
        def args():
            return ["-m", "yzlogi", "status", "--json"], {"YZLOGI_DATA_DIR": str(self.stores[count])}
        return Case(f"status, {count} versions", args, _status_ok)

    def run_imports(self) -> dict:
        log(f"R1, peer, growth: {self.runs} rounds …")
        cases = {}
        for scale in SCALES:
            path = self.full[scale]
            cases[("bare", scale)] = self.bare(path)
            cases[("in-use", scale)] = self.import_case(f"import {path.name}, folder in use", path, self.in_use,
                                                        _imported)
            cases[("peer", scale)] = self.peer(path)
        cases[("fresh", 1)] = self.import_case(f"import {self.full[1].name}, fresh folder", self.full[1], None,
                                               _imported)
        rounds(list(cases.values()), self.runs, log)
        return cases

    def run_refusal(self) -> dict:
        log(f"R2: {self.runs} rounds …")
        cases = {
            "bare": self.bare(self.bad),
            "fresh": self.import_case("refuse, fresh folder", self.bad, None, _refused),
            "in-use": self.import_case("refuse, folder in use", self.bad, self.in_use, _refused),
        }
        rounds(list(cases.values()), self.runs, log)
        return cases

    def run_status(self) -> dict:
        log(f"R3: {self.runs} rounds …")
        cases = {count: self.status(count) for count in VERSION_COUNTS}
        rounds(list(cases.values()), self.runs, log)
        return cases

    def run_many(self) -> dict:
        log(f"R5: {self.runs} rounds …")
        cases = {}
        for label, folder in (("one", self.one), ("many", self.many)):
            cases[("status", label)] = Case(f"status, {label}", lambda folder=folder: (
                ["-m", "yzlogi", "status", "--json"], {"YZLOGI_DATA_DIR": str(folder)}), _status_ok)
        returns = iter(self.returns[MANY - 1:])
        chosen: dict[int, Path] = {}

        def import_args(folder: Path, label: str):
            # Each round imports the same return into a fresh copy of either folder (copied untimed).
            round_ = len(cases[("import", label)].runs)
            path = chosen.setdefault(round_, next(returns))
            return ["-m", "yzlogi", "import", str(path), "--by", "benchmark"], {
                "YZLOGI_DATA_DIR": str(self.folder(folder))}
        for label, folder in (("one", self.one), ("many", self.many)):
            cases[("import", label)] = Case(f"import one return, {label}",
                                            lambda folder=folder, label=label: import_args(folder, label), _imported)
        rounds(list(cases.values()), self.runs, log)
        log("R5: pages …")
        used = len(chosen)
        cold = [str(p) for p in self.returns[MANY - 1 + used + 1:][:9 * self.cold_rounds]]
        pages = {}
        for label, folder in (("one", self.one), ("many", self.many)):
            result = subprocess.run(
                [PYTHON, str(ROOT / "benchmarks" / "pages.py"), str(self.folder(folder)), *cold,
                 "--runs", str(self.page_runs)],
                cwd=ROOT, capture_output=True, text=True, check=False, env=child_env(),
            )
            if result.returncode != 0:
                raise SystemExit(f"benchmarks/pages.py failed:\n{result.stderr[-3000:]}")
            pages[label] = json.loads(result.stdout.strip().splitlines()[-1])
        return {"cases": cases, "pages": pages}

    def run_pages(self) -> dict:
        log(f"R4: {self.page_runs} warm runs per page, {self.cold_rounds} cold …")
        folder = self.folder(self.stores[max(VERSION_COUNTS)])
        cold = self.uploads[max(VERSION_COUNTS):]
        result = subprocess.run(
            [PYTHON, str(ROOT / "benchmarks" / "pages.py"), str(folder), *map(str, cold),
             "--runs", str(self.page_runs)],
            cwd=ROOT, capture_output=True, text=True, check=False, env=child_env(),
        )
        if result.returncode != 0:
            raise SystemExit(f"benchmarks/pages.py failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])


# --- checks: a measured run must have done its job ------------------------------------


def _succeeds(run) -> None:
    if run.returncode != 0:
        raise SystemExit(f"a measured command failed ({run.returncode}):\n{run.stderr[-2000:]}")


def _imported(run) -> None:
    _succeeds(run)
    if "导入为版本" not in run.stdout:
        raise SystemExit(f"the import did not commit:\n{run.stdout[-2000:]}")


def _refused(run) -> None:
    """Refused, with the count and the first rows in error, not 100 000 messages."""
    lines = run.stderr.splitlines()
    limit = config.MAX_ISSUES_LISTED.value
    first_row = f"任务进展 第{workbooks.FIRST_DATA_ROW}行"
    if run.returncode == 0 or f"工作簿有 {BAD_ROWS} 处错误" not in run.stderr or first_row not in run.stderr \
            or f"共 {BAD_ROWS} 个错误" not in run.stderr or len(lines) > limit + 5:
        raise SystemExit(f"the bad workbook was not refused as expected ({run.returncode}, {len(lines)} lines):\n"
                         f"{run.stderr[:2000]}")


def _status_ok(run) -> None:
    _succeeds(run)
    json.loads(run.stdout)


# --- the report ----------------------------------------------------------------------


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}"


def verdict(value: float, goal: float) -> str:
    return f"≤ {goal} {'met' if value <= goal else '**missed**'}"


def header(args) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    import duckdb
    import fastexcel
    import pyarrow
    import streamlit

    return [
        f"- date: {datetime.now():%Y-%m-%d %H:%M}",
        f"- machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory:,} MB RAM, "
        f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} at the start (shared with other users)",
        f"- software: Python {platform.python_version()}, DuckDB {duckdb.__version__}, fastexcel {fastexcel.__version__},"
        f" pyarrow {pyarrow.__version__}, Streamlit {streamlit.__version__}",
        f"- command: `make bench` (`python benchmarks/run.py --runs {args.runs} --page-runs {args.page_runs}"
        f" --cold-rounds {args.cold_rounds}`); medians of {args.runs} interleaved rounds of whole-process runs",
    ]


def many_report(many: dict) -> list[str]:
    """R5: the same record with 500 versions stored ÷ with one."""
    cases, pages = many["cases"], many["pages"]
    out = ["", f"#### R5: many small versions ({MANY} ÷ 1)", "",
           f"The three-year record as one version, and the same record after {MANY - 1} returns of one unit's month "
           "(a dozen task rows each) merged into it: the record keeps its size, only the number of versions grows.", "",
           f"| what | 1 version | {MANY} versions | ratio (wall) | ratio (CPU) | per round: median [min–max] | goal |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for what, key in (("status --json", "status"), ("import of one return (whole process)", "import")):
        one, many_ = cases[(key, "one")], cases[(key, "many")]
        rounds_ = sorted(a.wall / b.wall for a, b in zip(many_.runs, one.runs))
        out.append(f"| {what} | {ms(one.wall)} | {ms(many_.wall)} | {ratio(many_.wall, one.wall)} | "
                   f"{ratio(many_.cpu, one.cpu)} | {statistics.median(rounds_):.2f} [{rounds_[0]:.2f}–{rounds_[-1]:.2f}] | "
                   f"{verdict(many_.wall / one.wall, GOALS['R5'])} |")
    one, many_ = pages["one"], pages["many"]
    out += ["", "| page | warm, 1 | warm, 500 | ratio | cold, 1 | cold, 500 | ratio | goal |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    worst = 0.0
    for page, warm in one["warm"].items():
        w = many_["warm"][page]["wall"] / warm["wall"]
        c = many_["cold"][page]["wall"] / one["cold"][page]["wall"]
        worst = max(worst, w, c)
        out.append(f"| {one['titles'][page]} | {ms(warm['wall'])} | {ms(many_['warm'][page]['wall'])} | {w:.2f} | "
                   f"{ms(one['cold'][page]['wall'])} | {ms(many_['cold'][page]['wall'])} | {c:.2f} | "
                   f"{verdict(max(w, c), GOALS['R5'])} |")
    out += ["", f"Pages: medians of {one['runs']} warm runs and {one['cold_runs']} cold runs (each after another "
            f"session committed a return) per page, the two folders in processes of their own; worst ratio {worst:.2f}."]
    return out


def report(bench: Bench, args, imports: dict, refusal: dict, status: dict, pages: dict, many: dict,
           started: float) -> str:
    out = ["### Figures of the last run", "", *header(args), ""]
    full = bench.full[1]
    out += [f"Full three-year workbook: {bench.rows[1]:,} data rows over 7 sheets, {full.stat().st_size / 1024:,.0f} KB. "
            f"Bad workbook: {BAD_ROWS:,} rows in 任务进展, {bench.bad.stat().st_size / 1024 / 1024:.1f} MB.", ""]

    bare1 = imports[("bare", 1)]
    fresh, in_use = imports[("fresh", 1)], imports[("in-use", 1)]
    bare_bad = refusal["bare"]
    out += ["#### Ratios against the goals", "",
            "| ratio | what ÷ baseline | median wall | baseline wall | ratio (wall) | ratio (CPU) | per round: median [min–max] |"
            " goal |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    rows = [
        ("R1", "import, fresh data folder ÷ bare parse", fresh, bare1, "R1"),
        ("R1′", "import, folder in use ÷ bare parse", in_use, bare1, "R1"),
        ("R2", "refusal, fresh folder ÷ bare parse", refusal["fresh"], bare_bad, "R2"),
        ("R2′", "refusal, folder in use ÷ bare parse", refusal["in-use"], bare_bad, "R2"),
        ("R3", "status, 30 versions ÷ 1 version", status[30], status[1], "R3"),
    ]
    for label, what, case, base, goal in rows:
        rounds_ = sorted(a.wall / b.wall for a, b in zip(case.runs, base.runs))
        out.append(f"| {label} | {what} | {ms(case.wall)} | {ms(base.wall)} | {ratio(case.wall, base.wall)} | "
                   f"{ratio(case.cpu, base.cpu)} | {statistics.median(rounds_):.2f} [{rounds_[0]:.2f}–{rounds_[-1]:.2f}] | "
                   f"{verdict(case.wall / base.wall, GOALS[goal])} |")
    out += ["", "Wall is what people wait for; CPU (user + system of the child) is the same work measured "
            "without the time spent waiting for a core on this shared machine. Per round: the ratio within each "
            "round (both runs back to back), whose spread shows how much the machine moved during the run.", ""]

    out += ["#### The peer: pandas.read_excel (openpyxl) + DuckDB", "",
            "| workbook | yzlogi import (folder in use) | peer | peer ÷ yzlogi (wall) | (CPU) | yzlogi peak RSS |"
            " peer peak RSS | bare parse peak RSS |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for scale in SCALES:
        ours, peer, bare = imports[("in-use", scale)], imports[("peer", scale)], imports[("bare", scale)]
        out.append(f"| {scale}× ({bench.rows[scale]:,} rows) | {ms(ours.wall)} | {ms(peer.wall)} | "
                   f"{ratio(peer.wall, ours.wall)} | {ratio(peer.cpu, ours.cpu)} | {ours.max_rss_mb:.0f} MB | "
                   f"{peer.max_rss_mb:.0f} MB | {bare.max_rss_mb:.0f} MB |")
    out += ["", f"Peak RSS of the fresh-folder import: {fresh.max_rss_mb:.0f} MB; of the refusal: "
            f"{refusal['in-use'].max_rss_mb:.0f} MB (bare parse of that file {bare_bad.max_rss_mb:.0f} MB).", ""]

    out += ["#### Growth with rows (import into a folder in use)", "",
            "| rows | file | bare parse | import | import ÷ bare (wall) | (CPU) | import ÷ import at 1× |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for scale in SCALES:
        ours, bare = imports[("in-use", scale)], imports[("bare", scale)]
        out.append(f"| {bench.rows[scale]:,} ({scale}×) | {bench.full[scale].stat().st_size / 1024:,.0f} KB | "
                   f"{ms(bare.wall)} | {ms(ours.wall)} | {ratio(ours.wall, bare.wall)} | {ratio(ours.cpu, bare.cpu)} | "
                   f"{ratio(ours.wall, in_use.wall)} |")
    out += ["", "#### Growth with versions (status --json)", "",
            "| versions stored | median wall | CPU | ÷ 1 version | peak RSS |", "| --- | --- | --- | --- | --- |"]
    for count in VERSION_COUNTS:
        case = status[count]
        out.append(f"| {count} | {ms(case.wall)} | {ms(case.cpu)} | {ratio(case.wall, status[1].wall)} | "
                   f"{case.max_rss_mb:.0f} MB |")

    bare = pages["bare"]
    out += ["", "#### R4: pages, server-side run time", "",
            f"Bare page (one `st.write`): {bare['wall'] * 1000:.1f} ms wall, {bare['cpu'] * 1000:.1f} ms CPU. "
            f"Warm: median of {pages['runs']} reruns on the version already shown; cold: median of "
            f"{pages['cold_runs']} first runs after another session committed a new version "
            f"(store of {max(VERSION_COUNTS)} versions, full workbook).", "",
            "| page | warm (wall) | warm CPU | warm ÷ bare | cold (wall) | cold CPU | cold ÷ bare |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for page, warm in pages["warm"].items():
        cold = pages["cold"][page]
        out.append(f"| {pages['titles'][page]} (`{page}`) | {ms(warm['wall'])} | {ms(warm['cpu'])} | {warm['wall'] / bare['wall']:.0f} | "
                   f"{ms(cold['wall'])} | {ms(cold['cpu'])} | {cold['wall'] / pages['cold_bare']['wall']:.0f} |")
    out += many_report(many)
    out += ["", f"Whole benchmark: {(time.perf_counter() - started) / 60:.1f} minutes.", ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="yzlogi benchmark: ratios against baselines of the same run")
    parser.add_argument("--runs", type=int, default=7, help="interleaved rounds of whole-process runs (default 7)")
    parser.add_argument("--page-runs", type=int, default=7, help="warm runs of each page (default 7)")
    parser.add_argument("--cold-rounds", type=int, default=3, help="cold runs of each page (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (workbooks, data folders)")
    parser.add_argument("--output", type=Path, help="also write the Markdown report to this file")
    parser.add_argument("--only-r5", action="store_true", help="only R5 (many small versions)")
    args = parser.parse_args()

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="yzlogi-bench-"))
    try:
        bench = Bench(work, args.runs, args.page_runs, args.cold_rounds)
        if args.only_r5:
            log("building the three-year workbook …")
            rows = workbooks.full_rows(bench.plan, 1)
            bench.full = {1: work / "full-1x.xlsx"}
            bench.full[1].write_bytes(workbook_bytes(workbooks.build_workbook(bench.plan, rows), template_stamp(bench.plan)))
            bench.make_many()
            text = "\n".join(["### Figures of the last run (R5 only)", "", *header(args), *many_report(bench.run_many())])
            print(text)
            return
        bench.make_inputs()
        bench.make_folders()
        imports = bench.run_imports()
        refusal = bench.run_refusal()
        status = bench.run_status()
        pages = bench.run_pages()
        bench.make_many()
        many = bench.run_many()
        text = report(bench, args, imports, refusal, status, pages, many, started)
    finally:
        if args.keep:
            log(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
