"""What only a browser shows: charts drawn by Vega with their data, and Chinese
drawn with a CJK font from the theme rather than tofu boxes."""

from collections import Counter

import pytest

from conftest import fonts_used, main, open_page, plan, theme_fonts
from yzlogi import views

CHART_PAGES = ["indicators", "routes", "fleet", "tasks"]
CJK_FONTS = set(theme_fonts()) - {"sans-serif", "serif"}


@pytest.mark.parametrize("path", CHART_PAGES)
def test_every_chart_on_the_page_is_drawn_with_marks(server, page, path):
    open_page(page, server.page_url(path))
    charts = main(page).locator('[data-testid="stVegaLiteChart"]').all()
    assert charts, f"no chart on /{path}"
    for chart in charts:
        drawn = chart.locator("svg.marks, canvas").first
        box = drawn.bounding_box()
        assert box["width"] > 0 and box["height"] > 0
        # Vega draws each data item as an element under a role-mark group.
        assert chart.locator("g.role-mark > *").count() > 0


def test_the_heatmap_draws_one_cell_per_unit_and_task_with_its_mark(server, page):
    frame = views.heatmap_frame(server.status(), plan())
    open_page(page, server.page_url("tasks"))
    chart = main(page).locator('[data-testid="stVegaLiteChart"]').first
    assert chart.locator("g.mark-rect.role-mark path").count() == len(frame)
    cell_marks = chart.locator("g.mark-text.role-mark text").all_text_contents()
    assert Counter(cell_marks) == Counter(frame["mark"])
    rows = chart.locator('g[aria-label^="Y-axis"] g.role-axis-label text').all_text_contents()
    assert rows == list(dict.fromkeys(frame["department"]))


@pytest.mark.parametrize("what, path, selector", [
    ("page title", "tasks", '[data-testid="stMain"] h1'),
    ("menu entry", "tasks",
     '[data-testid="stSidebarNavLink"][aria-current="page"] [data-testid="stMarkdownContainer"] p'),
    ("chart axis label", "tasks", '[data-testid="stVegaLiteChart"] g[aria-label^="Y-axis"] g.role-axis-label text'),
    ("metric label", "department?dept=区商务委", '[data-testid="stMetricLabel"] p'),
])
def test_chinese_is_drawn_with_a_cjk_font_of_the_theme(server, page, what, path, selector):
    open_page(page, f"{server.url}/{path}")
    used = fonts_used(page, selector)
    text = page.locator(selector).first.text_content()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (what, text)
    assert used, (what, "nothing drawn")
    # Every glyph came from a CJK family the theme names: no fallback, no tofu.
    assert set(used) <= CJK_FONTS, (what, used)
