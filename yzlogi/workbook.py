"""Read, normalise and validate an upload into typed tables and issues.

`read_workbook(files, plan)` is the one entry point. It never raises for bad
input: every problem becomes an Issue (error or warning) located as the official
sees the workbook — sheet, row number, column, the cell as typed — with the whole
Chinese sentence (workbook-spec). Errors block the upload; warnings do not.

Everything is derived from yzlogi.schema, for the plan's own sheets. Columns are
handled whole with Arrow: each distinct text of a column is parsed once (cells.py,
column_readers.py) and mapped back, so a 100 000-row sheet costs about as much as
its distinct values. Headers are found by headers.py; issues are counted in full
but built only for the rows that will be listed (issues.py).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Sequence
from functools import reduce

import pyarrow as pa
import pyarrow.compute as pc

from yzlogi import ambiguous, cells, feedback, reader, sandbox
from yzlogi.cells import MISSING, ColumnReader, read_column, scalar, strings, typed
from yzlogi.column_readers import ARROW_TYPES, column_reader
from yzlogi.config import size_refusal
from yzlogi.headers import Header, find_header, head, match_csv
from yzlogi.issues import Issues, sheet_order
from yzlogi.model import ERROR, WARNING, InputFile, ParsedWorkbook, SheetSource
from yzlogi.plan import Plan
from yzlogi.schema import MAX_TITLE_ROWS, NOTE_PREFIXES, ROUTES, WITHDRAW, Column, Sheet, for_plan, sheet_by_name
from yzlogi.text import fold

# Kinds whose cells may be numbers formatted as percent (0.105 shown as 10.5%).
PERCENT_KINDS = ("percent", "indicator_value", "number")
_NOTE_PATTERN = "^(" + "|".join(NOTE_PREFIXES) + ")"
UNFILLED_ROWS_LISTED = 10  # row numbers named in the unfilled-template-rows warning
_PLAIN_NUMBER = r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"  # how the reader writes a number cell
_SEP = "\x1f"  # joins the parts of a composite key; never typed in a cell
# The date column of each register sheet: a register counts its entries dated up to a month.
_REGISTER_DATES = {"warehouses": "opened", "forwarders": "registered"}

log = logging.getLogger(__name__)


def _positions(count: int) -> pa.Array:
    """0 … count − 1 (uint64), as Arrow numbers its rows."""
    return pc.indices_nonzero(pc.is_null(pa.nulls(count)))


_NULL_TEXT = cells.NULL_TEXT
_FALSE = cells.FALSE
_SEP_SCALAR = scalar(_SEP, pa.string())


def read_workbook(files: Sequence[InputFile], plan: Plan, replace: bool = False,
                  followups: feedback.Followups = None) -> ParsedWorkbook:
    """Read, normalise and validate an upload (one workbook or one CSV per sheet).

    An upload is a return merged into the record (yzlogi.merge): any sheets, any rows. With
    `replace` it is to replace the whole record, chosen on purpose: then every required sheet
    must be there, and a required sheet without rows is pointed out. `followups`, the items
    (or a function reading them), lets the answers of a 督办反馈 sheet be checked (yzlogi.feedback)."""
    parsed = ParsedWorkbook(files=tuple(files))
    issues = Issues()
    try:
        _read(parsed, issues, plan, replace, followups)
    except Exception:  # a bug of ours must still not take the page down; its words go to the log
        log.exception("reading an upload failed")
        issues.add(ERROR, "read_failed", "读取上传内容时出错，请联系管理员查看服务器日志")
    issues.finish(parsed)
    return parsed


def _read(parsed: ParsedWorkbook, issues: Issues, plan: Plan, replace: bool, followups: feedback.Followups) -> None:
    files = parsed.files
    if not files:
        issues.add(ERROR, "empty_upload", "没有上传任何文件")
        return
    refusal = size_refusal(sum(f.size for f in files))
    if refusal is not None:
        issues.add(ERROR, "file_too_large", refusal)
        return

    sheets = for_plan(plan)
    found: dict[str, tuple[reader.RawSheet, Header | None]] = {}
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
            sheet = sheet_by_name(name, plan)
            if sheet is not None:
                refused.add(sheet.key)
            issues.add(ERROR, code, message, sheet=sheet.name if sheet else None, order=sheet_order(sheet))
        for raw in result.sheets:
            if raw.format == reader.CSV:
                any_csv = True
                match = match_csv(raw, sheets)
                if match is None:
                    issues.add(
                        ERROR, "csv_unmatched",
                        f"文件“{raw.file}”的表头与任何工作表都对不上：前{MAX_TITLE_ROWS + 1}行中没有一行包含某个工作表的全部必填列"
                        f"（{_required_listing(sheets)}）",
                    )
                    continue
                sheet, header = match
            else:
                sheet, header = sheet_by_name(raw.name, plan), None
                if sheet is None:  # a sheet of a part this plan does not have (its reader reads every known name)
                    continue
            if sheet.key in found:
                first = found[sheet.key][0]
                issues.add(
                    ERROR, "duplicate_sheet",
                    f"工作表「{sheet.name}」出现了不止一次（{_where(first)}、{_where(raw)}），请只保留一个",
                    sheet=sheet.name, order=sheet_order(sheet),
                )
                continue
            found[sheet.key] = (raw, header)

    checks: dict[str, _SheetCheck] = {}
    for sheet in sheets:
        if sheet.key not in found:
            if replace and sheet.required and sheet.key not in refused and not file_refused:
                hint = "（上传 CSV 时，每个工作表一个文件）" if any_csv else ""
                issues.add(ERROR, "missing_sheet", f"全部替换时须包含每个必需的工作表：缺少「{sheet.name}」{hint}",
                           sheet=sheet.name, order=sheet_order(sheet))
            continue
        raw, header = found[sheet.key]
        try:
            check = _SheetCheck(raw, sheet, plan, issues, header)
            check.run()
        except Exception:
            log.exception("checking sheet %s of %s failed", sheet.key, raw.file)
            issues.add(ERROR, "read_failed",
                       f"检查文件“{raw.file}”的工作表「{sheet.name}」时出错，请联系管理员查看服务器日志",
                       sheet=sheet.name, order=sheet_order(sheet))
            continue
        checks[sheet.key] = check
        parsed.tables[sheet.key] = check.table
        parsed.sources[sheet.key] = SheetSource(
            sheet=sheet.name, file=raw.file, found_as=raw.name,
            header_row=check.header_row, rows=check.table.num_rows,
        )
    _check_registers(checks, plan, issues)
    feedback.check(checks.get("feedback"), followups)
    _check_empty(checks, issues, sheets, replace, file_refused or bool(refused))


def _check_empty(checks: dict[str, _SheetCheck], issues: Issues, sheets: tuple[Sheet, ...], replace: bool,
                 refused: bool) -> None:
    """Refuse an upload that brings no row at all (an untouched template); for a replace, say
    which required sheet brings none, as the replaced record will then have none."""
    data_rows = {key: len(check.rows) for key, check in checks.items() if hasattr(check, "rows")}
    if not data_rows or refused or len(data_rows) < len(checks):
        return  # a sheet or file refused already says what is wrong
    if sum(data_rows.values()) == 0:
        issues.add(ERROR, "no_data", "上传的工作簿中没有任何填报数据（各工作表只有表头或模板预填的内容），未导入")
        return
    if not replace:
        return
    for sheet in sheets:
        if sheet.required and data_rows.get(sheet.key) == 0:
            issues.add(
                WARNING, "empty_sheet",
                f"工作表「{sheet.name}」没有数据行：全部替换后，当前数据中的{sheet.name}将全部删除"
                "（只报送本月时请选择“合并”）",
                sheet=sheet.name, order=sheet_order(sheet),
            )


def _where(raw: reader.RawSheet) -> str:
    return raw.file if raw.format == reader.CSV else f"{raw.file} 中的“{raw.name}”"


def _required_listing(sheets: tuple[Sheet, ...]) -> str:
    return "；".join(f"{s.name}：{'、'.join(c.header for c in s.required_columns)}" for s in sheets)


# --- one sheet -----------------------------------------------------------------------


def _any(mask: pa.Array) -> bool:
    return len(mask) > 0 and bool(pc.any(mask).as_py())


def _joined(*parts: pa.Array) -> pa.Array:
    """A composite key per row (null when any part is null)."""
    strings = [p if pa.types.is_string(p.type) else pc.cast(p, pa.string()) for p in parts]
    return strings[0] if len(strings) == 1 else pc.binary_join_element_wise(*strings, _SEP_SCALAR)


class _SheetCheck:
    """One sheet: header, data rows, each column read, then the sheet's rules."""

    def __init__(self, raw: reader.RawSheet, sheet: Sheet, plan: Plan, issues: Issues, header: Header | None):
        self.raw, self.sheet, self.plan, self.issues = raw, sheet, plan, issues
        self.header = header
        self.header_row = 0
        self.text: dict[str, pa.Array] = {}
        self.values: dict[str, pa.Array] = {}
        self.table = _empty_table(sheet)

    # -- issue helpers

    def _error(self, code: str, message: str, row: int | None = None, column: str | None = None) -> None:
        self.issues.add(ERROR, code, message, sheet=self.sheet.name, row=row, column=column,
                        order=sheet_order(self.sheet))

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
        header = self.header = self.header or find_header(head(self.raw), sheet)
        if header is None:
            self._error("no_header",
                        f"工作表「{sheet.name}」前{MAX_TITLE_ROWS + 1}行中找不到表头，表头行应包含"
                        f" {'、'.join(c.header for c in sheet.required_columns)}")
            return
        self.header_row = header.index + 1
        for j, text in header.unknown:
            self.issues.add(WARNING, "unknown_column", f"{sheet.name} 第{self.header_row}行：列「{text}」不是本表的列，已忽略",
                            sheet=sheet.name, row=self.header_row, column=text, order=sheet_order(sheet))
        for j, text, column in header.duplicates:
            self.issues.add(WARNING, "duplicate_column",
                            f"{sheet.name} 第{self.header_row}行：列「{text}」与「{column.header}」重复，已忽略",
                            sheet=sheet.name, row=self.header_row, column=text, order=sheet_order(sheet))
        missing = [c for c in sheet.required_columns if c.key not in header.columns]
        for column in missing:
            self._error("missing_column", f"{sheet.name} 第{self.header_row}行：缺少必填列「{column.header}」",
                        row=self.header_row, column=column.header)
        if missing:
            return
        self._rows(header)
        self._withdrawals()
        for column in sheet.columns:
            if column.key in self.text and column.key != WITHDRAW:  # optional columns the sheet lacks stay null
                self._read_column(column)
        self._sheet_rules()
        ambiguous.question(self)  # percent or fraction, mixed scales, implausible values
        self._unique()
        self._build_table()

    def _rows(self, header: Header) -> None:
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

    def _unfilled(self, header: Header, cleaned: list[pa.Array], kept: pa.Array) -> pa.Array | None:
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
        # The prefilled columns these rows do hold (a blank template gives no month; a unit's return form does).
        filled = "、".join(f"「{sheet.column(k).header}」" for k in sheet.prefilled if k in header.columns
                          and _any(pc.and_(unfilled, pc.is_valid(cleaned[header.columns[k]]))))
        self.issues.add(
            WARNING, "unfilled_rows",
            f"{sheet.name}：第{listed}行共{count}行只有模板预填的{filled}，视为未填报，已跳过",
            sheet=sheet.name, row=rows[0], order=sheet_order(sheet),
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
            # A row marked 删除 needs only its key.
            self._cell_issues(column, pc.and_(pc.is_null(text), pc.invert(self.withdraw)), "missing_value", MISSING)
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
        self.issues.add_cells(WARNING, self.sheet, self.sheet.column("route"), self.rows.take(positions), "new_route",
                              self.text["route"].take(positions), strings(reasons))

    def _ignore_computed_indicators(self) -> None:
        """Indicator 6 is computed from 通道班次: its rows are a warning and set aside."""
        computed = [i.no for i in self.plan.indicators if i.kind == "composite"]
        if not computed:
            return
        mask = pc.fill_null(pc.is_in(self.values["indicator_no"], value_set=typed(computed, pa.int32())), _FALSE)
        if not _any(mask):
            return
        column = self.sheet.column("indicator_no")
        names = {i.no: i.name for i in self.plan.indicators}
        reason_of = {no: f"指标{no}（{names[no]}）由「{ROUTES.name}」的班次计算，无需填写，此行已忽略" for no in computed}
        reasons = strings([reason_of.get(v) for v in self.values["indicator_no"].filter(mask).to_pylist()])
        positions = pc.indices_nonzero(mask)
        self.issues.add_cells(WARNING, self.sheet, column, self.rows.take(positions), "computed_indicator",
                              self.text[column.key].take(positions), reasons)
        self.dropped = pc.or_(self.dropped, mask)

    # -- rules across columns

    def _sheet_rules(self) -> None:
        if self.sheet.key == "indicators":
            self._indicator_names()
        elif self.sheet.key == "tasks":
            self._task_units()
        elif self.sheet.key == "ships":
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
            return (f"“{cells.display(name)}”与{self.plan.indicator_list}中指标{no}的名称“{plan_name}”不一致，"
                    f"已按指标编号{no}读取")

        reasons = _per_distinct(_joined(self.values["indicator_no"], self.text["indicator_name"]), differs)
        self._cell_issues(self.sheet.column("indicator_name"), pc.is_valid(reasons), "indicator_name_differs",
                          reasons, level=WARNING)

    def _task_units(self) -> None:
        """A task's 填报单位 must be one of its lead or responsible units (the plan's task list)."""
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
        self._cell_issues(self.sheet.column("department"), pc.is_valid(reasons), "not_task_unit", reasons)

    def _completion_dates(self) -> None:
        """A ship whose 状态 is 已完成 needs its 完成日期."""
        column = self.sheet.column("completed")
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

    def _withdrawals(self) -> None:
        """Rows marked 删除 withdraw the record's row of the same key: only their key columns are
        read (yzlogi.merge removes the row); their other cells are set aside unread."""
        self.withdraw = pc.is_valid(pa.nulls(len(self.rows)))
        column = next((c for c in self.sheet.columns if c.key == WITHDRAW), None)
        if column is None or WITHDRAW not in self.text:
            return
        read = read_column(self.text[WITHDRAW], column_reader(column, self.plan))
        if read.codes is not None:
            self._cell_issues(column, pc.is_valid(read.codes), read.codes, read.reasons)
        self.withdraw = pc.fill_null(read.values, _FALSE)
        if not _any(self.withdraw):
            return
        for key in list(self.text):
            if key != WITHDRAW and key not in self.sheet.unique:
                self.text[key] = pc.if_else(self.withdraw, _NULL_TEXT, self.text[key])

    def _build_table(self) -> None:
        keep = pc.invert(pc.or_(self.bad, self.dropped))
        arrays, names = [], []
        for key, sql_type in self.sheet.read_columns():
            typ = ARROW_TYPES[sql_type]
            if key == "row":
                array = self.rows
            elif key == WITHDRAW:  # read, not stored: the merge withdraws these keys
                array = self.withdraw
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
    columns = sheet.read_columns()
    return pa.Table.from_arrays([pa.nulls(0, ARROW_TYPES[t]) for _, t in columns], names=[k for k, _ in columns])


# --- across sheets ---------------------------------------------------------------------


def _check_registers(checks: dict[str, _SheetCheck], plan: Plan, issues: Issues) -> None:
    """A register's count for a month (rows dated up to it) should equal its indicator's value that month."""
    indicators = checks.get("indicators")
    if indicators is None or indicators.table.num_rows == 0:
        return
    table = indicators.table.to_pydict()
    for indicator in plan.indicators:
        register = checks.get(indicator.register) if indicator.register else None
        if register is None or register.table.num_rows == 0:
            continue  # absent, or the template's empty sheet: nothing to compare
        no = indicator.no
        date_key = _REGISTER_DATES[indicator.register]
        dates = sorted(d for d in register.table.column(date_key).to_pylist() if d is not None)
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
            issues.add_cells(WARNING, indicators.sheet, indicators.sheet.column("value"), rows.combine_chunks(),
                             "register_mismatch", strings([cells.format_number(table["value"][p]) for p in positions]),
                             strings(reasons))
