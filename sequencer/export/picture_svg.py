"""The timeline picture as SVG, written as text from the display list (picture_items).

Each hatch is a <pattern> tiled from the picture's corner; the rectangles of one style are one
<path>, filled with the ink, then with the pattern (a <use> of the same path), then outlined.
Text stays text in DejaVu Sans, so it can be searched and selected. Ids are fixed, so the bytes
depend only on the picture.
"""

from xml.sax.saxutils import escape

from .picture_items import HATCH_DOT, HATCH_INK, HATCH_STROKE, HATCHES, Line, Picture, Rects, Text

_ANCHORS = {"left": "start", "middle": "middle", "right": "end"}


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def to_svg(picture: Picture) -> bytes:
    used = sorted({item.hatch for item in picture.items if isinstance(item, Rects) and item.hatch in HATCHES})
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           f'width="{picture.width}" height="{picture.height}" viewBox="0 0 {picture.width} {picture.height}">',
           f"<title>{escape(picture.title)}</title>", "<defs>"]
    out += [_pattern(name) for name in used]
    out += ["</defs>", f'<rect width="{picture.width}" height="{picture.height}" fill="#ffffff"/>',
            '<g font-family="DejaVu Sans, sans-serif">']
    for number, item in enumerate(picture.items):
        if isinstance(item, Rects):
            out += _rects(item, f"rects-{number}")
        elif isinstance(item, Line):
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in item.points)
            out.append(f'<polyline points="{points}" fill="none" stroke="{item.colour}" '
                       f'stroke-width="{item.width}" stroke-linejoin="round"/>')
        elif isinstance(item, Text):
            weight = ' font-weight="bold"' if item.bold else ""
            out.append(f'<text x="{_n(item.x)}" y="{_n(item.y)}" font-size="{item.size}"{weight} fill="{item.colour}" '
                       f'text-anchor="{_ANCHORS[item.align]}">{escape(item.text)}</text>')
    out += ["</g>", "</svg>", ""]
    return "\n".join(out).encode("utf-8")


def _pattern(name: str) -> str:
    hatch = HATCHES[name]
    shapes = [f'<line x1="{_n(x0)}" y1="{_n(y0)}" x2="{_n(x1)}" y2="{_n(y1)}"/>' for x0, y0, x1, y1 in hatch.strokes]
    shapes += [f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{HATCH_DOT}"/>' for x, y in hatch.dots]
    return (f'<pattern id="hatch-{name}" patternUnits="userSpaceOnUse" width="{hatch.size}" height="{hatch.size}">'
            f'<g stroke="{HATCH_INK}" stroke-width="{HATCH_STROKE}" fill="{HATCH_INK}">{"".join(shapes)}</g></pattern>')


def _rects(item: Rects, key: str) -> list[str]:
    """The rectangles as one path, defined once under `key` when it is both filled and hatched."""
    path = "".join(f"M{_n(x0)} {_n(y0)}h{_n(x1 - x0)}v{_n(y1 - y0)}h{_n(x0 - x1)}z" for x0, y0, x1, y1 in item.boxes)
    paints = [paint for paint in (item.fill, f"url(#hatch-{item.hatch})" if item.hatch in HATCHES else None) if paint]
    if len(paints) == 2:
        out = [f'<defs><path id="{key}" d="{path}"/></defs>']
        out += [f'<use xlink:href="#{key}" fill="{paint}"/>' for paint in paints]
    else:
        out = [f'<path d="{path}" fill="{paint}"/>' for paint in paints]
    if item.outline:
        # as the PNG draws it: inside the box, over the right neighbour's first pixel column so that bars side by
        # side share one edge line, a one-pixel line on pixel centres
        w = item.width
        edges = "".join(f"M{_n(x0 + w / 2)} {_n(y0 + w / 2)}h{_n(x1 - x0 + 1 - w)}v{_n(y1 - y0 - w)}"
                        f"h{_n(x0 - x1 - 1 + w)}z" for x0, y0, x1, y1 in item.boxes)
        out.append(f'<path d="{edges}" fill="none" stroke="{item.outline}" stroke-width="{w}"/>')
    return out
