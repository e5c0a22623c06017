"""A commit killed while DuckDB writes its log leaves a torn log; the next open replaces it."""

import os
import subprocess
import sys
from pathlib import Path

from builders import good_sheets, write_xlsx
from yzlogi.model import InputFile
from yzlogi.store import DB_FILE, Store

ROOT = Path(__file__).resolve().parents[2]

# A writer that commits a version with checkpoints held back, keeps a copy of the
# whole log and dies before checkpointing: the log as it was at the moment of COMMIT.
WRITER = """
import os, shutil, sys
import duckdb
from yzlogi.model import InputFile
from yzlogi.store import DB_FILE, Store

folder, upload, copy = sys.argv[1:4]
connect = duckdb.connect
duckdb.connect = lambda *a, **k: connect(*a, **{**k, "config": {"checkpoint_threshold": "1GB"}})
store = Store(folder, sample=None)
store.ensure_ready()

def commit_then_die(con):
    shutil.copy(os.path.join(folder, DB_FILE + ".wal"), copy)
    os._exit(0)

import yzlogi.store.core as module
original = module._kill_point
module._kill_point = lambda name: commit_then_die(None) if name == "committed" else original(name)
store.import_files([InputFile("6月进度.xlsx", open(upload, "rb").read())], by="王五")
"""


def test_a_torn_log_is_replaced_at_the_next_open_and_the_store_stays_as_it_was(tmp_path):
    folder = tmp_path / "data"
    store = Store(folder)
    store.ensure_ready()  # the sample as version 1
    before = [(v.id, v.sha256, v.active) for v in store.versions()]
    upload = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets())
    whole = tmp_path / "whole.wal"
    subprocess.run([sys.executable, "-c", WRITER, str(folder), str(upload), str(whole)], cwd=ROOT, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    log = folder / (DB_FILE + ".wal")
    data = whole.read_bytes()
    log.write_bytes(data[: len(data) // 2])  # killed with half of it on disk: no whole transaction

    reopened = Store(folder, sample=None)
    assert [(v.id, v.sha256, v.active) for v in reopened.versions()] == before
    assert not log.exists()
    assert reopened.state_token() == "1:1"
    again = reopened.import_files([InputFile(upload.name, upload.read_bytes())], by="王五")
    assert again.version.id == 2 and again.version.active
