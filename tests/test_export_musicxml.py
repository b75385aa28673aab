"""MusicXML read back by music21: the moves above the staff at their beats, the sections as rehearsal marks."""

from fractions import Fraction

import pytest
from export_samples import sample_performance

from sequencer.export import musicxml
from sequencer.timeline import PPQ


@pytest.fixture(scope="module")
def perf():
    return sample_performance()


@pytest.fixture(scope="module")
def parsed(perf, tmp_path_factory):
    from music21 import converter
    path = tmp_path_factory.mktemp("xml") / "show.musicxml"
    musicxml.write(perf, path)
    return converter.parse(str(path))


def _quarters(ticks: int) -> Fraction:
    return Fraction(musicxml._quantize(ticks), PPQ)


@pytest.mark.slow
def test_moves_are_text_above_the_melody_at_their_beats(perf, parsed):
    from music21 import expressions
    melody = parsed.parts[0]
    found: dict[Fraction, str] = {}
    for text in melody.recurse().getElementsByClass(expressions.TextExpression):
        at = Fraction(text.getOffsetInHierarchy(melody)).limit_denominator(96)
        found[at] = found.get(at, "") + " / " + text.content
    for cue in perf.cues:
        at = _quarters(cue.start_ticks)
        assert f"{cue.dancer}: {cue.name}" in found.get(at, ""), (cue, at)


@pytest.mark.slow
def test_sections_are_rehearsal_marks_with_tempo_marks(perf, parsed):
    from music21 import expressions, tempo
    melody = parsed.parts[0]
    marks = [(Fraction(m.getOffsetInHierarchy(melody)), m.content)
             for m in melody.recurse().getElementsByClass(expressions.RehearsalMark)]
    assert [name for _, name in marks] == [s.name for s in perf.sections]
    assert [at for at, _ in marks] == [Fraction(s.start_ticks, PPQ) for s in perf.sections]
    bpms = [round(m.number) for m in melody.recurse().getElementsByClass(tempo.MetronomeMark)]
    assert bpms == [round(s.tempo_start_bpm) for s in perf.sections]


@pytest.mark.slow
def test_meters_keys_and_bar_count(perf, parsed):
    from music21 import key, meter
    melody = parsed.parts[0]
    measures = list(melody.getElementsByClass("Measure"))
    assert len(measures) == perf.timeline.bars
    signatures = [ts.ratioString for ts in melody.recurse().getElementsByClass(meter.TimeSignature)]
    assert signatures == ["4/4", "3/4", "6/8"]
    for m, laid in zip(measures[:1], perf.timeline.sections):
        assert m.duration.quarterLength == Fraction(laid.meter.bar_ticks, PPQ)
    keys = list(melody.recurse().getElementsByClass(key.KeySignature))
    assert keys[0].sharps == -1  # D minor
    assert len(keys) >= 3


@pytest.mark.slow
def test_melody_harmony_and_bass_staves_hold_the_notes(perf, parsed):
    assert [p.partName for p in parsed.parts] == ["Melody", "Harmony", "Bass"]
    melody_pitches = {n.pitch.midi for n in parsed.parts[0].recurse().notes}
    expected = {n.pitch for n in perf.notes if perf.parts[n.part].name == "melody"}
    assert melody_pitches == expected
    chords = list(parsed.parts[1].recurse().getElementsByClass("Chord"))
    assert chords and all(len(c.pitches) >= 2 for c in chords)
    for part in parsed.parts:
        for m in part.getElementsByClass("Measure"):
            assert m.duration.quarterLength == m.barDuration.quarterLength


@pytest.mark.slow
def test_same_show_same_bytes(perf):
    data = musicxml.to_bytes(perf)
    assert data == musicxml.to_bytes(sample_performance())
    assert b"<encoding-date>2000-01-01</encoding-date>" in data
    assert b'<score-part id="P1">' in data


@pytest.mark.slow
def test_a_composed_show_reads_back_with_every_move(tmp_path):
    from conftest import make_performance
    from music21 import converter, expressions
    perf = make_performance("""
        title: Two moods
        seed: 5
        cast: [{name: Bakhyt, skill: 5}, {name: Lena, skill: 4}]
        sections:
          - {name: Rooftop, mood: joyful, bars: 8, formation: duet}
          - {name: Waltz, mood: melancholy, bars: 6, meter: 3/4}
    """)
    musicxml.write(perf, tmp_path / "two.musicxml")
    parsed = converter.parse(str(tmp_path / "two.musicxml"))
    texts = " / ".join(t.content for t in parsed.parts[0].recurse().getElementsByClass(expressions.TextExpression))
    for cue in perf.cues:
        assert f"{cue.dancer}: {cue.name}" in texts
    marks = [m.content for m in parsed.parts[0].recurse().getElementsByClass(expressions.RehearsalMark)]
    assert marks == ["Rooftop", "Waltz"]
