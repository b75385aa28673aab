"""Timeline arithmetic against independent computations: ideal seconds, positions, counts."""

import random
from fractions import Fraction

import pytest
from hypothesis import example, given, settings, strategies as st

from sequencer.timeline import (PPQ, Meter, quarters_from_ticks, build_timeline, parse_meter, ticks_from_quarters,
                                us_per_quarter)

METERS = [Meter(4, 4), Meter(3, 4), Meter(6, 8), Meter(2, 4), Meter(12, 8), Meter(5, 4), Meter(7, 8), Meter(2, 2)]

section_st = st.tuples(
    st.integers(1, 24),
    st.sampled_from(METERS),
    st.integers(30, 300),
    st.one_of(st.none(), st.integers(30, 300)),
).map(lambda t: (t[0], t[1], t[2], t[3] if t[3] is not None else t[2]))


def ideal_seconds(sections, ticks):
    """Seconds by walking counted beats with the unrounded ramp tempo: an independent computation."""
    total, start = Fraction(0), 0
    for bars, meter, t0, t1 in sections:
        counts = bars * meter.counts_per_bar
        for i in range(counts):
            bpm = Fraction(t0) if t0 == t1 or counts < 2 else Fraction(t0) + Fraction(t1 - t0, counts - 1) * i
            beat_start = start + i * meter.count_ticks
            if ticks <= beat_start:
                return total
            portion = min(ticks - beat_start, meter.count_ticks)
            total += Fraction(60) / bpm * Fraction(portion, meter.count_ticks)
        start += bars * meter.bar_ticks
    return total


@given(st.lists(section_st, min_size=1, max_size=6), st.data())
@settings(max_examples=40, deadline=None)
def test_seconds_match_ideal_tempo_within_microsecond_rounding(sections, data):
    timeline = build_timeline(sections)
    ticks = data.draw(st.integers(0, timeline.end_ticks))
    quarters = Fraction(ticks, PPQ)
    # MIDI tempo is whole microseconds per quarter: at most 0.5 µs off per quarter note.
    assert abs(timeline.seconds_exact(ticks) - ideal_seconds(sections, ticks)) <= quarters * Fraction(1, 2_000_000)
    assert timeline.seconds(ticks) == pytest.approx(float(timeline.seconds_exact(ticks)), abs=1e-9)


@given(st.lists(section_st, min_size=1, max_size=6))
@settings(max_examples=40, deadline=None)
def test_sections_are_laid_end_to_end_in_whole_bars(sections):
    timeline = build_timeline(sections)
    start, bar = 0, 1
    for laid, (bars, meter, _, _) in zip(timeline.sections, sections):
        assert laid.start_ticks == start and laid.first_bar == bar
        assert laid.length_ticks == bars * meter.numerator * PPQ * 4 // meter.denominator
        start, bar = laid.end_ticks, bar + bars
    assert timeline.end_ticks == start and timeline.bars == bar - 1


@given(st.lists(section_st, min_size=1, max_size=5), st.data())
@settings(max_examples=40, deadline=None)
def test_positions_round_trip_and_count_in_eights(sections, data):
    timeline = build_timeline(sections)
    index = data.draw(st.integers(0, len(sections) - 1))
    laid = timeline.sections[index]
    bar = data.draw(st.integers(1, laid.bars))
    beat = data.draw(st.integers(1, laid.meter.counts_per_bar))
    tick = data.draw(st.integers(0, laid.meter.count_ticks - 1))
    ticks = timeline.ticks_at(index, bar, beat, tick)
    pos = timeline.position(ticks)
    assert (pos.section, pos.bar_in_section, pos.beat, pos.tick) == (index + 1, bar, beat, tick)
    assert pos.bar == laid.first_bar + bar - 1
    counted = (bar - 1) * laid.meter.counts_per_bar + beat - 1
    assert (pos.eight_count, pos.count) == (counted // 8 + 1, counted % 8 + 1)
    assert 1 <= pos.count <= 8


@given(st.lists(section_st, min_size=1, max_size=4), st.integers(0, 2), st.integers(0, 2**32))
@settings(max_examples=40, deadline=None)
def test_seconds_many_equals_seconds_for_every_tick_in_any_order(sections, count_in, seed):
    timeline = build_timeline(sections, count_in)
    every = list(range(0, timeline.end_ticks + 1, 29)) + [timeline.end_ticks]
    # ascending (a walk along ramps), shuffled (searches), and ends that step back a little
    ticks = every + random.Random(seed).sample(every, len(every)) + [t + d for t in every for d in (90, -40) if t + d >= 0]
    assert timeline.seconds_many(ticks) == [timeline.seconds(t) for t in ticks]


@given(st.one_of(st.integers(1, 400), st.floats(1, 400), st.fractions(1, 400)), st.sampled_from(METERS))
@example(Fraction(120_000_000, 300_001), Meter(4, 4))  # 150,000.5 µs: a tie, to the even 150,000
@example(Fraction(120_000_000, 300_003), Meter(4, 4))  # 150,001.5 µs: a tie, to the even 150,002
def test_us_per_quarter_is_the_exact_tempo_rounded_half_to_even(bpm, meter):
    assert us_per_quarter(bpm, meter) == round(Fraction(60_000_000 * PPQ) / (Fraction(bpm) * meter.count_ticks))


def test_eight_count_spans_two_bars_of_four_four():
    timeline = build_timeline([(8, Meter(4, 4), 100, 100)])
    assert timeline.sections[0].eight_counts == 4
    assert timeline.position(timeline.ticks_at(0, 3, 1)).eight_count == 2
    assert timeline.position(timeline.ticks_at(0, 2, 4)).count == 8


def test_six_eight_counts_dotted_quarters():
    meter = parse_meter("6/8")
    assert (meter.counts_per_bar, meter.count_ticks, meter.bar_ticks) == (2, 720, 1440)
    # 100 dotted quarters a minute = 150 quarters a minute = 400,000 µs per quarter.
    assert us_per_quarter(100, meter) == 400_000
    timeline = build_timeline([(4, meter, 100, 100)])
    assert timeline.seconds(timeline.end_ticks) == pytest.approx(8 * 60 / 100)


def test_ramp_changes_tempo_once_per_counted_beat_and_reaches_the_end_tempo():
    timeline = build_timeline([(2, Meter(4, 4), 84, 120)])
    changes = timeline.tempo_changes
    assert [c.at_ticks for c in changes] == [i * PPQ for i in range(8)]
    assert changes[0].us_per_qn == us_per_quarter(84, Meter(4, 4))
    assert changes[-1].us_per_qn == us_per_quarter(120, Meter(4, 4))


def test_constant_tempo_sections_emit_no_redundant_changes():
    timeline = build_timeline([(4, Meter(4, 4), 100, 100), (4, Meter(4, 4), 100, 100), (4, Meter(3, 4), 90, 90)])
    assert [c.at_ticks for c in timeline.tempo_changes] == [0, 8 * 4 * PPQ]


@pytest.mark.parametrize("text", ["4", "4/3", "0/4", "16/4", "x/4", "4/4/4", ""])
def test_bad_meters_are_refused(text):
    with pytest.raises(ValueError):
        parse_meter(text)


def test_beats_and_ticks_convert_exactly():
    assert ticks_from_quarters(Fraction(1, 3)) == 160
    assert quarters_from_ticks(160) == Fraction(1, 3)
    with pytest.raises(ValueError):
        ticks_from_quarters(Fraction(1, 7))


def test_format_clock_rounds_without_a_sixtieth_second():
    from sequencer.timeline import format_clock
    assert format_clock(0) == "0:00" and format_clock(59.6) == "1:00" and format_clock(318.83) == "5:19"
    assert format_clock(318.83, tenths=True) == "5:18.8" and format_clock(59.96, tenths=True) == "1:00.0"
