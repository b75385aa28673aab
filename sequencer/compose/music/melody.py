"""The lead line: leitmotifs stated, answered and transformed as the mood asks.

A section is sung in 4-bar phrases. Each of the section's themes (characters via
`score.motifs`, or motif ids) is first stated once, as the mood colours it (augmented in grief,
an octave up in triumph); then answers and developed statements (inverted, sequenced,
fragmented...) alternate. An answer is a line generated from the chords, or a rest when the
mood is sparse. A section without themes gets a motif of its own, generated from the mood and
developed the same way.
"""

import random
from fractions import Fraction

from ...motifs import Motif, MotifNote, apply
from ...performance import MusicCue, Note
from ...timeline import PPQ
from .context import SectionContext
from .harmony import ChordSpan

PHRASE_BARS = 4
COLOUR = ("augment", "diminish", "octave-up", "octave-down")  # how every statement sounds in the mood
REGISTER_SHIFT = {"octave-up": 1, "octave-down": -1}
_ARTICULATION = {"legato": (19, 20), "normal": (4, 5), "staccato": (1, 2)}  # share of a note's length that sounds


def resolve_themes(ctx: SectionContext, score) -> list[tuple[str, Motif]]:
    """(label, motif) for each theme the section names: a character's motif, or a motif id."""
    found = []
    for name in ctx.info.themes:
        motif_id = score.motifs.get(name, name)
        motif = score.library.motifs.get(motif_id)
        if motif is not None:
            found.append((name, motif))
    return found


def play(ctx: SectionContext, score, chords: list[ChordSpan], part: int) -> tuple[list[Note], list[MusicCue]]:
    """Melody notes and motif cues for one section."""
    rng = ctx.rng("melody")
    themes = resolve_themes(ctx, score)
    own = not themes
    if own:
        themes = [("section motif", generate(ctx, rng, chords, min(2, ctx.bars) * ctx.bar_ticks, ctx.start_ticks,
                                             name=f"{ctx.info.mood}-phrase"))]
    phrase = min(PHRASE_BARS, ctx.bars) * ctx.bar_ticks
    end = ctx.music_end_ticks
    reference = _reference_tonic(ctx, themes[0][1])
    colour = [t for t in ctx.mood.transforms if t in COLOUR]
    develop = [t for t in ctx.mood.transforms if t not in COLOUR] or ["vary-rhythm"]
    notes, cues, seen = [], [], {}
    t, index = ctx.start_ticks, 0
    while t < end:
        room = end - t
        # Every theme is stated once, one phrase each; then themes and answers alternate.
        later = index - len(themes)
        if index < len(themes) or later % 2 == 1:
            label, motif = themes[index if index < len(themes) else (later // 2) % len(themes)]
            used = [x for x in colour if x not in REGISTER_SHIFT]
            if seen.get(label):
                used.append(rng.choice(develop))
            seen[label] = True
            played = motif
            for name in used:
                played = apply(played, name, rng)
            if _ticks(played.length_beats) > room and "fragment" not in used:
                played, used = apply(played, "fragment", rng), used + ["fragment"]
            shift = next((REGISTER_SHIFT[x] for x in colour if x in REGISTER_SHIFT), 0)
            length = min(_ticks(played.length_beats), room)
            notes.extend(realise(ctx, played, t, reference, shift, part, end))
            used_text = used + [x for x in colour if x in REGISTER_SHIFT]
            cues.append(MusicCue(t, length, "motif", _cue_text(label, motif, used_text, own), ctx.index))
            t += max(phrase, -(-length // phrase) * phrase)
        else:
            if ctx.mood.density >= 0.5:
                answer = generate(ctx, rng, chords, min(phrase, room) - ctx.beat_ticks, t, name="answer")
                notes.extend(realise(ctx, answer, t, reference, 0, part, end))
            t += phrase
        index += 1
    return notes, cues


def _cue_text(label: str, motif: Motif, used: list[str], own: bool) -> str:
    how = " + ".join(used) if used else "as written"
    if own:
        return f"melody: the section's own motif, {how}"
    owner = f"{label}'" if label.endswith("s") else f"{label}'s"
    who = f"{owner} theme ({motif.name})" if label != motif.name else motif.name
    return f"{who}: {how}"


def _ticks(beats: Fraction) -> int:
    return (beats.numerator * PPQ * 2 + beats.denominator) // (2 * beats.denominator)  # rounded, in integers


def _reference_tonic(ctx: SectionContext, motif: Motif) -> int:
    """The MIDI tonic that puts the theme in the middle of the mood's register."""
    low, high = ctx.mood.register
    steps = [n.step for n in motif.notes if n.step is not None]
    middle = (min(steps) + max(steps)) / 2
    centre = (low + high) / 2
    best = None
    for tonic in range(ctx.key.tonic_pc + 24, 108, 12):
        distance = abs(ctx.key.pitch(round(middle), tonic) - centre)
        if best is None or distance < best[0]:
            best = (distance, tonic)
    return best[1]


def placement(ctx: SectionContext, motif: Motif, reference: int, shift: int) -> int:
    """The octave (as a MIDI tonic) for one statement: inside the register when it fits there,
    the highest placement for `shift` +1, the lowest for -1, else the one nearest `reference`."""
    low, high = ctx.mood.register
    pitches = [ctx.key.pitch(n.step, reference) + n.alter for n in motif.notes if n.step is not None]
    options = []
    for octaves in range(-3, 4):
        lo, hi = min(pitches) + 12 * octaves, max(pitches) + 12 * octaves
        overflow = max(0, low - lo) + max(0, hi - high)
        options.append((overflow, octaves))
    fitting = [o for overflow, o in options if overflow == 0]
    if fitting:
        octaves = max(fitting) if shift > 0 else min(fitting) if shift < 0 else min(fitting, key=abs)
    else:
        octaves = min(options)[1]
    return reference + 12 * octaves


def realise(ctx: SectionContext, motif: Motif, start: int, reference: int, shift: int, part: int,
            end: int) -> list[Note]:
    """Motif → notes from `start`, in the section's key, articulated by the mood, cut at `end`."""
    tonic = placement(ctx, motif, reference, shift)
    held, of = _ARTICULATION[ctx.mood.articulation]
    pitches = [ctx.key.pitch(n.step, tonic) + n.alter for n in motif.notes if n.step is not None]
    low, span = min(pitches), max(max(pitches) - min(pitches), 1)
    notes, t = [], start
    for n in motif.notes:
        length = _ticks(n.beats)
        if t >= end:
            break
        if n.step is not None:
            pitch = ctx.key.pitch(n.step, tonic) + n.alter
            strong = (t - ctx.start_ticks) % ctx.beat_ticks == 0
            # Phrases swell towards their high notes; notes on the beat lean a little harder.
            velocity = ctx.velocity(0.55 + 0.25 * (pitch - low) / span + (0.1 if strong else 0.0), t)
            sounding = max(1, min(length * held // of, end - t))
            note = ctx.note(part, t, sounding, pitch, velocity)
            if note is not None:
                notes.append(note)
        t += length
    return notes


_RHYTHMS = (  # (density below which it applies, note lengths in ticks to choose from)
    (0.5, (2 * PPQ, 3 * PPQ, 4 * PPQ)),
    (0.8, (PPQ, 3 * PPQ // 2, 2 * PPQ)),
    (1.1, (PPQ // 2, PPQ, 3 * PPQ // 2)),
    (9.0, (PPQ // 4, PPQ // 2, PPQ // 2, PPQ)),
)


def generate(ctx: SectionContext, rng: random.Random, chords: list[ChordSpan], length_ticks: int, start: int,
             name: str) -> Motif:
    """A phrase from the mood: note lengths by its density, a stepwise walk that lands on chord
    tones on the beat and ends on a long chord tone. Bright, lively moods may slip a chromatic
    passing note between two notes a whole tone apart."""
    lengths = next(options for limit, options in _RHYTHMS if ctx.mood.density < limit)
    total = max(length_ticks, PPQ // 2)
    notes, step, t = [], rng.choice((0, 2, 4)), 0
    while t < total:
        ticks = min(rng.choice(lengths), total - t)
        if t % ctx.beat_ticks == 0:
            step = _nearest_chord_step(ctx, chords, start + t, step)
        notes.append(MotifNote(step, 0, Fraction(ticks, PPQ)))
        t += ticks
        step = max(-3, min(9, step + rng.choice((-2, -1, -1, 1, 1, 2))))
    if ctx.mood.valence > 0.3 and ctx.mood.arousal > 0:
        notes = _passing_notes(ctx, rng, notes)
    return Motif(name, "generated", tuple(notes))


def _nearest_chord_step(ctx: SectionContext, chords, at: int, step: int) -> int:
    chord = next((c for c in chords if c.start_ticks <= at < c.end_ticks), None)
    if chord is None:
        return step
    for delta in (0, -1, 1, -2, 2, 3):
        pc = (ctx.key.tonic_pc + ctx.key.offsets[(step + delta) % 7]) % 12
        if pc in chord.pcs:
            return step + delta
    return step


def _passing_notes(ctx: SectionContext, rng: random.Random, notes: list[MotifNote]) -> list[MotifNote]:
    out = []
    for a, b in zip(notes, notes[1:] + [None]):
        if (b is not None and abs(b.step - a.step) == 1 and a.beats >= 1 and rng.random() < 0.3
                and abs(_semis(ctx, b.step) - _semis(ctx, a.step)) == 2):
            direction = 1 if b.step > a.step else -1
            out.append(MotifNote(a.step, 0, a.beats - Fraction(1, 4)))
            out.append(MotifNote(a.step, direction, Fraction(1, 4)))  # the semitone between, off the scale
        else:
            out.append(a)
    return out


def _semis(ctx: SectionContext, step: int) -> int:
    return ctx.key.pitch(step, 0)
