"""Normalising text the way officials type it: full-width forms, stray spaces."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC-fold (full-width → half-width) and drop every kind of whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def squash(text: str) -> str:
    """NFKC-fold and collapse runs of whitespace to one space, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
