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


# Words most unit names share — the place and the kind of body — say nothing about which unit is
# meant: 区某某局 is not close to 区财政局 for sharing 区…局. They are set aside before comparing.
_PLACES = ("重庆市", "渝中区", "区", "市")
_KINDS = ("委员会", "办公室", "委", "局", "办")


def name_core(text: str) -> str:
    """A unit's name without its place and kind words: 重庆市渝中区商务委员会 → 商务, 区司法局 → 司法."""
    core = fold(text)
    for place in _PLACES:
        if core.startswith(place):
            core = core[len(place):]
    for kind in _KINDS:
        if core.endswith(kind) and len(core) > len(kind):
            return core[: -len(kind)]
    return core


def closest_name(text: str, spellings: dict[str, str], cutoff: float = 0.6) -> str | None:
    """For "您是否要找：…？": the name (a value of `spellings`, spelling → name) whose spelling is most like
    `text` once place and kind words are set aside (商务局 → 区商务委, 交通局 → 区交通运输委); None when
    nothing is that close (区某某局)."""
    import difflib

    core = name_core(text)
    if not core:
        return None
    best, score = None, cutoff
    for spelling, name in spellings.items():
        ratio = difflib.SequenceMatcher(None, core, name_core(spelling)).ratio()
        if ratio > score or (ratio == score and best is None):
            best, score = name, ratio
    return best
