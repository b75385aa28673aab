"""Move categories: the one table of the closed vocabulary every other module reads.

Each row says how a category is written (code, colour, fill pattern for greyscale prints) and
what it means to the choreography (whether it finishes a round, whether it is power). Adding a
category touches this table and its test; the move vocabulary (choreo/moves.yaml) may then use it.
"""

from dataclasses import dataclass


# Fill patterns a greyscale print tells apart (the sheet draws them in a strip along each move box).
PATTERNS = ("none", "dots", "hatch", "cross", "grid", "vertical", "horizontal", "diagonal-back")


@dataclass(frozen=True, slots=True)
class Category:
    """One move category and everything the product knows about it."""

    name: str
    code: str          # two letters printed in the box, so a black-and-white print tells them apart
    label: str         # how the legend names it
    colour: str        # light fill, '#rrggbb', dark text stays readable on it
    ink: str           # strong colour of its bars in the timeline picture, '#rrggbb'
    pattern: str       # fill pattern for greyscale, one of PATTERNS
    finisher: bool     # may end a round on a hit (freeze, suicide, blow-up)
    power: bool        # rotational power, kept out of low-energy moods
    standing: bool     # danced upright (toprock, uprock, burns): what a dancer does while not on the floor


CATEGORIES: dict[str, Category] = {c.name: c for c in (
    Category("toprock", "TR", "toprock", "#ffec99", "#f2c500", "none", False, False, True),
    Category("uprock", "UR", "uprock", "#ffd8a8", "#e8590c", "vertical", False, False, True),
    Category("burn", "BN", "burn / gesture", "#fcc2d7", "#d6336c", "horizontal", False, False, True),
    Category("godown", "GD", "go-down", "#ffcd96", "#f08c2e", "diagonal-back", False, False, False),
    Category("footwork", "FW", "footwork", "#add8f5", "#3b8fd9", "dots", False, False, False),
    Category("power", "PW", "power", "#f5aaaa", "#d93b3b", "cross", False, True, False),
    Category("freeze", "FZ", "freeze", "#d7d7d7", "#555555", "none", True, False, False),
    Category("transition", "TX", "transition", "#beebbe", "#4caf50", "hatch", False, False, False),
    Category("getup", "GU", "get-up", "#c8e6dc", "#2e9e84", "grid", False, False, False),
    Category("blowup", "BU", "blow-up", "#e1bef0", "#9c4dcc", "cross", True, True, False),
    Category("suicide", "SU", "suicide", "#f5bedc", "#e0609a", "hatch", True, False, False),
)}

NAMES: tuple[str, ...] = tuple(CATEGORIES)
FINISHERS: tuple[str, ...] = tuple(c.name for c in CATEGORIES.values() if c.finisher)
POWER: tuple[str, ...] = tuple(c.name for c in CATEGORIES.values() if c.power)
STANDING: tuple[str, ...] = tuple(c.name for c in CATEGORIES.values() if c.standing)
