"""Breaking's round grammar laid onto counts: which categories may start a move at each count.

A round enters standing (toprock or uprock on count 1 or 5, after a get-up and a burn if the
last round left the dancer down), goes down with a go-down (or a suicide), works the floor
(footwork, then power where the energy allows) and lands one finisher on its finishing count;
after the hit only a get-up, a transition or a burn may follow. In call-response and duets a
round opens with the dancer's support stretch (standing while the partner has the floor).
The mood's template (`choreo/rules.yaml`) says how long the entry is and which standing and
finishing categories the mood uses.
"""

from ...categories import CATEGORIES, FINISHERS, POWER, STANDING
from ...moves import Stage
from .phrasing import RoundPlan

ENTRY = frozenset(("toprock", "uprock"))           # what a round enters with
SUPPORT = frozenset(STANDING) | {"getup", "transition"}   # standing while another dancer has the floor
WAIT = frozenset(("burn", "getup", "transition"))  # canon: a pose or a count-in during the offset
AFTER_HIT = frozenset(("getup", "transition", "burn"))
GO_DOWN = frozenset(("godown", "suicide"))
FLOOR = frozenset(("footwork", "power", "transition"))
ENTRY_GRID = 4         # toprock and uprock start on count 1 or 5
ENTRY_LENGTHS = (2, 4, 8)
FINISH_REACH = 3       # a finisher may start up to this many counts before its hit
GO_DOWN_COUNTS = 2


def template_entry(template: tuple[Stage, ...]) -> tuple[float, frozenset]:
    """The share of a round the template gives its entry, and the standing categories it enters with."""
    total = sum(s.counts for s in template)
    first = template[0]
    cats = frozenset(c for c in first.categories if CATEGORIES[c].standing)
    if not cats & ENTRY:
        return 0.0, frozenset(("toprock",))
    return first.counts / total, cats


def template_uses(template: tuple[Stage, ...]) -> frozenset:
    return frozenset(c for s in template for c in s.categories)


def round_layout(plan: RoundPlan, template: tuple[Stage, ...], categories: frozenset,
                 support_counts: int = 0) -> tuple[list[frozenset], list[int]]:
    """The categories a free move may start with at each count of one round, and the count (both
    round-relative) a move starting there must end by: standing stages keep to their stretch.

    `categories` are those the palette allows (mood and energy); `support_counts` counts at the
    round's start are danced standing while a partner has the floor. A round of two 8-counts or
    more gives its first 8-count to the entry: up to four counts to get up and burn, then toprock
    or uprock from count 5 at the latest; a shorter round enters by count 5 and goes down.
    """
    length = plan.length_counts
    _, entering = template_entry(template)
    used = template_uses(template)
    finish = plan.finish_counts - plan.start_counts
    power_on = bool(set(POWER) & categories) and bool(set(POWER) & used)
    finishers = frozenset(c for c in FINISHERS if c in categories)
    go_down = GO_DOWN if "suicide" in categories else GO_DOWN - {"suicide"}
    up = entering | {"getup", "transition", "burn"}
    drop = plan.drop_counts - plan.start_counts if plan.drop_counts is not None else None
    # (end, categories, the count a move starting in the stage must end by)
    if support_counts and drop is not None and "suicide" in categories:  # drop onto the hit to take the floor
        stages = _standing(drop - 1, SUPPORT | entering, entering) + [(drop + 1, frozenset({"suicide"}), length)]
    elif support_counts:
        stages = _standing(support_counts, SUPPORT | entering, entering) + \
            [(support_counts + GO_DOWN_COUNTS, go_down, length)]
    elif drop is not None and "suicide" in categories:  # stay up until the hit, drop onto it
        stages = _standing(drop - 1, up, entering) + [(drop + 1, go_down, length)]
    else:
        entry = 8 if finish >= 12 else max(2, min(finish - 1, 6))
        stages = _standing(entry, up, entering) + [(entry + GO_DOWN_COUNTS, go_down, length)]
    floor_from = stages[-1][0]
    allowed: list[frozenset] = []
    limit: list[int] = []
    for t in range(length):
        stage = next(((cats, end_by) for end, cats, end_by in stages if t < end), None)
        limit.append(stage[1] if stage is not None and t < finish - 1 else length)
        if stage is not None and t < finish - 1:
            cats = stage[0]
        elif t > finish:
            cats = AFTER_HIT
        else:
            cats = FLOOR if power_on and t >= (floor_from + finish) // 2 else FLOOR - set(POWER)
            cats = cats | go_down if t < floor_from else cats
            if t >= finish - FINISH_REACH:
                cats = cats | finishers
        if (plan.start_counts + t) % ENTRY_GRID:
            cats = cats - ENTRY
        allowed.append(frozenset(c for c in cats if c in categories) or frozenset({"transition"}))
    return allowed, limit


def _standing(end: int, up: frozenset, entering: frozenset) -> list[tuple[int, frozenset, int]]:
    """Stages of a standing stretch of `end` counts that must hold toprock or uprock: anything
    standing (get-ups, burns) first, then an entry on the last count 1 or 5 that leaves it room."""
    grid = (end - 2) // ENTRY_GRID * ENTRY_GRID
    if grid <= 0:
        return [(end, entering | {"burn"}, end)]
    return [(grid, up, grid), (grid + 1, entering, end), (end, entering | {"burn"}, end)]


def support_layout(start: int, length: int, categories: frozenset, kind: frozenset = SUPPORT) -> list[frozenset]:
    """A stretch danced standing from section count `start`: call-response or duet support (toprock
    and uprock on count 1 or 5), or a canon follower's wait (any standing groove)."""
    cats = frozenset(c for c in kind if c in categories)
    if kind is WAIT:
        return [cats] * length
    return [cats - ENTRY if (start + t) % ENTRY_GRID else cats for t in range(length)]
