"""Installs and runs an offline bundle where there is no network at all.

tests/e2e/test_bundle.py runs this script in a new network namespace (unshare
--net --map-root-user): only a loopback interface, no route, no name server.
It does what README «内网部署» tells an IT officer to do and records what it
saw as JSON for the test to check:

1. the namespace really has no network (a name lookup and a connection out fail);
2. unpack the bundle, run deploy/install.sh (timed), `make run` in it, and open
   总览 in Chromium: the bundled sample, a PDF briefing made with the bundled font;
3. run it the service's way (deploy/yzlogi.service's command and a settings file
   made from deploy/yzlogi.env.example: its own data folder, at /yzlogi/), import a
   workbook with deploy/yzlogi, back it up, ask doctor; restore the backup, refused
   while the service runs, done once it is stopped;
4. update: the installation moved aside, the same bundle unpacked and installed
   anew, the service's command started again: the imported version is still there.

Usage: offline_install.py BUNDLE WORK_DIR ARTIFACTS_DIR RESULT_JSON
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(HERE)]

from builders import good_sheets, write_xlsx  # noqa: E402
from harness import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, VIEWPORT  # noqa: E402
from service import ServiceApp, base_environment, env_file_text  # noqa: E402

PORT = 8501  # the namespace is this script's alone: the default port is free
SERVICE_PORT = 8601


def loopback_up() -> None:
    """Bring up `lo` in the new namespace (SIOCSIFFLAGS), which starts down."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14s", b"lo", 0, b"")
        flags = struct.unpack("16sH14s", fcntl.ioctl(sock, siocgifflags, request))[1]
        fcntl.ioctl(sock, siocsifflags, struct.pack("16sH14s", b"lo", flags | iff_up, b""))


def network_probe() -> dict:
    """What reaching out gives: a name lookup and a TCP connection to a public address."""
    facts = {}
    try:
        socket.getaddrinfo("pypi.org", 443)
        facts["dns"] = "resolved"
    except OSError as exc:
        facts["dns"] = f"failed: {type(exc).__name__}"
    try:
        socket.create_connection(("151.101.0.223", 443), timeout=5).close()
        facts["connect"] = "connected"
    except OSError as exc:
        facts["connect"] = errno.errorcode.get(exc.errno, str(exc.errno))
    return facts


def unpack(bundle: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(bundle) as tar:
        tar.extractall(into, filter="tar")
    return into / "yzlogi"


def install(install_dir: Path, log: Path) -> float:
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(["sh", str(install_dir / "deploy" / "install.sh")], env=base_environment(),
                              stdout=out, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise RuntimeError(f"install.sh failed:\n{log.read_text(encoding='utf-8')}")
    return round(time.monotonic() - started, 1)


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{log.read_text(encoding='utf-8')}")
        try:
            with urllib.request.urlopen(f"{url}_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)  # polling a process that is starting
    raise RuntimeError(f"the app did not become healthy:\n{log.read_text(encoding='utf-8')}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def look(browser, url: str, screenshot: Path, download: str | None = None, save_to: Path | None = None) -> dict:
    """Open a page and say what it shows: title, body text, hosts asked, and a download when named."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    hosts = set()
    context.on("request", lambda request: hosts.add(request.url.split("/")[2] if "://" in request.url else ""))
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(IDLE_JS, timeout=120_000)
        main = page.locator('[data-testid="stMain"]')
        seen = {
            "title": main.locator("h1").first.inner_text().strip(),
            "text": main.inner_text(),
            "exceptions": page.locator('[data-testid="stException"]').count(),
        }
        page.screenshot(path=str(screenshot))
        if download:
            with page.expect_download(timeout=120_000) as caught:
                main.get_by_role("button", name=download).click()
            caught.value.save_as(save_to)
            seen["download"] = caught.value.suggested_filename
        seen["hosts"] = sorted(hosts - {""})
        return seen
    finally:
        context.close()


def pdf_fonts(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+")[-1] for line in out.splitlines()[2:]]


def cli(install_dir: Path, env_file: Path, *args: str) -> dict:
    """deploy/yzlogi as IT staff run it: the installation's python, the service's settings file."""
    env = {**base_environment(), "YZLOGI_ENV_FILE": str(env_file)}
    done = subprocess.run([str(install_dir / "deploy" / "yzlogi"), *args], env=env, capture_output=True, text=True,
                          timeout=300)
    return {"code": done.returncode, "out": done.stdout, "err": done.stderr}


def main(bundle: Path, work: Path, artifacts: Path, result: Path) -> None:
    from playwright.sync_api import sync_playwright

    loopback_up()
    facts: dict = {"network": network_probe()}
    opt = work / "opt"
    install_dir = unpack(bundle, opt)
    facts["first_install_s"] = install(install_dir, artifacts / "install-1.log")
    facts["doctor_font"] = [c["detail"] for c in json.loads(subprocess.run(
        [str(install_dir / ".venv" / "bin" / "python"), "-m", "yzlogi", "doctor", "--json"], cwd=install_dir,
        env=base_environment(), capture_output=True, text=True).stdout) if c["title"] == "PDF 简报字体"]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        # `make run`, as the README's first command, on the bundled sample.
        log = artifacts / "make-run.log"
        with log.open("w", encoding="utf-8") as out:
            make = subprocess.Popen(["make", "run", f"PORT={PORT}"], cwd=install_dir, env=base_environment(),
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = f"http://127.0.0.1:{PORT}/"
            wait_healthy(url, make, log)
            pdf = work / "简报.pdf"
            facts["make_run"] = look(browser, url, artifacts / "bundle-make-run.png", "下载会议简报（PDF）", pdf)
            facts["make_run"]["pdf_fonts"] = pdf_fonts(pdf)
        finally:
            stop(make)
        facts["make_run"]["log_has_traceback"] = "Traceback" in log.read_text(encoding="utf-8")

        # The service's way: its own data folder, settings file, base path.
        env_file = work / "yzlogi.env"
        env_file.write_text(env_file_text({
            "YZLOGI_DATA_DIR": str(work / "data"), "YZLOGI_BACKUP_DIR": str(work / "backups"),
            "STREAMLIT_SERVER_PORT": str(SERVICE_PORT)}), encoding="utf-8")
        workbook = write_xlsx(work / "6月进度.xlsx", good_sheets())
        app = ServiceApp(install_dir, env_file, artifacts / "service-1.log")
        try:
            facts["service_first"] = look(browser, app.url, artifacts / "bundle-service.png")
            facts["import"] = cli(install_dir, env_file, "import", str(workbook), "--by", "张三", "--note", "6月")
            facts["versions"] = cli(install_dir, env_file, "versions", "--json")
            facts["service_after_import"] = look(browser, app.url, artifacts / "bundle-service-imported.png")
            facts["backup"] = cli(install_dir, env_file, "backup")
            facts["doctor"] = cli(install_dir, env_file, "doctor", "--json")
            taken = facts["backup"]["out"].split("已备份到 ", 1)[-1].split("（", 1)[0]
            facts["restore_while_running"] = cli(install_dir, env_file, "restore", taken)
        finally:
            app.stop()
        facts["restore_stopped"] = cli(install_dir, env_file, "restore", taken)

        # Update: the old installation aside, the bundle unpacked and installed anew; the data stays.
        os.rename(install_dir, opt / "yzlogi.old")
        install_dir = unpack(bundle, opt)
        facts["second_install_s"] = install(install_dir, artifacts / "install-2.log")
        shutil.rmtree(opt / "yzlogi.old")
        app = ServiceApp(install_dir, env_file, artifacts / "service-2.log")
        try:
            facts["service_after_update"] = look(browser, app.url, artifacts / "bundle-service-updated.png")
            facts["versions_after_update"] = cli(install_dir, env_file, "versions", "--json")
        finally:
            app.stop()
        browser.close()
    facts["install_dir"] = str(install_dir)
    result.write_text(json.dumps(facts, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(*(Path(arg) for arg in sys.argv[1:5]))
