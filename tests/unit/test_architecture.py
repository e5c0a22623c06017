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


# --- the code shows its parts (issue 12) --------------------------------------------------

LONG = 600  # lines; a longer module says why in its opening docstring ("Longer than 600 lines: …")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _yzlogi_imports(path: Path, modules: set[str]) -> set[str]:
    """The yzlogi modules a file imports at run time, anywhere in it (a late import inside a function counts):
    `from a.b import c` names a.b.c when c is a module, else a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports for type checking only never run: they make no circle.
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            node.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("yzlogi"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("yzlogi"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in modules else node.module)
    return found & modules


def test_no_yzlogi_modules_import_each_other_in_a_circle():
    modules = {_module_name(p): p for p in PACKAGE_FILES}
    graph = {name: _yzlogi_imports(path, set(modules)) - {name} for name, path in modules.items()}
    cycles = []

    def visit(name: str, trail: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in trail:
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in done:
                visit(target, trail + [target])
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    assert cycles == []


@pytest.mark.parametrize("path", PACKAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_over_600_lines_says_why_in_its_opening_comment(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    if lines <= LONG:
        return
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert "Longer than 600 lines:" in docstring, f"{path.name} has {lines} lines"


def test_test_modules_have_distinct_basenames():
    # The test folders are not packages: two files of one name (tests/unit/test_x.py and
    # tests/e2e/test_x.py) stop pytest collecting the whole suite, which CI then fails on.
    seen: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        seen.setdefault(path.name, []).append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
