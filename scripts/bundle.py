"""make bundle: the offline install bundle for a server without internet (README «内网部署»).

Writes dist/yzlogi-<version>-<platform>.tar.gz (and its .sha256) holding, under yzlogi/:

- the project's files as git knows them (tracked, or new and not ignored), without
  tests/, benchmarks/ and .ci/, which a server does not run;
- wheels/: every package requirements.txt needs, at the versions constraints.txt
  pins, built for the target platform, and pip itself (deploy/install.sh installs
  pip from it, so the server needs no ensurepip);
- fonts/: the PDF briefing's Noto Sans CJK (Debian's fonts-noto-cjk on this
  machine: `make bundle` installs it when missing) with its licence and copyright;
- SHA256SUMS over wheels/ and fonts/ (the installer checks it), BUNDLE.txt saying
  what was built, from which commit, for which platform.

The target is Linux x86_64 with glibc 2.28 or newer and CPython 3.11; another is
chosen with --arch/--glibc (make bundle BUNDLE_ARCH=aarch64). Wheels are fetched
with `pip download` into a wheelhouse cache (.cache/wheelhouse, git-ignored),
tried offline first, so a second build needs no network. Every file in the
archive is owned by root, with the commit's time: unpacked as root, it is the
same on every server.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = ("tests/", "benchmarks/", ".ci/")
PIP_PIN = "pip==25.3"  # the pip the installer puts into the server's environment
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONTS = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc")
FONT_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
FONT_PACKAGE = "fonts-noto-cjk"


def platforms(arch: str, glibc: str) -> list[str]:
    """Every manylinux tag a server with this glibc accepts, newest first (pip does not expand them)."""
    major, minor = (int(part) for part in glibc.split("."))
    if major != 2:
        raise SystemExit(f"glibc {glibc}: only 2.x is known")
    tags = [f"manylinux_2_{m}_{arch}" for m in range(minor, 4, -1)]
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    tags += [f"{name}_{arch}" for floor, name in legacy.items() if minor >= floor]
    return tags


def project_files() -> list[Path]:
    """The files git knows (tracked, or new and not ignored), minus what a server does not run."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, check=True).stdout.decode("utf-8")
    names = sorted({name for name in out.split("\0") if name})
    return [Path(name) for name in names if not name.startswith(LEFT_OUT) and (ROOT / name).is_file()]


def commit() -> tuple[str, int]:
    """The commit the bundle is made from (with '+changes' when the tree differs) and its time."""
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    when = int(subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip())
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.strip()
    return head + ("+changes" if dirty else ""), when


def download_wheels(target: Path, wheelhouse: Path, tags: list[str], python: str) -> None:
    """The pinned wheels for the target platform, into `target`: from the wheelhouse when it has them all."""
    wheelhouse.mkdir(parents=True, exist_ok=True)
    base = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet",
            "--only-binary=:all:", "--python-version", python, "--implementation", "cp",
            "--abi", f"cp{python.replace('.', '')}", *[arg for tag in tags for arg in ("--platform", tag)],
            "-r", str(ROOT / "requirements.txt"), "-c", str(ROOT / "constraints.txt"), PIP_PIN]
    offline = [*base, "--no-index", "--find-links", str(wheelhouse), "-d", str(target)]
    if any(wheelhouse.glob("*.whl")) and subprocess.run(offline, capture_output=True).returncode == 0:
        print(f"bundle: wheels from the cache {wheelhouse}", file=sys.stderr)
        return
    print("bundle: downloading wheels (pip download)", file=sys.stderr)
    subprocess.run([*base, "-d", str(wheelhouse)], check=True)
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(offline, check=True)


def font_files(target: Path) -> str:
    """Copy the briefing's font and its licence into `target`; the Debian package's version."""
    target.mkdir(parents=True)
    for name in FONTS:
        shutil.copy2(FONT_DIR / name, target / name)
    shutil.copy2(FONT_COPYRIGHT, target / "LICENSE-fonts-noto-cjk.txt")
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", FONT_PACKAGE], capture_output=True,
                             text=True).stdout.strip() or "unknown"
    (target / "README.txt").write_text(
        f"Noto Sans CJK (Regular, Bold), from Debian's {FONT_PACKAGE} {version}: the font yzlogi embeds in the PDF\n"
        "briefing (yzlogi/fonts.py uses these files when present). SIL Open Font License 1.1:\n"
        "see LICENSE-fonts-noto-cjk.txt (Debian's copyright file, with the licence's full text).\n",
        encoding="utf-8")
    return version


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(archive: Path, entries: list[tuple[str, Path | bytes, bool]], mtime: int) -> None:
    """A .tar.gz of (name under yzlogi/, file or bytes, executable), owned by root, dated `mtime`."""
    partial = archive.with_name(archive.name + ".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
        seen = set()
        for name, source, executable in entries:
            for parent in reversed(Path(name).parents):
                key = str(parent)
                if key not in seen:
                    seen.add(key)
                    tar.addfile(_info(f"yzlogi/{key}" if key != "." else "yzlogi", tarfile.DIRTYPE, 0, 0o755, mtime))
            data = source if isinstance(source, bytes) else source.read_bytes()
            info = _info(f"yzlogi/{name}", tarfile.REGTYPE, len(data), 0o755 if executable else 0o644, mtime)
            tar.addfile(info, io.BytesIO(data))
    partial.replace(archive)


def _info(name: str, kind: bytes, size: int, mode: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.size, info.mode, info.mtime = kind, size, mode, mtime
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="x86_64", help="target machine: x86_64 (default) or aarch64")
    parser.add_argument("--glibc", default="2.28", help="oldest glibc of the target (default 2.28)")
    parser.add_argument("--python", default="3.11", help="target CPython (the project needs 3.11)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the archive goes (dist/)")
    parser.add_argument("--wheelhouse", type=Path, default=ROOT / ".cache" / "wheelhouse",
                        help="download cache of wheels (.cache/wheelhouse)")
    args = parser.parse_args(argv)
    started = time.monotonic()

    from yzlogi import __version__

    revision, mtime = commit()
    platform = f"manylinux_{args.glibc.replace('.', '_')}_{args.arch}"
    tags = platforms(args.arch, args.glibc)
    with tempfile.TemporaryDirectory(prefix="yzlogi-bundle-") as tmp:
        stage = Path(tmp)
        download_wheels(stage / "wheels", args.wheelhouse / f"cp{args.python.replace('.', '')}-{platform}",
                        tags, args.python)
        font_version = font_files(stage / "fonts")
        extra = sorted(p for p in stage.rglob("*") if p.is_file())
        sums = "".join(f"{sha256(p)}  {p.relative_to(stage).as_posix()}\n" for p in extra)
        wheels = sorted(p.name for p in (stage / "wheels").glob("*.whl"))
        about = (f"yzlogi {__version__}, commit {revision}\n"
                 f"built {time.strftime('%Y-%m-%d %H:%M:%S %z')} on {sys.platform}\n"
                 f"target: CPython {args.python}, Linux {args.arch}, glibc >= {args.glibc} "
                 f"(wheel tags {tags[0]} … {tags[-1]})\n"
                 f"font: Noto Sans CJK from {FONT_PACKAGE} {font_version}\n"
                 f"install: deploy/install.sh (README «内网部署»)\n\n"
                 f"wheels ({len(wheels)}):\n" + "".join(f"  {name}\n" for name in wheels))
        entries: list[tuple[str, Path | bytes, bool]] = []
        for path in project_files():
            full = ROOT / path
            entries.append((path.as_posix(), full, bool(full.stat().st_mode & 0o111)))
        entries += [(p.relative_to(stage).as_posix(), p, False) for p in extra]
        entries += [("SHA256SUMS", sums.encode(), False), ("BUNDLE.txt", about.encode(), False)]
        args.out.mkdir(parents=True, exist_ok=True)
        archive = args.out / f"yzlogi-{__version__}-cp{args.python.replace('.', '')}-{platform}.tar.gz"
        write_archive(archive, entries, mtime)
    digest = sha256(archive)
    archive.with_name(archive.name + ".sha256").write_text(f"{digest}  {archive.name}\n", encoding="ascii")
    size_mb = archive.stat().st_size / (1 << 20)
    print(f"{archive}  {size_mb:.1f} MB  sha256 {digest}  ({len(wheels)} wheels, "
          f"{time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
