"""Issue 15, point 4: a unit answers its follow-up items (督办事项) in its monthly return, sheet 督办反馈.

In a real data folder (version 1 a real import; items raised, one closed) with real workbooks:
the sheet read like every other (aliases, title rows, CSV, row-level Chinese messages; an
unknown or closed item, an answer from a unit that is not the item's, are errors at their row);
the answers recorded as the items' events by the commit of the version that carried them and
in its transaction (a failure later in the commit leaves none); an upload of answers only; an
answer sent again not recorded twice; the review's and the command line's lines; and the unit's
return form, pre-filled with its open items, filled in LibreOffice Calc and uploaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from builders import good_sheets, write_csv, write_xlsx
from libreoffice import fill_xlsx
from openpyxl import load_workbook

from yzlogi import forms
from yzlogi.followups import service as followups
from yzlogi.followups import storage
from yzlogi.model import InputFile
from yzlogi.months import Month
from yzlogi.plan import load_plan
from yzlogi.review import review
from yzlogi.schema import WORKBOOK
from yzlogi.store import AnswersRefused, CommitFailed, DuplicateUpload, Store, core
from yzlogi.template import FIRST_DATA_ROW, HEADER_ROW
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
TRANSPORT, COMMERCE = "区交通运输委", "区商务委"
SUBJECT_1 = "督办事项 1（任务8 提升通道运力投入强度）"
CLOSED_3 = ("督办事项 3（任务8 提升通道运力投入强度（区商务委））已于 2026-07-16 由王五销号（已办结），不能再反馈；"
            "如需继续办理，请督办协调人先重新打开该事项")


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 7, day, hour)


@pytest.fixture
def store(tmp_path) -> Store:
    """Version 1 (a real import of June), and four items: 1 (task 8, 区交通运输委), 2 (渝穗班列, its lead
    区交通运输委), 3 (task 8 × 区商务委, closed by 王五 on 16 July), 4 (indicator 5, its lead 区商务委)."""
    store = Store(tmp_path / "data", plan=PLAN, sample=None)
    path = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets())
    assert store.import_files([InputFile(path.name, path.read_bytes())], by="张三").version.id == 1
    followups.raise_item(store, "task:8", "报送渝穗班列追赶计划", date(2026, 7, 15), "张三", ["交通委"], at=at(1))
    followups.raise_item(store, "route:渝穗班列:2026", "加密班次", date(2026, 7, 20), "张三", at=at(1, 10))
    followups.raise_item(store, "task:8:商务委", "报送货源方案", date(2026, 7, 31), "张三", at=at(2))
    followups.raise_item(store, "indicator:5:2026", "分析增速回落原因", date(2026, 7, 31), "张三", at=at(2, 10))
    followups.close(store, 3, "王五", "已报送", at=at(16))
    return store


def answers(store: Store) -> list[tuple]:
    """Every answer recorded: (item, text, 申请办结, unit, via, version, by)."""
    with Store(store.folder, plan=PLAN, sample=None).reading() as con:
        return [(e.item_id, e.text, e.request_close, e.unit, e.via, e.version_id, e.by)
                for item in storage.read_items(con) for e in item.answers]


def feedback_file(path: Path, rows: list[list], header=("事项编号", "办理情况", "申请办结", "填报单位"),
                  with_progress: bool = False, title: str | None = None) -> InputFile:
    sheets = good_sheets() if with_progress else {}
    sheets["督办反馈"] = (list(header), rows)
    write_xlsx(path, sheets, title=title)
    return InputFile(path.name, path.read_bytes())


def read(store: Store, file: InputFile, with_items: bool = True):
    return read_workbook([file], PLAN, followups=followups.item_index(store) if with_items else None)


# --- reading -------------------------------------------------------------------------------------------------------


def test_a_good_sheet_with_a_title_and_other_spellings_is_read_into_answers(store, tmp_path):
    file = feedback_file(tmp_path / "反馈.xlsx", [
        [1, "任务8 提升通道运力投入强度", "已起草追赶计划", "是", "交通委"],
        [4, "", "已对接重点企业", "N", ""],
        [2, "", "7月起每周加开1班", "√", "区交通运输委"],
    ], header=("督办事项编号", "事项", "反馈情况", "是否申请办结", "反馈单位"), title="区交通运输委督办反馈")
    parsed = read(store, file)
    assert (parsed.error_count, parsed.warning_count) == (0, 0), [i.message for i in parsed.issues]
    assert parsed.tables["feedback"].to_pydict() == {
        "item_no": [1, 4, 2], "answer": ["已起草追赶计划", "已对接重点企业", "7月起每周加开1班"],
        "request_close": [True, False, True], "department": [TRANSPORT, None, TRANSPORT], "row": [4, 5, 6],
        "withdraw": [False, False, False]}
    assert parsed.sources["feedback"].header_row == 3


def test_each_answer_that_cannot_be_recorded_is_an_error_at_its_row(store, tmp_path):
    file = feedback_file(tmp_path / "反馈.xlsx", [
        [99, "无此事项", "", ""],
        [3, "货源方案已报送", "是", ""],
        [1, "已起草", "也许", ""],
        [2, "", "否", ""],
        [4, "已对接", "", TRANSPORT],
        [4, "已对接企业", "", ""],
        ["第三项", "已办", "", ""],
    ], with_progress=True)
    parsed = read(store, file)
    assert [(i.code, i.row, i.column, i.message) for i in parsed.issues] == [
        ("unknown_item", 2, "事项编号", "督办反馈 第2行「事项编号」：没有编号为 99 的督办事项（现有督办事项编号为 1—4）"),
        ("item_closed", 3, "事项编号", f"督办反馈 第3行「事项编号」：{CLOSED_3}"),
        ("bad_yesno", 4, "申请办结", "督办反馈 第4行「申请办结」：无法识别“也许”，应为 是/否"),
        ("missing_value", 5, "办理情况", "督办反馈 第5行「办理情况」：必填，不能为空"),
        ("not_item_unit", 6, "填报单位", "督办反馈 第6行「填报单位」：“区交通运输委”不是督办事项 4（指标5 西部陆海新通道运量增速（2026年））"
         "的办理单位（办理单位：区商务委）；请改为办理单位，或不填"),
        ("duplicate_row", 7, "事项编号", "督办反馈 第7行「事项编号」：与第6行重复：事项编号 4 只能填一行"),
        ("bad_item_no", 8, "事项编号", "督办反馈 第8行「事项编号」：无法识别“第三项”，应为督办事项的编号（正整数，如 3）"),
    ]
    before = answers(store)
    outcome = store.import_files([file], by="李四")
    assert (outcome.stored, outcome.parsed.error_count) == (False, 7)  # the whole upload, progress rows too
    assert [v.id for v in store.versions()] == [1] and answers(store) == before


def test_one_csv_per_sheet_finds_the_answers_by_their_header(store, tmp_path):
    path = write_csv(tmp_path / "反馈.csv", ["编号", "办理进展", "申请销号"], [[2, "已加密至每周2班", "是"]], encoding="gb18030")
    parsed = read(store, InputFile(path.name, path.read_bytes()))
    assert parsed.ok, [i.message for i in parsed.issues]
    assert (parsed.sources["feedback"].file, parsed.tables["feedback"].to_pylist()) == ("反馈.csv", [
        {"item_no": 2, "answer": "已加密至每周2班", "request_close": True, "department": None, "row": 2,
         "withdraw": False}])


def test_without_the_items_the_reader_cannot_tell_but_the_commit_refuses_and_stores_nothing(store, tmp_path):
    file = feedback_file(tmp_path / "反馈.xlsx", [[99, "无此事项", "", ""], [3, "货源方案已报送", "是", ""]],
                         with_progress=True)
    parsed = read(store, file, with_items=False)
    assert (parsed.error_count, parsed.warning_count) == (0, 0)
    versions, token, before = store.versions(), store.state_token(), answers(store)
    with pytest.raises(AnswersRefused) as refused:
        store.commit(parsed, by="李四")
    assert str(refused.value) == (
        "督办反馈有误，未导入，当前数据未改变：督办反馈 第2行「事项编号」：没有编号为 99 的督办事项（现有督办事项编号为 1—4）；"
        f"督办反馈 第3行「事项编号」：{CLOSED_3}。")
    assert (store.versions(), store.state_token(), answers(store)) == (versions, token, before)


# --- committing ----------------------------------------------------------------------------------------------------


def test_the_answers_are_recorded_as_events_of_the_version_that_carried_them(store, tmp_path):
    good = good_sheets()
    good["通道班次"][1][0][2] = 255  # one figure changed as well
    write_xlsx(tmp_path / "7月进度.xlsx", {**good, "督办反馈": (["事项编号", "办理情况", "申请办结", "填报单位"],
                                                           [[1, "已起草追赶计划", "是", "交通委"], [4, "已对接重点企业", "", ""]])})
    file = InputFile("7月进度.xlsx", (tmp_path / "7月进度.xlsx").read_bytes())
    outcome = store.import_files([file], by="李四")
    assert outcome.stored and outcome.version.id == 2
    assert answers(store) == [(1, "已起草追赶计划", True, TRANSPORT, "workbook", 2, "李四"),
                              (4, "已对接重点企业", False, None, "workbook", 2, "李四")]
    assert outcome.answer_lines() == [
        "督办反馈：2 条（督办事项 1、4；其中 1 条申请办结，由督办协调人审核销号），记入各事项的办理记录"]
    item = followups.item(store, 1)
    assert (item.is_closed, item.close_requested) == (False, True)  # asking for 办结 does not close it
    assert item.last_answer.at == outcome.version.committed_at.replace(microsecond=0)  # the commit's moment
    assert outcome.merge.sheet("routes").line("merge") == "通道班次：新增 0 行，修改 1 行，重复报送未变 3 行，保留 0 行"
    # Sent again with a correction elsewhere: the same answers are not recorded twice.
    good["通道班次"][1][0][2] = 256
    write_xlsx(tmp_path / "7月进度（更正）.xlsx", {**good, "督办反馈": (
        ["事项编号", "办理情况", "申请办结", "填报单位"], [[1, "已起草追赶计划", "是", "交通委"], [4, "已对接重点企业，下周报送", "", ""]])})
    again = store.import_files([InputFile("7月进度（更正）.xlsx", (tmp_path / "7月进度（更正）.xlsx").read_bytes())], by="李四")
    assert again.version.id == 3
    assert answers(store)[2:] == [(4, "已对接重点企业，下周报送", False, None, "workbook", 3, "李四")]
    assert again.answer_lines() == [
        "督办反馈：2 条（督办事项 1、4；其中 1 条申请办结，由督办协调人审核销号），记入各事项的办理记录",
        "  督办事项 1 的反馈与该事项最近一次反馈相同，不再重复记录"]


def test_a_failure_later_in_the_commit_takes_the_answers_with_it(store, tmp_path, monkeypatch):
    file = feedback_file(tmp_path / "7月进度.xlsx", [[1, "已起草追赶计划", "是", ""]], with_progress=True)
    calls = []

    def failing_activation(con, *args):  # a real statement DuckDB refuses, after the answers were written
        calls.append(len(answers_in(con)))
        con.execute("INSERT INTO activations (seq) VALUES (NULL)")

    def answers_in(con):
        return [e for item in storage.read_items(con) for e in item.answers]

    monkeypatch.setattr(core, "_activate", failing_activation)
    with pytest.raises(CommitFailed) as failed:
        store.import_files([file], by="李四")
    assert str(failed.value) == "保存新版本时出错（ConstraintException），已全部撤销，当前数据未改变。"
    assert calls == [1]  # the answer was in the transaction when it failed …
    assert ([v.id for v in store.versions()], answers(store)) == ([1], [])  # … and went with it


def test_an_upload_of_answers_only_is_a_version_with_the_same_record(store, tmp_path):
    file = feedback_file(tmp_path / "督办反馈.xlsx", [[2, "7月起每周加开1班", "否", "区交通运输委"]])
    outcome = store.import_files([file], by="王五", note="督办反馈")
    assert outcome.stored and outcome.version.id == 2 and outcome.version.files == ("督办反馈.xlsx",)
    before, after = store.load(1), store.load(2)
    for sheet in WORKBOOK:  # the same rows, the same provenance
        assert after.table(sheet.key).equals(before.table(sheet.key)), sheet.key
    assert answers(store) == [(2, "7月起每周加开1班", False, TRANSPORT, "workbook", 2, "王五")]
    assert outcome.merge.lines() + outcome.answer_lines() == [
        "指标进展：新增 0 行，修改 0 行，保留 5 行",
        "通道班次：新增 0 行，修改 0 行，保留 4 行",
        "船舶更新：新增 0 行，修改 0 行，保留 2 行",
        "任务进展：新增 0 行，修改 0 行，保留 3 行",
        "督办反馈：1 条（督办事项 2），记入各事项的办理记录",
        "本次上传只有督办反馈：进度数据不变（仍生成新版本，保存上传的文件）",
    ]
    assert store.files_of(2) == [file]  # the unit's file is kept, as every upload
    with pytest.raises(DuplicateUpload):
        store.commit(read(store, file), by="王五")
    assert len(answers(store)) == 1


def test_answers_only_on_the_sample_keep_the_sample(tmp_path):
    store = Store(tmp_path / "data", plan=PLAN)
    store.ensure_ready()
    followups.raise_item(store, "task:8", "报送渝穗班列追赶计划", date(2026, 7, 15), "张三", at=at(1))
    outcome = store.import_files([feedback_file(tmp_path / "反馈.xlsx", [[1, "已起草", "", ""]])], by="王五")
    assert (outcome.version.id, outcome.version.sample, outcome.merge.kept_sample) == (2, True, True)
    assert outcome.merge.lines()[0] == "当前为示例数据：本次上传没有进度数据，导入后的版本仍为示例数据"
    assert {s.key: len(store.load(2).table(s.key)) for s in WORKBOOK} == {
        s.key: len(store.load(1).table(s.key)) for s in WORKBOOK}
    # The first real progress data still replaces the sample, and is not a sample.
    path = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets())
    real = store.import_files([InputFile(path.name, path.read_bytes())], by="张三")
    assert (real.version.sample, real.merge.replaced_sample, len(store.load(3).tasks)) == (False, True, 3)


def test_an_item_closed_between_review_and_commit_refuses_the_commit(store, tmp_path):
    parsed = read(store, feedback_file(tmp_path / "反馈.xlsx", [[1, "已起草", "是", ""]], with_progress=True))
    assert parsed.ok
    followups.close(store, 1, "王五", at=at(20))
    with pytest.raises(AnswersRefused) as refused:
        store.commit(parsed, by="李四", expected_token=store.state_token())
    assert str(refused.value) == (
        f"督办反馈有误，未导入，当前数据未改变：督办反馈 第2行「事项编号」：{SUBJECT_1}已于 2026-07-20 由王五销号（已办结），"
        "不能再反馈；如需继续办理，请督办协调人先重新打开该事项。")
    assert ([v.id for v in store.versions()], answers(store)) == ([1], [])


# --- the review and the command line ---------------------------------------------------------------------------------


def test_the_review_says_what_the_answers_will_do(store, tmp_path):
    followups.answer(store, 2, "已加密至每周2班", "李四", unit=TRANSPORT, at=at(17))
    file = feedback_file(tmp_path / "反馈.xlsx", [[1, "已起草", "是", ""], [2, "已加密至每周2班", "", "区交通运输委"],
                                                  [4, "已对接", "", ""]])
    items = followups.item_index(store)
    parsed = read_workbook([file], PLAN, followups=items)
    active = store.load(1)
    reviewed = review(PLAN, parsed, store.versions(), active, followups=items)
    assert reviewed.committable
    assert reviewed.answers == (
        "督办反馈：3 条（督办事项 1、2、4；其中 1 条申请办结，由督办协调人审核销号），记入各事项的办理记录",
        "  督办事项 2 的反馈与该事项最近一次反馈相同，不再重复记录",
        "本次上传只有督办反馈：进度数据不变（仍生成新版本，保存上传的文件）",
    )
    assert reviewed.lines()[-3:] == list(reviewed.answers)
    assert reviewed.digest.lines()[0] == "与版本1相比，数据没有变化"
    # Without the items the review still says what the sheet holds (repeats cannot be told).
    assert review(PLAN, parsed, store.versions(), active).answers[0] == reviewed.answers[0]


def cli(store: Store, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yzlogi", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=300, env={**os.environ, "YZLOGI_DATA_DIR": str(store.folder)})


def test_the_command_line_import_prints_what_the_answers_did_and_refuses_an_unknown_item(store, tmp_path):
    good = good_sheets()
    good["督办反馈"] = (["事项编号", "办理情况", "申请办结"], [[1, "已起草追赶计划", "是"], [2, "已加密", ""]])
    path = write_xlsx(tmp_path / "7月进度.xlsx", good)
    result = cli(store, "import", path, "--by", "李四")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-3:] == [
        "  本次上传涉及月份：2026-05、2026-06",
        "  督办反馈：2 条（督办事项 1、2；其中 1 条申请办结，由督办协调人审核销号），记入各事项的办理记录",
        "已合并到已有数据，导入为版本 2，并已设为当前版本。",
    ]
    assert answers(store) == [(1, "已起草追赶计划", True, None, "workbook", 2, "李四"),
                              (2, "已加密", False, None, "workbook", 2, "李四")]
    good["督办反馈"] = (["事项编号", "办理情况"], [[7, "已办"]])
    refused = cli(store, "import", write_xlsx(tmp_path / "7月进度（二）.xlsx", good), "--by", "李四")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.splitlines() == [
        "工作簿有 1 处错误，未导入，当前数据未改变。",
        "  [错误] 督办反馈 第2行「事项编号」：没有编号为 7 的督办事项（现有督办事项编号为 1—4）",
    ]
    assert [v.id for v in store.versions()] == [1, 2] and len(answers(store)) == 2


# --- the unit's return form ------------------------------------------------------------------------------------------


def feedback_rows(path: Path) -> list[list]:
    sheet = load_workbook(path)["督办反馈"]
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=FIRST_DATA_ROW)]


def test_template_dept_lists_the_units_open_items_for_its_answers(store, tmp_path):
    result = cli(store, "template", tmp_path / "商务委.xlsx", "--dept", "商务委", "--month", "2026-06")
    assert result.returncode == 0, result.stderr
    header = [c.value for c in load_workbook(tmp_path / "商务委.xlsx")["督办反馈"][HEADER_ROW]]
    assert header == ["事项编号", "督办事项", "督办要求", "截止日期", "办理情况", "申请办结", "填报单位"]
    # Item 3 is closed, 1 and 2 are 区交通运输委's: only item 4 is asked.
    assert feedback_rows(tmp_path / "商务委.xlsx") == [
        [4, "指标5 西部陆海新通道运量增速（2026年）", "分析增速回落原因", "2026-07-31", None, None, COMMERCE]]
    assert (tmp_path / "商务委.xlsx").read_bytes() == forms.unit_form(
        PLAN, store.load(1), COMMERCE, Month(2026, 6), followups.items(store, COMMERCE))
    guide = [c.value for c in load_workbook(tmp_path / "商务委.xlsx")["填报说明"]["A"][:5]]
    assert guide[3] == ("「督办反馈」已列出本单位尚未办结的 1 项督办事项：请在“办理情况”填写办理进展或结果，"
                        "已办完的在“申请办结”填“是”（由区交通运输委审核后销号）。没有填写办理情况的事项不导入。")



def test_the_units_form_answered_in_libreoffice_records_exactly_those_answers(store, tmp_path):
    form = tmp_path / forms.unit_file_name(TRANSPORT, Month(2026, 7))
    form.write_bytes(forms.unit_form(PLAN, store.load(1), TRANSPORT, Month(2026, 7), followups.items(store)))
    assert [row[0] for row in feedback_rows(form)] == [1, 2]  # its open items, the earliest due first
    first = FIRST_DATA_ROW
    typed = [["督办反馈", f"E{first}", "追赶计划已报专班审定"], ["督办反馈", f"F{first}", "是"]]  # item 1; item 2 left
    filled = fill_xlsx(form, typed, tmp_path / "区交通运输委7月报送表（已填）.xlsx")
    outcome = store.import_files([InputFile(filled.name, filled.read_bytes())], by="区交通运输委 刘七")
    assert outcome.stored, [i.message for i in outcome.parsed.errors]
    assert answers(store) == [(1, "追赶计划已报专班审定", True, TRANSPORT, "workbook", 2, "区交通运输委 刘七")]
    skipped = [i.message for i in outcome.parsed.warnings if i.sheet == "督办反馈"]
    assert skipped == [f"督办反馈：第{first + 1}行共1行只有模板预填的「事项编号」、「督办事项」、「督办要求」、「截止日期」、「填报单位」，"
                       "视为未填报，已跳过"]
    assert outcome.answer_lines() == [
        "督办反馈：1 条（督办事项 1；其中 1 条申请办结，由督办协调人审核销号），记入各事项的办理记录"]
    item = followups.item(store, 1)
    assert (item.is_closed, item.close_requested) == (False, True)  # 申请办结 does not close it
