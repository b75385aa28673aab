"""What the timeline picture is made of: a display list in pixels, and the hatch tiles, that both back-ends draw.

Coordinates are continuous with (0, 0) the top-left corner: a pixel spans [x, x + 1). The layout
(picture_layout) decides everything; the PNG and SVG writers only translate it, so they look alike.
"""

from dataclasses import dataclass

HATCH_INK = "#333333"  # hatches are drawn in this dark grey over the fill, so a greyscale print keeps them
HATCH_STROKE = 1.3  # width of a hatch line, pixels
HATCH_DOT = 1.3  # radius of a hatch dot, pixels


@dataclass(frozen=True, slots=True)
class Rects:
    """Rectangles of one style: (x0, y0, x1, y1) each, filled, hatched, then outlined along the edges.

    A writer may draw Rects that follow one another as one layer (all fills, all hatches, all
    outlines), so such neighbours in the list should not overlap."""

    boxes: tuple[tuple[float, float, float, float], ...]
    fill: str | None = None
    hatch: str = "none"  # a categories.PATTERNS name
    outline: str | None = None
    width: int = 1  # outline width, pixels


@dataclass(frozen=True, slots=True)
class Line:
    """A polyline; a one-pixel line sits on pixel centres (x.5) so it stays crisp."""

    points: tuple[tuple[float, float], ...]
    colour: str
    width: int = 1


@dataclass(frozen=True, slots=True)
class Text:
    """One line of DejaVu Sans; `y` is its baseline and `align` says where `x` is on the line."""

    x: float
    y: float
    text: str
    size: int  # pixels per em
    colour: str = "#000000"
    bold: bool = False
    align: str = "left"  # left, middle or right


@dataclass(frozen=True, slots=True)
class Picture:
    """The whole picture: its size, its title (for the SVG's <title>) and what to draw, in order."""

    width: int
    height: int
    title: str
    items: tuple[Rects | Line | Text, ...]


@dataclass(frozen=True, slots=True)
class Hatch:
    """A square tile repeated from the picture's top-left corner: strokes (x0, y0, x1, y1) and dots (x, y)."""

    size: int
    strokes: tuple[tuple[float, float, float, float], ...] = ()
    dots: tuple[tuple[float, float], ...] = ()


def _diagonals(size: int, rising: bool) -> tuple[tuple[float, float, float, float], ...]:
    """Lines at 45° through the tile's corners and centre, long enough that thick strokes meet across tiles."""
    if rising:  # "/" on screen, where y grows downwards: x + y = c
        return tuple((c + size, -size, c - size, size) for c in (0, size, 2 * size))
    return tuple((c - size, -size, c + size, size) for c in (-size, 0, size))  # the other way: x - y = c


HATCHES: dict[str, Hatch] = {
    "dots": Hatch(8, dots=((2, 2), (6, 6))),
    "hatch": Hatch(8, strokes=_diagonals(8, rising=True)),
    "diagonal-back": Hatch(8, strokes=_diagonals(8, rising=False)),
    "cross": Hatch(10, strokes=_diagonals(10, rising=True) + _diagonals(10, rising=False)),
    "grid": Hatch(8, strokes=((4, 0, 4, 8), (0, 4, 8, 4))),
    "vertical": Hatch(6, strokes=((3, 0, 3, 6),)),
    "horizontal": Hatch(6, strokes=((0, 3, 6, 3),)),
}
