"""The timeline picture, PNG or SVG: sections along time, the mood curves, each dancer's moves.

picture_layout lays it out once as a display list; picture_png (Pillow, imported only for a PNG)
and picture_svg (plain text) draw that list. Fixed size (1600×900 px) and no dates, so output is
repeatable.
"""

from pathlib import Path

from ..performance import Performance
from .files import write_atomic
from .picture_layout import HEIGHT_PX, WIDTH_PX, category_colours, category_hatch, layout

__all__ = ["HEIGHT_PX", "WIDTH_PX", "category_colours", "category_hatch", "to_png", "to_svg", "write_png",
           "write_svg"]


def to_png(perf: Performance) -> bytes:
    from . import picture_png
    return picture_png.to_png(layout(perf))


def to_svg(perf: Performance) -> bytes:
    from . import picture_svg
    return picture_svg.to_svg(layout(perf))


def write_png(perf: Performance, path: Path):
    write_atomic(Path(path), to_png(perf))


def write_svg(perf: Performance, path: Path):
    write_atomic(Path(path), to_svg(perf))
