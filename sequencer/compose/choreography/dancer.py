"""What one dancer (or a group dancing as one) carries through the show while the search runs.

The search asks `extra(t, option)` for costs that depend on what came before: a move repeated
inside the variety window, a follow rule broken, a seeded jitter that makes every seed its own
round, and, in a duet, the push away from the partner's category at the same moment.
"""

import random

from .options import Option

REPEAT_COST = 4.0       # a move the dancer did within the variety window
REPEAT_COST_SOFT = 0.8  # … in a mood that asks for repetition
OVERUSE_COST = 1.0      # a move done within three windows: the dancer has more to show
MEMORY = 3              # how many windows back a dancer remembers
FOLLOW_COST = 40.0      # a move whose follow rule the previous move breaks
JITTER = 1.2            # seeded taste: spreads choices among near-equal options
SAME_CATEGORY = 0.35    # duet: per beat of the same category as the partner at the same time


class DancerState:
    """Recent moves and the previous move of one sequence of moves, plus its formation terms."""

    def __init__(self, seed_text: str, window: int, repeat: bool):
        self.rng = random.Random(seed_text)
        self.seen: dict[str, int] = {}   # move id → number of the dancer's last move that was it
        self.count = 0                   # moves (transitions aside) done so far
        self.window = window
        self.repeat_cost = REPEAT_COST_SOFT if repeat else REPEAT_COST
        self.previous = None
        self.offset = 0                  # beat of the current segment's start in the section
        self.partner: list | None = None  # duet: partner's category per section beat

    def reset_rules(self, seed_text: str, window: int, repeat: bool):
        """A new section: its mood's variety rules and jitter; the memory of moves stays."""
        self.rng = random.Random(seed_text)
        self.window = window
        self.repeat_cost = REPEAT_COST_SOFT if repeat else REPEAT_COST
        self.partner = None

    def extra(self, t: int, opt: Option) -> float:
        cost = self.rng.random() * JITTER
        if self.window and opt.category != "transition":
            for move, _ in opt.steps:
                seen = self.seen.get(move.id)
                if seen is None or move.category == "transition":
                    continue
                ago = self.count - seen  # 1 = the previous move
                if ago <= self.window:
                    cost += self.repeat_cost
                elif ago <= MEMORY * self.window:
                    cost += OVERUSE_COST
        if not opt.first.may_follow(self.previous):
            cost += FOLLOW_COST
        at = self.offset + t
        if self.partner is not None and opt.category not in ("freeze", "transition"):
            same = sum(1 for c in self.partner[at:at + opt.length] if c == opt.category)
            cost += SAME_CATEGORY * same
        return cost

    def chose(self, t: int, opt: Option):
        for move, _ in opt.steps:
            if move.category != "transition":
                self.count += 1
                self.seen[move.id] = self.count
        self.previous = opt.last
