"""The search: fill a stretch of counted beats with moves, exactly, at the lowest cost.

A `Segment` is one round (or a few rounds joined by a pin that crosses them): per beat, the
categories a move may start with (the round's grammar), how far a free move may run, the
accent strength (the round's finishing count, the music's other hits), and the pinned options.
Dynamic programming over (beat, body level) gives the cheapest cost to finish from every state;
a forward walk then picks, move by move, the option whose cost plus cost-to-go plus the dancer's
own costs (variety, follow rules, a seeded jitter) is lowest. Every choice keeps the rest of the
segment feasible, so coverage and level continuity hold by construction.
"""

from dataclasses import dataclass

from ...moves import LEVELS
from .options import Option, Palette

INF = float("inf")
# By accent strength (accents.py: 0 none, 2 a music hit, 4 a round's finishing count): the cost of
# running through an accent without a hit, and the reward for landing one there.
MISS_COST = (0.0, 0.15, 1.8, 8.0, 40.0)
HIT_REWARD = (0.0, 0.5, 1.2, 2.2, 3.0)
OFF_ACCENT = 25.0   # a finisher whose hit lands nowhere near the music
COPY_BONUS = 6.0     # doing the lead's move where a copying dancer should
CHOICES = 14         # … and at most this many of the cheapest
CHOICE_WINDOW = 10.0  # the walk weighs the dancer's own costs for options this close to the best


@dataclass(frozen=True, slots=True)
class Segment:
    """What the search must fill: `length` counted beats and the constraints on each."""

    length_counts: int
    allowed: tuple[frozenset, ...]   # categories a free move may start with, per beat
    limit: tuple[int, ...]           # a free move starting at beat t ends at or before limit[t]
    accents: tuple[int, ...]         # accent strength per beat
    pins: dict                        # beat → options the choreographer pinned there
    prefer: dict | None = None        # beat → (move or combo, length) worth COPY_BONUS there (canon, unison)

    def key(self):
        """Cache key for segments without pins or preferences."""
        if self.pins or self.prefer:
            return None
        return (self.length_counts, self.allowed, self.limit, self.accents)


def _base(scored):
    return scored[0]


class Unreachable(Exception):
    """No way to fill the segment from the given level (a pin asks for the impossible)."""


def _accent_tables(segment: Segment):
    miss = [0.0]
    for strength in segment.accents:
        miss.append(miss[-1] + MISS_COST[strength])
    land = [-(MISS_COST[s] + HIT_REWARD[s]) if s else OFF_ACCENT for s in segment.accents]
    return miss, land


def _free(palette: Palette, which: str, level: int, t: int, segment: Segment, land, values, miss, wish):
    """(cost, option) for every free option that may start at beat t from `level` and fit, shortest first:
    its category is in the round's grammar there, or it is a hit landing on accents. The cost counts the
    accents it runs through, its hits, the cost-to-go after it and the bonus for the move a copy wishes."""
    room, allowed = segment.limit[t] - t, segment.allowed[t]
    free, hits_only = palette.usable(which, level, allowed)
    miss_t = miss[t]
    found = []
    for opt in free:
        length = opt.length_counts
        if length > room:
            break
        end = t + length
        after = values[end][opt.end]
        if after == INF:
            continue
        hits = opt.hit_counts
        if not hits:
            extra = 0.0
        elif len(hits) == 1:
            extra = land[t + hits[0]]
        else:
            extra = sum([land[t + h] for h in hits])
        cost = opt.cost + miss[end] - miss_t + extra + after
        found.append((cost - COPY_BONUS if wish is not None and wish == (opt.key, length) else cost, opt))
    if "footwork" in allowed:
        accents = segment.accents
        for opt in hits_only:
            length = opt.length_counts
            if length > room:
                break
            hits = opt.hit_counts
            if not all(accents[t + h] for h in hits):
                continue
            end = t + length
            after = values[end][opt.end]
            if after == INF:
                continue
            cost = opt.cost + miss[end] - miss_t + sum([land[t + h] for h in hits]) + after
            found.append((cost - COPY_BONUS if wish is not None and wish == (opt.key, length) else cost, opt))
    return found


def cost_to_go(segment: Segment, palette: Palette, terminal=None) -> list[list[float]]:
    """values[t][level]: the cheapest cost of filling beats t… of the segment, standing at `level`.

    `terminal` is the cost of ending at each level (the next segment's cost-to-go when that
    one starts with a pin); by default every level is a fine place to end.
    """
    n, levels = segment.length_counts, len(LEVELS)
    miss, land = _accent_tables(segment)
    values = [[INF] * levels for _ in range(n)] + [list(terminal) if terminal is not None else [0.0] * levels]
    pins, prefer = segment.pins, segment.prefer
    for t in range(n - 1, -1, -1):
        row = values[t]
        pinned = pins.get(t)
        wish = prefer.get(t) if prefer else None
        for level in range(levels):
            if not pinned:
                found = _free(palette, "search", level, t, segment, land, values, miss, wish)
                row[level] = min([cost for cost, _ in found]) if found else INF
                continue
            best = INF
            for opt, extra in _pinned_at(pinned, level, t, land):
                end = t + opt.length_counts
                if end > n:
                    continue
                after = values[end][opt.end]
                if after == INF:
                    continue
                cost = opt.cost + miss[end] - miss[t] + extra + after
                if wish is not None and wish == (opt.key, opt.length_counts):
                    cost -= COPY_BONUS
                if cost < best:
                    best = cost
            row[level] = best
    return values


def _pinned_at(pinned, level: int, t: int, land):
    """(option, accent bonus) pairs of the pin at beat `t` that start at `level`."""
    return [(o, sum(land[t + h] for h in o.hit_counts)) for o in pinned if o.start == level]


def walk(segment: Segment, palette: Palette, values, level: int, dancer) -> list[tuple[int, Option]]:
    """Choose the moves of the segment from `level`; `dancer.extra(t, opt)` adds the dancer's own costs
    and `dancer.chose(t, opt)` is told each choice."""
    if values[0][level] == INF:
        raise Unreachable()
    n = segment.length_counts
    miss, land = _accent_tables(segment)
    chosen, t = [], 0
    pins, prefer = segment.pins, segment.prefer
    extra_of, told = dancer.extra, dancer.chose
    while t < n:
        pinned = pins.get(t)
        wish = prefer.get(t) if prefer else None
        if not pinned:
            scored = _free(palette, "choose", level, t, segment, land, values, miss, wish)
        else:
            scored = []
            for opt, extra in _pinned_at(pinned, level, t, land):
                end = t + opt.length_counts
                if end > n or values[end][opt.end] == INF:
                    continue
                base = opt.cost + miss[end] - miss[t] + extra + values[end][opt.end]
                scored.append((base - COPY_BONUS if wish == (opt.key, opt.length_counts) else base, opt))
        scored.sort(key=_base)
        ceiling = scored[0][0] + CHOICE_WINDOW
        best, pick = INF, None
        for base, opt in scored[:CHOICES]:
            if base > ceiling:
                continue
            total = base + extra_of(t, opt)
            if total < best:
                best, pick = total, opt
        chosen.append((t, pick))
        told(t, pick)
        t += pick.length_counts
        level = pick.end
    return chosen
