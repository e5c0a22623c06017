"""The versioned store on a real DuckDB file in a temporary data folder.

Parsed workbooks are built directly (store_helpers), so these tests need no reader;
tests/integration/test_store_workbook.py runs the store with the real one.
"""

import dataclasses
import os
from datetime import datetime

import pandas as pd
import pyarrow as pa
import pytest

from store_helpers import parsed_workbook, rows, typed_table, workbook
from yzlogi.model import ERROR, WARNING, InputFile, Issue
from yzlogi.schema import WORKBOOK
from yzlogi.frames import frame_from_arrow
from yzlogi.store import core as store_core
from yzlogi.store import (
    AlreadyActive,
    CommitFailed,
    DuplicateUpload,
    RawFileMissing,
    Store,
    UnknownVersion,
    WorkbookHasErrors,
)


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data", sample=None)


def summary(version):
    return (version.id, version.by, version.note, version.sample, version.active)


def test_a_fresh_folder_without_a_sample_is_an_empty_store(store):
    store.ensure_ready()
    assert store.versions() == []
    assert store.active_version() is None
    assert store.history() == []
    assert store.state_token() == "0:0"
    assert sorted(p.name for p in store.folder.iterdir()) == [
        "yzlogi.duckdb", "yzlogi.lock", "yzlogi.state", "yzlogi.turnstile"]


def test_a_commit_becomes_version_1_and_active(store):
    parsed = workbook(1)
    before = datetime.now()
    version = store.commit(parsed, by="张三", note="6月数据")
    assert summary(version) == (1, "张三", "6月数据", False, True)
    assert version.sha256 == parsed.files[0].sha256
    assert version.files == ("进度1.xlsx",)
    assert version.rows == {"indicators": 2, "routes": 3, "ships": 2, "tasks": 2}
    assert before <= version.committed_at <= datetime.now()
    assert store.active_version() == version
    assert store.version(1) == version
    assert store.state_token() == "1:1"


def test_every_commit_is_kept_and_the_latest_is_active(store):
    for tag in (1, 2, 3):
        store.commit(workbook(tag), by="张三")
    assert [summary(v) for v in store.versions()] == [
        (1, "张三", "", False, False),
        (2, "张三", "", False, False),
        (3, "张三", "", False, True),
    ]
    assert [a.action for a in store.history()] == ["commit", "commit", "commit"]
    assert store.load(1).routes["runs"].tolist() == [251, 260, 3]
    assert store.load(3).routes["runs"].tolist() == [253, 260, 3]


def test_rollback_makes_an_earlier_version_active_and_is_recorded(store):
    store.commit(workbook(1), by="张三", note="初次")
    store.commit(workbook(2), by="李四", note="有误")
    version = store.rollback(1, by="王五", note="第2版数据有误")
    assert summary(version) == (1, "张三", "初次", False, True)
    assert store.active_version().id == 1
    assert [v.active for v in store.versions()] == [True, False]
    assert [(a.seq, a.version_id, a.by, a.action, a.note) for a in store.history()] == [
        (1, 1, "张三", "commit", "初次"),
        (2, 2, "李四", "commit", "有误"),
        (3, 1, "王五", "rollback", "第2版数据有误"),
    ]
    assert store.state_token() == "3:1"
    # Rolling forward again is one more recorded switch.
    store.rollback(2, by="王五")
    assert [(a.seq, a.version_id, a.action) for a in store.history()][-1] == (4, 2, "rollback")
    assert store.active_version().id == 2


def test_rollback_to_the_active_version_is_refused_and_logs_nothing(store):
    store.commit(workbook(1), by="张三")
    with pytest.raises(AlreadyActive) as caught:
        store.rollback(1, by="王五")
    assert str(caught.value) == "版本 1 已是当前版本，无需切换。"
    assert len(store.history()) == 1


@pytest.mark.parametrize("bad_id", [7, 0, -1, "1", 1.0, None])
def test_an_unknown_version_is_a_chinese_error(store, bad_id):
    store.commit(workbook(1), by="张三")
    for call in (store.version, store.load, store.files_of, store.issues):
        with pytest.raises(UnknownVersion) as caught:
            call(bad_id)
        assert str(caught.value) == f"版本 {bad_id} 不存在。可用 python -m yzlogi versions 查看已有版本。"
    with pytest.raises(UnknownVersion):
        store.rollback(bad_id, by="王五")
    assert len(store.history()) == 1


def test_the_same_bytes_are_recognised_and_not_committed_twice(store):
    first = store.commit(workbook(1), by="张三")
    store.commit(workbook(2), by="张三")
    again = workbook(1, name="改了名字.xlsx")  # same bytes under another name
    with pytest.raises(DuplicateUpload) as caught:
        store.commit(again, by="李四")
    assert caught.value.version == dataclasses.replace(first, active=False)
    assert str(caught.value) == (
        f"这些文件与已导入的版本 1（{first.committed_at:%Y-%m-%d %H:%M}，张三）内容完全相同，未重复导入。"
        "版本 1 当前未生效；如需恢复它，请回滚到版本 1。"
    )
    assert [v.id for v in store.versions()] == [1, 2]
    assert store.active_version().id == 2
    assert len(store.history()) == 2


def test_the_same_csv_files_in_another_order_are_the_same_upload(store):
    a, b = InputFile("指标进展.csv", b"a,b\n1,2\n"), InputFile("通道班次.csv", b"c,d\n3,4\n")
    store.commit(parsed_workbook(rows(1), files=(a, b)), by="张三")
    with pytest.raises(DuplicateUpload) as caught:
        store.commit(parsed_workbook(rows(1), files=(b, a)), by="张三")
    assert caught.value.version.id == 1
    assert caught.value.version.files == ("指标进展.csv", "通道班次.csv")


def test_load_returns_exactly_what_was_committed(store):
    parsed = workbook(1)
    parsed.tables["forwarders"] = typed_table("forwarders", [
        {"name": "重庆某国际货运代理有限公司", "registered": "2025-08", "global_famous": True},
        {"name": "重庆另一货代有限公司", "registered": "2026-01", "global_famous": None},
    ])
    version = store.commit(parsed, by="张三")
    data = store.load(version.id)
    assert data.version == version
    for sheet in WORKBOOK:
        frame = data.table(sheet.key)
        assert list(frame.columns) == [name for name, _ in sheet.stored_columns()]
        if sheet.key in parsed.tables:
            # The upload's rows, less the 删除 mark, with their provenance: first sent and supplied by this version.
            sent = parsed.tables[sheet.key].drop_columns(["withdraw"])
            for name in ("first_version", "from_version"):
                sent = sent.append_column(name, pa.array([version.id] * sent.num_rows, pa.int32()))
            sent = sent.select([name for name, _ in sheet.stored_columns()])
            pd.testing.assert_frame_equal(frame, frame_from_arrow(sent))
        else:
            assert frame.empty
    assert data.indicators.to_dict("records")[1] == {
        "indicator_no": 7, "indicator_name": pytest.approx(float("nan"), nan_ok=True), "month": "2026-06",
        "value": 28.0, "department": pytest.approx(float("nan"), nan_ok=True), "note": "含新启用1个",
        "first_version": 1, "from_version": 1, "row": 3}
    assert data.routes["is_new"].tolist() == [False, False, True]
    assert data.forwarders["global_famous"].tolist() == [True, pd.NA]
    assert data.tasks["progress"].isna().tolist() == [False, True]


def test_loaded_frames_have_the_same_dtypes_with_or_without_blanks(store):
    store.commit(workbook(1), by="张三")
    data = store.load(1)
    assert {name: str(dtype) for name, dtype in data.routes.dtypes.items()} == {
        "route": "str", "month": "str", "runs": "Int64", "note": "str", "is_new": "boolean",
        "first_version": "Int64", "from_version": "Int64", "row": "Int64"}
    assert {name: str(dtype) for name, dtype in data.warehouses.dtypes.items()} == {
        "name": "str", "country": "str", "city": "str", "operator": "str", "opened": "str",
        "first_version": "Int64", "from_version": "Int64", "row": "Int64"}
    assert {name: str(dtype) for name, dtype in data.forwarders.dtypes.items()} == {
        "name": "str", "registered": "str", "global_famous": "boolean",
        "first_version": "Int64", "from_version": "Int64", "row": "Int64"}


def test_files_of_returns_the_bytes_exactly_as_uploaded(store):
    files = (InputFile("指标进展.csv", "指标编号,统计期\r\n1,2026年6月\r\n".encode("gb18030")),
             InputFile("通道班次.CSV", b"\xef\xbb\xbf\xe7\xba\xbf\xe8\xb7\xaf\r\n"))
    version = store.commit(parsed_workbook(rows(1), files=files), by="张三")
    assert store.files_of(version.id) == list(files)
    kept = sorted(p.name for p in (store.folder / "uploads").iterdir())
    assert kept == sorted([files[0].sha256 + ".csv", files[1].sha256 + ".csv"])


def test_a_kept_file_that_was_damaged_is_reported_not_returned(store):
    file = InputFile("进度.xlsx", b"original bytes")
    store.commit(parsed_workbook(rows(1), files=(file,)), by="张三")
    (store.folder / "uploads" / f"{file.sha256}.xlsx").write_bytes(b"tampered")
    with pytest.raises(RawFileMissing) as caught:
        store.files_of(1)
    assert str(caught.value) == (
        f"版本 1 的原始文件“进度.xlsx”（uploads/{file.sha256}.xlsx）缺失或已损坏，请从数据文件夹的备份中恢复。")


def test_a_workbook_with_errors_stores_nothing(store):
    store.commit(workbook(1), by="张三")
    token = store.state_token()
    error = Issue(ERROR, "任务进展 第7行「状态」：无法识别“进行中中”，应为 未启动/序时推进/滞后/已完成",
                  sheet="任务进展", row=7, column="状态", value="进行中中", code="bad_choice")
    parsed = parsed_workbook(rows(2), files=(InputFile("坏.xlsx", b"bad workbook"),), issues=(error,))
    with pytest.raises(WorkbookHasErrors) as caught:
        store.commit(parsed, by="李四")
    assert str(caught.value) == "工作簿有 1 处错误，未导入，当前数据未改变。"
    assert [v.id for v in store.versions()] == [1]
    assert store.state_token() == token
    assert not (store.folder / "uploads" / f"{InputFile('坏.xlsx', b'bad workbook').sha256}.xlsx").exists()


@pytest.mark.parametrize("where", ["merge", "insert"])
def test_a_failure_in_the_middle_of_a_commit_leaves_the_previous_version_active(store, monkeypatch, where):
    good = store.commit(workbook(1), by="张三")
    token = store.state_token()
    broken = workbook(2)
    if where == "merge":
        # A task number that is not a number: the merge cannot type the record.
        broken.tables["tasks"] = typed_table("tasks", rows(2)["tasks"]).set_column(
            0, "task_no", pa.array(["8", "第八项"], pa.string()))
        failure = "ArrowInvalid"
    else:
        # indicators and routes are inserted; then DuckDB refuses the tasks (as a full disk would).
        real = store_core._insert_rows

        def insert_rows(con, sheet, version_id, table):
            if sheet.key == "tasks":
                con.execute("SELECT CAST('第八项' AS INTEGER)")
            return real(con, sheet, version_id, table)

        monkeypatch.setattr(store_core, "_insert_rows", insert_rows)
        failure = "ConversionException"
    with pytest.raises(CommitFailed) as caught:
        store.commit(broken, by="李四")
    assert str(caught.value) == f"保存新版本时出错（{failure}），已全部撤销，当前数据未改变。"
    monkeypatch.undo()
    assert store.versions() == [good]
    assert store.active_version() == good
    assert [a.version_id for a in store.history()] == [1]
    assert store.state_token() == token
    counts = store.query("SELECT count(*) AS n, count(DISTINCT version_id) AS versions FROM p_indicators")
    assert counts.to_dict("records") == [{"n": 2, "versions": 1}]
    # The next commit takes the next id: the failed one left no trace in the tables.
    assert store.commit(workbook(3), by="李四").id == 2


def test_warnings_of_a_committed_upload_are_kept_with_the_version(store):
    warning = Issue(WARNING, "通道班次 第4行「线路」：“渝新欧班列”不是计划中的线路，作为新增线路列示",
                    sheet="通道班次", row=4, column="线路", value="渝新欧班列", code="new_route")
    parsed = parsed_workbook(rows(1), files=(InputFile("进度.xlsx", b"x"),), issues=(warning,))
    version = store.commit(parsed, by="张三")
    assert store.issues(version.id) == [warning]


def test_the_state_token_changes_exactly_when_the_active_version_changes(store):
    tokens = [store.state_token()]
    store.ensure_ready()
    tokens.append(store.state_token())
    store.commit(workbook(1), by="张三")
    tokens.append(store.state_token())
    store.versions()
    store.load(1)
    tokens.append(store.state_token())
    store.commit(workbook(2), by="张三")
    tokens.append(store.state_token())
    store.rollback(1, by="张三")
    tokens.append(store.state_token())
    assert tokens == ["", "0:0", "1:1", "1:1", "2:2", "3:1"]


def test_a_lost_state_file_is_rewritten_by_the_next_store(store):
    store.commit(workbook(1), by="张三")
    os.remove(store.folder / "yzlogi.state")
    assert store.state_token() == ""
    Store(store.folder, sample=None).ensure_ready()
    assert store.state_token() == "1:1"


def test_a_new_store_on_the_same_folder_sees_everything(store):
    store.commit(workbook(1), by="张三")
    store.commit(workbook(2), by="李四")
    store.rollback(1, by="王五")
    other = Store(store.folder, sample=None)
    assert other.versions() == store.versions()
    assert other.history() == store.history()


def test_a_missing_bundled_sample_is_made_from_the_plan(tmp_path):
    store = Store(tmp_path / "data", sample=tmp_path / "没有这个文件.xlsx")
    (version,) = store.versions()
    assert (version.id, version.sample, version.files) == (1, True, ("没有这个文件.xlsx",))
    assert store.load(1).tasks.shape[0] == 1028


def test_no_sample_leaves_a_fresh_store_empty(tmp_path):
    assert Store(tmp_path / "data", sample=None).versions() == []


def test_the_data_folder_defaults_to_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(tmp_path / "elsewhere"))
    store = Store(sample=None)
    store.commit(workbook(1), by="张三")
    assert store.folder == tmp_path / "elsewhere"
    assert (tmp_path / "elsewhere" / "yzlogi.duckdb").is_file()


def test_a_column_the_schema_gained_is_added_and_reads_blank_for_older_versions(store):
    import duckdb

    store.commit(workbook(1), by="张三")
    # Make the file look as if it had been written before routes had a 备注 column.
    con = duckdb.connect(str(store.db_path))
    con.execute('ALTER TABLE p_routes DROP COLUMN note')
    con.execute("UPDATE meta SET value = 'older' WHERE name = 'layout_hash'")
    con.close()
    later = Store(store.folder, sample=None)
    routes = later.load(1).routes
    assert list(routes.columns) == ["route", "month", "runs", "note", "is_new", "first_version", "from_version", "row"]
    assert routes["note"].isna().all() and routes["runs"].tolist() == [251, 260, 3]
    assert later.commit(workbook(2), by="张三").id == 2
    assert later.load(2).routes["note"].tolist()[2] == "新开线路"


def test_versions_after_reads_only_what_is_new_and_says_which_is_active(store):
    for tag in (1, 2, 3):
        store.commit(workbook(tag), by="张三")
    store.rollback(2, by="李四")
    new, active = store.versions_after(1)
    assert [v.id for v in new] == [2, 3] and active == 2
    assert new == store.versions()[1:]
    assert store.versions_after(3) == ([], 2)
