"""Leitmotifs drafted for a story's characters: a two-bar theme from the character's own words and first mood.

The mood sets the shape (a pleasant one climbs and comes home to the tonic, an unpleasant one
falls and stops on an open degree; an excited one moves in short notes, a calm one in long
ones); the words the story says around the character choose the steps, so two characters in
the same mood still get different themes. Same words and mood → same theme, always.
"""

import zlib
from dataclasses import dataclass
from fractions import Fraction

THEME_QUARTERS = 8  # two bars of 4/4, in quarter notes
_RISING = (1, 2, -1, 1, 3, -2, 1)
_FALLING = (-1, -2, 1, -1, -3, 2, -1)
_QUICK = (Fraction(1, 2), Fraction(1, 2), Fraction(1, 4), Fraction(1, 4), Fraction(1))
_EVEN = (Fraction(1), Fraction(1, 2), Fraction(1, 2), Fraction(1))
_SLOW = (Fraction(2), Fraction(1), Fraction(3, 2), Fraction(1))
LOWEST_STEP, HIGHEST_STEP = -3, 9


@dataclass(frozen=True, slots=True)
class Theme:
    """A drafted leitmotif as the score writes it inline: who it is for, and its notes."""

    description: str
    notes: str


def story_theme(words: list[str], valence: float, arousal: float) -> str:
    """Motif notes ("1:1/2 3:1 …", scale degrees and quarter-note beats) filling two 4/4 bars."""
    seeds = [zlib.crc32(w.encode("utf-8")) for w in words] or [zlib.crc32(b"theme")]
    steps_from = _RISING if valence >= 0 else _FALLING
    cells = _QUICK if arousal > 0.3 else _SLOW if arousal < -0.3 else _EVEN
    step = 0 if valence >= 0 else 4
    notes: list[tuple[int, Fraction]] = []
    left = Fraction(THEME_QUARTERS)
    i = 0
    while left > 2:
        seed = seeds[i % len(seeds)] >> (i // len(seeds))
        quarters = min(cells[seed % len(cells)], left - 2)
        notes.append((step, quarters))
        step = min(max(step + steps_from[seed % len(steps_from)], LOWEST_STEP), HIGHEST_STEP)
        left -= quarters
        i += 1
    final = (7 if step > 3 else 0) if valence >= 0 else (1 if step > -1 else -3)  # home, or an open degree
    notes.append((final, left))
    return " ".join(f"{_degree(s)}:{_quarters(b)}" for s, b in notes)


def _degree(step: int) -> str:
    degree = step % 7 + 1
    return f"{degree}'" if step >= 7 else f"{degree}," if step < 0 else str(degree)


def _quarters(quarters: Fraction) -> str:
    return str(quarters.numerator) if quarters.denominator == 1 else f"{quarters.numerator}/{quarters.denominator}"
