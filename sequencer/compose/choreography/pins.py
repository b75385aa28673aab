"""Pinned moves and combos: placed exactly where the choreographer put them, or a clear error.

A pin is impossible when it starts off the counted beat, runs past the section's end,
overlaps another pin of the same dancer (or of the group that dances one sequence), asks for
more than the dancer's skill, or starts at a body level the dancer cannot reach in time. The
error points at the pin's line and field in the score.
"""

from dataclasses import dataclass

from ...errors import InputError
from ...moves import LEVELS
from ...score import Pin, Score
from ...timeline import SectionTime
from .options import Option, pinned_options


@dataclass(frozen=True, slots=True)
class PlacedPin:
    pin: Pin
    beat: int                 # counted beat in the section where it starts
    options: tuple[Option, ...]

    @property
    def shortest(self) -> int:
        return min(o.length for o in self.options)

    @property
    def what(self) -> str:
        return f"combo {self.pin.combo}" if self.pin.combo else self.pin.move


def pin_error(score: Score, pin: Pin, problem: str, expected: str | None = None) -> InputError:
    return InputError(problem, file=score.file, line=pin.line, column=pin.column, field=pin.field, expected=expected)


def place_pins(score: Score, laid: SectionTime, pins, dancers: tuple[str, ...]) -> list[PlacedPin]:
    """The pins of one sequence (one dancer, or a group dancing in unison), checked and on the beat grid."""
    lib = score.library
    placed = []
    skills = {d: score.dancer(d).skill for d in dancers}
    for pin in pins:
        if pin.tick:
            raise pin_error(score, pin, f"{pin.at} is between counted beats; moves start on a counted beat",
                            expected="\"BAR:BEAT\" with no tick")
        beat = (pin.bar - 1) * laid.meter.beats_per_bar + (pin.beat - 1)
        options = pinned_options(lib.moves, lib.combos, pin.move, pin.combo)
        placed_pin = PlacedPin(pin, beat, tuple(options))
        hardest = max(m.difficulty for m, _ in options[0].steps)
        too_hard = [d for d in dancers if skills[d] < hardest]
        if too_hard:
            who = too_hard[0]
            group = f" (the {len(dancers)} dancers of this section dance one sequence)" if len(dancers) > 1 else ""
            raise pin_error(score, pin, f"{placed_pin.what} has difficulty {hardest}, above {who}'s skill "
                                        f"{skills[who]}{group}",
                            expected=f"a move of difficulty {skills[who]} or less, or a higher skill in the cast")
        fitting = tuple(o for o in options if beat + o.length <= laid.beats)
        if not fitting:
            raise pin_error(score, pin, f"{placed_pin.what} lasts {placed_pin.shortest} beats from {pin.at} and "
                                        f"runs past the section's end ({laid.beats} counted beats)",
                            expected=f"a start at or before {_position(laid, laid.beats - placed_pin.shortest)}")
        placed.append(PlacedPin(pin, beat, fitting))
    placed.sort(key=lambda p: p.beat)
    for a, b in zip(placed, placed[1:]):
        if b.beat < a.beat + a.shortest:
            raise pin_error(score, b.pin, f"{b.what} at {b.pin.at} overlaps {a.what} pinned at {a.pin.at} "
                                          f"(line {a.pin.line}), which lasts {a.shortest} beats",
                            expected=f"a start {a.shortest} beats or more after {a.pin.at}")
    return [PlacedPin(p.pin, p.beat, tuple(o for o in p.options if p.beat + o.length <= nxt))
            for p, nxt in zip(placed, [q.beat for q in placed[1:]] + [laid.beats])]


def unreachable_error(score: Score, placed: PlacedPin, from_level: str, dancer: str,
                      before: PlacedPin | None = None) -> InputError:
    need = LEVELS[placed.options[0].start]
    where = f"from {from_level}, where {before.what} pinned at {before.pin.at} leaves them," if before \
        else f"from {from_level}"
    return pin_error(score, placed.pin,
                     f"{placed.what} starts {need}, and {dancer} cannot get there {where} "
                     f"with moves that fit before {placed.pin.at}",
                     expected=f"a later position (leave a beat or two for a transition to {need}) "
                              f"or a move that starts {from_level}")


def _position(laid: SectionTime, beat: int) -> str:
    """A counted beat of a section as the score writes it, `BAR:BEAT`."""
    bar, in_bar = divmod(max(beat, 0), laid.meter.beats_per_bar)
    return f"{bar + 1}:{in_bar + 1}"
