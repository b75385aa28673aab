"""Formations: the one table of how the dancers of a section share its time.

Each row names a formation, says how many dancers it takes and how each dancer's `Role` is
built; the score reader, the choreography and the well-formedness rules all read this table.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Role:
    """One dancer's part in a section's formation."""

    dancer: str
    follows: int | None = None   # unison, mirror, canon: index of the role whose moves it copies
    offset_counts: int = 0       # canon: how many counts later it copies
    mirrored: bool = False       # mirror: dances the lead's sequence on the other side
    turn: int | None = None      # call-response, duet: its number in the order of turns on the floor
    capped: bool = False         # mirror: the pair dances one sequence at the weaker dancer's skill


@dataclass(frozen=True, slots=True)
class Formation:
    name: str
    min_dancers: int
    max_dancers: int | None      # None: any number from min_dancers
    text: str                    # what it means, for messages and `sequencer --help`
    roles: Callable[[tuple[str, ...], tuple[int, ...], int], list[Role]]

    def fits(self, dancers: int) -> bool:
        return dancers >= self.min_dancers and (self.max_dancers is None or dancers <= self.max_dancers)

    @property
    def dancers_text(self) -> str:
        """'one dancer', 'two dancers', 'two or more dancers'."""
        low = _WORDS.get(self.min_dancers, str(self.min_dancers))
        noun = "dancer" if self.min_dancers == 1 and self.max_dancers == 1 else "dancers"
        if self.max_dancers == self.min_dancers:
            return f"{low} {noun}"
        return f"{low} or more {noun}"


_WORDS = {1: "one", 2: "two", 3: "three"}


def _strongest_first(dancers: tuple[str, ...], skills: tuple[int, ...]) -> list[int]:
    return sorted(range(len(dancers)), key=lambda k: (-skills[k], k))


def _solo(dancers, skills, offset):
    return [Role(d) for d in dancers]


def _unison(dancers, skills, offset):
    lead, *rest = _strongest_first(dancers, skills)
    return [Role(dancers[lead])] + [Role(dancers[k], follows=0) for k in rest]


def _mirror(dancers, skills, offset):
    return [Role(dancers[0], capped=True)] + [Role(d, follows=0, mirrored=k % 2 == 1, capped=True)
                                              for k, d in enumerate(dancers[1:], 1)]


def _canon(dancers, skills, offset):
    return [Role(dancers[0])] + [Role(d, follows=0, offset_counts=k * offset) for k, d in enumerate(dancers[1:], 1)]


def _turns(dancers, skills, offset):
    return [Role(d, turn=k) for k, d in enumerate(dancers)]


FORMATIONS: dict[str, Formation] = {f.name: f for f in (
    Formation("solo", 1, 1, "one dancer alone", _solo),
    Formation("unison", 2, None, "everyone dances the same moves at the same times; a dancer below a move's "
              "skill dances one of the same length and levels", _unison),
    Formation("mirror", 2, None, "the same moves, every second dancer to the other side", _mirror),
    Formation("canon", 2, None, "each dancer dances the leader's phrase `offset_counts` counts after the one "
              "before, holding a groove until then", _canon),
    Formation("call-response", 2, None, "the floor passes every 8-count; the others hold a groove standing", _turns),
    Formation("duet", 2, 2, "two partners take turns: one up while the other is down", _turns),
)}

NAMES: tuple[str, ...] = tuple(FORMATIONS)


def roles(formation: str, dancers: tuple[str, ...], skills: tuple[int, ...], offset_counts: int) -> list[Role]:
    """The roles of a section's dancers; a role only depends on roles before it in the list."""
    if len(dancers) == 1:
        return _solo(dancers, skills, offset_counts)
    return FORMATIONS[formation].roles(dancers, skills, offset_counts)
