"""The PDF meeting briefing, read back with poppler (pdftotext, pdffonts, pdfimages):
a fresh folder's sample (version 1) and a second upload in which 渝穗班列 caught up
in 2026-10, so the change digest has something to say."""

import io
import re
import subprocess
from datetime import datetime

import pytest

from yzlogi import briefing, snapshot
from yzlogi.fonts import FONT_ENV, FontMissing
from yzlogi.model import InputFile
from yzlogi.months import Month
from yzlogi.sample import sample_rows
from yzlogi.store import Store
from yzlogi.template import build_workbook, workbook_bytes


def text_of(pdf: bytes) -> list[str]:
    """Each page's text in content order, whitespace removed (table cells wrap anywhere)."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode("utf-8")
    return [re.sub(r"\s+", "", page) for page in out.split("\f")[:-1]]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The sample as version 1, then the same workbook with 渝穗班列 at 90 runs in 2026-10 as version 2."""
    store = Store(tmp_path_factory.mktemp("data"))
    store.ensure_ready()
    rows = sample_rows(store.plan)
    for row in rows["routes"]:
        if row["route"] == "渝穗班列" and row["month"] == "2026-10":
            row["runs"] += 30
    data = workbook_bytes(build_workbook(store.plan, rows), datetime(2026, 11, 6, 9, 0))
    outcome = store.import_files([InputFile("10月进度.xlsx", data)], by="区交通运输委", note="10月")
    assert outcome.stored, outcome.message
    return store


@pytest.fixture(scope="module")
def shot(store):
    return snapshot.take(store)


@pytest.fixture(scope="module")
def pdf(store, shot):
    return briefing.build_pdf(shot, store.plan)


@pytest.fixture(scope="module")
def pages(pdf):
    return text_of(pdf)


def test_every_page_carries_the_as_of_month_the_version_and_its_number(pages):
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "数据截至2026年10月" in page
        assert "数据版本v2" in page
        assert f"第{number}页，共{len(pages)}页" in page


def test_cover_names_the_plan_the_month_the_version_and_counts_the_lights(pages, store, shot):
    cover = pages[0]
    version = store.version(2)
    assert squeeze(store.plan.title) in cover
    assert "会议简报" in cover
    assert squeeze(f"数据版本 v2（{version.committed_at:%Y-%m-%d %H:%M} 导入）") in cover
    assert "文件依据：渝中府办〔2025〕84号" in cover
    assert "示例数据" not in cover  # version 2 is a real upload
    assert "■红灯6项" in cover and "▲黄灯8项" in cover and "○灰灯1项" in cover and "●绿灯28项" in cover
    assert shot.status.counts()["total"] == {"red": 6, "yellow": 8, "grey": 1, "green": 28}


def test_every_exception_is_listed_red_first_with_its_reason(pages, shot):
    text = "".join(pages)
    alerts = shot.status.exceptions()
    assert [a.level for a in alerts] == ["red"] * 6 + ["yellow"] * 8
    positions = []
    for alert in alerts:
        assert squeeze(alert.title) in text
        assert squeeze(alert.why) in text
        positions.append(text.index(squeeze(alert.why)))
    assert positions == sorted(positions)
    # 渝穗班列 caught up: no longer an exception, and indicator 6 is now yellow (渝甬班列 still behind).
    assert "渝穗班列（2026年）" not in [a.title for a in alerts]
    assert squeeze("取各线路最差：东盟班车 2650/2500 绿灯，渝甬班列 238/250 黄灯，渝穗班列 90/83.3 绿灯 → 黄灯") in text


def test_indicator_table_holds_each_indicator_with_its_figures_at_that_month(pages, store, shot):
    text = "".join(pages)
    for indicator in store.plan.indicators:
        assert squeeze(indicator.name) in text
    table = briefing.indicator_table(shot.status)
    for row in table.itertuples(index=False):
        assert squeeze(f"{row.主要指标}{row.目标}{row.完成值}{row.序时进度}{row.灯}{row.说明}") in text
    for figures in ("西部陆海新通道运量增速10%以上7.7%10%■红", "国际货代备案企业数量70家65家68家▲黄",
                    "现代物流业占全区GDP比重维持在10%左右10.3%10%●绿"):
        assert figures in text


def test_routes_and_fleet_tables_and_their_four_chart_images(pdf, pages):
    text = "".join(pages)
    assert "东盟班车300026502500●绿31801755740●绿" in text
    assert "渝穗班列1009083●绿108" in text
    assert "甲醇动力船舶更新4艘1122艘■红" in text  # whole ships: 4 × 22/36 = 2.44 is 2艘
    assert "东盟班车：2026年累计开行与序时进度" not in text  # chart titles are inside the images
    images = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True
                            ).stdout.decode().splitlines()[2:]
    assert len(images) == 4  # three route pace charts and the fleet chart
    assert all(line.split()[2] == "image" for line in images)


def test_change_digest_lines_are_all_there(pages, shot):
    text = "".join(pages)
    assert shot.digest.lines()[0] == "通道班次：新增 0 行，修改 1 行，保留 73 行"  # the store's bookkeeping …
    lines = shot.digest.lines(rows=False)
    assert lines == [  # … which the briefing leaves out: what changed, in the plan's terms
        "亮灯变化（2项）：",
        "  指标6 通道运力投入强度（2026年）：红灯 → 黄灯",
        "  渝穗班列（2026年）：红灯 → 绿灯",
        "2026年10月未报送（2个单位，共2项）：",
        "  区发展改革委：任务4",
        "  区司法局：任务12",
    ]
    for line in lines:
        assert squeeze(line) in text
    assert "渝穗班列（2026年）：红灯→绿灯" in text
    assert "版本v2与上一版本v1的比较（按2026年10月计算灯号）" in text
    assert "保留73行" not in text and "新增0行" not in text


def test_the_chinese_font_is_subset_and_embedded(pdf):
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    fonts = [line.split() for line in out.splitlines()[2:]]
    assert [f[0].split("+")[1] for f in fonts] == ["NotoSansCJKSC", "NotoSansCJKSCBold"]
    assert all(f[-5:-2] == ["yes", "yes", "yes"] for f in fonts)  # emb, sub, uni


def test_same_snapshot_gives_identical_bytes(store, pdf):
    assert briefing.build_pdf(snapshot.take(store), store.plan) == pdf


def test_pdf_metadata_dates_come_from_the_version_not_the_clock(pdf, store):
    out = subprocess.run(["pdfinfo", "-isodates", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    info = dict((key, value.strip()) for key, value in (line.split(":", 1) for line in out.splitlines()))
    committed = store.version(2).committed_at
    assert info["CreationDate"] == f"{committed:%Y-%m-%dT%H:%M:%S}+08"
    assert info["Page size"] == "595.28 x 841.89 pts (A4)"
    assert info["Creator"] == "yzlogi 0.1.0"
    assert info["Title"] == "渝中区现代物流业高质量发展三年行动计划（2025—2027年） 会议简报（2026年10月，v2）"


def test_an_earlier_month_and_the_sample_version_are_briefed_as_such(store):
    shot = snapshot.take(store, 1, Month(2026, 6))
    pages = text_of(briefing.build_pdf(shot, store.plan))
    for page in pages:
        assert "数据截至2026年6月" in page and "数据版本v1" in page and "（示例数据）" in page
    text = "".join(pages)
    assert squeeze(briefing.SAMPLE_NOTICE) in text
    assert "这是第一个版本。" in text
    for alert in shot.status.exceptions():
        assert squeeze(alert.why) in text


def test_a_missing_font_is_refused_in_chinese(store, shot, monkeypatch, tmp_path):
    monkeypatch.setenv(FONT_ENV, str(tmp_path / "无此字体.ttf"))
    with pytest.raises(FontMissing) as refused:
        briefing.build_pdf(shot, store.plan)
    assert str(refused.value).startswith(f"生成 PDF 需要中文字体 Noto Sans CJK SC（{tmp_path / '无此字体.ttf'}），"
                                         "但环境变量 YZLOGI_CJK_FONT 指定的文件不存在。")


def test_the_xlsx_and_pdf_of_one_snapshot_name_the_same_month_and_version(store, shot):
    assert briefing.file_name(2, shot.as_of, "pdf") == "会议简报_2026年10月_v2.pdf"
    assert briefing.file_name(2, shot.as_of, "xlsx") == "推进情况汇总表_2026年10月_v2.xlsx"
    assert io.BytesIO(briefing.build_xlsx(shot, store.plan)).read(2) == b"PK"


def test_a_font_named_by_the_environment_is_embedded_instead(store, shot, monkeypatch):
    """YZLOGI_CJK_FONT: a collection's Simplified Chinese face is picked (here Noto Serif CJK's)."""
    monkeypatch.setenv(FONT_ENV, "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
    pdf = briefing.build_pdf(shot, store.plan)
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert {line.split()[0].split("+")[1] for line in out.splitlines()[2:]} == {"NotoSerifCJKSC"}
    assert "数据截至2026年10月" in text_of(pdf)[0]
