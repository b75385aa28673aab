"""The keyboard player comping (and a pad in legato moods): chords voiced with smooth voice leading.

Each chord is voiced in close position inside a register; of all its inversions the player picks
the one whose voices move least from the previous chord. The comping rhythm is the mood's
articulation's pattern: held chords, a pushed two-hit bar, or off-beat stabs. Like a pianist under
a singer, the comping keeps below the melody: a voice that would reach the tune drops an octave.
"""

from bisect import bisect_left
from functools import cache

from ...moods import ARTICULATIONS
from ...performance import Note
from .context import SectionContext
from .form import Form
from .harmony import ChordSpan

KEYS_REGISTER = (50, 72)
PAD_REGISTER = (48, 67)
GAP_TICKS = 20
LOWEST_VOICE = 40  # a voice pushed below this by the melody is left out


@cache
def voicings(pcs: tuple[int, ...], low: int, high: int) -> tuple[tuple[int, ...], ...]:
    """Every close-position voicing of the chord (each inversion, each octave) inside [low, high]."""
    found = []
    for inversion in range(len(pcs)):
        order = pcs[inversion:] + pcs[:inversion]
        for bottom in range(low, low + 12):
            if bottom % 12 != order[0]:
                continue
            notes = [bottom]
            for pc in order[1:]:
                notes.append(notes[-1] + (pc - notes[-1]) % 12)
            while notes[-1] <= high:
                found.append(tuple(notes))
                notes = [n + 12 for n in notes]
    return tuple(sorted(found))


def lead(previous: tuple[int, ...] | None, options: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
    """The voicing that moves least from `previous` (the middle one when there is none)."""
    if previous is None:
        return options[len(options) // 2]
    return min(options, key=lambda v: (sum(abs(a - b) for a, b in zip(v, previous)) + abs(len(v) - len(previous)), v))


def voice(chords: list[ChordSpan], register, previous=None) -> list[tuple[int, ...]]:
    """Voicings for a chord sequence, each led smoothly from the one before."""
    out = []
    for span in chords:
        previous = lead(previous, voicings(span.pcs, *register))
        out.append(previous)
    return out


def _held(count_ticks, counts, bar_ticks, compound):
    return [(0, bar_ticks, 0.45)]


def _push(count_ticks, counts, bar_ticks, compound):
    if counts >= 3:
        return [(0, count_ticks * 3 // 2, 0.55),
                ((counts - 1) * count_ticks + count_ticks // 2, count_ticks // 2, 0.45)]
    return [(0, count_ticks, 0.55), (count_ticks, count_ticks * 3 // 4, 0.45)]


def _off_beats(count_ticks, counts, bar_ticks, compound):
    off = count_ticks // 3 if compound else count_ticks // 2
    return [(k * count_ticks + off, count_ticks // 4, 0.6) for k in range(counts)]


# One bar of comping as (offset, length, level), by the articulation's `comping` column.
PATTERNS = {"held": _held, "push": _push, "off-beats": _off_beats}


def play(ctx: SectionContext, chords: list[ChordSpan], form: Form, keys_part: int, pad_part: int,
         previous=None, melody: list[Note] = ()) -> tuple[list[Note], tuple[int, ...] | None]:
    """Keys (and pad) notes of one section under its `melody`; returns the last voicing so the next
    section leads on from it."""
    if not chords:
        return [], previous
    voiced = voice(chords, KEYS_REGISTER, previous)
    articulation = ARTICULATIONS[ctx.mood.articulation]
    events = PATTERNS[articulation.comping](ctx.count_ticks, ctx.counts_per_bar, ctx.bar_ticks, ctx.laid.meter.compound)
    under = _Ceiling(melody)
    notes = []
    for span, chord in zip(chords, voiced):
        struck = set()
        bar = (span.start_ticks - ctx.start_ticks) // ctx.bar_ticks
        while ctx.bar_start(bar) < span.end_ticks:
            for offset, length, level in events:
                t = ctx.bar_start(bar) + offset
                if t < span.start_ticks and offset == 0 and span.start_ticks not in struck:
                    t = span.start_ticks  # a chord change mid-bar is struck where it happens
                if span.start_ticks <= t < span.end_ticks and t not in struck:
                    struck.add(t)
                    _chord(ctx, notes, keys_part, t, min(length, span.end_ticks - t) - GAP_TICKS, chord, level, under)
            bar += 1
    by_time = [(span.start_ticks, span.end_ticks, chord) for span, chord in zip(chords, voiced)]
    for t in form.stabs + ((form.ending_ticks,) if form.ending == "break" else ()):
        chord = next((c for s, e, c in by_time if s <= t < e), voiced[-1])
        _chord(ctx, notes, keys_part, t, ctx.count_ticks // 2, chord, 0.95, under, stab=True)
    if articulation.pad:
        for span, chord in zip(chords, voice(chords, PAD_REGISTER)):
            _chord(ctx, notes, pad_part, span.start_ticks, span.length_ticks - GAP_TICKS, chord, 0.3, under)
    return notes, voiced[-1]


class _Ceiling:
    """The lowest melody pitch sounding in a stretch of time: the comping stays under it."""

    def __init__(self, melody):
        self.melody = sorted(melody, key=lambda n: n.start_ticks)
        self.starts = [n.start_ticks for n in self.melody]
        self.longest = max((n.length_ticks for n in self.melody), default=0)

    def below(self, start: int, end: int) -> int | None:
        first = bisect_left(self.starts, start - self.longest)
        last = bisect_left(self.starts, end)
        pitches = [n.pitch for n in self.melody[first:last] if n.end_ticks > start]
        return min(pitches) if pitches else None


def _chord(ctx, notes, part, t, length, chord, level, under: _Ceiling, stab=False):
    if length <= 0:
        return
    velocity = ctx.velocity(level, t)
    ceiling = under.below(t, t + length)
    pitches = set()
    for pitch in chord:
        while ceiling is not None and pitch >= ceiling:
            pitch -= 12
        if pitch >= LOWEST_VOICE:
            pitches.add(pitch)
    for pitch in sorted(pitches):
        note = ctx.note(part, t, length, pitch, velocity, stab=stab)
        if note is not None:
            notes.append(note)
