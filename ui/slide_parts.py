"""The drawing of each part of a meeting slide (ui/slides.py frames them): HTML in screen
units, from the deck's items. Every text that comes from data goes through `esc`; the
sizes are yzlogi.deck's, so what the deck paged is what is drawn. STYLE is constant CSS.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

from yzlogi import deck, levels, views
from yzlogi.followups.lights import look
from yzlogi.followups.model import date_label
from yzlogi.returns import STATE_LABELS
from yzlogi.status import fmt


def u(size: float) -> str:
    return f"calc(var(--u) * {size:g})"


def esc(text: object) -> str:
    return html.escape(str(text))


_YELLOW_TEXT = "#111827"
STYLE = (
    "<style>\n:root { --u: min(1vh, 0.5625vw); }\n"
    f".yz-slide {{ font-size: {u(deck.BODY)}; line-height: {deck.LINE}; color: #111827; }}\n"
    f".yz-head {{ display: flex; justify-content: space-between; align-items: baseline; gap: {u(2)};"
    f" height: {u(deck.HEADING)}; }}\n"
    f".yz-heading {{ font-size: {u(2.8)}; font-weight: 700; line-height: 1.2; }}\n"
    f".yz-where {{ font-size: {u(deck.SMALL)}; color: #4b5563; white-space: nowrap; }}\n"
    f".yz-rest {{ font-size: {u(deck.SMALL)}; color: #1f4e9c; font-weight: 700; height: {u(deck.POINTER)};"
    f" padding-top: {u(0.8)}; }}\n"
    f".yz-badge {{ display: inline-block; padding: 0 {u(0.6)}; border-radius: {u(0.4)}; font-weight: 700;"
    f" color: #fff; white-space: nowrap; }}\n"
    + "".join(f".yz-{k} {{ background: {lv.colour}; {'color: ' + _YELLOW_TEXT + ';' if k == levels.YELLOW else ''} }}\n"
              for k, lv in levels.LEVELS.items())
    + ".yz-closed { background: #6b7280; }\n"
    f".yz-table {{ display: grid; column-gap: {u(deck.GAP)}; }}\n"
    f".yz-th {{ font-weight: 700; color: #4b5563; border-bottom: 2px solid #9ca3af; padding: {u(0.3)} {u(0.6)}; }}\n"
    f".yz-td {{ border-bottom: 1px solid #e5e7eb; padding: {u(0.5)} {u(0.6)}; overflow-wrap: anywhere; }}\n"
    f".yz-small {{ font-size: {u(deck.SMALL)}; color: #374151; }}\n"
    f".yz-counts {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: {u(deck.GAP * 2)};"
    f" height: {u(deck.COUNTS - 1.5)}; margin-bottom: {u(1.5)}; }}\n"
    f".yz-count {{ border-radius: {u(0.8)}; padding: {u(0.8)} {u(1.6)}; background: #f3f4f6;"
    f" border-left: {u(1)} solid #9ca3af; }}\n"
    f".yz-count-n {{ font-size: {u(8)}; line-height: 1.1; font-weight: 800; }}\n"
    f".yz-count-l {{ font-size: {u(deck.BODY)}; }}\n"
    + "".join(f".yz-count.yz-c-{k} {{ border-left-color: {lv.colour}; }}\n" for k, lv in levels.LEVELS.items())
    + f".yz-cards {{ display: grid; grid-template-columns: repeat({deck.CARD_COLUMNS}, 1fr); gap: {u(deck.GAP)}; }}\n"
    f".yz-card {{ border: 1px solid #d1d5db; border-radius: {u(0.8)}; padding: {u(1)} {u(1.2)}; }}\n"
    f".yz-card-top {{ display: flex; justify-content: space-between; gap: {u(0.8)}; align-items: flex-start; }}\n"
    f".yz-card-title {{ font-size: {u(deck.CARD_TITLE)}; font-weight: 700; }}\n"
    f".yz-value {{ font-size: {u(deck.CARD_VALUE)}; font-weight: 800; line-height: 1.25; }}\n"
    f".yz-value-text {{ font-size: {u(deck.BODY)}; font-weight: 700; }}\n"
    f".yz-tiles {{ display: grid; gap: {u(deck.GAP * 2)}; }}\n"
    f".yz-tile {{ border: 1px solid #d1d5db; border-radius: {u(1)}; padding: {u(1.4)} {u(1.8)}; }}\n"
    f".yz-tile-name {{ font-size: {u(3)}; font-weight: 800; line-height: 1.25; }}\n"
    f".yz-big {{ font-size: {u(8)}; font-weight: 800; line-height: 1.15; }}\n"
    f".yz-big small {{ font-size: {u(2.6)}; font-weight: 700; margin-left: {u(0.6)}; }}\n"
    f".yz-need {{ font-size: {u(2.6)}; font-weight: 700; margin-top: {u(0.6)}; }}\n"
    f".yz-bar {{ position: relative; height: {u(2.6)}; background: #e5e7eb; border-radius: {u(0.4)};"
    f" margin: {u(3.2)} 0 {u(0.6)} 0; }}\n"
    f".yz-fill {{ position: absolute; left: 0; top: 0; bottom: 0; border-radius: {u(0.4)}; }}\n"
    f".yz-mark {{ position: absolute; top: {u(-0.8)}; bottom: {u(-0.8)}; width: {u(0.5)}; background: #111827; }}\n"
    f".yz-mark span {{ position: absolute; bottom: 100%; transform: translateX(-50%); font-size: {u(deck.SMALL)};"
    f" white-space: nowrap; font-weight: 700; }}\n"
    f".yz-scale {{ display: flex; justify-content: space-between; font-size: {u(deck.SMALL)}; color: #4b5563; }}\n"
    f".yz-heat {{ display: grid; gap: {u(0.25)}; }}\n"
    f".yz-heat div {{ display: flex; align-items: center; justify-content: center; text-align: center;"
    f" font-size: {u(1.7)}; line-height: 1.1; height: {u(deck.HEATMAP_ROW - 0.25)}; border-radius: {u(0.3)}; }}\n"
    f".yz-heat .yz-hh {{ height: {u(deck.HEATMAP_HEAD - 0.25)}; font-size: {u(1.6)}; font-weight: 700; color: #374151; }}\n"
    f".yz-heat .yz-task {{ justify-content: flex-start; text-align: left; font-size: {u(1.8)}; }}\n"
    ".yz-heat .yz-none { background: #f3f4f6; }\n"
    f".yz-legend {{ font-size: {u(1.6)}; color: #4b5563; height: {u(deck.HEATMAP_LEGEND)}; padding-top: {u(0.6)}; }}\n"
    f".yz-quiet {{ font-size: {u(4)}; font-weight: 700; padding-top: {u(12)}; text-align: center; }}\n"
    "</style>"
)


def badge(level: str) -> str:
    found = levels.level(level)
    return f'<span class="yz-badge yz-{level}">{found.mark} {found.name}</span>'


def chip(level: str, text: str) -> str:
    css = "closed" if level not in levels.LEVELS else level
    return f'<span class="yz-badge yz-{css}">{esc(text)}</span>'


def table(columns, cells: list[list[str]]) -> str:
    """A grid table with deck's column widths; `cells` are HTML already escaped."""
    template = " ".join("1fr" if w is None else u(w) for _, w in columns)
    head = "".join(f'<div class="yz-th">{esc(name)}</div>' for name, _ in columns)
    body = "".join(f'<div class="yz-td">{cell}</div>' for row in cells for cell in row)
    return f'<div class="yz-table" style="grid-template-columns: {template}">{head}{body}</div>'


def exceptions(slide, view) -> str:
    if not slide.items:
        return '<div class="yz-quiet">没有红灯或黄灯事项。</div>'
    rows = [[badge(a.level), esc(a.title), esc(a.why), esc("、".join(a.departments) or "——")] for a in slide.items]
    return table(deck.EXCEPTIONS, rows)


def counts(slide, view) -> str:
    found = view.status.counts()["total"]
    tiles = "".join(
        f'<div class="yz-count yz-c-{k}"><div class="yz-count-n">{found[k]}</div>'
        f'<div class="yz-count-l">{levels.level(k).mark} {levels.name(k)}</div></div>' for k in levels.ORDER)
    return f'<div class="yz-counts">{tiles}</div>{exceptions(slide, view)}'


def indicators(slide, view) -> str:
    cards = []
    inner = (deck.WIDTH - deck.GAP * (deck.CARD_COLUMNS - 1)) / deck.CARD_COLUMNS - 2.4
    for c in slide.items:
        value_class = "yz-value" if deck.em(c["value"]) * deck.CARD_VALUE <= inner else "yz-value-text"
        cards.append(
            f'<div class="yz-card"><div class="yz-card-top"><div class="yz-card-title">{esc(c["title"])}</div>'
            f'{badge(c["level"])}</div><div class="{value_class}">{esc(c["value"])}</div>'
            f'<div class="yz-small">目标 {esc(c["target"])}</div><div class="yz-small">序时进度 {esc(c["expected"])}</div>'
            f'<div class="yz-small">{esc(c["why"])}</div></div>')
    return f'<div class="yz-cards">{"".join(cards)}</div>'


def _bar(actual: float | None, expected: float | None, target: float, level: str) -> str:
    top = max(target, actual or 0, expected or 0) or 1
    fill = 0 if actual is None else actual / top * 100
    colour = levels.colour(level)
    mark = ("" if expected is None else
            f'<div class="yz-mark" style="left: {expected / top * 100:.1f}%"><span>序时 {esc(fmt(expected, 0))}</span></div>')
    return (f'<div class="yz-bar"><div class="yz-fill" style="width: {fill:.1f}%; background: {colour}"></div>{mark}'
            f'</div><div class="yz-scale"><span>0</span><span>年目标 {esc(fmt(target))}</span></div>')


def routes(slide, view) -> str:
    status = view.status
    tiles = []
    for item in slide.items:
        year = item.year(status.current_year)
        need = views.number(_ceil(year.required_monthly))
        tiles.append(
            f'<div class="yz-tile"><div class="yz-card-top"><div class="yz-tile-name">{esc(item.route)}</div>'
            f'{badge(year.light.level)}</div>'
            f'<div class="yz-big">{esc(views.number(year.actual_ytd))}<small>班次（{year.year}年累计）</small></div>'
            f'<div>序时进度 <b>{esc(views.number(year.expected_ytd, digits=0))}</b>　年目标 <b>{esc(views.number(year.target))}</b></div>'
            f'{_bar(year.actual_ytd, year.expected_ytd, year.target, year.light.level)}'
            f'<div class="yz-need">剩余每月需开行 {esc(need)} 班次（剩 {year.remaining_months} 个月）</div>'
            f'<div class="yz-small">{esc(year.light.text)}</div>'
            f'<div class="yz-small">{esc(status.plan.span)}累计 {esc(views.number(item.cumulative))} / '
            f'{esc(views.number(item.three_year_target))} {badge(item.light_3y.level)}</div></div>')
    return f'<div class="yz-tiles" style="grid-template-columns: repeat({deck.ROUTES_PER_SLIDE}, 1fr)">{"".join(tiles)}</div>'


def _ceil(value: float | None) -> float | None:
    return None if value is None else float(math.ceil(value - 1e-9)) if value > 0 else 0.0


def fleet(slide, view) -> str:
    tiles = []
    for f in slide.items:
        tiles.append(
            f'<div class="yz-tile"><div class="yz-card-top"><div class="yz-tile-name">{esc(f.category)}</div>'
            f'{badge(f.light.level)}</div>'
            f'<div class="yz-big">{f.done}<small>/ {f.target}{esc(f.unit)}{"以上" if f.at_least else ""} 已完成</small></div>'
            f'<div>序时进度 <b>{esc(views.number(f.expected, f.unit, 1))}</b>　在建 {f.in_progress}　计划 {f.planned}</div>'
            f'<div class="yz-small">{esc(f.light.text)}</div></div>')
    return (f'<div class="yz-tiles" style="grid-template-columns: repeat({deck.FLEET_PER_SLIDE // 2}, 1fr)">'
            f'{"".join(tiles)}</div>')


def heatmap(slide, view) -> str:
    departments = view.plan.departments
    template = f"{u(36)} {u(7)} repeat({len(departments)}, 1fr)"
    cells = ['<div class="yz-hh yz-task">重点任务</div>', '<div class="yz-hh">任务</div>']
    cells += [f'<div class="yz-hh">{esc(d.short or d.name)}</div>' for d in departments]
    for task in slide.items:
        cells.append(f'<div class="yz-task">{esc(views.task_label(task.no, task.name))}</div>')
        cells.append(f'<div class="yz-{task.light.level}" style="font-weight: 700">{esc(views.light_text(task.light))}</div>')
        by_unit = {unit.department: unit for unit in task.units}
        for d in departments:
            unit = by_unit.get(d.name)
            if unit is None:
                cells.append('<div class="yz-none"></div>')
                continue
            state = views.STATUS_MARKS.get(unit.status or "", "—") if unit.reported else "缺"
            cells.append(f'<div class="yz-{unit.light.level}">{views.ROLE_MARKS[unit.role]}·{esc(state)}</div>')
    legend = ("格内：牵＝牵头单位，责＝责任单位；序＝序时推进，未＝未启动，滞＝滞后，完＝已完成，缺＝当月未报送。"
              "颜色为该单位的灯：" + "　".join(f"{levels.level(k).mark} {levels.name(k)}" for k in levels.ORDER))
    return (f'<div class="yz-heat" style="grid-template-columns: {template}">{"".join(cells)}</div>'
            f'<div class="yz-legend">{esc(legend)}</div>')


def ranking(slide, view) -> str:
    rows = []
    for r in slide.items:
        reporting = esc(r.reporting_text) if r.reporting_level is None else chip(r.reporting_level, r.reporting_text)
        rows.append([
            f"<b>{r.rank}</b>", esc(r.unit),
            chip(levels.RED, str(r.red)) if r.red else "0", chip(levels.YELLOW, str(r.yellow)) if r.yellow else "0",
            reporting, esc(r.change.text()) if r.change else "——（无上一版本）" if view.previous is None else "——",
            f'<span class="yz-small">{esc("、".join(r.items) or "——")}</span>',
        ])
    return table(deck.RANKING, rows)


def followups(slide, view) -> str:
    rows = []
    for j in slide.items:
        item = j.item
        found = look(j.light.level)
        rows.append([
            chip(j.light.level, f"{found.mark} {found.label}"), esc(item.id),
            f'<b>{esc(item.subject)}</b><br><span class="yz-small">{esc(item.requirement)}</span>',
            esc("、".join(item.units)), esc(date_label(item.due)), esc(f"{j.light.state}：{j.light.text}"),
        ])
    return table(deck.FOLLOWUPS, rows)


def returns(slide, view) -> str:
    rows = []
    for unit in slide.items:
        state = STATE_LABELS[unit.state] + (f" {unit.sent}/{len(unit.owed)}" if unit.sent else "")
        rows.append([badge(unit.light.level), esc(unit.unit), esc(state),
                     esc("、".join(item.title for item in unit.unsent))])
    return table(deck.RETURNS, rows)


def quiet(slide, view) -> str:
    return (f'<div class="yz-quiet">没有逾期或临期的督办事项；<br>{esc(view.as_of.label)}各单位均已报齐。</div>'
            if slide.view == "followups" else '<div class="yz-quiet">——</div>')


DRAW: dict[str, Callable] = {
    "counts": counts, "exceptions": exceptions, "indicators": indicators, "routes": routes, "fleet": fleet,
    "heatmap": heatmap, "ranking": ranking, "followups": followups, "returns": returns, "quiet": quiet,
}
