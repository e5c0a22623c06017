"""How the cells of each column kind are read for a plan: the plan's names, numbers and months.

A ColumnReader (yzlogi.cells) per (plan, column), built once and reused: its name
indexes and Arrow arrays cost more to build than most sheets cost to read.
"""

from __future__ import annotations

import pyarrow as pa

from yzlogi import cells
from yzlogi.cells import ColumnReader
from yzlogi.plan import Plan
from yzlogi.schema import NO, YES, Column, month_bounds
from yzlogi.text import fold

ARROW_TYPES = {
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "VARCHAR": pa.string(),
    "BOOLEAN": pa.bool_(),
}


def _names(entries) -> dict[str, object]:
    """Folded name → value, from (value, names) pairs, as the plan builds its own indexes."""
    index: dict[str, object] = {}
    for value, names in entries:
        for name in names:
            index.setdefault(fold(name), value)
    return index


# Readers built once per plan and column: their name indexes and Arrow arrays are reused.
_READERS: dict[tuple[int, int], tuple[Plan, Column, ColumnReader]] = {}


ITEM_NO_MAX = 2**31 - 1  # an INTEGER


def _item_no(text: str) -> int:
    """A follow-up item's number (督办事项编号): a whole number from 1."""
    try:
        return cells.parse_whole(text, 1, ITEM_NO_MAX, "bad_item_no", "")
    except cells.CellError:
        raise cells.CellError("bad_item_no", f"无法识别“{cells.display(text)}”，应为督办事项的编号（正整数，如 3）") from None


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
        first, last = month_bounds(column, plan)
        return ColumnReader(lambda t: str(cells.parse_month(t, first, last)), typ,
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
        what = f"{plan.indicator_list}的指标编号"
        return ColumnReader(lambda t: cells.parse_whole(t, low, high, "bad_indicator_no", what), typ,
                            grammar=cells.NUMBER_GRAMMAR)
    if kind == "task_no":
        low, high = min(t.no for t in plan.tasks), max(t.no for t in plan.tasks)
        what = f"{plan.task_list}的任务编号"
        return ColumnReader(lambda t: cells.parse_whole(t, low, high, "bad_task_no", what), typ,
                            grammar=cells.NUMBER_GRAMMAR)
    if kind == "department":
        names = [d.name for d in plan.departments]
        return ColumnReader(
            lambda t: cells.parse_name(t, plan.resolve_department, names, "unknown_department", "计划中的部门：",
                                       plan.suggest_department), typ,
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
    if kind == "item_no":
        return ColumnReader(_item_no, typ, grammar=cells.NUMBER_GRAMMAR)
    if kind == "text":
        return ColumnReader(cells.parse_text, typ)
    raise ValueError(f"no reader for kind {kind}")
