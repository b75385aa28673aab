"""The edges of the move graph a dancer may take in a round, each with its static cost.

An `Option` is a move at one length, or a whole combo, going from one body level to another.
Its cost says how well it suits the round: energy against the target, the mood's category
weights and level preferences, difficulty against the dancer's skill, and a price per move
that keeps the density danceable. Combos of the mood get a bonus, so they are preferred.
"""

from dataclasses import dataclass

from ...categories import CATEGORIES, FINISHERS, NAMES, POWER
from ...moves import LEVELS, Combo, Move, MoodRules

LEVEL_INDEX = {level: i for i, level in enumerate(LEVELS)}

MOVE_COST = 0.8          # per move: fewer, fuller moves unless the music asks otherwise
ENERGY_WEIGHT = 0.9      # per 4 counts, per point of energy away from the target
CATEGORY_WEIGHT = 1.2    # per 4 counts, for a category the mood weighs low
DIFFICULTY_WEIGHT = 0.35  # per point away from what the dancer should show
TRANSITION_COST = 0.6    # connective moves only where the levels need them
COMBO_BONUS = 2.5        # a mood's own combo beats the same moves picked one by one
HOLD_COST = 0.7          # per beat a freeze is held beyond its first two: a round keeps moving
ENTRY_LENGTHS = {"toprock": (2, 4, 8), "uprock": (2, 4, 8)}  # standing entries phrase in 2, 4 and 8 counts
# A mood weighs the categories it names; the others borrow the weight of their nearest kin.
KIN = {"uprock": "toprock", "burn": "toprock", "getup": "transition"}
TRICK = "trick"  # moves borrowed from tricking and acrobatics: danced only where a score pins them


@dataclass(frozen=True, slots=True)
class Option:
    """A move at one length, or a combo, as an edge from level `start` to level `end`."""

    key: str
    steps: tuple[tuple[Move, int], ...]
    length_counts: int
    start: int
    end: int
    category: str
    hit_counts: tuple[int, ...]  # counts inside the option (from 0) where its hits land
    cost: float
    combo: str | None = None
    pinned: bool = False

    @property
    def first(self) -> Move:
        return self.steps[0][0]

    @property
    def last(self) -> Move:
        return self.steps[-1][0]


@dataclass(frozen=True, slots=True)
class Palette:
    """Options by start level: `search` keeps the cheapest per kind of edge, `choose` a few per kind."""

    search: tuple[tuple[Option, ...], ...]
    choose: tuple[tuple[Option, ...], ...]
    categories: frozenset
    _usable: dict

    def usable(self, which: str, level: int, allowed: frozenset) -> tuple[tuple[Option, ...], tuple[Option, ...]]:
        """Options from `level` whose category the grammar allows, and hits that may start only on
        accents; both shortest first."""
        key = (which, level, allowed)
        found = self._usable.get(key)
        if found is None:
            options = (self.search if which == "search" else self.choose)[level]
            standing_only = all(CATEGORIES[c].standing or c in ("getup", "transition") for c in allowed)
            # a combo goes where its first move may, but not into a stretch that must stay standing
            free = [o for o in options if o.category in allowed and not (standing_only and o.combo)]
            if which == "search":  # the search only needs the cheapest edge of each shape
                cheapest: dict = {}
                for o in free:
                    shape = (o.length_counts, o.end, o.hit_counts)
                    if shape not in cheapest or o.cost < cheapest[shape].cost:
                        cheapest[shape] = o
                free = list(cheapest.values())
            free.sort(key=lambda o: o.length_counts)
            hits_only = [o for o in options if o.category not in allowed and o.hit_counts and o.combo is None
                         and o.category in FINISHERS]
            hits_only.sort(key=lambda o: o.length_counts)
            found = (tuple(free), tuple(hits_only))
            self._usable[key] = found
        return found


def hit_offsets(move: Move, at: int = 0) -> tuple[int, ...]:
    return (at + move.accent - 1,) if move.is_hit else ()


def allowed_categories(rules: MoodRules, power_on: bool) -> frozenset:
    """Categories free moves may use in a round: not forbidden, power only when the round is hot enough."""
    banned = set(rules.forbid or ()) | (set() if power_on else set(POWER))
    return frozenset(c for c in NAMES if c not in banned)


def move_cost(move: Move, counts: int, weights: dict, levels: dict, skill: int, target: float) -> float:
    """Static cost of one move at one length in a round with this target energy."""
    return _length_cost(_move_terms(move, weights, _top(weights), levels, skill, target), counts)


def _top(weights: dict) -> float:
    """The weight of the mood's favourite category: the others' weights count against it."""
    return max(weights.values()) if weights else 1.0


def _move_terms(move: Move, weights: dict, top: float, levels: dict, skill: int, target: float) -> tuple:
    """The parts of a move's cost that do not depend on its length (a palette prices every length)."""
    category = move.category if move.category in weights else KIN.get(move.category, move.category)
    weight = weights.get(category, top / 2 if category == "transition" else 0.0)
    show = min(skill, round(target) + 1)
    return (ENERGY_WEIGHT * abs(move.energy - target), CATEGORY_WEIGHT * (1 - weight / top),
            (levels.get(move.start_level, 0) + levels.get(move.end_level, 0)) / 2,
            DIFFICULTY_WEIGHT * abs(move.difficulty - show), move.category == "transition",
            CATEGORIES[move.category].finisher)


def _length_cost(terms: tuple, counts: int) -> float:
    energy, category, level, difficulty, transition, finisher = terms
    fours = counts / 4
    cost = MOVE_COST + energy * fours
    cost += category * fours
    cost += level * counts
    cost += difficulty
    if transition:
        cost += TRANSITION_COST
    if finisher and counts > 2:
        cost += HOLD_COST * (counts - 2)
    return cost


def build_palette(moves: dict, combos: dict, mood, rules: MoodRules, skill: int, target: float,
                  categories: frozenset) -> Palette:
    """Every option a dancer of `skill` may take freely in a round of `mood` at `target` energy."""
    options = []
    levels = rules.levels or {}
    top = _top(mood.categories)
    for move in moves.values():
        if move.category not in categories or move.difficulty > skill or TRICK in move.tags:
            continue
        terms, hits = _move_terms(move, mood.categories, top, levels, skill, target), hit_offsets(move)
        start, end = LEVEL_INDEX[move.start_level], LEVEL_INDEX[move.end_level]
        for counts in move.lengths:
            if counts not in ENTRY_LENGTHS.get(move.category, (counts,)):
                continue
            options.append((_length_cost(terms, counts), move.id, counts, start, end, move.category, hits,
                            ((move, counts),), None))
    for combo in combos.values():
        option = combo_option(moves, combo)
        if mood.name not in combo.moods or combo.difficulty > skill \
                or any(m.category not in categories for m, _ in option.steps):
            continue
        cost = sum(move_cost(m, b, mood.categories, levels, skill, target) for m, b in option.steps)
        options.append((cost - MOVE_COST * (len(option.steps) - 1) - COMBO_BONUS, option.key, option.length_counts,
                        option.start, option.end, option.category, option.hit_counts, option.steps, option.combo))
    return _palette(options, categories)


def combo_option(moves: dict, combo: Combo, cost: float = 0.0) -> Option:
    """A combo as one edge; its hits are the hits of its moves."""
    steps, hits, at = [], [], 0
    for step in combo.steps:
        move = moves[step.move]
        steps.append((move, step.counts))
        hits.extend(hit_offsets(move, at))
        at += step.counts
    # a combo belongs to the stage of its first real move, not of a transition leading into it
    category = next((m.category for m, _ in steps if m.category != "transition"), steps[0][0].category)
    return Option(combo.id, tuple(steps), at, LEVEL_INDEX[combo.start_level], LEVEL_INDEX[combo.end_level],
                  category, tuple(hits), cost, combo.id)


def pinned_options(moves: dict, combos: dict, move_id: str | None, combo_id: str | None,
                   hold_counts: int | None = None) -> list[Option]:
    """The options a pin allows: its move at every length it can take (or exactly its hold), or its combo."""
    if combo_id is not None:
        o = combo_option(moves, combos[combo_id])
        return [Option(o.key, o.steps, o.length_counts, o.start, o.end, o.category, o.hit_counts, 0.0, o.combo, True)]
    move = moves[move_id]
    lengths = (hold_counts,) if hold_counts else move.lengths
    return [Option(move.id, ((move, b),), b, LEVEL_INDEX[move.start_level], LEVEL_INDEX[move.end_level],
                   move.category, hit_offsets(move), 0.0, None, True) for b in lengths]


def _palette(options: list[tuple], categories: frozenset, per_kind: int = 3) -> Palette:
    """The palette of options given as (cost, key, length, start, end, category, hits, steps, combo) rows:
    most are priced and dropped, so only the kept ones become `Option`s."""
    categories = categories & {o[5] for o in options}  # only what the dancer can actually do
    search, choose = [], []
    made: dict = {}

    def option(row: tuple) -> Option:
        found = made.get(id(row))
        if found is None:
            cost, key, length, start, end, category, hits, steps, combo = row
            found = made[id(row)] = Option(key, steps, length, start, end, category, hits, cost, combo)
        return found
    by_level: list[dict] = [{} for _ in LEVELS]  # per start level: kind of edge → its rows, cheapest first
    for row in sorted(options, key=lambda o: (o[0], o[1], o[2])):
        by_level[row[3]].setdefault((row[2], row[4], row[5], row[6]), []).append(row)
    for kinds in by_level:
        search.append(tuple(option(group[0]) for group in kinds.values()))
        choose.append(tuple(option(o) for group in kinds.values() for o in group[:per_kind]))
    return Palette(tuple(search), tuple(choose), categories, {})
