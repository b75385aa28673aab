"""Drum grooves (placeholder until the music issue lands)."""
from dataclasses import dataclass

from .validate import Checker


@dataclass(frozen=True, slots=True)
class Groove:
    name: str
    description: str


def read_grooves(check: Checker, path) -> dict:
    data = check.value(path, {})
    return {name: Groove(name, str(entry.get("description", ""))) for name, entry in data.items()}


def load_grooves(source) -> dict:
    check = Checker(source)
    grooves = read_grooves(check, ("grooves",))
    check.raise_if_any()
    return grooves
