"""Where a dancer must land a hit: accent strength on every counted beat of one dancer's section.

Each round's finishing count is a must (FINISH): the round's finisher lands there. A light hit
where the round plans its drop is expected (DROP): a suicide goes down on it. The music's other
hits inside a round are a chance (MUSIC) for at most one more freeze, suicide or blow-up; the
crash that opens the section starts the motion and is no place to stop.
"""

from ...performance import Hit
from ...timeline import SectionTime
from .phrasing import RoundPlan

MUSIC, DROP, FINISH = 2, 3, 4


def music_hit_counts(laid: SectionTime, index: int, hits: tuple[Hit, ...] | list[Hit]) -> list[tuple[int, int]]:
    """(counted beat, strength) of the music's hits in the section at `index`, but its opening crash."""
    counts, count_ticks = laid.counts, laid.meter.count_ticks
    found = []
    for hit in hits:
        if hit.section != index or not laid.start_ticks < hit.at_ticks < laid.end_ticks:
            continue
        b = min((hit.at_ticks - laid.start_ticks + count_ticks // 2) // count_ticks, counts - 1)
        if b > 0:
            found.append((b, int(hit.strength)))
    return found


def dancer_accents(counts: int, rounds: list[RoundPlan], music: list[tuple[int, int]]) -> list[int]:
    """Accent strength (0 = none) of each counted beat for a dancer whose rounds are `rounds`."""
    strength = [0] * counts
    for b, _ in music:
        strength[b] = MUSIC
    for plan in rounds:
        if plan.drop_counts is not None:
            strength[plan.drop_counts] = DROP
        if plan.finish_counts is not None:
            strength[plan.finish_counts] = FINISH
    return strength
