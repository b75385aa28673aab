"""Composition: a validated `Score` becomes one timed `Performance` (music and choreography)."""

from pathlib import Path

from ..performance import Performance
from ..score import Score
from .choreography import choreograph
from .music import arrange
from .plan import plan


def compose(score: Score, count_in_bars: int = 0) -> Performance:
    """Compose the music, then the dance on top of it (the dance lands on the music's hits).

    `count_in_bars` bars of count-in clicks come before bar 1 (see `Timeline.count_in_clicks`).
    """
    timeline, sections = plan(score, count_in_bars)
    music = arrange(score, timeline, sections)
    cues = choreograph(score, timeline, sections, music.hits)
    return Performance(
        title=score.title, seed=score.seed, source=Path(score.file).name, timeline=timeline, sections=sections,
        cast=score.cast, parts=music.parts, notes=music.notes, hits=music.hits, music_cues=music.cues,
        cues=cues)
