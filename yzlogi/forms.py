"""Return forms that save typing: the template pre-filled with the record, and one unit's return.

- `record_form`: the active version's whole record in the template's layout, plus empty
  rows (their keys and month filled in) for the next month: the coordinator fills in
  what is new and uploads it; rows left as given are skipped, not errors.
- `unit_form`: one unit's return for a month (部门详情, `template --dept`): the tasks it
  leads or supports, each pre-filled from its latest report up to that month so that it
  changes only what moved; the indicators it leads that are due that month, the runs of
  the routes and the goals it leads (their values left empty: a figure is never carried
  over); as they stand, the ships and registers it answers for; and in 督办反馈 its open
  follow-up items (number, what, requirement, due date and the unit pre-filled), so that it
  only types its answer — an item left unanswered is skipped like any unfilled row.

Uploading either merges (yzlogi.merge): a unit's return touches only its own rows; its
answers are recorded as the items' events (yzlogi.store.answers). No store is read here:
the callers pass the record and the items.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING

from yzlogi.model import VersionData
from yzlogi.months import Month
from yzlogi.plan import Plan
from yzlogi.returns import FREQUENCY_MONTHS, finished_tasks
from yzlogi.schema import WORKBOOK, for_plan
from yzlogi.status.rows import month_of, records
from yzlogi.template import build_template, save_workbook, template_stamp

if TYPE_CHECKING:
    from yzlogi.followups.model import Item

_PROVENANCE = ("first_version", "from_version", "row")


def record_file_name(version_id: int, month: Month) -> str:
    return f"进度填报表_含已有数据_v{version_id}_{month.label}.xlsx"


def unit_file_name(unit: str, month: Month) -> str:
    return f"进度填报表_{unit}_{month.label}.xlsx"


def _rows(plan: Plan, data: VersionData, key: str) -> list[dict[str, object]]:
    """A stored table's rows as the template writes them (by column key, no provenance; goals by name)."""
    sheet = next(s for s in WORKBOOK if s.key == key)
    kinds = {c.key: c.kind for c in sheet.columns}
    goal_names = {g.key: g.name for g in plan.goals}
    out = []
    for row in records(data.table(key)):
        entry = {}
        for name, value in row.items():
            if name in _PROVENANCE or name == "is_new":
                continue
            if kinds.get(name) == "yesno" and value is not None:
                value = "是" if value else "否"
            elif kinds.get(name) == "goal" and value is not None:
                value = goal_names.get(value, value)
            elif isinstance(value, float) and value.is_integer() and kinds.get(name) in ("count", "indicator_value"):
                value = int(value)
            entry[name] = value
        if key == "indicators" and not entry.get("indicator_name") and entry.get("indicator_no") is not None:
            entry["indicator_name"] = _indicator_name(plan, int(entry["indicator_no"]))
        out.append(entry)
    return out


def _indicator_name(plan: Plan, no: int) -> str | None:
    return next((i.name for i in plan.indicators if i.no == no), None)


def _due(plan: Plan, month: Month):
    return [i for i in plan.reported_indicators if month.month in FREQUENCY_MONTHS[i.frequency]]


def record_rows(plan: Plan, data: VersionData, month: Month) -> dict[str, list[dict[str, object]]]:
    """The record as it stands, then empty rows for `month` that it does not hold yet."""
    stored = [sheet for sheet in for_plan(plan) if sheet.stored]  # 督办反馈 is left empty
    rows = {sheet.key: _rows(plan, data, sheet.key) for sheet in stored}
    have = {sheet.key: {tuple(r.get(k) for k in sheet.unique) for r in rows[sheet.key]} for sheet in stored}
    text = str(month)
    for indicator in _due(plan, month):
        if (indicator.no, text) not in have["indicators"]:
            rows["indicators"].append({"indicator_no": indicator.no, "indicator_name": indicator.name, "month": text,
                                       "department": indicator.lead[0]})
    for route in plan.routes:
        if (route.name, text) not in have.get("routes", set()):
            rows["routes"].append({"route": route.name, "month": text})
    finished = finished_tasks(data, month)
    for task in plan.tasks:
        for unit in task.units:
            if (task.no, unit, text) not in have["tasks"] and (task.no, unit) not in finished:
                rows["tasks"].append({"task_no": task.no, "department": unit, "month": text})
    return rows


def open_items(unit: str, items: Sequence[Item]) -> list[Item]:
    """Of `items`, the open ones `unit` must act on, the earliest due first."""
    return sorted((i for i in items if not i.is_closed and unit in i.units), key=lambda i: (i.due, i.id))


def feedback_rows(unit: str, items: Sequence[Item]) -> list[dict[str, object]]:
    """督办反馈 pre-filled with the unit's open items: what each is, and the unit; the answer left to it."""
    return [{"item_no": item.id, "subject": item.subject, "requirement": item.requirement,
             "due": item.due.isoformat(), "department": unit} for item in open_items(unit, items)]


def unit_rows(plan: Plan, data: VersionData, unit: str, month: Month,
              items: Sequence[Item] = ()) -> dict[str, list[dict[str, object]]]:
    """One unit's return for `month`: its rows of every sheet, pre-filled where a report carries over;
    in 督办反馈, its open follow-up items among `items`."""
    text = str(month)
    latest: dict[int, dict] = {}
    for row in _rows(plan, data, "tasks"):
        if row.get("department") != unit or row.get("month") is None or month_of(row["month"]) > month:
            continue
        no = int(row["task_no"])
        if no not in latest or row["month"] > latest[no]["month"]:
            latest[no] = row
    tasks = []
    finished = finished_tasks(data, month)
    for task in plan.tasks:
        if unit not in task.units or (task.no, unit) in finished:
            continue
        last = latest.get(task.no)
        carried = {k: v for k, v in (last or {}).items() if k not in ("month", "task_no", "department")}
        tasks.append({"task_no": task.no, "department": unit, "month": text, **carried})
    values = {(int(r["indicator_no"]), r["month"]): r for r in _rows(plan, data, "indicators") if r.get("month")}
    indicators = []
    for indicator in _due(plan, month):
        if unit in indicator.lead:
            sent = values.get((indicator.no, text))
            indicators.append(sent or {"indicator_no": indicator.no, "indicator_name": indicator.name,
                                       "month": text, "department": unit})
    runs = {(r["route"], r["month"]): r for r in _rows(plan, data, "routes") if r.get("month")}
    routes = [runs.get((r.name, text)) or {"route": r.name, "month": text} for r in plan.routes if unit in r.lead]
    categories = {f.category for f in plan.fleet if unit in f.lead}
    rows = {"indicators": indicators, "tasks": tasks}
    if plan.routes:
        rows["routes"] = routes
    if plan.fleet:
        rows["ships"] = [r for r in _rows(plan, data, "ships") if r.get("category") in categories]
    if plan.goals:
        sent = {(r["goal"], r["month"]): r for r in _rows(plan, data, "goals") if r.get("month")}
        rows["goals"] = [sent.get((g.name, text)) or {"goal": g.name, "month": text}
                         for g in plan.goals if unit in g.lead]
    for register in plan.registers:
        indicator = plan.register_indicator(register)
        rows[register] = _rows(plan, data, register) if unit in indicator.lead else []
    rows["feedback"] = feedback_rows(unit, items)
    return rows


def record_form(plan: Plan, data: VersionData, month: Month) -> bytes:
    """The template holding the record of `data` and empty rows for `month`, as .xlsx bytes."""
    intro = [
        "〇、本表的用法",
        f"本表已填入当前数据（版本 v{data.version.id if data.version else '—'}）的全部记录，并为{month.label}预留了空行。"
        f"只需补充{month.label}的数据或修改有误的行；未修改的行上传后保持不变，只有编号和月份的预留行会被跳过。"
        "上传时选择“合并”（默认）：本表没有列出的行也会保留。要删除某一行，在该行“删除”列填“是”。",
    ]
    return _bytes(plan, record_rows(plan, data, month), intro)


def unit_form(plan: Plan, data: VersionData, unit: str, month: Month, items: Sequence[Item] = ()) -> bytes:
    """One unit's return form for `month`, as .xlsx bytes; `items`: the follow-up items to offer for an
    answer (service.items(store, unit) will do: only the open ones naming `unit` are listed)."""
    intro = [
        "〇、本表的用法",
        f"本表为{unit}{month.label}的报送表：已列出本单位应报的任务、指标和线路，任务已按本单位最近一次报送预填。"
        f"请只修改有变化的内容（状态、完成进度、进展情况等）并填写本月的数值，然后在看板“数据管理”页上传，"
        f"或报送{plan.office}汇总上传。上传时只更新本表中的行，其他单位的数据不受影响。",
    ]
    pending = open_items(unit, items)
    if pending:
        intro.append(
            f"「督办反馈」已列出本单位尚未办结的 {len(pending)} 项督办事项：请在“办理情况”填写办理进展或结果，"
            f"已办完的在“申请办结”填“是”（由{plan.office}审核后销号）。没有填写办理情况的事项不导入。")
    return _bytes(plan, unit_rows(plan, data, unit, month, items), intro)


def _bytes(plan: Plan, rows: dict, intro: list[str]) -> bytes:
    buffer = BytesIO()
    save_workbook(build_template(plan, rows, intro), buffer, template_stamp(plan))
    return buffer.getvalue()
