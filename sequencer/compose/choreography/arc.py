"""The energy arc: how hard each round of a section should go.

A section starts between the previous section's energy and its own mood's, and builds to a
little above its mood by its last round, so energy follows the mood and flows across sections.
"""


def round_energies(mood_energy: float, previous_energy: float | None, rounds: int) -> list[float]:
    """Target energy (1-5, in quarter steps) of each round of a section."""
    if rounds <= 1:
        return [_quantize(mood_energy)]
    start = (previous_energy + mood_energy) / 2 if previous_energy is not None else mood_energy - 0.5
    end = mood_energy + 0.5
    return [_quantize(start + (end - start) * r / (rounds - 1)) for r in range(rounds)]


def _quantize(energy: float) -> float:
    return min(max(round(energy * 4) / 4, 1.0), 5.0)
