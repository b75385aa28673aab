"""Leitmotifs (placeholder until the music issue lands)."""
from dataclasses import dataclass

from .validate import Checker


@dataclass(frozen=True, slots=True)
class Motif:
    name: str


def read_motifs(check: Checker, path) -> dict:
    return {name: Motif(name) for name in check.value(path, {})}


def load_motifs(source) -> dict:
    check = Checker(source)
    motifs = read_motifs(check, ("motifs",))
    check.raise_if_any()
    return motifs
