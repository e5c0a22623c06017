"""What fastexcel does not tell about a workbook: declared sheet sizes and percent cells.

fastexcel reads cells as text but exposes no number formats. A number in a cell
whose format shows a % is found here, in one pass per sheet and only when the
workbook has such a format at all, in two kinds: formats that scale (0.0%: 0.105
shown 10.5%, read as 10.5) and formats that only show the sign (0.0"%": 10.5 shown
10.5%). xlsx: styles.xml, then a regex over the sheet XML; ods: a cell's
office:value-type="percentage", or a float whose text (as the office shows it)
ends in %; xls: xlrd (formatting_info), the one reader that knows BIFF formats,
imported only for an .xls. Like yzlogi.reader, this runs only in the sandbox.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile

from defusedxml import ElementTree

XLSX, XLS, ODS = "xlsx", "xls", "ods"


def read_member(archive: zipfile.ZipFile, name: str | None, limit: int) -> bytes:
    """Up to `limit` bytes of a zip member; b"" when it is missing or does not read."""
    if name is None:
        return b""
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        return b""


class Formats:
    """What fastexcel does not tell: declared sheet sizes and %-formatted numeric cells."""

    def __init__(self, data: bytes, kind: str):
        self.data = data
        self.kind = kind
        self._archive: zipfile.ZipFile | None = None
        self._sheet_paths: dict[str, str] | None = None
        self._percent_styles: set[int] | None = None

    @property
    def archive(self) -> zipfile.ZipFile:
        if self._archive is None:
            self._archive = zipfile.ZipFile(io.BytesIO(self.data))
        return self._archive

    def declared_rows(self, name: str) -> int | None:
        """The last row of an xlsx sheet's <dimension>, read from the head of its XML."""
        if self.kind != XLSX:
            return None
        path = self.sheet_paths().get(name)
        head = read_member(self.archive, path, 4096)
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
            file_contents=self.data, formatting_info=True, on_demand=True, logfile=io.StringIO()
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
