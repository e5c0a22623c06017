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
does not expose number formats, so numbers in %-formatted cells are found apart,
only for the columns that can hold a percent and only when the workbook has such
a format at all: xlsx from styles.xml and a regex over the sheet XML, ods from
office:value-type="percentage", xls with xlrd (formatting_info) — the one reader
that knows BIFF formats; it is imported only for an .xls that uses a % format.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import logging
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
from defusedxml import ElementTree

from yzlogi import config
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
    """One sheet (or CSV) as text: `columns[j][i]` is the cell of row i + 1, column positions[j]."""

    file: str
    name: str  # the sheet name in the workbook, or the CSV file name
    format: str
    columns: list[pa.Array]
    positions: list[int]  # spreadsheet column of each array, 0 = A
    rows: int
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
        every = range(len(self.columns))
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


def _read_member(archive: zipfile.ZipFile, name: str | None, limit: int) -> bytes:
    if name is None:
        return b""
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        return b""


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
    formats = _Formats(file, kind)
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
        batch = sheet.to_arrow()
        positions = [column.absolute_index for column in sheet.available_columns()]
        result.sheets.append(
            RawSheet(
                file=file.name,
                name=name,
                format=kind,
                columns=list(batch.columns),
                positions=positions,
                rows=batch.num_rows,
                _percent=(lambda wanted_columns, name=name: formats.percent_rows(name, wanted_columns)),
                _literal=(lambda wanted_columns, name=name: formats.literal_rows(name, wanted_columns)),
            )
        )
    return result


def _too_many(name: str, rows: int, limit: int) -> str:
    return f"工作表「{name.strip()}」有 {rows} 行，超过每个工作表 {limit} 行的上限，请删除多余的行后重新上传"


class _Formats:
    """What fastexcel does not tell: declared sheet sizes and %-formatted numeric cells."""

    def __init__(self, file: InputFile, kind: str):
        self.file = file
        self.kind = kind
        self._archive: zipfile.ZipFile | None = None
        self._sheet_paths: dict[str, str] | None = None
        self._percent_styles: set[int] | None = None

    @property
    def archive(self) -> zipfile.ZipFile:
        if self._archive is None:
            self._archive = zipfile.ZipFile(io.BytesIO(self.file.data))
        return self._archive

    def declared_rows(self, name: str) -> int | None:
        """The last row of an xlsx sheet's <dimension>, read from the head of its XML."""
        if self.kind != XLSX:
            return None
        path = self.sheet_paths().get(name)
        head = _read_member(self.archive, path, 4096)
        match = re.search(rb'<dimension ref="[A-Za-z]+\d+:[A-Za-z]+(\d+)"', head)
        if not match:
            return None
        rows = int(match.group(1))
        # A range stretched by formatting alone (no row written) is not believed: a real
        # row takes more than 10 bytes of XML, so such a sheet is counted after loading.
        return rows if self.archive.getinfo(path).file_size >= rows * 10 else None

    def sheet_paths(self) -> dict[str, str]:
        """xlsx sheet name → its XML member, through workbook.xml and its relationships."""
        if self._sheet_paths is None:
            self._sheet_paths = {}
            names = {n.lower(): n for n in self.archive.namelist()}
            workbook = ElementTree.fromstring(self.archive.read(names["xl/workbook.xml"]))
            rels_name = names.get("xl/_rels/workbook.xml.rels")
            targets = {}
            if rels_name:
                for rel in ElementTree.fromstring(self.archive.read(rels_name)):
                    target = rel.get("Target", "")
                    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                    targets[rel.get("Id")] = names.get(path.lower())
            for element in workbook.iter():
                if element.tag.endswith("}sheet"):
                    rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
                    if targets.get(rid):
                        self._sheet_paths[element.get("name")] = targets[rid]
        return self._sheet_paths

    def percent_rows(self, name: str, columns: dict[int, int]) -> dict[int, list[int]]:
        """{array index: 0-based rows} of numbers in %-formatted cells (0.105 shown 10.5%) of the given columns."""
        scaled, _shown = self._percent_cells(name)
        return {j: scaled.get(position, []) for position, j in columns.items()}

    def literal_rows(self, name: str, columns: dict[int, int]) -> dict[int, list[int]]:
        """{array index: 0-based rows} of numbers whose format shows a % it does not scale by
        (10.5 shown 10.5% through 0.0"%"): percentage points the official saw as such."""
        _scaled, shown = self._percent_cells(name)
        return {j: shown.get(position, []) for position, j in columns.items()}

    def _percent_cells(self, name: str) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        """Every column's (scaled, shown-only) percent number cells of a sheet, found in one pass."""
        cache = self.__dict__.setdefault("_cells", {})
        if name not in cache:
            if self.kind == XLSX:
                cache[name] = self._xlsx_percent(name)
            elif self.kind == ODS:
                cache[name] = self._ods_percent(name)
            elif self.kind == XLS:
                cache[name] = self._xls_percent(name)
            else:
                cache[name] = ({}, {})
        return cache[name]

    # xlsx: styles.xml says which cell styles (s="…") show a % (scaling it or not).
    def _xlsx_styles(self) -> tuple[set[int], set[int]]:
        if self._percent_styles is None:
            names = {n.lower(): n for n in self.archive.namelist()}
            styles = names.get("xl/styles.xml")
            self._percent_styles = (set(), set())
            if styles:
                # Regexes rather than an XML parse: this runs on every upload and styles.xml
                # can be large; only two attributes of two element kinds matter.
                xml = self.archive.read(styles)
                scaling, literal = {9, 10}, set()  # Excel's built-in 0% and 0.00%
                for attributes in _NUM_FMT.findall(xml):
                    number = _NUM_FMT_ID.search(attributes)
                    code = _FORMAT_CODE.search(attributes)
                    if number and code:
                        kind = _percent_kind(html.unescape(code.group(1).decode("utf-8", "replace")))
                        if kind:
                            (scaling if kind == "scaled" else literal).add(int(number.group(1)))
                cell_xfs = _CELL_XFS.search(xml)
                xfs = []
                for attributes in _XF.findall(cell_xfs.group(1) if cell_xfs else b""):
                    number = _NUM_FMT_ID.search(attributes)
                    xfs.append(int(number.group(1)) if number else 0)
                self._percent_styles = ({i for i, fmt in enumerate(xfs) if fmt in scaling},
                                        {i for i, fmt in enumerate(xfs) if fmt in literal})
        return self._percent_styles

    def _xlsx_percent(self, name: str) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        scaling, literal = self._xlsx_styles()
        path = self.sheet_paths().get(name)
        if not (scaling or literal) or not path:
            return {}, {}
        xml = self.archive.read(path)
        ids = b"|".join(b"%d" % s for s in sorted(scaling | literal))
        # One C-level findall for every column. Writers put r first (Excel, WPS, LibreOffice,
        # openpyxl); a text, boolean or error cell keeps its value whatever its format.
        pattern = re.compile(
            rb'<c r="([A-Z]{1,3})(\d+)"(?=[^>]*?\bs="(' + ids + rb')")'
            rb'(?![^>]*?\bt="(?:s|str|inlineStr|b|e)")'
        )
        scaled: dict[int, list[int]] = {}
        shown: dict[int, list[int]] = {}
        positions: dict[bytes, int] = {}
        for letters, row, style in pattern.findall(xml):
            position = positions.get(letters)
            if position is None:
                position = positions[letters] = _column_position(letters.decode())
            target = scaled if int(style) in scaling else shown
            target.setdefault(position, []).append(int(row) - 1)
        return scaled, shown

    # ods: a percent cell says office:value-type="percentage"; a number shown with a % its
    # format does not scale by is a float whose text (<text:p>, as the office shows it) ends in %.
    def _ods_percent(self, name: str) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        content = self.archive.read("content.xml")
        if b'office:value-type="percentage"' not in content and b"%</text:p>" not in content:
            return {}, {}
        table_ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
        office_ns = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
        text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
        table, row_tag, paragraph = table_ns + "table", table_ns + "table-row", text_ns + "p"
        cells = (table_ns + "table-cell", table_ns + "covered-table-cell")
        scaled: dict[int, list[int]] = {}
        shown: dict[int, list[int]] = {}
        depth, inside, row, repeat, column = 0, False, 0, 1, 0
        for event, element in ElementTree.iterparse(io.BytesIO(content), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == table:
                    depth += 1
                    if depth == 1:
                        inside, row = element.get(table_ns + "name") == name, 0
                elif inside and depth == 1 and tag == row_tag:
                    repeat, column = min(int(element.get(table_ns + "number-rows-repeated", "1")), 1_000_000), 0
                continue
            if tag == table:
                depth -= 1
                if depth == 0 and inside:
                    break
            elif inside and depth == 1 and tag in cells:
                span = int(element.get(table_ns + "number-columns-repeated", "1"))
                kind = element.get(office_ns + "value-type")
                target = None
                if kind == "percentage":
                    target = scaled
                elif kind == "float":
                    text = "".join(p.text or "" for p in element.iter(paragraph)).strip()
                    if text.endswith("%"):
                        target = shown
                if target is not None:
                    for position in range(column, column + min(span, 1024)):
                        target.setdefault(position, []).extend(range(row, row + repeat))
                column += span
            elif tag == row_tag and inside and depth == 1:
                row += repeat
                element.clear()
        return scaled, shown

    # xls: xlrd reads BIFF formats; only opened when a format shows a %.
    def _xls_percent(self, name: str) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        import xlrd  # only here: an .xls is rare and xlrd costs a full parse

        book = xlrd.open_workbook(
            file_contents=self.file.data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
        kinds = {key: _percent_kind(fmt.format_str or "") for key, fmt in book.format_map.items()}
        xf_kinds = {i: kinds.get(xf.format_key) for i, xf in enumerate(book.xf_list) if kinds.get(xf.format_key)}
        if not xf_kinds:
            return {}, {}
        sheet = book.sheet_by_name(name)
        scaled: dict[int, list[int]] = {}
        shown: dict[int, list[int]] = {}
        for row in range(sheet.nrows):
            for position in range(sheet.row_len(row)):
                if sheet.cell_type(row, position) != xlrd.XL_CELL_NUMBER:
                    continue
                kind = xf_kinds.get(sheet.cell_xf_index(row, position))
                if kind:
                    (scaled if kind == "scaled" else shown).setdefault(position, []).append(row)
        return scaled, shown


_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_NUM_FMT_ID = re.compile(rb'\bnumFmtId="(\d+)"')
_FORMAT_CODE = re.compile(rb'\bformatCode="([^"]*)"')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def _percent_kind(code: str) -> str | None:
    """'scaled' when a number format scales by 100 (a % outside quotes, escapes and [brackets]),
    'shown' when it only shows a % sign (0.0"%"), else None."""
    if "%" in _FORMAT_LITERALS.sub("", code):
        return "scaled"
    return "shown" if "%" in code else None


def _column_position(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    position = 0
    for letter in letters:
        position = position * 26 + ord(letter) - 64
    return position - 1


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
    columns = [_strings(column) for column in zip(*rows)] if rows else []
    return RawSheet(file=file.name, name=file.name, format=CSV, columns=columns,
                    positions=list(range(width)), rows=len(rows))


def _strings(values: Sequence[str]) -> pa.Array:
    """cells.strings, without loading pyarrow.compute into the reading process."""
    builder = pa.lib.StringBuilder()
    builder.append_values(list(values))
    return builder.finish()


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
