"""Issue 9, XML: no uploaded file is parsed by an XML parser that expands entities.
Workbooks are read by calamine (which refuses DTD entities) and by yzlogi.reader
through defusedxml; openpyxl reads no upload, and would use defusedxml if it did.
A billion-laughs DTD in any part of an xlsx or ods is refused or harmless, within
4 GiB of address space and 60 s of CPU.
"""

from __future__ import annotations

import ast
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import defusedxml.ElementTree
import openpyxl.xml
import openpyxl.xml.functions
import pytest

from builders import convert_with_libreoffice, good_sheets, write_xlsx
from hostile import fingerprint, rezip, with_laughs
from yzlogi.model import InputFile
from yzlogi.plan import load_plan
from yzlogi.schema import WORKBOOK
from yzlogi.store import Store

ROOT = Path(__file__).resolve().parents[2]
PLAN = load_plan()
ADDRESS_SPACE, CPU_SECONDS = 4 << 30, 60  # as tests/integration/test_hardening_refusals.py
EXPANDING_PARSERS = ("xml.etree", "xml.dom", "xml.sax", "xml.parsers", "lxml", "xmltodict")


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_bounded(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "YZLOGI_DATA_DIR": str(folder)}, preexec_fn=_bounded, timeout=600)


# --- the parsers ------------------------------------------------------------------------------


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.fromstring is defusedxml.ElementTree.fromstring
    assert openpyxl.xml.functions.iterparse is defusedxml.ElementTree.iterparse


def test_defusedxml_is_pinned_where_the_app_is_installed_from():
    pins = {}
    for name in ("requirements.txt", "constraints.txt"):
        found = re.findall(r"^defusedxml==([\w.]+)\s*$", (ROOT / name).read_text(encoding="utf-8"), re.M)
        pins[name] = found
    assert pins == {"requirements.txt": [version("defusedxml")], "constraints.txt": [version("defusedxml")]}


def imports_of(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every import in a source file ('' for `import module`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def test_no_code_reads_a_workbook_with_openpyxl_or_parses_xml_without_defusedxml():
    sources = [p for d in ("yzlogi", "ui", "pages") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    offending = []
    for path in sources:
        for module, name in imports_of(path):
            reads_with_openpyxl = module.startswith("openpyxl") and (
                "reader" in module or name in ("load_workbook", "reader"))
            if reads_with_openpyxl or module.startswith(EXPANDING_PARSERS):
                offending.append((str(path.relative_to(ROOT)), module, name))
    assert offending == []
    # The reader's own parsing of workbook.xml, its relationships and ODS content.xml (yzlogi/formats.py).
    assert ("defusedxml", "ElementTree") in imports_of(ROOT / "yzlogi" / "formats.py")


# --- billion laughs ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    """The good workbook as xlsx (openpyxl) and as ods (LibreOffice)."""
    folder = tmp_path_factory.mktemp("laughs")
    xlsx = write_xlsx(folder / "进度.xlsx", good_sheets())
    return {"xlsx": xlsx.read_bytes(), "ods": convert_with_libreoffice(xlsx, "ods", folder / "lo").read_bytes()}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("laughs-data") / "data", plan=PLAN)
    store.ensure_ready()
    return store.folder


UNREADABLE = "  [错误] 文件“{}”无法读取，可能已损坏，请在 Excel 中重新保存后上传"
TASK_TEXT = "修订扶持政策".encode()

# part: (format, where &lol9; goes, refused) — calamine refuses an entity in what it
# parses; parts it does not parse as XML (styles by regex, content types, properties)
# are harmless and the workbook reads as if the bomb were not there.
LAUGHS = {
    "xl/workbook.xml": ("xlsx", b'<sheet name="', True),
    "xl/_rels/workbook.xml.rels": ("xlsx", b'Id="', True),
    "xl/worksheets/sheet4.xml": ("xlsx", b"<t>" + TASK_TEXT, True),
    "xl/styles.xml": ("xlsx", b'<name val="', False),
    "[Content_Types].xml": ("xlsx", b'ContentType="', False),
    "docProps/core.xml": ("xlsx", b"<dc:creator>", False),
    "content.xml": ("ods", b"<text:p>" + TASK_TEXT, True),
}


@pytest.mark.parametrize("part", LAUGHS, ids=list(LAUGHS))
def test_a_billion_laughs_in_any_part_is_refused_or_harmless(workbooks, template, tmp_path, part):
    kind, where, refused = LAUGHS[part]
    good = workbooks[kind]
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        bomb = rezip(good, replace={part: with_laughs(archive.read(part), where)})
    path = tmp_path / f"进度.{kind}"
    path.write_bytes(bomb)
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    before = fingerprint(folder)

    result = run_bounded(folder, "-m", "yzlogi", "import", str(path))

    assert "Traceback" not in result.stderr and "lol" not in result.stdout + result.stderr
    if refused:
        assert (result.returncode, result.stdout) == (1, "")
        lines = result.stderr.splitlines()
        assert lines[0] == "工作簿有 1 处错误，未导入，当前数据未改变。" and len(lines) == 2
        assert lines[1] == UNREADABLE.format(path.name)  # wholly Chinese: calamine's words go to the log
        assert fingerprint(folder) == before
    else:
        assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "已替换示例数据，导入为版本 2，并已设为当前版本。")
        store = Store(folder, sample=None)
        data = store.load(2)
        reference = Store(tmp_path / "reference", plan=PLAN, sample=None)
        expected = reference.commit(_read(good, path.name), by="对照")
        assert store.version(2).rows == expected.rows
        for sheet in WORKBOOK:
            frame = getattr(data, sheet.key).drop(columns=["first_version", "from_version"])  # v2 here, v1 there
            assert frame.equals(getattr(reference.load(expected.id), sheet.key).drop(
                columns=["first_version", "from_version"])), sheet.key
            assert not frame.astype(str).apply(lambda column: column.str.contains("lol")).any().any()


def _read(data: bytes, name: str):
    from yzlogi.workbook import read_workbook

    return read_workbook([InputFile(name, data)], PLAN)


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet4.xml"])
def test_openpyxl_refuses_the_bomb_too_should_it_ever_read_an_upload(workbooks, tmp_path, part):
    kind, where, _ = LAUGHS[part]
    good = workbooks[kind]
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        path = tmp_path / "进度.xlsx"
        path.write_bytes(rezip(good, replace={part: with_laughs(archive.read(part), where)}))
    result = run_bounded(tmp_path, "-c", f"import openpyxl; openpyxl.load_workbook({str(path)!r})")
    assert result.returncode == 1  # refused at the first entity: neither killed nor out of memory
    assert "defusedxml.common.EntitiesForbidden: EntitiesForbidden(name='lol" in result.stderr
