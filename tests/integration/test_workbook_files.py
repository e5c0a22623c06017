"""Real files of every accepted kind (xlsx by openpyxl, xls/ods/xlsx by LibreOffice, CSV bytes
in UTF-8, UTF-8 with BOM and GB18030) and every kind that must be refused, by content."""

import datetime
import io
import random
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from builders import convert_with_libreoffice, good_sheets, write_csv, write_xlsx
from hostile import compound_file, rezip
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.workbook import read_workbook

PLAN = load_plan()


def read(*files: Path | InputFile):
    inputs = [f if isinstance(f, InputFile) else InputFile(f.name, f.read_bytes()) for f in files]
    return read_workbook(inputs, PLAN)


def located(parsed):
    return [(i.level, i.code, i.sheet, i.row, i.column, i.message) for i in parsed.issues]


def plain_rows(parsed):
    """Every table as plain rows, for comparing what two files read as."""
    return {key: table.to_pylist() for key, table in parsed.tables.items()}


def formatted_sheets():
    """good_sheets with what Excel stores: real dates, numbers in %-formatted cells, integers."""
    sheets = good_sheets()
    indicators = sheets["指标进展"][1]
    indicators[0][2] = datetime.date(2026, 6, 1)  # 统计期 as a date, shown 2026-06
    indicators[0][3] = 0.102  # 10.2% in a %-formatted cell
    indicators[1][3] = 0.056
    tasks = sheets["任务进展"][1]
    tasks[0][2] = datetime.datetime(2026, 6, 30, 17, 30)
    tasks[0][4] = 0.5
    tasks[1][4] = 0.505  # formatted 0.0"%": the % is a literal, the number is not scaled
    return sheets


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    """The same content as xlsx (openpyxl), and as xls, ods and xlsx saved by LibreOffice."""
    folder = tmp_path_factory.mktemp("formats")
    path = write_xlsx(folder / "进度.xlsx", formatted_sheets(), title="渝中区现代物流业发展进度统计表")
    workbook = load_workbook(path)
    workbook["指标进展"]["C4"].number_format = "yyyy-mm"
    workbook["指标进展"]["D4"].number_format = "0.0%"
    workbook["指标进展"]["D5"].number_format = "0.00%"
    workbook["任务进展"]["C4"].number_format = "yyyy-mm-dd h:mm"
    workbook["任务进展"]["E4"].number_format = "0%"
    workbook["任务进展"]["E5"].number_format = '0.0"%"'
    workbook.save(path)
    xls = convert_with_libreoffice(path, "xls", folder / "lo")
    ods = convert_with_libreoffice(path, "ods", folder / "lo")
    again = convert_with_libreoffice(ods, "xlsx", folder / "lo-xlsx")
    return {"xlsx": path, "xls": xls, "ods": ods, "xlsx from LibreOffice": again}


EXPECTED_INDICATORS = [
    (1, "2026-06", 10.2, 4), (2, "2026-06", 5.6, 5), (3, "2026-06", 1.0, 6), (7, "2026-06", 27.0, 7),
    (8, "2026-06", 66.0, 8),
]
EXPECTED_TASKS = [(1, "2026-06", 50.0, 4), (1, "2026-06", 0.505, 5), (8, "2026-06", 40.0, 6)]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "xlsx from LibreOffice"])
def test_each_format_reads_dates_and_percent_formatted_cells_alike(workbooks, kind):
    parsed = read(workbooks[kind])
    assert parsed.issues == []
    assert [(r["indicator_no"], r["month"], r["value"], r["row"]) for r in parsed.tables["indicators"].to_pylist()] \
        == EXPECTED_INDICATORS
    assert [(r["task_no"], r["month"], r["progress"], r["row"]) for r in parsed.tables["tasks"].to_pylist()] \
        == EXPECTED_TASKS
    assert plain_rows(parsed) == plain_rows(read(workbooks["xlsx"]))


def test_format_is_read_from_the_content_not_the_name(workbooks):
    ods = workbooks["ods"]
    parsed = read(InputFile("进度.xlsx", ods.read_bytes()))
    assert parsed.ok and parsed.rows() == {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3}
    xls = InputFile("进度.csv", workbooks["xls"].read_bytes())
    assert read(xls).rows() == {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3}


def test_a_percent_format_in_a_text_cell_leaves_the_text_alone(tmp_path):
    sheets = good_sheets()
    sheets["任务进展"][1][0][4] = "50"
    path = write_xlsx(tmp_path / "进度.xlsx", sheets)
    workbook = load_workbook(path)
    workbook["任务进展"]["E2"].number_format = "0%"  # text typed into a %-formatted cell
    workbook.save(path)
    assert [r["progress"] for r in read(path).tables["tasks"].to_pylist()] == [50.0, 50.0, 40.0]


# --- CSV ------------------------------------------------------------------------------------


def write_all_csv(folder: Path, encoding: str, names=None) -> list[Path]:
    paths = []
    for i, (sheet, (header, rows)) in enumerate(good_sheets().items()):
        name = names[i] if names else f"{i + 1}.csv"
        paths.append(write_csv(folder / name, header, rows, encoding=encoding))
    return paths


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_files_are_matched_to_sheets_by_their_header(tmp_path, encoding):
    # File names say nothing (and the order is shuffled): each CSV is placed by its header.
    paths = write_all_csv(tmp_path, encoding)[::-1]
    parsed = read(*paths)
    assert parsed.issues == []
    expected = read(write_xlsx(tmp_path / "进度.xlsx", good_sheets()))
    assert plain_rows(parsed) == plain_rows(expected)
    assert {k: (s.file, s.found_as, s.header_row) for k, s in parsed.sources.items()} == {
        "indicators": ("1.csv", "1.csv", 1), "routes": ("2.csv", "2.csv", 1),
        "ships": ("3.csv", "3.csv", 1), "tasks": ("4.csv", "4.csv", 1)}


def test_a_csv_with_a_title_row_and_excel_dates_is_read(tmp_path):
    header, rows = good_sheets()["任务进展"]
    text = "渝中区任务进展（2026年6月）,,,\r\n" + ",".join(header) + "\r\n"
    text += "1,区交通运输委,2026/6/30,序时推进,50.00%,,,\r\n8,区交通运输委,2026/6/1 0:00,滞后,40%,,,\r\n"
    others = [p for p in write_all_csv(tmp_path, "utf-8") if p.name != "4.csv"]
    parsed = read(*others, InputFile("任务.csv", text.encode("gb18030")))
    assert parsed.issues == []
    assert [(r["task_no"], r["month"], r["progress"], r["row"]) for r in parsed.tables["tasks"].to_pylist()] == [
        (1, "2026-06", 50.0, 3), (8, "2026-06", 40.0, 4)]
    assert parsed.sources["tasks"].header_row == 2


def test_a_csv_matching_no_sheet_is_an_error_naming_the_file(tmp_path):
    stray = write_csv(tmp_path / "通讯录.csv", ["姓名", "电话"], [["张三", "123"]])
    parsed = read(*write_all_csv(tmp_path, "utf-8"), stray)
    assert [(i.level, i.code, i.sheet) for i in parsed.issues] == [("error", "csv_unmatched", None)]
    assert parsed.issues[0].message.startswith(
        "文件“通讯录.csv”的表头与任何工作表都对不上：前11行中没有一行包含某个工作表的全部必填列（指标进展：指标编号、统计期、完成值；")


def test_two_csvs_for_one_sheet_are_an_error(tmp_path):
    paths = write_all_csv(tmp_path, "utf-8")
    header, rows = good_sheets()["通道班次"]
    again = write_csv(tmp_path / "又一个.csv", header, rows)
    parsed = read(*paths, again)
    assert located(parsed) == [("error", "duplicate_sheet", "通道班次", None, None,
                                "工作表「通道班次」出现了不止一次（2.csv、又一个.csv），请只保留一个")]


def test_missing_sheets_in_a_csv_upload_for_a_replace_say_one_file_per_sheet(tmp_path):
    paths = write_all_csv(tmp_path, "utf-8")
    files = [InputFile(p.name, p.read_bytes()) for p in paths[:3]]
    parsed = read_workbook(files, PLAN, replace=True)
    assert located(parsed) == [("error", "missing_sheet", "任务进展", None, None,
                                "全部替换时须包含每个必需的工作表：缺少「任务进展」（上传 CSV 时，每个工作表一个文件）")]
    assert read_workbook(files, PLAN).issues == []  # merged: three sheets' rows added, the tasks kept


def test_many_bad_csv_rows_are_all_counted(tmp_path):
    header, _ = good_sheets()["任务进展"]
    rows = [[i % 20, "某某局", f"2026-{i % 15 + 1}", "进行中中", "", "", "", ""] for i in range(5000)]
    others = [p for p in write_all_csv(tmp_path, "utf-8") if p.name != "4.csv"]
    parsed = read(*others, write_csv(tmp_path / "任务.csv", header, rows))
    # 任务编号 0, 17, 18, 19 (1000 rows) are out of 1—16; months 13—15 (999 rows) do not exist;
    # every 填报单位 and 状态 (5000 rows each) is unknown.
    assert (parsed.error_count, parsed.warning_count) == (1000 + 999 + 5000 + 5000, 0)
    assert len(parsed.issues) == 201 and parsed.tables["tasks"].num_rows == 0


# --- refused files ----------------------------------------------------------------------------


def good_xlsx_bytes(tmp_path) -> bytes:
    return write_xlsx(tmp_path / "good.xlsx", good_sheets()).read_bytes()


def docx_bytes() -> bytes:
    """A minimal Word document: the OPC parts Word itself requires."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>这是一份说明，不是工作簿。</w:t></w:r></w:p>'
            '</w:body></w:document>'))
    return out.getvalue()


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    """A PDF exported by LibreOffice Calc, a .docx and a legacy Word (.doc) compound file."""
    folder = tmp_path_factory.mktemp("office")
    source = write_xlsx(folder / "进度.xlsx", good_sheets())
    return {
        "pdf": convert_with_libreoffice(source, "pdf", folder / "pdf").read_bytes(),
        "docx": docx_bytes(),
        "doc": compound_file({"WordDocument": b"\xec\xa5\xc1\x00", "1Table": b"\x00"}),
    }


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


HINT = "，请上传 .xlsx、.xls、.ods 工作簿或 .csv 文件"


def test_an_empty_file_is_refused():
    assert located(read(InputFile("进度.xlsx", b""))) == [
        ("error", "empty_file", None, None, None, "文件“进度.xlsx”是空文件")]


@pytest.mark.parametrize(
    "kind, message",
    [
        ("random", "文件“进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是二进制文件）" + HINT),
        ("pdf", "文件“进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是 PDF 文档）" + HINT),
        ("png", "文件“进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是 PNG 图片）" + HINT),
        ("docx", "文件“进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是 Word 文档）" + HINT),
        ("doc", "文件“进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是 Word 文档）" + HINT),
        ("html", "文件“进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是网页或 XML 文件，请在 Excel 中另存为 .xlsx）" + HINT),
    ],
)
def test_files_that_are_no_workbook_are_refused_by_content(office_files, kind, message):
    data = {
        "random": random.Random(7).randbytes(4096),
        "png": png_bytes(),
        "html": "<html><body><table><tr><td>任务编号</td></tr></table></body></html>".encode(),
        **office_files,
    }[kind]
    parsed = read(InputFile("进度.xlsx", data))
    assert located(parsed) == [("error", "unknown_format", None, None, None, message)]
    assert parsed.tables == {} and not parsed.ok


def test_a_truncated_workbook_is_refused(tmp_path):
    data = good_xlsx_bytes(tmp_path)
    assert located(read(InputFile("进度.xlsx", data[: len(data) // 2]))) == [
        ("error", "corrupt_file", None, None, None, "文件“进度.xlsx”已损坏或不完整，无法打开，请在 Excel 中重新保存后上传")]


def test_a_workbook_whose_parts_are_broken_becomes_an_error_naming_the_file(tmp_path, caplog):
    data = rezip(good_xlsx_bytes(tmp_path), replace={"xl/workbook.xml": b"<workbook>not what Excel writes"})
    parsed = read(InputFile("进度.xlsx", data))
    # Wholly Chinese: calamine's own words go to the log (from the sandbox's stderr), not into the message.
    assert located(parsed) == [("error", "read_failed", None, None, None,
                                "文件“进度.xlsx”无法读取，可能已损坏，请在 Excel 中重新保存后上传")]
    logged = [r.getMessage() for r in caplog.records if r.name == "yzlogi.sandbox"]
    assert len(logged) == 1 and logged[0].startswith("reading '进度.xlsx' in the sandbox: 进度.xlsx could not be read: ")


def test_an_encrypted_workbook_is_refused():
    data = compound_file({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x01" * 5000})
    assert located(read(InputFile("进度.xlsx", data))) == [
        ("error", "encrypted", None, None, None,
         "文件“进度.xlsx”设置了打开密码（已加密），无法读取，请在 Excel 中取消密码后另存为 .xlsx 再上传")]


def test_a_macro_enabled_workbook_is_refused(tmp_path):
    data = good_xlsx_bytes(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    xlsm = rezip(data, extra={"xl/vbaProject.bin": compound_file({"VBA": b"Attribute VB_Name"})},
                 replace={"[Content_Types].xml": types})
    message = "文件“进度.xlsm”是启用宏的工作簿（.xlsm），出于安全原因不予接收，请另存为 .xlsx（不含宏）后上传"
    assert located(read(InputFile("进度.xlsm", xlsm))) == [("error", "macro_enabled", None, None, None, message)]
    # Either sign is enough: the content type alone, or the VBA part alone.
    only_type = rezip(data, replace={"[Content_Types].xml": types})
    assert [i.code for i in read(InputFile("进度.xlsm", only_type)).issues] == ["macro_enabled"]


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path):
    bomb = rezip(good_xlsx_bytes(tmp_path), extra={"xl/media/image1.png": b"\0" * (10 * 1024 * 1024)})
    parsed = read(InputFile("进度.xlsx", bomb))
    assert [(i.level, i.code) for i in parsed.issues] == [("error", "zip_bomb")]
    assert parsed.issues[0].message.startswith("文件“进度.xlsx”中的“xl/media/image1.png”压缩比异常（")
    assert parsed.issues[0].message.endswith(":1，上限 200:1），疑似压缩炸弹，不予处理")


def test_a_workbook_too_large_once_unpacked_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("YZLOGI_MAX_UNCOMPRESSED_MB", "1")
    big = rezip(good_xlsx_bytes(tmp_path), extra={"xl/media/image1.png": random.Random(1).randbytes(2 * 1024 * 1024)})
    assert located(read(InputFile("进度.xlsx", big))) == [
        ("error", "zip_bomb", None, None, None, "文件“进度.xlsx”解压后达 2 MB，超过上限 1 MB，疑似压缩炸弹，不予处理")]


def test_an_upload_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("YZLOGI_MAX_UPLOAD_MB", "1")
    data = rezip(good_xlsx_bytes(tmp_path), extra={"xl/media/image1.png": random.Random(2).randbytes(1_600_000)})
    assert located(read(InputFile("进度.xlsx", data))) == [
        ("error", "file_too_large", None, None, None, "上传的文件共 1.5 MB，超过上限 1 MB")]


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_sheet_over_the_row_limit_is_refused(workbooks, kind, monkeypatch):
    # 指标进展 and 通道班次 have 8 and 7 rows with their title; 船舶更新 and 任务进展 stay within 6.
    monkeypatch.setenv("YZLOGI_MAX_ROWS_PER_SHEET", "6")
    parsed = read(workbooks[kind])
    assert located(parsed) == [
        ("error", "too_many_rows", "指标进展", None, None, "工作表「指标进展」有 8 行，超过每个工作表 6 行的上限，请删除多余的行后重新上传"),
        ("error", "too_many_rows", "通道班次", None, None, "工作表「通道班次」有 7 行，超过每个工作表 6 行的上限，请删除多余的行后重新上传"),
    ]
    assert sorted(parsed.tables) == ["ships", "tasks"]


def test_a_dimension_stretched_by_formatting_alone_is_not_taken_for_rows(tmp_path):
    # Some writers declare the formatted range (A1:H900000) while writing only the filled rows.
    data = good_xlsx_bytes(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet4.xml")
    stretched = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:H900000"', sheet)
    assert stretched != sheet
    parsed = read(InputFile("进度.xlsx", rezip(data, replace={"xl/worksheets/sheet4.xml": stretched})))
    assert parsed.issues == [] and parsed.rows()["tasks"] == 3


def test_a_csv_over_the_row_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("YZLOGI_MAX_ROWS_PER_SHEET", "4")
    paths = write_all_csv(tmp_path, "utf-8")
    parsed = read(*paths)
    assert [(i.code, i.message) for i in parsed.issues] == [
        ("too_many_rows", "文件“1.csv”有 6 行，超过每个工作表 4 行的上限，请删除多余的行后重新上传"),
        ("too_many_rows", "文件“2.csv”有 5 行，超过每个工作表 4 行的上限，请删除多余的行后重新上传"),
    ]
    assert sorted(parsed.tables) == ["ships", "tasks"]


def test_one_bad_file_among_good_ones_is_named_and_the_rest_still_read(tmp_path):
    paths = write_all_csv(tmp_path, "utf-8")
    parsed = read(*paths, InputFile("照片.csv", png_bytes()))
    assert [(i.code, i.message) for i in parsed.issues] == [
        ("unknown_format", "文件“照片.csv”不是可识别的工作簿或 CSV 文件（看起来是 PNG 图片）" + HINT)]
    assert parsed.rows() == {"indicators": 5, "routes": 4, "ships": 2, "tasks": 3}
