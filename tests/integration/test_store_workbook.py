"""The store with the real reader (yzlogi.workbook) and the bundled sample workbook:
a fresh folder starts with the sample as version 1; real files import, dedupe, refuse."""

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from builders import good_sheets, write_csv, write_xlsx
from yzlogi import workbook
from yzlogi.config import SAMPLE_WORKBOOK
from yzlogi.frames import frame_from_arrow
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.schema import WORKBOOK
from yzlogi.store import SAMPLE_BY, SAMPLE_NOTE, Store


def xlsx(path: Path, sheets) -> InputFile:
    write_xlsx(path, sheets)
    return InputFile(path.name, path.read_bytes())


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data")


def test_a_fresh_folder_starts_with_the_bundled_sample_as_version_1(store):
    assert SAMPLE_WORKBOOK.is_file()
    sample = InputFile(SAMPLE_WORKBOOK.name, SAMPLE_WORKBOOK.read_bytes())
    parsed = workbook.read_workbook([sample], load_plan())
    version = store.active_version()
    assert (version.id, version.by, version.note, version.sample, version.active) == (
        1, SAMPLE_BY, SAMPLE_NOTE, True, True)
    assert version.files == ("示例进度.xlsx",)
    assert version.sha256 == sample.sha256
    assert version.rows == parsed.rows()
    assert [(a.seq, a.version_id, a.action) for a in store.history()] == [(1, 1, "sample")]
    data = store.load(1)
    for sheet in WORKBOOK:
        loaded = data.table(sheet.key)
        # Every row of the sample was first sent and supplied by version 1; the rest is the upload as read.
        assert set(loaded["first_version"]) | set(loaded["from_version"]) <= {1}
        pd.testing.assert_frame_equal(loaded.drop(columns=["first_version", "from_version"]),
                                      frame_from_arrow(parsed.tables[sheet.key].drop_columns(["withdraw"])))
    assert store.files_of(1) == [sample]
    assert store.issues(1) == parsed.warnings


def test_an_imported_workbook_becomes_the_active_version_after_the_sample(store, tmp_path):
    file = xlsx(tmp_path / "6月进度.xlsx", good_sheets())
    outcome = store.import_files([file], by="张三", note="6月")
    assert outcome.stored and outcome.duplicate_of is None
    assert outcome.message == "已替换示例数据，导入为版本 2，并已设为当前版本。"
    assert (outcome.version.id, outcome.version.sample, outcome.version.active) == (2, False, True)
    assert outcome.version.rows == {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3}
    data = store.load(2)
    assert data.routes[["route", "month", "runs"]].to_dict("records") == [
        {"route": "东盟班车", "month": "2026-05", "runs": 250},
        {"route": "东盟班车", "month": "2026-06", "runs": 260},
        {"route": "渝甬班列", "month": "2026-06", "runs": 25},
        {"route": "渝穗班列", "month": "2026-06", "runs": 8},
    ]
    assert data.indicators["value"].tolist() == [10.2, 5.6, 1.0, 27.0, 66.0]
    assert data.goals.empty and list(data.goals.columns) == ["goal", "month", "value", "note", "first_version",
                                                             "from_version", "row"]
    assert store.files_of(2) == [file]
    assert [v.active for v in store.versions()] == [False, True]


def test_the_same_workbook_imported_again_is_recognised(store, tmp_path):
    file = xlsx(tmp_path / "6月进度.xlsx", good_sheets())
    first = store.import_files([file], by="张三").version
    again = store.import_files([InputFile("再传一次.xlsx", file.data)], by="李四")
    assert not again.stored
    assert again.duplicate_of == first
    assert again.message == (f"这些文件与已导入的版本 2（{first.committed_at:%Y-%m-%d %H:%M}，张三）"
                             "内容完全相同，未重复导入。")
    assert [v.id for v in store.versions()] == [1, 2]


def test_a_workbook_with_errors_is_refused_and_the_active_version_stays(store, tmp_path):
    sheets = good_sheets()
    sheets["任务进展"][1][0][3] = "进行中中"
    outcome = store.import_files([xlsx(tmp_path / "有误.xlsx", sheets)], by="张三")
    assert not outcome.stored and outcome.duplicate_of is None
    assert outcome.message == "工作簿有 1 处错误，未导入，当前数据未改变。"
    assert [i.message for i in outcome.parsed.errors] == [
        "任务进展 第2行「状态」：无法识别“进行中中”，应为 未启动/序时推进/滞后/已完成"]
    assert [(v.id, v.active) for v in store.versions()] == [(1, True)]
    assert not any(p.name.endswith(".xlsx") and p.name.startswith(outcome.parsed.sha256)
                   for p in (store.folder / "uploads").iterdir())


def test_csv_files_import_as_one_version_and_come_back_byte_for_byte(store, tmp_path):
    files = []
    for encoding, (name, (header, rows)) in zip(("utf-8-sig", "gb18030", "utf-8", "gb18030"), good_sheets().items()):
        path = write_csv(tmp_path / f"{name}.csv", header, rows, encoding=encoding)
        files.append(InputFile(path.name, path.read_bytes()))
    outcome = store.import_files(files, by="张三")
    assert outcome.version.id == 2
    assert outcome.version.files == ("指标进展.csv", "通道班次.csv", "船舶更新.csv", "任务进展.csv")
    assert store.files_of(2) == files
    reordered = store.import_files(list(reversed(files)), by="张三")
    assert reordered.duplicate_of.id == 2


def test_a_bundled_sample_made_for_another_plan_is_replaced_by_one_made_from_this_plan(tmp_path):
    other = write_xlsx(tmp_path / "示例进度.xlsx", good_sheets())  # carries no plan mark
    store = Store(tmp_path / "data", sample=other)
    (version,) = store.versions()
    assert version.sample and version.sha256 != hashlib.sha256(other.read_bytes()).hexdigest()
    assert store.load(1).tasks.shape[0] == 1028  # the plan's own sample, not the two rows of `other`


def test_a_broken_sample_is_logged_and_does_not_block_real_imports(tmp_path, caplog):
    from openpyxl import load_workbook

    from yzlogi.sample_file import MARK

    sheets = good_sheets()
    sheets["任务进展"][1][0][3] = "进行中中"
    broken = write_xlsx(tmp_path / "坏示例.xlsx", sheets)
    book = load_workbook(broken)
    book.properties.description = f"{MARK}{Store(tmp_path / 'x', sample=None).plan.digest}"  # claims this plan
    book.save(broken)
    store = Store(tmp_path / "data", sample=broken)
    assert store.versions() == []
    assert [r.getMessage() for r in caplog.records if r.name == "yzlogi.store.core"] == [
        f"bundled sample {broken} has 1 errors and was not committed; first: "
        "任务进展 第2行「状态」：无法识别“进行中中”，应为 未启动/序时推进/滞后/已完成"]
    outcome = store.import_files([xlsx(tmp_path / "6月进度.xlsx", good_sheets())], by="张三")
    assert outcome.version.id == 1
