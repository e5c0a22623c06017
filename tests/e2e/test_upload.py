"""The 数据管理 page through the browser: an official's upload from the file input
(a Chinese file name) through passcode, validation report, change digest and
confirmation to a new version every page shows."""

import hashlib

import pytest

from builders import good_sheets, write_xlsx
from conftest import (after_heading, combobox, counts_shown, go, main, metrics, open_page, plan, query, rerun,
                      sidebar, title)
from ui.context import version_label
from yzlogi.access import hash_passcode
from yzlogi.model import InputFile
from yzlogi.review import review
from yzlogi.workbook import read_workbook

PASSCODE = "渝中物流-2026"
FILE_NAME = "2026年6月进度填报（区交通运输委）.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The list items of a Markdown list, each without the text of the list nested in it.
_ITEMS_JS = """(list) => [...list.querySelectorAll('li')].map((li) => {
  const own = li.cloneNode(true);
  own.querySelectorAll('ul, ol').forEach((nested) => nested.remove());
  return own.innerText.trim();
})"""


@pytest.fixture(scope="module")
def data_server(make_server):
    # Cheap scrypt parameters: the passcode's cost is not under test here.
    return make_server("upload", {"YZLOGI_PASSCODE_HASH": hash_passcode(PASSCODE, n=2**10, r=8, p=1)})



def test_an_official_uploads_a_workbook_through_the_page(data_server, page, tmp_path):
    workbook = write_xlsx(tmp_path / "upload.xlsx", good_sheets()).read_bytes()
    store = data_server.store()
    before = store.active_version()
    parsed = read_workbook([InputFile(FILE_NAME, workbook)], plan())
    expected = review(plan(), parsed, store.versions(), store.load(before.id))

    open_page(page, data_server.page_url("data"))
    page.get_by_label("上传口令").fill(PASSCODE)
    rerun(page, lambda: page.get_by_role("button", name="解锁").click())
    assert "已解锁" in main(page).inner_text()

    file_input = main(page).locator('[data-testid="stFileUploader"] input[type="file"]')
    rerun(page, lambda: file_input.set_input_files({"name": FILE_NAME, "mimeType": XLSX, "buffer": workbook}))
    body = main(page).inner_text()
    assert f"读取和校验完成：{FILE_NAME}，没有错误" in body
    assert metrics(page) == {"错误": "0", "提醒": str(parsed.warning_count)}
    # Under 变化摘要: what the merge does per sheet, then what changes (lights, values, who has not reported).
    merged = after_heading(page, "变化摘要", tag="ul")
    assert merged.evaluate(_ITEMS_JS) == expected.merge.lines()
    digest = main(page).locator("ul").filter(has_text=expected.digest.lines()[-1].strip()).first
    sheet_lines = tuple(f"{sheet.name}：新增" for sheet in expected.merge.sheets)
    assert digest.evaluate(_ITEMS_JS) == [line.strip() for line in expected.digest.lines()
                                          if not line.startswith(sheet_lines)]

    page.get_by_label("导入人（必填，记入版本历史）").fill("张三")
    page.get_by_label("备注（选填，如：2026年6月数据）").fill("2026年6月数据")
    rerun(page, lambda: page.get_by_role("button", name="确认导入为新的当前版本").click())
    new = store.active_version()
    assert new.id == before.id + 1 and new.files == (FILE_NAME,) and new.by == "张三"
    how = "替换示例数据" if before.sample else "合并到已有数据"
    assert f"已{how}，导入为版本 {new.id}，并已设为当前版本。" in main(page).inner_text()

    # The new version is in the sidebar's list, and 总览 shows it, no longer the sample.
    # In the same run as the commit: the new version is the one marked 当前, the old one no longer.
    combobox(page, "数据版本").click()
    options = page.get_by_role("option").all_inner_texts()
    assert version_label(new) in options and version_label(new).endswith("（当前）")
    assert [o for o in options if o.endswith("（当前）")] == [version_label(new)]
    page.keyboard.press("Escape")
    go(page, "总览")
    body = main(page).inner_text()
    assert f"数据版本：{version_label(new)}" in body
    assert "示例数据" not in body
    assert metrics(page) == counts_shown(data_server.status())

    # The kept original comes back with its Chinese name, byte for byte.
    go(page, "数据管理")
    with page.expect_download() as caught:
        main(page).get_by_role("button", name=f"下载原始文件：{FILE_NAME}").click()
    assert caught.value.suggested_filename == FILE_NAME
    kept = tmp_path / "kept.xlsx"
    caught.value.save_as(kept)
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == hashlib.sha256(workbook).hexdigest()

    # The sample is still there as history: a link with ?v=1 shows it, marked as such.
    open_page(page, data_server.page_url(v=str(before.id)))
    assert query(page)["v"] == str(before.id)
    assert "正在查看历史版本" in main(page).inner_text()
    assert metrics(page) == counts_shown(data_server.status(version=before.id))
    assert title(page) == "总览" and sidebar(page).is_visible()
