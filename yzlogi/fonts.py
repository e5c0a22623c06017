"""The Chinese font of the PDF briefing and of its chart images.

Noto Sans CJK SC, from Debian's package fonts-noto-cjk, at NOTO_REGULAR (and
NOTO_BOLD): the typeface the dashboard's charts name first, so the PDF reads
like the screen. It is an OpenType/CFF font inside a collection (.ttc); fpdf2
subsets and embeds it (as CIDFontType0C), so the PDF opens the same on any
machine. `make run` and `make test` install the package (scripts/system-deps.sh).
The offline bundle (`make bundle`) carries the same files in fonts/ beside the
program, with their licence; they are used first when present, so a bundle's
briefings do not change with the server's packages. The environment variable
YZLOGI_CJK_FONT names another font file (.ttf, .otf or .ttc with Simplified
Chinese), and wins over both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from yzlogi.errors import YzlogiError

FONT_ENV = "YZLOGI_CJK_FONT"
FAMILY = "Noto Sans CJK SC"
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
NOTO_REGULAR = NOTO_DIR / "NotoSansCJK-Regular.ttc"
NOTO_BOLD = NOTO_DIR / "NotoSansCJK-Bold.ttc"
APT_PACKAGE = "fonts-noto-cjk"
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "fonts"  # only in an offline bundle


class FontMissing(YzlogiError):
    """No usable Chinese font: the message says how to install one."""


@dataclass(frozen=True)
class Face:
    """One face of a font file: for a collection, which font in it."""

    path: Path
    index: int  # the font's number in a .ttc collection; 0 for a single font
    family: str


@dataclass(frozen=True)
class CjkFont:
    regular: Face
    bold: Face  # the regular face again when the font has no bold file


def _missing(path: Path, why: str) -> FontMissing:
    return FontMissing(
        f"生成 PDF 需要中文字体 {FAMILY}（{path}），{why}。"
        f"请在服务器上运行 make run 或 sudo apt-get install {APT_PACKAGE} 安装后重试；"
        f"也可用环境变量 {FONT_ENV} 指定其他中文字体文件（.ttf/.otf/.ttc）。"
    )


@lru_cache(maxsize=8)
def _face(path: str) -> Face:
    """The Simplified Chinese face of a font file: in a collection, the one named
    …SC (Noto's collection holds JP, KR, SC, TC, HK in that order)."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    file = Path(path)
    try:
        with file.open("rb") as handle:
            collection = handle.read(4) == b"ttcf"
        if collection:
            fonts = TTCollection(file, lazy=True).fonts
        else:
            fonts = [TTFont(file, lazy=True)]
        families = [f["name"].getDebugName(1) or "" for f in fonts]
    except (OSError, TTLibError, KeyError, AssertionError) as exc:
        raise _missing(file, f"但无法读取（{type(exc).__name__}）") from None
    for preferred in (lambda name: name == FAMILY, lambda name: name.endswith(" SC") and "Mono" not in name):
        for index, family in enumerate(families):
            if preferred(family):
                return Face(file, index, family)
    return Face(file, 0, families[0])


def cjk_font() -> CjkFont:
    """The font to embed: YZLOGI_CJK_FONT when set, else Noto Sans CJK SC; FontMissing if absent."""
    override = os.environ.get(FONT_ENV, "").strip()
    if override:
        path = Path(override)
        if not path.is_file():
            raise _missing(path, f"但环境变量 {FONT_ENV} 指定的文件不存在")
        face = _face(str(path))
        return CjkFont(face, face)
    folder = BUNDLED_DIR if (BUNDLED_DIR / NOTO_REGULAR.name).is_file() else NOTO_DIR
    regular_path, bold_path = folder / NOTO_REGULAR.name, folder / NOTO_BOLD.name
    if not regular_path.is_file():
        raise _missing(regular_path, "本机未安装")
    regular = _face(str(regular_path))
    bold = _face(str(bold_path)) if bold_path.is_file() else regular
    return CjkFont(regular, bold)


def available() -> str | None:
    """None when the PDF can be made; else the Chinese message of why not."""
    try:
        cjk_font()
    except FontMissing as exc:
        return str(exc)
    return None
