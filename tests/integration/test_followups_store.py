"""Follow-up items (督办事项) in a real data folder: raised, answered, closed, reopened and moved,
each event appended and the history read back whole; every refusal leaves the folder as it was;
answers that come with a workbook are written in the committing transaction or not at all;
imports, a complete re-upload and a rollback leave the items untouched."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from store_helpers import workbook
from yzlogi.followups import service as followups
from yzlogi.followups import storage
from yzlogi.followups.errors import BadAbout, BadDue, BadText, FollowupError, ItemClosed, ItemOpen, UnknownItem, UnknownUnit
from yzlogi.followups.present import item_json
from yzlogi.followups.storage import WorkbookAnswer
from yzlogi.months import Month
from yzlogi.plan import load_plan
from yzlogi.store import Store, UnknownVersion

PLAN = load_plan()
DAY = date(2026, 7, 18)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 7, day, hour)


@pytest.fixture
def store(tmp_path):
    """Two committed versions (the second active, data to 2026-06) and no follow-up items yet."""
    store = Store(tmp_path / "data", plan=PLAN, sample=None)
    store.commit(workbook(1), by="张三", note="5月")
    store.commit(workbook(2), by="李四", note="6月")
    return store


def listing(store: Store, day: date = DAY) -> list[dict]:
    """What `followup list --json` shows, opened afresh (as the next process would)."""
    fresh = Store(store.folder, plan=PLAN, sample=None)
    return [item_json(j) for j in followups.judged(fresh, day)]


@pytest.fixture
def history(store):
    """Item 1 about task 8 raised, answered (asking for 办结), closed, reopened and moved; item 2 about a route."""
    followups.raise_item(store, "task:8", "报送渝穗班列追赶计划", date(2026, 7, 15), "张三", ["交通委"],
                         version_id=1, as_of="2026-05", via="cli", at=at(1))
    followups.raise_item(store, "route:渝穗班列:2026", "加密班次", date(2026, 7, 20), "张三", at=at(2))
    followups.answer(store, 1, "已起草，待审定", "李四", unit="区交通运输委", at=at(5))
    followups.answer(store, 1, "已报送专班", "李四", request_close=True, unit="交通运输委", at=at(10))
    followups.close(store, 1, "王五", "同意销号", at=at(11))
    followups.reopen(store, 1, "王五", "计划缺少分月安排", at=at(12))
    followups.change_due(store, 1, date(2026, 7, 31), "王五", "补充分月安排", at=at(12, 10))
    return store


def test_each_action_appends_one_event_and_the_history_reads_back_whole(history):
    found = listing(history)
    assert [(i["id"], i["level"], i["reason"]) for i in found] == [
        (2, "yellow", "截止 2026年7月20日，还剩 2 天 → 黄灯"),
        (1, "green", "截止 2026年7月31日，还剩 13 天 → 绿灯"),
    ]
    first = found[1]
    assert {k: first[k] for k in first if k != "history"} == {
        "id": 1, "about": "task:8", "section": "task", "subject": "任务8 提升通道运力投入强度", "units": ["区交通运输委"],
        "requirement": "报送渝穗班列追赶计划", "due": "2026-07-31", "raised_at": "2026-07-01T09:00:00", "raised_by": "张三",
        "version_id": 1, "as_of": "2026-05", "level": "green", "state": "办理中",
        "reason": "截止 2026年7月31日，还剩 13 天 → 绿灯", "closed": False, "closed_at": None, "close_requested": False,
    }
    assert [(e["id"], e["kind"], e["label"], e["at"], e["by"], e["text"], e["due"], e["request_close"], e["via"],
             e["unit"]) for e in first["history"]] == [
        (1, "raised", "交办", "2026-07-01T09:00:00", "张三", "报送渝穗班列追赶计划", "2026-07-15", False, "cli", None),
        (3, "answered", "反馈", "2026-07-05T09:00:00", "李四", "已起草，待审定", None, False, "page", "区交通运输委"),
        (4, "answered", "反馈", "2026-07-10T09:00:00", "李四", "已报送专班", None, True, "page", "区交通运输委"),
        (5, "closed", "销号", "2026-07-11T09:00:00", "王五", "同意销号", None, False, "page", None),
        (6, "reopened", "重新打开", "2026-07-12T09:00:00", "王五", "计划缺少分月安排", None, False, "page", None),
        (7, "due_changed", "调整期限", "2026-07-12T10:00:00", "王五", "补充分月安排", "2026-07-31", False, "page", None),
    ]
    second = found[0]
    # Raised without a version: the active one and its latest month.
    assert (second["units"], second["version_id"], second["as_of"], second["about"]) == (
        ["区交通运输委"], 2, "2026-06", "route:渝穗班列:2026")


def test_on_an_earlier_day_an_item_is_as_it_stood_then(history):
    on_the_10th = listing(history, date(2026, 7, 10))  # newest first, whatever the light
    assert [(i["id"], i["level"], i["close_requested"], len(i["history"])) for i in on_the_10th] == [
        (2, "green", False, 1), (1, "yellow", True, 3)]
    on_the_11th = listing(history, date(2026, 7, 11))
    assert [(i["id"], i["level"], i["reason"]) for i in on_the_11th] == [
        (2, "green", "截止 2026年7月20日，还剩 9 天 → 绿灯"),
        (1, "closed", "2026年7月11日由王五销号 → 已办结"),
    ]
    assert listing(history, date(2026, 6, 30)) == []
    assert [i["id"] for i in listing(history, date(2026, 7, 1))] == [1]


def test_counts_ids_units_and_revision(history):
    assert followups.light_counts(history, date(2026, 7, 25)) == {"red": 1, "yellow": 1, "green": 0, "closed": 0}
    assert followups.light_counts(history, date(2026, 7, 11)) == {"red": 0, "yellow": 0, "green": 1, "closed": 1}
    assert followups.known_ids(history) == frozenset({1, 2})
    followups.close(history, 2, "王五", at=at(19))
    assert followups.open_ids(history) == frozenset({1})
    assert followups.revision(history) == 8
    assert [i.id for i in followups.items(history, "交通委")] == [2, 1]  # newest first, any alias
    assert followups.items(history, "区商务委") == []
    with pytest.raises(UnknownUnit) as refused:
        followups.items(history, "商务局")
    assert str(refused.value) == "计划中没有部门“商务局”，您是否要找：区商务委？"


def test_a_unit_sees_the_items_it_acts_on_whoever_leads(store):
    followups.raise_item(store, "task:8:区商务委", "报送货源组织方案", date(2026, 7, 31), "张三", at=at(1))
    followups.raise_item(store, "task:14", "联合调研", date(2026, 7, 31), "张三", at=at(1))
    assert [(i.id, i.units) for i in followups.items(store, "商务委")] == [
        (2, ("区商务委", "区交通运输委")), (1, ("区商务委",))]
    assert [i.id for i in followups.items(store, "区交通运输委")] == [2]


def refusals():
    return [
        (lambda s: followups.raise_item(s, "task:8", "x", date(2026, 7, 1), "张三", ["商务局"], at=at(2)), UnknownUnit,
         "计划中没有部门“商务局”，您是否要找：区商务委？"),
        (lambda s: followups.raise_item(s, "task:99", "x", date(2026, 7, 9), "张三", at=at(2)), BadAbout,
         "计划中没有任务 99（重点任务共 16 项，编号 1—16）。"),
        (lambda s: followups.raise_item(s, "task:8", "x", date(2026, 7, 1), "张三", at=at(2)), BadDue,
         "截止日期 2026年7月1日 早于交办日期 2026年7月2日，请改为交办当天或之后的日期。"),
        (lambda s: followups.raise_item(s, "task:8", " ", date(2026, 7, 9), "张三", at=at(2)), BadText,
         "督办要求不能为空。"),
        (lambda s: followups.raise_item(s, "task:8", "x", date(2026, 7, 9), "张三", version_id=9, at=at(2)),
         UnknownVersion, "版本 9 不存在。可用 python -m yzlogi versions 查看已有版本。"),
        (lambda s: followups.answer(s, 7, "已办", "李四"), UnknownItem,
         "没有编号为 7 的督办事项。可用 python -m yzlogi followup list 查看已有事项。"),
        (lambda s: followups.answer(s, 2, "已办", "李四"), ItemClosed,
         "督办事项 2（渝穗班列（2026年））已办结（2026-07-16 由王五销号），不能再反馈；如需继续办理，请先重新打开。"),
        (lambda s: followups.answer(s, 1, "已办", "李四", unit="气象局局"), UnknownUnit, "计划中没有部门“气象局局”。"),
        (lambda s: followups.close(s, 2, "王五"), ItemClosed,
         "督办事项 2（渝穗班列（2026年））已办结（2026-07-16 由王五销号），无需再次销号。"),
        (lambda s: followups.reopen(s, 1, "王五"), ItemOpen, "督办事项 1（任务8 提升通道运力投入强度）尚未办结，无需重新打开。"),
        (lambda s: followups.change_due(s, 1, date(2026, 6, 30), "王五"), BadDue,
         "截止日期 2026年6月30日 早于交办日期 2026年7月1日，请改为交办当天或之后的日期。"),
        (lambda s: followups.change_due(s, 1, date(2026, 7, 31), "王五"), BadDue,
         "督办事项 1（任务8 提升通道运力投入强度）的截止日期已是 2026年7月31日，未修改。"),
        (lambda s: followups.change_due(s, 2, date(2026, 8, 31), "王五"), ItemClosed,
         "督办事项 2（渝穗班列（2026年））已办结（2026-07-16 由王五销号），不能调整期限；如需继续办理，请先重新打开。"),
    ]


@pytest.mark.parametrize("index", range(len(refusals())))
def test_every_refusal_is_chinese_and_changes_nothing(history, index):
    followups.close(history, 2, "王五", at=at(16))
    action, error, message = refusals()[index]
    before = (listing(history), followups.revision(history), sorted(p.name for p in history.folder.iterdir()))
    with pytest.raises(error) as refused:
        action(history)
    assert str(refused.value) == message
    assert (listing(history), followups.revision(history), sorted(p.name for p in history.folder.iterdir())) == before


def test_imports_a_complete_re_upload_and_a_rollback_leave_the_items_untouched(history):
    before = listing(history)
    history.commit(workbook(3), by="张三", note="7月")
    history.commit(workbook(4), by="张三", note="全部重报")  # every sheet again, other values
    history.rollback(1, by="王五", note="核对")
    assert listing(history) == before
    assert [v.id for v in history.versions()] == [1, 2, 3, 4]
    assert json.dumps(before, ensure_ascii=False).count('"kind": "answered"') == 2


def test_workbook_answers_are_written_in_the_committing_transaction(history):
    answers = [WorkbookAnswer(1, "分月安排已补充", True, "区交通运输委"), WorkbookAnswer(2, "已加密至每周2班")]
    with history.writing() as con:
        with storage.transaction(con):
            recorded = storage.record_workbook_answers(con, answers, version_id=3, by="区交通运输委",
                                                       at=at(14))
    assert [(e.id, e.item_id, e.via, e.version_id, e.request_close, e.unit) for e in recorded] == [
        (8, 1, "workbook", 3, True, "区交通运输委"), (9, 2, "workbook", 3, False, None)]
    found = {i["id"]: i for i in listing(history)}
    assert found[1]["history"][-1] == {
        "id": 8, "kind": "answered", "label": "反馈", "at": "2026-07-14T09:00:00", "by": "区交通运输委",
        "text": "分月安排已补充", "due": None, "request_close": True, "via": "workbook", "unit": "区交通运输委",
        "version_id": 3}
    assert (found[1]["close_requested"], found[1]["closed"]) == (True, False)  # asking does not close


def test_workbook_answers_go_when_the_commit_is_rolled_back(history):
    before = listing(history)
    with history.writing() as con:
        with pytest.raises(RuntimeError):
            with storage.transaction(con):
                storage.record_workbook_answers(con, [WorkbookAnswer(1, "已补充")], version_id=3, by="李四")
                raise RuntimeError("the version's rows failed")
    assert listing(history) == before


def test_workbook_answers_for_unknown_or_closed_items_are_refused_together(history):
    followups.close(history, 2, "王五", at=at(16))
    before = listing(history)
    answers = [WorkbookAnswer(1, "已补充"), WorkbookAnswer(2, "已加密"), WorkbookAnswer(9, "无此事项"),
               WorkbookAnswer(1, "  ")]
    with history.writing() as con:
        with pytest.raises(FollowupError) as refused:
            with storage.transaction(con):
                storage.record_workbook_answers(con, answers, version_id=3, by="李四")
    assert str(refused.value) == (
        "督办反馈有误：督办事项 2（渝穗班列（2026年））已办结（2026-07-16 由王五销号），不能再反馈；如需继续办理，请先重新打开。"
        "没有编号为 9 的督办事项。可用 python -m yzlogi followup list 查看已有事项。督办事项 1 的办理情况不能为空。")
    assert listing(history) == before
    with history.writing() as con:
        assert storage.record_workbook_answers(con, [], version_id=3, by="李四") == []


def test_a_store_without_items_answers_empty_and_refuses_a_workbook_answer(store):
    assert (followups.items(store), followups.known_ids(store), followups.revision(store)) == ([], frozenset(), 0)
    with store.writing() as con:
        assert not storage.has_tables(con)
        with pytest.raises(FollowupError) as refused:
            storage.record_workbook_answers(con, [WorkbookAnswer(1, "已办")], version_id=2, by="李四")
    assert str(refused.value) == "督办反馈有误：没有编号为 1 的督办事项。可用 python -m yzlogi followup list 查看已有事项。"
    with store.reading() as con:
        assert not storage.has_tables(con)  # reading and refusing created nothing


def test_the_as_of_month_on_screen_must_be_a_month(store):
    with pytest.raises(FollowupError) as refused:
        followups.raise_item(store, "task:8", "x", date(2026, 7, 9), "张三", as_of="2026年6月", at=at(2))
    assert str(refused.value) == "月份“2026年6月”格式不对，应为 YYYY-MM，如 2026-06"
    item = followups.raise_item(store, "task:8", "x", date(2026, 7, 9), "", version_id=1, as_of=Month(2026, 5),
                                at=at(2))
    assert (item.version_id, item.as_of, item.raised_by) == (1, Month(2026, 5), "未署名")


def test_a_write_the_database_refuses_is_a_chinese_refusal_and_leaves_nothing(history):
    before = listing(history)
    bogus = storage.Event(0, 1, "forgotten", at(13), "王五", "x")  # not a kind the table allows
    with history.writing() as con:
        with pytest.raises(FollowupError) as refused:
            storage.append_event(con, bogus)
    assert str(refused.value) == "保存督办事项时出错（ConstraintException），已全部撤销，数据未改变。"
    assert listing(history) == before
