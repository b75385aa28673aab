"""Where dancers stand: the shapes a section may name, their placement, and the `stage:` field's checks.

Positions are (x, y) with x from -1 (stage left) to 1 (stage right) as the audience sees it, and
y from 0 (downstage, at the audience) to 1 (upstage). A section names a shape (`stage: v`) or
gives a position per dancer; without either, its formation and cast choose a shape.
"""

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model side reads the shapes without loading the input side
    from .validate import Checker

MIN_GAP = 0.1  # closest two dancers may stand, in stage units

SHAPES: dict[str, str] = {  # shape: what it looks like, for the error message and the README
    "line": "side by side across the stage",
    "v": "a V opening upstage, the first dancer at its point",
    "circle": "a ring facing in",
    "cypher": "a ring open to the audience, the first dancer in the middle",
    "diagonal": "one behind another from downstage left to upstage right",
    "two-lines": "a front and a back line, staggered",
    "scatter": "spread across the stage in a fixed irregular pattern",
}

# The shape a formation takes when the section does not say (one dancer always stands centre).
DEFAULT_SHAPES: dict[str, str] = {
    "solo": "line", "unison": "line", "mirror": "two-lines", "canon": "diagonal",
    "call-response": "cypher", "duet": "line",
}

Positions = tuple[tuple[str, float, float], ...]  # (dancer, x, y) in the section's dancer order


def _spread(n: int, lo: float, hi: float) -> list[float]:
    return [(lo + hi) / 2] if n == 1 else [lo + (hi - lo) * i / (n - 1) for i in range(n)]


def _ring(n: int, start: float, sweep: float, cy: float, rx: float = 0.55, ry: float = 0.3) -> list[tuple]:
    steps = n if sweep >= 2 * math.pi else max(n - 1, 1)
    return [(rx * math.sin(start + sweep * i / steps), cy + ry * math.cos(start + sweep * i / steps))
            for i in range(n)]


def shape_points(shape: str, n: int) -> list[tuple[float, float]]:
    """The points of a shape for n dancers, in the order dancers are listed."""
    if n == 1:
        return [(0.0, 0.4)]
    if shape == "line":
        return [(x, 0.4) for x in _spread(n, -0.75, 0.75)]
    if shape == "v":
        points = [(0.0, 0.2)]
        for i in range(1, n):
            arm, depth = (-1 if i % 2 else 1), (i + 1) // 2
            points.append((arm * 0.75 * depth / ((n) // 2 or 1), 0.2 + 0.6 * depth / ((n) // 2 or 1)))
        return points
    if shape == "circle":
        return _ring(n, 0.0, 2 * math.pi, 0.5)
    if shape == "cypher":
        return [(0.0, 0.5)] + _ring(n - 1, -0.8 * math.pi, 1.6 * math.pi, 0.5) if n > 2 else [(-0.3, 0.5), (0.3, 0.5)]
    if shape == "diagonal":
        return [(x, 0.15 + 0.7 * (x + 0.75) / 1.5) for x in _spread(n, -0.75, 0.75)]
    if shape == "two-lines":
        front, back = (n + 1) // 2, n // 2
        return [(x, 0.3) for x in _spread(front, -0.75, 0.75)] + \
               [(x, 0.7) for x in _spread(back, -0.75 + 0.75 / max(front, 1), 0.75 - 0.75 / max(front, 1))]
    if shape == "scatter":
        # The golden angle spreads any number of points evenly without a grid.
        return [(0.8 * math.sqrt((i + 0.5) / n) * math.cos(2.39996 * i),
                 0.5 + 0.4 * math.sqrt((i + 0.5) / n) * math.sin(2.39996 * i)) for i in range(n)]
    raise ValueError(f"unknown stage shape {shape!r}")


def place(shape: str, dancers) -> Positions:
    """Dancers placed on a shape, rounded to 3 decimals so the output is stable."""
    return tuple((d, round(x, 3), round(y, 3)) for d, (x, y) in zip(dancers, shape_points(shape, len(dancers))))


def default_positions(formation: str, dancers) -> Positions:
    """The stage a section gets when the score does not say: its formation's shape."""
    return place(DEFAULT_SHAPES.get(formation, "line"), tuple(dancers))


def read_stage(check: "Checker", path, dancers) -> str | Positions | None:
    """The `stage:` field of a section: a shape name, or a position per dancer, each checked.

    Returns the shape's name, the positions in the section's dancer order, or None when wrong
    (every problem is recorded on `check` with its location).
    """
    value = check.value(path)
    if isinstance(value, str):
        return check.text(path, choices=tuple(SHAPES))
    if not isinstance(value, dict):
        check.fail(path, "must be a shape or a position per dancer",
                   expected=f"one of {', '.join(SHAPES)}, or e.g. {{Bakhyt: [-0.5, 0.3], Lena: [0.5, 0.3]}}")
        return None
    given: dict[str, tuple[float, float]] = {}
    for name in value:
        where = tuple(path) + (name,)
        if name not in dancers:
            check.fail(where, f"unknown dancer {name!r} on stage", at_key=True,
                       expected="a dancer of this section: " + ", ".join(dancers))
            continue
        pair = check.value(where)
        if not (isinstance(pair, list) and len(pair) == 2):
            check.fail(where, "must be a position [x, y]",
                       expected="x from -1 (stage left) to 1 (stage right), y from 0 (downstage) to 1 (upstage)")
            continue
        x, y = check.number(where + (0,), -1, 1), check.number(where + (1,), 0, 1)
        if x is not None and y is not None:
            given[name] = (float(x), float(y))
    missing = [d for d in dancers if d not in value]
    if missing:
        check.fail(path, "every dancer of the section needs a place: " + ", ".join(missing) + " has none",
                   expected="a position for each of " + ", ".join(dancers))
    placed = list(given.items())
    for i, (a, pa) in enumerate(placed):
        for b, pb in placed[i + 1:]:
            gap = math.dist(pa, pb)
            if gap < MIN_GAP:
                check.fail(tuple(path) + (b,), f"{b} stands {gap:.2f} from {a}",
                           expected=f"dancers at least {MIN_GAP} apart")
    if missing or len(given) != len(value) or len(placed) != len(dancers):
        return None
    return tuple((d, round(given[d][0], 3), round(given[d][1], 3)) for d in dancers)


def resolve(stage: str | Positions | None, formation: str, dancers) -> Positions:
    """A section's positions: given ones, a named shape placed, or its formation's default."""
    if stage is None:
        return default_positions(formation, dancers)
    if isinstance(stage, str):
        return place(stage, tuple(dancers))
    return stage


def initials(names) -> dict[str, str]:
    """The shortest distinct start of each name (one letter where that is enough), for stage diagrams."""
    out = {}
    for name in names:
        for size in range(1, len(name) + 1):
            short = name[:size]
            if all(other == name or not other.startswith(short) for other in names):
                break
        out[name] = name[:size] if name else "?"
    return out
