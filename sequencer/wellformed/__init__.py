"""The rules a finished performance must obey, each a function returning (violators, total).

Rules live in the modules of this package by subject (`structure`, `music`, `dance`); each is
registered with `@rule("name")` and reads only the `Performance`. `sequencer check --deep` and the
tests call them; no copy of a rule lives anywhere else.

    for verdict in check_performance(perf):
        print(f"{verdict.rule}: {len(verdict.violators)}/{verdict.total}")
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

SUBJECTS = ("structure", "music", "dance")

Violators = list
RuleFunction = Callable[..., tuple[Violators, int]]
_RULES: dict[str, tuple[str, RuleFunction]] = {}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one rule found: the things that break it (readable strings) out of how many it checked."""

    rule: str
    subject: str
    violators: tuple[str, ...]
    total: int

    @property
    def ok(self) -> bool:
        return not self.violators


def rule(name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule under `name`; the function takes a Performance and returns (violators, total)."""
    def register(function: RuleFunction) -> RuleFunction:
        subject = function.__module__.rsplit(".", 1)[-1]
        if name in _RULES:
            raise ValueError(f"rule {name!r} registered twice")
        _RULES[name] = (subject, function)
        return function
    return register


def rules() -> dict[str, tuple[str, RuleFunction]]:
    """Every rule by name, with its subject (module)."""
    for subject in SUBJECTS:
        import_module(f".{subject}", __name__)
    return dict(_RULES)


def run_rule(name: str, perf) -> Verdict:
    """One rule's verdict on a performance."""
    subject, function = rules()[name]
    violators, total = function(perf)
    return Verdict(name, subject, tuple(str(v) for v in violators), total)


def check_performance(perf, subjects: tuple[str, ...] = SUBJECTS) -> list[Verdict]:
    """Every rule's verdict, grouped by subject in the order given, each group in registration order."""
    registered = rules()
    return [run_rule(name, perf) for subject in subjects for name, (owner, _) in registered.items()
            if owner == subject]
