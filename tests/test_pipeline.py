"""The whole pipeline on random valid scores: exact time, complete parts, exports that agree with the model."""

import io
import json
import os
from fractions import Fraction

import mido
import pytest
from conftest import make_score
from hypothesis import HealthCheck, given, settings, strategies as st

from sequencer.compose import compose
from sequencer.export import json as json_export, midi
from sequencer.library import builtin
from sequencer.timeline import PPQ
from sequencer.wellformed import check_performance

MOODS = sorted(builtin().moods)
COUNTS_PER_BAR = {"4/4": 4, "3/4": 3, "6/8": 2, "2/4": 2}  # per bar; the BPM counts these (6/8: dotted quarters)


@st.composite
def shows(draw):
    names = ["Ana", "Bo", "Cy"][:draw(st.integers(1, 3))]
    lines = ["title: Random", f"seed: {draw(st.integers(0, 2**32 - 1))}", "cast:"]
    lines += [f"  - {{name: {n}, skill: {draw(st.integers(1, 5))}}}" for n in names]
    lines.append("sections:")
    for i in range(draw(st.integers(1, 4))):
        meter = draw(st.sampled_from(sorted(COUNTS_PER_BAR)))
        start = draw(st.integers(40, 200))
        tempo = f"{{from: {start}, to: {draw(st.integers(40, 200))}}}" if draw(st.booleans()) else start
        dancers = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
        formation = "solo" if len(dancers) == 1 else draw(st.sampled_from(
            ["unison", "mirror", "canon", "call-response"] + (["duet"] if len(dancers) == 2 else [])))
        lines.append(f"  - {{name: S{i}, mood: {draw(st.sampled_from(MOODS))}, bars: {draw(st.integers(1, 12))}, "
                     f"meter: {meter}, tempo: {tempo}, dancers: [{', '.join(dancers)}], formation: {formation}}}")
    return "\n".join(lines) + "\n"


def ideal_seconds(score) -> list[float]:
    """Section start times computed independently: counted beats at their (ramped) tempo."""
    starts, now = [], Fraction(0)
    for section in score.sections:
        starts.append(now)
        counts = section.bars * COUNTS_PER_BAR[str(section.meter)]
        low, high = section.tempo_bpm
        for k in range(counts):
            bpm = Fraction(low) + (Fraction(high - low) * k / (counts - 1) if counts > 1 and low != high else 0)
            now += Fraction(60) / bpm
    return [float(s) for s in starts] + [float(now)]


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shows())
def test_random_show_end_to_end(text):
    score = make_score(text)
    perf = compose(score)
    assert perf == compose(score)  # deterministic

    # every rule a finished performance must obey
    broken = [v for v in check_performance(perf) if not v.ok]
    assert not broken, broken

    # the tempo map gives the same seconds as an independent sum
    ends = [s.start_ticks for s in perf.sections] + [perf.end_ticks]
    for ticks, want in zip(ends, ideal_seconds(score)):
        assert abs(perf.seconds(ticks) - want) < 0.005  # tempo is quantised to whole µs per quarter

    # every move starts on a counted beat (the rules see to it that the moves cover the sections)
    for section, laid in zip(perf.sections, perf.timeline.sections):
        mine = [c for c in perf.cues if c.section == section.index]
        assert all((c.start_ticks - section.start_ticks) % laid.meter.count_ticks == 0 for c in mine)

    # MIDI: markers at the model's seconds; JSON: the same cues with the same counts
    events, now = [], 0.0
    for msg in mido.MidiFile(file=io.BytesIO(midi.to_bytes(perf)), charset="utf-8"):
        now += msg.time
        if msg.type == "marker":
            events.append((msg.text, now))
    assert [t for t, _ in events] == [s.name for s in perf.sections] + ["End"]
    assert all(abs(at - perf.seconds(e)) < 0.001 for (_, at), e in zip(events, ends))
    doc = json.loads(json_export.to_json(perf))
    assert len(doc["cues"]) == len(perf.cues)
    for cue, model in zip(doc["cues"], perf.cues):
        pos = perf.position(model.start_ticks)
        assert (cue["bar"], cue["eight_count"], cue["count"]) == (pos.bar, pos.eight_count, pos.count)
        assert cue["start_quarters"] == model.start_ticks / PPQ


def _long_score(bars: int):
    """A show of `bars` bars in 16-bar sections, two dancers, moods and formations changing."""
    lines = ["title: Long", "seed: 5", "cast:", "  - {name: Ana, skill: 4}", "  - {name: Bo, skill: 3}", "sections:"]
    formations = ("unison", "canon", "call-response", "mirror")
    lines += [f"  - {{name: S{i}, mood: {MOODS[i % len(MOODS)]}, bars: 16, formation: {formations[i % 4]}}}"
              for i in range(bars // 16)]
    return make_score("\n".join(lines) + "\n")


@pytest.mark.slow
def test_a_long_show_composed_side_by_side_is_the_show_composed_in_one_process(monkeypatch):
    from sequencer.compose import SIDE_BY_SIDE_BARS
    score = _long_score(SIDE_BY_SIDE_BARS)
    monkeypatch.setenv("SEQUENCER_JOBS", "2")
    side_by_side = compose(score)
    monkeypatch.setenv("SEQUENCER_JOBS", "1")
    assert side_by_side.timeline.bars >= SIDE_BY_SIDE_BARS and compose(score) == side_by_side


@pytest.mark.slow
def test_an_error_in_the_forked_dance_reaches_the_caller(monkeypatch):
    from sequencer.compose import SIDE_BY_SIDE_BARS
    def broken(show, hits):
        raise ValueError(f"the dance broke in process {os.getpid()}")
    monkeypatch.setattr("sequencer.compose.dance", broken)
    monkeypatch.setenv("SEQUENCER_JOBS", "2")
    with pytest.raises(ValueError, match="the dance broke in process") as raised:
        compose(_long_score(SIDE_BY_SIDE_BARS))
    assert str(raised.value).split()[-1] != str(os.getpid())  # it was danced in another process
