"""Issue 15 through the browser: items raised from the command line show on 总览, on their page
(the filter in the address) and first on 部门详情; a meeting raises one from an exception row
after unlocking, and the 督办通知单 downloads. Screenshots at the three screens."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from conftest import (assert_no_exception, grid, main, open_page, overflowing, query, rerun, screenshots, title)
from yzlogi.access import hash_passcode

PASSCODE = "渝中物流-2026"
TODAY = date.today()


@pytest.fixture(scope="module")
def followup_server(make_server):
    server = make_server("followups", {"YZLOGI_PASSCODE_HASH": hash_passcode(PASSCODE, n=2**10, r=8, p=1)})
    for about, unit, text, due in (
        ("route:渝穗班列:2026", "区交通运输委", "报送渝穗班列追赶计划", TODAY + timedelta(days=2)),
        ("task:8:区商务委", "区商务委", "补报任务8本月进展，说明运力投入不足的原因和下一步安排", TODAY + timedelta(days=20)),
    ):
        result = server.cli("followup", "add", "--about", about, "--unit", unit, "--text", text, "--due",
                            due.isoformat(), "--by", "专班办公室")
        assert result.returncode == 0, result.stderr
    return server


def items(server) -> dict[int, dict]:
    result = server.cli("followup", "list", "--json")
    return {item["id"]: item for item in json.loads(result.stdout)}


def test_items_show_on_their_page_with_the_filter_in_the_address(followup_server, page, artifacts):
    open_page(page, followup_server.page_url("followups", unit="交通委"))
    assert title(page) == "督办事项"
    assert query(page)["unit"] == "区交通运输委"
    rows = grid(page, "编号", "督办要求")
    assert [(r["编号"], r["事项"], r["办理单位"], r["灯"]) for r in rows] == [("1", "渝穗班列（2026年）", "区交通运输委", "▲ 黄")]
    assert_no_exception(page)
    screenshots(page, "followups-page", artifacts)
    open_page(page, followup_server.page_url("followups"))
    assert [r["编号"] for r in grid(page, "编号", "督办要求")] == ["1", "2"]  # due soon first
    assert overflowing(page) == []


def test_a_department_sees_its_items_first_and_downloads_its_notice(followup_server, page, artifacts, tmp_path):
    open_page(page, followup_server.page_url("department", dept="区商务委"))
    body = main(page).inner_text()
    assert body.index("督办事项") < body.index("需要关注：红灯、黄灯")
    assert [r["编号"] for r in grid(page, "编号", "督办要求")] == ["2"]
    with page.expect_download() as caught:
        main(page).get_by_role("button", name="下载督办通知单（PDF）").click()
    assert caught.value.suggested_filename == f"督办通知单_区商务委_{TODAY.year}年{TODAY.month}月{TODAY.day}日.pdf"
    saved = tmp_path / "notice.pdf"
    caught.value.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"
    screenshots(page, "department-followups", artifacts)


def test_a_meeting_raises_an_item_from_an_exception_row(followup_server, page, artifacts):
    open_page(page, followup_server.page_url(mode="meeting"))
    assert "逾期 **" not in main(page).inner_text()
    main(page).get_by_text("对红灯、黄灯事项交办督办").click()
    page.get_by_label("上传口令").fill(PASSCODE)
    rerun(page, lambda: main(page).get_by_role("button", name="解锁").click())
    main(page).get_by_label("督办要求").fill("下次会议前说明指标5的追赶措施")
    main(page).get_by_label("交办人（必填）").fill("主持人")
    rerun(page, lambda: main(page).get_by_role("button", name="交办").click())
    assert "已交办督办事项 3：指标5 西部陆海新通道运量增速（2026年），办理单位 区商务委" in main(page).inner_text()
    assert query(page)["mode"] == "meeting" and title(page) == "总览"
    raised = items(followup_server)[3]
    assert (raised["about"], raised["units"], raised["raised_by"], raised["due"]) == (
        "indicator:5:2026", ["区商务委"], "主持人", (TODAY + timedelta(days=14)).isoformat())
    screenshots(page, "overview-meeting-followups", artifacts)
