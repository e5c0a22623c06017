"""Read, normalise and validate an upload into typed tables and issues.

`read_workbook(files, plan)` is the one entry point. It never raises for bad
input: every problem becomes an Issue (error or warning) located as the official
sees the workbook — sheet, row number, column, the cell as typed — with the whole
Chinese sentence (workbook-spec). Errors block the upload; warnings do not.

Everything is derived from yzlogi.schema. Columns are handled whole with Arrow:
each distinct text of a column is parsed once (cells.py) and mapped back, so a
100 000-row sheet costs about as much as its distinct values. Issues are counted
in full but built only for the rows that will be listed (config.MAX_ISSUES_LISTED).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce

import pyarrow as pa
import pyarrow.compute as pc

from yzlogi import ambiguous, cells, config, reader, sandbox
from yzlogi.cells import MISSING, ColumnReader, read_column, scalar, strings, typed
from yzlogi.config import size_refusal
from yzlogi.model import ERROR, WARNING, InputFile, Issue, ParsedWorkbook, SheetSource
from yzlogi.plan import Plan
from yzlogi.schema import (
    INDICATORS, MAX_TITLE_ROWS, NO, NOTE_PREFIXES, ROUTES, SHIPS, TASKS, WORKBOOK, YES,
    Column, Sheet, header_key, sheet_by_name,
)
from yzlogi.text import fold

ARROW_TYPES = {
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "VARCHAR": pa.string(),
    "BOOLEAN": pa.bool_(),
}
# Kinds whose cells may be numbers formatted as percent (0.105 shown as 10.5%).
PERCENT_KINDS = ("percent", "indicator_value", "number")
_NOTE_PATTERN = "^(" + "|".join(NOTE_PREFIXES) + ")"
UNFILLED_ROWS_LISTED = 10  # row numbers named in the unfilled-template-rows warning
_PLAIN_NUMBER = r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"  # how the reader writes a number cell
_SEP = "\x1f"  # joins the parts of a composite key; never typed in a cell
# The registers that count toward an indicator: (sheet key, date column, indicator no).
_REGISTERS = (("warehouses", "opened", 7), ("forwarders", "registered", 8))

log = logging.getLogger(__name__)


def _positions(count: int) -> pa.Array:
    """0 … count − 1 (uint64), as Arrow numbers its rows."""
    return pc.indices_nonzero(pc.is_null(pa.nulls(count)))


_NULL_TEXT = cells.NULL_TEXT
_FALSE = cells.FALSE
_SEP_SCALAR = scalar(_SEP, pa.string())


def read_workbook(files: Sequence[InputFile], plan: Plan) -> ParsedWorkbook:
    """Read, normalise and validate an upload (one workbook or one CSV per sheet)."""
    parsed = ParsedWorkbook(files=tuple(files))
    issues = _Issues()
    try:
        _read(parsed, issues, plan)
    except Exception:  # a bug of ours must still not take the page down; its words go to the log
        log.exception("reading an upload failed")
        issues.add(ERROR, "read_failed", "读取上传内容时出错，请联系管理员查看服务器日志")
    issues.finish(parsed)
    return parsed


def _read(parsed: ParsedWorkbook, issues: _Issues, plan: Plan) -> None:
    files = parsed.files
    if not files:
        issues.add(ERROR, "empty_upload", "没有上传任何文件")
        return
    refusal = size_refusal(sum(f.size for f in files))
    if refusal is not None:
        issues.add(ERROR, "file_too_large", refusal)
        return

    found: dict[str, tuple[reader.RawSheet, _Header | None]] = {}
    refused: set[str] = set()  # sheets refused whole (too many rows): not also "missing"
    file_refused = False  # a refused file explains the sheets it would have held
    any_csv = False
    # Each file is parsed in a sandbox process of its own (yzlogi.sandbox): a refusal, never a crash.
    for file, result in zip(files, sandbox.read_files(files)):
        if isinstance(result, reader.ReadError):
            issues.add(ERROR, result.code, result.message)
            file_refused = True
            continue
        for code, message, name in result.problems:
            sheet = sheet_by_name(name)
            if sheet is not None:
                refused.add(sheet.key)
            issues.add(ERROR, code, message, sheet=sheet.name if sheet else None, order=_order(sheet))
        for raw in result.sheets:
            if raw.format == reader.CSV:
                any_csv = True
                match = _match_csv(raw)
                if match is None:
                    issues.add(
                        ERROR, "csv_unmatched",
                        f"文件“{raw.file}”的表头与任何工作表都对不上：前{MAX_TITLE_ROWS + 1}行中没有一行包含某个工作表的全部必填列"
                        f"（{_required_listing()}）",
                    )
                    continue
                sheet, header = match
            else:
                sheet, header = sheet_by_name(raw.name), None
            if sheet.key in found:
                first = found[sheet.key][0]
                issues.add(
                    ERROR, "duplicate_sheet",
                    f"工作表「{sheet.name}」出现了不止一次（{_where(first)}、{_where(raw)}），请只保留一个",
                    sheet=sheet.name, order=_order(sheet),
                )
                continue
            found[sheet.key] = (raw, header)

    checks: dict[str, _SheetCheck] = {}
    for sheet in WORKBOOK:
        if sheet.key not in found:
            if sheet.required and sheet.key not in refused and not file_refused:
                hint = "（上传 CSV 时，每个工作表一个文件）" if any_csv else ""
                issues.add(ERROR, "missing_sheet", f"缺少必需的工作表「{sheet.name}」{hint}",
                           sheet=sheet.name, order=_order(sheet))
            continue
        raw, header = found[sheet.key]
        try:
            check = _SheetCheck(raw, sheet, plan, issues, header)
            check.run()
        except Exception:
            log.exception("checking sheet %s of %s failed", sheet.key, raw.file)
            issues.add(ERROR, "read_failed",
                       f"检查文件“{raw.file}”的工作表「{sheet.name}」时出错，请联系管理员查看服务器日志",
                       sheet=sheet.name, order=_order(sheet))
            continue
        checks[sheet.key] = check
        parsed.tables[sheet.key] = check.table
        parsed.sources[sheet.key] = SheetSource(
            sheet=sheet.name, file=raw.file, found_as=raw.name,
            header_row=check.header_row, rows=check.table.num_rows,
        )
    _check_registers(checks, plan, issues)
    _check_empty(checks, issues)


def _check_empty(checks: dict[str, _SheetCheck], issues: _Issues) -> None:
    """An upload is a whole version: say so when a required sheet brings no rows,
    and refuse an upload that brings none at all (an untouched template)."""
    data_rows = {key: len(check.rows) for key, check in checks.items() if hasattr(check, "rows")}
    required = [s for s in WORKBOOK if s.required and s.key in data_rows]
    if not required or len(required) < len(data_rows.keys() & {s.key for s in WORKBOOK if s.required}):
        return
    if sum(data_rows.values()) == 0:
        issues.add(ERROR, "no_data", "上传的工作簿中没有任何填报数据（各工作表只有表头或模板预填的内容），未导入")
        return
    for sheet in required:
        if data_rows[sheet.key] == 0:
            issues.add(
                WARNING, "empty_sheet",
                f"工作表「{sheet.name}」没有数据行：每次上传都是完整的一版，导入后这一版将没有{sheet.name}数据"
                "（请在同一工作簿中保留以前各月的数据）",
                sheet=sheet.name, order=_order(sheet),
            )


def _where(raw: reader.RawSheet) -> str:
    return raw.file if raw.format == reader.CSV else f"{raw.file} 中的“{raw.name}”"


def _order(sheet: Sheet | None) -> int:
    return WORKBOOK.index(sheet) if sheet is not None else -1


def _required_listing() -> str:
    return "；".join(f"{s.name}：{'、'.join(c.header for c in s.required_columns)}" for s in WORKBOOK)


# --- issues ------------------------------------------------------------------------


@dataclass
class _Single:
    key: tuple
    issue: Issue


@dataclass
class _Cells:
    """Issues of many rows of one column, kept as arrays until listed."""

    level: str
    sheet: Sheet
    column: str | None
    column_order: int
    rows: list[int]
    codes: list[str]
    values: list[str | None]
    reasons: list[str]
    count: int


class _Issues:
    """Every issue counted; only the first rows' issues ever become Issue objects."""

    def __init__(self) -> None:
        self.singles: list[_Single] = []
        self.batches: list[_Cells] = []
        self.limit = config.MAX_ISSUES_LISTED.value

    def add(self, level: str, code: str, message: str, *, sheet: str | None = None, row: int | None = None,
            column: str | None = None, value: str | None = None, order: int = -1, column_order: int = -1) -> None:
        issue = Issue(level=level, message=message, sheet=sheet, row=row, column=column, value=value, code=code)
        self.singles.append(_Single((level != ERROR, order, row or 0, column_order, len(self.singles)), issue))

    def add_cells(self, level: str, sheet: Sheet, column: Column | None, rows: pa.Array, codes: pa.Array | str,
                  values: pa.Array | None, reasons: pa.Array | str, count: int | None = None) -> None:
        """Issues at `rows` (ascending): one code/reason per row or one for all."""
        n = len(rows)
        if n == 0:
            return
        head = min(n, self.limit)

        def listed(items):
            if items is None:
                return [None] * head
            if isinstance(items, str):
                return [items] * head
            return items.slice(0, head).to_pylist()

        self.batches.append(_Cells(
            level=level, sheet=sheet, column=column.header if column else None,
            column_order=sheet.columns.index(column) if column else -1,
            rows=listed(rows), codes=listed(codes), values=listed(values), reasons=listed(reasons),
            count=n if count is None else count,
        ))

    def finish(self, parsed: ParsedWorkbook) -> None:
        """Count everything; list the first `limit` (errors first, then by sheet, row, column)."""
        candidates = list(self.singles)
        errors = sum(1 for s in self.singles if s.issue.level == ERROR)
        warnings = len(self.singles) - errors
        for batch in self.batches:
            if batch.level == ERROR:
                errors += batch.count
            else:
                warnings += batch.count
            order = WORKBOOK.index(batch.sheet)
            for row, code, value, reason in zip(batch.rows, batch.codes, batch.values, batch.reasons):
                shown = cells.display(value) if value is not None else None
                where = f"{batch.sheet.name} 第{row}行" + (f"「{batch.column}」" if batch.column else "")
                issue = Issue(level=batch.level, message=f"{where}：{reason}", sheet=batch.sheet.name, row=row,
                              column=batch.column, value=shown, code=code)
                candidates.append(_Single((batch.level != ERROR, order, row, batch.column_order, 0), issue))
        candidates.sort(key=lambda s: s.key)
        listed = [c.issue for c in candidates[: self.limit]]
        more_errors = errors - sum(1 for i in listed if i.level == ERROR)
        more_warnings = warnings - (len(listed) - sum(1 for i in listed if i.level == ERROR))
        if more_errors or more_warnings:
            parts = [f"{n} 个{label}" for n, label in ((more_errors, "错误"), (more_warnings, "提醒")) if n]
            listed.append(Issue(
                level=ERROR if more_errors else WARNING, code="more_issues",
                message=f"另有 {'、'.join(parts)}未逐条列出（共 {errors} 个错误、{warnings} 个提醒），请先修改以上问题后重新上传",
            ))
        parsed.issues = listed
        parsed.error_count = errors
        parsed.warning_count = warnings


# --- finding the header -----------------------------------------------------------


@dataclass
class _Header:
    index: int  # 0-based row of the header
    columns: dict[str, int]  # column key → array index
    unknown: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str, Column]] = field(default_factory=list)

    def complete(self, sheet: Sheet) -> bool:
        return all(c.key in self.columns for c in sheet.required_columns)


def _head(raw: reader.RawSheet) -> list[list[str | None]]:
    """The first rows that may hold the header, as lists of cell texts."""
    count = min(raw.rows, MAX_TITLE_ROWS + 1)
    columns = [column.slice(0, count).to_pylist() for column in raw.columns]
    return [[column[i] for column in columns] for i in range(count)]


_HEADER_INDEX: dict[str, dict[str, Column]] = {}


def _match_header(sheet: Sheet, text: str) -> Column | None:
    """Sheet.match_header, with the sheet's folded headers computed once."""
    index = _HEADER_INDEX.get(sheet.key)
    if index is None:
        index = {}
        for column in sheet.columns:
            for name in column.headers:
                index.setdefault(header_key(name), column)
        _HEADER_INDEX[sheet.key] = index
    key = header_key(text)
    return index.get(key) if key else None


def _find_header(head: list[list[str | None]], sheet: Sheet) -> _Header | None:
    """The first row holding all required column names; else the row naming most of them."""
    best: _Header | None = None
    for index, cells_ in enumerate(head):
        header = _Header(index, {})
        for j, text in enumerate(cells_):
            if text is None or not text.strip():
                continue
            column = _match_header(sheet, text)
            if column is None:
                header.unknown.append((j, text.strip()))
            elif column.key not in header.columns:
                header.columns[column.key] = j
            else:
                # Two cells name one column (序号 and 任务编号): the exact header wins.
                kept = header.columns[column.key]
                if header_key(text) == header_key(column.header) and header_key(cells_[kept]) != header_key(column.header):
                    header.columns[column.key], j, text = j, kept, cells_[kept]
                header.duplicates.append((j, text.strip(), column))
        if header.complete(sheet):
            return header
        required = sum(1 for c in sheet.required_columns if c.key in header.columns)
        if required and (best is None or required > sum(1 for c in sheet.required_columns if c.key in best.columns)):
            best = header
    return best


def _match_csv(raw: reader.RawSheet) -> tuple[Sheet, _Header] | None:
    """The sheet whose required columns all appear in a CSV's header; most columns matched wins."""
    head = _head(raw)
    best = None
    for sheet in WORKBOOK:
        header = _find_header(head, sheet)
        if header is not None and header.complete(sheet):
            if best is None or len(header.columns) > len(best[1].columns):
                best = (sheet, header)
    return best


# --- one sheet -----------------------------------------------------------------------


def _any(mask: pa.Array) -> bool:
    return len(mask) > 0 and bool(pc.any(mask).as_py())


def _joined(*parts: pa.Array) -> pa.Array:
    """A composite key per row (null when any part is null)."""
    strings = [p if pa.types.is_string(p.type) else pc.cast(p, pa.string()) for p in parts]
    return strings[0] if len(strings) == 1 else pc.binary_join_element_wise(*strings, _SEP_SCALAR)


class _SheetCheck:
    """One sheet: header, data rows, each column read, then the sheet's rules."""

    def __init__(self, raw: reader.RawSheet, sheet: Sheet, plan: Plan, issues: _Issues, header: _Header | None):
        self.raw, self.sheet, self.plan, self.issues = raw, sheet, plan, issues
        self.header = header
        self.header_row = 0
        self.text: dict[str, pa.Array] = {}
        self.values: dict[str, pa.Array] = {}
        self.table = _empty_table(sheet)

    # -- issue helpers

    def _error(self, code: str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.issues.add(ERROR, code, message, sheet=self.sheet.name, row=row, column=column,
                        order=_order(self.sheet))

    def _cell_issues(self, column: Column, mask: pa.Array, codes, reasons, level: str = ERROR) -> None:
        """Issues for the rows in `mask` (ignored rows excepted); errors mark their rows bad."""
        mask = pc.and_(mask, pc.invert(self.dropped))
        if not _any(mask):
            return
        positions = pc.indices_nonzero(mask)
        text = self.text.get(column.key)
        self.issues.add_cells(
            level, self.sheet, column, self.rows.take(positions),
            codes if isinstance(codes, str) else codes.take(positions),
            text.take(positions) if text is not None else None,
            reasons if isinstance(reasons, str) else reasons.take(positions),
        )
        if level == ERROR:
            self.bad = pc.or_(self.bad, mask)

    # -- the steps

    def run(self) -> None:
        sheet = self.sheet
        header = self.header = self.header or _find_header(_head(self.raw), sheet)
        if header is None:
            self._error("no_header",
                        f"工作表「{sheet.name}」前{MAX_TITLE_ROWS + 1}行中找不到表头，表头行应包含"
                        f" {'、'.join(c.header for c in sheet.required_columns)}")
            return
        self.header_row = header.index + 1
        for j, text in header.unknown:
            self.issues.add(WARNING, "unknown_column", f"{sheet.name} 第{self.header_row}行：列「{text}」不是本表的列，已忽略",
                            sheet=sheet.name, row=self.header_row, column=text, order=_order(sheet))
        for j, text, column in header.duplicates:
            self.issues.add(WARNING, "duplicate_column",
                            f"{sheet.name} 第{self.header_row}行：列「{text}」与「{column.header}」重复，已忽略",
                            sheet=sheet.name, row=self.header_row, column=text, order=_order(sheet))
        missing = [c for c in sheet.required_columns if c.key not in header.columns]
        for column in missing:
            self._error("missing_column", f"{sheet.name} 第{self.header_row}行：缺少必填列「{column.header}」",
                        row=self.header_row, column=column.header)
        if missing:
            return
        self._rows(header)
        for column in sheet.columns:
            if column.key in self.text:  # optional columns the sheet lacks stay null
                self._read_column(column)
        self._sheet_rules()
        ambiguous.question(self)  # percent or fraction, mixed scales, implausible values
        self._unique()
        self._build_table()

    def _rows(self, header: _Header) -> None:
        """Keep the data rows: below the header, neither blank nor a note (注、说明、填表人 …)."""
        start = header.index + 1
        raw = self.raw
        n = max(raw.rows - start, 0)
        # Known columns are trimmed; the others only take part in spotting note rows.
        cleaned = [column.slice(start) for column in raw.columns]
        for j in header.columns.values():
            cleaned[j] = cells.clean(cleaned[j])
        known = [cleaned[j] for j in header.columns.values()]
        blank = reduce(pc.and_, [pc.is_null(c) for c in known]) if known else pc.is_null(pa.nulls(n))
        first = pc.coalesce(*cleaned) if len(cleaned) > 1 else cleaned[0]
        note = pc.match_substring_regex(pc.utf8_ltrim_whitespace(first), _NOTE_PATTERN)
        kept = pc.invert(pc.or_(blank, pc.fill_null(note, _FALSE)))
        unfilled = self._unfilled(header, cleaned, kept)
        if unfilled is not None:
            kept = pc.and_(kept, pc.invert(unfilled))
        everything = kept.true_count == n  # the usual sheet: no blank or note row to take out
        positions = _positions(n) if everything else pc.indices_nonzero(kept)
        positions = pc.cast(positions, pa.int64())
        self.rows = pc.cast(pc.add(positions, scalar(start + 1, pa.int64())), pa.int32())
        self.bad = pc.is_valid(pa.nulls(len(positions)))
        self.dropped = self.bad
        for key, j in header.columns.items():
            self.text[key] = cleaned[j] if everything else cleaned[j].take(positions)
        # Numbers in %-formatted cells carry the marker cells.py reads as percentage points.
        if raw.format != reader.CSV:
            # Only a column holding plain numbers can hold numbers formatted as percent.
            percent = [header.columns[c.key] for c in self.sheet.columns
                       if c.kind in PERCENT_KINDS and c.key in header.columns
                       and _any(pc.match_substring_regex(self.text[c.key], _PLAIN_NUMBER))]
            found = raw.percent_cells(percent)
            absolute = pc.add(positions, scalar(start, pa.int64()))
            for key, j in header.columns.items():
                if found.get(j):
                    marked = pc.is_in(absolute, value_set=typed(found[j], pa.int64()))
                    text = self.text[key]
                    self.text[key] = pc.if_else(marked, pc.utf8_replace_slice(text, 0, 0, cells.PERCENT_CELL), text)

    def _unfilled(self, header: _Header, cleaned: list[pa.Array], kept: pa.Array) -> pa.Array | None:
        """Template rows left as the template gave them (only the prefilled columns hold
        anything): the unit did not report. Skipped, with one warning listing them."""
        sheet = self.sheet
        others = [cleaned[j] for key, j in header.columns.items() if key not in sheet.prefilled]
        if not sheet.prefilled or not others:
            return None
        unfilled = pc.and_(kept, reduce(pc.and_, [pc.is_null(c) for c in others]))
        count = unfilled.true_count
        if count == 0:
            return None
        start = header.index + 1
        rows = [int(i) + start + 1 for i in pc.indices_nonzero(unfilled).to_pylist()[:UNFILLED_ROWS_LISTED]]
        listed = "、".join(str(r) for r in rows) + ("等" if count > len(rows) else "")
        filled = "、".join(f"「{sheet.column(k).header}」" for k in sheet.prefilled if k in header.columns)
        self.issues.add(
            WARNING, "unfilled_rows",
            f"{sheet.name}：第{listed}行共{count}行只有模板预填的{filled}，视为未填报，已跳过",
            sheet=sheet.name, row=rows[0], order=_order(sheet),
        )
        return unfilled

    def _read_column(self, column: Column) -> None:
        text = self.text[column.key]
        if column.kind == "text":
            self.values[column.key] = cells.display_array(text)  # kept as typed; a date shown as a date
        elif column.kind == "indicator_value":
            self._read_keyed(column, self.values["indicator_no"], self._indicator_parsers())
        elif column.kind == "number" and column.key == "value":
            self._read_keyed(column, self.values["goal"], self._goal_parsers(column))
        else:
            reader_ = column_reader(column, self.plan)
            if column.kind in ("month", "date_month"):  # a date that arrived as its Excel serial
                text = ambiguous.serial_dates(self, column, text, reader_.parse)
            read = read_column(text, reader_)
            self.values[column.key] = read.values
            if read.codes is not None:
                self._cell_issues(column, pc.is_valid(read.codes), read.codes, read.reasons)
            if read.is_new is not None:
                self.values["is_new"] = read.is_new
                self._new_routes()
        if column.required and text.null_count:
            self._cell_issues(column, pc.is_null(text), "missing_value", MISSING)
        if column.kind == "indicator_no":
            self._ignore_computed_indicators()

    def _read_keyed(self, column: Column, context: pa.Array, parsers: dict) -> None:
        """A value read by its row's indicator or goal (percent, count, 亿元 …)."""
        text = self.text[column.key]
        keys = _joined(context, text)

        def parse(key: str):
            owner, value = key.split(_SEP, 1)
            return parsers[owner](value)

        read = read_column(keys, ColumnReader(parse, pa.float64()))
        self.values[column.key] = read.values
        if read.codes is not None:
            self._cell_issues(column, pc.is_valid(read.codes), read.codes, read.reasons)

    def _indicator_parsers(self) -> dict[str, Callable[[str], float]]:
        parsers = {}
        for indicator in self.plan.indicators:
            if indicator.is_percent:
                parsers[str(indicator.no)] = lambda t: cells.parse_percent(t)
            else:
                parsers[str(indicator.no)] = lambda t, unit=indicator.unit: float(cells.parse_count(t, (unit,)))
        return parsers

    def _goal_parsers(self, column: Column) -> dict[str, Callable[[str], float]]:
        return {goal.key: (lambda t, unit=goal.unit: cells.parse_number(t, unit, column.units)) for goal in self.plan.goals}

    def _new_routes(self) -> None:
        """One warning per line that is not in the plan, at its first row; the rows are kept."""
        new = pc.fill_null(self.values["is_new"], _FALSE)
        if not _any(new):
            return
        first: dict[str, int] = {}
        counts: dict[str, int] = {}
        for position in pc.indices_nonzero(new).to_pylist():
            name = self.values["route"][position].as_py()
            first.setdefault(name, position)
            counts[name] = counts.get(name, 0) + 1
        known = "/".join(r.name for r in self.plan.routes)
        positions = typed(sorted(first.values()), pa.int64())
        reasons = [
            f"“{name}”不是计划中的线路（{known}），按新增线路计入（共 {counts[name]} 行）"
            for name in (self.values["route"][p].as_py() for p in positions.to_pylist())
        ]
        self.issues.add_cells(WARNING, self.sheet, ROUTES.column("route"), self.rows.take(positions), "new_route",
                              self.text["route"].take(positions), strings(reasons))

    def _ignore_computed_indicators(self) -> None:
        """Indicator 6 is computed from 通道班次: its rows are a warning and set aside."""
        computed = [i.no for i in self.plan.indicators if i.kind == "composite"]
        if not computed:
            return
        mask = pc.fill_null(pc.is_in(self.values["indicator_no"], value_set=typed(computed, pa.int32())), _FALSE)
        if not _any(mask):
            return
        column = INDICATORS.column("indicator_no")
        names = {i.no: i.name for i in self.plan.indicators}
        reason_of = {no: f"指标{no}（{names[no]}）由「{ROUTES.name}」的班次计算，无需填写，此行已忽略" for no in computed}
        reasons = strings([reason_of.get(v) for v in self.values["indicator_no"].filter(mask).to_pylist()])
        positions = pc.indices_nonzero(mask)
        self.issues.add_cells(WARNING, self.sheet, column, self.rows.take(positions), "computed_indicator",
                              self.text[column.key].take(positions), reasons)
        self.dropped = pc.or_(self.dropped, mask)

    # -- rules across columns

    def _sheet_rules(self) -> None:
        if self.sheet is INDICATORS:
            self._indicator_names()
        elif self.sheet is TASKS:
            self._task_units()
        elif self.sheet is SHIPS:
            self._completion_dates()

    def _indicator_names(self) -> None:
        """指标名称, when given, should be the plan's name for that number: a warning."""
        if "indicator_name" not in self.text:
            return
        names = {str(i.no): i.name for i in self.plan.indicators}

        def differs(key: str) -> str | None:
            no, name = key.split(_SEP, 1)
            plan_name = names.get(no)
            if plan_name is None or fold(name) == fold(plan_name):
                return None
            return f"“{cells.display(name)}”与附件1中指标{no}的名称“{plan_name}”不一致，已按指标编号{no}读取"

        reasons = _per_distinct(_joined(self.values["indicator_no"], self.text["indicator_name"]), differs)
        self._cell_issues(INDICATORS.column("indicator_name"), pc.is_valid(reasons), "indicator_name_differs",
                          reasons, level=WARNING)

    def _task_units(self) -> None:
        """A task's 填报单位 must be one of its lead or responsible units (附件2)."""
        tasks = {str(t.no): t for t in self.plan.tasks}

        def outsider(key: str) -> str | None:
            no, department = key.split(_SEP, 1)
            task = tasks.get(no)
            if task is None or department in task.units:
                return None
            lead = "、".join(task.lead) or "无"
            responsible = "、".join(task.responsible) or "无"
            return (f"“{department}”不是任务{no}的牵头单位或责任单位"
                    f"（任务{no}“{task.name}”：牵头单位 {lead}；责任单位 {responsible}）")

        reasons = _per_distinct(_joined(self.values["task_no"], self.values["department"]), outsider)
        self._cell_issues(TASKS.column("department"), pc.is_valid(reasons), "not_task_unit", reasons)

    def _completion_dates(self) -> None:
        """A ship whose 状态 is 已完成 needs its 完成日期."""
        column = SHIPS.column("completed")
        done = pc.fill_null(pc.equal(self.values["status"], scalar("已完成", pa.string())), _FALSE)
        text = self.text.get("completed")
        mask = done if text is None else pc.and_(done, pc.is_null(text))
        self._cell_issues(column, mask, "missing_value", f"{column.required_when}时必须填写{column.header}")

    def _unique(self) -> None:
        """Two rows with the same key (Sheet.unique): an error at the later row naming the first."""
        keys = self.sheet.unique
        if not keys or len(self.rows) == 0:
            return
        usable = pc.invert(pc.or_(self.bad, self.dropped))
        joined = pc.if_else(usable, _joined(*(self.values[k] for k in keys)), _NULL_TEXT)
        encoded = pc.dictionary_encode(joined)
        if len(encoded.dictionary) == len(joined) - joined.null_count:
            return  # as many distinct keys as rows: no duplicate, no need to look closer
        first: dict[int, int] = {}
        later, earlier = [], []
        for position, key in enumerate(encoded.indices.to_pylist()):
            if key is None:
                continue
            seen = first.setdefault(key, position)
            if seen != position:
                later.append(position)
                earlier.append(seen)
        if not later:
            return
        columns = [self.sheet.column(k) for k in keys]
        head = min(len(later), self.issues.limit)
        rows = self.rows.to_pylist()
        reasons = []
        for position, seen in zip(later[:head], earlier[:head]):
            described = "、".join(f"{c.header} {self._shown(c.key, position)}" for c in columns)
            reasons.append(f"与第{rows[seen]}行重复：{described} 只能填一行")
        positions = typed(later[:head], pa.int64())
        self.issues.add_cells(ERROR, self.sheet, columns[0], self.rows.take(positions), "duplicate_row",
                              self.text[columns[0].key].take(positions), strings(reasons),
                              count=len(later))
        duplicate = pc.is_in(pc.cast(_positions(len(self.rows)), pa.int64()), value_set=typed(later, pa.int64()))
        self.bad = pc.or_(self.bad, duplicate)

    def _shown(self, key: str, position: int) -> str:
        value = self.values[key][position].as_py()
        if isinstance(value, float):
            return cells.format_number(value)
        return str(value)

    def _build_table(self) -> None:
        keep = pc.invert(pc.or_(self.bad, self.dropped))
        arrays, names = [], []
        for key, sql_type in self.sheet.stored_columns():
            typ = ARROW_TYPES[sql_type]
            if key == "row":
                array = self.rows
            elif key in self.values:
                array = self.values[key]
            else:  # an optional column the sheet does not have
                array = pa.nulls(len(self.rows), typ)
            if array.type != typ:
                array = pc.cast(array, typ)
            arrays.append(array.filter(keep))
            names.append(key)
        self.table = pa.Table.from_arrays(arrays, names=names)


def _per_distinct(keys: pa.Array, rule: Callable[[str], str | None]) -> pa.Array:
    """A rule's reason (or null) for each row, the rule run once per distinct key."""
    encoded = pc.dictionary_encode(keys)
    reasons = [rule(k) for k in encoded.dictionary.to_pylist()]
    return strings(reasons).take(encoded.indices)


def _empty_table(sheet: Sheet) -> pa.Table:
    columns = sheet.stored_columns()
    return pa.Table.from_arrays([pa.nulls(0, ARROW_TYPES[t]) for _, t in columns], names=[k for k, _ in columns])


def _names(entries) -> dict[str, object]:
    """Folded name → value, from (value, names) pairs, as the plan builds its own indexes."""
    index: dict[str, object] = {}
    for value, names in entries:
        for name in names:
            index.setdefault(fold(name), value)
    return index


# Readers built once per plan and column: their name indexes and Arrow arrays are reused.
_READERS: dict[tuple[int, int], tuple[Plan, Column, ColumnReader]] = {}


def column_reader(column: Column, plan: Plan) -> ColumnReader:
    """How the cells of a column of this kind are read (cells.py), the plan's names included."""
    key = (id(plan), id(column))
    cached = _READERS.get(key)
    if cached is None or cached[0] is not plan or cached[1] is not column:
        if len(_READERS) > 512:  # many plans loaded (tests): start afresh rather than grow
            _READERS.clear()
        cached = _READERS[key] = (plan, column, _column_reader(column, plan))
    return cached[2]


def _column_reader(column: Column, plan: Plan) -> ColumnReader:
    kind = column.kind
    typ = ARROW_TYPES[column.sql_type]
    if kind in ("month", "date_month"):
        return ColumnReader(lambda t: str(cells.parse_month(t, column.first, column.last)), typ,
                            grammar=cells.MONTH_GRAMMAR, months=True)
    if kind == "count":
        return ColumnReader(lambda t: cells.parse_count(t, column.units), typ, grammar=cells.NUMBER_GRAMMAR)
    if kind == "percent":
        return ColumnReader(lambda t: cells.parse_percent(t, column.minimum, column.maximum), typ,
                            grammar=cells.NUMBER_GRAMMAR)
    if kind == "number":
        return ColumnReader(lambda t: cells.parse_number(t, "", column.units), typ)
    if kind == "indicator_no":
        low, high = min(i.no for i in plan.indicators), max(i.no for i in plan.indicators)
        return ColumnReader(lambda t: cells.parse_whole(t, low, high, "bad_indicator_no", "附件1的指标编号"), typ,
                            grammar=cells.NUMBER_GRAMMAR)
    if kind == "task_no":
        low, high = min(t.no for t in plan.tasks), max(t.no for t in plan.tasks)
        return ColumnReader(lambda t: cells.parse_whole(t, low, high, "bad_task_no", "附件2的任务编号"), typ,
                            grammar=cells.NUMBER_GRAMMAR)
    if kind == "department":
        names = [d.name for d in plan.departments]
        return ColumnReader(
            lambda t: cells.parse_name(t, plan.resolve_department, names, "unknown_department", "计划中的部门："), typ,
            names=_names((d.name, (d.name, d.short, *d.aliases)) for d in plan.departments))
    if kind == "goal":
        names = [g.name for g in plan.goals]
        return ColumnReader(
            lambda t: cells.parse_name(t, plan.resolve_goal, names, "unknown_goal", "计划中的其他目标："), typ,
            names=_names((g.key, (g.name, *g.aliases)) for g in plan.goals))
    if kind == "fleet_category":
        names = [f.category for f in plan.fleet]
        return ColumnReader(
            lambda t: cells.parse_name(t, plan.resolve_fleet_category, names, "bad_category"), typ,
            names=_names((f.category, (f.category, *f.synonyms)) for f in plan.fleet))
    if kind == "route":
        return ColumnReader(lambda t: cells.parse_route(t, plan.resolve_route)[0], typ, keep_unknown=True,
                            names=_names((r.name, (r.name, *r.synonyms)) for r in plan.routes))
    if kind == "choice":
        return ColumnReader(
            lambda t: cells.parse_name(t, column.resolve_choice, column.choice_values(), "bad_choice"), typ,
            names=_names((c.value, (c.value, *c.synonyms)) for c in column.choices))
    if kind == "yesno":
        return ColumnReader(lambda t: cells.parse_yesno(t, YES, NO), typ, names=_names(((True, YES), (False, NO))))
    if kind == "text":
        return ColumnReader(cells.parse_text, typ)
    raise ValueError(f"no reader for kind {kind}")


# --- across sheets ---------------------------------------------------------------------


def _check_registers(checks: dict[str, _SheetCheck], plan: Plan, issues: _Issues) -> None:
    """A register's count for a month (rows dated up to it) should equal indicator 7/8 that month."""
    indicators = checks.get("indicators")
    if indicators is None or indicators.table.num_rows == 0:
        return
    table = indicators.table.to_pydict()
    for key, date_key, no in _REGISTERS:
        register = checks.get(key)
        if register is None or register.table.num_rows == 0:
            continue  # absent, or the template's empty sheet: nothing to compare
        dates = sorted(d for d in register.table.column(date_key).to_pylist() if d is not None)
        indicator = plan.indicator(no)
        positions, reasons = [], []
        for position, (ind_no, month, value) in enumerate(zip(table["indicator_no"], table["month"], table["value"])):
            if ind_no != no or value is None:
                continue
            count = bisect.bisect_right(dates, month)
            if count != value:
                positions.append(position)
                reasons.append(
                    f"「{register.sheet.name}」中截至 {month} 共 {count} {indicator.unit}，"
                    f"与此处填报的 {cells.format_number(value)} {indicator.unit}不一致"
                )
        if positions:
            rows = indicators.table.column("row").take(typed(positions, pa.int64()))
            issues.add_cells(WARNING, INDICATORS, INDICATORS.column("value"), rows.combine_chunks(), "register_mismatch",
                             strings([cells.format_number(table["value"][p]) for p in positions]),
                             strings(reasons))
