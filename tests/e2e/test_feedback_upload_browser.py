"""Issue 15, point 4, in the browser: a unit's return carrying 督办反馈 uploaded on 数据管理 — the
change digest says what its answers will do (at the three screens, screenshots), the confirmation
records them as the items' answers with the new version."""

import pytest

from builders import good_sheets, write_xlsx
from conftest import SCREENS, after_heading, main, open_page, plan, rerun, wait_idle
from yzlogi.access import hash_passcode
from yzlogi.followups import service as followups
from yzlogi.followups import storage
from yzlogi.model import InputFile
from yzlogi.review import review
from yzlogi.workbook import read_workbook

PASSCODE = "渝中物流-2026"
FILE_NAME = "2026年6月进度及督办反馈（区交通运输委）.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANSWER_LINE = "督办反馈：2 条（督办事项 1、2；其中 1 条申请办结，由督办协调人审核销号），记入各事项的办理记录"
_ITEMS_JS = """(list) => [...list.querySelectorAll('li')].map((li) => li.innerText.trim())"""


@pytest.fixture(scope="module")
def data_server(make_server):
    server = make_server("feedback", {"YZLOGI_PASSCODE_HASH": hash_passcode(PASSCODE, n=2**10, r=8, p=1)})
    for about, text in (("task:8", "报送渝穗班列追赶计划"), ("route:渝穗班列:2026", "加密班次")):
        added = server.cli("followup", "add", "--about", about, "--text", text, "--due", "2099-12-31", "--by", "张三")
        assert added.returncode == 0, added.stderr
    return server


def review_on_screen(page, server, workbook: bytes, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server.page_url("data"))
    page.get_by_label("上传口令").fill(PASSCODE)
    rerun(page, lambda: page.get_by_role("button", name="解锁").click())
    file_input = main(page).locator('[data-testid="stFileUploader"] input[type="file"]')
    rerun(page, lambda: file_input.set_input_files({"name": FILE_NAME, "mimeType": XLSX, "buffer": workbook}))
    assert f"读取和校验完成：{FILE_NAME}，没有错误" in main(page).inner_text()


def test_a_return_with_answers_is_reviewed_and_committed_with_them(data_server, page, tmp_path, artifacts):
    sheets = good_sheets()
    sheets["督办反馈"] = (["事项编号", "办理情况", "申请办结", "填报单位"],
                      [[1, "追赶计划已报专班审定", "是", "区交通运输委"], [2, "7月起每周加开1班", "否", ""]])
    workbook = write_xlsx(tmp_path / "return.xlsx", sheets).read_bytes()
    store = data_server.store()
    before = store.active_version()
    items = followups.item_index(store)
    parsed = read_workbook([InputFile(FILE_NAME, workbook)], plan(), followups=items)
    expected = review(plan(), parsed, store.versions(), store.load(before.id), followups=items)
    assert expected.answers == (ANSWER_LINE,)

    try:
        for screen, (width, height) in SCREENS.items():
            review_on_screen(page, data_server, workbook, width, height)
            merged = after_heading(page, "变化摘要", tag="ul")
            assert merged.evaluate(_ITEMS_JS) == expected.lines()  # the merge's lines, then the answers'
            full = page.evaluate("""() => Math.ceil(Math.max(
              document.querySelector('[data-testid="stMain"]').scrollHeight, window.innerHeight))""")
            page.set_viewport_size({"width": width, "height": min(full, 16_000)})
            wait_idle(page)
            page.screenshot(path=str(artifacts / f"data-feedback-review-{screen}.png"))
            overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, screen
    finally:
        page.set_viewport_size({"width": 1600, "height": 1000})

    page.get_by_label("导入人（必填，记入版本历史）").fill("刘七")
    rerun(page, lambda: page.get_by_role("button", name="确认导入为新的当前版本").click())
    new = store.active_version()
    assert (new.id, new.files, new.by) == (before.id + 1, (FILE_NAME,), "刘七")
    assert "督办反馈已记入相应督办事项的办理记录。" in main(page).inner_text()
    with store.reading() as con:
        recorded = [(e.item_id, e.text, e.request_close, e.unit, e.via, e.version_id, e.by)
                    for item in storage.read_items(con) for e in item.answers]
    assert recorded == [(1, "追赶计划已报专班审定", True, "区交通运输委", "workbook", new.id, "刘七"),
                        (2, "7月起每周加开1班", False, None, "workbook", new.id, "刘七")]
