"""Numbers that read two ways are questioned, not guessed (workbook-spec «Ambiguous numbers»).

The reader cannot always tell what an official meant; when a cell is ambiguous, the
upload gets a warning that says both readings and which one was taken, so nothing
is changed in silence. Runs on a sheet being checked (workbook._SheetCheck):

- **Percent or fraction.** A percentage typed as a plain number strictly between −1
  and 1 (no % sign, the cell not formatted as percent, or a CSV) is either a
  fraction — 0.052 is how Excel, WPS and LibreOffice store a typed "5.2%" — or a
  small percentage, 0.052 %. The rule: the reading nearer the series' reference
  (its previous month as read, else the year's target; nearer as a ratio) is taken,
  and with no reference the fraction reading, 5.2 %; a warning names both:
  "0.052：是 5.2% 还是 0.052%？已按 5.2% 计". So a rate is never shrunk a hundredfold
  without a word. Series: a percent indicator's months (指标进展), a task and unit's
  months (任务进展「完成进度」), a %-goal's months (其他目标).
- **Mixed scales.** A percent column whose plain numbers hold both fractions (0–1)
  and whole percentages (1–100) gets one warning (per indicator or goal).
- **Plausibility.** An indicator value more than ten times away from its year's
  target or from its previous month (0.05 % against a 10 % target) gets a warning,
  code IMPLAUSIBLE, as the change digest can show it.
- **Date serials.** A five-digit number in a month or date column that is an Excel
  date serial the column accepts is read as that date, with a warning
  ("45797 按日期 2025-05-20 读取"): a date typed into a cell formatted as a number
  arrives as its serial.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from yzlogi import cells
from yzlogi.cells import CellError, strings, typed
from yzlogi.model import WARNING
from yzlogi.schema import GOALS, INDICATORS, TASKS, Column

if TYPE_CHECKING:  # the sheet check calls in; importing it here would be circular
    from yzlogi.workbook import _SheetCheck

AMBIGUOUS_PERCENT = "ambiguous_percent"
MIXED_SCALE = "mixed_percent_scale"
IMPLAUSIBLE = "implausible_value"
DATE_SERIAL = "date_serial"
CODES = (AMBIGUOUS_PERCENT, MIXED_SCALE, IMPLAUSIBLE, DATE_SERIAL)

FACTOR = 10  # more than this many times away from a reference is implausible
_PLAIN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"  # a number as typed or as the reader writes one
_SERIAL = r"^\d{5}(\.\d+)?$"
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 in Excel's 1900 system, from serial 61 on
_ONE = cells.scalar(1.0, pa.float64())


# --- date serials (before a month or date column is read) ---------------------------------


def serial_dates(check: _SheetCheck, column: Column, text: pa.Array, parse: Callable[[str], object]) -> pa.Array:
    """`text` with every plausible Excel date serial replaced by its date (YYYY-MM-DD), each
    with a warning; plausible: a whole number of five digits that `parse` (the column's own
    reader, with its range) accepts as a date."""
    found = pc.fill_null(pc.match_substring_regex(text, _SERIAL), cells.FALSE)
    if not found.true_count:
        return text
    dates: dict[str, str | None] = {}
    for serial in pc.unique(text.filter(found)).to_pylist():
        shown = (_EXCEL_EPOCH + timedelta(days=int(float(serial)))).isoformat()
        try:
            parse(shown)
        except CellError:
            dates[serial] = None  # not a date this column takes: refused as typed
        else:
            dates[serial] = shown
    keys = strings(list(dates))
    replaced = strings(list(dates.values())).take(pc.index_in(text, value_set=keys))
    mask = pc.is_valid(replaced)
    reasons = pc.binary_join_element_wise(
        text, cells.scalar(" 按日期 ", pa.string()), replaced,
        cells.scalar(" 读取（单元格中的日期成了 Excel 的日期序号，请核对，最好把单元格设为文本后填 2025-05-20 这样的写法）",
                     pa.string()),
        cells.scalar("", pa.string()))
    check._cell_issues(column, mask, DATE_SERIAL, reasons, level=WARNING)
    return pc.if_else(mask, replaced, text)


# --- percent or fraction, mixed scales, plausibility (after the sheet's columns are read) ---


def question(check: _SheetCheck) -> None:
    """The percent, scale and plausibility questions of one sheet (module docstring)."""
    if check.sheet.key == INDICATORS.key and "value" in check.values:
        plan = check.plan
        numbers = check.values["indicator_no"].to_pylist()
        percent = {i.no for i in plan.indicators if i.is_percent and i.kind != "composite"}
        targets = {}
        for indicator in plan.indicators:
            for target in indicator.targets:
                if target.value is not None:
                    targets[(indicator.no, target.year)] = target.value
        series = [(no, f"指标{no}") if no in percent else None for no in numbers]
        _percent_series(check, "value", series, lambda no, month: targets.get((no, int(month[:4]))))
        _plausibility(check, numbers, targets)
    elif check.sheet.key == TASKS.key and "progress" in check.values:
        keys = zip(check.values["task_no"].to_pylist(), check.values["department"].to_pylist())
        _percent_series(check, "progress", [(key, "") for key in keys], lambda key, month: None)
    elif check.sheet.key == GOALS.key and "value" in check.values:
        goals = {g.key: g for g in check.plan.goals if g.unit == "%"}
        series = [(key, f"“{goals[key].name}”") if key in goals else None
                  for key in check.values["goal"].to_pylist()]
        _percent_series(check, "value", series, lambda key, month: goals[key].target or None)


def _usable(check: _SheetCheck) -> list[bool]:
    """Rows read without error and not set aside."""
    return pc.invert(pc.or_(check.bad, check.dropped)).to_pylist()


def _percent_series(check: _SheetCheck, key: str, series: list, reference_of: Callable) -> None:
    """Question the plain numbers between −1 and 1 of a percent column, series by series in month
    order; then the mixed-scale warning (one per series label, or one for the column), which
    needs a fraction too."""
    column = check.sheet.column(key)
    # Most uploads hold no fraction at all: found with Arrow, before any row is looked at in Python.
    candidates = pc.and_(pc.fill_null(pc.match_substring_regex(check.text[key], _PLAIN), cells.FALSE),
                         pc.fill_null(pc.less(pc.abs(check.values[key]), _ONE), cells.FALSE))
    if not candidates.true_count:
        return
    texts = check.text[key].to_pylist()
    values = check.values[key].to_pylist()
    months = check.values["month"].to_pylist()
    usable = _usable(check)
    shown = _shown_with_percent(check, key)
    plain = [bool(t) and values[i] is not None and usable[i] and series[i] is not None and i not in shown
             and bool(re.match(_PLAIN, t)) for i, t in enumerate(texts)]
    order = sorted((i for i in range(len(texts)) if series[i] is not None and usable[i] and values[i] is not None
                    and months[i] is not None), key=lambda i: (str(series[i][0]), months[i]))
    previous: dict[object, tuple[str, float]] = {}  # series → (month, value as read) of its last row
    reasons: dict[int, str] = {}
    changed: dict[int, float] = {}
    for i in order:
        owner, _label = series[i]
        value = values[i]
        if plain[i] and 0 < abs(value) < 1:
            small = Decimal(texts[i])
            large = small * 100
            before = previous.get(owner)
            reference = source = None
            if before is not None and before[1]:
                reference, source = before[1], f"上月（{before[0]}）的 {cells.format_number(before[1])}%"
            elif (target := reference_of(owner, months[i])):
                reference, source = target, f"{months[i][:4]}年目标 {cells.format_number(target)}%"
            if reference is None:
                take_large, why = True, "单元格不是百分比格式，按 Excel 等软件存放 5.2% 的方式（0.052）理解"
            else:
                take_large = _distance(float(large), reference) <= _distance(float(small), reference)
                why = f"更接近{source}"
            taken = large if take_large else small
            reasons[i] = (f"{texts[i]}：是 {cells.format_number(large)}% 还是 {cells.format_number(small)}%？"
                          f"已按 {cells.format_number(taken)}% 计（{why}），如不对请写明 %，如 {cells.format_number(large)}%")
            value = float(taken)
            if take_large:
                changed[i] = value
        previous[owner] = (months[i], value)
    if reasons:
        mask = typed([i in reasons for i in range(len(texts))], pa.bool_())
        check._cell_issues(column, mask, AMBIGUOUS_PERCENT, strings([reasons.get(i) for i in range(len(texts))]),
                           level=WARNING)
    if changed:
        check.values[key] = typed([changed.get(i, v) for i, v in enumerate(values)], check.values[key].type)
    _mixed(check, column, texts, values, plain, series)


def _shown_with_percent(check: _SheetCheck, key: str) -> set[int]:
    """Rows whose cell format shows a % sign without scaling (0.0"%"): the official saw "0.5%"."""
    raw, header = check.raw, check.header
    if header is None or key not in header.columns:
        return set()
    j = header.columns[key]
    found = set(raw.literal_percent_cells([j]).get(j, ()))
    if not found:
        return set()
    return {i for i, row in enumerate(check.rows.to_pylist()) if row - 1 in found}


def _distance(value: float, reference: float) -> float:
    """How far apart two numbers are as a ratio (log scale); infinite across zero or for zero."""
    if value == 0 or reference == 0 or (value > 0) != (reference > 0):
        return math.inf
    return abs(math.log(abs(value) / abs(reference)))


def _mixed(check: _SheetCheck, column: Column, texts: list, values: list, plain: list[bool], series: list) -> None:
    """One warning per series label ('' = the whole column) whose plain numbers mix 0–1 and 1–100."""
    first: dict[str, dict[str, int]] = {}
    for i, is_plain in enumerate(plain):
        if not is_plain:
            continue
        value = abs(values[i])
        scale = "fraction" if 0 < value < 1 else "whole" if 1 < value <= 100 else None
        if scale is not None:
            first.setdefault(series[i][1], {}).setdefault(scale, i)
    rows = check.rows.to_pylist()
    for label, scales in first.items():
        if len(scales) < 2:
            continue
        fraction, whole = scales["fraction"], scales["whole"]
        where = f"{label}的" if label else "本列"
        reason = (f"{where}百分数写法不统一：既有 0—1 之间的小数（如第{rows[fraction]}行的 {texts[fraction]}），"
                  f"也有 1—100 之间的数（如第{rows[whole]}行的 {texts[whole]}），0.6 可能是 60% 也可能是 0.6%；"
                  "请核对并统一写成带 % 的百分数，如 60%")
        # At the first fraction's cell, after that cell's own question.
        check.issues.add_cells(WARNING, check.sheet, column, typed([rows[fraction]], pa.int32()), MIXED_SCALE,
                               strings([texts[fraction]]), reason)


def _plausibility(check: _SheetCheck, numbers: list, targets: dict) -> None:
    """Indicator values more than FACTOR times away from their year's target or previous month."""
    plan = check.plan
    column = check.sheet.column("value")
    values = check.values["value"].to_pylist()
    months = check.values["month"].to_pylist()
    usable = _usable(check)
    units = {i.no: i.unit for i in plan.indicators if i.kind != "composite"}
    order = sorted((i for i in range(len(values)) if usable[i] and values[i] is not None and months[i] is not None
                    and numbers[i] in units), key=lambda i: (numbers[i], months[i]))
    previous: dict[int, tuple[str, float]] = {}
    reasons: dict[int, str] = {}
    for i in order:
        no, value, month = numbers[i], values[i], months[i]
        unit = units[no]
        target = targets.get((no, int(month[:4])))
        before = previous.get(no)
        previous[no] = (month, value)
        if not value:
            continue  # nothing yet (a year-to-date count in January): no ratio to judge
        found = []
        if target:
            ratio = _ratio(value, target)
            if ratio > FACTOR:
                found.append(f"与{month[:4]}年目标 {cells.format_number(target)}{unit} 相差 {ratio:,.0f} 倍")
        if before is not None and before[1]:
            ratio = _ratio(value, before[1])
            if ratio > FACTOR:
                found.append(f"与上月（{before[0]}）的 {cells.format_number(before[1])}{unit} 相差 {ratio:,.0f} 倍")
        if found:
            shown = f"{cells.format_number(value)}{unit}"
            reasons[i] = (f"指标{no} {month} 的完成值 {shown} {'，'.join(found)}，是否填错了数值、小数点或单位"
                          f"（如把 5% 写成了 0.05）？请核对")
    if reasons:
        mask = typed([i in reasons for i in range(len(values))], pa.bool_())
        check._cell_issues(column, mask, IMPLAUSIBLE, strings([reasons.get(i) for i in range(len(values))]),
                           level=WARNING)


def _ratio(value: float, reference: float) -> float:
    """How many times apart two numbers are (≥ 1); 0 (not judged) when their signs differ:
    a fall against a target of growth is a matter for the light, not a slip of scale."""
    if (value > 0) != (reference > 0):
        return 0.0
    a, b = abs(value), abs(reference)
    return max(a, b) / min(a, b)
