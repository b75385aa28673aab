"""Choreography (placeholder: pinned moves only, until the choreography issue lands)."""
from ..performance import MoveCue


def choreograph(score, timeline, sections, hits):
    cues = []
    for i, section in enumerate(score.sections):
        for pin in section.pins:
            if pin.move:
                move = score.library.moves[pin.move]
                start = timeline.ticks_at(i, pin.bar, pin.beat, pin.tick)
                cues.append(MoveCue(pin.dancer, move.id, move.name, move.category, i, start,
                                    move.beats * timeline.sections[i].meter.beat_ticks,
                                    move.start_level, move.end_level, pinned=True))
    return tuple(sorted(cues, key=lambda c: (c.start_ticks, c.dancer)))
