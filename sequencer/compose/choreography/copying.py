"""Copying a leader: unison and canon dancers dance the leader's moves, each at their own skill.

A move above a dancer's skill becomes a substitute of the same length that starts and ends at
the same body levels (same category and hit first, then the hardest the dancer can do), or two
moves that together do, so the group keeps one shape without every dancer being held to the
weakest one's moves.
"""

from ...moves import Move
from .options import LEVEL_INDEX, Option, hit_offsets


def substitute(moves: dict, move: Move, length: int, skill: int) -> Move | None:
    """The move a dancer of `skill` dances in place of `move` held for `length` counts, or None."""
    if move.difficulty <= skill:
        return move
    fits = [m for m in moves.values() if m.start_level == move.start_level and m.end_level == move.end_level
            and m.min_counts <= length <= m.max_counts and m.difficulty <= skill]
    if not fits:
        return None
    return min(fits, key=lambda m: (m.category != move.category, m.accent != move.accent, -m.difficulty,
                                    abs(m.energy - move.energy), m.id))


def substitute_pair(moves: dict, move: Move, length: int, skill: int) -> list[tuple[Move, int]] | None:
    """Two moves of `skill` that together fill `length` counts from `move`'s start level to its end level."""
    best = None
    for first in moves.values():
        if first.start_level != move.start_level or first.difficulty > skill:
            continue
        for n in range(first.min_counts, min(first.max_counts, length - 1) + 1):
            for second in moves.values():
                if second.start_level == first.end_level and second.end_level == move.end_level \
                        and second.difficulty <= skill and second.min_counts <= length - n <= second.max_counts:
                    key = (move.category not in (first.category, second.category),
                           -first.difficulty - second.difficulty, first.id, second.id, n)
                    if best is None or key < best[0]:
                        best = (key, [(first, n), (second, length - n)])
    return best[1] if best else None


def substituted(moves: dict, opt: Option, skill: int) -> Option | None:
    """The option with every step a dancer of `skill` can dance (itself when nothing is above it)."""
    if all(m.difficulty <= skill for m, _ in opt.steps):
        return opt
    steps, hits, at = [], [], 0
    for move, length in opt.steps:
        sub = substitute(moves, move, length, skill)
        pair = [(sub, length)] if sub is not None else substitute_pair(moves, move, length, skill)
        if pair is None:
            return None
        for m, n in pair:
            steps.append((m, n))
            hits.extend(hit_offsets(m, at))
            at += n
    first = steps[0][0]
    key = first.id if len(steps) == 1 else "+".join(m.id for m, _ in steps)
    return Option(key, tuple(steps), opt.length_counts, opt.start, opt.end, first.category, tuple(hits), 0.0, None,
                  opt.pinned)


def copy_moves(moves: dict, lead: list[tuple[int, Option]], skill: int, counts: int, fill=None) -> list | None:
    """The leader's moves that fit before count `counts`, each danceable at `skill`. A move with no
    substitute is filled by `fill(start, end, start level, end level)` (the dancer's own moves
    between the same counts and levels), if given; None if that fails too."""
    copied = []
    for t, opt in _steps_that_fit(lead, counts):
        sub = substituted(moves, opt, skill)
        if sub is not None:
            copied.append((t, sub))
            continue
        own = fill(t, t + opt.length_counts, opt.start, opt.end) if fill else None
        if own is None:
            return None
        copied.extend(own)
    return copied


def _steps_that_fit(lead: list[tuple[int, Option]], counts: int) -> list[tuple[int, Option]]:
    """The leader's options that end by count `counts`; a combo cut by the end is copied step by step."""
    fitting = []
    for t, opt in lead:
        if t + opt.length_counts <= counts:
            fitting.append((t, opt))
            continue
        for move, length in opt.steps:
            if t + length > counts:
                break
            fitting.append((t, Option(move.id, ((move, length),), length, LEVEL_INDEX[move.start_level],
                                      LEVEL_INDEX[move.end_level], move.category, hit_offsets(move), 0.0, None,
                                      opt.pinned)))
            t += length
        break
    return fitting


def join_level(level: int, copied: list, round_end: int, fill, start: int = 0):
    """A dancer at `level` (at count `start`) while the copy starts elsewhere: their own moves up to
    one of the copy's first boundaries (inside its first round) where the levels meet.
    (joined, rest of the copy) or None."""
    for k in range(1, len(copied)):
        t, opt = copied[k]
        if t > round_end:
            break
        joined = fill(start, t, opt.start)
        if joined is not None:
            return joined, copied[k:]
    return None
