"""The offline bundle: `make bundle` writes one archive holding the project, every
pinned wheel, the briefing's font with its licence and the installer; unpacked and
installed in a network namespace with no network at all (unshare --net), `make run`
shows 总览 on the sample in Chromium, the service's command runs it at /yzlogi/, and
an update over the installation keeps the data (tests/e2e/offline_install.py does
the steps inside the namespace and reports what it saw).

Wheels are downloaded once into .cache/wheelhouse (git-ignored); later builds take
them from there without the network."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from yzlogi import __version__

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARCHIVE = f"yzlogi-{__version__}-cp311-manylinux_2_28_x86_64.tar.gz"


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==(\S+)", line)
        if match:
            pins[re.sub(r"[-_.]+", "_", match.group(1)).lower()] = match.group(2)
    return pins


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(["make", "bundle", f"BUNDLE_OUT={out}"], cwd=ROOT, capture_output=True, text=True,
                           timeout=1200)
    assert built.returncode == 0, built.stdout + built.stderr
    print(built.stdout.strip().splitlines()[-1])  # the archive, its size, sha256 and build time
    return out / ARCHIVE


def test_the_bundle_holds_the_project_every_pinned_wheel_the_font_and_the_installer(bundle):
    assert bundle.is_file()
    digest = hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert bundle.with_name(ARCHIVE + ".sha256").read_text(encoding="ascii") == f"{digest}  {ARCHIVE}\n"
    with tarfile.open(bundle) as tar:
        members = {m.name: m for m in tar.getmembers()}
        sums = tar.extractfile("yzlogi/SHA256SUMS").read().decode()
        about = tar.extractfile("yzlogi/BUNDLE.txt").read().decode()
    names = set(members)
    assert {m.uid for m in members.values()} == {0} and {m.uname for m in members.values()} == {"root"}
    for script in ("yzlogi/deploy/install.sh", "yzlogi/deploy/yzlogi", "yzlogi/scripts/system-deps.sh"):
        assert members[script].mode == 0o755, script
    assert {"yzlogi/app.py", "yzlogi/Makefile", "yzlogi/requirements.txt", "yzlogi/constraints.txt",
            "yzlogi/data/plan.toml", "yzlogi/data/sample/示例进度.xlsx", "yzlogi/deploy/yzlogi.service",
            "yzlogi/deploy/nginx.conf", "yzlogi/yzlogi/backup.py", "yzlogi/.streamlit/config.toml"} <= names
    assert not [n for n in names if n.startswith(("yzlogi/tests/", "yzlogi/benchmarks/", "yzlogi/.venv", "yzlogi/var"))]
    # The font the briefing embeds, its licence (the SIL Open Font License's text) beside it.
    assert {"yzlogi/fonts/NotoSansCJK-Regular.ttc", "yzlogi/fonts/NotoSansCJK-Bold.ttc",
            "yzlogi/fonts/LICENSE-fonts-noto-cjk.txt", "yzlogi/fonts/README.txt"} <= names
    with tarfile.open(bundle) as tar:
        licence = tar.extractfile("yzlogi/fonts/LICENSE-fonts-noto-cjk.txt").read().decode()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    # Every package requirements.txt pins, at its version, for CPython 3.11 on Linux x86_64; and pip.
    wheels = {n.removeprefix("yzlogi/wheels/") for n in names if n.startswith("yzlogi/wheels/") and n.endswith(".whl")}
    by_name = {w.split("-")[0].lower(): w.split("-")[1] for w in wheels}
    constraints = _pins("constraints.txt")
    for name, version in _pins("requirements.txt").items():
        assert by_name.get(name) == version, name
    assert all(constraints[name] == version for name, version in by_name.items() if name != "pip")
    assert by_name["pip"] == "25.3"
    assert all(w.endswith("-none-any.whl") or re.search(r"-(cp311-cp311|cp3\d+-abi3|py3-none)-manylinux", w)
               for w in wheels), sorted(wheels)
    assert not [w for w in wheels if re.search(r"manylinux_2_(29|[3-9]\d)", w)]  # nothing newer than glibc 2.28
    # SHA256SUMS covers every wheel and font file.
    summed = {line.split("  ", 1)[1] for line in sums.splitlines()}
    assert summed == {n.removeprefix("yzlogi/") for n in names if n.startswith(("yzlogi/wheels/", "yzlogi/fonts/"))
                      and members[n].isfile()}
    assert f"yzlogi {__version__}, commit " in about and f"wheels ({len(wheels)}):" in about


def test_unpacked_and_installed_with_no_network_it_runs_and_an_update_keeps_the_data(bundle, tmp_path, artifacts):
    result = tmp_path / "result.json"
    done = subprocess.run(["unshare", "--net", "--map-root-user", sys.executable, str(HERE / "offline_install.py"),
                           str(bundle), str(tmp_path / "work"), str(artifacts), str(result)],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-8000:]
    facts = json.loads(result.read_text(encoding="utf-8"))
    print(f"install: {facts['first_install_s']} s, again after the update: {facts['second_install_s']} s")

    # There was no network: no name server, no route out.
    assert facts["network"] == {"dns": "failed: gaierror", "connect": "ENETUNREACH"}

    # make run: 总览 on the sample, asking nothing of any other host; the PDF embeds the bundled font.
    install_dir = facts["install_dir"]
    shown = facts["make_run"]
    assert (shown["title"], shown["exceptions"], shown["hosts"]) == ("总览", 0, ["127.0.0.1:8501"])
    assert "示例数据" in shown["text"]
    assert shown["download"].endswith(".pdf")
    assert shown["pdf_fonts"] == ["NotoSansCJKSC", "NotoSansCJKSCBold"]
    assert facts["doctor_font"] == [f"Noto Sans CJK SC（{install_dir}/fonts/NotoSansCJK-Regular.ttc）"]
    assert shown["log_has_traceback"] is False

    # The service's command, its settings file: at /yzlogi/, on its own data folder.
    first = facts["service_first"]
    assert (first["title"], first["exceptions"], first["hosts"]) == ("总览", 0, ["127.0.0.1:8601"])
    assert "示例数据" in first["text"]
    assert (facts["import"]["code"], facts["import"]["err"]) == (0, "")
    out = facts["import"]["out"].splitlines()
    assert (out[0], out[-1]) == ("  当前为示例数据：本次上传不与示例数据合并，导入后的版本只含本次上传的数据",
                                 "已替换示例数据，导入为版本 2，并已设为当前版本。")
    versions = json.loads(facts["versions"]["out"])
    assert [(v["id"], v["by"], v["active"]) for v in versions] == [(1, "系统", False), (2, "张三", True)]
    label = f"数据版本：v2 · {versions[1]['committed_at'][:16].replace('T', ' ')} · 张三（当前）"
    imported = facts["service_after_import"]
    assert label in imported["text"] and "示例数据" not in imported["text"]
    assert facts["backup"]["code"] == 0 and "版本 2 个，当前版本 2" in facts["backup"]["out"]
    checks = {c["title"]: (c["level"], c["detail"]) for c in json.loads(facts["doctor"]["out"])}
    assert facts["doctor"]["code"] == 0
    assert checks["数据库"] == ("正常", "可以打开：版本 2 个，当前版本 2")
    assert checks["Python 包"][0] == checks["PDF 简报字体"][0] == checks["最近的备份"][0] == "正常"
    assert checks["受信任的代理"] == ("正常", "127.0.0.1/32")

    # Restore: refused while the service runs (its first visitor marked the folder), done once stopped.
    data = f"{Path(facts['install_dir']).parents[1]}/data"
    assert facts["restore_while_running"] == {
        "code": 1, "out": "",
        "err": f"看板正在运行，使用着数据文件夹 {data}：请先停止看板（sudo systemctl stop yzlogi），再恢复。数据未改动。\n"}
    assert facts["restore_stopped"]["code"] == 0
    assert facts["restore_stopped"]["out"].startswith("已从备份 ")

    # The update: a new installation over the old one, the same data.
    updated = facts["service_after_update"]
    assert updated["title"] == "总览" and label in updated["text"]
    assert json.loads(facts["versions_after_update"]["out"]) == versions
