"""Reading cells the way officials type them (workbook-spec «Cell values»).

Every parser takes a cell's text as the reader hands it over (trimmed, never
empty) and returns the typed value, or raises CellError carrying a code and the
Chinese reason: the part of an issue's message after 「列」：. These scalar
parsers are the reference. read_column applies one to a whole Arrow column:
each distinct text is read once, names are looked up with Arrow kernels, and
texts that cannot be numbers or months are refused in bulk with the parser's
own reason, so 100 000 rows of garbage never run 100 000 Python calls.

A number from a cell formatted as percent arrives marked with PERCENT_CELL in
front of the stored fraction ("\\x000.105"): the reader knows the format, the
parser knows what it means (10.5 percentage points).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal, InvalidOperation

import pyarrow as pa
import pyarrow.compute as pc

from yzlogi.months import Month
from yzlogi.text import fold

# Prefix the reader puts on a number stored in a %-formatted cell; it cannot occur
# in spreadsheet text (XML forbids NUL) and CSV carries no formats.
PERCENT_CELL = "\x00"

MISSING = "必填，不能为空"


class CellError(ValueError):
    """A cell that cannot be read: a machine code and the Chinese reason."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --- showing a cell as typed ---------------------------------------------------

_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(?::00)?$")


def display(text: str) -> str:
    """The cell as the official sees it: 0.105 in a %-cell is 10.5%, a date drops 00:00:00."""
    if text.startswith(PERCENT_CELL):
        number = text[len(PERCENT_CELL):]
        try:
            return format_number(Decimal(number) * 100) + "%"
        except InvalidOperation:
            return number
    match = _MIDNIGHT.match(text)
    return match.group(1) if match else text


def format_number(value: Decimal | float | int) -> str:
    """A number without exponent or trailing zeros: 10.5, 3000, 0.0001."""
    text = format(value if isinstance(value, Decimal) else Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _quoted(text: str) -> str:
    return f"“{display(text)}”"


# --- months --------------------------------------------------------------------

_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_YM = re.compile(r"^(\d{4})([-/.])(\d{1,2})$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_YYYYMM = re.compile(r"^(\d{4})(\d{2})$")
_YYYYMMDD = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_CN_MONTH = re.compile(r"^(\d{4})年(?:(\d{1,2})[-~至到])?(\d{1,2})月份?$")
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")

MONTH_EXAMPLES = "如 2026-06、2026年6月、2026年1-6月"


def parse_month(text: str, first: Month | None = None, last: Month | None = None) -> Month:
    """A month written any accepted way (2026-06, 2026/6, 202606, 2026年1—6月, a date)."""
    month = _month(text)
    if (first is not None and month < first) or (last is not None and month > last):
        raise CellError(
            "month_out_of_range",
            f"{_quoted(text)}超出范围，应在 {first or '…'} 至 {last or '…'} 之间",
        )
    return month


def _month(text: str) -> Month:
    folded = fold(_TIME.sub("", unicodedata.normalize("NFKC", text).strip()))
    year = month = day = None
    if match := _YM.match(folded):
        year, separator, month = int(match.group(1)), match.group(2), match.group(3)
        if separator == "." and month == "1":
            # Excel turns a typed 2026.10 into the number 2026.1: January or October?
            raise CellError("ambiguous_month", f"{_quoted(text)}无法确定是1月还是10月，请写作 2026-01 或 2026-10")
        month = int(month)
    elif match := _YMD.match(folded):
        year, month, day = (int(g) for g in match.groups())
    elif match := _YYYYMM.match(folded):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := _YYYYMMDD.match(folded):
        year, month, day = (int(g) for g in match.groups())
    elif match := _CN_MONTH.match(folded):
        year, start, month = int(match.group(1)), match.group(2), int(match.group(3))
        if start is not None and int(start) != 1:
            # 4-6月 is a quarter, not the year-to-date figure the workbook asks for.
            raise CellError("bad_month", f"{_quoted(text)}不是年初至某月的累计期，应为单月或 2026年1-6月 这样的写法")
    elif match := _CN_DATE.match(folded):
        year, month, day = (int(g) for g in match.groups())
    if year is None or not 1 <= month <= 12 or year < 1900:
        raise CellError("bad_month", f"无法识别{_quoted(text)}，应为月份，{MONTH_EXAMPLES}")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise CellError("bad_month", f"无法识别{_quoted(text)}，日期不存在")
    return Month(year, month)


# --- numbers -------------------------------------------------------------------

# After fold(): digits, optional thousands commas (3,000), decimals, exponent, then any unit.
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))((?:\.\d+)?(?:[eE][+-]?\d+)?)([^\d,.]*)$")


def _split_number(text: str) -> tuple[Decimal, str] | None:
    """(number, unit) of a cell such as 3,000班次 or １０．５％; None when it is no number."""
    match = _NUMBER.match(fold(text))
    if not match:
        return None
    sign, whole, rest, unit = match.groups()
    try:
        return Decimal(sign + whole.replace(",", "") + rest), unit
    except InvalidOperation:
        return None


def _percent_cell(text: str) -> Decimal | None:
    """The percentage points of a number from a %-formatted cell, else None."""
    if not text.startswith(PERCENT_CELL):
        return None
    try:
        return Decimal(text[len(PERCENT_CELL):]) * 100
    except InvalidOperation:
        return None


def parse_count(text: str, units: Sequence[str] = ()) -> int:
    """A non-negative integer: 3000, 3,000, 3 000, ３０００, or with a unit of the column (3000班次)."""
    if text.isascii() and text.isdigit():
        return int(text)  # the usual cell, without the general path
    parsed = _split_number(display(text))
    expected = "非负整数" + (f"（可带单位 {'/'.join(units)}）" if units else "")
    if parsed is None:
        raise CellError("bad_count", f"无法识别{_quoted(text)}，应为{expected}")
    value, unit = parsed
    if unit and unit not in {fold(u) for u in units}:
        allowed = "/".join(units) if units else "不带单位的数字"
        raise CellError("bad_unit", f"{_quoted(text)}的单位“{unit}”与本列不符，应为 {allowed}")
    if value != value.to_integral_value():
        raise CellError("bad_count", f"{_quoted(text)}不是整数，应为{expected}")
    if value < 0:
        raise CellError("bad_count", f"{_quoted(text)}是负数，应为{expected}")
    _check_size(text, value)
    return int(value)


def parse_percent(text: str, minimum: float | None = None, maximum: float | None = None) -> float:
    """Percentage points: 10.5, 10.5%, １０．５％, or 0.105 in a %-formatted cell → 10.5."""
    value = _percent_cell(text)
    if value is None:
        parsed = _split_number(text)
        if parsed is None or parsed[1] not in ("", "%"):
            raise CellError("bad_percent", f"无法识别{_quoted(text)}，应为百分数，如 10.5 或 10.5%")
        value = parsed[0]
    _check_size(text, value)
    _check_range(text, value, minimum, maximum)
    return float(value)


# Far beyond any figure of the plan; also keeps 1e999 from turning into infinity.
_LARGEST = Decimal(10) ** 12


def _check_size(text: str, value: Decimal) -> None:
    if abs(value) > _LARGEST:
        raise CellError("out_of_range", f"{_quoted(text)}数值过大，请检查")


def _check_range(text: str, value: Decimal, minimum: float | None, maximum: float | None) -> None:
    if (minimum is not None and value < Decimal(str(minimum))) or (
        maximum is not None and value > Decimal(str(maximum))
    ):
        low = format_number(minimum) if minimum is not None else "…"
        high = format_number(maximum) if maximum is not None else "…"
        raise CellError("out_of_range", f"{_quoted(text)}超出范围，应在 {low} 至 {high} 之间")


# Units convertible into a goal's unit: 万元 typed for a goal kept in 亿元.
_CONVERSIONS = {("万元", "亿元"): Decimal("0.0001")}


def parse_number(text: str, unit: str = "", units: Sequence[str] = ()) -> float:
    """A number in `unit` (a goal's 亿元, 家, %): 6.5, 6.5亿元, 6500万元 for 亿元, 10.5% for %."""
    if unit == "%" and (points := _percent_cell(text)) is not None:
        _check_size(text, points)
        return float(points)
    parsed = _split_number(display(text))
    if unit == "名" and parsed is None and fold(text).startswith("第"):
        parsed = _split_number(fold(text)[1:])  # 第1名 for a rank
    if parsed is None:
        raise CellError("bad_number", f"无法识别{_quoted(text)}，应为数值" + (f"（单位：{unit}）" if unit else ""))
    value, typed_unit = parsed
    if typed_unit and typed_unit != fold(unit):
        factor = _CONVERSIONS.get((typed_unit, unit))
        if factor is None or typed_unit not in {fold(u) for u in units}:
            raise CellError("bad_unit", f"{_quoted(text)}的单位“{typed_unit}”与该项不符，应为 {unit}")
        value *= factor
    _check_size(text, value)
    return float(value)


def parse_whole(text: str, lowest: int, highest: int, code: str, what: str) -> int:
    """A whole number within lowest..highest, such as an indicator or task number."""
    if text.isascii() and text.isdigit() and lowest <= int(text) <= highest:
        return int(text)  # the usual cell, without the general path
    parsed = _split_number(text)
    if parsed is None or parsed[1] or parsed[0] != parsed[0].to_integral_value() or not (
        lowest <= parsed[0] <= highest
    ):
        raise CellError(code, f"无法识别{_quoted(text)}，应为{what} {lowest}—{highest}")
    return int(parsed[0])


# --- names and choices ---------------------------------------------------------


def parse_name(text: str, resolve: Callable[[str], str | None], allowed: Sequence[str], code: str,
               what: str = "", suggest: Callable[[str], str | None] | None = None) -> str:
    """A name looked up by `resolve` (a choice, department, category, goal); when it is unknown, the
    name `suggest` finds close to it ("您是否要找：区商务委？"), else the list of what is allowed."""
    value = resolve(text)
    if value is None:
        guess = suggest(text) if suggest is not None else None
        if guess is not None:
            raise CellError(code, f"无法识别{_quoted(text)}，您是否要找：{guess}？")
        raise CellError(code, f"无法识别{_quoted(text)}，应为 {what}{'/'.join(allowed)}")
    return value


def parse_yesno(text: str, yes: Sequence[str], no: Sequence[str]) -> bool:
    """是/否 and the other forms listed in the schema (Y/N, √/×, 1/0, TRUE/FALSE)."""
    key = fold(text)
    if key in {fold(v) for v in yes}:
        return True
    if key in {fold(v) for v in no}:
        return False
    raise CellError("bad_yesno", f"无法识别{_quoted(text)}，应为 是/否")


def parse_route(text: str, resolve: Callable[[str], str | None]) -> tuple[str, bool]:
    """(route name, is new): a plan route by name or synonym, or any other name as a new line."""
    name = resolve(text)
    return (name, False) if name is not None else (text, True)


def parse_text(text: str) -> str:
    """Free text, kept as typed (the reader has trimmed it)."""
    return display(text)


# --- Python values into Arrow ------------------------------------------------------
# Only through these: pa.array and pa.scalar probe for pandas on first use, and
# importing pandas costs half a second that reading a workbook does not need.


def strings(values: Sequence[str | None]) -> pa.Array:
    """Python strings (None for null) as an Arrow string array, through Arrow's StringBuilder."""
    builder = pa.lib.StringBuilder()
    builder.append_values(list(values))
    return builder.finish()


def typed(values: Sequence, typ: pa.DataType) -> pa.Array:
    """Python values (None for null) as an Arrow array of `typ`, built from their text."""
    if typ == pa.string():
        return strings(values)
    if typ == pa.bool_():
        texts = [None if v is None else ("true" if v else "false") for v in values]
    elif pa.types.is_floating(typ):
        texts = [None if v is None else repr(float(v)) for v in values]
    else:
        texts = [None if v is None else str(int(v)) for v in values]
    return pc.cast(strings(texts), typ)


def scalar(value, typ: pa.DataType) -> pa.Scalar:
    return typed([value], typ)[0]


NULL_TEXT = pa.nulls(1, pa.string())[0]
FALSE = scalar(False, pa.bool_())
_EMPTY = scalar("", pa.string())


# --- whole columns -------------------------------------------------------------------

# fold() as Arrow kernels (RE2): NFKC, the dashes of text.py, every whitespace Python's
# str.isspace() knows (RE2's \s is ASCII only, hence the classes added).
_DASH_CLASS = "[—–－‐‑‒―⁃﹣]"
_SPACE_CLASS = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]+"
_FOLD_CLASS = r"[—–－‐‑‒―⁃﹣\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"  # either of the two above
_MIDNIGHT_RE2 = r"^(\d{4}-\d{2}-\d{2})[ T]00:00(?::00)?$"
_TIME_RE2 = r"[ T]\p{Nd}{1,2}:\p{Nd}{2}(?::\p{Nd}{2}(?:\.\p{Nd}+)?)?$"
# What _NUMBER and the month patterns above accept, as RE2 on folded text: a text
# outside these is refused by the parser with its "无法识别" reason, so it can be in bulk.
NUMBER_GRAMMAR = (r"^[+-]?((\p{Nd}{1,3}(,\p{Nd}{3})+|\p{Nd}+)(\.\p{Nd}+)?|\.\p{Nd}+)"
                  r"([eE][+-]?\p{Nd}+)?[^\p{Nd},.]*$")
MONTH_GRAMMAR = (r"^(\p{Nd}{4}[-/.]\p{Nd}{1,2}([-/.]\p{Nd}{1,2})?|\p{Nd}{6}|\p{Nd}{8}"
                 r"|\p{Nd}{4}年(\p{Nd}{1,2}[-~至到])?\p{Nd}{1,2}月份?|\p{Nd}{4}年\p{Nd}{1,2}月\p{Nd}{1,2}日)$")
_SENTINEL = "\x01"  # a text no parser accepts: its refusal gives the reason's wording


def fold_array(texts: pa.Array, normalized: bool = False) -> pa.Array:
    """text.fold() of every text of an Arrow array (each step skipped when it would change nothing)."""
    folded = texts
    if not normalized and not _every(pc.string_is_ascii(texts)):  # NFKC leaves ASCII as it is
        folded = pc.utf8_normalize(texts, "NFKC")
    if _some(pc.match_substring_regex(folded, _FOLD_CLASS)):
        folded = pc.replace_substring_regex(folded, _DASH_CLASS, "-")
        folded = pc.replace_substring_regex(folded, _SPACE_CLASS, "")
    return folded


def display_array(texts: pa.Array) -> pa.Array:
    """display() of every text but numbers in %-cells: a date at midnight loses its time."""
    if not _some(pc.match_substring(texts, "00:00")):
        return texts
    return pc.replace_substring_regex(texts, _MIDNIGHT_RE2, r"\1")


def _some(mask: pa.Array) -> bool:
    return bool(pc.any(mask).as_py())


def _every(mask: pa.Array) -> bool:
    return bool(pc.all(mask).as_py())


def clean(texts: pa.Array) -> pa.Array:
    """Cells as the parsers take them: trimmed, an empty cell as null."""
    trimmed = pc.utf8_trim_whitespace(texts)
    return pc.if_else(pc.equal(trimmed, _EMPTY), NULL_TEXT, trimmed)


@dataclass(frozen=True)
class ColumnReader:
    """How a column's cells are read: the scalar parser (the reference semantics) and
    what can be done for the whole column at once.

    names: every accepted folded form → its value, for a lookup read with Arrow alone;
    with keep_unknown an unknown name is kept as typed and marked new (routes).
    grammar: an RE2 pattern over folded text; a text outside it is refused in bulk.
    months: the grammar is checked after a trailing time of day is dropped."""

    parse: Callable[[str], object]
    typ: pa.DataType
    names: dict[str, object] | None = None
    keep_unknown: bool = False
    grammar: str | None = None
    months: bool = False

    @cached_property
    def name_arrays(self) -> tuple[pa.Array, pa.Array]:
        """The names' folded forms and values as Arrow arrays, built once."""
        return strings(list(self.names)), typed(list(self.names.values()), self.typ)

    @cached_property
    def refusal(self) -> tuple[pa.Scalar, pa.Scalar, pa.Scalar]:
        """The parser's code and the wording around the value of its "无法识别" reason."""
        try:
            self.parse(_SENTINEL)
        except CellError as exc:
            before, after = exc.reason.split(_SENTINEL, 1)
            return scalar(exc.code, pa.string()), scalar(before, pa.string()), scalar(after, pa.string())
        raise ValueError("the parser accepted the sentinel")  # pragma: no cover


@dataclass
class ColumnRead:
    """A column read: per row the value, and where a cell was refused its code and reason."""

    values: pa.Array
    codes: pa.Array | None = None  # None when every cell read
    reasons: pa.Array | None = None
    is_new: pa.Array | None = None  # keep_unknown: the names not in the plan


# Below this many distinct texts a Python loop beats a dozen Arrow kernel calls.
BULK_FROM = 200


def read_column(text: pa.Array, reader: ColumnReader, bulk_from: int = BULK_FROM) -> ColumnRead:
    """Read every cell of a column (null where empty), each distinct text once."""
    encoded = pc.dictionary_encode(text)
    dictionary = encoded.dictionary
    if len(dictionary) < bulk_from:
        read = _read_each(dictionary, reader)
    else:
        read = _read_in_bulk(dictionary, reader)
    indices = encoded.indices
    return ColumnRead(
        values=read.values.take(indices),
        codes=read.codes.take(indices) if read.codes is not None else None,
        reasons=read.reasons.take(indices) if read.reasons is not None else None,
        is_new=read.is_new.take(indices) if read.is_new is not None else None,
    )


def _read_each(texts: pa.Array, reader: ColumnReader, positions: Sequence[int] | None = None) -> ColumnRead:
    """The scalar parser on each text (or on those at `positions`; the others stay null)."""
    items = texts.to_pylist()
    count = len(items)
    if reader.keep_unknown:
        found = [reader.names.get(fold(item)) for item in items]
        return ColumnRead(typed([f if f is not None else item for f, item in zip(found, items)], reader.typ),
                          is_new=typed([f is None for f in found], pa.bool_()))
    values: list = [None] * count
    codes: list = [None] * count
    reasons: list = [None] * count
    failed = False
    parse = reader.parse
    for position in range(count) if positions is None else positions:
        try:
            values[position] = parse(items[position])
        except CellError as exc:
            failed = True
            codes[position], reasons[position] = exc.code, exc.reason
    read = ColumnRead(typed(values, reader.typ))
    if failed:
        read.codes, read.reasons = strings(codes), strings(reasons)
    return read


def _read_in_bulk(texts: pa.Array, reader: ColumnReader) -> ColumnRead:
    """Names looked up and impossible texts refused with Arrow kernels; the rest parsed one by one."""
    shown = display_array(texts)  # display() …
    marked = pc.starts_with(texts, PERCENT_CELL)
    if marked.true_count:  # … and for a number in a %-cell, display() itself
        shown = pc.replace_with_mask(shown, marked, strings([display(t) for t in texts.filter(marked).to_pylist()]))
    if reader.names is not None:
        keys, named = reader.name_arrays
        found = pc.index_in(fold_array(shown), value_set=keys)
        values = named.take(found)
        unknown = pc.is_null(found)
        if reader.keep_unknown:
            return ColumnRead(pc.coalesce(values, texts), is_new=unknown)
        if not unknown.true_count:
            return ColumnRead(values)
        return ColumnRead(values, *_refusals(reader, shown, unknown))
    if reader.grammar is None:
        return _read_each(texts, reader)
    if reader.months:
        prepared = pc.utf8_normalize(texts, "NFKC")
        if _some(pc.match_substring(prepared, ":")):
            prepared = pc.replace_substring_regex(prepared, _TIME_RE2, "")
        folded = fold_array(prepared, normalized=True)
    else:
        folded = fold_array(shown)
    fits = pc.match_substring_regex(folded, reader.grammar)
    refused = pc.invert(pc.or_(fits, marked))  # a %-cell is always left to the parser
    if not refused.true_count:
        return _read_each(texts, reader)
    read = _read_each(texts, reader, pc.indices_nonzero(pc.invert(refused)).to_pylist())
    codes, reasons = _refusals(reader, shown, refused)
    read.codes = codes if read.codes is None else pc.coalesce(read.codes, codes)
    read.reasons = reasons if read.reasons is None else pc.coalesce(read.reasons, reasons)
    return read


def _refusals(reader: ColumnReader, shown: pa.Array, mask: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The parser's code and "无法识别" reason for every text in `mask`, built at once."""
    code, before, after = reader.refusal
    reasons = pc.binary_join_element_wise(before, shown, after, _EMPTY)
    return pc.if_else(mask, code, NULL_TEXT), pc.if_else(mask, reasons, NULL_TEXT)
