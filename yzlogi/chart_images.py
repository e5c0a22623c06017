"""The dashboard's Altair charts as PNG images, for the PDF briefing.

vl-convert renders a Vega-Lite spec in-process (its own bundled Vega, Vega-Lite
and renderer: no browser, no network), so the image is the very chart the
pages show, drawn with the briefing's Chinese font. The same spec gives the
same bytes, which keeps the PDF reproducible.
"""

from __future__ import annotations

from functools import lru_cache

from yzlogi import charts
from yzlogi.fonts import NOTO_DIR, Face

# Pixels per CSS pixel: sharp when the image is printed at about 170 mm wide.
SCALE = 2.0


@lru_cache(maxsize=4)
def _converter(font_dir: str):
    import vl_convert

    # System fonts are found by vl-convert itself; a font elsewhere (YZLOGI_CJK_FONT) is registered.
    if font_dir != str(NOTO_DIR):
        vl_convert.register_font_directory(font_dir)
    return vl_convert


def _with_font(spec, family: str):
    """The spec with the briefing's font first wherever the charts name their font stack."""
    if isinstance(spec, dict):
        return {key: _with_font(value, family) for key, value in spec.items()}
    if isinstance(spec, list):
        return [_with_font(value, family) for value in spec]
    if spec == charts.FONT and not charts.FONT.startswith(family):
        return f"{family}, {charts.FONT}"
    return spec


def png(chart, face: Face, width: int, height: int | None = None) -> bytes:
    """A chart of yzlogi.charts as PNG, `width` × `height` CSS pixels (height: the chart's own)."""
    spec = _with_font(chart.to_dict(), face.family)
    spec["width"] = width
    if height is not None:
        spec["height"] = height
    return _converter(str(face.path.parent)).vegalite_to_png(spec, scale=SCALE)
