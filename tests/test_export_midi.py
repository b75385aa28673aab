"""MIDI read back with real tools: mido for timing, music21 for a second opinion."""

import mido
import pytest
from conftest import make_performance

from sequencer.export import midi

SHOW = """
    title: Read-back
    seed: 3
    tempo: 96
    cast: [{name: Bakhyt, skill: 5}, {name: Лена, skill: 4}]
    sections:
      - {name: Intro, mood: mysterious, bars: 4, tempo: 84, dancers: [Bakhyt],
         moves: [{dancer: Bakhyt, at: "3:1", move: airchair}]}
      - {name: Climb, mood: determined, bars: 8, tempo: {from: 90, to: 126}}
      - {name: Waltz, mood: tender, bars: 6, meter: 3/4, tempo: 72}
      - {name: Jig, mood: playful, bars: 4, meter: 6/8, tempo: {from: 60, to: 80}}
      - {name: Out, mood: grief, bars: 2, tempo: 64, key: E minor}
"""


@pytest.fixture(scope="module")
def perf():
    return make_performance(SHOW)


@pytest.fixture(scope="module")
def path(perf, tmp_path_factory):
    target = tmp_path_factory.mktemp("midi") / "show.mid"
    midi.write(perf, target)
    return target


def read(path):
    return mido.MidiFile(path, charset="utf-8")


def timed_events(path):
    """(seconds, message) for every message, with seconds from mido's own tempo handling."""
    now, events = 0.0, []
    for msg in read(path):
        now += msg.time
        events.append((now, msg))
    return events


def test_type_1_with_conductor_parts_and_dancers(perf, path):
    mid = read(path)
    assert mid.type == 1 and mid.ticks_per_beat >= 480
    names = [t.name for t in mid.tracks]
    assert names[0] == perf.title
    assert names[1:1 + len(perf.parts)] == [p.name for p in perf.parts]
    assert names[1 + len(perf.parts):] == ["Bakhyt (dance)", "Лена (dance)"]


def test_markers_land_on_section_starts_within_a_millisecond(perf, path):
    markers = [(t, m.text) for t, m in timed_events(path) if m.type == "marker"]
    expected = [(perf.seconds(s.start_ticks), s.name) for s in perf.sections] + [(perf.length_s, "End")]
    assert [text for _, text in markers] == [text for _, text in expected]
    for (got, _), (want, _) in zip(markers, expected):
        assert abs(got - want) < 0.001


def test_file_length_equals_performance(perf, path):
    assert abs(read(path).length - perf.length_s) < 0.001


def test_tempo_ramp_is_written_beat_by_beat(perf, path):
    conductor = read(path).tracks[0]
    tempos = [m for m in conductor if m.type == "set_tempo"]
    ramp = perf.timeline.sections[1]
    assert len(tempos) >= 1 + ramp.counts  # every counted beat of the ramp has its own tempo
    assert tempos[0].tempo == mido.bpm2tempo(84)


def test_time_and_key_signatures(path):
    conductor = read(path).tracks[0]
    sigs = [(m.numerator, m.denominator) for m in conductor if m.type == "time_signature"]
    assert sigs == [(4, 4), (3, 4), (6, 8), (4, 4)]
    keys = [m.key for m in conductor if m.type == "key_signature"]
    assert keys[-1] == "Em"


def test_drums_on_channel_10_only(perf, path):
    mid = read(path)
    for part, track in zip(perf.parts, mid.tracks[1:]):
        channels = {m.channel for m in track if hasattr(m, "channel")}
        assert channels == {part.channel}
        assert (part.channel == 9) == part.is_drums
        assert [m.program for m in track if m.type == "program_change"] == [part.program]


def test_every_note_is_written_and_closed(perf, path):
    mid = read(path)
    ons = sum(1 for t in mid.tracks for m in t if m.type == "note_on" and m.velocity > 0)
    offs = sum(1 for t in mid.tracks for m in t if m.type == "note_off")
    assert ons == offs == len(perf.notes)


def test_dance_cues_name_the_dancer_and_move(perf, path):
    cues = sorted((m.text, t) for t, m in timed_events(path) if m.type == "cue_marker")
    lyrics = sorted(m.text for _, m in timed_events(path) if m.type == "lyrics")
    expected = sorted((f"{c.dancer}: {c.move}", perf.seconds(c.start_ticks)) for c in perf.cues)
    assert [text for text, _ in cues] == [text for text, _ in expected] == lyrics
    assert all(abs(got - want) < 0.001 for (_, got), (_, want) in zip(cues, expected))
    assert "Bakhyt: airchair" in lyrics


@pytest.mark.slow
def test_music21_reads_it(path):
    music21 = pytest.importorskip("music21")
    score = music21.converter.parse(str(path), format="midi")
    assert len(score.parts) >= 1
    assert score.highestTime > 0


def test_same_input_same_bytes(perf):
    assert midi.to_bytes(perf) == midi.to_bytes(make_performance(SHOW))


@pytest.mark.slow
def test_key_signatures_agree_with_music21(perf, path):
    """Each key signature event, read by mido, is the signature music21 gives the section's key."""
    key = pytest.importorskip("music21.key")
    at = {sec.start_ticks: sec for sec in perf.sections}
    now, found = 0, []
    for message in read(path).tracks[0]:
        now += message.time
        if message.type == "key_signature":
            sec = at[now]
            minor = message.key.endswith("m")
            written = key.Key(message.key[:-1].lower() if minor else message.key)
            wanted = key.Key(sec.tonic, "minor" if "minor" in sec.mode else sec.mode)
            found.append((written.sharps, minor) == (wanted.sharps, wanted.mode == "minor"))
    assert found and all(found)


def test_long_and_non_latin_text_events_read_back(tmp_path):
    """Text longer than 127 bytes needs a two-byte length; Cyrillic is UTF-8."""
    text = "Лена: " + "windmill " * 30
    track = b"\x00" + midi._meta("lyrics", text=text) + b"\x00" + midi._meta("end_of_track")
    path = tmp_path / "t.mid"
    path.write_bytes(b"MThd" + bytes((0, 0, 0, 6, 0, 0, 0, 1, 1, 0xE0)) + b"MTrk" + len(track).to_bytes(4, "big")
                     + track)
    [message] = [m for m in read(path).tracks[0] if m.type == "lyrics"]
    assert message.text == text
