"""Issue 15, point 4: what a 督办反馈 row may say, checked against the items (followups.answers),
the sheet in the schema (read, never stored), and the unit's return form pre-filled with its open items."""

from __future__ import annotations

from datetime import date, datetime

from versions import make_data
from yzlogi.followups.answers import ItemIndex, RowAnswer, row_messages, summary_lines
from yzlogi.followups.model import ANSWERED, CLOSED, RAISED, REOPENED, Event, Item
from yzlogi.forms import feedback_rows, unit_rows
from yzlogi.months import Month
from yzlogi.plan import load_plan
from yzlogi.schema import ALL_SHEETS, FEEDBACK, WORKBOOK, for_plan, sheet_keys

PLAN = load_plan()
TRANSPORT, COMMERCE = "区交通运输委", "区商务委"


def event(n: int, item: int, kind: str, day: int, **fields) -> Event:
    return Event(n, item, kind, datetime(2026, 7, day, 9, n), fields.pop("by", "张三"), **fields)


def item(number: int, units: tuple[str, ...], *events: Event, due: date = date(2026, 7, 31)) -> Item:
    raised = event(number * 10, number, RAISED, 1, text=f"要求{number}", due=due)
    return Item(number, "task:8", "task", "任务8 提升通道运力投入强度", units, 3, Month(2026, 6), (raised, *events))


OPEN = item(1, (TRANSPORT,))
ANSWERED_ONCE = item(2, (TRANSPORT, COMMERCE), event(21, 2, ANSWERED, 3, text="已安排", unit=TRANSPORT, via="workbook"))
CLOSED_ITEM = item(3, (TRANSPORT,), event(31, 3, CLOSED, 20, by="李四"))
REOPENED_ITEM = item(4, (COMMERCE,), event(41, 4, ANSWERED, 2, text="已办"), event(42, 4, CLOSED, 3),
                     event(43, 4, REOPENED, 4), due=date(2026, 7, 10))
INDEX = ItemIndex.of([OPEN, ANSWERED_ONCE, CLOSED_ITEM, REOPENED_ITEM])


def test_an_answer_to_an_open_item_by_one_of_its_units_is_fine():
    assert INDEX.problems(RowAnswer(5, 1, "已制定方案", True, TRANSPORT)) == []
    assert INDEX.problems(RowAnswer(5, 2, "已制定方案", False, COMMERCE)) == []
    assert INDEX.problems(RowAnswer(5, 1, "已制定方案")) == []  # no unit given: not checked
    assert INDEX.open_ids == frozenset({1, 2, 4})


def test_unknown_closed_and_other_units_answers_are_refused_in_chinese_at_their_column():
    answers = [RowAnswer(4, 99, "已办"), RowAnswer(5, 3, "已办"), RowAnswer(6, 1, "已办", False, COMMERCE),
               RowAnswer(7, 1, "字" * 2001)]
    headers = {c.key: c.header for c in FEEDBACK.columns}
    assert row_messages(answers, INDEX, "督办反馈", headers) == [
        "督办反馈 第4行「事项编号」：没有编号为 99 的督办事项（现有督办事项编号为 1—4）",
        "督办反馈 第5行「事项编号」：督办事项 3（任务8 提升通道运力投入强度）已于 2026-07-20 由李四销号（已办结），"
        "不能再反馈；如需继续办理，请督办协调人先重新打开该事项",
        "督办反馈 第6行「填报单位」：“区商务委”不是督办事项 1（任务8 提升通道运力投入强度）的办理单位（办理单位：区交通运输委）；"
        "请改为办理单位，或不填",
        "督办反馈 第7行「办理情况」：办理情况过长（2001 字），请精简到 2000 字以内",
    ]
    assert [p.code for p in ItemIndex().problems(RowAnswer(4, 1, "已办"))] == ["unknown_item"]
    assert ItemIndex().problems(RowAnswer(4, 1, "已办"))[0].reason == "没有编号为 1 的督办事项（目前还没有任何督办事项）"


def test_a_repeat_is_the_same_text_close_request_and_unit_as_the_latest_answer_since_raised_or_reopened():
    assert INDEX.is_repeat(RowAnswer(9, 2, " 已安排 ", False, TRANSPORT))
    assert not INDEX.is_repeat(RowAnswer(9, 2, "已安排", True, TRANSPORT))  # now asks for 办结
    assert not INDEX.is_repeat(RowAnswer(9, 2, "已安排", False, COMMERCE))  # another unit
    assert not INDEX.is_repeat(RowAnswer(9, 2, "已安排，正在落实", False, TRANSPORT))
    assert not INDEX.is_repeat(RowAnswer(9, 1, "已安排"))  # never answered
    assert not INDEX.is_repeat(RowAnswer(9, 4, "已办"))  # answered before it was closed and reopened
    assert not INDEX.is_repeat(RowAnswer(9, 99, "已办"))


def test_the_summary_says_how_many_which_items_and_how_many_ask_for_closing():
    answers = [RowAnswer(4, 7, "a"), RowAnswer(5, 2, "b", True), RowAnswer(6, 5, "c")]
    assert summary_lines(answers) == [
        "督办反馈：3 条（督办事项 2、5、7；其中 1 条申请办结，由督办协调人审核销号），记入各事项的办理记录"]
    assert summary_lines(answers[:1], repeats=[7], only_answers=True) == [
        "督办反馈：1 条（督办事项 7），记入各事项的办理记录",
        "  督办事项 7 的反馈与该事项最近一次反馈相同，不再重复记录",
        "本次上传只有督办反馈：进度数据不变（仍生成新版本，保存上传的文件）",
    ]
    assert summary_lines([]) == []


def test_the_sheet_is_read_for_every_plan_but_never_stored():
    assert FEEDBACK not in WORKBOOK and ALL_SHEETS == (*WORKBOOK, FEEDBACK)
    assert sheet_keys(PLAN)[-1] == "feedback" and for_plan(PLAN)[-1].name == "督办反馈"
    assert FEEDBACK.stored_columns() == ()
    assert FEEDBACK.read_columns() == (("item_no", "INTEGER"), ("answer", "VARCHAR"), ("request_close", "BOOLEAN"),
                                       ("department", "VARCHAR"), ("row", "INTEGER"), ("withdraw", "BOOLEAN"))
    assert [c.header for c in FEEDBACK.required_columns] == ["事项编号", "办理情况"]
    rendered = for_plan(PLAN)[-1]
    assert rendered.help == "本单位对督办事项的办理反馈，每个事项一行：反馈记入该事项的办理记录，不改变进度数据。申请办结由区交通运输委审核后销号。"


def test_the_units_form_lists_its_open_items_earliest_due_first_and_no_one_elses():
    commerce = feedback_rows(COMMERCE, [OPEN, ANSWERED_ONCE, CLOSED_ITEM, REOPENED_ITEM])
    assert commerce == [
        {"item_no": 4, "subject": "任务8 提升通道运力投入强度", "requirement": "要求4", "due": "2026-07-10",
         "department": COMMERCE},
        {"item_no": 2, "subject": "任务8 提升通道运力投入强度", "requirement": "要求2", "due": "2026-07-31",
         "department": COMMERCE},
    ]
    assert [r["item_no"] for r in feedback_rows(TRANSPORT, [OPEN, ANSWERED_ONCE, CLOSED_ITEM, REOPENED_ITEM])] == [1, 2]
    rows = unit_rows(PLAN, make_data(), COMMERCE, Month(2026, 6), [OPEN, ANSWERED_ONCE, CLOSED_ITEM, REOPENED_ITEM])
    assert rows["feedback"] == commerce
    assert unit_rows(PLAN, make_data(), COMMERCE, Month(2026, 6))["feedback"] == []
