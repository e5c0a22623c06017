"""HTTPS through Debian's nginx, configured by deploy/nginx.conf, in front of the app
started as deploy/yzlogi.service starts it (its settings file from
deploy/yzlogi.env.example: at /yzlogi/, trusted proxy 127.0.0.1), in Chromium:
every page, meeting mode, a download, a 19 MB upload; and the passcode throttle
keyed on the real client behind the proxy.

Clients on other addresses are made with small TCP relays that connect from
127.0.0.5, .6 or .7 (the whole of 127.0.0.0/8 is this machine's): through nginx,
the app must tell 127.0.0.5 from 127.0.0.6 by nginx's X-Forwarded-For, however a
client forges its own; straight to the app from 127.0.0.7, a forged
X-Forwarded-For must count for nothing. The certificate is self-signed, made here
with openssl."""

from __future__ import annotations

import hashlib
import http.client
import os
import random
import re
import shutil
import socket
import ssl
import string
import subprocess
import threading
import urllib.parse
from pathlib import Path

import pytest

from builders import good_sheets, write_xlsx
from conftest import Requests, _follow_stream, go, main, open_page, plan, query, rerun, title, wait_title
from harness import VIEWPORT, free_port
from service import DEPLOY, ServiceApp, env_file_text
from ui.nav import PAGES
from yzlogi import briefing, config, snapshot
from yzlogi.access import hash_passcode
from yzlogi.months import Month
from yzlogi.store import Store

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSCODE = "渝中物流-2026"
LOCKED = "尝试过于频繁，请 15 分钟后再试。"
UNLOCKED = "已解锁：本会话可以上传数据、回滚版本和办理督办事项。"


class Relay:
    """Forwards every connection made to 127.0.0.1:<port> to `target`, connecting from `source`."""

    def __init__(self, target: tuple[str, int], source: str):
        self.target, self.source = target, source
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client, socket.socket() as upstream:
            upstream.bind((self.source, 0))
            upstream.connect(self.target)
            back = threading.Thread(target=self._pipe, args=(upstream, client), daemon=True)
            back.start()
            self._pipe(client, upstream)
            back.join()

    @staticmethod
    def _pipe(reader: socket.socket, writer: socket.socket) -> None:
        try:
            while data := reader.recv(65536):
                writer.sendall(data)
            writer.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # one side went away: the connection ends

    def close(self) -> None:
        self.listener.close()


def site_conf(app_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """deploy/nginx.conf with the test's ports and certificate: each line replaced must be there once."""
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    for old, new in [("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
                     ("server 127.0.0.1:8501;", f"server 127.0.0.1:{app_port};"),
                     ("/etc/nginx/ssl/yzlogi.crt;", f"{cert};"), ("/etc/nginx/ssl/yzlogi.key;", f"{key};")]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


class Proxy:
    """Debian's nginx in the foreground with deploy/nginx.conf as its only site."""

    def __init__(self, folder: Path, app_port: int):
        self.http_port, self.https_port = free_port(), free_port()
        cert, key = folder / "yzlogi.crt", folder / "yzlogi.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=yzlogi.example.gov.cn", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
        (folder / "yzlogi.conf").write_text(site_conf(app_port, self.http_port, self.https_port, cert, key))
        temp = "".join(f"    {kind}_temp_path {folder / kind};\n" for kind in ("client_body", "proxy", "fastcgi",
                                                                               "uwsgi", "scgi"))
        # As root, nginx's workers would otherwise run as nobody, who cannot write the test's temporary folders.
        (folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
            f"events {{ worker_connections 256; }}\nhttp {{\n    include /etc/nginx/mime.types;\n"
            f"    access_log {folder / 'access.log'};\n{temp}    include {folder / 'yzlogi.conf'};\n}}\n")
        command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")]
        self.checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                break
            except OSError:
                threading.Event().wait(0.05)  # nginx binding its ports
        self.folder = folder

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, artifacts):
    """The app as the service runs it, nginx in front, and relays from 127.0.0.5, .6 (to nginx), .7 (to the app)."""
    folder = tmp_path_factory.mktemp("nginx")
    app_port = free_port()
    env_file = folder / "yzlogi.env"
    env_file.write_text(env_file_text({
        "YZLOGI_DATA_DIR": str(folder / "data"), "YZLOGI_BACKUP_DIR": str(folder / "backups"),
        "STREAMLIT_SERVER_PORT": str(app_port),
        "YZLOGI_PASSCODE_HASH": f"'{hash_passcode(PASSCODE, n=2**10, r=8, p=1)}'"}), encoding="utf-8")
    app = ServiceApp(config.ROOT, env_file, artifacts / "server-nginx.log")
    proxy = Proxy(folder, app_port)
    relays = {source: Relay(("127.0.0.1", proxy.https_port if source != "127.0.0.7" else app_port), source)
              for source in ("127.0.0.5", "127.0.0.6", "127.0.0.7")}
    try:
        yield app, proxy, relays
    finally:
        for relay in relays.values():
            relay.close()
        proxy.stop()
        app.stop()


@pytest.fixture
def client(browser):
    """New browser sessions, each with its own cookies: client(url base, forged X-Forwarded-For or None)."""
    contexts = []

    def new(forged: str | None = None):
        headers = {"X-Forwarded-For": forged} if forged else {}
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True,
                                      ignore_https_errors=True, extra_http_headers=headers)
        context.requests = Requests(context)
        context.on("page", _follow_stream)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        return page

    yield new
    for context in contexts:
        context.close()


def https(proxy_or_relay_port: int, path: str = "") -> str:
    return f"https://127.0.0.1:{proxy_or_relay_port}/yzlogi/{path}"


def attempt(page, passcode: str) -> str:
    """Type a passcode on 数据管理 and unlock; the message the page answers with."""
    page.get_by_label("上传口令").fill(passcode)
    rerun(page, lambda: page.get_by_role("button", name="解锁").click())
    text = main(page).inner_text()
    found = re.search(r"(口令不正确[^\n]*|尝试过于频繁[^\n]*|已解锁：[^\n]*)", text)
    return found.group(1) if found else text


def lock_out(page) -> list[str]:
    """Five wrong passcodes, each after the wait the one before imposed: the answers."""
    answers = []
    for n in range(5):
        answers.append(attempt(page, f"猜一猜-{n:08d}"))
        wait = re.search(r"请 (\d+) 秒后再试", answers[-1])
        if wait:
            page.wait_for_timeout(int(wait.group(1)) * 1000 + 300)  # the throttle's wait, waited out
    return answers


LOCKED_OUT = ["口令不正确，请 1 秒后再试。", "口令不正确，请 2 秒后再试。", "口令不正确，请 4 秒后再试。",
              "口令不正确，请 8 秒后再试。", "口令不正确。连续错误次数过多，已暂停 15 分钟。"]


def test_nginx_accepts_the_configuration_and_sends_plain_http_and_bare_paths_to_https(stack):
    _app, proxy, _relays = stack
    assert proxy.checked.returncode == 0 and "syntax is ok" in proxy.checked.stderr, proxy.checked.stderr
    plain = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    plain.request("GET", "/yzlogi/routes?v=1")
    answer = plain.getresponse()
    assert (answer.status, answer.getheader("Location")) == (301, "https://127.0.0.1/yzlogi/routes?v=1")
    unverified = ssl._create_unverified_context()
    for path, status, location in (("/", 302, "/yzlogi/"), ("/yzlogi", 301, "/yzlogi/")):
        secure = http.client.HTTPSConnection("127.0.0.1", proxy.https_port, timeout=10, context=unverified)
        secure.request("GET", path)
        answer = secure.getresponse()
        assert (answer.status, urllib.parse.urlsplit(answer.getheader("Location")).path) == (status, location)
    secure = http.client.HTTPSConnection("127.0.0.1", proxy.https_port, timeout=10, context=unverified)
    secure.request("GET", "/yzlogi/_stcore/health")
    assert secure.getresponse().read() == b"ok"
    # The upload limit: the app's, plus Streamlit's allowance for the form around a file.
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    streamlit = (config.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.findall(r"client_max_body_size (\d+)m;", site) == [str(config.MAX_UPLOAD_MB.default + 1)]
    assert re.findall(r"(?m)^maxUploadSize = (\d+)$", streamlit) == [str(config.MAX_UPLOAD_MB.default)]


def test_every_page_and_meeting_mode_work_through_nginx_over_its_websocket(stack, client, artifacts):
    _app, proxy, _relays = stack
    page = client()
    open_page(page, https(proxy.https_port))
    assert title(page) == "总览"
    for spec in PAGES[1:]:
        go(page, spec.title)
        assert urllib.parse.urlsplit(page.url).path == f"/yzlogi/{spec.address}"
        assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(artifacts / "nginx-data.png"))
    open_page(page, https(proxy.https_port, "?mode=meeting&every=5"))
    assert title(page) == "总览"
    wait_title(page, "年度指标")
    assert urllib.parse.urlsplit(page.url).path == "/yzlogi/indicators"
    assert query(page) == {"mode": "meeting", "every": "5"}
    host = f"127.0.0.1:{proxy.https_port}"
    streams = [url for url in page.context.requests.urls if url.startswith("wss://")]
    assert streams and set(streams) == {f"wss://{host}/yzlogi/_stcore/stream"}
    assert sorted(set(page.context.requests.foreign(host))) == []


def test_a_briefing_downloads_whole_through_nginx(stack, client, tmp_path):
    app, proxy, _relays = stack
    page = client()
    open_page(page, https(proxy.https_port, "?asof=2026-06"))
    with page.expect_download() as caught:
        main(page).get_by_role("button", name="下载推进情况汇总表（Excel）").click()
    saved = tmp_path / caught.value.suggested_filename
    caught.value.save_as(saved)
    store = Store(app.env["YZLOGI_DATA_DIR"], plan=plan(), sample=None)
    expected = briefing.build(snapshot.take(store, 1, Month.parse("2026-06")), plan(), briefing.XLSX)
    assert caught.value.suggested_filename == briefing.file_name(1, Month.parse("2026-06"), briefing.XLSX)
    assert saved.read_bytes() == expected


def big_workbook(path: Path, megabytes: int) -> bytes:
    """A valid workbook padded with an extra sheet of random text (which the reader ignores) to about this size."""
    rnd = random.Random(17)
    rows = [["".join(rnd.choices(string.ascii_letters + string.digits, k=30_000))] for _ in range(megabytes * 46)]
    return write_xlsx(path, good_sheets() | {"附件材料": (["说明"], rows)}).read_bytes()


def test_clients_behind_the_proxy_are_throttled_apart_and_a_forged_header_counts_for_nothing(stack, client, tmp_path):
    app, _proxy, relays = stack
    five, six, seven = (relays[f"127.0.0.{n}"].port for n in (5, 6, 7))

    # 127.0.0.5, through nginx: five wrong passcodes lock its address out.
    page = client()
    open_page(page, https(five, "data"))
    assert lock_out(page) == LOCKED_OUT

    # A new session from 127.0.0.5 is held back, even writing another address into X-Forwarded-For.
    for forged in (None, "10.9.9.9"):
        other = client(forged)
        open_page(other, https(five, "data"))
        assert attempt(other, PASSCODE) == LOCKED, forged

    # 127.0.0.7, straight to the app, claiming to be 127.0.0.5: its own address counts, so it is heard.
    direct = client("127.0.0.5")
    open_page(direct, f"http://127.0.0.1:{seven}/yzlogi/data")
    assert attempt(direct, PASSCODE) == UNLOCKED

    # 127.0.0.6, through nginx: another client, heard; it uploads 19 MB through nginx and gets it back.
    page = client()
    open_page(page, https(six, "data"))
    assert attempt(page, PASSCODE) == UNLOCKED
    workbook = big_workbook(tmp_path / "big.xlsx", 19)
    assert 18.5 * 2**20 < len(workbook) < 19.5 * 2**20
    name = "2026年6月进度（含附件）.xlsx"
    file_input = main(page).locator('[data-testid="stFileUploader"] input[type="file"]')
    rerun(page, lambda: file_input.set_input_files({"name": name, "mimeType": "application/octet-stream",
                                                     "buffer": workbook}), timeout=180_000)
    assert f"读取和校验完成：{name}，没有错误" in main(page).inner_text()
    page.get_by_label("导入人（必填，记入版本历史）").fill("张三")
    rerun(page, lambda: page.get_by_role("button", name="确认导入为新的当前版本").click(), timeout=180_000)
    assert "已替换示例数据，导入为版本 2，并已设为当前版本。" in main(page).inner_text()
    go(page, "总览")
    assert "示例数据" not in main(page).inner_text()
    go(page, "数据管理")
    with page.expect_download() as caught:
        main(page).get_by_role("button", name=f"下载原始文件：{name}").click()
    kept = tmp_path / "kept.xlsx"
    caught.value.save_as(kept)
    assert hashlib.sha256(kept.read_bytes()).digest() == hashlib.sha256(workbook).digest()
    store = Store(app.env["YZLOGI_DATA_DIR"], plan=plan(), sample=None)
    assert [(v.id, v.by, v.active) for v in store.versions()] == [(1, "系统", False), (2, "张三", True)]


def test_with_no_trusted_proxy_the_header_is_believed_from_no_one(tmp_path, client, artifacts):
    """The default (trusted_proxies empty), the service's way: even from this machine, a client naming
    itself in X-Forwarded-For stays the client it is (the web server under Streamlit must not believe it
    either: the unit's FORWARDED_ALLOW_IPS=)."""
    env_file = tmp_path / "yzlogi.env"
    env_file.write_text(env_file_text({
        "YZLOGI_DATA_DIR": str(tmp_path / "data"), "YZLOGI_TRUSTED_PROXIES": "",
        "STREAMLIT_SERVER_PORT": str(free_port()),
        "YZLOGI_PASSCODE_HASH": f"'{hash_passcode(PASSCODE, n=2**10, r=8, p=1)}'"}), encoding="utf-8")
    app = ServiceApp(config.ROOT, env_file, artifacts / "server-no-proxy.log")
    try:
        first = client("10.1.1.1")
        open_page(first, f"{app.url}data")
        assert lock_out(first) == LOCKED_OUT
        second = client("10.2.2.2")
        open_page(second, f"{app.url}data")
        assert attempt(second, PASSCODE) == LOCKED
    finally:
        app.stop()
