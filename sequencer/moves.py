"""The breaking vocabulary: moves, named combos and the mood → dance rules, read from `choreo/*.yaml`.

A move is a node of the move graph: it starts at one body level and ends at another, so a
round is a path whose levels chain. Combos are paths a choreographer wrote by hand; the rules
say, per mood or energy band, how a round is built and which levels and categories it prefers.
Everything is validated through a `Checker`, so a bad entry is reported with file:line:column.
"""

import re
from dataclasses import dataclass, fields

from .errors import did_you_mean
from .categories import CATEGORIES, FINISHERS, NAMES as MOVE_CATEGORIES
from .validate import Checker
from .yamlsource import Source

# Body levels a move starts and ends at; `head` and `hand` are inverted with that support.
LEVELS = ("standing", "crouched", "floor", "back", "head", "hand")
MAX_COUNTS = 32
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Move:
    """One move of the vocabulary. `accent` is the 1-based count inside the move where its hit lands."""

    id: str
    name: str
    category: str
    min_counts: int
    max_counts: int
    start_level: str
    end_level: str
    energy: int
    difficulty: int
    accent: int | None
    tags: tuple[str, ...]
    after: tuple[str, ...]  # may only follow these move ids or categories (empty: anything)
    description: str = ""
    short: str = ""  # a short name for sheets, where the name is long

    @property
    def counts_text(self) -> str:
        return str(self.min_counts) if self.min_counts == self.max_counts else f"{self.min_counts}-{self.max_counts}"

    @property
    def lengths(self) -> range:
        """Every length in counted beats the move can take."""
        return range(self.min_counts, self.max_counts + 1)

    @property
    def is_hit(self) -> bool:
        """A move whose accent is meant to land on an accent of the music."""
        return self.accent is not None and (self.category in FINISHERS or "hit" in self.tags)

    def may_follow(self, previous: "Move | None") -> bool:
        """The explicit follow rule: with `after` set, only those moves or categories may come before."""
        if not self.after or previous is None:
            return True
        return previous.id in self.after or previous.category in self.after

    def as_dict(self) -> dict:
        counts = self.min_counts if self.min_counts == self.max_counts else [self.min_counts, self.max_counts]
        return {"id": self.id, "name": self.name, "category": self.category, "beats": counts,
                "start_level": self.start_level, "end_level": self.end_level, "energy": self.energy,
                "difficulty": self.difficulty, "accent": self.accent, "tags": list(self.tags),
                "after": list(self.after), "description": self.description, "short": self.short}


@dataclass(frozen=True, slots=True)
class ComboStep:
    move: str
    counts: int


@dataclass(frozen=True, slots=True)
class Combo:
    """A named move sequence placed whole; its levels chain (checked when it is read)."""

    id: str
    name: str
    steps: tuple[ComboStep, ...]
    moods: tuple[str, ...]
    tags: tuple[str, ...]
    start_level: str
    end_level: str
    difficulty: int
    description: str = ""

    @property
    def length_counts(self) -> int:
        return sum(s.counts for s in self.steps)


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of a round: the categories a move may start with and how many counted beats it gets."""

    categories: tuple[str, ...]
    counts: int


@dataclass(frozen=True, slots=True)
class MoodRules:
    """How a round is built. Fields left None are inherited: mood → energy band → defaults."""

    round_counts: int | None = None
    variety_window: int | None = None
    repeat: bool | None = None
    power_energy: float | None = None
    forbid: tuple[str, ...] | None = None
    levels: dict | None = None
    rounds: tuple[tuple[Stage, ...], ...] | None = None

    def over(self, base: "MoodRules") -> "MoodRules":
        """These rules with the gaps filled from `base`."""
        return MoodRules(**{f.name: getattr(self, f.name) if getattr(self, f.name) is not None
                            else getattr(base, f.name) for f in fields(MoodRules)})


# -- reading -------------------------------------------------------------------------------
_MOVE_FIELDS = {"name", "short", "category", "beats", "start", "end", "energy", "difficulty", "accent", "tags",
                "after", "description"}
_COMBO_FIELDS = {"name", "moves", "moods", "tags", "description"}
_RULE_FIELDS = {"round_counts", "variety_window", "repeat", "power_energy", "forbid", "levels", "rounds"}
_STAGE = re.compile(r"^\s*([a-z]+(?:\s*/\s*[a-z]+)*)\s+(\d+)\s*$")


def read_moves(check: Checker, path, base=None) -> dict:
    """Moves at `path` (id → definition), added to or overriding `base`."""
    moves = dict(base or {})
    data = check.value(path, {})
    if not isinstance(data, dict):
        check.fail(path, "must be a mapping of move id → definition")
        return moves
    for mid, entry in data.items():
        where = tuple(path) + (mid,)
        if not isinstance(mid, str) or not _ID.match(mid):
            check.fail(where, f"move id {mid!r} must be lower-case letters, digits and '-'", at_key=True)
            continue
        move = _read_move(check, where, mid)
        if move is not None:
            moves[mid] = move
    return moves


def _read_move(check: Checker, where, mid):
    before = len(check.errors)
    required = ("name", "category", "beats", "start", "end", "energy", "difficulty")
    entry = check.mapping(where, _MOVE_FIELDS, required=required)
    if not entry or any(k not in entry for k in required):
        return None
    counts = _read_counts(check, where + ("beats",))
    accent = check.integer(where + ("accent",), 1, MAX_COUNTS) if "accent" in entry else None
    category = check.text(where + ("category",), choices=MOVE_CATEGORIES)
    if accent is None and "accent" not in entry and category in CATEGORIES and CATEGORIES[category].finisher:
        accent = 1
    if accent is not None and counts is not None and accent > counts[0]:
        check.fail(where + ("accent",), f"count {accent} is past the move's shortest length ({counts[0]} beats)",
                   expected=f"a count from 1 to {counts[0]}")
    move = dict(
        name=check.text(where + ("name",)), category=category,
        start=check.text(where + ("start",), choices=LEVELS), end=check.text(where + ("end",), choices=LEVELS),
        energy=check.integer(where + ("energy",), 1, 5), difficulty=check.integer(where + ("difficulty",), 1, 5),
        tags=_words(check, where + ("tags",)) if "tags" in entry else (),
        after=_words(check, where + ("after",)) if "after" in entry else (),
        description=check.text(where + ("description",), default="", max_len=500),
        short=check.text(where + ("short",), default="", max_len=16))
    if len(check.errors) > before or counts is None:
        return None
    return Move(mid, move["name"], move["category"], counts[0], counts[1], move["start"], move["end"],
                move["energy"], move["difficulty"], accent, move["tags"], move["after"], move["description"],
                move["short"])


def _read_counts(check: Checker, path):
    value = check.value(path)
    if isinstance(value, list):
        return check.range_pair(path, 1, MAX_COUNTS, integer=True)
    counts = check.integer(path, 1, MAX_COUNTS)
    return (counts, counts) if counts is not None else None


def _words(check: Checker, path):
    return check.texts(path, allow_empty=True, max_len=40) or ()


def _check_follow_rules(check: Checker, path, moves, new_ids):
    known = set(moves) | set(MOVE_CATEGORIES)
    for mid in new_ids:
        for i, name in enumerate(moves[mid].after):
            if name not in known:
                check.fail(tuple(path) + (mid, "after", i), f"unknown move or category {name!r}",
                           expected="a move id or a category", hint=did_you_mean(name, known))


def read_combos(check: Checker, path, moves, base=None, moods=None) -> dict:
    """Combos at `path`; each step names a move (`windmill` or `{move: windmill, beats: 8}`)."""
    combos = dict(base or {})
    data = check.value(path, {})
    if not isinstance(data, dict):
        check.fail(path, "must be a mapping of combo id → definition")
        return combos
    for cid, entry in data.items():
        where = tuple(path) + (cid,)
        if not isinstance(cid, str) or not _ID.match(cid):
            check.fail(where, f"combo id {cid!r} must be lower-case letters, digits and '-'", at_key=True)
            continue
        combo = _read_combo(check, where, cid, moves)
        if combo is not None:
            combos[cid] = combo
    return combos


def _read_combo(check: Checker, where, cid, moves):
    before = len(check.errors)
    entry = check.mapping(where, _COMBO_FIELDS, required=("moves",))
    if not entry or "moves" not in entry:
        return None
    steps, previous = [], None
    for i, item in enumerate(check.sequence(where + ("moves",), "moves")):
        p = where + ("moves", i)
        if isinstance(item, dict):
            check.mapping(p, {"move", "beats"}, required=("move",))
            mid = check.name(p + ("move",), moves, "move") if "move" in item else None
            counts = check.integer(p + ("beats",), 1, MAX_COUNTS) if "beats" in item else None
        else:
            mid, counts = check.name(p, moves, "move"), None
        if mid is None:
            continue
        move = moves[mid]
        if counts is None:
            counts = move.min_counts
        elif not move.min_counts <= counts <= move.max_counts:
            check.fail(p + ("beats",), f"{mid} lasts {move.counts_text} beats, not {counts}",
                       expected=f"{move.min_counts} to {move.max_counts}")
            continue
        if previous is not None and previous.end_level != move.start_level:
            check.fail(p, f"{mid} starts {move.start_level} but {previous.id} ends {previous.end_level}",
                       expected=f"a move that starts {previous.end_level}, or a transition in between")
        steps.append(ComboStep(mid, counts))
        previous = move
    moods = _words(check, where + ("moods",)) if "moods" in entry else ()
    tags = _words(check, where + ("tags",)) if "tags" in entry else ()
    name = check.text(where + ("name",), default=cid.replace("-", " ").capitalize())
    description = check.text(where + ("description",), default="", max_len=500)
    if len(check.errors) > before or not steps:
        return None
    used = [moves[s.move] for s in steps]
    return Combo(cid, name, tuple(steps), moods, tags, used[0].start_level, used[-1].end_level,
                 max(m.difficulty for m in used), description)


def read_rules(check: Checker, path, base=None) -> dict:
    """Dance rules at `path`: `defaults`, `bands` (energy 1-5) and `moods`, each a `MoodRules`."""
    rules = {"defaults": MoodRules(), "bands": {}, "moods": {}}
    if base:
        rules = {"defaults": base["defaults"], "bands": dict(base["bands"]), "moods": dict(base["moods"])}
    data = check.mapping(path, {"defaults", "bands", "moods"}, what="rules section")
    if "defaults" in data:
        rules["defaults"] = _read_mood_rules(check, tuple(path) + ("defaults",)).over(rules["defaults"])
    for group in ("bands", "moods"):
        if group not in data:
            continue
        entries = check.value(tuple(path) + (group,))
        if not isinstance(entries, dict):
            check.fail(tuple(path) + (group,), f"must be a mapping of {group[:-1]} → rules")
            continue
        for key in entries:
            where = tuple(path) + (group, key)
            if group == "bands" and (isinstance(key, bool) or key not in (1, 2, 3, 4, 5)):
                check.fail(where, f"energy band {key!r} does not exist", at_key=True, expected="1, 2, 3, 4 or 5")
                continue
            read = _read_mood_rules(check, where)
            old = rules[group].get(key)
            rules[group][key] = read.over(old) if old is not None else read
    return rules


def _read_mood_rules(check: Checker, where) -> MoodRules:
    entry = check.mapping(where, _RULE_FIELDS, what="rule")
    given = {}
    if "round_counts" in entry:
        given["round_counts"] = check.integer(where + ("round_counts",), 1, 16)
    if "variety_window" in entry:
        given["variety_window"] = check.integer(where + ("variety_window",), 0, 64)
    if "repeat" in entry:
        value = check.value(where + ("repeat",))
        if isinstance(value, bool):
            given["repeat"] = value
        else:
            check.fail(where + ("repeat",), "must be true or false")
    if "power_energy" in entry:
        given["power_energy"] = check.number(where + ("power_energy",), 0, 6)
    if "forbid" in entry:
        given["forbid"] = tuple(c for i, _ in enumerate(check.sequence(where + ("forbid",), "categories", True))
                                if (c := check.text(where + ("forbid", i), choices=MOVE_CATEGORIES)))
    if "levels" in entry:
        levels = check.mapping(where + ("levels",), LEVELS, what="level")
        given["levels"] = {lv: w for lv in levels if lv in LEVELS
                           and (w := check.number(where + ("levels", lv), 0, 10)) is not None}
    if "rounds" in entry:
        given["rounds"] = tuple(t for i, _ in enumerate(check.sequence(where + ("rounds",), "round templates"))
                                if (t := _read_template(check, where + ("rounds", i))))
    return MoodRules(**{k: v for k, v in given.items() if v is not None and v != ()})


def _read_template(check: Checker, path):
    stages = []
    for i, _ in enumerate(check.sequence(path, "stages")):
        raw = check.value(tuple(path) + (i,))
        match = _STAGE.match(raw) if isinstance(raw, str) else None
        cats = tuple(c.strip() for c in match[1].split("/")) if match else ()
        bad = [c for c in cats if c not in MOVE_CATEGORIES]
        if not match or bad or int(match[2]) < 1:
            check.fail(tuple(path) + (i,), f"{raw!r} is not a stage",
                       expected="'CATEGORY BEATS' or 'CAT/CAT BEATS' with categories from "
                                + ", ".join(MOVE_CATEGORIES) + ", e.g. 'toprock 8'",
                       hint=did_you_mean(bad[0], MOVE_CATEGORIES) if bad else None)
            return None
        stages.append(Stage(cats, int(match[2])))
    return tuple(stages) or None


def _check_known_combos(check: Checker, path, redefined, moves, combos):
    """A move redefined here must still fit the combos that use it (its levels chain, its length fits)."""
    for combo in combos.values():
        used = [moves.get(step.move) for step in combo.steps]
        for i, (step, move) in enumerate(zip(combo.steps, used)):
            if step.move not in redefined or move is None:
                continue
            before = used[i - 1] if i else None
            after = used[i + 1] if i + 1 < len(used) else None
            if not move.min_counts <= step.counts <= move.max_counts:
                problem = f"takes {step.counts} beats in it"
            elif before is not None and before.end_level != move.start_level:
                problem = f"follows {before.id}, which ends {before.end_level}"
            elif after is not None and move.end_level != after.start_level:
                problem = f"is followed by {after.id}, which starts {after.start_level}"
            else:
                continue
            check.fail(path + ("moves", step.move), f"redefined {step.move} no longer fits combo {combo.id!r}: "
                       f"it {problem}", at_key=True, expected="levels and a length that still chain, or a new id")


def read_vocabulary(check: Checker, path, moves=None, combos=None, rules=None):
    """Read the `moves`, `combos` and `rules` found under `path`, on top of the given ones.

    Used for the built-in files and for a score's inline or included additions, so new combos
    may name built-in moves and new rules may override a built-in mood's rules field by field.
    """
    path = tuple(path)
    data = check.value(path, {})
    data = data if isinstance(data, dict) else {}
    moves = dict(moves or {})
    if "moves" in data:
        moves = read_moves(check, path + ("moves",), moves)
        listed = data["moves"] if isinstance(data["moves"], dict) else {}
        _check_follow_rules(check, path + ("moves",), moves, [mid for mid in listed if mid in moves])
    combos = dict(combos or {})
    if "combos" in data:
        combos = read_combos(check, path + ("combos",), moves, combos)
    if isinstance(data.get("moves"), dict):
        _check_known_combos(check, path, data["moves"], moves, combos)
    if rules is None:
        rules = {"defaults": MoodRules(), "bands": {}, "moods": {}}
    if "rules" in data:
        rules = read_rules(check, path + ("rules",), rules)
    return moves, combos, rules


def load_vocabulary(moves_source: Source, combos_source: Source, rules_source: Source):
    """Load the built-in vocabulary from its three files (top-level keys `moves`, `combos`, `rules`)."""
    checks = [Checker(moves_source), Checker(combos_source), Checker(rules_source)]
    for check, key in zip(checks, ("moves", "combos", "rules")):
        check.mapping((), {key}, required=(key,), what="top-level key")
    moves, _, _ = read_vocabulary(checks[0], ())
    _, combos, _ = read_vocabulary(checks[1], (), moves)
    _, _, rules = read_vocabulary(checks[2], (), moves)
    errors = [e for c in checks for e in c.errors]
    if errors:
        checks[0].errors = errors
        checks[0].raise_if_any()
    return moves, combos, rules


def rules_for(rules: dict, mood: str, energy: int) -> MoodRules:
    """The complete rules of a mood: its own, then its energy band's, then the defaults."""
    own = rules["moods"].get(mood, MoodRules())
    band = rules["bands"].get(energy, MoodRules())
    return own.over(band).over(rules["defaults"])

