"""Issue 9, refused cleanly by the command line: every hostile or broken file, and every
error kind of the workbook spec, ends in exit 1, a Chinese message, no traceback, and
a data folder left exactly as it was (files byte for byte, versions, history, rows,
state token).

Hostile files run `python -m yzlogi import` in a process held to 4 GiB of address
space and 60 s of CPU (RLIMIT_AS, RLIMIT_CPU): a check that stopped working makes the
process die or fail instead of hanging the suite. These are resource bounds, not
timing assertions. The error-kind table runs the same command in this process.
"""

from __future__ import annotations

import ast
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from builders import good_sheets, write_csv, write_xlsx
from hostile import (
    encrypted_workbook, fingerprint, macro_workbook, pdf_bytes, png_bytes, random_bytes, zip_bomb,
)
from yzlogi import cli
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.store import Store
from yzlogi.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "yzlogi"
PLAN = load_plan()
MB = 1024 * 1024
# A normal import reserves ~2.2 GB of address space (allocator arenas) and touches ~300 MB;
# the bomb's sheet alone would need 3 GB more, a 64 GB file 64 GB.
ADDRESS_SPACE = 4 << 30
CPU_SECONDS = 60
HINT = "，请上传 .xlsx、.xls、.ods 工作簿或 .csv 文件"
REFUSED = "工作簿有 {} 处错误，未导入，当前数据未改变。"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A data folder with history: the sample (v1), a real import (v2), a rollback to v1."""
    base = tmp_path_factory.mktemp("hardening")
    store = Store(base / "data", plan=PLAN)
    path = write_xlsx(base / "5月进度.xlsx", good_sheets())
    assert store.import_files([InputFile(path.name, path.read_bytes())], by="张三").version.id == 2
    store.rollback(1, by="李四", note="核对中")
    return store.folder


@pytest.fixture(scope="module")
def good_xlsx(tmp_path_factory) -> bytes:
    return write_xlsx(tmp_path_factory.mktemp("good") / "good.xlsx", good_sheets()).read_bytes()


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def import_bounded(folder: Path, *paths: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """python -m yzlogi import PATHS in a process with bounded memory and CPU."""
    return subprocess.run(
        [sys.executable, "-m", "yzlogi", "import", *map(str, paths)], cwd=ROOT, capture_output=True, text=True,
        encoding="utf-8", env={**os.environ, "YZLOGI_DATA_DIR": str(folder), **(env or {})}, preexec_fn=_bounded,
        timeout=600,  # a guard against a hang the bounds cannot see (a wait), not an assertion
    )


# --- hostile and broken files ---------------------------------------------------------------
# name: (file name, how to write it (folder, good xlsx bytes) → path, environment, stderr lines)


def _write(name: str, data: bytes):
    def make(folder: Path, good: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return make


def _sparse(name: str, size: int):
    """A file of `size` bytes that takes no disk space and must never be read."""
    def make(folder: Path, good: bytes) -> Path:
        path = folder / name
        with open(path, "wb") as handle:
            handle.truncate(size)
        return path
    return make


def _from_good(name: str, change):
    def make(folder: Path, good: bytes) -> Path:
        path = folder / name
        path.write_bytes(change(good))
        return path
    return make


def _bomb(folder: Path, good: bytes) -> Path:
    return zip_bomb(folder / "炸弹.xlsx", good)  # 3 MB on disk, 3 GB once inflated


def _titled(folder: Path, good: bytes) -> Path:
    return write_xlsx(folder / "进度.xlsx", good_sheets(), title="渝中区现代物流业发展进度统计表")


MACRO = "文件“{}”是启用宏的工作簿（.xlsm），出于安全原因不予接收，请另存为 .xlsx（不含宏）后上传"

HOSTILE = {
    "empty file": (_write("6月进度.xlsx", b""), {}, ["文件“6月进度.xlsx”是空文件"]),
    "random bytes": (_write("6月进度.xlsx", random_bytes()), {},
                     ["文件“6月进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是二进制文件）" + HINT]),
    "PDF renamed .xlsx": (_write("6月进度.xlsx", pdf_bytes()), {},
                          ["文件“6月进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是 PDF 文档）" + HINT]),
    "PNG renamed .xlsx": (_write("6月进度.xlsx", png_bytes()), {},
                          ["文件“6月进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是 PNG 图片）" + HINT]),
    "truncated xlsx": (_from_good("6月进度.xlsx", lambda good: good[: len(good) * 2 // 3]), {},
                       ["文件“6月进度.xlsx”已损坏或不完整，无法打开，请在 Excel 中重新保存后上传"]),
    "password-protected workbook": (_write("6月进度.xlsx", encrypted_workbook()), {},
                                    ["文件“6月进度.xlsx”设置了打开密码（已加密），无法读取，请在 Excel 中取消密码后另存为 .xlsx 再上传"]),
    ".xlsm": (_from_good("6月进度.xlsm", macro_workbook), {}, [MACRO.format("6月进度.xlsm")]),
    ".xlsx carrying a VBA project": (_from_good("6月进度.xlsx", lambda good: macro_workbook(good, content_type=False)),
                                     {}, [MACRO.format("6月进度.xlsx")]),
    "zip bomb": (_bomb, {}, ["文件“炸弹.xlsx”解压后达 3072 MB，超过上限 300 MB，疑似压缩炸弹，不予处理"]),
    "over the size limit": (_sparse("6月进度.xlsx", 3 * MB // 2), {"YZLOGI_MAX_UPLOAD_MB": "1"},
                            ["上传的文件共 1.5 MB，超过上限 1 MB"]),
    "64 GB, never read": (_sparse("6月进度.xlsx", 64 << 30), {}, ["上传的文件共 65536.0 MB，超过上限 20 MB"]),
    "sheets over the row limit": (_titled, {"YZLOGI_MAX_ROWS_PER_SHEET": "6"}, [
        "工作表「指标进展」有 8 行，超过每个工作表 6 行的上限，请删除多余的行后重新上传",
        "工作表「通道班次」有 7 行，超过每个工作表 6 行的上限，请删除多余的行后重新上传",
    ]),
    "a CSV matching no sheet": (_write("对不上.csv", "甲,乙\n1,2\n".encode("gb18030")), {}, [
        "文件“对不上.csv”的表头与任何工作表都对不上：前11行中没有一行包含某个工作表的全部必填列（指标进展：指标编号、统计期、完成值；"
        "通道班次：线路、月份、开行班次；船舶更新：船名、类别、状态；任务进展：任务编号、填报单位、统计期、状态；"
        "其他目标：目标名称、统计期、完成值；海外分拨仓：名称、启用日期；货代备案企业：企业名称、备案日期）",
        *(f"缺少必需的工作表「{name}」（上传 CSV 时，每个工作表一个文件）" for name in ("指标进展", "通道班次", "船舶更新", "任务进展")),
    ]),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_file_is_refused_in_chinese_within_bounds_and_changes_nothing(folder, good_xlsx, tmp_path, case):
    make, env, messages = HOSTILE[case]
    path = make(tmp_path, good_xlsx)
    before = fingerprint(folder)
    result = import_bounded(folder, path, env=env)
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr.splitlines() == [REFUSED.format(len(messages)), *(f"  [错误] {m}" for m in messages)]
    assert fingerprint(folder) == before


def test_the_ratio_check_alone_refuses_the_bomb(folder, good_xlsx, tmp_path):
    # With the total-size limit out of the way, the member's ratio in the zip directory still refuses it.
    path = _bomb(tmp_path, good_xlsx)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 3 * 1024 * MB and info.compress_size < 4 * MB
    ratio = info.file_size / info.compress_size
    before = fingerprint(folder)
    result = import_bounded(folder, path, env={"YZLOGI_MAX_UNCOMPRESSED_MB": "100000"})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [REFUSED.format(1), (
        f"  [错误] 文件“炸弹.xlsx”中的“xl/worksheets/sheet1.xml”压缩比异常（{ratio:.0f}:1，上限 200:1），疑似压缩炸弹，不予处理")]
    assert fingerprint(folder) == before


def test_a_device_that_never_ends_is_refused_without_reading_it(folder):
    before = fingerprint(folder)
    result = import_bounded(folder, Path("/dev/zero"))
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "/dev/zero 不是普通文件，请指定工作簿文件或 CSV 文件\n")
    assert fingerprint(folder) == before


def test_100_000_rows_of_garbage_are_counted_and_listed_up_to_the_cap(folder, tmp_path):
    paths = []
    for name, (header, rows) in good_sheets().items():
        if name == "任务进展":
            rows = [[f"乱码{i}"] * len(header) for i in range(100_000)]
        paths.append(write_csv(tmp_path / f"{name}.csv", header, rows))
    before = fingerprint(folder)
    result = import_bounded(folder, *paths)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    # Five errors a row (任务编号, 填报单位, 统计期, 状态, 完成进度); the first 200 listed.
    assert lines[:3] == [REFUSED.format(500000), "  [错误] 任务进展 第2行「任务编号」：无法识别“乱码0”，应为附件2的任务编号 1—16",
                         "  [错误] 任务进展 第2行「填报单位」：无法识别“乱码0”，应为 计划中的部门：区交通运输委/区发展改革委/区商务委/"
                         "区经济信息委/区财政局/区产业发展促进局/区政府外办/区司法局/区科技局/区大数据发展局/各管委会"]
    assert len(lines) == 1 + 200 + 1
    assert lines[-1] == "  [错误] 另有 499800 个错误未逐条列出（共 500000 个错误、0 个提醒），请先修改以上问题后重新上传"
    assert fingerprint(folder) == before


# --- every error kind of the workbook spec -------------------------------------------------------


def cell(sheet: str, index: int, column: str, value):
    """good_sheets() with one cell changed (index 0 = spreadsheet row 2)."""
    def sheets():
        changed = good_sheets()
        header, rows = changed[sheet]
        rows[index][header.index(column)] = value
        return changed
    return sheets


def replaced(sheet: str, header: list[str], rows: list[list]):
    """good_sheets() with one sheet (possibly an optional one) given whole."""
    def sheets():
        changed = good_sheets()
        changed[sheet] = (header, rows)
        return changed
    return sheets


def without(sheet: str):
    def sheets():
        changed = good_sheets()
        del changed[sheet]
        return changed
    return sheets


def csv_files(folder: Path, extra: dict[str, tuple[list[str], list[list]]]) -> list[Path]:
    """One CSV per sheet of good_sheets(), plus `extra` (file name → header, rows)."""
    items = [(f"{name}.csv", sheet) for name, sheet in good_sheets().items()] + list(extra.items())
    return [write_csv(folder / name, header, rows) for name, (header, rows) in items]


GOALS = ["目标名称", "统计期", "完成值", "备注"]
FORWARDERS = ["企业名称", "备案日期", "是否全球知名"]
DEPARTMENTS = ("区交通运输委/区发展改革委/区商务委/区经济信息委/区财政局/区产业发展促进局/区政府外办/区司法局/区科技局/"
               "区大数据发展局/各管委会")

# code: (input, (sheet, row, column, message)); the input is a workbook (sheets) or CSV files.
ERROR_KINDS = {
    "bad_choice": (cell("船舶更新", 1, "状态", "开工了"), (
        "船舶更新", 3, "状态", "船舶更新 第3行「状态」：无法识别“开工了”，应为 计划/在建/已完成")),
    "missing_value": (cell("通道班次", 0, "开行班次", None), (
        "通道班次", 2, "开行班次", "通道班次 第2行「开行班次」：必填，不能为空")),
    "bad_month": (cell("指标进展", 2, "统计期", "2026年4-6月"), (
        "指标进展", 4, "统计期", "指标进展 第4行「统计期」：“2026年4-6月”不是年初至某月的累计期，应为单月或 2026年1-6月 这样的写法")),
    "ambiguous_month": (cell("通道班次", 2, "月份", "2026.1"), (
        "通道班次", 4, "月份", "通道班次 第4行「月份」：“2026.1”无法确定是1月还是10月，请写作 2026-01 或 2026-10")),
    "month_out_of_range": (cell("指标进展", 0, "统计期", "2024-11"), (
        "指标进展", 2, "统计期", "指标进展 第2行「统计期」：“2024-11”超出范围，应在 2024-12 至 2027-12 之间")),
    "bad_count": (cell("通道班次", 3, "开行班次", "八班左右"), (
        "通道班次", 5, "开行班次", "通道班次 第5行「开行班次」：无法识别“八班左右”，应为非负整数（可带单位 班次/班/列/次）")),
    "bad_unit": (cell("指标进展", 3, "完成值", "27家"), (
        "指标进展", 5, "完成值", "指标进展 第5行「完成值」：“27家”的单位“家”与本列不符，应为 个")),
    "bad_percent": (cell("任务进展", 0, "完成进度", "一半"), (
        "任务进展", 2, "完成进度", "任务进展 第2行「完成进度」：无法识别“一半”，应为百分数，如 10.5 或 10.5%")),
    "out_of_range": (cell("任务进展", 1, "完成进度", "-5%"), (
        "任务进展", 3, "完成进度", "任务进展 第3行「完成进度」：“-5%”超出范围，应在 0 至 100 之间")),
    "bad_number": (replaced("其他目标", GOALS, [["供应链服务产值", "2026-06", "很多", ""]]), (
        "其他目标", 2, "完成值", "其他目标 第2行「完成值」：无法识别“很多”，应为数值（单位：亿元）")),
    "bad_yesno": (replaced("货代备案企业", FORWARDERS, [["重庆某国际货运代理有限公司", "2025-08", "也许"]]), (
        "货代备案企业", 2, "是否全球知名", "货代备案企业 第2行「是否全球知名」：无法识别“也许”，应为 是/否")),
    "bad_task_no": (cell("任务进展", 0, "任务编号", "0"), (
        "任务进展", 2, "任务编号", "任务进展 第2行「任务编号」：无法识别“0”，应为附件2的任务编号 1—16")),
    "bad_indicator_no": (cell("指标进展", 1, "指标编号", "十"), (
        "指标进展", 3, "指标编号", "指标进展 第3行「指标编号」：无法识别“十”，应为附件1的指标编号 1—8")),
    "unknown_department": (cell("任务进展", 2, "填报单位", "区教委"), (
        "任务进展", 4, "填报单位", f"任务进展 第4行「填报单位」：无法识别“区教委”，应为 计划中的部门：{DEPARTMENTS}")),
    "not_task_unit": (cell("任务进展", 0, "填报单位", "区司法局"), (
        "任务进展", 2, "填报单位", "任务进展 第2行「填报单位」：“区司法局”不是任务1的牵头单位或责任单位"
        "（任务1“健全政策支持体系”：牵头单位 区交通运输委；责任单位 区发展改革委、区财政局）")),
    "unknown_goal": (replaced("其他目标", GOALS, [["物流总产值", "2026-06", "6.5", ""]]), (
        "其他目标", 2, "目标名称", "其他目标 第2行「目标名称」：无法识别“物流总产值”，应为 计划中的其他目标：5A级物流企业数量全市排名/"
        "新增5A级物流企业/引进全球知名物流企业/“总部+基地”发展模式突破/国内具备影响力的物流企业/规上物流企业新增（三年累计）/"
        "多式联运营业收入增长（至2027年）/规上供应链企业/供应链服务产值/与东盟国家贸易额占比增长/全球知名国际货代物流企业/行业智慧化投资")),
    "bad_category": (cell("船舶更新", 0, "类别", "LNG动力"), (
        "船舶更新", 2, "类别", "船舶更新 第2行「类别」：无法识别“LNG动力”，应为 LNG动力船舶更新/甲醇动力船舶更新/"
        "滚装船LNG-柴油混合动力改造/新增海运船舶")),
    "duplicate_row": (replaced("通道班次", ["线路", "月份", "开行班次", "备注"],
                               [["东盟班车", "2026-06", 260, ""], ["东盟公路班车", "2026年6月", 261, ""]]), (
        "通道班次", 3, "线路", "通道班次 第3行「线路」：与第2行重复：线路 东盟班车、月份 2026-06 只能填一行")),
    "no_header": (replaced("船舶更新", ["名称", "种类", "情况"], [["渝中LNG01", "LNG动力船舶更新", "已完成"]]), (
        "船舶更新", None, None, "工作表「船舶更新」前11行中找不到表头，表头行应包含 船名、类别、状态")),
    "missing_column": (replaced("任务进展", ["任务编号", "填报单位", "统计期", "完成进度"],
                                [[1, "区交通运输委", "2026-06", "50%"]]), (
        "任务进展", 1, "状态", "任务进展 第1行：缺少必填列「状态」")),
    "missing_sheet": (without("船舶更新"), ("船舶更新", None, None, "缺少必需的工作表「船舶更新」")),
    "duplicate_sheet": (lambda folder: csv_files(folder, {"通道班次（补报）.csv": good_sheets()["通道班次"]}), (
        "通道班次", None, None, "工作表「通道班次」出现了不止一次（通道班次.csv、通道班次（补报）.csv），请只保留一个")),
    "no_data": (lambda: {name: (header, []) for name, (header, _rows) in good_sheets().items()}, (
        None, None, None, "上传的工作簿中没有任何填报数据（各工作表只有表头或模板预填的内容），未导入")),
    "read_failed": (lambda folder: [_broken_parts(folder)], (
        None, None, None, "文件“进度.xlsx”无法读取，可能已损坏，请在 Excel 中重新保存后上传（")),
}


def _broken_parts(folder: Path) -> Path:
    """A zip that says it is an xlsx but whose workbook part is not XML."""
    path = folder / "进度.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook>不是 Excel 写的")
    return path


def error_kind_files(case: str, folder: Path) -> list[Path]:
    build = ERROR_KINDS[case][0]
    if build.__code__.co_argcount:  # writes its own files
        return build(folder)
    return [write_xlsx(folder / "进度.xlsx", build())]


CODE_CALLS = {"ReadError", "CellError", "Issue", "add", "add_cells", "_error", "_cell_issues", "parse_name",
              "parse_whole"}


def issue_codes() -> set[str]:
    """Every issue code the reader, the cell parsers and the validation can give: the
    snake_case strings passed to what makes an issue (or a code parameter's default)."""
    found = set()
    for module in ("reader", "cells", "workbook"):
        tree = ast.parse((SOURCE / f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            values = []
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in CODE_CALLS:
                    values = [*node.args, *(k.value for k in node.keywords if k.arg == "code")]
            elif isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + node.args.defaults
                values = [d for n, d in zip(names, defaults + node.args.kw_defaults) if n == "code"]
            found |= {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)
                      and re.fullmatch(r"[a-z]+(_[a-z]+)*", v.value)}
    return found


# Kinds refused before any sheet is looked at: the hostile table above covers them.
FILE_KINDS = {"empty_file", "unknown_format", "corrupt_file", "encrypted", "macro_enabled", "zip_bomb",
              "file_too_large", "too_many_rows", "csv_unmatched"}
NOT_FROM_THE_COMMAND_LINE = {"empty_upload"}  # no files at all: argparse requires one
WARNING_KINDS = {"unknown_column", "duplicate_column", "indicator_name_differs", "new_route", "computed_indicator",
                 "unfilled_rows", "empty_sheet", "register_mismatch", "more_issues"}


def test_the_tables_cover_every_issue_code_there_is():
    assert issue_codes() == set(ERROR_KINDS) | FILE_KINDS | NOT_FROM_THE_COMMAND_LINE | WARNING_KINDS


@pytest.fixture
def cli_in(folder, monkeypatch, capsys):
    """python -m yzlogi import … run in this process against `folder`: (exit, stdout, stderr lines)."""
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(folder))

    def run(*paths: Path):
        code = cli.main(["import", *map(str, paths)])
        out, err = capsys.readouterr()
        return code, out, err.splitlines()

    return run


@pytest.mark.parametrize("code", ERROR_KINDS, ids=list(ERROR_KINDS))
def test_each_error_kind_is_located_in_chinese_and_refused_whole(folder, cli_in, tmp_path, code):
    sheet, row, column, message = ERROR_KINDS[code][1]
    paths = error_kind_files(code, tmp_path)
    parsed = read_workbook([InputFile(p.name, p.read_bytes()) for p in paths], PLAN)
    assert [(i.level, i.code, i.sheet, i.row, i.column) for i in parsed.issues] == [
        ("error", code, sheet, row, column)]
    if code == "read_failed":  # ends with the parser's own words
        assert parsed.issues[0].message.startswith(message)
        message = parsed.issues[0].message
    assert parsed.issues[0].message == message
    before = fingerprint(folder)
    assert cli_in(*paths) == (1, "", [REFUSED.format(1), f"  [错误] {message}"])
    assert fingerprint(folder) == before
