"""会议模式 on the wall: the walk, stepped by its button through every slide at 1920×1080 and
1366×768, each slide fitting the screen (the main area does not scroll, nothing is cut by an
ellipsis or a hidden overflow, nothing passes the right edge), the counts at least three times
the slide's body type; a screenshot of each slide kept. The control bar keeps its words at 1024×768."""

from __future__ import annotations

import pytest

from conftest import SCREENS, main, open_page, overflowing, wait_idle

# The sample's walk, slide by slide: (the page's title, the slide's heading).
SLIDES = [
    ("总览", "需要关注：红灯、黄灯（1/2）"),
    ("总览", "需要关注：红灯、黄灯（2/2）"),
    ("年度指标", "年度指标"),
    ("通道班次", "通道班次"),
    ("船舶更新", "船舶更新"),
    ("部门任务", "部门任务热力图"),
    ("部门任务", "单位亮牌：红灯、黄灯与报送"),
    ("督办事项", "2026年10月尚未报齐的单位"),
]
NAMES = ["overview-1", "overview-2", "indicators", "routes", "fleet", "tasks-heatmap", "tasks-ranking",
         "followups-returns"]

SHOWN_JS = """() => [document.querySelector('[data-testid="stMain"] h1')?.innerText.trim(),
                     document.querySelector('.yz-heading')?.innerText.trim()]"""
# How the slide sits on the screen: whether the main area scrolls, and every text cut short.
FIT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const cut = [];
  for (const el of main.querySelectorAll('*')) {
    if (!el.getClientRects().length || !el.innerText || !el.innerText.trim()) continue;
    const style = getComputedStyle(el);
    const clips = style.textOverflow === 'ellipsis' || ['hidden', 'clip'].includes(style.overflowX);
    if (clips && el.scrollWidth > el.clientWidth + 1) cut.push(el.innerText.trim().slice(0, 40));
  }
  return {scroll: main.scrollHeight, client: main.clientHeight, cut};
}"""
SIZES_JS = """() => {
  const px = (sel) => { const el = document.querySelector(sel); return el ? parseFloat(getComputedStyle(el).fontSize) : null; };
  return {body: px('.yz-slide'), cell: px('.yz-td'), counts: [...document.querySelectorAll('.yz-count-n')].map(
    (el) => parseFloat(getComputedStyle(el).fontSize))};
}"""


def shown(page) -> tuple[str, str]:
    return tuple(page.evaluate(SHOWN_JS))


def step(page, expected: tuple[str, str]) -> None:
    """Press 下一页 and wait for the slide it leads to (another page, or this page's next slide)."""
    main(page).get_by_role("button", name="下一页").click()
    page.wait_for_function(f"() => JSON.stringify(({SHOWN_JS})()) === {json_array(expected)}")
    wait_idle(page)


def json_array(pair) -> str:
    import json

    return json.dumps(json.dumps(list(pair), ensure_ascii=False, separators=(",", ":")), ensure_ascii=False)


@pytest.mark.parametrize("screen", ["wall", "laptop"])
def test_every_slide_fits_the_screen(server, page, artifacts, screen):
    width, height = SCREENS[screen]
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server.page_url(mode="meeting", every="600"))  # stepped by hand only
    seen = []
    for index, (expected, name) in enumerate(zip(SLIDES, NAMES)):
        if index:
            step(page, expected)
        assert shown(page) == expected
        seen.append(expected)
        fit = page.evaluate(FIT_JS)
        assert fit["scroll"] <= fit["client"] + 1, f"{name} at {width}×{height} scrolls: {fit}"
        assert fit["cut"] == [], f"{name} at {width}×{height}: text cut {fit['cut']}"
        assert overflowing(page) == [], f"{name} at {width}×{height} passes the right edge"
        sizes = page.evaluate(SIZES_JS)
        if name == "overview-1":
            assert len(sizes["counts"]) == 4
            assert min(sizes["counts"]) >= 3 * sizes["body"] and min(sizes["counts"]) >= 3 * sizes["cell"]
        page.screenshot(path=str(artifacts / f"meeting-{name}-{width}x{height}.png"))
    assert seen == SLIDES
    step(page, SLIDES[0])  # and round again


def test_the_control_bar_keeps_its_words_at_1024(server, page, artifacts):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_page(page, server.page_url("routes", mode="meeting", every="600"))
    for word in ("上一页", "暂停", "下一页", "退出"):
        button = main(page).locator('[data-testid="stButton"] button').filter(has_text=word).first
        label = button.locator('[data-testid="stMarkdownContainer"] p').first
        assert label.inner_text().strip() == word
        assert label.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), word
        assert button.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), word
    assert page.evaluate(FIT_JS)["cut"] == []
    page.screenshot(path=str(artifacts / "meeting-routes-1024x768.png"))
