"""The choreography sheet as data: sections cut into rows of eight counts, shared by every sheet format.

A row is one 8-count (eight counted beats, whatever the meter), with one lane per dancer holding
the moves that sound in it, each clipped to the counts it takes, and a music lane with the
motif entrances, fills and hits. PDF, Markdown and plain text only draw this model, so they
always agree. Positions come from the performance's timeline; nothing here does tempo math.
"""

from bisect import bisect_left
from dataclasses import dataclass
from fractions import Fraction

from ..performance import Performance
from ..timeline import format_clock

COUNTS_PER_ROW = 8

# Short codes for move categories, so a black-and-white print still tells them apart.
_CATEGORY_CODES = {
    "toprock": "TR", "go-down": "GD", "godown": "GD", "drop": "DR", "footwork": "FW", "downrock": "DR",
    "power": "PW", "freeze": "FZ", "transition": "TX", "thread": "TH", "blow-up": "BU", "blowup": "BU",
    "suicide": "SU", "floor": "FL", "pose": "PO",
}


def category_code(category: str) -> str:
    """A two-letter code for a move category (known ones fixed, others from their letters)."""
    key = category.lower()
    if key in _CATEGORY_CODES:
        return _CATEGORY_CODES[key]
    letters = [c for c in key if c.isalpha()]
    return "".join(letters[:2]).upper() or "??"


def is_freeze(category: str) -> bool:
    """Freezes and suicides end on a held shape; the sheet marks them."""
    return category.lower() in ("freeze", "suicide")


@dataclass(frozen=True, slots=True)
class Span:
    """One move as it appears in one row: the counts it covers there, and whether it runs on."""

    dancer: str
    move: str
    name: str
    category: str
    first_count: int          # 1-8, the count it starts (or resumes) on in this row
    last_count: int           # 1-8, the last count it touches in this row
    continued: bool           # it began in an earlier row
    continues: bool           # it goes on into the next row
    accent_count: int | None  # the count in this row where its hit lands
    start_counts: Fraction    # exact place in the row, in counts from the row's start (0-8)
    end_counts: Fraction
    offbeat: bool             # it starts between counts (the "and")
    pinned: bool
    combo: str | None

    @property
    def counts(self) -> int:
        return self.last_count - self.first_count + 1

    @property
    def freeze(self) -> bool:
        return is_freeze(self.category)

    @property
    def code(self) -> str:
        return category_code(self.category)


@dataclass(frozen=True, slots=True)
class Mark:
    """Something the music does at a count: a motif entrance, a fill, a hit."""

    count: int
    kind: str
    text: str
    hit: bool
    strength: int = 0


@dataclass(frozen=True, slots=True)
class Lane:
    dancer: str
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One 8-count of a section."""

    eight_count: int          # 1-based within the section
    counts: int               # counted beats in this row: 8, fewer for a short last row
    bar: int                  # the bar (whole show) the row starts in
    start_ticks: int
    start_s: float
    lanes: tuple[Lane, ...]
    music: tuple[Mark, ...]

    @property
    def hit_counts(self) -> tuple[int, ...]:
        return tuple(sorted({m.count for m in self.music if m.hit}))


@dataclass(frozen=True, slots=True)
class SectionSheet:
    index: int
    name: str
    mood: str
    key: str
    meter: str
    tempo_start_bpm: float
    tempo_end_bpm: float
    bars: int
    first_bar: int
    start_s: float
    end_s: float
    dancers: tuple[str, ...]
    formation: str
    notes: str
    rows: tuple[Row, ...]

    @property
    def tempo_text(self) -> str:
        if round(self.tempo_start_bpm) == round(self.tempo_end_bpm):
            return f"{self.tempo_start_bpm:.0f} BPM"
        return f"{self.tempo_start_bpm:.0f}→{self.tempo_end_bpm:.0f} BPM"

    @property
    def time_text(self) -> str:
        return f"{format_clock(self.start_s)}–{format_clock(self.end_s)}"

    @property
    def bars_text(self) -> str:
        return f"{self.bars} bars ({self.first_bar}–{self.first_bar + self.bars - 1})"


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str
    source: str
    seed: int
    length_s: float
    tempo_min_bpm: float
    tempo_max_bpm: float
    cast: tuple[tuple[str, int], ...]        # (name, skill)
    categories: tuple[str, ...]              # move categories used, in order of first appearance
    sections: tuple[SectionSheet, ...]

    @property
    def tempo_text(self) -> str:
        if round(self.tempo_min_bpm) == round(self.tempo_max_bpm):
            return f"{self.tempo_min_bpm:.0f} BPM"
        return f"{self.tempo_min_bpm:.0f}–{self.tempo_max_bpm:.0f} BPM"

    @property
    def rows(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def _music_text(kind: str, text: str) -> str:
    """What the music lane says: the cue's own text, else its kind (a hit's kind: crash, stab, …)."""
    return text or kind


def _section_dancers(perf: Performance, index: int, cues) -> tuple[str, ...]:
    """Dancers of a section in cast order: the ones it names, plus any who have cues there."""
    named = set(perf.sections[index].dancers) | {c.dancer for c in cues}
    ordered = [d.name for d in perf.cast if d.name in named]
    return tuple(ordered + sorted(named - set(ordered)))


def build_sheet(perf: Performance) -> Sheet:
    """Cut the performance into the sheet's sections and 8-count rows."""
    by_section: dict[int, list] = {i: [] for i in range(len(perf.sections))}
    for cue in perf.cues:
        by_section.setdefault(cue.section, []).append(cue)
    marks_by_section: dict[int, list] = {i: [] for i in range(len(perf.sections))}
    for hit in perf.hits:
        marks_by_section.setdefault(hit.section, []).append((hit.at_ticks, 0, hit.kind, "", True, hit.strength))
    for cue in perf.music_cues:
        marks_by_section.setdefault(cue.section, []).append((cue.at_ticks, 1, cue.kind, cue.text, False, 0))
    sections = tuple(_section_sheet(perf, i, sorted(by_section.get(i, ()), key=lambda c: (c.start_ticks, c.dancer)),
                                    sorted(marks_by_section.get(i, ()), key=lambda m: m[:4]))
                     for i in range(len(perf.sections)))
    categories = []
    for cue in sorted(perf.cues, key=lambda c: (c.start_ticks, c.dancer)):
        if cue.category not in categories:
            categories.append(cue.category)
    tempos = [t for s in perf.sections for t in (s.tempo_start_bpm, s.tempo_end_bpm)] or [0.0]
    return Sheet(title=perf.title, source=perf.source, seed=perf.seed, length_s=perf.length_s,
                 tempo_min_bpm=min(tempos), tempo_max_bpm=max(tempos),
                 cast=tuple((d.name, d.skill) for d in perf.cast), categories=tuple(categories), sections=sections)


def _section_sheet(perf: Performance, index: int, cues, marks) -> SectionSheet:
    info = perf.sections[index]
    laid = perf.timeline.sections[index]
    beat_ticks = laid.meter.beat_ticks
    row_ticks = COUNTS_PER_ROW * beat_ticks
    dancers = _section_dancers(perf, index, cues)
    n_rows = laid.eight_counts
    spans: list[dict[str, list[Span]]] = [{d: [] for d in dancers} for _ in range(n_rows)]
    for cue in cues:
        start = max(cue.start_ticks, info.start_ticks)
        end = min(cue.end_ticks, info.end_ticks)
        if end <= start:
            continue
        first_row = (start - info.start_ticks) // row_ticks
        last_row = min((end - 1 - info.start_ticks) // row_ticks, n_rows - 1)
        for r in range(first_row, last_row + 1):
            row_start = info.start_ticks + r * row_ticks
            lo, hi = max(start, row_start), min(end, row_start + row_ticks)
            accent = None
            if cue.accent_ticks is not None and lo <= cue.accent_ticks < hi:
                accent = (cue.accent_ticks - row_start) // beat_ticks + 1
            spans[r][cue.dancer].append(Span(
                dancer=cue.dancer, move=cue.move, name=cue.name, category=cue.category,
                first_count=(lo - row_start) // beat_ticks + 1, last_count=(hi - 1 - row_start) // beat_ticks + 1,
                continued=cue.start_ticks < row_start, continues=cue.end_ticks > row_start + row_ticks,
                accent_count=accent, start_counts=Fraction(lo - row_start, beat_ticks),
                end_counts=Fraction(hi - row_start, beat_ticks),
                offbeat=r == first_row and (cue.start_ticks - row_start) % beat_ticks != 0,
                pinned=cue.pinned, combo=cue.combo))
    row_marks: list[list[Mark]] = [[] for _ in range(n_rows)]
    mark_ticks = [m[0] for m in marks]
    for r in range(n_rows):
        row_start = info.start_ticks + r * row_ticks
        i = bisect_left(mark_ticks, row_start)
        while i < len(marks) and marks[i][0] < min(row_start + row_ticks, info.end_ticks):
            at, _, kind, text, hit, strength = marks[i]
            row_marks[r].append(Mark((at - row_start) // beat_ticks + 1, kind, _music_text(kind, text), hit, strength))
            i += 1
    rows = []
    for r in range(n_rows):
        row_start = info.start_ticks + r * row_ticks
        rows.append(Row(
            eight_count=r + 1, counts=min(COUNTS_PER_ROW, laid.beats - r * COUNTS_PER_ROW),
            bar=laid.first_bar + (row_start - laid.start_ticks) // laid.meter.bar_ticks,
            start_ticks=row_start, start_s=perf.seconds(row_start),
            lanes=tuple(Lane(d, tuple(spans[r][d])) for d in dancers), music=tuple(row_marks[r])))
    return SectionSheet(
        index=index, name=info.name, mood=info.mood, key=info.key, meter=info.meter,
        tempo_start_bpm=info.tempo_start_bpm, tempo_end_bpm=info.tempo_end_bpm, bars=info.bars,
        first_bar=info.first_bar, start_s=perf.seconds(info.start_ticks), end_s=perf.seconds(info.end_ticks),
        dancers=dancers, formation=info.formation, notes=info.notes, rows=tuple(rows))
