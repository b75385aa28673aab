"""Pitch-class arithmetic: scales, scale steps and roman-numeral chords, without music21.

The composer works in diatonic *steps* (0 = tonic, 7 = the tonic an octave up, -1 = the
seventh below), so a theme written as steps keeps its contour in any key and mode. Everything
here is plain integer arithmetic on the hot path; the numerals follow the usual convention
(upper case major, lower case minor, `°` diminished, `+` augmented, a `b`/`#` prefix counts
from the major scale of the tonic) and are cross-checked against music21 in the tests.
"""

import re
from dataclasses import dataclass
from functools import cache

PITCH_CLASS = {"C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6, "Gb": 6,
               "G": 7, "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11}
NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")

MODE_STEPS = {  # in the order error messages list them
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "harmonic minor": (0, 2, 3, 5, 7, 8, 11),
    "melodic minor": (0, 2, 3, 5, 7, 9, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
}
_MAJOR = MODE_STEPS["major"]


@dataclass(frozen=True, slots=True)
class Scale:
    """A key as pitch-class arithmetic: tonic pitch class and the seven semitone offsets of its mode."""

    tonic_pc: int
    mode: str
    offsets: tuple[int, ...]
    pcs: frozenset

    def pitch(self, step: int, tonic_midi: int) -> int:
        """MIDI pitch of diatonic `step` counted from the tonic at MIDI note `tonic_midi`."""
        octave, degree = divmod(step, 7)
        return tonic_midi + 12 * octave + self.offsets[degree]

    def contains(self, pitch: int) -> bool:
        return pitch % 12 in self.pcs

    def step_of(self, pitch: int, tonic_midi: int) -> int | None:
        """The diatonic step of a scale pitch relative to `tonic_midi`, None when it is off the scale."""
        octave, semis = divmod(pitch - tonic_midi, 12)
        try:
            return octave * 7 + self.offsets.index(semis)
        except ValueError:
            return None

    def tonic_near(self, midi: int) -> int:
        """The MIDI tonic closest to `midi` (the reference octave for steps)."""
        return midi + ((self.tonic_pc - midi + 6) % 12) - 6

    def snap(self, pitch: int) -> int:
        """The nearest scale pitch (ties go down)."""
        for delta in (0, -1, 1, -2, 2):
            if (pitch + delta) % 12 in self.pcs:
                return pitch + delta
        return pitch


@cache
def scale(tonic: str, mode: str) -> Scale:
    """The scale of a key such as ('D', 'minor'); cached, so sections share one object."""
    offsets = MODE_STEPS[mode]
    pc = PITCH_CLASS[tonic]
    return Scale(pc, mode, offsets, frozenset((pc + o) % 12 for o in offsets))


# -- roman numerals --------------------------------------------------------------------------
_NUMERAL = re.compile(r"^(?P<acc>b|#)?(?P<roman>VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)"
                      r"(?P<quality>°|o|dim|\+|aug)?(?P<seventh>maj7|7)?$")
_ROMAN = {"i": 0, "ii": 1, "iii": 2, "iv": 3, "v": 4, "vi": 5, "vii": 6}
_TRIADS = {"major": (0, 4, 7), "minor": (0, 3, 7), "diminished": (0, 3, 6), "augmented": (0, 4, 8)}


@dataclass(frozen=True, slots=True)
class Numeral:
    """A parsed roman numeral: which degree, how it is altered and what chord it builds."""

    figure: str
    degree: int  # 0-6
    accidental: int  # -1, 0, +1; with an accidental the root counts from the major scale
    quality: str
    seventh: int | None  # semitones above the root, or None for a triad


def parse_numeral(figure: str) -> Numeral | None:
    """`'bVII'` → Numeral(degree 6, flat, major); None when the text is not a numeral we know."""
    match = _NUMERAL.match(str(figure).strip())
    if not match:
        return None
    roman = match["roman"]
    quality = {"°": "diminished", "o": "diminished", "dim": "diminished", "+": "augmented",
               "aug": "augmented"}.get(match["quality"] or "", "major" if roman.isupper() else "minor")
    seventh = None
    if match["seventh"] == "maj7":
        seventh = 11
    elif match["seventh"] == "7":
        seventh = 9 if quality == "diminished" else 10
    accidental = {"b": -1, "#": 1}.get(match["acc"] or "", 0)
    return Numeral(figure, _ROMAN[roman.lower()], accidental, quality, seventh)


@cache
def chord_pcs(tonic: str, mode: str, figure: str) -> tuple[int, ...]:
    """Pitch classes of a numeral's chord in a key, root first; cached per key and figure."""
    numeral = parse_numeral(figure)
    if numeral is None:
        raise ValueError(f"{figure!r} is not a roman numeral")
    key = scale(tonic, mode)
    if numeral.accidental:
        root = (key.tonic_pc + _MAJOR[numeral.degree] + numeral.accidental) % 12
    else:
        root = (key.tonic_pc + key.offsets[numeral.degree]) % 12
    intervals = _TRIADS[numeral.quality] + ((numeral.seventh,) if numeral.seventh is not None else ())
    return tuple((root + i) % 12 for i in intervals)


def chord_name(pcs: tuple[int, ...]) -> str:
    """A short chord symbol for root-first pitch classes ('Dm', 'Bb', 'C#°', 'G7')."""
    root = pcs[0]
    third, fifth = (pcs[1] - root) % 12, (pcs[2] - root) % 12
    name = NOTE_NAMES[root] + {(4, 7): "", (3, 7): "m", (3, 6): "°", (4, 8): "+"}.get((third, fifth), "?")
    if len(pcs) > 3:
        name += "maj7" if (pcs[3] - root) % 12 == 11 else "7"
    return name
