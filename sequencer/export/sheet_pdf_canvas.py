"""The PDF sheet's canvas (fpdf2): pages, fonts, and boxes, rules and texts batched into the content stream.

Everything is in mm from the page's top left. Text is never cut: `wrap` breaks it into lines
(inside a word, with a hyphen, only when a word alone is too wide). Characters the font lacks
are printed as "?" and listed in `missing`, which the sheet reports on its first page.
"""

import unicodedata
from contextlib import contextmanager
from datetime import datetime, timezone

from .fonts import dejavu_sans

PAPER = {"a4": "A4", "letter": "Letter"}
_FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
MARGIN_MM = 12.0
FOOTER_MM = 10.0
GRID = (170, 170, 170)
BLACK = (0, 0, 0)
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
                     ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                      "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "a", "g", "q",
                      "ng", "o", "u", "u", "h", "i"]))
_SYMBOLS = {"→": "->", "…": "...", "–": "-", "—": "-", "·": "|", "▲": "^", "▼": "v", "◀": "<", "▶": ">", "♪": "", "✱": "*",
            "↔": "<->"}


def transliterate(text: str) -> str:
    """Text the PDF core fonts can print (Latin-1): Cyrillic spelled out in Latin letters, symbols in ASCII."""
    out = []
    for ch in text:
        low = ch.lower()
        if low in _CYRILLIC:
            latin = _CYRILLIC[low]
            out.append(latin.capitalize() if ch != low else latin)
        elif ch in _SYMBOLS:
            out.append(_SYMBOLS[ch])
        elif ord(ch) < 256:
            out.append(ch)
        else:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


class Canvas:
    """An FPDF document with the sheet's drawing primitives; `footer_text` is printed on every page."""

    def __init__(self, title: str, footer_text: str, paper: str, orientation: str = "portrait"):
        from fpdf import FPDF

        canvas = self

        class SheetPDF(FPDF):
            def footer(self):
                canvas.footer()

        self.footer_text = footer_text
        self.pdf = pdf = SheetPDF(orientation=orientation, unit="mm", format=PAPER[paper])
        pdf.set_creation_date(_FIXED_DATE)
        pdf.set_title(title)
        pdf.set_creator("sequencer")
        pdf.set_producer("sequencer (fpdf2)")
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        fonts = dejavu_sans()
        self.missing: dict[str, None] = {}  # characters the font cannot print, in order of appearance
        if fonts:
            pdf.add_font("sheet", "", str(fonts[0]))
            pdf.add_font("sheet", "B", str(fonts[1]))
            self.family = "sheet"
        else:
            self.family = "helvetica"
        self.page_w = pdf.w - 2 * MARGIN_MM
        self.bottom = pdf.h - MARGIN_MM - FOOTER_MM
        self.font = None
        self.queue = None
        self.ops: list[str] | None = None
        self.op_state: dict = {}
        self.state = {}
        self.widths: dict[tuple[str, float, bool], float] = {}  # labels repeat a lot; measuring them does not
        self.printable: dict[str, str] = {}
        self.encoded: dict[tuple[int, str], str] = {}  # (font, text) → its text operator, for repeated labels
        pdf.set_font(self.family, "B", 8)
        bold = pdf.current_font
        pdf.set_font(self.family, "", 8)
        self.fonts = {False: pdf.current_font, True: bold}
        self.cmap = getattr(pdf.current_font, "cmap", None) if fonts else None

    def plain(self, text: str) -> str:
        """Text as the font can print it: transliterated for the core font, "?" for glyphs it lacks."""
        done = self.printable.get(text)
        if done is not None:
            return done
        if self.cmap is None:
            done = transliterate(text)
        else:
            out = []
            for ch in text:
                if ord(ch) in self.cmap:
                    out.append(ch)
                else:
                    self.missing[ch] = None
                    out.append("?")
            done = "".join(out)
        self.printable[text] = done
        return done

    # -- primitives ------------------------------------------------------------------------------
    def set_font(self, size: float, bold: bool = False):
        if self.font != (size, bold):
            self.pdf.set_font(self.family, "B" if bold else "", size)
            self.font = (size, bold)

    @contextmanager
    def batch(self):
        """Draw a block (a row, a header) in one go: shapes as one graphics-state group, then its texts.

        Thousands of boxes and rules go straight into the page's content stream inside `q … Q`, so
        fpdf2's own colour and line-width state is untouched; texts are queued and printed after them.
        """
        self.ops, self.op_state, self.queue = ["q"], {}, []
        try:
            yield
        finally:
            ops, self.ops = self.ops, None
            ops.append("Q")
            if len(ops) > 2:
                self.pdf._out("\n".join(ops))
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

    def fill(self, rgb):
        if self.state.get("fill") != rgb:
            self.pdf.set_fill_color(*rgb)
            self.state["fill"] = rgb

    def draw_colour(self, rgb):
        if self.state.get("draw") != rgb:
            self.pdf.set_draw_color(*rgb)
            self.state["draw"] = rgb

    def line_width(self, mm: float):
        if self.state.get("lw") != mm:
            self.pdf.set_line_width(mm)
            self.state["lw"] = mm

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of already printable text in mm, from the font's own metrics (cheaper than fpdf's)."""
        key = (text, size, bold)
        width = self.widths.get(key)
        if width is None:
            width = self.widths[key] = self.fonts[bold].get_text_width(text, size, None)[1] / self.pdf.k
        return width

    def text(self, x: float, y: float, text: str, size: float = 7.5, bold: bool = False, rgb=BLACK):
        """Text with its baseline at y (never cut: wrap it first); queued while a block is drawn."""
        text = self.plain(text)
        if not text:
            return
        if self.queue is not None:
            self.queue.append((size, bold, rgb, x, y, text))
        else:
            self.set_font(size, bold)
            self.pdf.set_text_color(*rgb)
            self.pdf.text(x, y, text)
            self.pdf.set_text_color(*BLACK)

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
        """Print the queued texts grouped by font: switching fonts is what costs most in fpdf2.

        Rows hold thousands of short labels, so they go straight into the page's content stream
        (fpdf2's own `text()` checks and wraps every call); anything unusual takes the normal path.
        """
        queue, self.queue = self.queue, None
        pdf = self.pdf
        raw = getattr(pdf, "_out", None)
        for size, bold, rgb, x, y, text in sorted(queue, key=lambda t: (t[0], t[1], t[2])):
            self.set_font(size, bold)
            self.fill(rgb)  # PDF text is painted with the fill colour
            font = pdf.current_font
            if (raw is None or not hasattr(font, "encode_text") or not pdf.is_ttf_font
                    or not getattr(pdf, "current_font_is_set_on_page", False)):
                pdf.text(x, y, text)
            else:
                key = (id(font), text)  # a subset code, once picked, never changes: same text, same operator
                shown = self.encoded.get(key)
                if shown is None:
                    shown = self.encoded[key] = font.encode_text(text)
                raw(f"BT {x * pdf.k:.2f} {(pdf.h - y) * pdf.k:.2f} Td {shown} ET")
        self.fill(BLACK)

    def ensure(self, height: float) -> bool:
        """Start a new page when `height` does not fit; True when a page was added."""
        if self.pdf.get_y() + height <= self.bottom:
            return False
        self.pdf.add_page()
        self.font = None
        self.pdf.set_y(MARGIN_MM)
        return True

    def footer(self):
        pdf = self.pdf
        saved = dict(self.state)  # fpdf2 restores colours and line width after the footer; so do we
        self.font = None
        self.draw_colour(GRID)
        self.line_width(0.2)
        y = pdf.h - MARGIN_MM - 4
        pdf.line(MARGIN_MM, y - 3.5, pdf.w - MARGIN_MM, y - 3.5)
        pdf.set_text_color(60, 60, 60)
        text = self.plain(self.footer_text)
        size = 7.0
        while size > 4 and self.width(text, size) > self.page_w - 32:
            size -= 0.5  # a very long title shrinks in the footer rather than losing letters
        self.set_font(size)
        pdf.text(MARGIN_MM, y, text)
        self.set_font(7)
        pdf.set_xy(pdf.w - MARGIN_MM - 30, y - 2.6)
        pdf.cell(30, 3.4, f"page {pdf.page_no()} of {{nb}}", align="R")
        pdf.set_text_color(0, 0, 0)
        self.font = None
        self.state = saved
