"""The bass player: the mood's style (moods.BASS_STYLES) locked to the groove and the chords.

A style is a one-bar figure; styles that lock to the kick add the groove's kick steps, a half-time
feel plays the figure at half speed, and every chord change is struck where it happens. Every
second bar is varied by the seed (a pickup, a dropped note, an octave pop, a fifth on the off-beat),
and a section whose rhythm another section already played is varied again, every bar of it, so no
two sound alike.
"""

import random

from ...grooves import STEP_TICKS, Groove
from ...moods import BASS_STYLES
from ...performance import Note
from .context import SectionContext
from .drums import kick_steps
from .form import Form
from .harmony import ChordSpan

LOWEST_ROOT = 36  # C2: roots sit in C2-B2
GAP_TICKS = 20  # a breath between repeated notes
TRIES = 8  # variations tried before a section keeps a rhythm heard before

Figure = list[tuple[int, int, str]]  # (16th step in the bar, length in 16ths, chord role)


def play(ctx: SectionContext, chords: list[ChordSpan], form: Form, part: int, groove: Groove,
         heard: set) -> list[Note]:
    """The bass notes of one section; `heard` holds the rhythms earlier sections played (updated)."""
    style = BASS_STYLES[ctx.mood.bass]
    if not style.figure or not chords:
        return []
    rng = ctx.rng("bass")
    bar_steps = ctx.bar_ticks // STEP_TICKS
    base = _base_figure(ctx, style, groove, bar_steps)
    for attempt in range(TRIES):
        first = base if attempt == 0 else _vary(base, rng, bar_steps, attempt - 1)  # a retry varies every bar
        figures = (first, _vary(base, rng, bar_steps, attempt))
        notes = _sounding(ctx, chords, form, part, _events(ctx, chords, figures))
        # the rhythm as heard: onsets of the notes that sound (clipped before a break, the break's stab)
        rhythm = tuple(sorted({n.start_ticks - ctx.start_ticks for n in notes}))
        if rhythm not in heard:
            break
    heard.add(rhythm)
    return notes


def _sounding(ctx: SectionContext, chords: list[ChordSpan], form: Form, part: int, events) -> list[Note]:
    """The notes the events play where the band plays, and the root stabbed on a break."""
    notes = []
    for start, length, pitch, level in events:
        note = ctx.note(part, start, length, pitch, ctx.velocity(level, start))
        if note is not None:
            notes.append(note)
    if form.ending == "break":
        t = form.ending_ticks
        note = ctx.note(part, t, ctx.count_ticks // 2, root_pitch(chords[-1].root), ctx.velocity(1.0, t), stab=True)
        if note is not None:
            notes.append(note)
    return notes


def root_pitch(pc: int) -> int:
    return LOWEST_ROOT + (pc - LOWEST_ROOT) % 12


def _base_figure(ctx: SectionContext, style, groove: Groove, bar_steps: int) -> Figure:
    figure = list(style.figure)
    if ctx.half_time:
        figure = [(2 * s, 2 * n, role) for s, n, role in figure]
    if style.kick and not groove.silent:
        taken = {s for s, _, _ in figure}
        figure += [(s, 2, "R") for s in kick_steps(ctx, groove) if s not in taken]
    return sorted((s, n, role) for s, n, role in figure if s < bar_steps)


def _vary(figure: Figure, rng: random.Random, bar_steps: int, attempt: int) -> Figure:
    """A variation of the figure for every second bar; later attempts stack more changes."""
    varied = list(figure)
    for _ in range(1 + attempt // 2):
        way = rng.randrange(4)
        taken = {s for s, _, _ in varied}
        if way == 0:  # a pickup into the next bar
            step = rng.choice([s for s in (bar_steps - 1, bar_steps - 2, bar_steps - 3) if s > 0] or [0])
            if step not in taken:
                varied.append((step, 1, "A"))
        elif way == 1 and len(varied) > 2:  # a note left out
            varied.pop(rng.randrange(1, len(varied)))
        elif way == 2:  # an octave pop on an off-beat 16th
            step = rng.choice([s for s in range(3, bar_steps, 4)] or [0])
            if step not in taken:
                varied.append((step, 1, "O"))
        else:  # the fifth on an off-beat 8th
            step = rng.choice([s for s in range(2, bar_steps, 4)] or [0])
            if step not in taken:
                varied.append((step, 2, "F"))
    return sorted(varied)


def _events(ctx: SectionContext, chords: list[ChordSpan], figures: tuple[Figure, Figure]):
    """(start, length, pitch, level) of every bass note: the figures bar by bar under the chords,
    each chord struck where it starts, each note held to the next one (less a breath)."""
    starts = []
    for i, span in enumerate(chords):
        next_root = chords[i + 1].root if i + 1 < len(chords) else None
        root = root_pitch(span.root)
        pitches = {"R": root, "O": root + 12, "F": root + (span.pcs[2] - span.root) % 12,
                   "T": root + (span.pcs[1] - span.root) % 12}
        span_start, span_end = span.start_ticks, span.end_ticks
        bar = (span_start - ctx.start_ticks) // ctx.bar_ticks
        struck = False
        while ctx.bar_start(bar) < span_end:
            bar_start = ctx.bar_start(bar)
            for step, length, role in figures[bar % 2]:
                t = bar_start + step * STEP_TICKS
                if not span_start <= t < span_end:
                    continue
                if not struck and t > span_start:
                    starts.append((span_start, root, 0.75))
                struck = True
                last = t + length * STEP_TICKS >= span_end
                pitch = _approach(ctx, next_root, pitches["F"]) if role == "A" and last else pitches.get(role, pitches["F"])
                starts.append((t, pitch, 0.75 if step == 0 else 0.6))
            bar += 1
        if not struck:
            starts.append((span.start_ticks, root, 0.75))
    starts.sort()
    events = []
    for k, (t, pitch, level) in enumerate(starts):
        following = starts[k + 1][0] if k + 1 < len(starts) else ctx.music_end_ticks
        events.append((t, max(STEP_TICKS // 2, following - t - GAP_TICKS), pitch, level))
    return events


def _approach(ctx: SectionContext, next_root, fallback: int) -> int:
    """A step into the next chord's root: a half step from below in the scale (or in bright moods),
    else the scale step above; the fifth when no chord follows."""
    if next_root is None:
        return fallback
    target = root_pitch(next_root)
    return target - 1 if ctx.key.contains(target - 1) or ctx.mood.valence > 0.5 else ctx.key.snap(target + 2)
