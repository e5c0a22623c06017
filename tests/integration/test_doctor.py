"""python -m yzlogi doctor on real installations' folders: each check says 正常, 警告 or
错误 and what to do, and any 错误 makes the command exit 1. Folders are real (owned by
another user, read-only, a 100 MB file system mounted for the test, a corrupt DuckDB
file, a lock held by flock), the font path is real, backups are real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from yzlogi import backup, doctor
from yzlogi.access import hash_passcode

ROOT = Path(__file__).resolve().parents[2]
HASH = hash_passcode("渝中物流-2026", n=2**10, r=8, p=1)
ROOT_USER = os.geteuid() == 0


def run_doctor(env: dict, *extra: str) -> tuple[int, dict[str, tuple[str, str, str]], str]:
    """doctor --json and doctor as text: exit code, title → (level, detail, advice), the text."""
    done = subprocess.run([sys.executable, "-m", "yzlogi", "doctor", "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    text = subprocess.run([sys.executable, "-m", "yzlogi", "doctor"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert text.returncode == done.returncode and done.stderr == ""
    checks = {c["title"]: (c["level"], c["detail"], c["advice"]) for c in json.loads(done.stdout)}
    return done.returncode, checks, text.stdout


@pytest.fixture
def installation(tmp_path):
    """A data folder with the sample committed, a fresh verified backup, a passcode, nginx trusted."""
    data, backups = tmp_path / "var", tmp_path / "backups"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("YZLOGI_")},
           "YZLOGI_DATA_DIR": str(data), "YZLOGI_BACKUP_DIR": str(backups), "YZLOGI_PASSCODE_HASH": HASH,
           "YZLOGI_TRUSTED_PROXIES": "127.0.0.1"}
    assert subprocess.run([sys.executable, "-m", "yzlogi", "versions"], cwd=ROOT, env=env,
                          capture_output=True).returncode == 0
    backup.take(data, backups, keep=14, now=datetime.now() - timedelta(hours=3))
    return data, backups, env


def test_a_healthy_installation_is_all_正常_and_says_so(installation):
    data, backups, env = installation
    code, checks, text = run_doctor(env)
    assert code == 0
    assert {title: level for title, (level, _, _) in checks.items()} == {
        "Python": "正常", "Python 包": "正常", "PDF 简报字体": "正常", "数据文件夹权限": "正常",
        "数据文件夹剩余空间": "正常", "数据文件夹的锁": "正常", "上传口令": "正常", "计划数据文件": "正常",
        "数据库": "正常", "最近的备份": "正常", "备份文件夹剩余空间": "正常", "受信任的代理": "正常", "设置": "正常"}
    assert checks["Python"][1].startswith("3.11.")
    assert checks["PDF 简报字体"][1] == "Noto Sans CJK SC（/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc）"
    assert checks["数据库"][1] == "可以打开：版本 1 个，当前版本 1"
    assert checks["计划数据文件"][1] == (f"{ROOT / 'data' / 'plan.toml'}：渝中区现代物流业高质量发展三年行动计划（2025—2027年）"
                                   "（2025—2027年，主要指标 8 项，重点任务 16 项）")
    assert checks["上传口令"][1] == "已设置（环境变量 YZLOGI_PASSCODE_HASH，scrypt n=1024）"
    assert checks["数据文件夹的锁"][1] == "可以取得；未发现正在使用该文件夹的看板（或看板启动后尚无人访问）"
    [latest] = backup.list_backups(backups)
    assert checks["最近的备份"][1] == f"{latest.path.name}，3 小时前（{latest.describe_contents()}）"
    assert checks["受信任的代理"][1] == "127.0.0.1/32"
    assert checks["设置"][1] == "已设置 YZLOGI_DATA_DIR、YZLOGI_TRUSTED_PROXIES、YZLOGI_BACKUP_DIR，其余为默认值"
    assert text.splitlines()[0] == f"yzlogi 运行检查  数据文件夹：{data}"
    assert text.splitlines()[-1] == "结果：正常 13 项，警告 0 项，错误 0 项。"
    assert "处理：" not in text


def test_a_broken_plan_file_is_an_error_naming_its_line(installation, tmp_path):
    data, backups, env = installation
    broken = tmp_path / "plan.toml"
    text = (ROOT / "data" / "plan.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace('lead = ["区司法局"]', "lead = []", 1), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row == 'lead = ["区司法局"]')
    code, checks, _ = run_doctor({**env, "YZLOGI_PLAN": str(broken)})
    assert code == 1
    level, detail, advice = checks["计划数据文件"]
    assert (level, detail) == ("错误", f"计划数据文件 {broken} 有误：第{line}行：任务12没有牵头单位")
    assert advice == f"按提示改正 {broken} 后重启看板（改正前看板无法启动）。"


def test_a_missing_font_is_an_error_with_what_to_do(installation):
    _, _, env = installation
    code, checks, text = run_doctor({**env, "YZLOGI_CJK_FONT": "/opt/fonts/缺失的字体.otf"})
    assert code == 1
    level, detail, advice = checks["PDF 简报字体"]
    assert (level, detail) == ("错误", "没有可用的中文字体，会议简报（PDF）无法生成")
    assert advice.startswith("生成 PDF 需要中文字体 Noto Sans CJK SC（/opt/fonts/缺失的字体.otf），"
                             "但环境变量 YZLOGI_CJK_FONT 指定的文件不存在。")
    assert f"[错误] PDF 简报字体：{detail}\n       处理：{advice}\n" in text
    assert text.splitlines()[-1] == "结果：正常 12 项，警告 0 项，错误 1 项。"


@pytest.mark.parametrize("age, level", [(timedelta(hours=30), "警告"), (timedelta(days=10), "错误")])
def test_an_old_backup_is_a_warning_then_an_error(installation, age, level):
    data, backups, env = installation
    old = backup.take(data, backups, keep=14, now=datetime.now() - age).backup
    for fresh in [b for b in backup.list_backups(backups) if b.path != old.path]:
        subprocess.run(["rm", "-r", str(fresh.path)], check=True)
    code, checks, _ = run_doctor(env)
    assert code == (1 if level == "错误" else 0)
    assert checks["最近的备份"][0] == level
    assert checks["最近的备份"][1].startswith(f"{old.path.name}，{'30 小时' if level == '警告' else '10 天'}前")
    assert checks["最近的备份"][2].startswith("运行 yzlogi backup 立即备份")


def test_no_backup_no_passcode_and_no_store_yet_are_warnings(tmp_path):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("YZLOGI_")},
           "YZLOGI_DATA_DIR": str(tmp_path / "new"), "YZLOGI_BACKUP_DIR": str(tmp_path / "backups")}
    code, checks, _ = run_doctor(env)
    assert code == 0
    assert checks["数据文件夹权限"][:2] == ("警告", f"{tmp_path / 'new'} 尚不存在，看板首次打开时会创建")
    assert checks["数据库"][:2] == ("警告", "尚未创建：看板首次打开时创建，并导入示例数据")
    assert checks["上传口令"][:2] == ("警告", "未设置：数据管理页面的上传和回滚不可用")
    assert checks["最近的备份"][:2] == ("警告", f"{tmp_path / 'backups'} 中还没有备份")
    assert checks["受信任的代理"][0] == "正常" and "不采信 X-Forwarded-For" in checks["受信任的代理"][1]
    assert not (tmp_path / "new").exists()  # doctor changes nothing


def test_a_folder_the_service_user_cannot_write_is_an_error(installation):
    data, _, env = installation
    if ROOT_USER:  # root can write anything: the check is for the folder's owner, the service user
        for path in [data, *data.rglob("*")]:
            os.chown(path, 65534, 65534)
        stray = data / "uploads" / "root-made.tmp"
        stray.write_bytes(b"")  # made by root, as a root shell would
        data.joinpath("uploads").chmod(0o555)
        who, blocked = "数据文件夹的属主（nobody）", f"{data / 'uploads'}、{stray}"
    else:
        data.joinpath("uploads").chmod(0o555)
        who, blocked = "当前用户", f"{data / 'uploads'}"
    try:
        code, checks, _ = run_doctor(env)
    finally:
        data.joinpath("uploads").chmod(0o755)
    assert code == 1
    owner = "nobody" if ROOT_USER else checks["数据文件夹权限"][2].split()[3].split(":")[0]
    assert checks["数据文件夹权限"] == ("错误", f"{who}不能写入 {blocked}",
                                    f"sudo chown -R {owner}:{owner} {data}（让服务用户拥有整个数据文件夹）")


def test_a_corrupt_store_a_malformed_hash_and_an_unreadable_proxy_list_are_errors(installation):
    data, _, env = installation
    (data / "yzlogi.duckdb").write_bytes(b"not a database" * 1000)
    code, checks, _ = run_doctor({**env, "YZLOGI_PASSCODE_HASH": "scrypt$abc", "YZLOGI_TRUSTED_PROXIES": "nginx",
                                  "YZLOGI_REPORT_DEADLINE_DAY": "31"})
    assert code == 1
    assert checks["数据库"] == ("错误", f"数据库 {data / 'yzlogi.duckdb'} 无法打开（IOException），可能已损坏。",
                              "停止看板后用最近的备份恢复：yzlogi restore <备份文件夹>。")
    assert checks["上传口令"][:2] == ("错误", "配置的口令哈希格式不正确：应为 python -m yzlogi passcode 输出的 scrypt$… 字符串。")
    assert checks["受信任的代理"][:2] == ("错误", "YZLOGI_TRUSTED_PROXIES 中无法识别：nginx")
    assert checks["设置"] == ("警告", "YZLOGI_REPORT_DEADLINE_DAY=“31”不可用（应为1—28之间的整数），已按默认值 5 执行",
                            "改正服务设置文件中的这些变量后重启看板。")


def test_a_lock_held_past_the_wait_is_a_warning(installation):
    data, _, env = installation
    holder = subprocess.Popen(["flock", "-x", str(data / "yzlogi.lock"), "sleep", "60"])
    try:
        subprocess.run(["sleep", "0.3"])  # let flock take the lock
        code, checks, _ = run_doctor(env)
    finally:
        holder.kill()
        holder.wait()
    assert code == 0
    assert checks["数据文件夹的锁"][:2] == ("警告", "5 秒内未能取得（可能正有导入在进行）；未发现正在使用该文件夹的看板"
                                           "（或看板启动后尚无人访问）")
    assert checks["数据库"][:2] == ("警告", "数据文件夹被占用，未能打开")


def test_a_nearly_full_disk_is_an_error(installation, tmp_path):
    data, backups, env = installation
    small = tmp_path / "small"
    small.mkdir()
    # A 100 MB file system of the test's own, in a mount namespace (root, as CI runs).
    script = (f"mount -t tmpfs -o size=100m tmpfs {small} && cp -a {data} {small}/var && "
              f"YZLOGI_DATA_DIR={small}/var {sys.executable} -m yzlogi doctor --json")
    done = subprocess.run(["unshare", "--mount", "sh", "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    checks = {c["title"]: (c["level"], c["detail"], c["advice"]) for c in json.loads(done.stdout)}
    level, detail, advice = checks["数据文件夹剩余空间"]
    assert level == "错误" and detail.endswith(f" MB（{small}/var）") and int(detail.split()[0]) < 100
    assert advice == "空间不足 200 MB，导入或备份可能失败：请清理该磁盘或扩容。"
    assert checks["备份文件夹剩余空间"][0] == "正常"


def test_a_package_at_another_version_than_pinned_is_an_error(tmp_path):
    (tmp_path / "requirements.txt").write_text("streamlit==1.67.0\nnot-installed-anywhere==1.0\n")
    (tmp_path / "constraints.txt").write_text("streamlit==1.67.0\nduckdb==0.0.1\n")
    check = doctor.check_packages(tmp_path)
    assert (check.level, check.detail) == ("错误", "缺少 not-installed-anywhere；版本不符：duckdb 2.0.1（应为 0.0.1）")
    assert check.advice == "重新运行安装脚本 deploy/install.sh（离线包内带有全部所需的包）。"
