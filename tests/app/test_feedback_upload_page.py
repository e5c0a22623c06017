"""Issue 15, point 4, on the 数据管理 page (AppTest, a real store): a return carrying 督办反馈 is checked
against the follow-up items before the commit, the change digest says what its answers will do, the
commit records them; an item closed while the review is on screen is checked again."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from builders import write_xlsx
from page_helpers import frame_with
from ui.render import escape_md
from upload_cases import june, may
from yzlogi.access import hash_passcode
from yzlogi.followups import service as followups
from yzlogi.followups import storage
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.store import Store
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
PASSCODE = "渝中物流-2026"
HASH = hash_passcode(PASSCODE, n=2**10, r=8, p=1)
HEADER = ["事项编号", "办理情况", "申请办结", "填报单位"]


@pytest.fixture
def store(app, tmp_path):
    """The sample (v1), May as v2; item 1 (task 8, 区交通运输委) open, item 2 closed by 王五 on 16 July."""
    store = Store(tmp_path / "var", plan=PLAN)
    store.ensure_ready()
    path = write_xlsx(tmp_path / "5月.xlsx", may())
    store.commit(read_workbook([InputFile(path.name, path.read_bytes())], PLAN), by="张三")
    followups.raise_item(store, "task:8", "报送渝穗班列追赶计划", date(2026, 7, 15), "张三", ["交通委"],
                         at=datetime(2026, 7, 1, 9))
    followups.raise_item(store, "route:渝穗班列:2026", "加密班次", date(2026, 7, 20), "张三", at=datetime(2026, 7, 1, 10))
    followups.close(store, 2, "王五", at=datetime(2026, 7, 16, 9))
    return store


@pytest.fixture
def unlocked(app, store, monkeypatch, fake_time):
    monkeypatch.setenv("YZLOGI_PASSCODE_HASH", HASH)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    fake_time()
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    at.text_input(key="data_passcode").input(PASSCODE)
    at.button(key="data_unlock").click()
    at.run()
    assert not at.exception
    return at


def upload(at: AppTest, tmp_path: Path, rows: list[list]) -> AppTest:
    sheets = june()
    sheets["督办反馈"] = (HEADER, rows)
    data = write_xlsx(tmp_path / "6月进度.xlsx", sheets).read_bytes()
    at.file_uploader[0].set_value([("6月进度.xlsx", data, "application/octet-stream")])
    at.run()
    assert not at.exception
    return at


def buttons(at: AppTest) -> list[str]:
    return [b.key for b in at.button]


def answers(store: Store) -> list[tuple]:
    with store.reading() as con:
        return [(e.item_id, e.text, e.request_close, e.version_id, e.by) for i in storage.read_items(con)
                for e in i.answers]


def test_an_answer_to_a_closed_item_is_an_error_in_the_report(unlocked, store, tmp_path):
    at = upload(unlocked, tmp_path, [[1, "已起草", "", ""], [2, "已加密", "", ""]])
    assert [(m.label, m.value) for m in at.metric] == [("错误", "1"), ("提醒", "0")]
    assert "工作簿有 1 处错误，未导入，当前数据未改变。 请按校验报告修改后重新上传。" in [e.value for e in at.error]
    assert list(frame_with(at, "级别", "说明")["说明"]) == [
        "督办反馈 第3行「事项编号」：督办事项 2（渝穗班列（2026年））已于 2026-07-16 由王五销号（已办结），不能再反馈；"
        "如需继续办理，请督办协调人先重新打开该事项"]
    assert "data_commit" not in buttons(at)


def test_the_digest_says_what_the_answers_do_and_the_commit_records_them(unlocked, store, tmp_path):
    at = upload(unlocked, tmp_path, [[1, "追赶计划已报专班", "是", "区交通运输委"]])
    merged = next(m.value for m in at.markdown if m.value.startswith("- 指标进展"))
    assert merged.split("\n")[-1] == "- " + escape_md(
        "督办反馈：1 条（督办事项 1；其中 1 条申请办结，由督办协调人审核销号），记入各事项的办理记录")
    at.text_input(key="data_by").input("刘七")
    at.button(key="data_commit").click()
    at.run()
    assert not at.exception
    assert ("已合并到已有数据，导入为版本 3，并已设为当前版本。各页面均显示新数据。督办反馈已记入相应督办事项的办理记录。"
            in [s.value for s in at.success])
    assert answers(store) == [(1, "追赶计划已报专班", True, 3, "刘七")]


def test_an_item_closed_while_the_review_is_on_screen_is_checked_again(unlocked, store, tmp_path):
    at = upload(unlocked, tmp_path, [[1, "追赶计划已报专班", "是", ""]])
    assert "data_commit" in buttons(at)
    followups.close(store, 1, "王五", at=datetime(2026, 7, 20, 9))  # the coordinator, meanwhile
    at.run()
    assert [(m.label, m.value) for m in at.metric] == [("错误", "1"), ("提醒", "0")]
    assert "data_commit" not in buttons(at)
    assert ([v.id for v in store.versions()], answers(store)) == ([1, 2], [])
