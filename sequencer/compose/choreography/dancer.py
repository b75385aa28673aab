"""What one dancer (or a group dancing as one) carries through the show while the search runs.

The search asks `extra(t, option)` for costs that depend on what came before: a move repeated
inside the variety window, a follow rule broken, and a seeded jitter that makes every seed its
own round.
"""

import random

from .options import Option

REPEAT_COST = 4.0       # a move the dancer did within the variety window
REPEAT_COST_SOFT = 0.8  # … in a mood that asks for repetition
OVERUSE_COST = 1.0      # a move done within three windows: the dancer has more to show
MEMORY = 3              # how many windows back a dancer remembers
REPEAT_TRANSITION = 2.0  # a transition the dancer did among their last few moves
USE_COST = 1.2          # per earlier time in the show: a dancer spreads the vocabulary over a show
FOLLOW_COST = 40.0      # a move whose follow rule the previous move breaks
JITTER = 1.2            # seeded taste: spreads choices among near-equal options


class DancerState:
    """Recent moves and the previous move of one sequence of moves, plus its formation terms."""

    def __init__(self, seed_text: str, window: int, repeat: bool):
        self.rng = random.Random(seed_text)
        self.seen: dict[str, int] = {}   # move id → number of the dancer's last move that was it
        self.used: dict[str, int] = {}   # move id → how often the dancer did it in the show so far
        self.recent_transitions: list[str] = []  # the last few transitions, most recent last
        self.count = 0                   # moves (transitions aside) done so far
        self.window = window
        self.repeat_cost = REPEAT_COST_SOFT if repeat else REPEAT_COST
        self.previous = None

    def reset_rules(self, seed_text: str, window: int, repeat: bool):
        """A new section: its mood's variety rules and jitter; the memory of moves stays."""
        self.rng = random.Random(seed_text)
        self.window = window
        self.repeat_cost = REPEAT_COST_SOFT if repeat else REPEAT_COST

    def extra(self, t: int, opt: Option) -> float:
        cost = self.rng.random() * JITTER
        transition = opt.category == "transition"
        if self.window and not transition:
            seen_at, used, count, window = self.seen, self.used, self.count, self.window
            for move, _ in opt.steps:
                seen = seen_at.get(move.id)
                if seen is None or move.category == "transition":
                    continue
                cost += USE_COST * used[move.id]
                ago = count - seen  # 1 = the previous move
                if ago <= window:
                    cost += self.repeat_cost
                elif ago <= MEMORY * window:
                    cost += OVERUSE_COST
        if transition and opt.key in self.recent_transitions:
            cost += REPEAT_TRANSITION  # back and forth between two levels is no move at all
        first = opt.steps[0][0]
        if first.after and not first.may_follow(self.previous):
            cost += FOLLOW_COST
        return cost

    def chose(self, t: int, opt: Option):
        for move, _ in opt.steps:
            if move.category == "transition":
                self.recent_transitions = (self.recent_transitions + [move.id])[-3:]
            else:
                self.count += 1
                self.seen[move.id] = self.count
                self.used[move.id] = self.used.get(move.id, 0) + 1
        self.previous = opt.last
