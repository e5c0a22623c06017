"""The raw files of every committed upload, kept under the data folder by their sha256.

Files are written through a temporary `.incoming-*` file and a rename, so no reader
ever sees one half written; the kept uploads are synced to disk before the database
refers to them. A writer killed before its rename leaves an orphaned temporary file
that nothing refers to: the next writer sweeps it (sweep_incoming).
"""

from __future__ import annotations

import logging
import os
import re
import signal
import tempfile
from pathlib import Path

from yzlogi.model import InputFile

UPLOADS_DIR = "uploads"
INCOMING_PREFIX = ".incoming-"  # a file being written, renamed into place when whole
KILL_ENV = "YZLOGI_TEST_KILL_AT"

log = logging.getLogger(__name__)


def kill_point(name: str) -> None:
    """The test-only crash hook (yzlogi.store): a no-op unless KILL_ENV names this step."""
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def keep(folder: Path, file: InputFile) -> str:
    """Write an uploaded file to uploads/<sha256><ext> durably; its path under the folder."""
    uploads = folder / UPLOADS_DIR
    uploads.mkdir(parents=True, exist_ok=True)
    name = f"{file.sha256}{extension(file.name)}"
    final = uploads / name
    if not (final.is_file() and final.stat().st_size == file.size):
        write_atomically(final, file.data, durable=True)
    return f"{UPLOADS_DIR}/{name}"


def sweep_incoming(folder: Path) -> None:
    """Remove the temporary files of a writer that was killed before its rename.

    Files are only written under the folder's exclusive lock, so while the caller holds it,
    every temporary file left is an orphan that no version refers to."""
    for place in (folder, folder / UPLOADS_DIR):
        for orphan in place.glob(f"{INCOMING_PREFIX}*"):
            try:
                orphan.unlink()
            except OSError as exc:  # not worth failing an import over
                log.warning("could not remove %s: %s", orphan, exc)


_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")


def extension(name: str) -> str:
    """The file name's extension, lower case, when it is a plain one ('' otherwise)."""
    suffix = Path(name).suffix.lower()
    return suffix if _EXTENSION.match(suffix) else ""


def write_atomically(path: Path, data: bytes, durable: bool) -> None:
    """Write a file through a temporary one and a rename, so no reader sees it half written.

    `durable` also syncs the data and the rename to disk (the kept uploads, which
    the database will refer to); the state file is rewritten from the database anyway."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=INCOMING_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
                kill_point("raw_incoming")
        os.chmod(temp, 0o644)  # mkstemp's 0600 would hide the file from an administrator's backup
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if durable:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
