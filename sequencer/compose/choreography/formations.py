"""Formations: how the dancers of a section share the work of its rounds.

Each formation becomes one `Role` per dancer; every dancer gets their own search, so each
keeps their own level continuity and pins. Unison and mirror: the others copy the lead's
moves at the same counts (mirror on the other side for every second dancer); canon: each
copies the lead `offset_counts` counts later than the one before; a group that copies is capped
by its least skilled dancer, so everyone can do the moves. Call-and-response: dancers take
turns to call a round while the others answer with toprock. Duet: the second dancer steers
away from the partner's category at the same moment, so one is up while the other is down.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Role:
    """One dancer's part in a section's formation."""

    dancer: str
    mirrored: bool = False            # mirror: dances the lead's sequence on the other side
    answers: frozenset = frozenset()  # call-and-response: rounds this dancer answers instead of calling
    follows: int | None = None        # unison, mirror, canon: index of the role whose moves it copies
    offset_beats: int = 0             # canon: how many counts later it copies
    partner: int | None = None        # duet: index of the role it complements
    variant_shift: int = 0            # picks another round template than the lead's
    shared_skill: bool = False        # a group copying one sequence is capped by its least skilled dancer


def roles(formation: str, dancers: tuple[str, ...], offset_counts: int, rounds: int) -> list[Role]:
    """The roles of a section's formation; a role only depends on roles before it in the list."""
    if formation == "solo" or len(dancers) == 1:
        return [Role(d) for d in dancers]
    if formation in ("unison", "mirror"):
        mirror = formation == "mirror"
        return [Role(dancers[0], shared_skill=True)] + [
            Role(d, mirrored=mirror and k % 2 == 1, follows=0, shared_skill=True) for k, d in enumerate(dancers[1:], 1)]
    if formation == "canon":
        return [Role(dancers[0], shared_skill=True)] + [
            Role(d, follows=0, offset_beats=k * offset_counts, shared_skill=True) for k, d in enumerate(dancers[1:], 1)]
    if formation == "call-response":
        return [Role(d, answers=frozenset(r for r in range(rounds) if r % len(dancers) != k))
                for k, d in enumerate(dancers)]
    if formation == "duet":
        return [Role(dancers[0])] + [Role(d, partner=0, variant_shift=1) for d in dancers[1:]]
    raise ValueError(f"unknown formation {formation!r}")
