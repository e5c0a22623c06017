"""Issue 15, crash safety of follow-up items: `python -m yzlogi followup add / answer / close`
killed with SIGKILL at every step of its write (FOLLOWUP_KILL_POINTS, through the test-only
YZLOGI_TEST_KILL_AT hook). Each time the folder opens again with the history whole: the new
event there (killed after COMMIT) or not at all (before it), never an item without its
`raised` event nor an event without its item; the versions untouched; the next write works."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from store_helpers import workbook
from yzlogi.followups import service as followups
from yzlogi.followups import storage
from yzlogi.followups.storage import FOLLOWUP_KILL_POINTS
from yzlogi.plan import load_plan
from yzlogi.store import DB_FILE, KILL_ENV, Store

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
COMMITTED_FROM = FOLLOWUP_KILL_POINTS.index("followup:committed")  # from this step on, the event is durable
DUE = date(2099, 12, 31)  # after any day these tests run on

ACTIONS = {
    "add": ("followup", "add", "--about", "task:9", "--text", "组织通道联动专题会", "--due", DUE, "--by", "张三"),
    "answer": ("followup", "answer", "1", "--text", "已报送", "--by", "李四", "--close-request"),
    "close": ("followup", "close", "1", "--by", "王五", "--note", "核实无误"),
}
NEW_EVENT = {"add": "raised", "answer": "answered", "close": "closed"}
CASES = [(action, point) for action in ACTIONS for point in FOLLOWUP_KILL_POINTS
         if not (point == "followup:item_inserted" and action != "add")]  # only raising inserts an item


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A data folder with a version and one open item (raised, answered) to copy for each run."""
    store = Store(tmp_path_factory.mktemp("crash") / "data", plan=PLAN, sample=None)
    store.commit(workbook(1), by="张三", note="6月")
    followups.raise_item(store, "task:8", "报送渝穗班列追赶计划", date(2026, 7, 15), "张三", at=datetime(2026, 7, 1, 9))
    followups.answer(store, 1, "已起草", "李四", at=datetime(2026, 7, 5, 9))
    return store.folder


def cli(folder: Path, *args, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yzlogi", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", env={**os.environ, "YZLOGI_DATA_DIR": str(folder), **(env or {})},
                          timeout=300)


def history(folder: Path) -> dict:
    """The follow-ups and the versions as the next process sees them, and whether the tables hold together."""
    store = Store(folder, plan=PLAN, sample=None)
    with store.reading() as con:
        items = storage.read_items(con)
        orphans = con.execute("SELECT count(*) FROM followup_events WHERE item_id NOT IN "
                              "(SELECT id FROM followup_items)").fetchone()[0]
    assert orphans == 0  # no event without its item
    assert all(item.events and item.events[0].kind == "raised" for item in items)  # no item without its raising
    assert not (folder / (DB_FILE + ".wal")).exists()
    return {"items": [(i.id, i.about, i.units, tuple((e.id, e.kind, e.by, e.text, e.due, e.request_close, e.via)
                                                      for e in i.events)) for i in items],
            "versions": [(v.id, v.sha256, v.active) for v in store.versions()], "token": store.state_token()}


@pytest.mark.parametrize("action, point", CASES)
def test_a_follow_up_write_killed_at_any_step_leaves_the_history_whole(template, tmp_path, action, point):
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    before = history(folder)

    killed = cli(folder, *ACTIONS[action], env={KILL_ENV: point})
    assert (killed.returncode, killed.stdout) == (-signal.SIGKILL, ""), killed.stderr

    after = history(folder)
    assert (after["versions"], after["token"]) == (before["versions"], before["token"])
    if FOLLOWUP_KILL_POINTS.index(point) < COMMITTED_FROM:
        assert after == before  # nothing of the new event, the rest intact
    else:
        events = [e for item in after["items"] for e in item[3]]
        assert len(events) == len([e for item in before["items"] for e in item[3]]) + 1
        assert max(events)[1] == NEW_EVENT[action]  # the newest event is the one written, whole
        if action == "add":
            assert after["items"][:-1] == before["items"]
            assert after["items"][-1] == (2, "task:9", ("区商务委",), ((3, "raised", "张三", "组织通道联动专题会", DUE, False,
                                                                       "cli"),))
        else:
            assert after["items"][0][3][:-1] == before["items"][0][3]

    # The folder is usable at once: the lock went with the process, the log was replayed.
    again = cli(folder, *ACTIONS[action])
    if action == "close" and FOLLOWUP_KILL_POINTS.index(point) >= COMMITTED_FROM:
        assert (again.returncode, again.stderr) == (  # the killed close got through: a second one is refused
            1, f"督办事项 1（任务8 提升通道运力投入强度）已办结（{date.today():%Y-%m-%d} 由王五销号），无需再次销号。\n")
    else:
        assert again.returncode == 0, again.stderr
    history(folder)


def test_the_hook_does_nothing_unless_it_names_a_step(template, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    result = cli(folder, *ACTIONS["close"], env={KILL_ENV: "followup:no such step"})
    assert (result.returncode, result.stdout) == (0, "已销号：督办事项 1（任务8 提升通道运力投入强度）已办结。\n")
    assert history(folder)["items"][0][3][-1][1] == "closed"
