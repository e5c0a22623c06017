"""The layering of design.md: yzlogi knows nothing of Streamlit; pages stay thin."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_FILES = sorted((ROOT / "yzlogi").rglob("*.py"))
PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", PACKAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_yzlogi_module_imports_streamlit(path):
    imported = _imported_modules(path)
    assert "streamlit" not in imported
    assert "ui" not in imported


def test_importing_every_yzlogi_module_leaves_streamlit_unloaded():
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in PACKAGE_FILES]
    modules = [m for m in modules if not m.endswith("__main__")]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_do_not_touch_data_directly(path):
    imported = _imported_modules(path)
    assert not imported & {"duckdb", "openpyxl", "fastexcel", "sqlite3", "os", "pathlib"}
    assert "groupby(" not in path.read_text(encoding="utf-8")
