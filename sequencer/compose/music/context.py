"""What every player of the band knows about the section being played.

`SectionContext` bundles the section's place in time, its key as pitch-class arithmetic, the
mood's dynamics (with the swell or drop into the next section) and seeded random generators,
so the drum, bass, keys and melody modules stay small functions of it.
"""

import random
from dataclasses import dataclass

from ...moods import Mood
from ...performance import Note, SectionInfo
from ...scales import Scale, scale
from ...timeline import SectionTime

# Bars over which the band swells or drops into the next section's energy.
SWELL_BARS = 2


@dataclass(frozen=True, slots=True)
class SectionContext:
    """One section as the band sees it; ticks are absolute (from the start of the show)."""

    info: SectionInfo
    laid: SectionTime
    mood: Mood
    key: Scale
    seed: int
    swell: float  # -1 … +1: how much the last bars rise (+) or fall (-) towards the next section
    last: bool  # the show's final section
    music_end_ticks: int  # where the band stops (before the end when the section ends on a break)
    half_time: bool  # the mood's half-time feel: drums and chords at half speed over the counted pulse

    # Looked up on every note, so kept as plain fields rather than computed properties.
    start_ticks: int
    end_ticks: int
    bar_ticks: int
    count_ticks: int
    counts_per_bar: int
    bars: int
    swell_start_ticks: int

    @property
    def index(self) -> int:
        return self.info.index

    def bar_start(self, bar: int) -> int:
        """Absolute ticks of 0-based bar `bar` of the section."""
        return self.start_ticks + bar * self.bar_ticks

    def rng(self, what: str) -> random.Random:
        """A generator private to this section and purpose, so parts never disturb each other."""
        return random.Random(f"{self.seed}:{self.info.index}:{what}")

    def velocity(self, level: float, at_ticks: int) -> int:
        """A velocity inside the mood's range: `level` 0 (softest) … 1 (loudest), plus the end swell."""
        low, high = self.mood.velocity
        if self.swell and at_ticks > self.swell_start_ticks:
            progress = (at_ticks - self.swell_start_ticks) / (self.end_ticks - self.swell_start_ticks)
            target = 1.0 if self.swell > 0 else 0.0
            level += (target - level) * abs(self.swell) * progress
        level = min(max(level, 0.0), 1.0)
        return round(low + level * (high - low))

    def note(self, part: int, start: int, length: int, pitch: int, velocity: int, stab: bool = False) -> Note | None:
        """A pitched note clipped to where the band plays in this section; chromatic if off the scale.

        A `stab` (the band's hit on a break) may sound after the band stops, up to the section end.
        """
        end = min(start + length, self.end_ticks if stab else self.music_end_ticks)
        if start < self.start_ticks or end <= start:
            return None
        return Note(part, self.info.index, start, end - start, pitch, velocity, pitch % 12 not in self.key.pcs)


def make_context(info: SectionInfo, laid: SectionTime, mood: Mood, seed: int, next_mood: Mood | None,
                 ends_on_break: bool) -> SectionContext:
    """Build the context; the swell follows the arousal change into the next section."""
    swell = 0.0
    if next_mood is not None:
        change = next_mood.arousal - mood.arousal
        swell = max(-1.0, min(1.0, change)) if abs(change) >= 0.2 else 0.0
    music_end = laid.end_ticks - laid.meter.count_ticks if ends_on_break else laid.end_ticks
    meter = laid.meter
    return SectionContext(info, laid, mood, scale(info.tonic, info.mode), seed, swell, next_mood is None, music_end,
                          mood.feel == "half-time",
                          laid.start_ticks, laid.end_ticks, meter.bar_ticks, meter.count_ticks, meter.counts_per_bar,
                          laid.bars, max(laid.start_ticks, laid.end_ticks - SWELL_BARS * meter.bar_ticks))
