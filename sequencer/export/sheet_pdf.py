"""The printable choreography sheet (fpdf2): a title block, then every section as rows of 8-counts.

Each row shows the music lane (hits, motif entrances, fills) above one lane per dancer, with
moves drawn as boxes across the counts they take. Black and white carries everything (codes,
box borders, shading of hit counts); category colours are a bonus. A row never splits across
pages. Output is byte-for-byte deterministic.
"""

import importlib.util
import unicodedata
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from ..performance import Performance
from ..timeline import format_clock
from .files import write_atomic
from .sheet import COUNTS_PER_ROW, Row, SectionSheet, Sheet, Span, build_sheet, category_code

PAPER = {"a4": "A4", "letter": "Letter"}
_FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)

MARGIN_MM = 12.0
LEFT_COLUMNS_MM = (8.0, 9.0, 11.0, 19.0)  # 8-count, bar, time, lane name
MUSIC_LANE_MM = 4.6
MUSIC_LINE_MM = 2.9
MUSIC_MAX_LINES = 3
DANCER_LANE_MM = 6.2
FOOTER_MM = 10.0

# Light fills, so black text stays readable and a grey-scale print still separates them.
_COLOURS = {
    "toprock": (255, 236, 153), "go-down": (255, 205, 150), "godown": (255, 205, 150), "drop": (255, 205, 150),
    "footwork": (173, 216, 245), "downrock": (173, 216, 245), "power": (245, 170, 170), "freeze": (215, 215, 215),
    "transition": (190, 235, 190),
    "thread": (200, 230, 215), "blow-up": (225, 190, 240), "blowup": (225, 190, 240), "suicide": (245, 190, 220),
}
_SPARE_COLOURS = ((230, 220, 190), (200, 200, 240), (240, 220, 240), (210, 240, 240), (240, 240, 200))
_GRID = (170, 170, 170)
_HIT_SHADE = (232, 232, 232)
_HEADER_SHADE = (225, 225, 225)


def _font_files() -> tuple[Path, Path] | None:
    """DejaVu Sans (regular, bold) from matplotlib's data folder, found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    return (regular, bold) if regular.is_file() and bold.is_file() else None


_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
                     ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                      "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "a", "g", "q",
                      "ng", "o", "u", "u", "h", "i"]))
_SYMBOLS = {"→": "->", "…": "...", "–": "-", "—": "-", "·": "|", "▲": "^", "▼": "v", "◀": "<", "▶": ">", "♪": "", "✱": "*"}


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


class _Painter:
    """Draws the sheet on an FPDF document and tracks the page position."""

    def __init__(self, sheet: Sheet, paper: str):
        from fpdf import FPDF

        painter = self

        class SheetPDF(FPDF):
            def footer(self):
                painter.footer()

        self.sheet = sheet
        self.pdf = pdf = SheetPDF(orientation="portrait", unit="mm", format=PAPER[paper])
        pdf.set_creation_date(_FIXED_DATE)
        pdf.set_title(sheet.title)
        pdf.set_creator("sequencer")
        pdf.set_producer("sequencer (fpdf2)")
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        fonts = _font_files()
        if fonts:
            pdf.add_font("sheet", "", str(fonts[0]))
            pdf.add_font("sheet", "B", str(fonts[1]))
            self.family, self.plain = "sheet", (lambda s: s)
        else:
            self.family, self.plain = "helvetica", transliterate
        self.page_w = pdf.w - 2 * MARGIN_MM
        self.grid_x = MARGIN_MM + sum(LEFT_COLUMNS_MM)
        self.count_w = (pdf.w - MARGIN_MM - self.grid_x) / COUNTS_PER_ROW
        self.bottom = pdf.h - MARGIN_MM - FOOTER_MM
        self.colours = dict(_COLOURS)
        spare = iter(_SPARE_COLOURS * 4)
        for category in sheet.categories:
            if category.lower() not in self.colours:
                self.colours[category.lower()] = next(spare, (230, 230, 230))
        self.font = None
        self.queue = None
        self.ops: list[str] | None = None
        self.op_state: dict = {}
        self.state = {}
        self.music_cache: dict = {}
        self.widths: dict[tuple[str, float, bool], float] = {}  # labels repeat a lot; measuring them does not
        self.placed: list[tuple[int, float, float]] = []  # (page, top, bottom) of every row drawn, for tests
        pdf.set_font(self.family, "B", 8)
        bold = pdf.current_font
        pdf.set_font(self.family, "", 8)
        self.fonts = {False: pdf.current_font, True: bold}

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

    def text(self, x: float, y: float, text: str, size: float = 7.5, bold: bool = False, width: float | None = None):
        """Text with its baseline at y, cut with an ellipsis to fit `width`; queued while a row is drawn."""
        text = self.plain(text)
        if width is not None:
            text = self.fit(text, width, size, bold)
        if not text:
            return
        if self.queue is not None:
            self.queue.append((size, bold, x, y, text))
        else:
            self.set_font(size, bold)
            self.pdf.text(x, y, text)

    def flush(self):
        """Print the queued texts grouped by font: switching fonts is what costs most in fpdf2.

        Rows hold thousands of short labels, so they go straight into the page's content stream in
        black (fpdf2's own `text()` checks and wraps every call); anything unusual takes the normal path.
        """
        queue, self.queue = self.queue, None
        pdf = self.pdf
        raw = getattr(pdf, "_out", None)
        self.fill((0, 0, 0))  # PDF text is painted with the fill colour
        for size, bold, x, y, text in sorted(queue, key=lambda t: (t[0], t[1])):
            self.set_font(size, bold)
            font = pdf.current_font
            if (raw is None or not hasattr(font, "encode_text") or not pdf.is_ttf_font
                    or not getattr(pdf, "current_font_is_set_on_page", False)):
                pdf.text(x, y, text)
            else:
                raw(f"BT {x * pdf.k:.2f} {(pdf.h - y) * pdf.k:.2f} Td {font.encode_text(text)} ET")

    def fit(self, text: str, width: float, size: float, bold: bool = False) -> str:
        if width <= 0:
            return ""
        full = self.width(text, size, bold)
        if full <= width:
            return text
        dots = self.plain("…")
        keep = max(int(len(text) * width / full), 0)
        while keep > 0 and self.width(text[:keep] + dots, size, bold) > width:
            keep -= 1
        return text[:keep].rstrip() + dots if keep else ""

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
        self.draw_colour(_GRID)
        self.line_width(0.2)
        y = pdf.h - MARGIN_MM - 4
        pdf.line(MARGIN_MM, y - 3.5, pdf.w - MARGIN_MM, y - 3.5)
        pdf.set_text_color(60, 60, 60)
        self.text(MARGIN_MM, y, f"{self.sheet.title} · {self.sheet.source}", size=7, width=self.page_w * 0.7)
        self.set_font(7)
        pdf.set_xy(pdf.w - MARGIN_MM - 40, y - 2.6)
        pdf.cell(40, 3.4, self.plain(f"page {pdf.page_no()} of {{nb}}"), align="R")
        pdf.set_text_color(0, 0, 0)
        self.font = None
        self.state = saved

    # -- title block -----------------------------------------------------------------------------
    def title_block(self):
        pdf, sheet = self.pdf, self.sheet
        pdf.add_page()
        y = MARGIN_MM + 7
        self.text(MARGIN_MM, y, sheet.title, size=20, bold=True, width=self.page_w)
        y += 7
        facts = (f"Length {format_clock(sheet.length_s)}   ·   Tempo {sheet.tempo_text}   ·   "
                 f"{len(sheet.sections)} sections, "
                 f"{sum(s.bars for s in sheet.sections)} bars, {sheet.rows} eight-counts   ·   seed {sheet.seed}")
        self.text(MARGIN_MM, y, facts, size=9.5, width=self.page_w)
        y += 5.5
        cast = ", ".join(f"{name} (skill {skill})" for name, skill in sheet.cast) or "no dancers"
        self.text(MARGIN_MM, y, "Cast:", size=9.5, bold=True)
        self.text(MARGIN_MM + 12, y, cast, size=9.5, width=self.page_w - 12)
        y += 6
        y = self.legend(y)
        pdf.set_y(y + 3)

    def legend(self, y: float) -> float:
        with self.batch():
            return self._legend(y)

    def _legend(self, y: float) -> float:
        pdf = self.pdf
        self.text(MARGIN_MM, y, "Moves:", size=8.5, bold=True)
        x = MARGIN_MM + 14
        for category in self.sheet.categories or ("(none yet)",):
            label = f"{category_code(category)}  {category}"
            w = self.width(self.plain(label), 8) + 10
            if x + w > pdf.w - MARGIN_MM:
                x, y = MARGIN_MM + 14, y + 5
            self.span_box(x, y - 3.2, 6, 4.2, category, freeze=category.lower() in ("freeze", "suicide"))
            self.text(x + 7.5, y, label, size=8)
            x += w + 3
        y += 5.5
        self.text(MARGIN_MM, y, "Marks:", size=8.5, bold=True)
        notes = ("[box] a move across the counts it takes  ·  thick border = freeze  ·  "
                 "◀ continues from the previous 8-count  ·  ▶ runs on into the next  ·  & starts on the and  ·  "
                 "▲ the count its hit lands on  ·  "
                 "▼ and a grey column = a hit in the music  ·  (pin) set by the choreographer")
        for line in self.wrap(notes, self.page_w - 14, 8):
            self.text(MARGIN_MM + 14, y, line, size=8)
            y += 4
        return y

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        lines, current = [], ""
        for word in self.plain(text).split(" "):
            candidate = f"{current} {word}" if current else word
            if current and self.width(candidate, size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return lines + ([current] if current else [])

    # -- sections --------------------------------------------------------------------------------
    def section_header(self, sec: SectionSheet, continued: bool = False):
        with self.batch():
            self._section_header(sec, continued)

    def _section_header(self, sec: SectionSheet, continued: bool):
        pdf = self.pdf
        y = pdf.get_y()
        self.box(MARGIN_MM, y, self.page_w, 6.5, fill=_HEADER_SHADE)
        name = f"{sec.index + 1}. {sec.name}" + ("  (continued)" if continued else "")
        self.text(MARGIN_MM + 1.5, y + 4.7, name, size=11, bold=True, width=self.page_w * 0.6)
        right = self.plain(sec.time_text)
        self.text(pdf.w - MARGIN_MM - 1.5 - self.width(right, 8.5), y + 4.6, right, size=8.5)
        y += 10
        if not continued:
            who = ", ".join(sec.dancers) or "no dancers"
            if sec.formation and len(sec.dancers) > 1:
                who += f" ({sec.formation})"
            facts = f"{sec.mood}  ·  {sec.key}  ·  {sec.tempo_text}  ·  {sec.meter}  ·  {sec.bars_text}  ·  {who}"
            self.text(MARGIN_MM + 1.5, y, facts, size=8.5, width=self.page_w - 3)
            y += 4
            if sec.notes:
                for line in self.wrap(sec.notes, self.page_w - 3, 7.5)[:3]:
                    self.text(MARGIN_MM + 1.5, y, line, size=7.5)
                    y += 3.6
            y += 1
        pdf.set_y(y)
        self.column_header()

    def column_header(self):
        pdf = self.pdf
        y = pdf.get_y()
        x = MARGIN_MM
        for label, w in zip(("8ct", "bar", "time", ""), LEFT_COLUMNS_MM):
            self.text(x + 0.8, y + 3.3, label, size=7, bold=True)
            x += w
        for count in range(1, COUNTS_PER_ROW + 1):
            self.text(self.grid_x + (count - 1) * self.count_w + 1, y + 3.3, str(count), size=8, bold=True)
        self.rule(MARGIN_MM, y + 4.5, pdf.w - MARGIN_MM, y + 4.5, (0, 0, 0), 0.35)
        pdf.set_y(y + 4.5)

    def row_height(self, row: Row) -> float:
        return self.music_height(row) + DANCER_LANE_MM * len(row.lanes) + 0.6

    def row(self, row: Row):
        with self.batch():
            self._row(row)

    def _row(self, row: Row):
        pdf = self.pdf
        top = pdf.get_y()
        height = self.row_height(row)
        self.placed.append((pdf.page_no(), top, top + height))
        cw = self.count_w
        for count in row.hit_counts:
            self.box(self.grid_x + (count - 1) * cw, top, cw, height, fill=_HIT_SHADE)
        # grid first, so the move boxes sit on top of it
        for count in range(0, row.counts):
            self.rule(self.grid_x + count * cw, top, self.grid_x + count * cw, top + height, _GRID, 0.15)
        if row.counts < COUNTS_PER_ROW:
            self.box(self.grid_x + row.counts * cw, top, (COUNTS_PER_ROW - row.counts) * cw, height,
                     fill=(245, 245, 245))
        # left columns: where the row sits
        x = MARGIN_MM
        for text, w, bold in ((str(row.eight_count), LEFT_COLUMNS_MM[0], True),
                              (str(row.bar), LEFT_COLUMNS_MM[1], False),
                              (format_clock(row.start_s), LEFT_COLUMNS_MM[2], False)):
            self.text(x + 0.8, top + 3.6, text, size=8 if bold else 7.5, bold=bold, width=w - 1)
            x += w
        self.text(x + 0.8, top + 3.4, "music", size=6.5, width=LEFT_COLUMNS_MM[3] - 1)
        self.music_lane(row, top)
        y = top + self.music_height(row)
        for lane in row.lanes:
            self.text(x + 0.8, y + 4.1, lane.dancer, size=7.5, bold=True, width=LEFT_COLUMNS_MM[3] - 1.5)
            for span in lane.spans:
                self.span(span, y + 0.6)
            y += DANCER_LANE_MM
        self.rule(MARGIN_MM, top + height, pdf.w - MARGIN_MM, top + height, (90, 90, 90), 0.25)
        pdf.set_y(top + height)

    def music_layout(self, row: Row) -> list[tuple[float, float, bool, list[str]]]:
        """Per count with music marks: (x, right edge, any hit, lines of text), packed to fit the gap."""
        key = id(row)
        if key in self.music_cache:
            return self.music_cache[key]
        by_count: dict[int, list] = {}
        for mark in row.music:
            by_count.setdefault(mark.count, []).append(mark)
        counts = sorted(by_count)
        layout = []
        for n, count in enumerate(counts):
            marks = by_count[count]
            x = self.grid_x + (count - 1) * self.count_w
            end = self.grid_x + ((counts[n + 1] - 1) if n + 1 < len(counts) else COUNTS_PER_ROW) * self.count_w
            hit = any(m.hit for m in marks)
            width = end - x - (4.0 if hit else 1.2)
            lines: list[str] = []
            for mark in sorted(marks, key=lambda m: not m.hit):
                text = self.plain(mark.text)
                if lines and self.width(f"{lines[-1]} + {text}", 6.5, hit) <= width:
                    lines[-1] = f"{lines[-1]} + {text}"
                else:
                    lines.append(text)
            layout.append((x, end, hit, lines[:MUSIC_MAX_LINES]))
        self.music_cache = {key: layout}
        return layout

    def music_height(self, row: Row) -> float:
        lines = max((len(item[3]) for item in self.music_layout(row)), default=1)
        return MUSIC_LANE_MM + (lines - 1) * MUSIC_LINE_MM

    def music_lane(self, row: Row, top: float):
        for x, end, hit, lines in self.music_layout(row):
            if hit:
                self.glyph(x + 1.6, top + 3.5, "▼", 6.5)
                x += 2.8
            for i, line in enumerate(lines):
                self.text(x + 0.6, top + 3.4 + i * MUSIC_LINE_MM, line, size=6.5, bold=hit, width=end - x - 1.2)

    def label_fit(self, span: Span, width: float) -> tuple[float, str]:
        """The fullest label that fits: code, name and pin mark at 7 pt, then smaller, then the name alone.

        The whole name is worth a smaller size: it is what the dancer reads.
        """
        pin = " (pin)" if span.pinned else ""
        name, code = span.name, ("& " if span.offbeat else "") + span.code
        tries = [(7, f"{code} {name}{pin}"), (7, f"{code} {name}"), (7, name)]
        tries += [(6, f"{code} {name}"), (6, name), (5.2, name)]
        for size, label in tries:
            if self.width(self.plain(label), size, span.freeze) <= width:
                return size, label
        return tries[-1]

    def glyph(self, cx: float, baseline: float, symbol: str, size: float):
        """A marker symbol (▲ ▼ ◀ ▶) centred on cx; core fonts get an ASCII stand-in."""
        text = self.plain(symbol)
        self.text(cx - self.width(text, size) / 2, baseline, text, size=size)

    def span_box(self, x: float, y: float, w: float, h: float, category: str, freeze: bool):
        self.box(x, y, w, h, fill=self.colours.get(category.lower(), (230, 230, 230)), stroke=(0, 0, 0),
                 line_mm=0.6 if freeze else 0.2)

    def span(self, span: Span, y: float):
        cw = self.count_w
        x0 = self.grid_x + float(span.start_counts) * cw + 0.35
        x1 = self.grid_x + float(span.end_counts) * cw - 0.35
        h = DANCER_LANE_MM - 1.2
        self.span_box(x0, y, x1 - x0, h, span.category, span.freeze)
        for count in range(span.first_count, span.last_count):
            tick_x = self.grid_x + count * cw
            if x0 + 1 < tick_x < x1 - 1:
                self.rule(tick_x, y + h - 0.7, tick_x, y + h, (0, 0, 0), 0.15)
        x = x0 + 0.8
        if span.continued:
            self.glyph(x0 + 1.3, y + 3.5, "◀", 5.5)
            x += 2.2
        right = x1 - 0.8 - (2.4 if span.continues else 0)
        if span.continues:
            self.glyph(x1 - 1.3, y + 3.5, "▶", 5.5)
        size, label = self.label_fit(span, right - x)
        self.text(x, y + 3.6, label, size=size, bold=span.freeze, width=right - x)
        if span.accent_count:
            cx = self.grid_x + (span.accent_count - 0.5) * cw
            self.glyph(cx, y + h - 0.1, "▲", 5)

    def draw(self):
        self.title_block()
        for sec in self.sheet.sections:
            first = sec.rows[0] if sec.rows else None
            header_h = 22 + (4 * min(len(self.wrap(sec.notes, self.page_w - 3, 7.5)), 3) if sec.notes else 0)
            self.ensure(header_h + (self.row_height(first) if first else 0))
            self.section_header(sec)
            for row in sec.rows:
                if self.ensure(self.row_height(row)):
                    self.section_header(sec, continued=True)
                self.row(row)
            self.pdf.set_y(self.pdf.get_y() + 5)


def to_bytes(perf: Performance, paper: str = "a4") -> bytes:
    """The sheet as PDF bytes on A4 or Letter paper."""
    paper = (paper or "a4").lower()
    if paper not in PAPER:
        from ..errors import InputError
        raise InputError(f"unknown paper size {paper!r}", field="--paper", expected=" or ".join(PAPER))
    painter = _Painter(build_sheet(perf), paper)
    painter.draw()
    return bytes(painter.pdf.output())


def write(perf: Performance, path: Path, paper: str = "a4"):
    write_atomic(Path(path), to_bytes(perf, paper))
