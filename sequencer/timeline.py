"""Musical time made exact: meters, the tempo map, positions and dance counts.

Inside the package every time is an integer number of ticks (PPQ ticks per quarter note), so
sums never drift and comparisons are exact. Quarter notes (`Fraction`), seconds, bar:beat
positions and 8-counts exist only at the edges, through the pure conversions in this module.
Two units are easy to mix up: a *quarter* note (480 ticks) and a *counted beat* (`count_ticks`,
what a dancer counts: a quarter in 4/4, a dotted quarter, 720 ticks, in 6/8); names here say which.

Tempo is kept as integer microseconds per quarter note, the resolution of a MIDI tempo event,
so the seconds the model reports are exactly the seconds a MIDI player computes.
A tempo in BPM counts the meter's beat: a quarter in 4/4, a dotted quarter in 6/8.

A count-in (`count_in_bars`) is lead-in time before bar 1, in the first section's meter and
tempo: the sections start after it, so every exporter's ticks and seconds include it.
"""

from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction

PPQ = 480
MIN_BPM, MAX_BPM = 30, 300
_US_PER_MINUTE = 60_000_000
_NEVER = float("inf")  # past the last tempo change


# -- pure conversions ----------------------------------------------------------------------
def ticks_from_quarters(quarters) -> int:
    """Quarter notes (int or Fraction) → ticks; refuses values off the tick grid."""
    ticks = Fraction(quarters) * PPQ
    if ticks.denominator != 1:
        raise ValueError(f"{quarters} quarter notes is not on the 1/{PPQ} grid")
    return int(ticks)


def quarters_from_ticks(ticks: int) -> Fraction:
    """Ticks → exact quarter notes."""
    return Fraction(ticks, PPQ)


def us_per_quarter(bpm, meter: "Meter") -> int:
    """MIDI tempo (µs per quarter note) for `bpm` counted in the meter's beat, rounded to 1 µs (half to even).

    Exact integer arithmetic on the tempo's ratio: a ramp asks for one tempo per counted beat.
    """
    numerator, denominator = bpm.as_integer_ratio()
    divisor = numerator * meter.count_ticks
    whole, rest = divmod(_US_PER_MINUTE * PPQ * denominator, divisor)
    return whole + 1 if 2 * rest > divisor or (2 * rest == divisor and whole % 2) else whole


def bpm_from_us(us_per_qn: int, meter: "Meter") -> float:
    """The inverse of `us_per_quarter`, for display."""
    return _US_PER_MINUTE * PPQ / (us_per_qn * meter.count_ticks)


def format_clock(seconds: float, tenths: bool = False) -> str:
    """Seconds → `m:ss` (or `m:ss.s`), rounded half up, the way a rehearsal sheet shows a time."""
    scale = 10 if tenths else 1
    minutes, rest = divmod(int(max(seconds, 0.0) * scale + 0.5), 60 * scale)
    return f"{minutes}:{rest // scale:02d}" + (f".{rest % scale}" if tenths else "")


# -- meter ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Meter:
    """A time signature. Compound meters (6/8, 9/8, 12/8) are counted in dotted quarters."""

    numerator: int
    denominator: int

    @property
    def compound(self) -> bool:
        return self.denominator == 8 and self.numerator % 3 == 0 and self.numerator > 3

    @property
    def bar_ticks(self) -> int:
        return self.numerator * PPQ * 4 // self.denominator

    @property
    def count_ticks(self) -> int:
        unit = PPQ * 4 // self.denominator
        return unit * 3 if self.compound else unit

    @property
    def counts_per_bar(self) -> int:
        return self.numerator // 3 if self.compound else self.numerator

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


METER_DENOMINATORS = (2, 4, 8)


def parse_meter(text) -> Meter:
    """`"6/8"` → Meter(6, 8). Raises ValueError with what would be valid."""
    try:
        num, den = (int(p) for p in str(text).split("/"))
    except ValueError:
        raise ValueError(f"{text!r} is not a time signature like 4/4") from None
    if den not in METER_DENOMINATORS or not 1 <= num <= 15:
        raise ValueError(f"{text!r} is not a supported time signature (numerator 1-15, denominator 2, 4 or 8)")
    return Meter(num, den)


# -- the timeline --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SectionTime:
    """Where one section sits in time and how it is counted."""

    start_ticks: int
    bars: int
    meter: Meter
    tempo_start_bpm: float
    tempo_end_bpm: float
    first_bar: int

    @property
    def length_ticks(self) -> int:
        return self.bars * self.meter.bar_ticks

    @property
    def end_ticks(self) -> int:
        return self.start_ticks + self.length_ticks

    @property
    def counts(self) -> int:
        """Counted beats in the section (what dancers count)."""
        return self.bars * self.meter.counts_per_bar

    @property
    def eight_counts(self) -> int:
        """8-counts in the section; a partial last one counts."""
        return -(-self.counts // 8)

    def tempo_at_count(self, count: int) -> float:
        """BPM of counted beat `count` (0-based): constant, or a linear ramp by counted beat."""
        if self.tempo_start_bpm == self.tempo_end_bpm or self.counts < 2:
            return self.tempo_start_bpm
        step = (self.tempo_end_bpm - self.tempo_start_bpm) / (self.counts - 1)
        return self.tempo_start_bpm + step * count


@dataclass(frozen=True, slots=True)
class TempoChange:
    at_ticks: int
    us_per_qn: int


@dataclass(frozen=True, slots=True)
class Position:
    """A tick seen as a dancer and a musician count it (all numbers 1-based)."""

    section: int
    bar: int
    bar_in_section: int
    beat: int
    tick: int
    eight_count: int
    count: int

    def __str__(self) -> str:
        tail = f"+{self.tick}" if self.tick else ""
        return f"bar {self.bar} beat {self.beat}{tail} (8-count {self.eight_count}, count {self.count})"


@dataclass(frozen=True, slots=True)
class Timeline:
    """Sections laid end to end, with the tempo map that turns ticks into seconds."""

    sections: tuple[SectionTime, ...]
    tempo_changes: tuple[TempoChange, ...]
    _change_ticks: tuple[int, ...]
    _change_us_sum: tuple[int, ...]
    _section_starts: tuple[int, ...]
    count_in_bars: int = 0

    @property
    def count_in_ticks(self) -> int:
        """Ticks before the first beat of bar 1: whole bars of the first section's meter."""
        return self.count_in_bars * self.sections[0].meter.bar_ticks if self.sections else 0

    def count_in_clicks(self) -> tuple[int, ...]:
        """Ticks of the count-in's beats, one click per counted beat."""
        step = self.sections[0].meter.count_ticks if self.sections else PPQ
        return tuple(range(0, self.count_in_ticks, step))

    @property
    def end_ticks(self) -> int:
        return self.sections[-1].end_ticks if self.sections else 0

    @property
    def bars(self) -> int:
        return sum(s.bars for s in self.sections)

    def _segment(self, ticks: int) -> int:
        return max(bisect_right(self._change_ticks, ticks) - 1, 0)

    def seconds_exact(self, ticks: int) -> Fraction:
        i = self._segment(ticks)
        change = self.tempo_changes[i]
        return Fraction(self._change_us_sum[i] + (ticks - change.at_ticks) * change.us_per_qn, PPQ * 1_000_000)

    def seconds(self, ticks: int) -> float:
        """Seconds from the start of the show at `ticks` (correctly rounded)."""
        i = self._segment(ticks)
        change = self.tempo_changes[i]
        return (self._change_us_sum[i] + (ticks - change.at_ticks) * change.us_per_qn) / (PPQ * 1_000_000)

    def seconds_many(self, ticks) -> list[float]:
        """`seconds(t)` for every tick `t`, float for float, in one walk along the tempo map when the ticks
        mostly ascend (an exporter's 50,000 notes): the map is searched only where a tick leaves the segment."""
        at, us_sum, changes = self._change_ticks, self._change_us_sum, self.tempo_changes
        last = len(at) - 1
        out = []
        append = out.append
        i, low, high, us = 0, at[0], at[1] if last else _NEVER, changes[0].us_per_qn
        for t in ticks:
            if t >= high or t < low:
                i = self._segment(t)
                low, high, us = at[i], at[i + 1] if i < last else _NEVER, changes[i].us_per_qn
            append((us_sum[i] + (t - low) * us) / (PPQ * 1_000_000))
        return out

    def section_index(self, ticks: int) -> int:
        return min(max(bisect_right(self._section_starts, ticks) - 1, 0), len(self.sections) - 1)

    def position(self, ticks: int) -> Position:
        index = self.section_index(ticks)
        sec = self.sections[index]
        rel = ticks - sec.start_ticks
        bar_in, in_bar = divmod(rel, sec.meter.bar_ticks)
        beat, tick = divmod(in_bar, sec.meter.count_ticks)
        counts_from_start = rel // sec.meter.count_ticks
        return Position(section=index + 1, bar=sec.first_bar + bar_in, bar_in_section=bar_in + 1, beat=beat + 1,
                        tick=tick, eight_count=counts_from_start // 8 + 1, count=counts_from_start % 8 + 1)

    def ticks_at(self, section: int, bar: int, beat: int = 1, tick: int = 0) -> int:
        """Ticks of a section-relative bar:beat:tick (1-based bar and beat, 0-based section)."""
        sec = self.sections[section]
        return sec.start_ticks + (bar - 1) * sec.meter.bar_ticks + (beat - 1) * sec.meter.count_ticks + tick

    def tempo_bpm_at(self, ticks: int) -> float:
        sec = self.sections[self.section_index(ticks)]
        return bpm_from_us(self.tempo_changes[self._segment(ticks)].us_per_qn, sec.meter)


def build_timeline(sections, count_in_bars: int = 0) -> Timeline:
    """Lay out sections given as (bars, meter, tempo_start_bpm, tempo_end_bpm) tuples.

    A ramp changes tempo once per counted beat, linearly from the start to the end tempo.
    `count_in_bars` bars in the first section's meter and starting tempo come before bar 1.
    """
    sections = list(sections)
    laid, changes = [], []
    start, first_bar = 0, 1
    if count_in_bars and sections:
        _, meter, tempo_start, _ = sections[0]
        changes.append(TempoChange(0, us_per_quarter(tempo_start, meter)))
        start = count_in_bars * meter.bar_ticks
    for bars, meter, tempo_start, tempo_end in sections:
        sec = SectionTime(start, bars, meter, tempo_start, tempo_end, first_bar)
        laid.append(sec)
        steps = sec.counts if tempo_start != tempo_end else 1
        for beat in range(steps):
            us = us_per_quarter(sec.tempo_at_count(beat), meter)
            if not changes or changes[-1].us_per_qn != us:
                changes.append(TempoChange(start + beat * meter.count_ticks, us))
        start, first_bar = sec.end_ticks, first_bar + bars
    if not changes:
        changes.append(TempoChange(0, 500_000))
    us_sum, total = [], 0
    for i, change in enumerate(changes):
        if i:
            total += (change.at_ticks - changes[i - 1].at_ticks) * changes[i - 1].us_per_qn
        us_sum.append(total)
    return Timeline(tuple(laid), tuple(changes), tuple(c.at_ticks for c in changes), tuple(us_sum),
                    tuple(s.start_ticks for s in laid), count_in_bars if sections else 0)
