"""What the command line does not do: the import loads no frame or chart library, a
refused upload leaves a new folder untouched, status reads only the version it reports."""

import json
import os
import subprocess
import sys
from pathlib import Path

from builders import good_sheets, write_xlsx
from store_helpers import workbook
from yzlogi import cli
from yzlogi.store import Store

ROOT = Path(__file__).resolve().parents[2]
NOT_NEEDED = ("pandas", "altair", "streamlit", "openpyxl", "xlrd")


def test_an_import_loads_no_frame_chart_or_ui_library(tmp_path):
    path = write_xlsx(tmp_path / "6月进度.xlsx", good_sheets())
    code = (
        "import sys\nfrom yzlogi.cli import main\n"
        f"code = main(['import', {str(path)!r}])\n"
        f"print(code, sorted(m for m in {NOT_NEEDED!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                         env={**os.environ, "YZLOGI_DATA_DIR": str(tmp_path / "data")}, check=True)
    assert out.stdout.splitlines()[-1] == "0 []"


def test_a_refused_upload_leaves_a_new_folder_untouched(tmp_path, monkeypatch, capsys):
    sheets = good_sheets()
    sheets["任务进展"][1][0][0] = 99  # no such task
    path = write_xlsx(tmp_path / "有误.xlsx", sheets)
    folder = tmp_path / "data"
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(folder))
    assert cli.main(["import", str(path)]) == cli.EXIT_REFUSED
    assert "工作簿有 1 处错误" in capsys.readouterr().err
    assert not folder.exists() or not any(folder.iterdir())


def test_status_loads_only_the_version_it_reports(tmp_path, monkeypatch, capsys):
    store = Store(tmp_path / "data", sample=None)
    for tag in (1, 2, 3):
        store.commit(workbook(tag), by="张三")
    loaded = []
    original = Store.load
    monkeypatch.setattr(Store, "load", lambda self, version_id: loaded.append(version_id) or original(self, version_id))
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(store.folder))
    assert cli.main(["status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == 3
    assert loaded == [3]
