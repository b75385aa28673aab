"""Composition: a validated `Score` becomes one timed `Performance` (music and choreography).

The score is resolved once into a `ShowPlan` (`plan.py`); the band and the dancers work from the
plan, and the Performance keeps what an exporter needs.
"""

from pathlib import Path

from ..performance import Performance
from ..score import Score
from .choreography import choreograph
from .music import arrange
from .plan import plan_show


def compose(score: Score, count_in_bars: int = 0) -> Performance:
    """Compose the music, then the dance on top of it (the dance lands on the music's hits).

    `count_in_bars` bars of count-in clicks come before bar 1 (see `Timeline.count_in_clicks`).
    """
    show = plan_show(score, count_in_bars)
    music = arrange(show, show.timeline, show.infos)
    cues = choreograph(show, show.timeline, show.infos, music.hits)
    return Performance(
        title=show.title, seed=show.seed, source=Path(show.file).name, timeline=show.timeline,
        sections=show.infos, cast=show.cast, parts=music.parts, notes=music.notes, hits=music.hits,
        music_cues=music.cues, cues=cues)
