"""Composition: a validated `Score` becomes one timed `Performance` (music and choreography).

The score is resolved once into a `ShowPlan` (`plan.py`); the band and the dancers work from the
plan, and the Performance keeps what an exporter needs.
"""

import gc
from pathlib import Path

from ..children import can_fork, child_result, fork_call, stop_children
from ..performance import Performance
from ..score import Score
from .choreography import dance
from .choreography.pins import check_pins
from .music import arrange, hits_of, plan_forms
from .plan import plan_show


SIDE_BY_SIDE_BARS = 400  # from this length the dance is composed in a forked process beside the band


def compose(score: Score, count_in_bars: int = 0) -> Performance:
    """Compose the music, then the dance on top of it (the dance lands on the music's hits).

    Every impossible pin is reported first, all at once. `count_in_bars` bars of count-in clicks
    come before bar 1 (see `Timeline.count_in_clicks`).
    """
    collecting = gc.isenabled()
    gc.disable()  # composing makes a million objects and no garbage cycles: the collector's passes cost ~15 %
    try:
        check_pins(score)
        show = plan_show(score, count_in_bars)
        forms = plan_forms(show, show.timeline, show.infos)
        hits = hits_of(forms)
        if show.timeline.bars >= SIDE_BY_SIDE_BARS and can_fork():
            # The dance needs only the hits, known from the forms: the band plays here meanwhile.
            dancers = fork_call(dance, show, hits)
            try:
                music = arrange(show, show.timeline, show.infos, forms)
                moves = child_result(dancers)
            finally:
                stop_children([dancers])
        else:
            music = arrange(show, show.timeline, show.infos, forms)
            moves = dance(show, hits)
    finally:
        if collecting:
            gc.enable()
    return Performance(
        title=show.title, seed=show.seed, source=Path(show.file).name, timeline=show.timeline,
        sections=show.infos, cast=show.cast, parts=music.parts, notes=music.notes, hits=music.hits,
        music_cues=music.cues, cues=moves.cues, rounds=moves.rounds, pins=moves.pins)
