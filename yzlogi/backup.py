"""Backups of the data folder and putting one back (python -m yzlogi backup / restore).

A backup is a folder `yzlogi-YYYYMMDD-HHMMSS` in the backups folder (setting
backup_dir) holding a copy of the data folder and a manifest, yzlogi-backup.json:
what it is, when and from where it was taken, the versions it holds and the size
and sha256 of every file. It is made while the app runs:

- the copy is taken under the data folder's shared lock (yzlogi.locking), so no
  import commits during it: an import waits, as it does for any reader, and the
  DuckDB file, checkpointed after every commit, is whole;
- it is written as `.partial-…` and renamed only once whole, synced to disk and
  verified: every file hashed again, the DuckDB file opened read-only and its
  versions listed, the same as the data folder's at the time of the copy, every
  version's original files present;
- then only the newest backup_keep scheduled backups are kept.

`restore` puts a backup back with the app stopped. It refuses a folder without a
manifest (not a backup), a backup whose files no longer match the manifest, and a
data folder an app still uses (yzlogi.locking.idle). What the data folder held
before is first saved as a backup of its own (`…-before-restore`, never pruned),
so a restore can be undone by restoring that.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from yzlogi import config
from yzlogi.errors import YzlogiError
from yzlogi.locking import LOCK_FILES, FolderInUse, FolderLock, LockTimeout, idle
from yzlogi.sql import statement
from yzlogi.store import DB_FILE, MIGRATES_FROM, SCHEMA_VERSION

MANIFEST = "yzlogi-backup.json"
FORMAT = "yzlogi-backup"
FORMAT_VERSION = 1
KIND_BACKUP = "backup"
KIND_BEFORE_RESTORE = "before-restore"
NAME = re.compile(r"^yzlogi-(\d{8}-\d{6})(?:-(\d+))?(-before-restore)?$")
PARTIAL_PREFIX = ".partial-"
STAGING_PREFIX = ".restoring-"
SKIPPED_PREFIXES = (".incoming-", STAGING_PREFIX)  # files half written, never data
CHUNK = 1 << 20


class BackupError(YzlogiError):
    """A backup or a restore that cannot be done; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class StoreSummary:
    """What a store holds, read without changing anything."""

    versions: int
    active: int | None
    stored_files: tuple[tuple[str, str], ...]  # (path under the folder, sha256) of every version's originals

    def describe(self) -> str:
        active = f"，当前版本 {self.active}" if self.active is not None else ""
        return f"版本 {self.versions} 个{active}"


@dataclass(frozen=True)
class Backup:
    path: Path
    created_at: datetime
    kind: str
    verified: bool
    versions: int | None
    active: int | None
    files: int
    size: int

    def describe_contents(self) -> str:
        versions = f"版本 {self.versions} 个" if self.versions is not None else "数据库未能打开"
        active = f"，当前版本 {self.active}" if self.active is not None else ""
        return f"{versions}{active}，文件 {self.files} 个，共 {self.size / (1 << 20):.1f} MB"


@dataclass(frozen=True)
class Taken:
    backup: Backup
    removed: tuple[Path, ...]


@dataclass(frozen=True)
class Restored:
    backup: Backup
    saved: Backup | None  # what the data folder held before, kept as a backup


# --- reading a store --------------------------------------------------------------


def inspect_store(folder: Path) -> StoreSummary:
    """Open a data folder's DuckDB read-only and list its versions (BackupError if it cannot).

    The caller holds the folder's lock when an app may use it."""
    import duckdb

    path = Path(folder) / DB_FILE
    if not path.is_file():
        raise BackupError(f"{folder} 中没有数据库文件 {DB_FILE}。")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise BackupError(f"数据库 {path} 无法打开（{type(exc).__name__}），可能已损坏。") from None
    try:
        con.execute("SET enable_progress_bar = false")
        if not con.execute(statement("schema", "has_meta")).fetchone()[0]:
            raise BackupError(f"数据库 {path} 不是本系统的数据文件（缺少 meta 表）。")
        meta = dict(con.execute(statement("schema", "meta")).fetchall())
        if meta.get("schema_version") not in (str(SCHEMA_VERSION), *MIGRATES_FROM):
            raise BackupError(f"数据库 {path} 的格式版本为 {meta.get('schema_version')}，"
                              f"本程序只支持 {SCHEMA_VERSION}：请使用与之相符的程序版本。")
        versions = con.execute(statement("backup", "versions")).fetchall()
        files = con.execute(statement("backup", "stored_files")).fetchall()
    except duckdb.Error as exc:
        raise BackupError(f"数据库 {path} 读取失败（{type(exc).__name__}），可能已损坏。") from None
    finally:
        con.close()
    active = next((row[0] for row in versions if row[1]), None)
    return StoreSummary(len(versions), active, tuple((stored_as, sha256) for *_, sha256, _size, stored_as in files))


# --- taking a backup --------------------------------------------------------------


def take(data_dir: Path | None = None, backups_dir: Path | None = None, keep: int | None = None,
         now: datetime | None = None) -> Taken:
    """Copy the data folder into a new, verified backup; keep the newest `keep` backups."""
    data_dir = Path(data_dir) if data_dir is not None else config.data_dir()
    backups_dir = Path(backups_dir) if backups_dir is not None else config.backup_dir()
    keep = keep if keep is not None else config.backup_keep()
    if not (data_dir / DB_FILE).is_file():
        raise BackupError(f"数据文件夹 {data_dir} 中还没有数据库（看板首次打开后才会创建），无需备份。"
                          f"请检查 {config.DATA_DIR.env} 是否指向正确的数据文件夹。")
    _check_apart(data_dir, backups_dir)
    _make_folder(backups_dir)
    with _serialised(backups_dir):
        _sweep_partials(backups_dir)
        try:
            with FolderLock(data_dir).shared():
                source = inspect_store(data_dir)
                backup = _write_backup(data_dir, backups_dir, now or datetime.now(), KIND_BACKUP, source)
        except LockTimeout:
            raise BackupError("数据正被导入操作占用，等待后仍未释放，本次未备份；已有数据和备份均未受影响。"
                              "请稍后重试。") from None
        removed = prune(backups_dir, keep, spare=backup.path)
    _own_locks(data_dir)
    return Taken(backup, removed)


def _write_backup(data_dir: Path, backups_dir: Path, now: datetime, kind: str,
                  source: StoreSummary | None) -> Backup:
    """Copy `data_dir` (held by the caller) into a new backup folder; verify it against `source`."""
    name = _free_name(backups_dir, now, kind)
    partial = backups_dir / f"{PARTIAL_PREFIX}{name}"
    try:
        try:
            files = _copy_tree(data_dir, partial)
            copy = inspect_store(partial) if source is not None else None
        except OSError as exc:
            raise BackupError(f"写入备份失败（{_os_reason(exc)}），本次未备份；数据文件夹未受影响。") from None
        if source is not None and copy != source:
            raise BackupError("备份校验失败：副本中的版本与数据文件夹不一致，本次未备份。请重试。")
        _check_originals(copy, files)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind,
            "created_at": now.isoformat(timespec="seconds"), "source": str(data_dir),
            "host": socket.gethostname(), "program": _program_version(), "schema_version": str(SCHEMA_VERSION),
            "verified": copy is not None, "versions": copy.versions if copy else None,
            "active_version": copy.active if copy else None,
            "files": [{"path": path, "size": size, "sha256": digest} for path, (size, digest) in sorted(files.items())],
        }
        _write_manifest(partial, manifest)
        _sync_tree(partial)
        final = backups_dir / name
        os.rename(partial, final)
        _fsync_dir(backups_dir)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _own_like(final, backups_dir)
    _own_locks(backups_dir)
    return _backup_of(final, manifest)


def _copy_tree(source: Path, target: Path) -> dict[str, tuple[int, str]]:
    """Copy every data file of `source` into `target` (new); {relative path: (size, sha256)}."""
    target.mkdir()
    files = {}
    for path in _data_files(source):
        relative = path.relative_to(source)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        files[relative.as_posix()] = _copy_file(path, destination)
    return files


def _data_files(folder: Path) -> Iterator[Path]:
    """The files of a data folder worth keeping: not its lock files nor half-written files."""
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(SKIPPED_PREFIXES) and not (here / d).is_symlink())
        for name in sorted(names):
            if name.startswith(SKIPPED_PREFIXES) or (here == folder and name in LOCK_FILES):
                continue
            if (here / name).is_file() and not (here / name).is_symlink():
                yield here / name


def _copy_file(source: Path, target: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    shutil.copystat(source, target)
    return size, digest.hexdigest()


def prune(backups_dir: Path, keep: int, spare: Path | None = None) -> tuple[Path, ...]:
    """Remove all but the newest `keep` scheduled backups (never `spare`, the one just made,
    even when a clock set back names it older); never anything else."""
    scheduled = [b for b in list_backups(backups_dir) if b.kind == KIND_BACKUP and b.path != spare]
    stay = max(0, keep - (spare is not None))  # the one just made counts among those kept
    doomed = scheduled[:max(0, len(scheduled) - stay)]
    for backup in doomed:
        shutil.rmtree(backup.path)
    return tuple(b.path for b in doomed)


# --- finding and checking backups --------------------------------------------------


def list_backups(backups_dir: Path) -> list[Backup]:
    """The backups in a folder, oldest first (folders named yzlogi-… with a readable manifest)."""
    found = []
    try:
        entries = list(Path(backups_dir).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        match = NAME.match(entry.name)
        if not match or not entry.is_dir():
            continue
        try:
            found.append((match.group(1), int(match.group(2) or 0), _backup_of(entry, read_manifest(entry))))
        except BackupError:
            continue
    return [backup for *_, backup in sorted(found, key=lambda item: item[:2])]


def latest(backups_dir: Path) -> Backup | None:
    """The newest verified backup, or None."""
    verified = [b for b in list_backups(backups_dir) if b.verified]
    return max(verified, key=lambda b: b.created_at, default=None)


def read_manifest(folder: Path) -> dict:
    """A backup's manifest; BackupError naming why a folder is not a backup."""
    folder = Path(folder)
    if not folder.exists():
        raise BackupError(f"找不到备份文件夹 {folder}。")
    if not folder.is_dir():
        raise BackupError(f"{folder} 不是文件夹：请指定 backup 命令生成的备份文件夹（如 yzlogi-20261129-020000）。")
    path = folder / MANIFEST
    if not path.is_file():
        what = "这是一个数据文件夹，不是备份" if (folder / DB_FILE).is_file() else "不是备份文件夹"
        raise BackupError(f"{folder} {what}（缺少 {MANIFEST}）：请指定 backup 命令生成的备份文件夹"
                          "（如 yzlogi-20261129-020000）。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise BackupError(f"{path} 无法读取，{folder} 不是完整的备份。") from None
    if not (isinstance(manifest, dict) and manifest.get("format") == FORMAT
            and isinstance(manifest.get("files"), list) and isinstance(manifest.get("created_at"), str)):
        raise BackupError(f"{path} 不是本系统备份的清单，{folder} 不是本系统的备份。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{folder} 由另一版本的程序生成（清单格式 {manifest.get('format_version')}），"
                          "请用相应版本的程序恢复。")
    return manifest


def verify(folder: Path) -> tuple[dict, StoreSummary]:
    """Check a backup against its manifest, file by file, and open its database read-only."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    listed = {}
    for entry in manifest["files"]:
        path = entry.get("path", "") if isinstance(entry, dict) else ""
        if not path or Path(path).is_absolute() or ".." in Path(path).parts:
            raise BackupError(f"{folder} 的清单记录了不合法的文件路径，不能用于恢复。")
        listed[path] = (entry.get("size"), entry.get("sha256"))
    for path, expected in listed.items():
        try:
            found = _hash_file(folder / path)
        except OSError:
            raise BackupError(f"备份已损坏：{folder} 中缺少文件 {path}，不能用于恢复。") from None
        if found != expected:
            raise BackupError(f"备份已损坏：{folder} 中的文件 {path} 与备份时记录的不一致，不能用于恢复。")
    if not manifest.get("verified"):
        raise BackupError(f"{folder} 备份时其中的数据库就无法打开，不能用于恢复。")
    summary = inspect_store(folder)
    _check_originals(summary, {path: expected for path, expected in listed.items()})
    return manifest, summary


def _check_originals(summary: StoreSummary | None, files: dict[str, tuple[int, str]]) -> None:
    """Every version's original upload is among the copied files, with its recorded sha256."""
    for stored_as, sha256 in summary.stored_files if summary else ():
        if stored_as not in files or files[stored_as][1] != sha256:
            raise BackupError(f"备份校验失败：原始上传文件 {stored_as} 缺失或内容不符。"
                              "请检查数据文件夹（python -m yzlogi doctor）。")


# --- restoring ---------------------------------------------------------------------


def restore(backup_path: Path, data_dir: Path | None = None, backups_dir: Path | None = None,
            now: datetime | None = None) -> Restored:
    """Put a backup back into the data folder, the app stopped; what was there is saved first."""
    backup_path = Path(backup_path)
    data_dir = Path(data_dir) if data_dir is not None else config.data_dir()
    backups_dir = Path(backups_dir) if backups_dir is not None else config.backup_dir()
    manifest, summary = verify(backup_path)
    if backup_path.resolve() == data_dir.resolve():
        raise BackupError("备份文件夹与数据文件夹相同，无需恢复。")
    _check_apart(data_dir, backups_dir)
    _make_folder(data_dir)
    try:
        with idle(data_dir), FolderLock(data_dir).exclusive():
            saved = None
            if any(True for _ in _data_files(data_dir)):
                _make_folder(backups_dir)
                with _serialised(backups_dir):
                    saved = _save_current(data_dir, backups_dir, now or datetime.now())
            _replace_contents(data_dir, backup_path, manifest)
    except FolderInUse:
        raise BackupError(f"看板正在运行，使用着数据文件夹 {data_dir}：请先停止看板（sudo systemctl stop yzlogi），"
                          "再恢复。数据未改动。") from None
    except LockTimeout:
        raise BackupError("数据文件夹正被导入或备份操作占用，本次未恢复，数据未改动。请稍后重试。") from None
    except OSError as exc:
        raise BackupError(f"恢复时写入数据文件夹失败（{_os_reason(exc)}）。恢复前的数据已另存（见备份文件夹中"
                          "以 -before-restore 结尾的备份），可再次运行 restore。") from None
    return Restored(_backup_of(backup_path, manifest), saved)


def _save_current(data_dir: Path, backups_dir: Path, now: datetime) -> Backup:
    """Keep what the data folder holds as a before-restore backup (verified when its store opens)."""
    try:
        source = inspect_store(data_dir)
    except BackupError:
        source = None  # a broken store is kept as it is: it may be why the restore is made
    return _write_backup(data_dir, backups_dir, now, KIND_BEFORE_RESTORE, source)


def _replace_contents(data_dir: Path, backup_path: Path, manifest: dict) -> None:
    """Stage the backup's files beside the data, check them, then swap them in (lock files stay)."""
    staging = data_dir / f"{STAGING_PREFIX}{datetime.now():%Y%m%d%H%M%S%f}"
    try:
        staging.mkdir()
        for entry in manifest["files"]:  # exactly the files the manifest lists, checked again as copied
            target = staging / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            if _copy_file(backup_path / entry["path"], target) != (entry["size"], entry["sha256"]):
                raise BackupError(f"复制备份时文件 {entry['path']} 的内容发生了变化，本次未恢复，数据未改动。请重试。")
        _sync_tree(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for entry in data_dir.iterdir():
        if entry.name in LOCK_FILES or entry == staging:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in staging.iterdir():
        os.replace(entry, data_dir / entry.name)
    staging.rmdir()
    _fsync_dir(data_dir)
    _own_like(data_dir, data_dir, contents_only=True)


# --- helpers -----------------------------------------------------------------------


def _backup_of(path: Path, manifest: dict) -> Backup:
    try:
        created = datetime.fromisoformat(manifest["created_at"])
    except ValueError:
        raise BackupError(f"{path} 的清单中备份时间无法读取。") from None
    files = [entry for entry in manifest["files"] if isinstance(entry, dict)]
    return Backup(path, created, str(manifest.get("kind", KIND_BACKUP)), bool(manifest.get("verified")),
                  manifest.get("versions"), manifest.get("active_version"), len(files),
                  sum(int(entry.get("size") or 0) for entry in files))


def _free_name(backups_dir: Path, now: datetime, kind: str) -> str:
    stamp = f"yzlogi-{now:%Y%m%d-%H%M%S}"
    suffix = "-before-restore" if kind == KIND_BEFORE_RESTORE else ""
    candidates = [f"{stamp}{suffix}"] + [f"{stamp}-{n}{suffix}" for n in range(2, 1000)]
    for name in candidates:
        if not (backups_dir / name).exists() and not (backups_dir / f"{PARTIAL_PREFIX}{name}").exists():
            return name
    raise BackupError(f"{backups_dir} 中同一秒内的备份过多。")


def _serialised(backups_dir: Path):
    """One backup or restore writes into a backups folder at a time (a second one waits)."""
    return FolderLock(backups_dir, name=".yzlogi-backup", timeout_s=600).exclusive()


def _sweep_partials(backups_dir: Path) -> None:
    """Remove what a backup killed part way left (under _serialised: none is being written)."""
    for leftover in backups_dir.glob(f"{PARTIAL_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _check_apart(data_dir: Path, backups_dir: Path) -> None:
    data, backups = data_dir.resolve(), backups_dir.resolve()
    if backups == data or backups.is_relative_to(data):
        raise BackupError(f"备份文件夹 {backups_dir} 在数据文件夹 {data_dir} 之内：请把 {config.BACKUP_DIR.env} "
                          "设为数据文件夹以外的位置（最好在另一块磁盘上）。")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建文件夹 {folder}（{_os_reason(exc)}）。") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(f"运行本命令的用户没有 {folder} 的写入权限：请以服务用户运行"
                          "（sudo -u yzlogi …），或调整该文件夹的属主。")


def _write_manifest(folder: Path, manifest: dict) -> None:
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _hash_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _sync_tree(folder: Path) -> None:
    """Everything under `folder` on disk before it is renamed into place."""
    for root, _dirs, names in os.walk(folder):
        for name in names:
            fd = os.open(Path(root) / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _own_like(path: Path, model: Path, contents_only: bool = False) -> None:
    """Run as root, give what was written (lock files too) the owner of `model`, the
    service user's folder, so that the service can go on writing, locking and pruning."""
    if os.geteuid() != 0:
        return
    owner = model.stat()
    paths = [] if contents_only else [path]
    if path.is_dir():
        for root, dirs, names in os.walk(path):
            paths += [Path(root) / name for name in dirs + names]
    for item in paths:
        os.chown(item, owner.st_uid, owner.st_gid, follow_symlinks=False)


def _own_locks(folder: Path) -> None:
    """The lock files root may just have created in `folder`, given to the folder's owner."""
    for name in os.listdir(folder):
        if name.endswith((".lock", ".turnstile", ".running")):
            _own_like(folder / name, folder)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "没有写入权限"
    if exc.errno == 28:
        return "磁盘空间不足"
    return f"系统错误 {exc.errno}（{exc.strerror}）"


def _program_version() -> str:
    from yzlogi import __version__

    return __version__
