"""Follow-up items shaped for people and programs: JSON (followup list --json), Chinese lines
(followup list), and the rows of the tables the briefing and the 督办通知单 print.

Nothing here reads the store or the clock: items come judged for a day (service.Judged)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from yzlogi.followups.lights import ORDER, STATES, counts, light_text
from yzlogi.followups.model import VIA_LABELS, Event, Item, date_label
from yzlogi.followups.service import Judged

def item_json(judged: Judged) -> dict:
    """An item with its fields, its light (`level`: green/yellow/red or closed) and reason, and its history."""
    item, light = judged.item, judged.light
    closed = item.closed_event
    return {
        "id": item.id,
        "about": item.about,
        "section": item.section,
        "subject": item.subject,
        "units": list(item.units),
        "requirement": item.requirement,
        "due": item.due.isoformat(),
        "raised_at": item.raised_at.isoformat(),
        "raised_by": item.raised_by,
        "version_id": item.version_id,
        "as_of": str(item.as_of) if item.as_of else None,
        "level": light.level,
        "state": light.state,
        "reason": light.text,
        "closed": closed is not None,
        "closed_at": closed.at.isoformat() if closed else None,
        "close_requested": item.close_requested,
        "history": [event.to_json() for event in item.events],
    }


def summary_line(judged: Sequence[Judged], day: date) -> str:
    """督办事项 4 项（按 2026年7月18日 计）：逾期 1，临期 1，办理中 1，已办结 1."""
    found = counts(j.light for j in judged)
    parts = "，".join(f"{STATES[key]} {found[key]}" for key in ORDER)
    return f"督办事项 {len(judged)} 项（按 {date_label(day)} 计）：{parts}"


def event_line(event: Event) -> str:
    """2026-07-10 14:05 反馈（区交通运输委，月度报表 v3）张三：已报送追赶计划［申请办结］."""
    details = [d for d in (event.unit, _via_text(event)) if d]
    extra = f"（{'，'.join(details)}）" if details else ""
    due = f"截止日期改为 {event.due:%Y-%m-%d}" if event.kind == "due_changed" else ""
    body = "；".join(t for t in (due, event.text) if t)
    tail = "［申请办结］" if event.request_close else ""
    return f"{event.at:%Y-%m-%d %H:%M} {event.label}{extra} {event.by}" + (f"：{body}" if body else "") + tail


def _via_text(event: Event) -> str:
    if event.version_id is not None:
        return f"{VIA_LABELS[event.via]} v{event.version_id}"
    return VIA_LABELS[event.via]


def item_lines(judged: Judged, history: bool = True) -> list[str]:
    """An item in Chinese: its head line, requirement, light and why, then (indented) its history."""
    item, light = judged.item, judged.light
    request = "［已申请办结，待销号］" if item.close_requested else ""
    lines = [
        f"[{item.id}] {light_text(light.level)} {light.state}｜{item.subject}｜{'、'.join(item.units)}｜"
        f"截止 {item.due:%Y-%m-%d}{request}",
        f"    督办要求：{item.requirement}",
        f"    {light.text}",
    ]
    if history:
        lines += [f"      {event_line(event)}" for event in item.events]
    return lines


# --- table rows (the briefing and the 督办通知单) ------------------------------------------------

OPEN_COLUMNS = ("编号", "事项", "办理单位", "督办要求", "截止日期", "灯", "说明", "最新反馈")
CLOSED_COLUMNS = ("编号", "事项", "办理单位", "督办要求", "截止日期", "状态", "办结情况", "最新反馈")
NOTICE_COLUMNS = ("编号", "事项", "督办要求", "截止日期", "灯", "说明")


def _answer_text(item: Item) -> str:
    answer = item.last_answer
    if answer is None:
        return "尚未反馈"
    request = "（申请办结）" if answer.request_close else ""
    unit = f"{answer.unit}，" if answer.unit else ""
    return f"{answer.at:%Y-%m-%d}（{unit}{answer.by}）：{answer.text}{request}"


def open_rows(judged: Sequence[Judged]) -> list[tuple]:
    """Open items as OPEN_COLUMNS; the light as text (■ 红) for the tables' light cells."""
    return [(j.item.id, j.item.subject, "、".join(j.item.units), j.item.requirement, date_label(j.item.due),
             light_text(j.light.level), j.light.text, _answer_text(j.item))
            for j in judged if j.light.level != "closed"]


def closed_rows(judged: Sequence[Judged]) -> list[tuple]:
    """Closed items as CLOSED_COLUMNS."""
    rows = []
    for j in judged:
        closed = j.item.closed_event
        if closed is None:
            continue
        note = f"：{closed.text}" if closed.text else ""
        rows.append((j.item.id, j.item.subject, "、".join(j.item.units), j.item.requirement, date_label(j.item.due),
                     light_text(j.light.level), f"{date_label(closed.at.date())}由{closed.by}销号{note}",
                     _answer_text(j.item)))
    return rows


def notice_rows(judged: Sequence[Judged]) -> list[tuple]:
    """A unit's open items as NOTICE_COLUMNS."""
    return [(j.item.id, j.item.subject, j.item.requirement, date_label(j.item.due), light_text(j.light.level),
             j.light.text) for j in judged if j.light.level != "closed"]
