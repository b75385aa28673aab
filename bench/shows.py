"""Benchmark shows of a chosen true length: generated, composed, and measured.

A show cycles through every mood in 16-bar sections with 4 dancers, tempo ramps, 4/4, 3/4 and
6/8 and every group formation. Its length is what the composed performance says, not an
estimate from the moods' tempo ranges: the number of sections is corrected until the show is
within 1 % of the length asked for, and the bench labels each show by its measured length.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sequencer.compose import compose  # noqa: E402
from sequencer.library import builtin  # noqa: E402
from sequencer.score import MAX_TOTAL_BARS, load_score  # noqa: E402

METERS = ("4/4", "4/4", "4/4", "3/4", "4/4", "6/8")
FORMATIONS = ("unison", "canon", "call-response", "mirror")
SECTION_BARS = 16
MAX_SECTIONS = MAX_TOTAL_BARS // SECTION_BARS


def show_yaml(sections: int) -> str:
    """A score with this many 16-bar sections."""
    moods = sorted(builtin().moods.values(), key=lambda m: m.name)
    lines = ["title: Benchmark", "seed: 1", "cast:"]
    lines += [f"  - {{name: D{i}, skill: {5 - i % 3}}}" for i in range(1, 5)]
    lines.append("sections:")
    for i in range(sections):
        mood = moods[i % len(moods)]
        lo, hi = mood.tempo_bpm
        tempo = f"{{from: {lo:g}, to: {hi:g}}}" if i % 3 == 0 else f"{(lo + hi) / 2:g}"
        lines.append(f"  - {{name: S{i + 1}, mood: {mood.name}, bars: {SECTION_BARS}, meter: {METERS[i % len(METERS)]}, "
                     f"tempo: {tempo}, formation: {FORMATIONS[i % len(FORMATIONS)]}}}")
    return "\n".join(lines) + "\n"


def _compose(path: Path, sections: int):
    path.write_text(show_yaml(sections))
    return compose(load_score(path))


def show_of_minutes(minutes: float, path: Path):
    """Write a show of about `minutes` (true length, within 1 %) to `path`; return its performance.

    No show is longer than the 4,000 bars a score may have: past that, the longest one is returned.
    """
    sections = min(MAX_SECTIONS, max(1, round(minutes * 60 / 40)))
    for _ in range(4):
        perf = _compose(path, sections)
        wanted = min(MAX_SECTIONS, max(1, round(sections * minutes * 60 / perf.length_s)))
        if abs(perf.length_s / 60 - minutes) <= minutes * 0.01 or wanted == sections:
            return perf
        sections = wanted
    return _compose(path, sections)


def show_of_bars(bars: int, path: Path):
    """Write a show of exactly `bars` bars (a multiple of 16) to `path`; return its performance."""
    return _compose(path, bars // SECTION_BARS)


def label(perf) -> str:
    return f"{perf.length_s / 60:.1f}-minute"
