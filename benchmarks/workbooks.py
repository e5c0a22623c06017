"""The workbooks the benchmark reads: a full three-year workbook (optionally grown),
copies of it that differ only in their bytes, and one whose 任务进展 is all errors.

The full workbook is the bundled sample's own generators (yzlogi.sample) run to the
plan's last month, 2027-12, and laid out by the template (yzlogi.template): every
sheet, optional ones included, every task × unit × 36 months, title rows, number
formats and drop-downs as an official's file has them. Growing it adds rows where a
real workbook can grow without breaking a unique key: register entries (overseas
warehouses, forwarders), ships and new route lines; indicators 7 and 8 follow the
registers, so the grown workbook stays valid.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from yzlogi import sample
from yzlogi.months import Month, month_range
from yzlogi.plan import Plan
from yzlogi.schema import TASKS, WORKBOOK
from yzlogi.template import FIRST_DATA_ROW, TEMPLATE_STAMP, build_workbook, workbook_bytes

FIRST = Month(2025, 1)
LAST = Month(2027, 12)
MONTHS = month_range(FIRST, LAST)


@contextmanager
def _sample_until(last: Month):
    """The sample's scenario, stretched to `last` (its generators read sample.LAST)."""
    saved = sample.LAST
    sample.LAST = last
    try:
        yield
    finally:
        sample.LAST = saved


def full_rows(plan: Plan, scale: int = 1) -> dict[str, list[dict[str, object]]]:
    """Every sheet's rows for 2025-01 … 2027-12; `scale` multiplies the total row count."""
    with _sample_until(LAST):
        routes = sample.route_rows(plan)
        ships = sample.ship_rows(plan)
        warehouses = sample.warehouse_rows(plan)
        forwarders = sample.forwarder_rows(plan)
        base = {"routes": routes, "ships": ships, "warehouses": warehouses, "forwarders": forwarders}
        if scale > 1:
            tasks = sample.task_rows(plan, routes, ships, warehouses, forwarders)
            indicators = sample.indicator_rows(plan, warehouses, forwarders)
            goals = sample.goal_rows(plan, forwarders)
            total = len(tasks) + len(indicators) + len(goals) + sum(len(rows) for rows in base.values())
            _grow(plan, base, (scale - 1) * total)
        indicators = sample.indicator_rows(plan, base["warehouses"], base["forwarders"])
        tasks = sample.task_rows(plan, base["routes"], base["ships"], base["warehouses"], base["forwarders"])
        goals = sample.goal_rows(plan, base["forwarders"])
    return {"indicators": indicators, "routes": base["routes"], "ships": base["ships"], "tasks": tasks,
            "goals": goals, "warehouses": base["warehouses"], "forwarders": base["forwarders"]}


def _grow(plan: Plan, rows: dict[str, list[dict[str, object]]], extra: int) -> None:
    """Add about `extra` rows: a third each to the two registers, a sixth each to ships and new lines."""
    rng = random.Random(f"benchmark:{extra}")

    def day() -> date:
        month = rng.choice(MONTHS)
        return date(month.year, month.month, rng.randint(1, 28))

    for n in range(extra // 3):
        country, city = sample.WAREHOUSE_PLACES[n % len(sample.WAREHOUSE_PLACES)]
        rows["warehouses"].append({"name": f"{city}扩展{n:06d}号海外分拨仓", "country": country, "city": city,
                                   "operator": "重庆基准测试国际物流有限公司", "opened": day()})
    for n in range(extra // 3):
        rows["forwarders"].append({"name": f"重庆基准测试国际货运代理有限公司{n:06d}", "registered": day(),
                                   "global_famous": "否"})
    for n in range(extra // 6):
        category = plan.fleet[n % len(plan.fleet)].category
        rows["ships"].append({"ship_name": f"渝中扩展{n:06d}", "category": category, "status": "计划",
                              "completed": None, "company": "重庆基准测试航运有限公司",
                              "note": "已列入更新计划，正在开展前期工作"})
    for n in range(extra // 6 // len(MONTHS)):
        for month in MONTHS:
            rows["routes"].append({"route": f"基准测试新线{n:04d}", "month": str(month),
                                   "runs": rng.randint(2, 12), "note": ""})


def full_workbook(plan: Plan, scale: int = 1):
    """The full three-year workbook (openpyxl) in the template's layout."""
    return build_workbook(plan, full_rows(plan, scale))


def variants(workbook, count: int) -> list[bytes]:
    """`count` files of the same content whose bytes differ (the document timestamp),
    so that each is committed as a version of its own."""
    return [workbook_bytes(workbook, TEMPLATE_STAMP + timedelta(minutes=n)) for n in range(count)]


def row_count(rows: dict[str, list[dict[str, object]]]) -> int:
    return sum(len(sheet_rows) for sheet_rows in rows.values())


# --- a workbook refused for its errors ------------------------------------------------

BAD_KINDS = 4  # the bad rows cycle through four mistakes, every row has one


def bad_task_row(plan: Plan, n: int) -> list[object]:
    """A 任务进展 row with one mistake: a month past the plan, an unknown unit, an unknown
    status, or a task number not in 附件2."""
    task = plan.tasks[n % len(plan.tasks)]
    unit = task.units[n % len(task.units)]
    month = str(MONTHS[n % len(MONTHS)])
    status = "序时推进"
    kind = n % BAD_KINDS
    number: object = task.no
    if kind == 0:
        month = f"2028-{n % 12 + 1:02d}"
    elif kind == 1:
        unit = f"某某单位{n % 500:03d}"
    elif kind == 2:
        status = "暂停"
    else:
        number = len(plan.tasks) + 1 + n % 50
    return [number, unit, month, status, 50, f"第{n}条：按计划推进相关工作，完成阶段性任务。", "", ""]


def write_bad_workbook(path: Path, plan: Plan, bad_rows: int, good: dict[str, list[dict[str, object]]]) -> None:
    """The full workbook's sheets with 任务进展 replaced by `bad_rows` rows in error.

    Written in openpyxl's write-only mode (a styled 100 000-row sheet would take
    minutes); the layout keeps the template's title, note and header rows, so the
    first bad row is FIRST_DATA_ROW."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in WORKBOOK:
        ws = workbook.create_sheet(sheet.name)
        ws.append([f"{plan.short_title} {sheet.name}"])
        ws.append([sheet.help])
        ws.append([column.header for column in sheet.columns])
        if sheet is TASKS:
            for n in range(bad_rows):
                ws.append(bad_task_row(plan, n))
        else:
            for row in good.get(sheet.key, ()):
                ws.append([row.get(column.key) for column in sheet.columns])
    workbook.save(path)

