"""Issue 9, inert text: HTML and Markdown typed into a workbook (and into names and
notes) reach the page only as literal text, on every page, in meeting mode too.

Streamlit renders as Markdown the body of markdown, caption, alerts and headings,
every widget label and help text, and every cell and header of st.table; only
st.dataframe cells (a canvas) and select options are plain text. So a payload
may appear verbatim only there, and everywhere else only as escape_md(payload),
which Markdown shows as the payload itself. The pages' tables are HTML
(ui.htmltable through st.html): there every text is html.escape'd, so the HTML
holds only the table's own tags. The browser side (nothing runs, nothing is
fetched) is tests/e2e/test_inert_text.py.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from builders import good_sheets, write_xlsx
from page_helpers import frame_with
from ui import layout
from ui import meeting as ui_meeting
from ui import slide_parts
from ui.render import escape_md
from yzlogi.followups import service
from yzlogi.meeting import VIEWS
from yzlogi.model import InputFile
from yzlogi.store import Store

SCRIPT = "<script>window.__xss=1</script>"
IMG = "<img src=x onerror=alert(1)>"  # no double quote: protobuf text would escape it
MD_IMAGE = "![x](http://203.0.113.1/x.png)"  # TEST-NET-3: never a real host
MD_LINK = "[link](javascript:alert(1))"
DIRECTIVE = ":red[x]"
PAYLOADS = (SCRIPT, IMG, MD_IMAGE, MD_LINK, DIRECTIVE)

# Proto fields Streamlit renders as Markdown, whatever the element.
MARKDOWN_FIELDS = {"body", "label", "help", "content", "caption"}
PLAIN_ELEMENTS = {"dataframe", "selectbox", "text", "code", "json"}  # shown as plain text


def hostile_sheets():
    """good_sheets() with a payload in every free-text cell and a few names."""
    sheets = good_sheets()
    tasks = sheets["任务进展"][1]
    tasks[0][5:8] = [f"进展 {SCRIPT}", f"问题 {IMG}", f"下步 {MD_LINK}"]
    tasks[2][5:8] = [f"进展 {MD_IMAGE}", f"问题 {DIRECTIVE}", f"下步 {SCRIPT}"]
    ships = sheets["船舶更新"][1]
    ships.append([MD_IMAGE, "LNG动力船舶更新", "已完成", "2026-05", SCRIPT, MD_LINK])
    ships.append([DIRECTIVE, "甲醇动力船舶更新", "已完成", "2026-06", IMG, DIRECTIVE])
    routes = sheets["通道班次"][1]
    routes.append([MD_LINK, "2026-06", 5, IMG])
    sheets["指标进展"][1][0][5] = MD_IMAGE
    return sheets


@pytest.fixture
def hostile(app, tmp_path):
    """The app's data folder with a hostile workbook committed as the active version (v2)."""
    path = write_xlsx(tmp_path / f"{MD_LINK}.xlsx", hostile_sheets())
    store = Store(tmp_path / "var")
    outcome = store.import_files([InputFile(path.name, path.read_bytes())], by=f"{DIRECTIVE}{MD_LINK}",
                                 note=f"备注 {SCRIPT}")
    assert outcome.stored and outcome.version.id == 2, outcome.message
    # A follow-up item whose requirement and answer carry payloads, overdue so that 总览 lists it.
    item = service.raise_item(store, "task:8", f"要求 {SCRIPT}{MD_LINK}", date(2026, 6, 15), f"{DIRECTIVE}",
                              at=datetime(2026, 6, 1, 9))
    service.answer(store, item.id, f"反馈 {MD_IMAGE}", f"{IMG}", at=datetime(2026, 6, 2, 9))
    return store


def nodes(at):
    """Every element and block of the page's tree."""
    stack = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        if getattr(node, "proto", None) is not None:
            yield node


def markdown_texts(proto, out: list[str]) -> list[str]:
    """The strings of `proto` (nested messages included) in fields rendered as Markdown."""
    for field, value in proto.ListFields():
        values = [value] if isinstance(value, (Message, str, bytes, int, float)) else list(value)
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            for message in values:
                markdown_texts(message, out)
        elif field.type == FieldDescriptor.TYPE_STRING and field.name in MARKDOWN_FIELDS:
            out.extend(values)
    return out


def table_blobs(proto) -> list[bytes]:
    """The Arrow bytes of an st.table (data and the Styler's display values)."""
    blobs = []
    arrow = proto.arrow_data
    blobs.append(arrow.data)
    if arrow.HasField("styler"):
        blobs.append(arrow.styler.display_values)
    return blobs


SLIDE = '<div class="yz-slide"'
# The tags ui.htmltable writes (tables and their phone cards); nothing else may be in an st.html body
# but a meeting slide (checked on its own) and constant CSS.
TABLE_TAGS = {"div", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "span", "p", "details", "summary", "br"}
STYLES = {ui_meeting.STYLE.strip(), layout.STYLE.strip(), slide_parts.STYLE.strip()}  # constant CSS


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}


def html_tags(body: str) -> tuple[set[str], set[str]]:
    parser = _Tags()
    parser.feed(body)
    return parser.tags, parser.attributes


def assert_inert(at) -> tuple[list[str], list[bytes]]:
    """No payload verbatim where Markdown is rendered; no markup but escaped in a meeting slide's HTML;
    no tag but a table's in other HTML. The Markdown texts (a slide's HTML counted with them) and the
    table bytes seen."""
    assert not at.exception
    texts, tables, slides = [], [], []
    for node in nodes(at):
        if node.type in PLAIN_ELEMENTS:
            continue
        if node.type == "table":
            tables += table_blobs(node.proto)
            continue
        if node.type == "markdown":
            assert not node.proto.allow_html, node.proto.body
        if node.type == "html":
            body = node.proto.body
            if body.startswith(SLIDE):  # a meeting slide: HTML whose texts from data are escaped
                assert not [p for p in (SCRIPT, IMG) if p in body], body
                assert "<script" not in body and "<img" not in body and " on" not in body.replace(" onerror", "")
                slides.append(body)
            elif body.strip() not in STYLES:  # else constant CSS, or a table of ui.htmltable
                tags, attributes = html_tags(body)
                assert tags <= TABLE_TAGS, tags - TABLE_TAGS
                assert attributes <= {"class", "style"}, attributes
                assert not node.proto.unsafe_allow_javascript
                tables.append(body.encode())
            continue
        texts += markdown_texts(node.proto, [])
    for payload in PAYLOADS:
        assert not [t for t in texts if payload in t], payload
        assert not [b for b in tables if payload.encode() in b and payload != html.escape(payload)], payload
    return texts + [SLIDE_TEXT + body for body in slides], tables


SLIDE_TEXT = "\x00slide\x00"  # marks a slide's HTML among the texts (shown() reads it as HTML)


def shown(texts: list[str], tables: list[bytes], text: str) -> bool:
    """Whether `text` is on the page as escaped Markdown (in a text or an st.table cell) or escaped HTML."""
    escaped = escape_md(text)
    as_html = html.escape(text)
    return (any(escaped in t for t in texts if not t.startswith(SLIDE_TEXT))
            or any(as_html in t for t in texts if t.startswith(SLIDE_TEXT))
            or any(escaped.encode() in b for b in tables) or any(as_html.encode() in b for b in tables))


PAGES = ["overview", "indicators", "routes", "fleet", "tasks", "followups", "plan", "data"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_keeps_workbook_markup_inert(app, hostile, page):
    assert_inert(app(f"pages/{page}.py"))


def test_the_department_page_shows_task_texts_escaped_in_its_html_tables(app, hostile):
    at = app("pages/department.py", query={"dept": "区交通运输委"})
    texts, tables = assert_inert(at)
    bodies = [h.proto.body for h in at.html if "yz-table" in h.proto.body]
    assert bodies, "the task tables are HTML tables"
    for text in (f"进展 {SCRIPT}", f"问题 {IMG}", f"下步 {MD_LINK}", f"进展 {MD_IMAGE}", f"问题 {DIRECTIVE}"):
        # In the table and in the phone's card: escaped both times, never as markup.
        assert sum(body.count(html.escape(text)) for body in bodies) == 2, text


def test_the_overview_digest_names_hostile_ships_escaped(app, hostile):
    texts, tables = assert_inert(app("pages/overview.py"))
    assert shown(texts, tables, f"{MD_IMAGE}（LNG动力船舶更新）2026年5月完成")
    assert shown(texts, tables, f"{DIRECTIVE}（甲醇动力船舶更新）2026年6月完成")


def test_a_department_named_in_the_url_is_shown_escaped(app, hostile):
    at = app("pages/department.py", query={"dept": MD_LINK})
    assert_inert(at)
    assert [e.value for e in at.error] == [f"计划中没有部门“{escape_md(MD_LINK)}”，请从下面选择。"]


def test_the_history_shows_uploader_file_and_note_escaped_or_as_plain_cells(app, hostile):
    at = app("pages/data.py")
    texts, _ = assert_inert(at)
    history = frame_with(at, "版本", "导入人")  # an HTML table: escaped, shown as typed
    row = history[history["版本"] == 2].iloc[0]
    assert (row["导入人"], row["备注"]) == (f"{DIRECTIVE}{MD_LINK}", f"备注 {SCRIPT}")
    assert f"下载原始文件：{escape_md(MD_LINK + '.xlsx')}" in texts


@pytest.mark.parametrize("view", VIEWS)
def test_meeting_mode_slides_stay_inert(app, hostile, view):
    at = app(f"pages/{view}.py")
    at.toggle(key=ui_meeting.ON_KEY).set_value(True).run()
    texts, tables = assert_inert(at)
    assert len(at.dataframe) == 0 and [t for t in texts if t.startswith(SLIDE_TEXT)]  # the slide
    if view == "followups":  # the overdue item's requirement, escaped in the slide's HTML
        assert shown(texts, tables, f"要求 {SCRIPT}{MD_LINK}")


def test_pages_outside_the_walk_keep_markdown_tables_in_meeting_mode(app, hostile):
    at = app("pages/department.py", query={"dept": "区交通运输委"})
    at.toggle(key=ui_meeting.ON_KEY).set_value(True).run()
    texts, tables = assert_inert(at)
    assert len(at.dataframe) == 0 and at.table  # every table is an st.table here
    assert shown(texts, tables, f"进展 {SCRIPT}")


def test_a_hostile_upload_is_reviewed_inert_on_the_data_page(app, tmp_path, monkeypatch):
    from yzlogi.access import hash_passcode

    monkeypatch.setenv("YZLOGI_PASSCODE_HASH", hash_passcode("渝中物流-2026", n=2**10, r=8, p=1))
    at = app("pages/data.py")
    at.text_input(key="data_passcode").input("渝中物流-2026")
    at.button(key="data_unlock").click().run()
    path = write_xlsx(Path(tmp_path) / f"{IMG}.xlsx", hostile_sheets())
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), "application/octet-stream")]).run()
    texts, tables = assert_inert(at)
    # The change digest names the new ships and the new line through Markdown.
    assert shown(texts, tables, f"{MD_IMAGE}（LNG动力船舶更新）2026年5月完成")
    assert at.button(key="data_commit")  # the review itself is fine: text is only text


def test_no_code_renders_html_except_constant_css_the_escaped_tables_and_slides():
    """The static side: no unsafe_allow_html anywhere; st.html draws constant CSS, ui.htmltable's tables,
    and meeting mode's slides, whose every text from data goes through html.escape (ui/slide_parts.esc)."""
    import ast

    root = Path(__file__).resolve().parents[2]
    sources = [p for d in ("ui", "pages", "yzlogi") for p in (root / d).rglob("*.py")] + [root / "app.py"]
    found = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if any(k.arg == "unsafe_allow_html" for k in node.keywords) or name in ("html", "iframe"):
                found.append((str(path.relative_to(root)), name, ast.unparse(node.args[0]) if node.args else ""))
    assert sorted(found) == [("ui/layout.py", "html", "STYLE"), ("ui/meeting.py", "html", "STYLE"),
                             ("ui/render.py", "html", "html_table(frame, light_columns, card)"),
                             ("ui/slides.py", "html", "STYLE"), ("ui/slides.py", "html", "_frame(slide, view)")]
