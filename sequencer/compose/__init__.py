"""Composition: a validated `Score` becomes one timed `Performance` (music and choreography)."""

from pathlib import Path

from ..performance import Performance
from ..score import Score
from .choreography import dance
from .choreography.pins import check_pins
from .music import arrange
from .plan import plan


def compose(score: Score) -> Performance:
    """Compose the music, then the dance on top of it (the dance lands on the music's hits)."""
    check_pins(score)
    timeline, sections = plan(score)
    music = arrange(score, timeline, sections)
    moves = dance(score, timeline, sections, music.hits)
    return Performance(
        title=score.title, seed=score.seed, source=Path(score.file).name, timeline=timeline, sections=sections,
        cast=score.cast, parts=music.parts, notes=music.notes, hits=music.hits, music_cues=music.cues,
        cues=moves.cues, rounds=moves.rounds, pins=moves.pins)
