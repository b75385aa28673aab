"""The printable choreography sheet: a title block, then every section as rows of 8-counts.

Each row shows the music lane (hits, themes, fills in a dancer's words) above one lane per
dancer, with moves drawn as boxes across the counts they take. Names are never cut: a long one
wraps inside its box and the lane grows. Each category has a colour and a fill pattern, so a
black-and-white print still tells them apart. Each section opens with a stage diagram. The crew
sheet (A4/Letter portrait) prints move names at 8.5 pt; a one-dancer sheet (landscape) at 12 pt,
with everyone else as thin reference lanes. A row never splits across pages; output is
byte-for-byte deterministic.
"""

from dataclasses import dataclass
from pathlib import Path

from ..performance import Performance
from ..timeline import format_clock
from .files import write_atomic
from .sheet import COUNTS_PER_ROW, MARKS, MIRROR_MARK, Lane, Row, SectionSheet, Sheet, Span, build_sheet, \
    category_code, for_dancers, is_freeze
from .sheet_pdf_canvas import BLACK, GRID, MARGIN_MM, PAPER, Canvas
from .sheet_pdf_shapes import Shapes, category_fill, category_pattern

__all__ = ["PAPER", "MARGIN_MM", "CREW", "ONE_DANCER", "to_bytes", "write"]

_HIT_SHADE = (232, 232, 232)
_HEADER_SHADE = (225, 225, 225)
_REFERENCE_SHADE = (248, 248, 248)
_GREY_TEXT = (80, 80, 80)


@dataclass(frozen=True, slots=True)
class Style:
    """Type sizes (pt) and measures (mm) of one kind of sheet."""

    orientation: str
    move_pt: float      # move names: the smallest type a dancer must read
    line_mm: float      # line height of move names
    name_pt: float      # dancer names in the name column
    music_pt: float
    reference_pt: float
    where_mm: float     # the column with 8-count, bar and time
    name_max_mm: float  # the widest the name column gets before names wrap
    strip_mm: float     # the pattern strip at the foot of a move box
    stage_mm: tuple[float, float]


CREW = Style("portrait", 8.5, 3.5, 9.0, 8.0, 8.0, 12.5, 30.0, 1.5, (40.0, 20.0))
ONE_DANCER = Style("landscape", 12.0, 4.9, 11.0, 9.0, 8.5, 14.0, 34.0, 1.8, (46.0, 23.0))


@dataclass(frozen=True, slots=True)
class SpanLayout:
    span: Span
    x0: float
    x1: float
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LaneLayout:
    lane: Lane
    height: float
    name_lines: tuple[str, ...]
    spans: tuple[SpanLayout, ...]


class _Painter(Canvas, Shapes):
    """Draws a sheet on a PDF, row by row, and records where each row went (for the tests)."""

    def __init__(self, sheet: Sheet, paper: str, style: Style = CREW):
        super().__init__(sheet.title, f"{sheet.title} · {sheet.source}", paper, style.orientation)
        self.sheet, self.style = sheet, style
        self.spare: dict = {}
        names = [name for name, _ in sheet.cast] + [d for s in sheet.sections for d in s.dancers]
        widest = max((self.width(self.plain(n), style.name_pt, True) for n in names), default=10)
        self.name_w = min(max(widest, self.width("answer", style.reference_pt)) + 2, style.name_max_mm)
        self.grid_x = MARGIN_MM + style.where_mm + self.name_w
        self.count_w = (self.pdf.w - MARGIN_MM - self.grid_x) / COUNTS_PER_ROW
        for text in names + [s.name for s in sheet.sections] + \
                [sp.name for s in sheet.sections for r in s.rows for ln in r.lanes for sp in ln.spans]:
            self.plain(text)  # so the title block can report characters the font lacks
        self.layouts: dict[int, tuple] = {}
        self.placed: list[tuple[int, float, float]] = []  # (page, top, bottom) of every row drawn
        self.swatches: list[tuple[str, float, float, float, float]] = []  # the legend's boxes (category, x, y, w, h)

    # -- title block -----------------------------------------------------------------------------
    def title_block(self):
        with self.batch():
            self._title_block()

    def _title_block(self):
        sheet = self.sheet
        self.add_page()
        y = MARGIN_MM + 6
        for line in self.wrap(sheet.title, self.page_w, 20, True):
            self.text(MARGIN_MM, y, line, size=20, bold=True)
            y += 8
        if sheet.focus:
            y = self.paragraph(y, "Sheet for:", ", ".join(sheet.focus), 12, bold=True)
        facts = (f"Length {format_clock(sheet.length_s)}   ·   Tempo {sheet.tempo_text}   ·   "
                 f"{len(sheet.sections)} sections, {sum(s.bars for s in sheet.sections)} bars, "
                 f"{sheet.rows} eight-counts   ·   score {sheet.source}, seed {sheet.seed}")
        y = self.paragraph(y, "", facts, 9.5)
        cast = ", ".join(f"{name} (skill {skill})" for name, skill in sheet.cast) or "no dancers"
        y = self.paragraph(y, "Cast:", cast, 9.5)
        y = self.legend(y + 1)
        if self.missing:
            shown = ", ".join(f"U+{ord(ch):04X}" for ch in self.missing)
            y = self.paragraph(y, "Not in the font:", f"{shown} printed as ?", 8.5)
        self.y = y + 2

    def paragraph(self, y: float, head: str, text: str, size: float, bold: bool = False) -> float:
        """A bold head and its text wrapped beside it; returns the y below."""
        indent = self.width(self.plain(head), size, True) + 2 if head else 0
        if head:
            self.text(MARGIN_MM, y, head, size=size, bold=True)
        for line in self.wrap(text, self.page_w - indent, size, bold):
            self.text(MARGIN_MM + indent, y, line, size=size, bold=bold)
            y += size * 0.45
        return y + 1

    def legend(self, y: float) -> float:
        pdf, size = self.pdf, 8.5
        head_w = 17
        self.text(MARGIN_MM, y, "Moves:", size=size, bold=True)
        x = MARGIN_MM + head_w
        for category in self.sheet.categories:
            label = f"{category_code(category)}  {category}"
            w = self.width(self.plain(label), size) + 11
            if x + w > pdf.w - MARGIN_MM:
                x, y = MARGIN_MM + head_w, y + 6
            self.span_box(x, y - 3.6, 8, 5.2, category, is_freeze(category))
            self.swatches.append((category, x, y - 3.6, 8, 5.2))
            self.text(x + 9.5, y, label, size=size)
            x += w + 3
        y += 6
        marks = ("[box] a move across the counts it takes (colour and pattern: its category)  ·  thick border = "
                 "it ends on a held shape (freeze)  ·  ◀ continues from the previous 8-count  ·  ▶ runs on into "
                 "the next  ·  & starts on the and  ·  ▲ the count its hit lands on  ·  ▼ and a grey column = a hit "
                 "in the music  ·  (pin) set by the choreographer  ·  "
                 + "  ·  ".join(f"{mark} {meaning}" for mark, meaning in MARKS)
                 + "  ·  stage diagram: seen from the audience, initials where each dancer starts, "
                 "arrows to where they start the next section")
        y = self.paragraph(y, "Marks:", marks, size)
        if self.sheet.shorts:
            y = self.paragraph(y, "Short names:", "  ·  ".join(f"{s} = {n}" for s, n in self.sheet.shorts), size)
        if self.sheet.focus:
            y = self.paragraph(y, "Others:", "the thin lanes say where the others are: up (standing), down (on the "
                               "floor), freeze (a held shape), or their part (call, answer, groove, wait, entry)", size)
        return y

    # -- sections --------------------------------------------------------------------------------
    def stage_size(self, sec: SectionSheet) -> tuple[float, float]:
        """The stage diagram's size: larger for big casts, so the dancers' circles keep apart."""
        w, h = self.style.stage_mm
        grow = 1.0 if len(sec.stage) <= 4 else 1.4
        return w * grow, h * grow

    def header_lines(self, sec: SectionSheet) -> tuple[list[tuple[str, float]], float]:
        """The section header's text lines (text, size) beside the stage diagram, and the header's height."""
        text_w = self.page_w - self.stage_size(sec)[0] - 6
        who = ", ".join(sec.dancers) or "no dancers"
        if sec.formation and len(sec.dancers) > 1:
            who += f" ({sec.formation})"
        facts = f"{sec.mood}  ·  {sec.key}  ·  {sec.tempo_text}  ·  {sec.meter}  ·  {sec.bars_text}  ·  {who}"
        lines = [(line, 8.5) for line in self.wrap(facts, text_w, 8.5)]
        if sec.notes:
            lines += [(line, 8.0) for line in self.wrap(sec.notes, text_w, 8.0)]
        if sec.musician:
            music = "For musicians: " + "  ·  ".join(f"{at} {text}" for at, text in sec.musician)
            lines += [(line, 7.5) for line in self.wrap(music, text_w, 7.5)]
        text_h = sum(size * 0.45 for _, size in lines)
        return lines, 8.5 + max(text_h, self.stage_size(sec)[1] + 4) + 2

    def section_header(self, sec: SectionSheet, continued: bool = False):
        with self.batch():
            self._section_header(sec, continued)

    def _section_header(self, sec: SectionSheet, continued: bool):
        pdf = self.pdf
        y = self.y
        self.box(MARGIN_MM, y, self.page_w, 7, fill=_HEADER_SHADE)
        right = self.plain(sec.time_text)
        name = f"{sec.index + 1}. {sec.name}" + ("  (continued)" if continued else "")
        size = 11.5
        while size > 8 and self.width(self.plain(name), size, True) > self.page_w - self.width(right, 9) - 8:
            size -= 0.5  # a long section name shrinks in its bar rather than losing words
        self.text(MARGIN_MM + 1.5, y + 5, name, size=size, bold=True)
        self.text(pdf.w - MARGIN_MM - 1.5 - self.width(right, 9), y + 5, right, size=9)
        y += 8.5
        if not continued:
            lines, height = self.header_lines(sec)
            ty = y + 3.2
            for line, size in lines:
                self.text(MARGIN_MM + 1.5, ty, line, size=size)
                ty += size * 0.45
            w, h = self.stage_size(sec)
            self.stage_diagram(pdf.w - MARGIN_MM - w, y, w, h, sec.stage, sec.next_stage, sec.dancers)
            y += height - 8.5
        self.y = y
        self.column_header()

    def column_header(self):
        pdf = self.pdf
        y = self.y
        self.text(MARGIN_MM + 0.8, y + 3.3, "8ct·bar", size=7, bold=True)
        for count in range(1, COUNTS_PER_ROW + 1):
            self.text(self.grid_x + (count - 1) * self.count_w + 1, y + 3.5, str(count), size=9, bold=True)
        self.rule(MARGIN_MM, y + 4.7, pdf.w - MARGIN_MM, y + 4.7, BLACK, 0.35)
        self.y = y + 4.7

    # -- rows ------------------------------------------------------------------------------------
    def layout(self, row: Row) -> tuple[list, float, list[LaneLayout], float]:
        """(music marks, music lane height, lanes, row height), worked out once per row."""
        held = self.layouts.get(id(row))
        if held is not None and held[0] is row:
            return held[1]
        music = self.music_layout(row)
        music_h = 1.6 + max((len(m[3]) for m in music), default=1) * self.style.music_pt * 0.42
        lanes = [self.lane_layout(lane) for lane in row.lanes]
        height = max(music_h + sum(lane.height for lane in lanes) + 0.6, 12.5)
        result = (music, music_h, lanes, height)
        self.layouts = {id(row): (row, result)}
        return result

    def row_height(self, row: Row) -> float:
        return self.layout(row)[3]

    def lane_layout(self, lane: Lane) -> LaneLayout:
        style = self.style
        if lane.reference:
            name_lines = tuple(self.wrap(lane.dancer, self.name_w - 1.5, style.reference_pt))
            return LaneLayout(lane, max(4.8, 1.4 + len(name_lines) * style.reference_pt * 0.4), name_lines, ())
        name_lines = tuple(self.wrap(lane.dancer, self.name_w - 1.5, style.name_pt, True))
        if lane.role:
            name_lines += (f"({lane.role})",)
        spans = []
        for span in lane.spans:
            x0 = self.grid_x + float(span.start_counts) * self.count_w + 0.35
            x1 = self.grid_x + float(span.end_counts) * self.count_w - 0.35
            spans.append(SpanLayout(span, x0, x1, tuple(self.label_lines(span, self.label_width(span, x0, x1)))))
        lines = max((len(s.lines) for s in spans), default=1)
        height = max(lines * style.line_mm + style.strip_mm + 2.2, len(name_lines) * style.name_pt * 0.42 + 1.6)
        return LaneLayout(lane, height, name_lines, tuple(spans))

    def label_width(self, span: Span, x0: float, x1: float) -> float:
        return x1 - x0 - 1.4

    def label_lines(self, span: Span, width: float) -> list[str]:
        """The move's name in lines that fit its box: whole words first, its short name before breaking a word."""
        marks = (f" {MIRROR_MARK}" if span.mirrored else "") + (" (pin)" if span.pinned else "")
        lead = "& " if span.offbeat else ""
        size, bold = self.style.move_pt, span.freeze
        whole = self.wrap(f"{lead}{span.name}{marks}", width, size, bold)
        if span.short and (len(whole) > 2 or any(line.endswith("-") for line in whole)):
            short = self.wrap(f"{lead}{span.short}{marks}", width, size, bold)
            if len(short) < len(whole):
                return short
        return whole

    def music_layout(self, row: Row) -> list[tuple[float, float, bool, list[str]]]:
        """Per count with music marks: (x, right edge, any hit, lines of text) wrapped to the gap."""
        by_count: dict[int, list] = {}
        for mark in row.music:
            by_count.setdefault(mark.count, []).append(mark)
        counts = sorted(by_count)
        layout = []
        size = self.style.music_pt
        for n, count in enumerate(counts):
            marks = by_count[count]
            x = self.grid_x + (count - 1) * self.count_w
            end = self.grid_x + ((counts[n + 1] - 1) if n + 1 < len(counts) else COUNTS_PER_ROW) * self.count_w
            hit = any(m.hit for m in marks)
            text = " + ".join(m.text for m in sorted(marks, key=lambda m: not m.hit))
            layout.append((x, end, hit, self.wrap(text, end - x - (3.6 if hit else 1.2), size, hit)))
        return layout

    def row(self, row: Row):
        with self.batch():
            self._row(row)

    def _row(self, row: Row):
        pdf, style = self.pdf, self.style
        top = self.y
        music, music_h, lanes, height = self.layout(row)
        self.placed.append((pdf.page_no(), top, top + height))
        cw = self.count_w
        for count in row.hit_counts:
            self.box(self.grid_x + (count - 1) * cw, top, cw, height, fill=_HIT_SHADE)
        y = top + music_h
        for lane in lanes:
            if lane.lane.reference:
                self.box(MARGIN_MM + style.where_mm, y, self.pdf.w - MARGIN_MM - style.where_mm - MARGIN_MM,
                         lane.height, fill=_REFERENCE_SHADE)
            y += lane.height
        for count in range(0, row.counts):
            self.rule(self.grid_x + count * cw, top, self.grid_x + count * cw, top + height, GRID, 0.15)
        if row.counts < COUNTS_PER_ROW:
            self.box(self.grid_x + row.counts * cw, top, (COUNTS_PER_ROW - row.counts) * cw, height,
                     fill=(245, 245, 245))
        x = MARGIN_MM + 0.8
        self.text(x, top + 3.8, str(row.eight_count), size=9.5, bold=True)
        self.text(x, top + 7.3, row.bar_text, size=8)
        self.text(x, top + 10.6, format_clock(row.start_s), size=8, rgb=_GREY_TEXT)
        name_x = MARGIN_MM + style.where_mm + 0.8
        self.text(name_x, top + 3.6, "music", size=7.5, rgb=_GREY_TEXT)
        self.music_lane(music, top)
        y = top + music_h
        for lane in lanes:
            if lane.lane.reference:
                self.reference_lane(lane, y, name_x)
            else:
                for i, line in enumerate(lane.name_lines):
                    is_role = i == len(lane.name_lines) - 1 and bool(lane.lane.role)
                    size = style.reference_pt if is_role else style.name_pt
                    self.text(name_x, y + 1.2 + (i + 0.8) * style.name_pt * 0.42, line, size=size, bold=not is_role)
                for span in lane.spans:
                    self.span(span, y + 0.6, lane.height - 1.2)
            y += lane.height
        self.rule(MARGIN_MM, top + height, pdf.w - MARGIN_MM, top + height, (90, 90, 90), 0.25)
        self.y = top + height

    def reference_lane(self, lane: LaneLayout, y: float, name_x: float):
        size = self.style.reference_pt
        for i, line in enumerate(lane.name_lines):
            self.text(name_x, y + 0.5 + (i + 0.85) * size * 0.4, line, size=size, rgb=_GREY_TEXT)
        for count, word in lane.lane.words:
            self.text(self.grid_x + (count - 1) * self.count_w + 1, y + 0.5 + 0.85 * size * 0.4, word, size=size,
                      rgb=_GREY_TEXT)

    def music_lane(self, music, top: float):
        size = self.style.music_pt
        for x, end, hit, lines in music:
            if hit:
                self.glyph(x + 1.6, top + 3.6, "▼", 7)
                x += 3.0
            for i, line in enumerate(lines):
                self.text(x + 0.6, top + 3.6 + i * size * 0.42, line, size=size, bold=hit)

    def glyph(self, cx: float, baseline: float, symbol: str, size: float):
        """A marker symbol (▲ ▼ ◀ ▶) centred on cx; core fonts get an ASCII stand-in."""
        text = self.plain(symbol)
        self.text(cx - self.width(text, size) / 2, baseline, text, size=size)

    def span_box(self, x: float, y: float, w: float, h: float, category: str, freeze: bool):
        """A move box: the category's colour, its pattern in a strip along the foot, a thick border for freezes."""
        strip = self.style.strip_mm
        self.box(x, y, w, h, fill=category_fill(category, self.spare))
        self.pattern(x, y + h - strip, w, strip, category_pattern(category))
        self.box(x, y, w, h, stroke=BLACK, line_mm=0.6 if freeze else 0.2)

    def span(self, layout: SpanLayout, y: float, h: float):
        span, x0, x1, style = layout.span, layout.x0, layout.x1, self.style
        self.span_box(x0, y, x1 - x0, h, span.category, span.freeze)
        x = x0 + 0.7
        strip_top = y + h - style.strip_mm
        # The run-on marks sit in the pattern strip, so the name keeps the box's whole width.
        if span.continued:
            self.box(x0 + 0.2, strip_top, 2.6, style.strip_mm, fill=(255, 255, 255))
            self.glyph(x0 + 1.5, y + h - 0.1, "◀", 5.5)
        if span.continues:
            self.box(x1 - 2.8, strip_top, 2.6, style.strip_mm, fill=(255, 255, 255))
            self.glyph(x1 - 1.5, y + h - 0.1, "▶", 5.5)
        for i, line in enumerate(layout.lines):
            self.text(x, y + 0.4 + style.move_pt * 0.3 + i * style.line_mm, line, size=style.move_pt, bold=span.freeze)
        if span.accent_count:
            cx = self.grid_x + (span.accent_count - 0.5) * self.count_w
            self.box(cx - 1.3, y + h - style.strip_mm, 2.6, style.strip_mm, fill=(255, 255, 255))
            self.glyph(cx, y + h - 0.1, "▲", 5.5)

    def draw(self):
        self.title_block()
        for sec in self.sheet.sections:
            first = sec.rows[0] if sec.rows else None
            header_h = self.header_lines(sec)[1] + 4.7
            self.ensure(header_h + (self.row_height(first) if first else 0))
            self.section_header(sec)
            for row in sec.rows:
                if self.ensure(self.row_height(row)):
                    self.section_header(sec, continued=True)
                self.row(row)
            self.y += 5


def painter(perf: Performance, paper: str = "a4", dancers=()) -> _Painter:
    """A painter that has drawn the crew sheet, or the sheet of some dancers (large type, landscape)."""
    paper = (paper or "a4").lower()
    if paper not in PAPER:
        from ..errors import InputError
        raise InputError(f"unknown paper size {paper!r}", field="--paper", expected=" or ".join(PAPER))
    sheet = build_sheet(perf)
    drawn = _Painter(for_dancers(sheet, dancers), paper, ONE_DANCER) if dancers else _Painter(sheet, paper)
    drawn.draw()
    return drawn


def to_bytes(perf: Performance, paper: str = "a4", dancers=()) -> bytes:
    """The sheet as PDF bytes on A4 or Letter paper."""
    return bytes(painter(perf, paper, dancers).pdf.output())


def write(perf: Performance, path: Path, paper: str = "a4", dancers=()):
    write_atomic(Path(path), to_bytes(perf, paper, dancers))
