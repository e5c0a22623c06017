"""ui.htmltable: the pages' tables as escaped HTML that wraps, and their rows as phone cards."""

import html

import pandas as pd

from page_helpers import parse_tables
from ui import cards
from ui.htmltable import Card, cell_style, html_table, min_width
from yzlogi import charts


def test_a_table_is_escaped_html_with_coloured_light_cells_and_minimum_widths():
    frame = pd.DataFrame({"灯": ["■ 红"], "事项": ["任务8 <b>提升</b>"], "原因": ["第一行\n第二行"], "数": [3]})
    assert html_table(frame) == (
        '<div class="yz-t"><table class="yz-table"><thead><tr>'
        '<th class="yz-nw" style="min-width: 2.1em">灯</th>'
        '<th style="min-width: 5.0em">事项</th>'
        '<th style="min-width: 3.0em">原因</th>'
        '<th class="yz-num" style="min-width: 1.0em">数</th>'
        '</tr></thead><tbody><tr>'
        '<td class="yz-nw" style="background-color: #C62828; color: #ffffff; font-weight: 700">■ 红</td>'
        '<td>任务8 &lt;b&gt;提升&lt;/b&gt;</td>'
        '<td class="yz-nw">第一行<br>第二行</td>'
        '<td class="yz-nw yz-num">3</td>'
        '</tr></tbody></table></div>')


def test_every_cell_and_header_reads_back_as_typed_whatever_it_holds():
    hostile = ['<script>alert(1)</script>', '<img src=x onerror="x()">', "![x](http://203.0.113.1/x.png)",
               "a & b", '"引号"', "'"]
    frame = pd.DataFrame({f"列{h}": [h] for h in hostile})
    body = html_table(frame, card=Card(title=f"列{hostile[0]}", body=tuple(f"列{h}" for h in hostile[1:])))
    assert "<script" not in body and "<img" not in body
    assert html.escape(hostile[0]) in body
    (back,) = parse_tables(body)
    assert list(back.columns) == [f"列{h}" for h in hostile]
    assert back.iloc[0].tolist() == hostile


def test_light_cells_take_their_colour_and_yellow_takes_dark_text():
    assert cell_style("▲ 黄") == "background-color: #F9A825; color: #111827; font-weight: 700"
    assert cell_style("● 绿") == "background-color: #2E7D32; color: #ffffff; font-weight: 700"
    assert cell_style("✓ 办结") == "background-color: #546E7A; color: #ffffff; font-weight: 700"
    assert cell_style("红") == ""


def test_a_column_of_sentences_keeps_a_readable_width_and_a_short_one_its_own():
    frame = pd.DataFrame({"说明": ["取牵头单位和已报送责任单位中最差：区商务委 红 → 红灯"], "月份": ["2026年10月"],
                          "序号": [12], "空": [None]})
    assert [min_width(frame, c) for c in frame.columns] == [6.5, 5.0, 2.0, 1.0]


def test_a_card_shows_the_lights_named_the_title_a_meta_line_and_folds_the_long_texts():
    frame = pd.DataFrame([{"任务": "9 发挥通道联动作用", "任务灯": "■ 红", "本单位": "● 绿", "状态": "滞后",
                           "报告月份": "2026年10月", "完成进度": "48%", "进展情况": "开展货源组织2次。",
                           "存在问题": "", "下步计划": "加强对接。"}])
    body = html_table(frame, ("任务灯", "本单位"), cards.TASK)
    assert body.startswith('<div class="yz-t yz-has-cards"><table class="yz-table">')
    assert body.split("</table>")[1] == (
        '<ul class="yz-cards"><li class="yz-card" style="border-left-color: #C62828">'
        '<div class="yz-card-head">'
        '<span class="yz-badge" style="background-color: #C62828; color: #ffffff; font-weight: 700">'
        '<span class="yz-badge-name">任务灯</span> ■ 红</span>'
        '<span class="yz-badge" style="background-color: #2E7D32; color: #ffffff; font-weight: 700">'
        '<span class="yz-badge-name">本单位</span> ● 绿</span>'
        '<span class="yz-card-title">9 发挥通道联动作用</span></div>'
        '<div class="yz-meta">滞后 · <span class="yz-k">完成进度 </span>48% · 2026年10月</div>'
        '<details><summary>进展、问题、下步</summary>'
        '<p><span class="yz-k">进展情况：</span>开展货源组织2次。</p>'
        '<p><span class="yz-k">下步计划：</span>加强对接。</p></details></li></ul></div>')


def test_a_long_table_scrolls_in_its_own_box():
    assert html_table(pd.DataFrame({"序号": range(41)}), ()).startswith('<div class="yz-t yz-scroll">')
    assert html_table(pd.DataFrame({"序号": range(40)}), ()).startswith('<div class="yz-t">')


def test_the_heatmap_takes_its_containers_width_with_numbered_columns_and_a_key():
    frame = pd.DataFrame([
        {"department": "区商务委", "task": "9 发挥通道联动作用", "task_no": 9, "level": "red", "mark": "牵·滞",
         "detail": "滞后"},
        {"department": "区科技局", "task": "15 推进行业智慧化改造", "task_no": 15, "level": "green", "mark": "责·序",
         "detail": "序时推进"},
    ])
    spec = charts.heatmap(frame).to_dict()
    assert spec["width"] == "container"
    assert spec["height"] == {"step": 40}
    x = spec["layer"][0]["encoding"]["x"]
    assert (x["field"], x["sort"], x["axis"]["labelAngle"]) == ("column", ["任务9", "任务15"], 0)
    assert spec["layer"][1]["mark"]["fontSize"] == {"expr": "max(8, min(15, bandwidth('x') / 3.2))"}
    assert charts.heatmap_key(frame) == "9 发挥通道联动作用；15 推进行业智慧化改造"
