"""The PDF sheet's canvas: pages, fonts, and boxes, rules and texts written as content-stream operators.

Everything is in mm from the page's top left. Text is never cut: `wrap` breaks it into lines
(inside a word, with a hyphen, only when a word alone is too wide). Characters the font lacks
are printed as "?" and listed in `missing`, which the sheet reports on its first page. The font
is DejaVu Sans, which matplotlib (a dependency) carries; without it the sheet cannot be made.
"""

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .fonts import required_dejavu_sans
from .pdf_file import Document
from .truetype import load

PAPER = {"a4": "A4", "letter": "Letter"}  # the sizes in PAGE_SIZES_PT, as a person writes them
MARGIN_MM = 12.0
FOOTER_MM = 10.0
GRID = (170, 170, 170)
BLACK = (0, 0, 0)
_FOOTER_GREY = (60, 60, 60)


@lru_cache(maxsize=2)
def _printable(regular: Path, bold: Path) -> frozenset[int]:
    """Code points both faces can print, so a text prints the same in either."""
    return frozenset(load(regular).glyph_of) & frozenset(load(bold).glyph_of)


class Canvas:
    """A PDF document with the sheet's drawing primitives and a cursor `y`; `footer_text` is printed on every page."""

    def __init__(self, title: str, footer_text: str, paper: str, orientation: str = "portrait"):
        fonts = required_dejavu_sans("the PDF sheet")
        self.footer_text = footer_text
        self.pdf = pdf = Document(paper, orientation, title, footer=self.footer)
        self.faces = {False: pdf.add_font(fonts[0]), True: pdf.add_font(fonts[1])}
        self.cmap = _printable(*fonts)
        self.missing: dict[str, None] = {}  # characters the font cannot print, in order of appearance
        self.page_w = pdf.w - 2 * MARGIN_MM
        self.bottom = pdf.h - MARGIN_MM - FOOTER_MM
        self.y = MARGIN_MM
        self.queue = None
        self.ops: list[str] | None = None
        self.op_state: dict = {}
        self.page_state: dict = {}  # the page's font and fill colour outside `batch()` groups
        self.widths: dict[tuple[str, float, bool], float] = {}  # labels repeat a lot; measuring them does not
        self.printable: dict[str, str] = {}

    def add_page(self):
        self.pdf.add_page()
        self.page_state = {}
        self.y = MARGIN_MM

    def plain(self, text: str) -> str:
        """Text as the font can print it: "?" for characters it lacks."""
        done = self.printable.get(text)
        if done is not None:
            return done
        out = []
        for ch in text:
            if ord(ch) in self.cmap:
                out.append(ch)
            else:
                self.missing[ch] = None
                out.append("?")
        done = self.printable[text] = "".join(out)
        return done

    # -- primitives ------------------------------------------------------------------------------
    @contextmanager
    def batch(self):
        """Draw a block (a row, a header) in one go: shapes as one graphics-state group, then its texts.

        Thousands of boxes and rules go into the page's content stream inside `q … Q`, so the
        page's own colour and line width are untouched; texts are queued and printed after them.
        """
        self.ops, self.op_state, self.queue = ["q"], {}, []
        try:
            yield
        finally:
            ops, self.ops = self.ops, None
            ops.append("Q")
            if len(ops) > 2:
                self.pdf.out("\n".join(ops))
            self.flush()

    def _colour(self, key: str, rgb, operator: str):
        if self.op_state.get(key) != rgb:
            self.ops.append(f"{rgb[0] / 255:.3f} {rgb[1] / 255:.3f} {rgb[2] / 255:.3f} {operator}")
            self.op_state[key] = rgb

    def box(self, x: float, y: float, w: float, h: float, fill=None, stroke=None, line_mm: float = 0.2):
        """A rectangle (mm, from the top left), filled and/or outlined; only inside `batch()`."""
        k, page_h = self.pdf.k, self.pdf.h
        if fill is not None:
            self._colour("fill", fill, "rg")
        if stroke is not None:
            self._colour("stroke", stroke, "RG")
            self._line_mm(line_mm)
        style = "B" if fill is not None and stroke is not None else "f" if fill is not None else "S"
        self.ops.append(f"{x * k:.2f} {(page_h - y) * k:.2f} {w * k:.2f} {-h * k:.2f} re {style}")

    def rule(self, x1: float, y1: float, x2: float, y2: float, rgb, line_mm: float):
        """A straight line (mm); only inside `batch()`."""
        k, page_h = self.pdf.k, self.pdf.h
        self._colour("stroke", rgb, "RG")
        self._line_mm(line_mm)
        self.ops.append(f"{x1 * k:.2f} {(page_h - y1) * k:.2f} m {x2 * k:.2f} {(page_h - y2) * k:.2f} l S")

    def _line_mm(self, mm: float):
        if self.op_state.get("w") != mm:
            self.ops.append(f"{mm * self.pdf.k:.2f} w")
            self.op_state["w"] = mm

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of already printable text in mm: the font's advance widths, as the PDF's /W gives them."""
        key = (text, size, bold)
        width = self.widths.get(key)
        if width is None:
            width = self.widths[key] = self.faces[bold].width(text) * size / 1000 / self.pdf.k
        return width

    def text(self, x: float, y: float, text: str, size: float = 7.5, bold: bool = False, rgb=BLACK):
        """Text with its baseline at y (never cut: wrap it first); queued while a block is drawn."""
        text = self.plain(text)
        if not text:
            return
        if self.queue is not None:
            self.queue.append((size, bold, rgb, x, y, text))
        else:
            self._show(x, y, text, size, bold, rgb)

    def _show(self, x: float, y: float, text: str, size: float, bold: bool, rgb):
        """Printable text straight into the page's content stream, setting font and colour only when they change."""
        state, face, pdf = self.page_state, self.faces[bold], self.pdf
        if state.get("fill") != rgb:
            pdf.out(f"{rgb[0] / 255:.3f} {rgb[1] / 255:.3f} {rgb[2] / 255:.3f} rg")  # text is painted in the fill colour
            state["fill"] = rgb
        font = ""
        if state.get("font") != (size, bold):
            font = f"/{face.resource} {size:.2f} Tf "
            state["font"] = (size, bold)
        pdf.out(f"BT {font}{x * pdf.k:.2f} {(pdf.h - y) * pdf.k:.2f} Td {face.encode(text)} Tj ET")

    def wrap(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Printable lines no wider than `width`: breaks at spaces, and inside a word (with "-") only when needed."""
        lines: list[str] = []
        current = ""
        for word in self.plain(text).split(" "):
            while self.width(word, size, bold) > width and len(word) > 1:
                if current:
                    lines.append(current)
                    current = ""
                line, word = self._break(word, width, size, bold)
                lines.append(line)
            candidate = f"{current} {word}" if current else word
            if current and self.width(candidate, size, bold) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return lines + ([current] if current else [])

    def _break(self, word: str, width: float, size: float, bold: bool) -> tuple[str, str]:
        """A word too wide for `width` as (first line, rest): after a hyphen it has, else cut with a "-".

        A cut leaves three or four letters on the next line where the word is long enough.
        """
        hyphens = [i + 1 for i, ch in enumerate(word[:-1]) if ch == "-"]
        fitting = [i for i in hyphens if self.width(word[:i], size, bold) <= width]
        if fitting:
            return word[:fitting[-1]], word[fitting[-1]:]
        keep = len(word) - (4 if len(word) >= 8 else 3 if len(word) >= 6 else 1)
        while keep > 1 and self.width(word[:keep] + "-", size, bold) > width:
            keep -= 1
        return word[:keep] + "-", word[keep:]

    def flush(self):
        """Print the queued texts grouped by font and colour, so each is set once per group."""
        queue, self.queue = self.queue, None
        for size, bold, rgb, x, y, text in sorted(queue, key=lambda t: (t[0], t[1], t[2])):
            self._show(x, y, text, size, bold, rgb)

    def ensure(self, height: float) -> bool:
        """Start a new page when `height` does not fit; True when a page was added."""
        if self.y + height <= self.bottom:
            return False
        self.add_page()
        return True

    def footer(self, number: int, pages: int):
        """A rule, the footer text and "page N of M" at the foot of the current page (drawn once all pages are)."""
        pdf = self.pdf
        y = pdf.h - MARGIN_MM - 4
        with self.batch():
            self.page_state = {}  # this page's own state is unknown here: set font and colour afresh
            self.rule(MARGIN_MM, y - 3.5, pdf.w - MARGIN_MM, y - 3.5, GRID, 0.2)
            text = self.plain(self.footer_text)
            size = 7.0
            while size > 4 and self.width(text, size) > self.page_w - 32:
                size -= 0.5  # a very long title shrinks in the footer rather than losing letters
            self.text(MARGIN_MM, y, text, size=size, rgb=_FOOTER_GREY)
            count = f"page {number} of {pages}"
            self.text(pdf.w - MARGIN_MM - self.width(count, 7), y, count, size=7, rgb=_FOOTER_GREY)
