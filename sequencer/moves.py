"""Move vocabulary (placeholder until the choreography issue lands)."""
from dataclasses import dataclass

from .validate import Checker


@dataclass(frozen=True, slots=True)
class Move:
    id: str
    name: str
    category: str
    beats: int
    start_level: str
    end_level: str


def read_vocabulary(check: Checker, path, moves=None, combos=None, rules=None):
    moves = dict(moves or {})
    for mid, e in (check.value(tuple(path) + ("moves",), {}) or {}).items():
        moves[mid] = Move(mid, e["name"], e["category"], e["beats"], e["start"], e["end"])
    return moves, dict(combos or {}), dict(rules or {})


def load_vocabulary(moves_src, combos_src, rules_src):
    check = Checker(moves_src)
    moves, combos, rules = read_vocabulary(check, ())
    check.raise_if_any()
    return moves, combos, rules
