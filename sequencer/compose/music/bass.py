"""The bass player: follows the chord roots in the mood's style.

Styles (moods.BASS_STYLES): sustained roots, an 8th-note pulse, root and fifth, a walking line
that approaches each new root from a step away, syncopated funk, bouncing octaves, or nothing.
"""

from ...grooves import STEP_TICKS
from ...performance import Note
from .context import SectionContext
from .form import Form
from .harmony import ChordSpan

LOWEST_ROOT = 36  # C2: roots sit in C2-B2
GAP_TICKS = 20  # a breath between repeated notes

# One bar of funk on the 16th grid: (step, length in steps, role) - R root, O octave, F fifth.
_FUNK = ((0, 3, "R"), (3, 1, "R"), (6, 2, "O"), (10, 2, "R"), (12, 1, "F"), (14, 1, "R"))


def play(ctx: SectionContext, chords: list[ChordSpan], form: Form, part: int) -> list[Note]:
    style = ctx.mood.bass
    if style == "none":
        return []
    notes = []
    for i, span in enumerate(chords):
        next_root = chords[i + 1].root if i + 1 < len(chords) else None
        for start, length, pitch, level in _span(ctx, style, span, next_root):
            note = ctx.note(part, start, length, pitch, ctx.velocity(level, start))
            if note is not None:
                notes.append(note)
    if form.ending == "break" and chords:
        t = form.ending_ticks
        note = ctx.note(part, t, ctx.beat_ticks // 2, root_pitch(chords[-1].root), ctx.velocity(1.0, t), stab=True)
        if note is not None:
            notes.append(note)
    return notes


def root_pitch(pc: int) -> int:
    return LOWEST_ROOT + (pc - LOWEST_ROOT) % 12


def _span(ctx: SectionContext, style: str, span: ChordSpan, next_root):
    """(start, length, pitch, level) of the bass notes under one chord."""
    root = root_pitch(span.root)
    fifth = root + (span.pcs[2] - span.root) % 12
    third = root + (span.pcs[1] - span.root) % 12
    pitches = {"R": root, "O": root + 12, "F": fifth, "T": third}
    if style == "sustained":
        return [(span.start_ticks, span.length_ticks - GAP_TICKS, root, 0.6)]
    if style == "pulse":
        events = [(k * 2 * STEP_TICKS, 2 * STEP_TICKS - 40, "R") for k in range(ctx.bar_ticks // (2 * STEP_TICKS))]
    elif style == "octaves":
        events = [(k * 2 * STEP_TICKS, 2 * STEP_TICKS - 40, "RO"[k % 2])
                  for k in range(ctx.bar_ticks // (2 * STEP_TICKS))]
    elif style == "root-fifth":
        half = (ctx.beats_per_bar // 2) * ctx.beat_ticks
        events = [(0, max(half, ctx.beat_ticks) - GAP_TICKS, "R")]
        if half:
            events.append((half, ctx.bar_ticks - half - GAP_TICKS, "F"))
    elif style == "syncopated":
        events = [(s * STEP_TICKS, n * STEP_TICKS - GAP_TICKS, role) for s, n, role in _FUNK
                  if s * STEP_TICKS < ctx.bar_ticks]
    else:  # walking
        return _walk(ctx, span, root, third, fifth, next_root)
    return _on_grid(ctx, span, events, pitches)


def _on_grid(ctx: SectionContext, span: ChordSpan, events, pitches):
    """Repeat a one-bar figure under the chord, keeping the notes that start inside it."""
    out = []
    bar = (span.start_ticks - ctx.start_ticks) // ctx.bar_ticks
    while ctx.bar_start(bar) < span.end_ticks:
        for offset, length, role in events:
            t = ctx.bar_start(bar) + offset
            if span.start_ticks <= t < span.end_ticks:
                level = 0.75 if offset == 0 else 0.6
                out.append((t, min(length, span.end_ticks - t - GAP_TICKS // 2), pitches[role], level))
        bar += 1
    return out


def _walk(ctx: SectionContext, span: ChordSpan, root, third, fifth, next_root):
    """One note a beat: root, chord tones, and a step into the next chord's root."""
    beat = ctx.beat_ticks
    count = max(1, span.length_ticks // beat)
    line = [root, third, fifth, third + 12 if third + 12 < root + 12 else fifth]
    out = []
    for k in range(count):
        pitch = line[k % len(line)]
        if k == count - 1 and count > 1 and next_root is not None:
            target = root_pitch(next_root)
            # A half step from below (a chromatic passing note in bright moods), else the scale step above.
            pitch = target - 1 if ctx.key.contains(target - 1) or ctx.mood.valence > 0.5 else ctx.key.snap(target + 2)
        out.append((span.start_ticks + k * beat, beat - GAP_TICKS, pitch, 0.7 if k == 0 else 0.6))
    return out
