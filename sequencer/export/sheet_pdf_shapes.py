"""Shapes the PDF sheet draws beside text: greyscale fill patterns, circles, arrows and the stage diagram.

They write PDF path operators into the painter's batch (see `sheet_pdf_canvas.Canvas.batch`), in mm
from the page's top left, so thousands of them cost little.
"""

import math

from ..categories import CATEGORIES
from ..stage import initials

PATTERN_STEP_MM = 1.1
_INK = (0, 0, 0)
_STAGE_FLOOR = (246, 246, 246)
_ARROW = (110, 110, 110)


class Shapes:
    """Mixed into the painter: needs `ops`, `pdf`, `_colour`, `_line_mm`, `box`, `rule` and `text`."""

    def _xy(self, x: float, y: float) -> str:
        return f"{x * self.pdf.k:.2f} {(self.pdf.h - y) * self.pdf.k:.2f}"

    def pattern(self, x: float, y: float, w: float, h: float, name: str):
        """A category's greyscale pattern (hatch, dots, …) clipped to a rectangle; "none" draws nothing.

        A sheet repeats a few hundred different strips by the thousand, so each is drawn once as a
        form (a PDF XObject) and placed where it goes.
        """
        if name == "none" or w <= 0 or h <= 0:
            return
        k = self.pdf.k
        width, height = f"{w * k:.2f}", f"{h * k:.2f}"
        form = self.pdf.form((name, width, height), lambda: _pattern_ops(name, w, h, k), width, height)
        self.ops.append(f"q 1 0 0 1 {self._xy(x, y + h)} cm /{form} Do Q")

    def circle(self, cx: float, cy: float, r: float, fill=None, stroke=None, line_mm: float = 0.25):
        """A circle of four Bézier quarters."""
        c = 0.5523 * r
        points = [(cx + r, cy), (cx + r, cy - c), (cx + c, cy - r), (cx, cy - r), (cx - c, cy - r), (cx - r, cy - c),
                  (cx - r, cy), (cx - r, cy + c), (cx - c, cy + r), (cx, cy + r), (cx + c, cy + r), (cx + r, cy + c),
                  (cx + r, cy)]
        if fill is not None:
            self._colour("fill", fill, "rg")
        if stroke is not None:
            self._colour("stroke", stroke, "RG")
            self._line_mm(line_mm)
        path = [f"{self._xy(*points[0])} m"]
        for i in range(1, 13, 3):
            path.append(f"{self._xy(*points[i])} {self._xy(*points[i + 1])} {self._xy(*points[i + 2])} c")
        style = "B" if fill is not None and stroke is not None else "f" if fill is not None else "S"
        self.ops.append(" ".join(path) + f" {style}")

    def arrow(self, x1: float, y1: float, x2: float, y2: float, rgb=_ARROW, line_mm: float = 0.3):
        """A line with a filled arrowhead at (x2, y2)."""
        length = math.dist((x1, y1), (x2, y2))
        if length < 0.5:
            return
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        head = min(1.6, length * 0.5)
        bx, by = x2 - ux * head, y2 - uy * head
        self.rule(x1, y1, bx, by, rgb, line_mm)
        self._colour("fill", rgb, "rg")
        left = (bx - uy * head * 0.45, by + ux * head * 0.45)
        right = (bx + uy * head * 0.45, by - ux * head * 0.45)
        self.ops.append(f"{self._xy(x2, y2)} m {self._xy(*left)} l {self._xy(*right)} l h f")

    def stage_diagram(self, x: float, y: float, w: float, h: float, stage, next_stage, names):
        """The stage seen from the audience: each dancer's initials where they start, arrows to where they go next.

        Upstage is at the top, the audience below the front edge.
        """
        self.box(x, y, w, h, fill=_STAGE_FLOOR, stroke=(120, 120, 120), line_mm=0.25)
        short = initials(names)
        r = 2.3

        def at(px: float, py: float) -> tuple[float, float]:
            return x + r + 0.4 + (px + 1) / 2 * (w - 2 * r - 0.8), y + h - r - 0.4 - py * (h - 2 * r - 0.8)

        points = [at(px, py) for _, px, py in stage]
        closest = min((math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1:]), default=2 * r)
        r = max(min(r, closest / 2 - 0.15), 1.2)  # circles shrink rather than overlap

        going = {d: (px, py) for d, px, py in next_stage}
        for dancer, px, py in stage:
            if dancer in going and math.dist((px, py), going[dancer]) > 0.05:
                (x1, y1), (x2, y2) = at(px, py), at(*going[dancer])
                d = math.dist((x1, y1), (x2, y2))
                if d > 2 * r:
                    self.arrow(x1 + (x2 - x1) * r / d, y1 + (y2 - y1) * r / d, x2 - (x2 - x1) * r / d,
                               y2 - (y2 - y1) * r / d)
        for dancer, px, py in stage:
            cx, cy = at(px, py)
            self.circle(cx, cy, r, fill=(255, 255, 255), stroke=_INK)
            label = self.plain(short.get(dancer, dancer[:1]))
            size = min(7.5 if len(label) < 2 else 6, r * 3.2)
            self.text(cx - self.width(label, size, True) / 2, cy + size * 0.13, label, size=size, bold=True)
        self.text(x + w / 2 - self.width("audience", 7) / 2, y + h + 2.9, "audience", size=7)


def category_pattern(category: str) -> str:
    known = CATEGORIES.get(category.lower())
    return known.pattern if known else "none"


def _pattern_ops(name: str, w: float, h: float, k: float) -> str:
    """A pattern strip's operators in its own space: points from its bottom left, clipped to it."""
    step = PATTERN_STEP_MM
    width, height = f"{w * k:.2f}", f"{h * k:.2f}"
    ops = ["0 G 0 g", f"{0.18 * k:.2f} w", f"0 0 {width} {height} re W n"]
    if name in ("vertical", "grid"):
        ops += [f"{i * step * k:.2f} 0 m {i * step * k:.2f} {height} l S" for i in range(1, int(w / step) + 1)]
    if name in ("horizontal", "grid"):
        for j in range(1, int(h / (step * 0.6)) + 1):
            at = f"{(h - j * step * 0.6) * k:.2f}"
            ops.append(f"0 {at} m {width} {at} l S")
    ends = [(f"{i * step * k:.2f}", f"{(i * step + h) * k:.2f}") for i in range(-int(h / step) - 1, int(w / step) + 1)]
    if name in ("hatch", "cross"):
        ops += [f"{a} 0 m {b} {height} l S" for a, b in ends]
    if name in ("diagonal-back", "cross"):
        ops += [f"{a} {height} m {b} 0 l S" for a, b in ends]
    if name == "dots":
        dot = 0.35
        size = f"{dot * k:.2f} {-dot * k:.2f}"
        for j in range(int(h / step) + 1):
            at = f"{(h - 0.3 - j * step) * k:.2f}"
            ops += [f"{(i * step + (step / 2 if j % 2 else 0)) * k:.2f} {at} {size} re f" for i in range(int(w / step) + 1)]
    return "\n".join(ops)


def category_fill(category: str, spare: dict) -> tuple[int, int, int]:
    """The category's light colour from the table; unknown categories take the next spare one."""
    known = CATEGORIES.get(category.lower())
    if known:
        text = known.colour.lstrip("#")
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    return spare.setdefault(category.lower(), _SPARE[len(spare) % len(_SPARE)])


_SPARE = ((230, 220, 190), (200, 200, 240), (240, 220, 240), (210, 240, 240), (240, 240, 200))
