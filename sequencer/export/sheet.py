"""The choreography sheet as data: sections cut into rows of eight counts, shared by every sheet format.

A row is one 8-count (eight counted beats, whatever the meter), with one lane per dancer holding
the moves that sound in it, each clipped to the counts it takes, and a music lane with the
motif entrances, fills and hits. PDF, Markdown and plain text only draw this model, so they
always agree. Positions come from the performance's timeline; nothing here does tempo math.
"""

from bisect import bisect_left
from dataclasses import dataclass, replace
from fractions import Fraction

from ..categories import CATEGORIES
from ..performance import CUE_KINDS, MOVE_ROLES, Performance
from ..stage import Positions, default_positions
from ..timeline import format_clock

COUNTS_PER_ROW = 8

MIRROR_MARK = "↔"
# What a dancer's lane says about their part in the formation for an 8-count (keys of MOVE_ROLES).
ROLE_WORDS = {"floor": "call", "support": "groove", "wait": "wait", "entry": "entry"}
ANSWER_WORD = "answer"  # the floor taken by the dancer who did not call first in the section
MARKS = (
    (MIRROR_MARK, "mirrored: the move danced to the other side"),
    ("call", f"{MOVE_ROLES['floor']}, the first to call in the section"),
    (ANSWER_WORD, f"{MOVE_ROLES['floor']}, answering the call"),
    ("groove", MOVE_ROLES["support"]),
    ("wait", MOVE_ROLES["wait"]),
    ("entry", MOVE_ROLES["entry"]),
)


def category_code(category: str) -> str:
    """The two-letter code of a move category (from the category table, else from its letters)."""
    known = CATEGORIES.get(category.lower())
    if known:
        return known.code
    letters = [c for c in category.lower() if c.isalpha()]
    return "".join(letters[:2]).upper() or "??"


def is_freeze(category: str) -> bool:
    """Moves that finish on a held shape (freezes, suicides, blow-ups); the sheet marks them."""
    known = CATEGORIES.get(category.lower())
    return known.finisher if known else category.lower() in ("freeze", "suicide")


def level_word(category: str, end_level: str) -> str:
    """A one-word picture of where a dancer is, for the reference lanes: up, down or freeze."""
    if is_freeze(category):
        return "freeze"
    return "up" if end_level == "standing" else "down"


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
    short: str = ""          # the vocabulary's short name, for a box too narrow for the whole name
    mirrored: bool = False
    role: str = ""           # a key of MOVE_ROLES
    end_level: str = ""

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
    role: str = ""          # the dancer's part this 8-count: call, answer, groove, wait, entry (or "")
    reference: bool = False  # a thin lane on a dancer's own sheet: who else is on the floor, in words

    @property
    def words(self) -> tuple[tuple[int, str], ...]:
        """(count, word) where this dancer's state changes in the row: their role, else up/down/freeze."""
        out: list[tuple[int, str]] = []
        for span in self.spans:
            word = ROLE_WORDS.get(span.role) or level_word(span.category, span.end_level)
            if not out or out[-1][1] != word:
                out.append((span.first_count, word))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Row:
    """One 8-count of a section."""

    eight_count: int          # 1-based within the section
    counts: int               # counted beats in this row: 8, fewer for a short last row
    bar: int                  # the bar (whole show) the row starts in
    beat: int                 # the beat of that bar it starts on (not 1 in odd meters)
    start_ticks: int
    start_s: float
    lanes: tuple[Lane, ...]
    music: tuple[Mark, ...]

    @property
    def hit_counts(self) -> tuple[int, ...]:
        return tuple(sorted({m.count for m in self.music if m.hit}))

    @property
    def bar_text(self) -> str:
        """The bar the row starts in, with the beat when that is not the bar's first: `30` or `30:2`."""
        return str(self.bar) if self.beat == 1 else f"{self.bar}:{self.beat}"


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
    stage: Positions = ()       # where each dancer stands as the section starts
    next_stage: Positions = ()  # where they stand as the next section starts (the arrows on the diagram)
    musician: tuple[tuple[str, str], ...] = ()  # (bar or bar:beat, text): cadences, pivots, key changes

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
    shorts: tuple[tuple[str, str], ...] = ()  # (short name, whole name) of moves that have one
    focus: tuple[str, ...] = ()               # the dancers a one-dancer sheet is for; () = the crew sheet

    @property
    def tempo_text(self) -> str:
        if round(self.tempo_min_bpm) == round(self.tempo_max_bpm):
            return f"{self.tempo_min_bpm:.0f} BPM"
        return f"{self.tempo_min_bpm:.0f}–{self.tempo_max_bpm:.0f} BPM"

    @property
    def rows(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def music_word(kind: str, text: str, groove: str = "", hit: bool = False) -> str:
    """What the music lane says, in a dancer's words: hit, break, fill, the theme's name, the groove."""
    if hit:
        audience, word = CUE_KINDS.get(kind, ("musician", ""))
        return word if audience == "dancer" else "hit"  # a crash, a stab or a cadence is a hit to a dancer
    if kind == "motif":
        name = text.split(" (", 1)[0].strip() if " (" in text else ""
        return name or CUE_KINDS["motif"][1]
    if kind == "groove" and groove:
        return f"{CUE_KINDS['groove'][1]}: {groove}"
    if kind == "tempo" and text.startswith("tempo down"):
        return "tempo down"  # the table's word says up; the cue says which way
    if kind in CUE_KINDS:
        return CUE_KINDS[kind][1]
    return "hit"  # a hit's own kind (crash, stab, cadence) is the musician's business


def _section_dancers(perf: Performance, index: int, cues) -> tuple[str, ...]:
    """Dancers of a section in cast order: the ones it names, plus any who have cues there."""
    named = set(perf.sections[index].dancers) | {c.dancer for c in cues}
    ordered = [d.name for d in perf.cast if d.name in named]
    return tuple(ordered + sorted(named - set(ordered)))


_CACHE: dict[int, tuple[Performance, Sheet]] = {}


def build_sheet(perf: Performance) -> Sheet:
    """The sheet of a performance, built once and shared by the PDF, Markdown and text writers."""
    held = _CACHE.get(id(perf))
    if held is not None and held[0] is perf:
        return held[1]
    sheet = _build_sheet(perf)
    if len(_CACHE) >= 4:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(perf)] = (perf, sheet)  # holding the performance keeps its id from being reused
    return sheet


def _build_sheet(perf: Performance) -> Sheet:
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
    shorts = sorted({(c.short, c.name) for c in perf.cues if c.short and c.short != c.name})
    sections = tuple(replace(sec, next_stage=sections[i + 1].stage if i + 1 < len(sections) else ())
                     for i, sec in enumerate(sections))
    return Sheet(title=perf.title, source=perf.source, seed=perf.seed, length_s=perf.length_s,
                 tempo_min_bpm=min(tempos), tempo_max_bpm=max(tempos),
                 cast=tuple((d.name, d.skill) for d in perf.cast), categories=tuple(categories), sections=sections,
                 shorts=tuple(shorts))


def for_dancers(sheet: Sheet, names) -> Sheet:
    """A sheet for some dancers only: their sections, their lanes, everyone else as thin reference lanes."""
    focus = tuple(names)
    sections = []
    for sec in sheet.sections:
        if not set(focus) & set(sec.dancers):
            continue
        rows = tuple(replace(row, lanes=tuple(
            [lane for name in focus for lane in row.lanes if lane.dancer == name]
            + [replace(lane, reference=True) for lane in row.lanes if lane.dancer not in focus]))
            for row in sec.rows)
        sections.append(replace(sec, rows=rows))
    return replace(sheet, sections=tuple(sections), focus=focus,
                   cast=tuple(c for c in sheet.cast if c[0] in focus) + tuple(c for c in sheet.cast if c[0] not in focus))


def _section_sheet(perf: Performance, index: int, cues, marks) -> SectionSheet:
    info = perf.sections[index]
    laid = perf.timeline.sections[index]
    count_ticks = laid.meter.count_ticks
    row_ticks = COUNTS_PER_ROW * count_ticks
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
                accent = (cue.accent_ticks - row_start) // count_ticks + 1
            spans[r][cue.dancer].append(Span(
                dancer=cue.dancer, move=cue.move, name=cue.name, category=cue.category,
                first_count=(lo - row_start) // count_ticks + 1, last_count=(hi - 1 - row_start) // count_ticks + 1,
                continued=cue.start_ticks < row_start, continues=cue.end_ticks > row_start + row_ticks,
                accent_count=accent, start_counts=Fraction(lo - row_start, count_ticks),
                end_counts=Fraction(hi - row_start, count_ticks),
                offbeat=r == first_row and (cue.start_ticks - row_start) % count_ticks != 0,
                pinned=cue.pinned, combo=cue.combo, short=cue.short, mirrored=cue.mirrored, role=cue.role,
                end_level=cue.end_level))
    row_marks: list[list[Mark]] = [[] for _ in range(n_rows)]
    musician: list[tuple[str, str]] = []
    mark_ticks = [m[0] for m in marks]
    for r in range(n_rows):
        row_start = info.start_ticks + r * row_ticks
        i = bisect_left(mark_ticks, row_start)
        while i < len(marks) and marks[i][0] < min(row_start + row_ticks, info.end_ticks):
            at, _, kind, text, hit, strength = marks[i]
            count = (at - row_start) // count_ticks + 1
            if not hit and CUE_KINDS.get(kind, ("musician",))[0] == "musician":
                musician.append((_bar_beat(laid, at), text or kind))
            else:
                word = music_word(kind, text, info.groove, hit)
                if not any(m.count == count and m.text == word for m in row_marks[r]):
                    row_marks[r].append(Mark(count, kind, word, hit, strength))
            i += 1
    first_floor = next((c.dancer for c in cues if c.role == "floor"), None)
    rows = []
    for r in range(n_rows):
        row_start = info.start_ticks + r * row_ticks
        bar, beat = divmod((row_start - laid.start_ticks) // count_ticks, laid.meter.counts_per_bar)
        rows.append(Row(
            eight_count=r + 1, counts=min(COUNTS_PER_ROW, laid.counts - r * COUNTS_PER_ROW),
            bar=laid.first_bar + bar, beat=beat + 1, start_ticks=row_start, start_s=perf.seconds(row_start),
            lanes=tuple(Lane(d, tuple(spans[r][d]), _lane_role(spans[r][d], d == first_floor)) for d in dancers),
            music=tuple(row_marks[r])))
    return SectionSheet(
        index=index, name=info.name, mood=info.mood, key=info.key, meter=info.meter,
        tempo_start_bpm=info.tempo_start_bpm, tempo_end_bpm=info.tempo_end_bpm, bars=info.bars,
        first_bar=info.first_bar, start_s=perf.seconds(info.start_ticks), end_s=perf.seconds(info.end_ticks),
        dancers=dancers, formation=info.formation, notes=info.notes, rows=tuple(rows),
        stage=info.stage or default_positions(info.formation, dancers), musician=tuple(musician))


def _bar_beat(laid, at_ticks: int) -> str:
    bar, beat = divmod((at_ticks - laid.start_ticks) // laid.meter.count_ticks, laid.meter.counts_per_bar)
    return f"{laid.first_bar + bar}:{beat + 1}"


def _lane_role(spans: list[Span], called_first: bool) -> str:
    """The dancer's part for the 8-count: the role their moves hold longest in it, in the sheet's words."""
    counts: dict[str, int] = {}
    for span in spans:
        if span.role:
            counts[span.role] = counts.get(span.role, 0) + span.counts
    if not counts:
        return ""
    role = max(counts, key=lambda k: (counts[k], k))
    if role == "floor" and not called_first:
        return ANSWER_WORD
    return ROLE_WORDS.get(role, role)
