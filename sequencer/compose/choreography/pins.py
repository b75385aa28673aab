"""Pinned moves and combos: checked all at once before composing, then placed on the count grid.

A pin is impossible when it starts between counts, runs past the section's end, overlaps another
pin of the same dancer, asks for more than the dancer's skill, or starts at a body level the
dancer cannot reach in the counts before it. `pin_problems` lists every such pin, each pointing
at its line:column in the score, without composing; `place_pins` turns a section's pins into
the options the search must take, per dancer.
"""

from dataclasses import dataclass

from ...errors import InputError, InputErrors
from ...moves import LEVELS
from ...score import Pin, Score
from .options import LEVEL_INDEX, Option, pinned_options

INF = 10 ** 9


@dataclass(frozen=True, slots=True)
class PlacedPin:
    pin: Pin
    start_counts: int          # counted beat in the section where it starts
    options: tuple[Option, ...]

    @property
    def shortest_counts(self) -> int:
        return min(o.length_counts for o in self.options)

    @property
    def what(self) -> str:
        return f"combo {self.pin.combo}" if self.pin.combo else self.pin.move


def pin_error(score, pin: Pin, problem: str, expected: str | None = None) -> InputError:
    """An error pointing at the pin in the score file (`score`: the Score or its ShowPlan)."""
    return InputError(problem, file=score.file, line=pin.line, column=pin.column, field=pin.field, expected=expected)


def section_counts(section) -> int:
    return section.bars * section.meter.counts_per_bar


def pins_of(section, dancer: str) -> list[Pin]:
    """The pins a dancer dances in a section: their own, and those without a dancer (unison)."""
    return [p for p in section.pins if p.dancer in (dancer, None)]


def _placed(lib, section, pin: Pin) -> PlacedPin:
    start = (pin.bar - 1) * section.meter.counts_per_bar + (pin.beat - 1)
    return PlacedPin(pin, start, tuple(pinned_options(lib.moves, lib.combos, pin.move, pin.combo, pin.hold_counts)))


def place_pins(section, library, dancer: str) -> list[PlacedPin]:
    """One dancer's pins in a section (a `SectionPlan`, its pins already checked by `pin_problems`),
    in order, each keeping only the lengths that end before the next pin and the section's end."""
    placed = sorted((_placed(library, section, p) for p in pins_of(section, dancer)), key=lambda p: p.start_counts)
    ends = [q.start_counts for q in placed[1:]] + [section_counts(section)]
    return [PlacedPin(p.pin, p.start_counts, tuple(o for o in p.options if p.start_counts + o.length_counts <= end))
            for p, end in zip(placed, ends)]


def level_distances(moves: dict, skill: int) -> list[list[int]]:
    """Fewest counts to get from one body level to another with moves up to `skill`."""
    n = len(LEVELS)
    dist = [[0 if a == b else INF for b in range(n)] for a in range(n)]
    for move in moves.values():
        if move.difficulty <= skill:
            a, b = LEVEL_INDEX[move.start_level], LEVEL_INDEX[move.end_level]
            dist[a][b] = min(dist[a][b], move.min_counts)
    for k in range(n):
        for a in range(n):
            for b in range(n):
                dist[a][b] = min(dist[a][b], dist[a][k] + dist[k][b])
    return dist


def pin_problems(score: Score) -> list[InputError]:
    """Every impossible pin of the score, each once, in score order."""
    errors: dict[int, InputError] = {}
    skills = {d.name: d.skill for d in score.cast}
    distances: dict[int, list[list[int]]] = {}
    previous_dancers: tuple[str, ...] = ()
    for section in score.sections:
        counts = section_counts(section)
        for dancer in section.dancers:
            skill = skills[dancer]
            dist = distances.get(skill)
            if dist is None:  # once per skill (setdefault would compute it for every dancer of every section)
                dist = distances[skill] = level_distances(score.library.moves, skill)
            # where the dancer starts: standing when they walk on, else wherever the last section left them
            start_levels = [LEVEL_INDEX["standing"]] if dancer not in previous_dancers else range(len(LEVELS))
            at, levels = 0, list(start_levels)
            before = None
            for placed in sorted((_placed(score.library, section, p) for p in pins_of(section, dancer)),
                                 key=lambda p: p.start_counts):
                pin, key = placed.pin, id(placed.pin)
                problem = _problem(score, placed, before, at, levels, dist, dancer, skill, counts)
                if problem and key not in errors:
                    errors[key] = pin_error(score, pin, *problem)
                if placed.start_counts >= at:
                    at = placed.start_counts + placed.shortest_counts
                    levels = [placed.options[0].end]
                    before = placed
        previous_dancers = section.dancers
    return sorted(errors.values(), key=lambda e: (e.line or 0, e.column or 0))


def _problem(score, placed: PlacedPin, before, at, levels, dist, dancer, skill, counts):
    pin, start = placed.pin, placed.start_counts
    if pin.tick:
        return (f"{pin.at} is between counted beats; moves start on a counted beat",
                "\"BAR:BEAT\" with no tick, or eight: E, count: C without 'and'")
    hardest = max(m.difficulty for m, _ in placed.options[0].steps)
    if hardest > skill:
        return (f"{placed.what} has difficulty {hardest}, above {dancer}'s skill {skill}",
                f"a move of difficulty {skill} or less, or a higher skill in the cast")
    if start + placed.shortest_counts > counts:
        last = _position(counts - placed.shortest_counts)
        return (f"{placed.what} lasts {placed.shortest_counts} counts from {pin.at} and runs past the section's "
                f"end ({counts} counted beats)", f"a start at or before {last}, or a shorter hold")
    if before is not None and start < at:
        return (f"{placed.what} at {pin.at} overlaps {before.what} pinned at {before.pin.at} (line {before.pin.line}), "
                f"which lasts {before.shortest_counts} counts", f"a start {before.shortest_counts} counts or more "
                f"after {before.pin.at}")
    need = placed.options[0].start
    gap = start - at
    unreachable = [lv for lv in levels if dist[lv][need] > gap]
    if unreachable:
        frm = LEVELS[unreachable[0]]
        where = f"from {frm}, where {before.what} pinned at {before.pin.at} leaves them," if before \
            else f"from {frm}" + (", where the last section may leave them," if len(levels) > 1 else "")
        return (f"{placed.what} starts {LEVELS[need]}, and {dancer} cannot get there {where} with moves that fit "
                f"before {pin.at}", f"a later position (leave a count or two for a transition to {LEVELS[need]}) "
                f"or a move that starts {frm}")
    return None


def _position(count: int) -> str:
    """A counted beat of a section as the choreographer counts it: 8-count and count."""
    eight, c = divmod(max(count, 0), 8)
    return f"8-count {eight + 1}, count {c + 1}"


def check_pins(score: Score) -> None:
    """Raise every impossible pin of the score at once."""
    problems = pin_problems(score)
    if problems:
        raise InputErrors(problems) if len(problems) > 1 else problems[0]
