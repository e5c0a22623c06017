"""Uploaded bytes → raw sheets: every cell as text, rows numbered as the spreadsheet shows them.

The format is decided by content, never by the file name: xlsx (a zip holding
xl/workbook.xml), ods (a zip whose mimetype is an OpenDocument spreadsheet), xls
(an OLE2 compound file holding a Workbook stream) or CSV (text). The limits of
config.py are checked before anything is parsed wherever the container allows
(sizes from the zip directory, row counts from the sheet's <dimension>), and every
refusal is a ReadError carrying a Chinese sentence that names the file; a
library's own words (calamine's errors) go to the log, never into the sentence.

This module parses untrusted bytes, so it runs only in the sandbox process
(yzlogi.sandbox), never in the server or the command line themselves: what a
Rust panic, an abort or a runaway allocation there does stays in that process.

Cells are read with fastexcel as strings (dates as 'YYYY-MM-DD HH:MM:SS'). It
does not expose number formats, so numbers in cells whose format shows a % are
found apart, in one pass per sheet and only when the workbook has such a format at
all, in two kinds: formats that scale (0.0%: 0.105 shown 10.5%) and formats that
only show the sign (0.0"%": 10.5 shown 10.5%). xlsx from styles.xml and a regex
over the sheet XML; ods from office:value-type="percentage", and a float whose
text (as the office shows it) ends in %; xls with xlrd (formatting_info) — the one
reader that knows BIFF formats. The sandbox sends both kinds back by column.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import struct
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


from yzlogi import config
from yzlogi.formats import Formats, read_member as _read_member
from yzlogi.model import InputFile

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"
MB = 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_UPLOAD_HINT = "请上传 .xlsx、.xls、.ods 工作簿或 .csv 文件"

log = logging.getLogger(__name__)


class ReadError(Exception):
    """A file that cannot be read; `message` is the whole Chinese sentence."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class RawSheet:
    """One sheet (or CSV) as text: `columns[j][i]` is the cell of row i + 1, column positions[j].

    In the reading process the cells are `table`, anything that exports Arrow through its
    C interface (a fastexcel sheet, a nanoarrow struct array for a CSV), which the sandbox
    sends as IPC without loading pyarrow there; the receiving side has them as `columns`,
    pyarrow string arrays."""

    file: str
    name: str  # the sheet name in the workbook, or the CSV file name
    format: str
    columns: list  # pyarrow string arrays, once received from the sandbox
    positions: list[int]  # spreadsheet column of each array, 0 = A
    rows: int
    table: object = field(default=None, repr=False)
    _percent: Callable[[dict[int, int]], dict[int, list[int]]] | None = field(default=None, repr=False)
    _literal: Callable[[dict[int, int]], dict[int, list[int]]] | None = field(default=None, repr=False)

    def percent_cells(self, arrays: Sequence[int]) -> dict[int, list[int]]:
        """For the given array indices: 0-based rows of numbers in %-formatted cells."""
        return self._cells(self._percent, arrays)

    def literal_percent_cells(self, arrays: Sequence[int]) -> dict[int, list[int]]:
        """For the given array indices: 0-based rows of numbers shown with a % their format
        does not scale by (0.0"%"): what the official saw is the number with a % sign."""
        return self._cells(self._literal, arrays)

    def _cells(self, found_by, arrays: Sequence[int]) -> dict[int, list[int]]:
        if found_by is None or not arrays:
            return {}
        found = found_by({self.positions[j]: j for j in arrays})
        return {j: rows for j, rows in found.items() if rows}

    def percent_by_position(self, literal: bool = False) -> dict[int, list[int]]:
        """Every column's percent cells (or shown-only ones), by spreadsheet column (what the sandbox sends back)."""
        every = range(len(self.positions))
        found = self.literal_percent_cells(every) if literal else self.percent_cells(every)
        return {self.positions[j]: rows for j, rows in found.items()}


@dataclass
class ReadResult:
    sheets: list[RawSheet]
    # Sheet-level refusals: (code, message, sheet name as found).
    problems: list[tuple[str, str, str]] = field(default_factory=list)


def read_file(file: InputFile, wanted: Callable[[str], bool]) -> ReadResult:
    """Read the sheets named as `wanted` says (a CSV is one sheet); raise ReadError when refused."""
    try:
        kind = detect_format(file)
    except ReadError:
        raise
    except Exception as exc:  # a container too broken for its own checks (a zip member that does not inflate …)
        log.warning("%s failed the format checks: %s: %s", file.name, type(exc).__name__, exc)
        raise _corrupt(file) from None
    if kind == CSV:
        return ReadResult([_read_csv(file)])
    try:
        return _read_workbook(file, kind, wanted)
    except ReadError:
        raise
    except Exception as exc:  # calamine's own errors and anything a broken file provokes
        detail = str(exc).lower()
        if "password" in detail or "encrypt" in detail:
            raise _encrypted(file) from None
        # The library's words (English, often cut short) are for the log, not for the official.
        log.warning("%s could not be read: %s: %s", file.name, type(exc).__name__, " ".join(str(exc).split()))
        raise ReadError("read_failed", f"文件“{file.name}”无法读取，可能已损坏，请在 Excel 中重新保存后上传") from None


# --- what kind of file -----------------------------------------------------------

_OTHER_KINDS = (
    (b"%PDF", "看起来是 PDF 文档"),
    (b"\x89PNG", "看起来是 PNG 图片"),
    (b"\xff\xd8\xff", "看起来是 JPEG 图片"),
    (b"GIF8", "看起来是 GIF 图片"),
    (b"{\\rtf", "看起来是 RTF 文档"),
    (b"Rar!", "看起来是 RAR 压缩包"),
    (b"7z\xbc\xaf", "看起来是 7z 压缩包"),
    (b"\x1f\x8b", "看起来是 gzip 压缩包"),
)


def detect_format(file: InputFile) -> str:
    """xlsx, ods, xls or csv, from the bytes; ReadError for anything else or a refused container."""
    data = file.data
    if not data:
        raise ReadError("empty_file", f"文件“{file.name}”是空文件")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _check_zip(file)
    if data.startswith(_OLE_MAGIC):
        return _check_ole(file)
    for magic, hint in _OTHER_KINDS:
        if data.startswith(magic):
            raise _unknown(file, hint)
    return CSV


def _unknown(file: InputFile, hint: str = "") -> ReadError:
    return ReadError(
        "unknown_format",
        f"文件“{file.name}”不是可识别的工作簿或 CSV 文件" + (f"（{hint}）" if hint else "") + f"，{_UPLOAD_HINT}",
    )


def _corrupt(file: InputFile) -> ReadError:
    return ReadError("corrupt_file", f"文件“{file.name}”已损坏或不完整，无法打开，请在 Excel 中重新保存后上传")


def _encrypted(file: InputFile) -> ReadError:
    return ReadError(
        "encrypted",
        f"文件“{file.name}”设置了打开密码（已加密），无法读取，请在 Excel 中取消密码后另存为 .xlsx 再上传",
    )


def _check_zip(file: InputFile) -> str:
    """xlsx or ods; refuse a broken zip, a zip bomb (from the directory alone), macros, other zips."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(file.data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise _corrupt(file) from None
    _check_bomb(file, infos)
    names = {info.filename.lower(): info.filename for info in infos}
    if "xl/workbook.xml" in names:
        content_types = _read_member(archive, names.get("[content_types].xml"), 256 * 1024)
        if "xl/vbaproject.bin" in names or b"macroEnabled" in content_types:
            raise ReadError(
                "macro_enabled",
                f"文件“{file.name}”是启用宏的工作簿（.xlsm），出于安全原因不予接收，请另存为 .xlsx（不含宏）后上传",
            )
        return XLSX
    if "xl/workbook.bin" in names:
        raise ReadError("unknown_format", f"文件“{file.name}”是 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx 后上传")
    if "mimetype" in names:
        if _read_member(archive, names["mimetype"], 200).strip().startswith(_ODS_MIMETYPE):
            return ODS
    if "word/document.xml" in names:
        raise _unknown(file, "看起来是 Word 文档")
    if any(name.startswith("ppt/") for name in names):
        raise _unknown(file, "看起来是 PowerPoint 演示文稿")
    raise _unknown(file, "看起来是一个压缩包")


def _check_bomb(file: InputFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse from the zip directory alone: total uncompressed size and each member's ratio."""
    total = sum(info.file_size for info in infos)
    limit_mb = config.MAX_UNCOMPRESSED_MB.value
    if total > limit_mb * MB:
        raise ReadError(
            "zip_bomb",
            f"文件“{file.name}”解压后达 {total / MB:.0f} MB，超过上限 {limit_mb} MB，疑似压缩炸弹，不予处理",
        )
    ratio_limit = config.MAX_COMPRESSION_RATIO.value
    for info in infos:
        # Small members cannot hurt whatever their ratio; a member packed to nothing can.
        if info.file_size <= MB:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > ratio_limit:
            raise ReadError(
                "zip_bomb",
                f"文件“{file.name}”中的“{info.filename}”压缩比异常（{ratio:.0f}:1，上限 {ratio_limit}:1），"
                "疑似压缩炸弹，不予处理",
            )


def _check_ole(file: InputFile) -> str:
    """xls; refuse an encrypted OOXML package, an xls with macros, other OLE documents."""
    names = {name.lower() for name in _ole_entry_names(file)}
    if "encryptioninfo" in names or "encryptedpackage" in names:
        raise _encrypted(file)
    if "workbook" in names or "book" in names:
        if "_vba_project_cur" in names:
            raise ReadError(
                "macro_enabled",
                f"文件“{file.name}”是含宏的工作簿，出于安全原因不予接收，请另存为 .xlsx（不含宏）后上传",
            )
        return XLS
    if "worddocument" in names:
        raise _unknown(file, "看起来是 Word 文档")
    if "powerpoint document" in names:
        raise _unknown(file, "看起来是 PowerPoint 演示文稿")
    if not names:
        raise _corrupt(file)
    raise _unknown(file, "是一个 OLE 复合文档，但不是 Excel 工作簿")


_END = 0xFFFFFFFA  # sector numbers from here up mark chain ends and free sectors


def _ole_entry_names(file: InputFile) -> set[str]:
    """The names of the storages and streams in an OLE2 compound file's directory."""
    data = file.data
    if len(data) < 512:
        raise _corrupt(file)
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise _corrupt(file)
    size = 1 << shift
    per_sector = size // 4

    def sector(number: int) -> int | None:
        offset = (number + 1) * size
        return offset if offset + size <= len(data) else None

    fat_count, first_dir = struct.unpack_from("<II", data, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", data, 0x44)
    difat = list(struct.unpack_from("<109I", data, 0x4C))
    number, seen = first_difat, set()
    while number < _END and number not in seen and len(seen) < difat_count:
        seen.add(number)
        offset = sector(number)
        if offset is None:
            break
        entries = struct.unpack_from(f"<{per_sector}I", data, offset)
        difat.extend(entries[:-1])
        number = entries[-1]
    fat: list[int] = []
    for number in [s for s in difat if s < _END][:fat_count]:
        offset = sector(number)
        if offset is not None:
            fat.extend(struct.unpack_from(f"<{per_sector}I", data, offset))
    names: set[str] = set()
    number, seen = first_dir, set()
    while number < _END and number not in seen:
        seen.add(number)
        offset = sector(number)
        if offset is None:
            break
        for entry in range(offset, offset + size, 128):
            length = struct.unpack_from("<H", data, entry + 0x40)[0]
            if data[entry + 0x42] in (1, 2, 5) and 2 <= length <= 64:
                names.add(data[entry:entry + length - 2].decode("utf-16-le", "replace"))
        number = fat[number] if number < len(fat) else _END
    return names


# --- workbooks -------------------------------------------------------------------


def _read_workbook(file: InputFile, kind: str, wanted: Callable[[str], bool]) -> ReadResult:
    import fastexcel  # here: a CSV is read without loading it

    reader = fastexcel.read_excel(file.data)
    limit = config.MAX_ROWS_PER_SHEET.value
    formats = Formats(file.data, kind)
    result = ReadResult([])
    for name in reader.sheet_names:
        if not wanted(name):
            continue
        declared = formats.declared_rows(name)
        if declared is not None and declared > limit:
            result.problems.append(("too_many_rows", _too_many(name, declared, limit), name))
            continue
        sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
        if sheet.total_height > limit:
            result.problems.append(("too_many_rows", _too_many(name, sheet.total_height, limit), name))
            continue
        positions = [column.absolute_index for column in sheet.available_columns()]
        result.sheets.append(
            RawSheet(
                file=file.name,
                name=name,
                format=kind,
                columns=[],
                positions=positions,
                rows=sheet.height,
                table=sheet,
                _percent=(lambda wanted_columns, name=name: formats.percent_rows(name, wanted_columns)),
                _literal=(lambda wanted_columns, name=name: formats.literal_rows(name, wanted_columns)),
            )
        )
    return result


def _too_many(name: str, rows: int, limit: int) -> str:
    return f"工作表「{name.strip()}」有 {rows} 行，超过每个工作表 {limit} 行的上限，请删除多余的行后重新上传"


# --- CSV -------------------------------------------------------------------------


def _read_csv(file: InputFile) -> RawSheet:
    text = _decode(file)
    limit = config.MAX_ROWS_PER_SHEET.value
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines > limit:
        raise ReadError("too_many_rows", f"文件“{file.name}”有 {lines} 行，超过每个工作表 {limit} 行的上限，请删除多余的行后重新上传")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        log.warning("%s is no valid CSV: %s", file.name, exc)
        raise ReadError("read_failed", f"文件“{file.name}”不是有效的 CSV 文件，{_UPLOAD_HINT}") from None
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return RawSheet(file=file.name, name=file.name, format=CSV, columns=[], positions=list(range(width)),
                    rows=len(rows), table=_struct(list(zip(*rows)) if rows else [], len(rows)))


def _struct(columns: Sequence[Sequence[str]], rows: int):
    """Columns of text as one nanoarrow struct array (a record batch), as the sandbox sends it."""
    import nanoarrow as na

    children = [na.c_array(list(column), na.string()) for column in columns]
    schema = na.struct({str(j): na.string() for j in range(len(columns))})
    return na.c_array_from_buffers(schema, rows, [None], children=children)


def _decode(file: InputFile) -> str:
    """CSV text: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (GBK is a subset)."""
    data = file.data
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8", data[3:])]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data)]
    elif b"\x00" in data[:8192]:
        raise _unknown(file, "看起来是二进制文件")
    else:
        candidates = [("utf-8", data), ("gb18030", data)]
    for encoding, raw in candidates:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unknown(file, "既不是工作簿，也不是 UTF-8 或 GB18030 编码的文本")
    head = text[:4096]
    controls = sum(1 for c in head if c < " " and c not in "\t\r\n")
    if controls > len(head) // 100:
        raise _unknown(file, "看起来是二进制文件")
    if head.lstrip().startswith("<"):
        raise _unknown(file, "看起来是网页或 XML 文件，请在 Excel 中另存为 .xlsx")
    if not text.strip():
        raise ReadError("empty_file", f"文件“{file.name}”是空文件")
    return text


def _delimiter(text: str) -> str:
    """Comma, unless the first lines clearly use tabs or semicolons instead."""
    head = "\n".join(text.splitlines()[:12])
    counts = {d: head.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","
