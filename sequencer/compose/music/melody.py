"""The lead line: leitmotifs stated, answered and developed across the whole show.

A section is sung in 4-bar phrases, paired as call and answer: the call states a theme (or the
section's own motif) and leaves a question on the fifth, the answer comes home to the tonic.
A character's theme is first heard as written; each later statement, anywhere in the show, is
developed as the mood asks (inverted, fragmented, re-cut...) or, now and then, only recalled in
another place of the scale. Every phrase carries melody at the mood's declared density.
"""

import random
from dataclasses import dataclass
from fractions import Fraction

from ...moods import ARTICULATIONS
from ...motifs import DEVELOPING, Motif, MotifNote, apply
from ...performance import MusicCue, Note
from ...timeline import PPQ
from .context import SectionContext
from .form import MELODY_PHRASE_BARS
from .harmony import ChordSpan

REGISTER_SHIFT = {"octave-up": 1, "octave-down": -1}  # how a mood colours every statement
RECALL_EVERY = 3  # every third return of a theme is only recalled (moved), the others developed
FALLBACK_DEVELOPMENT = ("vary-rhythm", "fragment", "invert")  # for moods that name no developing transform
QUESTION_STEP, HOME_STEP = 4, 0  # the call ends on the fifth, the answer on the tonic


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme a section names: the label the sheet shows (a character or a motif id) and the motif."""

    label: str
    motif: Motif


def resolve_themes(names: tuple[str, ...], characters: dict[str, str], motifs: dict[str, Motif]) -> list[Theme]:
    """The themes a section names: a character's motif, or a motif id."""
    found = []
    for name in names:
        motif = motifs.get(characters.get(name, name))
        if motif is not None:
            found.append(Theme(name, motif))
    return found


def play(ctx: SectionContext, themes: list[Theme], chords: list[ChordSpan], part: int,
         heard: dict[str, int]) -> tuple[list[Note], list[MusicCue]]:
    """Melody notes and motif cues for one section; `heard` counts each theme's statements so far in
    the show (updated here), so a theme is developed when it returns in a later section."""
    rng = ctx.rng("melody")
    phrase = min(MELODY_PHRASE_BARS, ctx.bars) * ctx.bar_ticks
    end = ctx.music_end_ticks
    own = not themes
    if own:
        span = min(2 * ctx.bar_ticks, end - ctx.start_ticks)
        call = line(ctx, rng, chords, ctx.start_ticks, max(span - ctx.count_ticks // 2, ctx.count_ticks // 2),
                    _budget(ctx, span), QUESTION_STEP, f"{ctx.info.mood}-phrase")
        themes = [Theme(f"section {ctx.index + 1} motif", call)]
    shift = next((REGISTER_SHIFT[x] for x in ctx.mood.transforms if x in REGISTER_SHIFT), 0)
    colour = [x for x in ctx.mood.transforms if x in REGISTER_SHIFT]
    develop = [t for t in ctx.mood.transforms if t in DEVELOPING] or list(FALLBACK_DEVELOPMENT)
    reference = _reference_tonic(ctx, themes[0].motif)
    notes, cues = [], []
    t, index = ctx.start_ticks, 0
    while t < end:
        room = end - t
        later = index - len(themes)
        if index < len(themes) or later % 2 == 1:
            theme = themes[index if index < len(themes) else (later // 2) % len(themes)]
            played, used = _statement(theme, heard, develop, rng)
            if _ticks(played.length_quarters) > room and used:  # a first statement is cut short, never re-made
                played, used = apply(played, "fragment", rng), used + ["fragment"]
            length = min(_ticks(played.length_quarters), room)
            block = min(max(phrase, -(-length // phrase) * phrase), room)
            notes.extend(realise(ctx, played, t, reference, shift, part, end))
            cues.append(MusicCue(t, length, "motif", _cue_text(theme, used + colour, own), ctx.index))
            tail_start = t + -(-length // ctx.count_ticks) * ctx.count_ticks
            last_phrase = t + block >= end
            # A tail as long as a phrase is a phrase of its own: it sings even when the theme used the notes up.
            least = 1 if t + block - tail_start >= phrase else 0
            _answer(ctx, rng, chords, notes, part, reference, tail_start, t + block,
                    max(least, _owed(ctx, t + block, notes)), HOME_STEP if last_phrase else QUESTION_STEP)
            t += block
        else:
            block = min(phrase, room)
            _answer(ctx, rng, chords, notes, part, reference, t, t + block, max(1, _owed(ctx, t + block, notes)),
                    HOME_STEP)
            t += block
        index += 1
    return notes, cues


def _statement(theme: Theme, heard: dict[str, int], develop: list[str], rng: random.Random) -> tuple[Motif, list[str]]:
    """The theme as this statement plays it: as written the first time, then developed or recalled."""
    count = heard.get(theme.label, 0)
    heard[theme.label] = count + 1
    if count == 0:
        return theme.motif, []
    name = "transpose" if count % RECALL_EVERY == RECALL_EVERY - 1 else develop[(count - 1) % len(develop)]
    return apply(theme.motif, name, rng), [name]


def _answer(ctx, rng, chords, notes, part, reference, start, stop, budget, end_step):
    """A generated line filling [start, stop) less a breath, ending on `end_step`."""
    length = min(stop, ctx.music_end_ticks) - start - ctx.count_ticks // 2
    if length < ctx.count_ticks or budget < 1:
        return
    answer = line(ctx, rng, chords, start, length, budget, end_step, "answer")
    notes.extend(realise(ctx, answer, start, reference, 0, part, ctx.music_end_ticks))


def _owed(ctx: SectionContext, until: int, notes: list[Note]) -> int:
    """Notes still owed by `until` for the section to keep its mood's density (a dense theme
    leaves its answer sparser)."""
    return _budget(ctx, until - ctx.start_ticks) - len(notes)


def _budget(ctx: SectionContext, length_ticks: int) -> int:
    """Melody notes the mood's density asks for in `length_ticks` (density is notes per counted beat)."""
    return max(1, round(ctx.mood.density * length_ticks / ctx.count_ticks))


def _cue_text(theme: Theme, used: list[str], own: bool) -> str:
    how = " + ".join(used) if used else "as written"
    if own:
        return f"melody: the section's own motif, {how}"
    label, motif = theme.label, theme.motif
    owner = f"{label}'" if label.endswith("s") else f"{label}'s"
    who = f"{owner} theme ({motif.name})" if label != motif.name else motif.name
    return f"{who}: {how}"


def _ticks(quarters: Fraction) -> int:
    return (quarters.numerator * PPQ * 2 + quarters.denominator) // (2 * quarters.denominator)  # rounded


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
    share = ARTICULATIONS[ctx.mood.articulation].sounding  # a Fraction: its parts keep the arithmetic integer
    pitches = [ctx.key.pitch(n.step, tonic) + n.alter for n in motif.notes if n.step is not None]
    low, span = min(pitches), max(max(pitches) - min(pitches), 1)
    notes, t = [], start
    for n in motif.notes:
        length = _ticks(n.quarters)
        if t >= end:
            break
        if n.step is not None:
            pitch = ctx.key.pitch(n.step, tonic) + n.alter
            strong = (t - ctx.start_ticks) % ctx.count_ticks == 0
            # Phrases swell towards their high notes; notes on the beat lean a little harder.
            velocity = ctx.velocity(0.55 + 0.25 * (pitch - low) / span + (0.1 if strong else 0.0), t)
            sounding = max(1, min(length * share.numerator // share.denominator, end - t))
            note = ctx.note(part, t, sounding, pitch, velocity)
            if note is not None:
                notes.append(note)
        t += length
    return notes


def line(ctx: SectionContext, rng: random.Random, chords: list[ChordSpan], start: int, length_ticks: int,
         count: int, end_step: int, name: str) -> Motif:
    """A phrase of `count` notes over `length_ticks`: onsets on the 8th grid (16ths when crowded),
    downbeats favoured; a stepwise arch that lands on chord tones on the beat and ends on `end_step`.
    Bright, lively moods may slip a chromatic passing note between two notes a whole tone apart."""
    grid = PPQ // 2 if count * PPQ // 2 <= length_ticks else PPQ // 4
    slots = max(1, length_ticks // grid)
    count = max(1, min(count, slots))
    weights = [3 if (k * grid) % ctx.count_ticks == 0 else 1 for k in range(1, slots)]
    onsets = [0] + sorted(_weighted_sample(rng, list(range(1, slots)), weights, count - 1))
    lengths = [(b - a) * grid for a, b in zip(onsets, onsets[1:])] + [length_ticks - onsets[-1] * grid]
    notes, step = [], rng.choice((0, 2, 4))
    peak = count // 2
    for i, ticks in enumerate(lengths):
        at = onsets[i] * grid
        if i == count - 1:
            step = _nearest(step, end_step)
        elif at % ctx.count_ticks == 0:
            step = _nearest_chord_step(ctx, chords, start + at, step)
        notes.append(MotifNote(step, 0, Fraction(ticks, PPQ)))
        rise = 1 if i < peak else -1
        step = max(-2, min(9, step + rise * rng.choice((1, 1, 2, -1)) ))
    if ctx.mood.valence > 0.3 and ctx.mood.arousal > 0:
        notes = _passing_notes(ctx, rng, notes)
    return Motif(name, "generated", tuple(notes))


def _weighted_sample(rng: random.Random, items: list[int], weights: list[int], k: int) -> list[int]:
    """`k` distinct items, drawn with the given weights."""
    chosen = []
    items, weights = list(items), list(weights)
    for _ in range(min(k, len(items))):
        i = rng.choices(range(len(items)), weights)[0]
        chosen.append(items.pop(i))
        weights.pop(i)
    return chosen


def _nearest(step: int, degree: int) -> int:
    """The step of scale degree `degree` (0-6) closest to `step`."""
    base = step - (step - degree) % 7
    return min((base, base + 7), key=lambda s: abs(s - step))


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
        if (b is not None and abs(b.step - a.step) == 1 and a.quarters >= 1 and rng.random() < 0.3
                and abs(_semis(ctx, b.step) - _semis(ctx, a.step)) == 2):
            direction = 1 if b.step > a.step else -1
            out.append(MotifNote(a.step, 0, a.quarters - Fraction(1, 4)))
            out.append(MotifNote(a.step, direction, Fraction(1, 4)))  # the semitone between, off the scale
        else:
            out.append(a)
    return out


def _semis(ctx: SectionContext, step: int) -> int:
    return ctx.key.pitch(step, 0)
