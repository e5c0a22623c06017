"""The workbooks the benchmark reads: a full three-year workbook (optionally grown),
copies of it that differ only in their bytes, and one whose 任务进展 is all errors.

The full workbook is the bundled sample's own generators (yzlogi.sample) run to the
plan's last month, and laid out by the template (yzlogi.template): every
sheet, optional ones included, every task × unit × 36 months, title rows, number
formats and drop-downs as an official's file has them. Growing it adds rows where a
real workbook can grow without breaking a unique key: register entries (overseas
warehouses, forwarders), ships and new route lines; indicators 7 and 8 follow the
registers, so the grown workbook stays valid.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from yzlogi.months import month_range
from yzlogi.plan import Plan
from yzlogi.sample import figures
from yzlogi.sample.scenario import scenario_of
from yzlogi.sample.tasks import task_rows
from yzlogi.schema import TASKS, for_plan
from yzlogi.template import FIRST_DATA_ROW, build_workbook, template_stamp, workbook_bytes  # noqa: F401 - read by run.py


def full_rows(plan: Plan, scale: int = 1) -> dict[str, list[dict[str, object]]]:
    """Every sheet's rows for the plan's whole span; `scale` multiplies the total row count."""
    sc = scenario_of(plan, plan.deadline)
    routes = figures.route_rows(plan, sc)
    ships = figures.ship_rows(plan, sc)
    warehouses = figures.warehouse_rows(plan, sc)
    forwarders = figures.forwarder_rows(plan, sc)
    base = {"routes": routes, "ships": ships, "warehouses": warehouses, "forwarders": forwarders}
    if scale > 1:
        tasks = task_rows(plan, sc, routes, ships, warehouses, forwarders)
        indicators = figures.indicator_rows(plan, sc, warehouses, forwarders)
        goals = figures.goal_rows(plan, sc)
        total = len(tasks) + len(indicators) + len(goals) + sum(len(rows) for rows in base.values())
        _grow(plan, base, (scale - 1) * total)
    indicators = figures.indicator_rows(plan, sc, base["warehouses"], base["forwarders"])
    tasks = task_rows(plan, sc, base["routes"], base["ships"], base["warehouses"], base["forwarders"])
    goals = figures.goal_rows(plan, sc)
    return {"indicators": indicators, "routes": base["routes"], "ships": base["ships"], "tasks": tasks,
            "goals": goals, "warehouses": base["warehouses"], "forwarders": base["forwarders"]}


def _grow(plan: Plan, rows: dict[str, list[dict[str, object]]], extra: int) -> None:
    """Add about `extra` rows: a third each to the two registers, a sixth each to ships and new lines."""
    rng = random.Random(f"benchmark:{extra}")
    months = month_range(plan.start, plan.deadline)

    def day() -> date:
        month = rng.choice(months)
        return date(month.year, month.month, rng.randint(1, 28))

    for n in range(extra // 3):
        country, city = figures.WAREHOUSE_PLACES[n % len(figures.WAREHOUSE_PLACES)]
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
    for n in range(extra // 6 // len(months)):
        for month in months:
            rows["routes"].append({"route": f"基准测试新线{n:04d}", "month": str(month),
                                   "runs": rng.randint(2, 12), "note": ""})


def full_workbook(plan: Plan, scale: int = 1):
    """The full three-year workbook (openpyxl) in the template's layout."""
    return build_workbook(plan, full_rows(plan, scale))


def variants(workbook, count: int, plan: Plan) -> list[bytes]:
    """`count` files of the same content whose bytes differ (the document timestamp),
    so that each is committed as a version of its own."""
    return [workbook_bytes(workbook, template_stamp(plan) + timedelta(minutes=n)) for n in range(count)]


def row_count(rows: dict[str, list[dict[str, object]]]) -> int:
    return sum(len(sheet_rows) for sheet_rows in rows.values())


# --- a workbook refused for its errors ------------------------------------------------

BAD_KINDS = 4  # the bad rows cycle through four mistakes, every row has one


def bad_task_row(plan: Plan, n: int) -> list[object]:
    """A 任务进展 row with one mistake: a month past the plan, an unknown unit, an unknown
    status, or a task number not in the plan's task list."""
    task = plan.tasks[n % len(plan.tasks)]
    unit = task.units[n % len(task.units)]
    month = str(plan.start.plus(n % plan.months))
    status = "序时推进"
    kind = n % BAD_KINDS
    number: object = task.no
    if kind == 0:
        month = str(plan.deadline.plus(1 + n % 12))
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
    for sheet in for_plan(plan):
        ws = workbook.create_sheet(sheet.name)
        ws.append([f"{plan.short_title} {sheet.name}"])
        ws.append([sheet.help])
        ws.append([column.header for column in sheet.columns])
        if sheet.key == TASKS.key:
            for n in range(bad_rows):
                ws.append(bad_task_row(plan, n))
        else:
            for row in good.get(sheet.key, ()):
                ws.append([row.get(column.key) for column in sheet.columns])
    workbook.save(path)



# --- one unit's monthly return ---------------------------------------------------------


def unit_returns(rows: dict[str, list[dict[str, object]]], count: int) -> list[bytes]:
    """`count` small returns as a unit sends them (任务进展.csv, UTF-8): one unit's task rows of one
    month each, sent again with their 进展情况 reworded. Keys the record already holds: merged,
    each changes a dozen rows and the record keeps its size, so only the number of versions grows."""
    import csv
    import io

    by_unit_month: dict[tuple[str, str], list[dict[str, object]]] = {}
    for row in rows["tasks"]:
        by_unit_month.setdefault((str(row["department"]), str(row["month"])), []).append(row)
    keys = sorted(by_unit_month)
    header = ["任务编号", "填报单位", "统计期", "状态", "完成进度", "进展情况", "存在问题", "下步计划"]
    out = []
    for n in range(count):
        unit, month = keys[n % len(keys)]
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        for row in by_unit_month[(unit, month)]:
            writer.writerow([row["task_no"], unit, month, row["status"], f"{row['progress']}%",
                             f"{row['progress_text']}（第{n + 1}次报送）", row["problems"], row["next_steps"]])
        out.append(text.getvalue().encode("utf-8"))
    return out
