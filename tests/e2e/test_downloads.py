"""Files the browser downloads arrive whole and with their Chinese names: the
fill-in template, and the meeting briefing of the version and month on screen."""

import hashlib
import io

import pytest
from openpyxl import load_workbook

from conftest import main, open_page, plan
from yzlogi import briefing, snapshot
from yzlogi.months import Month
from yzlogi.template import write_template


def _download(page, button: str):
    with page.expect_download() as caught:
        main(page).get_by_role("button", name=button).click()
    return caught.value


def _cells(workbook) -> dict[str, list[tuple]]:
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def test_the_template_downloads_with_its_chinese_name(server, page, tmp_path):
    open_page(page, server.page_url("data"))
    download = _download(page, "下载空白填报模板（进度填报模板.xlsx）")
    assert download.suggested_filename == "进度填报模板.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    # The same workbook, cell for cell, as the template made without the app.
    made = io.BytesIO()
    write_template(made, plan())
    assert _cells(load_workbook(saved)) == _cells(load_workbook(made))


@pytest.mark.parametrize("fmt, button", [(briefing.XLSX, "下载推进情况汇总表（Excel）"),
                                         (briefing.PDF, "下载会议简报（PDF）")])
def test_the_briefing_of_the_month_on_screen_downloads_whole(server, page, tmp_path, fmt, button):
    store = server.store()
    version = store.active_version()
    open_page(page, server.page_url(asof="2026-06"))
    download = _download(page, button)
    assert download.suggested_filename == briefing.file_name(version.id, Month.parse("2026-06"), fmt)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    # The briefing is deterministic: the same bytes as made from the store without the app.
    assert data == briefing.build(snapshot.take(store, version.id, Month.parse("2026-06")), plan(), fmt)
    recorded = store.exports()[-1]
    assert (recorded.version_id, recorded.as_of, recorded.format, recorded.via) == (version.id, "2026-06", fmt, "web")
    assert recorded.sha256 == hashlib.sha256(data).hexdigest()
