"""python -m yzlogi doctor: what a running installation needs, checked one by one for IT staff.

Each check says 正常, 警告 or 错误, what it found and, when not 正常, what to do:
Python and the packages (against constraints.txt), the PDF briefing's font, the
data folder (permissions, free space, its lock), the upload passcode, the store
(opened read-only), the latest backup's age and the trusted proxy setting.
Nothing is changed by a check. Any 错误 makes the command exit non-zero.

Run as root, the permission check asks whether the data folder's owner (the
service user) can write everything in it, since root can write anything.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

from yzlogi import config

OK, WARN, ERROR = "正常", "警告", "错误"
LEVELS = (OK, WARN, ERROR)
PYTHON = (3, 11)
FREE_WARN_MB = 1024  # below this, 警告: a year of uploads and nightly backups needs room
FREE_ERROR_MB = 200  # below this, 错误: an import or a backup may fail part way
BACKUP_WARN_H = 26  # a nightly backup missed
BACKUP_ERROR_H = 7 * 24  # a week without one
LOCK_WAIT_S = 5.0
_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


@dataclass(frozen=True)
class Check:
    title: str
    level: str
    detail: str
    advice: str = ""

    def to_json(self) -> dict:
        return {"title": self.title, "level": self.level, "detail": self.detail, "advice": self.advice}


def run(now: datetime | None = None) -> list[Check]:
    """Every check, in the order they are printed."""
    now = now or datetime.now()
    data = config.data_dir()
    backups = config.backup_dir()
    checks: list[tuple[str, Callable[[], Check]]] = [
        ("Python", check_python), ("Python 包", check_packages), ("PDF 简报字体", check_font),
        ("数据文件夹权限", lambda: check_permissions(data)),
        ("数据文件夹剩余空间", lambda: check_free_space("数据文件夹剩余空间", data)),
        ("数据文件夹的锁", lambda: check_lock(data)), ("上传口令", check_passcode), ("计划数据文件", check_plan),
        ("数据库", lambda: check_store(data)),
        ("最近的备份", lambda: check_backups(backups, now)),
        ("备份文件夹剩余空间", lambda: check_free_space("备份文件夹剩余空间", backups)), ("受信任的代理", check_proxies),
        ("设置", check_settings),
    ]
    out = []
    for title, check in checks:
        try:
            out.append(check())
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            out.append(Check(title, ERROR, f"检查未能完成（{type(exc).__name__}: {exc}）",
                             "请把本命令的输出发给开发人员。"))
    return out


def failed(checks: list[Check]) -> bool:
    return any(c.level == ERROR for c in checks)


def report(checks: list[Check]) -> str:
    """The checks as IT staff read them: one line each, and what to do under the ones that need it."""
    lines = [f"yzlogi 运行检查  数据文件夹：{config.data_dir()}"]
    for c in checks:
        lines.append(f"[{c.level}] {c.title}：{c.detail}")
        if c.advice:
            lines.append(f"       处理：{c.advice}")
    counts = "，".join(f"{level} {sum(c.level == level for c in checks)} 项" for level in LEVELS)
    lines.append(f"结果：{counts}。")
    return "\n".join(lines) + "\n"


# --- the program ----------------------------------------------------------------------


def check_python() -> Check:
    found = ".".join(str(part) for part in sys.version_info[:3])
    if tuple(sys.version_info[:2]) == PYTHON:
        return Check("Python", OK, f"{found}（{sys.executable}）")
    return Check("Python", ERROR, f"{found}，本程序需要 Python 3.11",
                 "安装 python3.11 后重新运行安装脚本 deploy/install.sh。")


def pins(path: Path) -> dict[str, str]:
    """name → version of every `name==version` line of a requirements or constraints file."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            out[_canonical(match.group(1))] = match.group(2)
    return out


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def check_packages(root: Path = config.ROOT) -> Check:
    required, pinned = pins(root / "requirements.txt"), pins(root / "constraints.txt")
    installed = {_canonical(d.metadata["Name"] or ""): d.version for d in metadata.distributions()}
    missing = sorted(name for name in required if name not in installed)
    wrong = sorted(f"{name} {installed[name]}（应为 {version}）" for name, version in pinned.items()
                   if name in installed and installed[name] != version)
    if missing or wrong:
        found = "；".join(filter(None, ["缺少 " + "、".join(missing) if missing else "",
                                        "版本不符：" + "、".join(wrong) if wrong else ""]))
        return Check("Python 包", ERROR, found, "重新运行安装脚本 deploy/install.sh（离线包内带有全部所需的包）。")
    checked = sum(1 for name in pinned if name in installed)
    return Check("Python 包", OK, f"{checked} 个已安装的包与 constraints.txt 一致")


def check_font() -> Check:
    from yzlogi import fonts

    try:
        font = fonts.cjk_font()
    except fonts.FontMissing as exc:
        return Check("PDF 简报字体", ERROR, "没有可用的中文字体，会议简报（PDF）无法生成", str(exc))
    return Check("PDF 简报字体", OK, f"{font.regular.family}（{font.regular.path}）")


# --- the data folder --------------------------------------------------------------------


def check_permissions(folder: Path) -> Check:
    title = "数据文件夹权限"
    if not folder.exists():
        parent = _existing_parent(folder)
        uid, gids, _ = _who(parent)
        if _writable(parent, uid, gids):
            return Check(title, WARN, f"{folder} 尚不存在，看板首次打开时会创建", "")
        return Check(title, ERROR, f"{folder} 不存在，且无法在 {parent} 中创建",
                     f"sudo mkdir -p {folder} && sudo chown yzlogi:yzlogi {folder}")
    if not folder.is_dir():
        return Check(title, ERROR, f"{folder} 不是文件夹", f"检查 {config.DATA_DIR.env} 设置。")
    uid, gids, who = _who(folder)
    blocked = [path for path in [folder, *folder.rglob("*")]
               if not path.is_symlink() and not _writable(path, uid, gids)]
    if blocked:
        names = "、".join(str(p) for p in blocked[:3]) + (f" 等 {len(blocked)} 项" if len(blocked) > 3 else "")
        owner = _user_name(folder.stat().st_uid)
        return Check(title, ERROR, f"{who}不能写入 {names}",
                     f"sudo chown -R {owner}:{owner} {folder}（让服务用户拥有整个数据文件夹）")
    return Check(title, OK, f"{who}可以读写 {folder} 中的全部文件")


def _who(path: Path) -> tuple[int, set[int], str]:
    """Whose permissions count: the caller's; for root, the folder owner's (the service user)."""
    uid = os.geteuid()
    if uid != 0:
        return uid, {os.getegid(), *os.getgroups()}, "当前用户"
    owner = path.stat().st_uid
    try:
        entry = pwd.getpwuid(owner)
        gids = {entry.pw_gid, *os.getgrouplist(entry.pw_name, entry.pw_gid)}
    except KeyError:
        gids = {path.stat().st_gid}
    return owner, gids, f"数据文件夹的属主（{_user_name(owner)}）"


def _writable(path: Path, uid: int, gids: set[int]) -> bool:
    """Whether `uid` may write `path` (and enter it, for a folder), from its mode bits."""
    if uid == 0:
        return True
    info = path.stat()
    mode = info.st_mode
    if info.st_uid == uid:
        bits = stat.S_IWUSR | (stat.S_IXUSR if stat.S_ISDIR(mode) else 0)
    elif info.st_gid in gids:
        bits = stat.S_IWGRP | (stat.S_IXGRP if stat.S_ISDIR(mode) else 0)
    else:
        bits = stat.S_IWOTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
    return mode & bits == bits


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_free_space(title: str, folder: Path) -> Check:
    where = _existing_parent(folder)
    free_mb = shutil.disk_usage(where).free // (1024 * 1024)
    text = f"{free_mb:,} MB（{where}）"
    if free_mb < FREE_ERROR_MB:
        return Check(title, ERROR, text, f"空间不足 {FREE_ERROR_MB} MB，导入或备份可能失败：请清理该磁盘或扩容。")
    if free_mb < FREE_WARN_MB:
        return Check(title, WARN, text, f"空间不足 {FREE_WARN_MB} MB：请及早清理该磁盘或扩容。")
    return Check(title, OK, text)


def check_lock(folder: Path) -> Check:
    from yzlogi.locking import FolderLock, FolderUnusable, LockTimeout, in_use

    title = "数据文件夹的锁"
    if not folder.is_dir():
        return Check(title, WARN, "数据文件夹尚不存在，无锁可查")
    app = "看板正在使用该文件夹" if in_use(folder) else "未发现正在使用该文件夹的看板（或看板启动后尚无人访问）"
    try:
        with FolderLock(folder, timeout_s=LOCK_WAIT_S).shared():
            pass
    except LockTimeout:
        return Check(title, WARN, f"{LOCK_WAIT_S:g} 秒内未能取得（可能正有导入在进行）；{app}",
                     f"稍后再运行一次；若一直如此，用 fuser -v {folder / 'yzlogi.lock'} 查看占用它的进程。")
    except FolderUnusable as exc:
        return Check(title, ERROR, str(exc), "见上面的权限检查。")
    return Check(title, OK, f"可以取得；{app}")


def check_passcode(root: Path = config.ROOT) -> Check:
    from yzlogi.access import AccessError, configured_hash, parse_hash

    secrets = None
    path = root / ".streamlit" / "secrets.toml"
    if path.is_file():
        try:
            secrets = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return Check("上传口令", ERROR, f"{path} 无法读取", "修正或删除该文件，口令哈希改用环境变量 YZLOGI_PASSCODE_HASH。")
    encoded = configured_hash(os.environ, secrets)
    if encoded is None:
        return Check("上传口令", WARN, "未设置：数据管理页面的上传和回滚不可用",
                     "运行 yzlogi passcode，把输出的哈希写入 /etc/yzlogi/yzlogi.env 的 YZLOGI_PASSCODE_HASH（用单引号括起），"
                     "然后 sudo systemctl restart yzlogi。")
    try:
        parsed = parse_hash(encoded)
    except AccessError as exc:
        return Check("上传口令", ERROR, str(exc), "重新运行 yzlogi passcode 生成哈希，替换配置中的值后重启看板。")
    where = "环境变量 YZLOGI_PASSCODE_HASH" if os.environ.get("YZLOGI_PASSCODE_HASH", "").strip() else str(path)
    return Check("上传口令", OK, f"已设置（{where}，scrypt n={parsed.n}）")


def check_settings() -> Check:
    """Settings whose value in the environment cannot be used (the default is used instead)."""
    problems = [s.problem for s in config.SETTINGS if s.problem]
    if problems:
        return Check("设置", WARN, "；".join(problems), "改正服务设置文件中的这些变量后重启看板。")
    changed = [s.env for s in config.SETTINGS if s.raw]
    return Check("设置", OK, f"已设置 {'、'.join(changed)}，其余为默认值" if changed else "全部为默认值")


def check_plan() -> Check:
    """The plan file the installation tracks (config.PLAN_FILE) loads and passes every check."""
    from yzlogi.errors import PlanError
    from yzlogi.plan import load_plan

    path = config.plan_path()
    try:
        plan = load_plan(path)
    except PlanError as exc:
        return Check("计划数据文件", ERROR, str(exc), f"按提示改正 {path} 后重启看板（改正前看板无法启动）。")
    return Check("计划数据文件", OK, f"{path}：{plan.title}（{plan.period}，主要指标 {len(plan.indicators)} 项，"
                 f"重点任务 {len(plan.tasks)} 项）")


def check_store(folder: Path) -> Check:
    from yzlogi.backup import BackupError, inspect_store
    from yzlogi.locking import FolderLock, LockTimeout
    from yzlogi.store import DB_FILE

    if not (folder / DB_FILE).is_file():
        return Check("数据库", WARN, "尚未创建：看板首次打开时创建，并导入示例数据", "")
    try:
        with FolderLock(folder, timeout_s=LOCK_WAIT_S).shared():
            summary = inspect_store(folder)
    except LockTimeout:
        return Check("数据库", WARN, "数据文件夹被占用，未能打开", "稍后再运行一次。")
    except BackupError as exc:
        return Check("数据库", ERROR, str(exc), "停止看板后用最近的备份恢复：yzlogi restore <备份文件夹>。")
    return Check("数据库", OK, f"可以打开：{summary.describe()}")


def check_backups(folder: Path, now: datetime) -> Check:
    from yzlogi.backup import latest

    newest = latest(folder)
    how = ("运行 yzlogi backup 立即备份，并确认定时备份已启用：systemctl list-timers yzlogi-backup.timer"
           "（日志：journalctl -u yzlogi-backup）。")
    if newest is None:
        return Check("最近的备份", WARN, f"{folder} 中还没有备份", how)
    hours = (now - newest.created_at).total_seconds() / 3600
    text = f"{newest.path.name}，{_age(hours)}前（{newest.describe_contents()}）"
    if hours > BACKUP_ERROR_H:
        return Check("最近的备份", ERROR, text, how)
    if hours > BACKUP_WARN_H:
        return Check("最近的备份", WARN, text, how)
    return Check("最近的备份", OK, text)


def _age(hours: float) -> str:
    if hours < 1:
        return f"{max(0, round(hours * 60))} 分钟"
    if hours < 48:
        return f"{hours:.0f} 小时"
    return f"{hours / 24:.0f} 天"


def check_proxies() -> Check:
    from yzlogi.forwarding import TrustedProxies

    text = config.trusted_proxies_text()
    parsed = TrustedProxies.parse(text)
    if parsed.invalid:
        return Check("受信任的代理", ERROR, f"{config.TRUSTED_PROXIES.env} 中无法识别：{'、'.join(parsed.invalid)}",
                     "只写 IP 地址或网段（如 127.0.0.1, 10.0.0.0/24），以逗号分隔。")
    if not parsed:
        return Check("受信任的代理", OK, "未设置：按直接连接的地址限速，不采信 X-Forwarded-For"
                     "（经本机 nginx 访问时应设为 127.0.0.1）")
    return Check("受信任的代理", OK, "、".join(str(n) for n in parsed.networks))
