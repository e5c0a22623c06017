"""The files IT staff install (deploy/): systemd accepts the units as written
(systemd-analyze verify, in a root tree laid out as the README installs them), they
name paths the bundle has, the service sets what the app's safety relies on, and the
installer refuses what is not a bundle. systemd itself cannot run here: the units'
command is run by hand in tests/e2e/test_nginx.py and tests/e2e/test_bundle.py."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from service import ENV_FILE, INSTALL_DIR, read_unit

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ("yzlogi.service", "yzlogi-backup.service", "yzlogi-backup.timer")


def test_systemd_accepts_the_units_without_a_warning(tmp_path):
    root = tmp_path / "root"
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    units = root / "etc/systemd/system"
    units.mkdir(parents=True)
    for name in UNITS:
        shutil.copy(DEPLOY / name, units / name)
    python = root / INSTALL_DIR.lstrip("/") / ".venv/bin/python"  # made by deploy/install.sh
    python.parent.mkdir(parents=True)
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", f"--root={root}",
                           *(f"/etc/systemd/system/{name}" for name in UNITS)], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_service_runs_the_app_as_its_own_user_with_the_settings_file_restarting_and_logging_to_the_journal():
    unit = read_unit(DEPLOY / "yzlogi.service")
    service = unit["Service"]
    assert service["User"] == service["Group"] == ["yzlogi"]
    assert service["EnvironmentFile"] == [ENV_FILE]
    assert service["WorkingDirectory"] == [INSTALL_DIR]
    assert service["ExecStart"] == [f"{INSTALL_DIR}/.venv/bin/python -m streamlit run {INSTALL_DIR}/app.py"]
    assert service["Restart"] == ["on-failure"]
    assert service["StandardOutput"] == service["StandardError"] == ["journal"]
    assert service["StateDirectory"] == ["yzlogi"]  # /var/lib/yzlogi, the example's YZLOGI_DATA_DIR
    # Only the app decides whose X-Forwarded-For to believe (yzlogi/forwarding.py).
    assert service["Environment"] == ["FORWARDED_ALLOW_IPS="]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_the_nightly_backup_runs_the_backup_command_with_the_same_settings():
    service = read_unit(DEPLOY / "yzlogi-backup.service")["Service"]
    assert service["Type"] == ["oneshot"]
    assert service["User"] == ["yzlogi"] and service["EnvironmentFile"] == [ENV_FILE]
    assert service["ExecStart"] == [f"{INSTALL_DIR}/.venv/bin/python -m yzlogi backup"]
    timer = read_unit(DEPLOY / "yzlogi-backup.timer")
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 02:30:00"] and timer["Timer"]["Persistent"] == ["true"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]


def test_what_the_units_name_is_in_the_bundle_or_made_by_the_installer():
    named = set()
    for name in UNITS:
        for values in read_unit(DEPLOY / name).get("Service", {}).values():
            for value in values:
                named |= {word for word in shlex.split(value) if word.startswith(INSTALL_DIR)}
    relative = {word.removeprefix(INSTALL_DIR).lstrip("/") for word in named}
    assert relative == {"", ".venv/bin/python", "app.py"}
    assert (ROOT / "app.py").is_file()
    assert '"$python" -m venv --without-pip .venv' in (DEPLOY / "install.sh").read_text(encoding="utf-8")


def test_the_cron_line_of_the_readme_runs_the_wrapper_as_the_service_user():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"(?m)^30 2 \* \* \* (\S+) (\S+) backup$", readme) == [("yzlogi", f"{INSTALL_DIR}/deploy/yzlogi")]


def test_make_run_starts_the_app_with_the_web_servers_own_proxy_rule_off():
    dry = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert re.findall(r"(?m)^FORWARDED_ALLOW_IPS= \S+/streamlit run app\.py", dry) == [
        "FORWARDED_ALLOW_IPS= .venv/bin/streamlit run app.py"]


def test_the_installer_is_sound_shell_and_refuses_a_folder_that_is_not_a_bundle(tmp_path):
    for script in ("install.sh", "yzlogi"):
        assert subprocess.run(["sh", "-n", str(DEPLOY / script)]).returncode == 0
        assert os.access(DEPLOY / script, os.X_OK)
    copy = tmp_path / "yzlogi"
    shutil.copytree(DEPLOY, copy / "deploy")
    done = subprocess.run(["sh", str(copy / "deploy" / "install.sh")], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"安装未完成：{copy} 不是离线安装包（缺少 wheels/ 或 SHA256SUMS）。"
                           "能访问软件源时请直接运行 make run。\n")
    assert not (copy / ".venv").exists()


def test_the_wrapper_reads_the_services_settings_file(tmp_path):
    settings = tmp_path / "yzlogi.env"
    settings.write_text(f"YZLOGI_DATA_DIR={tmp_path / 'data'}\n", encoding="utf-8")
    env = {"PATH": os.environ["PATH"], "YZLOGI_ENV_FILE": str(settings)}
    done = subprocess.run([str(DEPLOY / "yzlogi"), "versions"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("版本 1  ") and "[示例数据]" in done.stdout  # a fresh folder gets the sample
    assert (tmp_path / "data" / "yzlogi.duckdb").is_file()
