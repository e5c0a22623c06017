"""Issue 15 in AppTest: 督办事项 on the pages against a real store — raised from 总览's exception rows
(passcode first, also in meeting mode), listed and filtered on their page (the filter in the URL),
answered, closed, reopened and re-dated there, shown first on 部门详情 with its 督办通知单."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from page_helpers import download, frame_with
from ui import meeting as ui_meeting
from ui.render import escape_md
from yzlogi.access import hash_passcode
from yzlogi.followups import service
from yzlogi.store import Store

PASSCODE = "渝中物流-2026"
TODAY = date.today()


@pytest.fixture
def store(app, tmp_path, monkeypatch, fake_time):
    monkeypatch.setenv("YZLOGI_PASSCODE_HASH", hash_passcode(PASSCODE, n=2**10, r=8, p=1))
    fake_time()
    found = Store(tmp_path / "var")
    found.ensure_ready()
    return found


def items(store: Store):
    """Three items: one overdue (raised long ago), one due in three days, one closed."""
    overdue = service.raise_item(store, "route:渝穗班列:2026", "报送渝穗班列追赶计划", date(2026, 7, 15), "张三",
                                 at=datetime(2026, 7, 1, 9))
    soon = service.raise_item(store, "task:8:区商务委", "补报任务8进展", TODAY + timedelta(days=3), "张三")
    done = service.raise_item(store, "fleet:甲醇动力船舶更新", "说明甲醇船舶开工计划", TODAY + timedelta(days=30), "李四")
    service.close(store, done.id, "李四", "已说明")
    return overdue, soon, done


def unlock(at, key: str):
    at.text_input(key=f"{key}_passcode").input(PASSCODE)
    at.button(key=f"{key}_unlock").click().run()
    assert not at.exception
    return at


def test_overview_counts_the_open_items_and_lists_the_overdue_ones(app, store):
    overdue, _soon, _done = items(store)
    at = app("pages/overview.py")
    assert "**督办事项**：■ 逾期 **1** 项　▲ 临期 **1** 项　办理中 0 项" in [m.value for m in at.markdown]
    assert "逾期的督办事项" in [h.value for h in at.subheader]
    shown = frame_with(at, "编号", "督办要求")
    assert shown[["灯", "编号", "事项", "办理单位", "截止日期"]].values.tolist() == [
        ["■ 红", overdue.id, "渝穗班列（2026年）", "区交通运输委", "2026年7月15日"]]
    assert shown.iloc[0]["说明"].startswith("逾期：截止 2026年7月15日，已逾期 ")


def test_an_item_is_raised_from_an_exception_row_after_unlocking(app, store):
    at = app("pages/overview.py")
    # Locked: the form asks for the passcode first, and nothing else.
    assert "overview_raise_submit" not in [b.key for b in at.button]
    at = unlock(at, "overview_raise")
    choice = at.selectbox(key="overview_raise_about")
    assert choice.options[:3] == ["■ 红　指标5 西部陆海新通道运量增速（2026年）", "■ 红　指标6 通道运力投入强度（2026年）",
                                  "■ 红　渝穗班列（2026年）"]
    choice.set_value("route:渝穗班列:2026").run()
    units = at.multiselect(key="overview_raise_units_route:渝穗班列:2026")
    assert units.value == ["区交通运输委"]  # its lead, by default
    units.set_value(["区交通运输委", "区商务委"])
    at.text_area(key="overview_raise_text").input("7月15日前报送追赶计划")
    at.date_input(key="overview_raise_due").set_value(TODAY + timedelta(days=10))
    at.button(key="overview_raise_submit").click().run()
    assert [e.value for e in at.error] == ["请填写交办人姓名后再交办。"]
    assert service.items(store) == []
    at.text_input(key="overview_raise_by").input("张三")
    at.button(key="overview_raise_submit").click().run()
    assert not at.exception
    [item] = service.items(store)
    assert (item.about, item.units, item.requirement, item.due, item.raised_by, item.version_id, str(item.as_of)) == (
        "route:渝穗班列:2026", ("区交通运输委", "区商务委"), "7月15日前报送追赶计划", TODAY + timedelta(days=10), "张三", 1,
        "2026-10")
    assert escape_md(f"已交办督办事项 1：渝穗班列（2026年），办理单位 区交通运输委、区商务委，截止 "
                     f"{item.due:%Y-%m-%d}。") in [s.value for s in at.success]


def test_in_meeting_mode_an_item_is_raised_without_leaving_it(app, store):
    at = app("pages/overview.py")
    at.toggle(key=ui_meeting.ON_KEY).set_value(True).run()
    at = unlock(at, "overview_raise")
    at.selectbox(key="overview_raise_about").set_value("indicator:5:2026").run()
    at.text_area(key="overview_raise_text").input("说明指标5的追赶措施")
    at.text_input(key="overview_raise_by").input("主持人")
    at.button(key="overview_raise_submit").click().run()
    assert at.session_state[ui_meeting.ON_KEY] and at.title[0].value == "总览"
    [item] = service.items(store)
    assert (item.subject, item.units, item.due) == ("指标5 西部陆海新通道运量增速（2026年）", ("区商务委",),
                                                     TODAY + timedelta(days=14))


def test_the_page_filters_by_unit_and_light_and_the_address_carries_the_filter(app, store):
    overdue, soon, done = items(store)
    at = app("pages/followups.py")
    assert [m.value for m in at.metric] == ["1", "1", "0", "1"]
    assert [m.label for m in at.metric] == ["■ 逾期", "▲ 临期", "● 办理中", "✓ 已办结"]
    assert list(frame_with(at, "编号", "督办要求")["编号"]) == [overdue.id, soon.id, done.id]  # overdue first
    at.selectbox(key="light").set_value("red").run()
    assert at.query_params["light"] in ("red", ["red"])
    assert list(frame_with(at, "编号", "督办要求")["编号"]) == [overdue.id]
    linked = app("pages/followups.py", query={"unit": "商务委"})  # an alias in a link
    assert linked.selectbox(key="unit").value == "区商务委"
    assert list(frame_with(linked, "编号", "督办要求")["编号"]) == [soon.id]
    assert [m.value for m in linked.metric] == ["0", "1", "0", "0"]


def test_an_item_is_answered_closed_reopened_and_re_dated_on_its_page(app, store):
    overdue, _soon, _done = items(store)
    at = app("pages/followups.py")
    at.selectbox(key="fu_pick").set_value(overdue.id).run()
    key = f"fu_item_{overdue.id}"
    at = unlock(at, key)
    at.text_area(key=f"{key}_answer").input("已报送追赶计划")
    at.checkbox(key=f"{key}_request").check()
    at.text_input(key=f"{key}_answer_by").input("交通委 王五")
    at.button(key=f"{key}_answer_submit").click().run()
    assert escape_md(f"已记录督办事项 {overdue.id} 的反馈，并申请办结（待专班办公室销号）。") in [s.value for s in at.success]
    item = service.item(store, overdue.id)
    assert (item.last_answer.text, item.last_answer.by, item.last_answer.unit, item.close_requested) == (
        "已报送追赶计划", "交通委 王五", "区交通运输委", True)
    at.text_input(key=f"{key}_due_by").input("张三")
    at.date_input(key=f"{key}_new_due").set_value(TODAY + timedelta(days=5))
    at.button(key=f"{key}_due_submit").click().run()
    assert service.item(store, overdue.id).due == TODAY + timedelta(days=5)
    at.text_input(key=f"{key}_close_by").input("张三")
    at.button(key=f"{key}_close").click().run()
    assert service.item(store, overdue.id).is_closed
    # Closing it again is refused in Chinese; reopening is offered instead.
    at.text_input(key=f"{key}_by").input("张三")
    at.button(key=f"{key}_reopen").click().run()
    assert not service.item(store, overdue.id).is_closed
    kinds = [e.kind for e in service.item(store, overdue.id).events]
    assert kinds == ["raised", "answered", "due_changed", "closed", "reopened"]


def test_a_department_sees_its_items_first_and_takes_its_notice(app, store):
    overdue, _soon, _done = items(store)
    at = app("pages/department.py", query={"dept": "区交通运输委"})
    assert [h.value for h in at.subheader][0] == "督办事项"
    assert list(frame_with(at, "编号", "督办要求")["编号"]) == [overdue.id]
    assert "未办结 1 项，已办结 1 项（全部事项见“督办事项”页）。" in [c.value for c in at.caption]
    assert download(at, "下载督办通知单（PDF）").proto.deferred_file_id
    assert download(at, "下载督办通知单（Excel）").proto.deferred_file_id
    quiet = app("pages/department.py", query={"dept": "区司法局"})
    assert "区司法局没有督办事项。" in [c.value for c in quiet.caption]
