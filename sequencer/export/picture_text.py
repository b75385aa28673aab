"""How wide text set in DejaVu Sans is, so the timeline picture places labels only where they fit.

The advance widths are read from the font file itself (no imaging library), so the PNG and the SVG
get the same layout.
"""

import struct
from functools import lru_cache

from .fonts import required_dejavu_sans
from .truetype import load

ELLIPSIS = "…"


@lru_cache(maxsize=None)
def _metrics(bold: bool) -> tuple[dict[str, int], float, float]:
    """(character → advance width, ascent, descent), in 1000 units per em, read from the font the PNG draws with.

    Ascent and descent are the font's line metrics (hhea), as Pillow places lines, not the PDF's typographic ones.
    """
    font = load(required_dejavu_sans("the timeline picture")[bold])
    ascent, descent = struct.unpack_from(">2h", font.tables[b"hhea"], 4)
    return font.char_widths(), ascent * 1000 / font.units_per_em, -descent * 1000 / font.units_per_em


def ascent(size: float) -> float:
    """Pixels above the baseline at `size` pixels per em."""
    return _metrics(False)[1] * size / 1000


def descent(size: float) -> float:
    """Pixels below the baseline at `size` pixels per em."""
    return _metrics(False)[2] * size / 1000


def width(text: str, size: float, bold: bool = False) -> float:
    """Pixels `text` takes at `size` pixels per em."""
    widths = _metrics(bold)[0]
    return sum(widths.get(char, 1000) for char in text) * size / 1000  # a character the font lacks: a full em


def fit(text: str, room: float, size: float, bold: bool = False) -> str:
    """`text`, or as much of it as fits in `room` pixels ending in an ellipsis; "" when not even one letter does."""
    if width(text, size, bold) <= room:
        return text
    kept = text
    while kept and width(kept.rstrip() + ELLIPSIS, size, bold) > room:
        kept = kept[:-1]
    return kept.rstrip() + ELLIPSIS if kept.strip() else ""


def wrap(text: str, room: float, size: float, bold: bool = False, lines: int = 3) -> list[str]:
    """`text` broken at spaces into at most `lines` lines of `room` pixels. Where the lines run out, or a word
    is wider than a line, the text stops there with an ellipsis; empty when not even one letter fits."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and width(f"{line} {words[0]}", size, bold) <= room:
            line = f"{line} {words.pop(0)}"
        if width(line, size, bold) > room:  # one word wider than the line
            words.clear()
            line = fit(line, room, size, bold)
        out.append(line)
    if words and out:
        out[-1] = fit(f"{out[-1]} {' '.join(words)}", room, size, bold)
    return [line for line in out if line]
