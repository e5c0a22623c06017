"""Issue 16 (2, 3) in Chromium: nothing that explains a light is cut, nothing is off the right
edge of a laptop (1366×768), and on a phone (390×844) 部门详情 and 总览 read as one row of counts
and a list of cards. Screenshots of every page at the three screens: test-artifacts/e2e/layout-*.png.

Page heights are printed (pytest -s): 部门详情 for 区商务委 at 390×844 was about 7,200 px before
issue 16 (four stacked counts, nine-column tables wrapped to one or two characters a line)."""

import pytest

from conftest import SCREENS, assert_no_exception, main, open_page, plan, screenshots, wait_idle
from ui.nav import pages_for
from yzlogi import views

LAPTOP, PHONE, SMALL_LAPTOP = SCREENS["laptop"], SCREENS["phone"], (1024, 768)
PAGES = pages_for(plan())

# What sticks out: the document scrolls sideways, or an element of the main area ends right of the
# window (hidden ones, inside a display:none table or a closed <details>, have no box).
BEYOND_JS = """() => {
  const width = document.documentElement.clientWidth;
  const doc = document.scrollingElement;
  const beyond = [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1; })
    .map((el) => `${el.getAttribute('data-testid') || el.tagName.toLowerCase()}@${Math.round(el.getBoundingClientRect().right)}`);
  return {scroll: [doc.scrollWidth, doc.clientWidth], beyond: beyond.slice(0, 10)};
}"""
# What is cut: a table box that scrolls sideways, a cell whose text is wider than the cell or
# ends in an ellipsis.
CUT_JS = """() => {
  const out = [];
  for (const box of document.querySelectorAll('[data-testid="stMain"] .yz-t')) {
    if (box.getClientRects().length && box.scrollWidth > box.clientWidth + 1) out.push('table box scrolls sideways');
  }
  for (const cell of document.querySelectorAll('[data-testid="stMain"] .yz-table td, [data-testid="stMain"] .yz-table th')) {
    if (!cell.getClientRects().length) continue;
    const style = getComputedStyle(cell);
    if (cell.scrollWidth > cell.clientWidth + 1 || style.textOverflow === 'ellipsis')
      out.push(cell.innerText.slice(0, 30));
  }
  return out;
}"""
HEIGHT_JS = "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"


def _address(spec) -> tuple[str, dict]:
    return spec.address, ({"dept": "区商务委"} if spec.url_path == "department" else {})


def _at(page, server, spec, size) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    address, params = _address(spec)
    open_page(page, server.page_url(address, **params))
    assert_no_exception(page)


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path)
def test_at_1366_nothing_is_beyond_the_right_edge_and_no_cell_is_cut(server, page, artifacts, spec):
    _at(page, server, spec, LAPTOP)
    found = page.evaluate(BEYOND_JS)
    assert found["scroll"][0] <= found["scroll"][1], found
    assert found["beyond"] == [], found
    assert page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() == 0  # a canvas cuts cells
    assert page.evaluate(CUT_JS) == []
    screenshots(page, f"layout-{spec.url_path}", artifacts)
    heights = {}
    for screen, size in SCREENS.items():
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.reload()
        wait_idle(page)
        heights[screen] = page.evaluate(HEIGHT_JS)
    print(f"\n{spec.title}: page height " + ", ".join(f"{s} {h} px" for s, h in heights.items()))


def test_at_1366_the_heatmap_shows_every_task_and_every_unit_inside_the_window(server, page):
    frame = views.heatmap_frame(server.status(), plan())
    page.set_viewport_size({"width": LAPTOP[0], "height": LAPTOP[1]})
    open_page(page, server.page_url("tasks"))
    chart = main(page).locator('[data-testid="stVegaLiteChart"]').first
    columns = chart.locator('g[aria-label^="X-axis"] g.role-axis-label text')
    rows = chart.locator('g[aria-label^="Y-axis"] g.role-axis-label text')
    assert columns.all_text_contents() == [str(n) for n in sorted(set(frame["task_no"]))]
    assert len(columns.all_text_contents()) == 16
    assert rows.all_text_contents() == list(dict.fromkeys(frame["department"]))
    assert len(rows.all_text_contents()) == 11
    width = page.evaluate("() => document.documentElement.clientWidth")
    main_right = main(page).locator('[data-testid="stMainBlockContainer"]').bounding_box()
    right_edge = min(width, main_right["x"] + main_right["width"])
    for label in [*columns.all(), *rows.all()]:
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= right_edge + 1, label.text_content()
    cells = chart.locator("g.mark-rect.role-mark path")
    assert cells.count() == len(frame)
    rights = cells.evaluate_all("(els) => els.map((el) => el.getBoundingClientRect().right)")
    assert max(rights) <= right_edge + 1
    # The key below names the numbered columns.
    assert f"任务编号：{views.task_label(1, plan().tasks[0].name)}；" in main(page).inner_text()


def _phone_checks(page) -> dict:
    found = page.evaluate(BEYOND_JS)
    assert found["scroll"][0] <= found["scroll"][1], found
    assert found["beyond"] == [], found
    counts = main(page).locator('[class*="st-key-yz_counts_lights"] [data-testid="stMetric"]')
    assert counts.count() == 4
    tops = {round(m.bounding_box()["y"]) for m in counts.all()}
    assert len(tops) == 1, tops  # one row, not four stacked
    return {"cards": main(page).locator("li.yz-card:visible").count(),
            "tables": main(page).locator("table.yz-table:visible").count(),
            "height": page.evaluate(HEIGHT_JS)}


def test_on_a_phone_the_department_page_is_a_row_of_counts_and_cards_in_a_few_screens(server, page):
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    open_page(page, server.page_url("department", dept="区商务委"))
    shown = _phone_checks(page)
    print(f"\n部门详情（区商务委）at 390×844: {shown['height']} px (before issue 16: about 7,200 px)")
    assert shown["cards"] == 5 + 3 + 10 + 5  # red/yellow, led and supported tasks, indicators
    assert shown["tables"] == 0
    assert shown["height"] <= 6 * PHONE[1]
    first = main(page).locator("li.yz-card:visible").first
    assert first.inner_text().split("\n")[0].startswith("■ 红")
    # A task's texts are folded: open, they show in full.
    task = main(page).locator("li.yz-card:visible", has=page.locator("summary"), has_text="9 发挥通道联动作用").first
    assert not task.get_by_text("西部陆海新通道货源组织难度加大", exact=False).is_visible()
    task.locator("summary").click()
    assert task.get_by_text("西部陆海新通道货源组织难度加大", exact=False).is_visible()


def test_on_a_phone_the_overview_is_a_row_of_counts_and_cards(server, page):
    status = server.status()
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    open_page(page, server.page_url())
    shown = _phone_checks(page)
    print(f"\n总览 at 390×844: {shown['height']} px")
    assert shown["cards"] == len(status.exceptions()) + len(status.routes) + len(status.fleet)
    assert shown["tables"] == 0


def test_at_1024_the_alerts_light_category_item_and_reason_are_on_screen(server, page):
    page.set_viewport_size({"width": SMALL_LAPTOP[0], "height": SMALL_LAPTOP[1]})
    open_page(page, server.page_url("department", dept="区商务委"))
    width = page.evaluate("() => document.documentElement.clientWidth")
    table = main(page).locator("table.yz-table").first
    heads = {th.inner_text().strip(): th.bounding_box() for th in table.locator("th").all()}
    assert list(heads) == ["灯", "类别", "事项", "原因"]
    assert all(box["x"] + box["width"] <= width for box in heads.values()), heads
    reasons = table.locator("td:nth-child(4)")
    assert reasons.count() == 5
    for cell in reasons.all():
        assert cell.evaluate("(td) => td.scrollWidth <= td.clientWidth + 1")
