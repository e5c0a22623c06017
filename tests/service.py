"""The app started the way deploy/yzlogi.service starts it, without systemd (which
cannot run in the tests): the unit's ExecStart, WorkingDirectory and Environment=
lines, with /opt/yzlogi replaced by the installation at hand, and its
EnvironmentFile made from deploy/yzlogi.env.example with the test's folders and
port put in. Used by tests/e2e/test_nginx.py (the repository as the installation)
and tests/e2e/offline_install.py (an unpacked bundle)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
INSTALL_DIR = "/opt/yzlogi"  # where the unit files expect the installation
ENV_FILE = "/etc/yzlogi/yzlogi.env"  # where the unit files expect the settings


def read_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file: section → key → every value given (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        assert current is not None and _, f"{path.name}: a line outside a section or without '=': {raw}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def env_file_text(settings: dict[str, str]) -> str:
    """deploy/yzlogi.env.example with these settings' values; each must be in it once (maybe commented out)."""
    text = (DEPLOY / "yzlogi.env.example").read_text(encoding="utf-8")
    for name, value in settings.items():
        pattern = re.compile(rf"^#?{re.escape(name)}=.*$", re.MULTILINE)
        assert len(pattern.findall(text)) == 1, f"yzlogi.env.example sets {name} once"
        text = pattern.sub(lambda _: f"{name}={value}", text)
    return text


def base_environment() -> dict[str, str]:
    """A service's environment: little but PATH, as systemd gives it (nothing of the test's own)."""
    return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
            "HOME": os.environ.get("HOME", "/root")}


def service_command(install_dir: Path, env_file: Path) -> tuple[list[str], Path, dict[str, str]]:
    """The unit's command, working directory and environment for an installation in `install_dir`."""
    from yzlogi import envfile

    service = read_unit(DEPLOY / "yzlogi.service")["Service"]
    assert service["EnvironmentFile"] == [ENV_FILE]
    argv = shlex.split(service["ExecStart"][0].replace(INSTALL_DIR, str(install_dir)))
    cwd = Path(service["WorkingDirectory"][0].replace(INSTALL_DIR, str(install_dir)))
    env = base_environment()
    for assignment in service.get("Environment", []):
        name, _, value = assignment.partition("=")
        env[name] = value
    env.update(envfile.load(env_file))  # systemd: the file's values win over Environment=
    return argv, cwd, env


class ServiceApp:
    """The app running as the service would, on the port and base path its environment file names."""

    def __init__(self, install_dir: Path, env_file: Path, log_path: Path):
        argv, cwd, self.env = service_command(install_dir, env_file)
        self.port = int(self.env["STREAMLIT_SERVER_PORT"])
        self.base = self.env.get("STREAMLIT_SERVER_BASE_URL_PATH", "").strip("/")
        self.url = f"http://127.0.0.1:{self.port}/{self.base + '/' if self.base else ''}"
        self.log_path = log_path
        self._log = open(log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(argv, cwd=cwd, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service's command exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)  # polling a process that is starting
        raise RuntimeError(f"the service's command did not become healthy:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self._log.close()
