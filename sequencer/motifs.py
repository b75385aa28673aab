"""Leitmotifs: short themes written in YAML as scale degrees (or note names) with beats, and
the transformations a mood applies to them.

A motif is stored as diatonic steps from the tonic (0 = degree 1, 7 = degree 1 an octave up), so
it can be played in any key and mode and keep its contour: the sequence of step intervals. The
transformations are pure functions Motif → Motif, listed once in the `TRANSFORMS` table.
Lengths are in quarter notes (`quarters`), whatever the meter counts.
"""

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction

from .errors import did_you_mean
from .scales import MODE_STEPS, PITCH_CLASS
from .validate import Checker, describe

MIN_QUARTERS = Fraction(1, 8)


@dataclass(frozen=True, slots=True)
class MotifNote:
    """One note of a motif: a diatonic step (None for a rest), a chromatic alteration and a length."""

    step: int | None
    alter: int
    quarters: Fraction


@dataclass(frozen=True, slots=True)
class Motif:
    name: str
    description: str
    notes: tuple[MotifNote, ...]

    @property
    def length_quarters(self) -> Fraction:
        return sum((n.quarters for n in self.notes), Fraction(0))

    @property
    def pitched(self) -> tuple[MotifNote, ...]:
        return tuple(n for n in self.notes if n.step is not None)

    @property
    def span_steps(self) -> int:
        steps = [n.step for n in self.pitched]
        return max(steps) - min(steps) if steps else 0


def contour(motif: Motif) -> tuple[int, ...]:
    """The step intervals between successive pitched notes: what makes a theme recognisable."""
    steps = [n.step for n in motif.notes if n.step is not None]
    return tuple(b - a for a, b in zip(steps, steps[1:]))


# -- transformations -------------------------------------------------------------------------
def transpose(motif: Motif, steps: int) -> Motif:
    """Move the theme up or down the scale by `steps` (a diatonic sequence)."""
    return _map_steps(motif, lambda s: s + steps)


def invert(motif: Motif) -> Motif:
    """Mirror every interval around the first note."""
    first = next((n.step for n in motif.notes if n.step is not None), 0)
    return _map_steps(motif, lambda s: 2 * first - s)


def retrograde(motif: Motif) -> Motif:
    """Play the theme backwards."""
    return replace(motif, notes=tuple(reversed(motif.notes)))


def augment(motif: Motif, factor=2) -> Motif:
    """Longer notes: the theme at half speed."""
    return replace(motif, notes=tuple(replace(n, quarters=n.quarters * factor) for n in motif.notes))


def diminish(motif: Motif, factor=2) -> Motif:
    """Shorter notes (never below a 32nd), the theme at double speed."""
    return replace(motif, notes=tuple(replace(n, quarters=max(n.quarters / factor, MIN_QUARTERS)) for n in motif.notes))


def octave(motif: Motif, octaves: int) -> Motif:
    return transpose(motif, 7 * octaves)


def fragment(motif: Motif) -> Motif:
    """The head of the theme: its first half by time, at least two pitched notes."""
    half, total, kept, pitched = motif.length_quarters / 2, Fraction(0), [], 0
    for note in motif.notes:
        if total >= half and pitched >= 2:
            break
        kept.append(note)
        total += note.quarters
        pitched += note.step is not None
    return replace(motif, notes=tuple(kept))


def vary_rhythm(motif: Motif, rng: random.Random) -> Motif:
    """Re-cut the rhythm of note pairs (dotting or swapping lengths); pitches and total length stay.
    At least one pair changes when any can, so the variation is always heard."""
    notes = list(motif.notes)
    for i in range(0, len(notes) - 1, 2):
        choice = rng.random()
        if choice < 0.4:
            _dot(notes, i)
        elif choice < 0.7:
            _swap(notes, i)
    if tuple(notes) == motif.notes:
        for i in range(len(notes) - 1):
            if _swap(notes, i) or _dot(notes, i):
                break
    return replace(motif, notes=tuple(notes))


def _dot(notes: list[MotifNote], i: int) -> bool:
    """Two equal notes become long-short (dotted); False when they are not equal or too short."""
    a, b = notes[i], notes[i + 1]
    if a.quarters != b.quarters or a.quarters < Fraction(1, 2):
        return False
    notes[i], notes[i + 1] = replace(a, quarters=a.quarters * 3 / 2), replace(b, quarters=b.quarters / 2)
    return True


def _swap(notes: list[MotifNote], i: int) -> bool:
    """Two unequal notes trade lengths; False when they are equal."""
    a, b = notes[i], notes[i + 1]
    if a.quarters == b.quarters:
        return False
    notes[i], notes[i + 1] = replace(a, quarters=b.quarters), replace(b, quarters=a.quarters)
    return True


@dataclass(frozen=True, slots=True)
class Transform:
    """One way a mood changes a theme: the function, and whether the interval contour survives it."""

    function: Callable[[Motif, random.Random], Motif]
    keeps_contour: bool  # the step intervals stay (fragment keeps them as a prefix)
    develops: bool  # contour or rhythm changes: a return sounds developed, not only moved


# The one table of motif transformations; moods name them, the melody applies them.
TRANSFORMS: dict[str, Transform] = {
    "transpose": Transform(lambda m, rng: transpose(m, rng.choice((2, 4, -3))), True, False),
    "invert": Transform(lambda m, rng: invert(m), False, True),
    "retrograde": Transform(lambda m, rng: retrograde(m), False, True),
    "augment": Transform(lambda m, rng: augment(m), True, True),
    "diminish": Transform(lambda m, rng: diminish(m), True, True),
    "fragment": Transform(lambda m, rng: fragment(m), True, True),
    "vary-rhythm": Transform(vary_rhythm, True, True),
    "octave-up": Transform(lambda m, rng: octave(m, 1), True, False),
    "octave-down": Transform(lambda m, rng: octave(m, -1), True, False),
}
KEEPS_CONTOUR = tuple(name for name, t in TRANSFORMS.items() if t.keeps_contour)
DEVELOPING = tuple(name for name, t in TRANSFORMS.items() if t.develops)


def apply(motif: Motif, transform: str, rng: random.Random) -> Motif:
    """Apply one of `TRANSFORMS` by name."""
    if transform not in TRANSFORMS:
        raise ValueError(f"unknown transformation {transform!r}")
    return TRANSFORMS[transform].function(motif, rng)


def _map_steps(motif: Motif, fn) -> Motif:
    return replace(motif, notes=tuple(n if n.step is None else replace(n, step=fn(n.step)) for n in motif.notes))


# -- reading ---------------------------------------------------------------------------------
_TOKEN = re.compile(r"^(?P<pitch>[^:]+):(?P<quarters>\d+(?:/\d+|\.\d+)?)$")
_DEGREE = re.compile(r"^(?P<alter>[b#]?)(?P<degree>[1-7])(?P<marks>'*|,*)$")
_NAME = re.compile(r"^(?P<name>[A-G][b#]?)(?P<octave>-?\d)$")
_FIELDS = {"description", "notes", "key"}
NOTES_HELP = ("space-separated PITCH:BEATS, PITCH a degree 1-7 (b/# to alter, ' up and , down an octave), "
              "a note name like F#4 (with 'key'), or r for a rest; e.g. \"1:1 3:1/2 5:1/2 r:1\"")


def parse_notes(text: str, key_tonic: str = "C", key_mode: str = "major") -> tuple[MotifNote, ...]:
    """Parse a motif's `notes` text; raises ValueError naming the bad token."""
    notes = []
    for i, token in enumerate(str(text).split()):
        match = _TOKEN.match(token)
        if not match:
            raise ValueError(f"note {i + 1} {token!r} is not PITCH:BEATS")
        quarters = Fraction(match["quarters"])
        if quarters <= 0 or quarters > 16 or (quarters * 480).denominator != 1:
            raise ValueError(f"note {i + 1} {token!r} has a length outside 1/480 to 16 beats")
        notes.append(MotifNote(*_parse_pitch(match["pitch"], i, key_tonic, key_mode), quarters))
    if not any(n.step is not None for n in notes):
        raise ValueError("needs at least one pitched note")
    return tuple(notes)


def _parse_pitch(text, i, tonic, mode):
    if text == "r":
        return None, 0
    degree = _DEGREE.match(text)
    if degree:
        octaves = len(degree["marks"]) * (1 if degree["marks"].startswith("'") else -1)
        return int(degree["degree"]) - 1 + 7 * octaves, {"b": -1, "#": 1}.get(degree["alter"], 0)
    name = _NAME.match(text)
    if name and name["name"] in PITCH_CLASS:
        midi = 12 * (int(name["octave"]) + 1) + PITCH_CLASS[name["name"]]
        tonic_midi = 60 + PITCH_CLASS[tonic]
        octave_, semis = divmod(midi - tonic_midi, 12)
        offsets = MODE_STEPS[mode]
        below = max(d for d in range(7) if offsets[d] <= semis)
        return octave_ * 7 + below, semis - offsets[below]
    raise ValueError(f"note {i + 1} pitch {text!r} is neither a degree (1-7, b3, 5', 5,), a note name (F#4) nor r")


def read_motifs(check: Checker, path) -> dict[str, Motif]:
    """Read a mapping of motif id → definition at `path`, reporting every bad entry."""
    data = check.value(path, {})
    if not isinstance(data, dict):
        check.fail(path, f"must be a mapping of motif id → definition, got {describe(data)}")
        return {}
    motifs = {}
    for name in data:
        motif = read_motif(check, tuple(path) + (name,))
        if motif is not None:
            motifs[motif.name] = motif
    return motifs


def read_motif(check: Checker, where) -> Motif | None:
    """Read one motif definition (`notes`, optional `key` and `description`) at `where`."""
    fields = check.mapping(where, _FIELDS, required=("notes",))
    if "notes" not in fields:
        return None
    tonic, mode = "C", "major"
    if "key" in fields:
        key = check.text(where + ("key",))
        parts = (key or "").split(None, 1)
        if len(parts) == 2 and parts[0] in PITCH_CLASS and parts[1] in MODE_STEPS:
            tonic, mode = parts
        elif key is not None:
            check.fail(where + ("key",), f"{key!r} is not a key", expected="e.g. 'D minor' (used to read note names)",
                       hint=did_you_mean(parts[-1], MODE_STEPS) if parts else None)
            return None
    text = check.text(where + ("notes",), max_len=2000)
    if text is None:
        return None
    try:
        notes = parse_notes(text, tonic, mode)
    except ValueError as exc:
        check.fail(where + ("notes",), str(exc), expected=NOTES_HELP)
        return None
    return Motif(str(where[-1]), check.text(where + ("description",), default="", max_len=300), notes)


def load_motifs(source) -> dict[str, Motif]:
    """Load and validate a motif library file (top-level key `motifs`)."""
    check = Checker(source)
    check.mapping((), {"motifs"}, required=("motifs",))
    motifs = read_motifs(check, ("motifs",))
    check.raise_if_any()
    return motifs
