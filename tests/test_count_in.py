"""`--count-in BARS`: clicks before bar 1, and every exported time moved by the same amount."""

import json
from fractions import Fraction
from io import BytesIO

import mido
import pytest

from sequencer.compose import compose
from sequencer.export.json import to_dict
from sequencer.export.midi import CLICK_CHANNEL, CLICK_PITCH, to_bytes
from sequencer.wellformed import run_rule

from conftest import make_score

SCORE = """
    title: Two bars first
    seed: 3
    cast: [{name: Ana, skill: 4}, {name: Bo, skill: 3}]
    sections:
      - {name: Intro, mood: mysterious, bars: 4, tempo: 90, meter: 3/4}
      - {name: Fight, mood: defiant, bars: 4, tempo: 140}
"""


@pytest.fixture(scope="module")
def shows():
    score = make_score(SCORE)
    return compose(score), compose(score, count_in_bars=2)


def test_count_in_is_whole_bars_of_the_first_meter_and_tempo(shows):
    plain, counted = shows
    timeline = counted.timeline
    assert timeline.count_in_bars == 2 and plain.timeline.count_in_ticks == 0
    assert timeline.count_in_ticks == 2 * timeline.sections[0].meter.bar_ticks == counted.sections[0].start_ticks
    assert len(timeline.count_in_clicks()) == 6  # two bars of 3/4
    assert timeline.seconds(timeline.count_in_ticks) == pytest.approx(6 * 60 / 90)
    assert counted.position(counted.sections[0].start_ticks).bar == 1


def test_everything_moves_by_the_count_in(shows):
    plain, counted = shows
    shift = counted.timeline.count_in_ticks
    assert [(n.start_ticks + shift, n.length_ticks, n.pitch) for n in plain.notes] == \
        [(n.start_ticks, n.length_ticks, n.pitch) for n in counted.notes]
    assert [(c.start_ticks + shift, c.dancer, c.move) for c in plain.cues] == \
        [(c.start_ticks, c.dancer, c.move) for c in counted.cues]
    assert [h.at_ticks + shift for h in plain.hits] == [h.at_ticks for h in counted.hits]
    assert [str(plain.position(c.start_ticks)) for c in plain.cues] == \
        [str(counted.position(c.start_ticks)) for c in counted.cues]
    assert run_rule("sections-tile", counted).ok


def test_sections_tile_catches_a_show_that_ignores_its_count_in(shows):
    from dataclasses import replace
    plain, counted = shows
    broken = replace(plain, timeline=counted.timeline)  # sections at tick 0, timeline expecting a count-in
    assert not run_rule("sections-tile", broken).ok


def test_json_says_how_long_the_count_in_is_and_sections_move(shows):
    plain, counted = shows
    a, b = to_dict(plain), to_dict(counted)
    lead_s = 6 * 60 / 90
    assert a["count_in"] == {"bars": 0, "ticks": 0, "s": 0}
    assert b["count_in"]["bars"] == 2 and b["count_in"]["s"] == pytest.approx(lead_s, abs=1e-5)
    for x, y in zip(a["sections"], b["sections"]):
        assert y["start_s"] == pytest.approx(x["start_s"] + b["count_in"]["s"], abs=2e-6)
        assert y["start_ticks"] == x["start_ticks"] + b["count_in"]["ticks"]
    for x, y in zip(a["cues"], b["cues"]):
        assert y["start_s"] == pytest.approx(x["start_s"] + b["count_in"]["s"], abs=2e-6)
        assert (y["bar"], y["eight_count"], y["count"]) == (x["bar"], x["eight_count"], x["count"])
    json.dumps(b)


def test_midi_clicks_before_bar_one_and_markers_move(shows):
    plain, counted = shows
    midi = mido.MidiFile(file=BytesIO(to_bytes(counted)))
    clicks, markers, first_band = [], {}, None
    for track in midi.tracks:
        now = 0
        for msg in track:
            now += msg.time
            if msg.type == "note_on" and msg.velocity:
                if msg.channel == CLICK_CHANNEL and msg.note == CLICK_PITCH and now < counted.timeline.count_in_ticks:
                    clicks.append(now)
                elif first_band is None or now < first_band:
                    first_band = now
            if msg.type == "marker":
                markers[msg.text] = now
    assert clicks == list(counted.timeline.count_in_clicks())
    assert first_band == counted.timeline.count_in_ticks == min(n.start_ticks for n in counted.notes)
    for info in counted.sections:
        assert markers[info.name] == info.start_ticks
        assert Fraction(str(round(midi_seconds(midi, info.start_ticks), 6))) == \
            Fraction(str(round(counted.seconds(info.start_ticks), 6)))
    plain_midi = mido.MidiFile(file=BytesIO(to_bytes(plain)))
    assert not any(t.name == "Count-in" for t in plain_midi.tracks)


def midi_seconds(midi: mido.MidiFile, tick: int) -> float:
    """Seconds at `tick` from the file's own tempo events, as a player computes them."""
    tempo, now, seconds = 500_000, 0, 0.0
    for msg in midi.tracks[0]:
        if now + msg.time > tick:
            break
        now += msg.time
        seconds += mido.tick2second(msg.time, midi.ticks_per_beat, tempo)
        if msg.type == "set_tempo":
            tempo = msg.tempo
    return seconds + mido.tick2second(tick - now, midi.ticks_per_beat, tempo)


def test_cli_count_in_and_its_limits(run_cli, tmp_path):
    code, _, err = run_cli("render", "first-light", "-f", "json", "-o", tmp_path, "-q", "--count-in", "1")
    assert code == 0, err
    doc = json.loads((tmp_path / "first-light.performance.json").read_text())
    assert doc["count_in"]["bars"] == 1 and doc["sections"][0]["start_ticks"] == doc["count_in"]["ticks"] > 0
    with pytest.raises(SystemExit) as stop:
        run_cli("render", "--count-in", "99")
    assert stop.value.code == 2


@pytest.mark.slow
def test_audio_clicks_on_the_count_in_beats_and_the_band_follows_late_by_exactly_the_count_in(tmp_path):
    """Read back what FluidSynth rendered: clicks where the timeline says, then the same music, shifted."""
    import shutil
    import numpy as np
    soundfile = pytest.importorskip("soundfile", reason="soundfile reads the audio back")
    from sequencer.errors import MissingToolError
    from sequencer.export import audio
    from sequencer.render import load_and_compose, resolve_score_path
    try:
        audio.find_soundfont()
    except MissingToolError:
        pytest.skip("no General MIDI soundfont (apt-get install timgm6mb-soundfont)")
    if shutil.which("fluidsynth") is None:
        pytest.skip("fluidsynth is not installed (apt-get install fluidsynth)")

    def render(bars):
        perf = load_and_compose(resolve_score_path("first-light"), count_in_bars=bars)[1]
        audio.write(perf, tmp_path / f"{bars}.wav")
        samples, rate = soundfile.read(tmp_path / f"{bars}.wav", dtype="float32")
        return perf, rate, samples.mean(axis=1)

    plain, rate, a = render(0)
    counted, _, b = render(1)
    lead_s = counted.seconds(counted.timeline.count_in_ticks)
    for tick in counted.timeline.count_in_clicks():
        at = round(counted.seconds(tick) * rate)
        before = np.abs(b[max(at - rate // 50, 0):at]).max(initial=0)
        after = np.abs(b[at:at + rate // 50]).max()
        assert after > 4 * before + 0.003, f"no click at {counted.seconds(tick):.3f} s"
    # The band in the counted render is the plain render, later by the count-in (to a FluidSynth block).
    window = slice(round(5 * rate), round(9 * rate))
    shift = round(lead_s * rate)
    lags = range(shift - 256, shift + 257)
    scores = [float(np.dot(a[window], b[window.start + lag:window.stop + lag])) for lag in lags]
    assert abs(lags[int(np.argmax(scores))] - shift) <= 64
