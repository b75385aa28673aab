"""Phrasing: a section cut into rounds that follow the music, each with its finishing count.

A round is one, two or four 8-counts (three where the music's phrase is, as in 3/4). The music's
strong hits (breaks, cadences, phrase crashes; not the crash that opens the section) end rounds:
a round's last 8-count holds such a hit where it can, and its finisher lands on the round's
strongest hit, else on count 8 of its last 8-count. Between them, rounds are as long as the mood's `round_counts` allows. A lighter
hit inside a round (a band stab) is where the dancer drops: a suicide as the go-down lands on
it. A remainder shorter than an 8-count joins the round before it.
"""

import random
from dataclasses import dataclass

from .arc import round_energies

ROUND_EIGHTS = (4, 3, 2, 1)  # round lengths in 8-counts, longest first
STRONG = 2                # hits at least this strong end a round
DROP_ENTRY = 6            # counts of entry before a drop at the earliest
DROP_FLOOR = 8            # counts of floor work after a drop at the least
HIT_HOLD = 4              # a round finishing on count 1 holds and gets up until count 5


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """One round of a section, in counted beats from the section's start."""

    start_counts: int
    end_counts: int
    finish_counts: int | None  # where the finisher's hit lands (section count); None: only standing
    energy: float
    variant: int
    support_counts: int = 0    # counts at the start danced standing while a partner has the floor
    drop_counts: int | None = None  # a light hit inside the round where the go-down may land

    @property
    def length_counts(self) -> int:
        return self.end_counts - self.start_counts


def round_bounds(counts: int, hit_counts: list[int], max_eights: int) -> list[tuple[int, int, int]]:
    """(start, end, finish) of each round of a section of `counts` counts with hits at `hit_counts`
    (counted beats, strength order: strongest first)."""
    eights = max(counts // 8, 1)
    # a hit on count 1 of an 8-count ends the round before it (which then holds into it)
    ends_at = sorted({min(h // 8 - (h % 8 == 0), eights - 1) for h in hit_counts if 0 < h < counts})
    if not ends_at or ends_at[-1] != eights - 1:
        ends_at.append(eights - 1)
    rounds, start = [], 0
    for last in ends_at:
        for size in _split(last + 1 - start, max(max_eights, 1)):
            rounds.append((start, start + size))
            start += size
    bounds = []
    for k, (a, b) in enumerate(rounds):
        s, e = a * 8, (b * 8 if k < len(rounds) - 1 else counts)
        inside = [h for h in hit_counts if (b - 1) * 8 <= h < e and h > s]
        finish = inside[0] if inside else min(b * 8, counts) - 1
        bounds.append([s, e, finish])
    for before, after in zip(bounds, bounds[1:]):  # a hit on the next round's count 1 finishes this one
        if after[0] in hit_counts and after[1] - after[0] >= 8 + HIT_HOLD:
            before[1], before[2] = after[0] + HIT_HOLD, after[0]
            after[0] += HIT_HOLD
    return [tuple(b) for b in bounds]


def _split(eights: int, longest: int) -> list[int]:
    """A stretch of 8-counts between two hits as rounds: as few as can be, none of one 8-count
    where that can be helped (three 8-counts, a phrase in 3/4, stay one round)."""
    sizes = [n for n in ROUND_EIGHTS if n <= longest]
    best: list[list[int] | None] = [[]] + [None] * eights
    for n in range(1, eights + 1):
        options = [best[n - k] + [k] for k in sizes if k <= n and best[n - k] is not None]
        best[n] = min(options, key=lambda parts: (len(parts), parts.count(1), [-p for p in parts]))
    return best[eights]


def plan_rounds(counts: int, hits: list[tuple[int, int]], max_eights: int, energy: int, previous_energy,
                seed_text: str) -> list[RoundPlan]:
    """The rounds of a section of `counts` counts; `hits` are (counted beat, strength) of the music's hits."""
    ordered = [b for b, _ in sorted(hits, key=lambda h: (-h[1], -h[0])) if _ >= STRONG]
    bounds = round_bounds(counts, ordered, max_eights)
    energies = round_energies(energy, previous_energy, len(bounds))
    rng = random.Random(seed_text)
    light = sorted(b for b, strength in hits if strength < STRONG)
    return [RoundPlan(s, e, f, en, rng.randrange(1 << 16),
                      drop_counts=next((h for h in light if s + DROP_ENTRY <= h <= f - DROP_FLOOR), None))
            for (s, e, f), en in zip(bounds, energies)]


def turn_rounds(plans: list[RoundPlan], music: list[tuple[int, int]], dancer: int, dancers: int,
                turn_counts: int = 8) -> list[RoundPlan]:
    """Call-response and duet: the floor passes every `turn_counts` counts; dancer number `dancer`
    has every `dancers`-th turn. Each of its rounds is the standing support since its last turn
    plus its own turn on the floor, finishing on the turn's strongest hit or its last count; a hit
    on the last count before its turn or on its first is where it drops to the floor."""
    counts = plans[-1].end_counts
    starts = list(range(0, counts, turn_counts))
    if len(starts) > 1 and counts - starts[-1] < turn_counts:
        starts.pop()
    spans = list(zip(starts, starts[1:] + [counts]))
    ordered = [b for b, _ in sorted(music, key=lambda h: (-h[1], -h[0]))]
    rounds, at = [], 0
    for k, (a, b) in enumerate(spans):
        if k % dancers != dancer:
            continue
        source = next(p for p in plans if p.start_counts <= a < p.end_counts)
        finish = next((h for h in ordered if a < h < b), b - 1)
        drop = next((h for h in (a - 1, a) if h in ordered and h - at >= 2), None) if a > at else None
        rounds.append(RoundPlan(at, b, finish, source.energy, source.variant, a - at, drop))
        at = b
    if at < counts:
        source = next(p for p in plans if p.start_counts <= at < p.end_counts)
        rounds.append(RoundPlan(at, counts, None, source.energy, source.variant, counts - at))
    return rounds
