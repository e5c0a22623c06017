"""python -m yzlogi import / versions / rollback / history, run as real processes
on a temporary data folder (YZLOGI_DATA_DIR)."""

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from builders import good_sheets, write_xlsx
from store_helpers import workbook
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run_cli(folder, *args):
    env = {**os.environ, "YZLOGI_DATA_DIR": str(folder)}
    return subprocess.run([sys.executable, "-m", "yzlogi", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", env=env)


def start_cli(folder, *args):
    env = {**os.environ, "YZLOGI_DATA_DIR": str(folder)}
    return subprocess.Popen([sys.executable, "-m", "yzlogi", *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)


@pytest.fixture
def folder(tmp_path):
    """A data folder holding two committed versions, the second active."""
    store = Store(tmp_path / "data", sample=None)
    store.commit(workbook(1), by="张三", note="5月")
    store.commit(workbook(2), by="李四", note="6月")
    return store.folder


def test_versions_json_lists_every_version_with_the_documented_fields(folder):
    result = run_cli(folder, "versions", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [sorted(v) for v in data] == [
        sorted(["id", "committed_at", "by", "note", "sha256", "files", "rows", "sample", "active", "plan_digest",
                "mode"])] * 2
    assert [v["mode"] for v in data] == ["merge", "merge"]
    assert [{k: v[k] for k in ("id", "by", "note", "files", "rows", "sample", "active")} for v in data] == [
        {"id": 1, "by": "张三", "note": "5月", "files": ["进度1.xlsx"],
         "rows": {"indicators": 2, "routes": 3, "ships": 2, "tasks": 2}, "sample": False, "active": False},
        {"id": 2, "by": "李四", "note": "6月", "files": ["进度2.xlsx"],
         "rows": {"indicators": 2, "routes": 3, "ships": 2, "tasks": 2}, "sample": False, "active": True},
    ]
    assert data[0]["sha256"] == workbook(1).files[0].sha256
    assert data[0]["plan_digest"] == data[1]["plan_digest"] == load_plan().digest
    assert len(data[0]["committed_at"]) == len("2026-06-30T10:00:00")


def test_versions_without_json_is_one_chinese_line_per_version(folder):
    result = run_cli(folder, "versions")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split("  ")[0] for line in lines] == ["版本 1", "版本 2"]
    assert lines[1].endswith("李四  进度2.xlsx  [当前]  6月")


def test_rollback_switches_the_active_version_and_is_in_the_history(folder):
    result = run_cli(folder, "rollback", 1, "--by", "王五", "--note", "6月数据有误")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("已切换到版本 1（")
    assert result.stdout.rstrip().endswith("由 张三 导入）；原当前版本为 2。此次切换已记入历史，可随时再切换回去。")
    active = [v["id"] for v in json.loads(run_cli(folder, "versions", "--json").stdout) if v["active"]]
    assert active == [1]
    history = json.loads(run_cli(folder, "history", "--json").stdout)
    assert [{k: a[k] for k in ("seq", "version_id", "by", "action", "note")} for a in history] == [
        {"seq": 1, "version_id": 1, "by": "张三", "action": "commit", "note": "5月"},
        {"seq": 2, "version_id": 2, "by": "李四", "action": "commit", "note": "6月"},
        {"seq": 3, "version_id": 1, "by": "王五", "action": "rollback", "note": "6月数据有误"},
    ]


def test_rollback_is_signed_with_the_os_user_by_default(folder):
    assert run_cli(folder, "rollback", 1).returncode == 0
    assert Store(folder, sample=None).history()[-1].by == getpass.getuser()


@pytest.mark.parametrize(("args", "message"), [
    (("rollback", 9), "版本 9 不存在。可用 python -m yzlogi versions 查看已有版本。"),
    (("rollback", 2), "版本 2 已是当前版本，无需切换。"),
])
def test_a_refused_rollback_exits_1_with_a_chinese_message_and_changes_nothing(folder, args, message):
    result = run_cli(folder, *args)
    assert (result.returncode, result.stdout, result.stderr.strip()) == (1, "", message)
    assert len(Store(folder, sample=None).history()) == 2


def test_a_rollback_id_that_is_not_a_number_is_a_usage_error(folder):
    result = run_cli(folder, "rollback", "最新")
    assert result.returncode == 2
    assert "命令行参数有误" in result.stderr and "Traceback" not in result.stderr


def test_importing_a_missing_file_exits_1_and_says_which(folder, tmp_path):
    result = run_cli(folder, "import", tmp_path / "没有.xlsx")
    assert (result.returncode, result.stderr.strip()) == (1, f"找不到文件：{tmp_path / '没有.xlsx'}")


# --- import: needs the reader (yzlogi.workbook) ---------------------------------------


@pytest.fixture
def reader():
    from yzlogi import workbook

    return workbook


def test_import_prints_the_new_version_id_and_exits_0(reader, tmp_path):
    path = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets())
    result = run_cli(tmp_path / "data", "import", path, "--by", "张三", "--note", "6月数据")
    assert result.returncode == 0, result.stderr
    # A fresh folder holds the bundled sample as version 1.
    assert result.stdout.splitlines()[-1] == "已替换示例数据，导入为版本 2，并已设为当前版本。"
    versions = json.loads(run_cli(tmp_path / "data", "versions", "--json").stdout)
    assert [(v["id"], v["by"], v["note"], v["sample"], v["active"]) for v in versions] == [
        (1, "系统", "示例数据（首次启动时自动导入；导入正式数据后不再生效）", True, False),
        (2, "张三", "6月数据", False, True),
    ]


def test_importing_the_same_bytes_again_says_so_and_exits_0(reader, folder, tmp_path):
    path = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets())
    assert run_cli(folder, "import", path).stdout.splitlines()[-1] == "已合并到已有数据，导入为版本 3，并已设为当前版本。"
    assert run_cli(folder, "rollback", 2).returncode == 0
    result = run_cli(folder, "import", path)
    assert result.returncode == 0
    line = result.stdout.splitlines()[-1]
    assert line.startswith("这些文件与已导入的版本 3（")
    assert line.endswith("内容完全相同，未重复导入。版本 3 当前未生效；如需恢复它，请回滚到版本 3。")
    assert len(json.loads(run_cli(folder, "versions", "--json").stdout)) == 3


def test_a_workbook_with_errors_exits_1_lists_the_issues_and_stores_nothing(reader, folder, tmp_path):
    sheets = good_sheets()
    sheets["任务进展"][1][0][3] = "进行中中"
    sheets["通道班次"][1][1][2] = "二百六"
    path = write_xlsx(tmp_path / "有误.xlsx", sheets)
    before = run_cli(folder, "versions", "--json").stdout
    result = run_cli(folder, "import", path)
    assert result.returncode == 1
    assert result.stdout == ""
    # The reader words the issues; the command prints each of them under one summary line.
    parsed = reader.read_workbook([InputFile(path.name, path.read_bytes())], load_plan())
    assert [(i.sheet, i.row, i.column) for i in parsed.issues] == [("通道班次", 3, "开行班次"), ("任务进展", 2, "状态")]
    assert result.stderr.splitlines() == [
        "工作簿有 2 处错误，未导入，当前数据未改变。",
        *(f"  [错误] {issue.message}" for issue in parsed.issues),
    ]
    assert result.stderr.splitlines()[2] == "  [错误] 任务进展 第2行「状态」：无法识别“进行中中”，应为 未启动/序时推进/滞后/已完成"
    assert run_cli(folder, "versions", "--json").stdout == before


def test_two_imports_at_the_same_moment_are_serialised(reader, folder, tmp_path):
    paths = []
    for month in (7, 8):
        sheets = good_sheets()
        sheets["通道班次"][1].append(["东盟班车", f"2026-0{month}", 270, ""])
        paths.append(write_xlsx(tmp_path / f"{month}月进度.xlsx", sheets))
    processes = [start_cli(folder, "import", path) for path in paths]
    processes.append(start_cli(folder, "import", paths[0]))  # the same bytes a third time
    results = [p.communicate(timeout=300) + (p.returncode,) for p in processes]
    assert [code for _, _, code in results] == [0, 0, 0], results
    last_lines = sorted(out.splitlines()[-1] for out, _, _ in results)
    assert last_lines[:2] == ["已合并到已有数据，导入为版本 3，并已设为当前版本。",
                              "已合并到已有数据，导入为版本 4，并已设为当前版本。"]
    assert last_lines[2].startswith("这些文件与已导入的版本 ")
    versions = Store(folder, sample=None).versions()
    assert sorted(v.files[0] for v in versions[2:]) == ["7月进度.xlsx", "8月进度.xlsx"]
    # Each merge was made against the version active under the lock: neither lost the other's month.
    routes = Store(folder, sample=None).load(4).routes
    assert sorted(routes.loc[routes["route"] == "东盟班车", "month"]) == ["2026-05", "2026-06", "2026-07", "2026-08"]
