"""Which demonstration workbook an empty data folder starts with.

The bundled file (data/sample/示例进度.xlsx) records the digest of the plan it was
made for in its document properties. An installation tracking that plan commits
the bundled bytes; one tracking any other plan gets a sample made from its own plan
file there and then (yzlogi.sample.sample_file), so a new installation of any plan
opens on a full dashboard. Only the fast path is here: making a sample needs openpyxl.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from yzlogi.model import InputFile
from yzlogi.plan import Plan

MARK = "yzlogi-sample-plan:"
_MARK = re.compile(re.escape(MARK) + r"([0-9a-f]{64})")


def plan_digest_of(data: bytes) -> str | None:
    """The plan digest a sample workbook was made for, from its docProps/core.xml; None if unmarked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            core = archive.read("docProps/core.xml")[:65536].decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    found = _MARK.search(core)
    return found.group(1) if found else None


def bundled_sample(plan: Plan, bundled: Path | None) -> InputFile | None:
    """The bundled sample when it was made for `plan` (None otherwise: make one, yzlogi.sample)."""
    if bundled is None:
        return None
    try:
        data = bundled.read_bytes()
    except OSError:
        return None
    return InputFile(bundled.name, data) if plan_digest_of(data) == plan.digest else None
