"""Phrasing: a section cut into rounds, each with its target energy and its seeded template choice.

A round is one phrase of `round_counts` 8-counts (four by default); a short remainder joins
the round before it. A duet partner phrases half a round later than the lead.
"""

import random
from dataclasses import dataclass

from ...moves import MoodRules
from ...score import Score
from .arc import round_energies


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """One round of a section: where it sits, how hard it goes, which template it follows."""

    start: int
    end: int
    energy: float
    variant: int


def round_bounds(beats: int, round_beats: int, offset: int = 0) -> list[tuple[int, int]]:
    """Rounds of `round_beats` counted beats (after a first one of `offset` beats, if given);
    a short remainder joins the round before it."""
    starts = sorted({0} | set(range(offset, beats, round_beats)))
    if len(starts) > 1 and beats - starts[-1] < round_beats // 2:
        starts.pop()
    return [(s, e) for s, e in zip(starts, starts[1:] + [beats])]


def partner_rounds(plans: list[RoundPlan]) -> list[RoundPlan]:
    """A duet partner's rounds: shifted by half a round, so one goes down while the other is up."""
    beats = plans[-1].end
    half = (plans[0].end - plans[0].start) // 2 if len(plans) > 1 else beats // 2
    if half < 8:
        return plans
    shifted = []
    for s, e in round_bounds(beats, plans[0].end - plans[0].start, half):
        source = next((p for p in plans if p.start <= s < p.end), plans[-1])
        shifted.append(RoundPlan(s, e, source.energy, source.variant + 1))
    return shifted


def plan_rounds(score: Score, index: int, rules: MoodRules, energy: int, previous_energy) -> list[RoundPlan]:
    """The rounds of section `index` with their target energy and (seeded) template choice."""
    section = score.sections[index]
    beats = section.bars * section.meter.beats_per_bar
    bounds = round_bounds(beats, rules.round_counts * 8)
    energies = round_energies(energy, previous_energy, len(bounds))
    rng = random.Random(f"{score.seed}:{index}:rounds")
    return [RoundPlan(s, e, en, rng.randrange(1 << 16)) for (s, e), en in zip(bounds, energies)]
