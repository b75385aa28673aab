"""Music (placeholder pad and click until the music issue lands)."""
from dataclasses import dataclass

from ..performance import Hit, Note, Part

_PC = {"C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6, "Gb": 6, "G": 7,
       "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11}


@dataclass(frozen=True, slots=True)
class Arrangement:
    parts: tuple
    notes: tuple
    hits: tuple
    cues: tuple


def arrange(score, timeline, sections) -> Arrangement:
    parts = (Part("drums", 0, 9), Part("pad", 89, 0))
    notes, hits = [], []
    for sec, laid in zip(sections, timeline.sections):
        root = 48 + _PC[sec.tonic]
        third = 3 if "minor" in sec.mode or sec.mode in ("dorian", "phrygian", "aeolian", "locrian") else 4
        hits.append(Hit(sec.start_ticks, "crash", sec.index, 3))
        for bar in range(sec.bars):
            t = sec.start_ticks + bar * laid.meter.bar_ticks
            for p in (root, root + third, root + 7):
                notes.append(Note(1, sec.index, t, laid.meter.bar_ticks, p, 70))
            for beat in range(laid.meter.beats_per_bar):
                notes.append(Note(0, sec.index, t + beat * laid.meter.beat_ticks, 120, 36 if beat == 0 else 42, 90))
    notes.sort(key=lambda n: (n.start_ticks, n.part, n.pitch))
    return Arrangement(parts, tuple(notes), tuple(hits), ())
