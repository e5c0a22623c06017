"""Normalising text the way officials type it: full-width forms, stray spaces."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Dashes officials type for one another: em/en dashes, full-width and Unicode hyphens.
_DASHES = str.maketrans({c: "-" for c in "—–－‐‑‒―⁃﹣"})


def fold(text: str) -> str:
    """NFKC-fold (full-width → half-width), unify dashes, drop every kind of whitespace.

    Used to match names typed by people against the plan's names (headers,
    department aliases, route and category synonyms)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_DASHES))


def squash(text: str) -> str:
    """NFKC-fold and collapse runs of whitespace to one space, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def closest(text: str, candidates, cutoff: float = 0.5) -> str | None:
    """The candidate most like `text` (folded), for "您是否要找：…？"; None when none is close."""
    import difflib

    folded = {fold(c): c for c in candidates}
    found = difflib.get_close_matches(fold(text), list(folded), n=1, cutoff=cutoff)
    return folded[found[0]] if found else None
