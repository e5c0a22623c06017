"""An upload adds to the record: its rows are merged into the active version by each sheet's key.

design «Data flow»: a key already in the record is updated, a new key is added, and
every row the upload does not mention is kept; a row marked 删除 withdraws its key.
Replacing the whole record is a separate mode, chosen on purpose. The bundled sample is
never mixed with real data: the first real upload replaces it.

Every stored row carries its provenance: `first_version`, the version that first
carried its key (when it was first sent: 报送情况), and `from_version`, the version whose
upload supplied its content (with `row`, the cell in that upload's file).

Pure and Arrow-based: the store merges under its write lock, the upload page merges
into a preview; both get the same record and the same counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from yzlogi.cells import FALSE, scalar, typed
from yzlogi.model import ParsedWorkbook
from yzlogi.plan import Plan
from yzlogi.schema import WITHDRAW, WORKBOOK, Sheet

MERGE = "merge"
REPLACE = "replace"
MODES = (MERGE, REPLACE)
MODE_LABELS = {MERGE: "合并", REPLACE: "全部替换"}
# A replace that would remove more than this share of any sheet's rows needs a typed confirmation.
REPLACE_CONFIRM_SHARE = 0.2
_SEP = "\x1f"  # joins a key's parts; never typed in a cell
_NULL = "\x00"  # a blank part of a key
# Python values reach Arrow only through yzlogi.cells: pa.array and pa.scalar would import pandas.
_SEP_SCALAR = scalar(_SEP, pa.string())
_NULL_SCALAR = scalar(_NULL, pa.string())
_ARROW = {"INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "VARCHAR": pa.string(),
          "BOOLEAN": pa.bool_()}


@dataclass(frozen=True)
class SheetMerge:
    """What merging an upload does to one sheet of the record."""

    key: str
    name: str
    before: int  # rows in the record before
    added: int  # keys new to the record
    changed: int  # keys sent again with other content
    resent: int  # keys sent again, the same
    kept: int  # rows the upload does not mention
    removed: int  # rows a replace drops
    withdrawn: int  # rows marked 删除 that were in the record
    not_found: tuple[str, ...] = ()  # 删除 rows whose key was not in the record (shown as typed)

    @property
    def after(self) -> int:
        return self.added + self.changed + self.resent + self.kept

    @property
    def removed_share(self) -> float:
        return self.removed / self.before if self.before else 0.0

    def to_json(self) -> dict:
        return {"sheet": self.key, "name": self.name, "before": self.before, "after": self.after,
                "added": self.added, "changed": self.changed, "resent": self.resent, "kept": self.kept,
                "removed": self.removed, "withdrawn": self.withdrawn, "not_found": list(self.not_found)}

    def line(self, mode: str) -> str:
        parts = [f"新增 {self.added} 行", f"修改 {self.changed} 行"]
        if self.resent:
            parts.append(f"重复报送未变 {self.resent} 行")
        parts.append(f"保留 {self.kept} 行")
        if mode == REPLACE:
            parts.append(f"删除 {self.removed} 行")
        if self.withdrawn:
            parts.append(f"撤回 {self.withdrawn} 行")
        return f"{self.name}：" + "，".join(parts)


@dataclass(frozen=True)
class Merge:
    """The merged record and what the upload did to it."""

    mode: str
    replaced_sample: bool  # the record was the bundled sample: the upload replaced it whole
    sheets: tuple[SheetMerge, ...]
    units: tuple[str, ...]  # the units the upload reports for (填报单位, or the lead of what it reports)
    months: tuple[str, ...]  # the months it reports ('YYYY-MM')
    tables: dict[str, pa.Table]
    kept_sample: bool = False  # the record was the sample and the upload brought no row (督办反馈 only): it stays

    def sheet(self, key: str) -> SheetMerge:
        return next(s for s in self.sheets if s.key == key)

    @property
    def needs_confirmation(self) -> bool:
        """A replace that drops more than REPLACE_CONFIRM_SHARE of any sheet (design: on purpose only)."""
        return self.mode == REPLACE and any(s.removed_share > REPLACE_CONFIRM_SHARE for s in self.sheets)

    @property
    def done(self) -> str:
        """What the commit did, for its message: "已{done}导入为版本 N" (nothing said for a first version)."""
        if self.replaced_sample:
            return "替换示例数据，"
        if not any(s.before for s in self.sheets):
            return ""
        return "替换全部数据，" if self.mode == REPLACE else "合并到已有数据，"

    def lines(self) -> list[str]:
        """Per sheet, what is added, changed and kept (removed for a replace); which units and months."""
        out = []
        if self.replaced_sample:
            out.append("当前为示例数据：本次上传不与示例数据合并，导入后的版本只含本次上传的数据")
        elif self.kept_sample:
            out.append("当前为示例数据：本次上传没有进度数据，导入后的版本仍为示例数据")
        elif self.mode == REPLACE:
            out.append("全部替换：导入后的版本只含本次上传的数据，未上传的行将被删除")
        out += [s.line(self.mode) for s in self.sheets if s.before or s.after or s.withdrawn or s.not_found]
        for s in self.sheets:
            if s.not_found:
                out.append(f"{s.name}：要删除的 {len(s.not_found)} 行不在当前数据中，已忽略（{'；'.join(s.not_found[:5])}）")
        if self.units:
            out.append("本次上传涉及单位：" + "、".join(self.units))
        if self.months:
            shown = self.months if len(self.months) <= 6 else (*self.months[:3], "……", *self.months[-2:])
            out.append("本次上传涉及月份：" + "、".join(shown))
        return out

    def to_json(self) -> dict:
        return {"mode": self.mode, "replaced_sample": self.replaced_sample,
                "sheets": [s.to_json() for s in self.sheets], "units": list(self.units), "months": list(self.months)}


def empty_table(schema: pa.Schema) -> pa.Table:
    """A table of no rows (pyarrow's Schema.empty_table imports pandas, which an import does not need)."""
    return pa.Table.from_arrays([pa.nulls(0, field.type) for field in schema], schema=schema)


def stored_schema(sheet: Sheet) -> pa.Schema:
    return pa.schema([(name, _ARROW[sql_type]) for name, sql_type in sheet.stored_columns()])


def merge(plan: Plan, base: dict[str, pa.Table] | None, base_version: int | None, upload: ParsedWorkbook,
          mode: str, version_id: int, base_is_sample: bool = False) -> Merge:
    """The record after `upload` is merged into `base` (the active version's tables) or replaces it.

    `version_id` is the version the result becomes (provenance of the upload's rows);
    `base_version` fills the provenance of rows stored before it was kept."""
    if mode not in MODES:
        raise ValueError(f"unknown merge mode {mode!r}")
    # An upload with no progress row (only answers to follow-up items) leaves the record as it is, the sample too.
    carries_rows = mode == REPLACE or any(upload.tables[s.key].num_rows for s in WORKBOOK if s.key in upload.tables)
    replaced_sample = base_is_sample and base is not None and carries_rows
    kept_sample = base_is_sample and base is not None and not carries_rows
    if replaced_sample or base is None:
        base = {}
    tables, sheets = {}, []
    for sheet in WORKBOOK:
        schema = stored_schema(sheet)
        before = _stored(base.get(sheet.key), schema, base_version)
        incoming = upload.tables.get(sheet.key)
        table, summary = _merge_sheet(sheet, schema, before, incoming, mode, version_id)
        tables[sheet.key] = table
        sheets.append(summary)
    units, months = coverage(plan, upload)
    return Merge(mode, replaced_sample, tuple(sheets), units, months, tables, kept_sample)


def _stored(table: pa.Table | None, schema: pa.Schema, base_version: int | None) -> pa.Table:
    """A base table with exactly the stored columns; provenance a layout without it lacked filled in."""
    if table is None:
        return empty_table(schema)
    columns = []
    for field in schema:
        if field.name in table.column_names:
            column = table.column(field.name).cast(field.type)
        else:
            column = pa.nulls(table.num_rows, field.type)
        if field.name in ("first_version", "from_version") and base_version is not None:
            column = pc.fill_null(column, scalar(base_version, field.type))
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def _flat(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One array (a chunked array of no chunks too: combine_chunks would build it through pandas)."""
    if not isinstance(values, pa.ChunkedArray):
        return values
    return values.combine_chunks() if values.num_chunks else pa.nulls(0, values.type)


def _keys(table: pa.Table, sheet: Sheet) -> pa.Array:
    parts = []
    for key in sheet.unique:
        column = table.column(key)
        text = column if pa.types.is_string(column.type) else pc.cast(column, pa.string())
        parts.append(pc.fill_null(text, _NULL_SCALAR))
    joined = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, _SEP_SCALAR)
    return _flat(joined)


def _content(table: pa.Table, sheet: Sheet) -> pa.Array:
    """Each row's values (not its provenance or row number) joined, to tell a changed row from a resent one."""
    parts = []
    for name, _ in sheet.stored_columns():
        if name in ("row", "first_version", "from_version"):
            continue
        column = table.column(name)
        if pa.types.is_floating(column.type):
            column = pc.round(column, 9)
        text = column if pa.types.is_string(column.type) else pc.cast(column, pa.string())
        parts.append(pc.fill_null(text, _NULL_SCALAR))
    joined = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, _SEP_SCALAR)
    return _flat(joined)


def _merge_sheet(sheet: Sheet, schema: pa.Schema, before: pa.Table, incoming: pa.Table | None, mode: str,
                 version_id: int) -> tuple[pa.Table, SheetMerge]:
    if incoming is None or incoming.num_rows == 0:
        empty = empty_table(schema)
        if mode == REPLACE:
            return empty, SheetMerge(sheet.key, sheet.name, before.num_rows, 0, 0, 0, 0, before.num_rows, 0)
        return before, SheetMerge(sheet.key, sheet.name, before.num_rows, 0, 0, 0, before.num_rows, 0, 0)
    if WITHDRAW in incoming.column_names:
        withdraw = pc.fill_null(incoming.column(WITHDRAW), FALSE)
        withdraw = _flat(withdraw)
    else:
        withdraw = pc.fill_null(pa.nulls(incoming.num_rows, pa.bool_()), FALSE)
    sent = incoming.filter(pc.invert(withdraw))
    pulled = incoming.filter(withdraw)
    sent = _as_stored(sent, schema)
    sent_keys, pulled_keys, before_keys = _keys(sent, sheet), _keys(_as_stored(pulled, schema), sheet), _keys(before,
                                                                                                                 sheet)
    # Where each sent row's key stands in the record before (null: a new key).
    at = pc.index_in(sent_keys, value_set=before_keys)
    matched = pc.is_valid(at)
    same = pc.fill_null(pc.equal(_content(sent, sheet), pc.take(_content(before, sheet), at)), FALSE)
    changed = int(pc.sum(pc.and_(matched, pc.invert(same))).as_py() or 0)
    resent = int(pc.sum(same).as_py() or 0)
    added = sent.num_rows - changed - resent
    first = pc.coalesce(pc.take(before.column("first_version"), at), scalar(version_id, pa.int32()))
    sent = sent.set_column(schema.get_field_index("first_version"), "first_version", first)
    sent = sent.set_column(schema.get_field_index("from_version"), "from_version",
                           typed([version_id] * sent.num_rows, pa.int32()))
    mentioned = pc.is_in(before_keys, value_set=pa.concat_arrays([sent_keys, pulled_keys]))
    withdrawn = int(pc.sum(pc.is_in(before_keys, value_set=pulled_keys)).as_py() or 0)
    missing = pc.invert(pc.is_in(pulled_keys, value_set=before_keys))
    not_found = tuple(_shown(k) for k in pulled_keys.filter(missing).to_pylist())
    if mode == REPLACE:
        kept_rows = before.slice(0, 0)
        removed = before.num_rows - int(pc.sum(pc.is_in(before_keys, value_set=sent_keys)).as_py() or 0)
    else:
        kept_rows = before.filter(pc.invert(mentioned))
        removed = 0
    merged = pa.concat_tables([kept_rows, sent]).combine_chunks()
    return merged, SheetMerge(sheet.key, sheet.name, before.num_rows, added, changed, resent, kept_rows.num_rows,
                              removed, withdrawn, not_found)


def _as_stored(table: pa.Table, schema: pa.Schema) -> pa.Table:
    columns = [table.column(f.name).cast(f.type) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
               for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def _shown(key: str) -> str:
    return "、".join(part for part in key.replace(_NULL, "").split(_SEP) if part)


def coverage(plan: Plan, upload: ParsedWorkbook) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The units an upload reports for and the months it covers (the digest says so)."""
    units: set[str] = set()
    months: set[str] = set()

    def column(key: str, name: str) -> list:
        table = upload.tables.get(key)
        return table.column(name).to_pylist() if table is not None and name in table.column_names else []

    units.update(u for u in column("tasks", "department") if u)
    for no, unit in zip(column("indicators", "indicator_no"), column("indicators", "department")):
        if unit:
            units.add(unit)
        elif no is not None:
            try:
                units.update(plan.indicator(int(no)).lead)
            except KeyError:
                pass
    for name in column("routes", "route"):
        try:
            units.update(plan.route(name).lead)
        except KeyError:
            pass
    for category in column("ships", "category"):
        try:
            units.update(plan.fleet_category(category).lead)
        except KeyError:
            pass
    for key in column("goals", "goal"):
        try:
            units.update(plan.goal(key).lead)
        except KeyError:
            pass
    for register in ("warehouses", "forwarders"):
        indicator = plan.register_indicator(register)
        if indicator is not None and column(register, "name"):
            units.update(indicator.lead)
    for key in ("indicators", "routes", "tasks", "goals"):
        months.update(m for m in column(key, "month") if m)
    order = {d.name: i for i, d in enumerate(plan.departments)}
    return tuple(sorted(units, key=lambda u: order.get(u, len(order)))), tuple(sorted(months))
