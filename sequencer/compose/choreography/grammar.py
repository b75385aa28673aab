"""Breaking's round grammar laid onto beats: which categories may start a move at each count.

A template (from `choreo/rules.yaml`) lists stages in order, e.g. toprock → go-down → footwork →
power → freeze, each with a share of the round. It is scaled to the round's real length; a
stage whose categories the round may not use (a power stage below the power energy, a
forbidden category) falls back to footwork, and transitions may start anywhere.
"""

from ...moves import Stage

FALLBACK = {"power": "footwork", "blowup": "freeze", "suicide": "godown", "godown": "transition"}


def stage_bounds(template: tuple[Stage, ...], length: int) -> list[tuple[int, int, Stage]]:
    """(start, end, stage) of each stage scaled to `length` beats; stages that shrink to nothing vanish."""
    total = sum(s.beats for s in template)
    bounds, done, start = [], 0, 0
    for stage in template:
        done += stage.beats
        end = round(done * length / total)
        if end > start:
            bounds.append((start, end, stage))
        start = max(start, end)
    return bounds


def layout(template: tuple[Stage, ...], length: int, categories: frozenset) -> list[frozenset]:
    """The categories a free move may start with at each beat of a round of `length` beats."""
    allowed = [frozenset()] * length
    for start, end, stage in stage_bounds(template, length):
        cats = {_usable(c, categories) for c in stage.categories} | {"transition"}
        cats = frozenset(c for c in cats if c in categories) or frozenset({"transition"})
        for t in range(start, end):
            allowed[t] = cats
    return allowed


def _usable(category: str, categories: frozenset) -> str:
    seen = set()
    while category not in categories and category in FALLBACK and category not in seen:
        seen.add(category)
        category = FALLBACK[category]
    if category not in categories:
        return "footwork" if "footwork" in categories else "toprock"
    return category

