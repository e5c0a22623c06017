"""Issue 14: with many versions (a dozen returns a month), the pickers list the newest 20 and any
other version is typed in by number; the history lists the newest 20, all on request."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from page_helpers import frame_with
from store_helpers import workbook
from ui import context
from yzlogi.store import Store

COUNT = 25  # the sample, then 24 uploads


@pytest.fixture
def many(app, tmp_path):
    store = Store(tmp_path / "var")
    store.ensure_ready()
    for tag in range(1, COUNT):
        store.commit(workbook(tag), by=f"单位{tag}")
    return store


def test_the_sidebar_lists_the_newest_versions_and_takes_an_older_one_by_number(app, many):
    at = app("pages/overview.py")
    box = at.selectbox(key="v")
    assert box.options[:3] == ["当前版本", f"v{COUNT} · {many.version(COUNT).committed_at:%Y-%m-%d %H:%M} · 单位24（当前）",
                               f"v{COUNT - 1} · {many.version(COUNT - 1).committed_at:%Y-%m-%d %H:%M} · 单位23"]
    assert len(box.options) == 21 and box.options[-1].startswith("v6 · ")
    assert "更早的 5 个版本请输入版本号，如 1" in box.proto.help
    # A version typed in comes as text (AppTest's selectbox takes only its options; the parsing is
    # context.typed_version, below); a link names one the same way.
    at = app("pages/overview.py", query={"v": "3"})
    assert at.caption[0].value.startswith("数据版本：v3 · ")
    assert at.selectbox(key="v").options[-1].startswith("v3 · ")  # kept in the list while chosen


def test_a_typed_version_is_its_number_when_there_is_one():
    ids = [1, 2, 37]
    assert [context.typed_version(text, ids) for text in ("37", " v37 ", "V2", "版本 1", "v 37")] == [
        "37", "37", "2", "1", "37"]
    assert [context.typed_version(text, ids) for text in ("38", "v", "三十七", "37a", "")] == [None] * 5


def test_the_newest_versions_are_listed_and_a_chosen_older_one_after_them():
    versions = [SimpleNamespace(id=i) for i in range(1, 31)]
    assert context.recent_ids(versions) == [str(i) for i in range(30, 10, -1)]
    assert context.recent_ids(versions, "3")[-2:] == ["11", "3"]
    assert context.recent_ids(versions, "12") == context.recent_ids(versions)
    assert context.recent_ids(versions, "99") == context.recent_ids(versions)


def test_a_link_to_an_old_version_opens_it(app, many):
    at = app("pages/overview.py", query={"v": "2"})
    assert at.caption[0].value.startswith("数据版本：v2 · ")


def test_the_history_shows_the_newest_twenty_and_all_on_request(app, many):
    at = app("pages/data.py")
    assert list(frame_with(at, "版本", "导入人")["版本"]) == list(range(COUNT, COUNT - 20, -1))
    assert len(at.selectbox(key="data_pick").options) == 20
    at.toggle(key="data_all_versions").set_value(True).run()
    assert list(frame_with(at, "版本", "导入人")["版本"]) == list(range(COUNT, 0, -1))
