"""Issue 13: a fuzz corpus of our own, run through the importer.

The seeds are real files: the fill-in template and the bundled sample as xlsx, the
same saved by LibreOffice as .xls and .ods, and the sample's required sheets as CSV
in UTF-8 and GB18030. tests/fuzz.py mutates each (truncated at many offsets, header
bytes flipped, zip members and headers corrupted, OLE2 sectors overwritten, CSV bytes,
characters and encodings mangled), every intact workbook is also uploaded under the
other formats' extensions, and the reader-crashing .xls files of tests/crashers.py
join in. All of it is seeded: the same cases on every run.

Each case goes through Store.import_files into one data folder, as an upload does.
Required of every case: a valid import (a new version), or a refusal whose every
message is Chinese (no library text: words in Latin letters outside the file's and
cells' own text are only format names), no traceback (yzlogi logs none of its own
failures), and a data folder left byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

import fuzz
from builders import convert_with_libreoffice, write_csv
from crashers import CRASHERS
from yzlogi.config import SAMPLE_WORKBOOK
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.store import Store
from yzlogi.template import write_template

PLAN = load_plan()
PLAN_NAMES = {*(d.name for d in PLAN.departments), *(g.name for g in PLAN.goals), *(c.category for c in PLAN.fleet),
              *(r.name for r in PLAN.routes), *(i.name for i in PLAN.indicators)}
SEED = 20261130
REQUIRED = ("指标进展", "通道班次", "船舶更新", "任务进展")
# Words in Latin letters a Chinese message may hold: names of formats, programs and encodings.
NAMES = {"Excel", "WPS", "xlsx", "xls", "xlsm", "xlsb", "ods", "csv", "CSV", "UTF", "GB", "GBK", "PDF", "PNG",
         "JPEG", "GIF", "RTF", "RAR", "gzip", "Word", "PowerPoint", "XML", "OLE", "MB", "sha", "Y", "N"}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, bytes]:
    """file name → bytes: the workbooks, and the sample's required sheets as CSV (name: encoding/sheet.csv)."""
    folder = tmp_path_factory.mktemp("fuzz-seeds")
    template = folder / "进度填报模板.xlsx"
    write_template(template, PLAN)
    sample = folder / "示例进度.xlsx"
    shutil.copy(SAMPLE_WORKBOOK, sample)
    found = {}
    for source in (template, sample):
        found[source.name] = source.read_bytes()
        for kind in ("xls", "ods"):
            found[f"{source.stem}.{kind}"] = convert_with_libreoffice(source, kind, folder / "lo").read_bytes()
    book = load_workbook(sample, read_only=True, data_only=True)
    for encoding in ("utf-8", "gb18030"):
        (folder / encoding).mkdir()
        for sheet in REQUIRED:
            rows = [["" if value is None else value for value in row] for row in book[sheet].iter_rows(values_only=True)]
            path = write_csv(folder / encoding / f"{sheet}.csv", rows[0], rows[1:], encoding=encoding)
            found[f"{encoding}/{sheet}.csv"] = path.read_bytes()
    return found


def corpus(seeds: dict[str, bytes]) -> list[tuple[str, list[InputFile]]]:
    rng = random.Random(SEED)
    cases = []
    for name, data in seeds.items():
        if name.endswith(".csv"):
            continue
        kind = name.rsplit(".", 1)[1]
        mutations = [*fuzz.truncate(data, rng), *fuzz.headers(data, rng)]
        mutations += fuzz.zip_members(data, rng) if kind in ("xlsx", "ods") else fuzz.ole2_sectors(data, rng)
        cases += [(f"{name}: {label}", [InputFile(name, mutated)]) for label, mutated in mutations]
        stem = name.rsplit(".", 1)[0]
        for other in ("xlsx", "xls", "ods", "csv", "pdf", "txt"):
            if other != kind:
                cases.append((f"{name} renamed .{other}", [InputFile(f"{stem}.{other}", data)]))
    for encoding in ("utf-8", "gb18030"):
        sheets = {sheet: seeds[f"{encoding}/{sheet}.csv"] for sheet in REQUIRED}
        for target in ("指标进展", "任务进展"):
            data = sheets[target]
            mutations = [*fuzz.truncate(data, rng), *fuzz.headers(data, rng, count=4), *fuzz.text(data, rng)]
            for label, mutated in mutations:
                files = [InputFile(f"{sheet}.csv", mutated if sheet == target else sheets[sheet]) for sheet in REQUIRED]
                cases.append((f"{encoding} {target}.csv: {label}", files))
    cases += [(f"crasher: {case}", [InputFile(name, make())]) for case, (name, make, _kind) in CRASHERS.items()]
    return cases


def folder_state(folder: Path) -> dict[str, str]:
    """Every file of the data folder (but its lock files) by sha256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix not in (".lock", ".turnstile")}


def foreign_words(message: str) -> list[str]:
    """Words in Latin letters outside quoted text (file names, cells 「sheets」), but for format names.

    The plan's own names (“5A级物流企业”, “LNG动力船舶更新”) are Chinese domain terms, not leaks."""
    bare = re.sub(r"“[^”]*”|「[^」]*」", "", message)
    for name in sorted(PLAN_NAMES, key=len, reverse=True):
        bare = bare.replace(name, "")
    return [word for word in re.findall(r"[A-Za-z]+", bare) if word not in NAMES]


def test_every_mutated_file_is_refused_in_chinese_or_imported_and_nothing_else_changes(seeds, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    cases = corpus(seeds)
    store = Store(tmp_path / "data", plan=PLAN)
    store.ensure_ready()
    state = folder_state(store.folder)
    versions = len(store.versions())
    outcomes, problems = Counter(), []
    for label, files in cases:
        try:
            outcome = store.import_files(files, by="fuzz")
        except Exception as exc:  # noqa: BLE001 - collected: the test names every case that failed
            problems.append(f"{label}: raised {type(exc).__name__}: {exc}")
            continue
        parsed = outcome.parsed
        if outcome.stored:
            versions += 1
            outcomes["imported"] += 1
            state = folder_state(store.folder)
            continue
        if outcome.duplicate_of is not None:
            outcomes["same as a version"] += 1
        else:
            codes = {issue.code for issue in parsed.errors}
            outcomes.update(codes & {"read_crashed", "corrupt_file", "read_failed", "unknown_format"} or {"refused"})
            if not parsed.errors:
                problems.append(f"{label}: neither stored nor refused")
        for issue in parsed.issues:
            if foreign_words(issue.message) or not re.search(r"[\u4e00-\u9fff]", issue.message):
                problems.append(f"{label}: not wholly Chinese: {issue.message}")
        if folder_state(store.folder) != state:
            problems.append(f"{label}: the data folder changed")
            state = folder_state(store.folder)
    own = [r.getMessage() for r in caplog.records if r.name.startswith("yzlogi") and r.name != "yzlogi.sandbox"
           and r.levelno >= logging.ERROR]
    assert problems == [] and own == []
    assert len(store.versions()) == versions
    # The corpus is what it says: several hundred cases, every kind of outcome among them.
    assert len(cases) > 400
    assert {"imported", "read_crashed", "corrupt_file", "read_failed", "unknown_format", "refused"} <= set(outcomes)
    print(f"{len(cases)} cases: {dict(outcomes)}")
