"""MusicXML read back by music21 and by MuseScore 3: the dance staff's lyrics, every part, the drum kit."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from fractions import Fraction

import pytest
from export_samples import sample_performance

from sequencer.export import musicxml
from sequencer.performance import MusicCue
from sequencer.timeline import PPQ

needs_musescore = pytest.mark.skipif(shutil.which("mscore3") is None, reason="MuseScore 3 (mscore3) is not installed")


@pytest.fixture(scope="module")
def perf():
    base = sample_performance()
    cadence = MusicCue(base.sections[0].end_ticks - PPQ, PPQ, "cadence", "half cadence on V (A)", 0)
    return replace(base, music_cues=base.music_cues + (cadence,))


@pytest.fixture(scope="module")
def path(perf, tmp_path_factory):
    target = tmp_path_factory.mktemp("xml") / "show.musicxml"
    musicxml.write(perf, target)
    return target


@pytest.fixture(scope="module")
def parsed(path):
    from music21 import converter
    return converter.parse(str(path))


def _quarters(ticks: int) -> Fraction:
    return Fraction(musicxml._quantize(ticks), PPQ)


@pytest.mark.slow
def test_every_part_is_written_under_a_dance_staff(perf, parsed):
    assert [p.partName for p in parsed.parts] == ["Dance", "Melody", "Chords", "Bass", "Drums"]


@pytest.mark.slow
def test_moves_are_lyrics_on_the_dance_staff_at_their_beats(perf, parsed):
    dance = parsed.parts[0]
    found: dict[Fraction, list[str]] = {}
    for note in dance.recurse().notes:
        at = Fraction(note.getOffsetInHierarchy(dance)).limit_denominator(96)
        found.setdefault(at, []).extend(lyric.text for lyric in note.lyrics)
    lines = {d.name: i + 1 for i, d in enumerate(perf.cast)}
    for cue in perf.cues:
        texts = found.get(_quarters(cue.start_ticks), [])
        assert cue.name in texts or f"{cue.dancer}: {cue.name}" in texts or f"all: {cue.name}" in texts, (cue, texts)
    numbers = {lyric.number for n in dance.recurse().notes for lyric in n.lyrics}
    assert numbers <= set(lines.values())


def test_a_move_everyone_dances_at_once_is_written_once_for_all():
    perf = sample_performance(cast=("Bakhyt", "Lena"))
    cues = tuple(replace(c, dancer=d) for c in perf.cues if c.dancer == "Bakhyt" for d in ("Bakhyt", "Lena"))
    data = musicxml.to_bytes(replace(perf, cues=cues)).decode()
    assert data.count("<text>all: ") == len(cues) // 2
    assert "<text>Lena" not in data


@pytest.mark.slow
def test_sections_are_numbered_rehearsal_marks_with_names_and_tempo_marks(perf, parsed):
    from music21 import expressions, tempo
    dance = parsed.parts[0]
    marks = [(Fraction(m.getOffsetInHierarchy(dance)), m.content)
             for m in dance.recurse().getElementsByClass(expressions.RehearsalMark)]
    assert [name for _, name in marks] == [str(s.index + 1) for s in perf.sections]
    assert [at for at, _ in marks] == [Fraction(s.start_ticks, PPQ) for s in perf.sections]
    names = [t.content for t in dance.recurse().getElementsByClass(expressions.TextExpression)]
    assert [n for n in names if n in {s.name for s in perf.sections}] == [s.name for s in perf.sections]
    bpms = [round(m.number) for m in dance.recurse().getElementsByClass(tempo.MetronomeMark)]
    assert bpms == [round(s.tempo_start_bpm) for s in perf.sections]


@pytest.mark.slow
def test_harmony_is_written_for_musicians_above_the_melody(perf, parsed):
    from music21 import expressions
    words = [t.content for t in parsed.parts[1].recurse().getElementsByClass(expressions.TextExpression)]
    assert "half cadence on V (A)" in words
    dance_words = [t.content for t in parsed.parts[0].recurse().getElementsByClass(expressions.TextExpression)]
    assert not any("cadence" in w for w in dance_words)


@pytest.mark.slow
def test_meters_keys_and_bar_count(perf, parsed):
    from music21 import key, meter
    for part in parsed.parts:
        measures = list(part.getElementsByClass("Measure"))
        assert len(measures) == perf.timeline.bars
        for m in measures:
            assert m.duration.quarterLength == m.barDuration.quarterLength, (part.partName, m.number)
    melody = parsed.parts[1]
    signatures = [ts.ratioString for ts in melody.recurse().getElementsByClass(meter.TimeSignature)]
    assert signatures == ["4/4", "3/4", "6/8"]
    keys = list(melody.recurse().getElementsByClass(key.KeySignature))
    assert keys[0].sharps == -1 and len(keys) >= 3  # D minor first


@pytest.mark.slow
def test_pitched_parts_hold_their_notes(perf, parsed):
    melody = {n.pitch.midi for n in parsed.parts[1].recurse().notes}
    assert melody == {n.pitch for n in perf.notes if perf.parts[n.part].name == "melody"}
    bass = {p.midi for n in parsed.parts[3].recurse().notes for p in n.pitches}
    assert bass == {n.pitch for n in perf.notes if perf.parts[n.part].name == "bass"}
    chords = list(parsed.parts[2].recurse().getElementsByClass("Chord"))
    assert chords and all(len(c.pitches) >= 2 for c in chords)


def test_drums_are_unpitched_with_an_instrument_per_sound(perf, path):
    root = ET.parse(path).getroot()
    drums = next(p for p in root.iter("score-part") if p.findtext("part-name") == "Drums")
    unpitched = {i.get("id"): int(i.findtext("midi-unpitched")) for i in drums.iter("midi-instrument")}
    assert set(unpitched.values()) == {n.pitch + 1 for n in perf.notes if perf.parts[n.part].is_drums}
    part = next(p for p in root.iter("part") if p.get("id") == drums.get("id"))
    notes = [n for n in part.iter("note") if n.find("rest") is None]
    assert notes and all(n.find("unpitched/display-step") is not None for n in notes)
    assert {n.find("instrument").get("id") for n in notes} == set(unpitched)
    places = {}
    for n in notes:
        places.setdefault(n.find("instrument").get("id"), set()).add(
            (n.findtext("unpitched/display-step"), n.findtext("unpitched/display-octave")))
    assert all(len(p) == 1 for p in places.values())  # one place per sound
    assert len({next(iter(p)) for p in places.values()}) == len(places)  # and no two sounds share one


def test_same_show_same_bytes(perf):
    data = musicxml.to_bytes(perf)
    assert data == musicxml.to_bytes(perf)
    assert musicxml.to_bytes(sample_performance()) == musicxml.to_bytes(sample_performance())
    assert b'<score-part id="P1">' in data


def _musescore(source, target) -> str:
    done = subprocess.run(["mscore3", "-o", str(target), str(source)], capture_output=True, text=True, timeout=600,
                          env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(target.parent), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


@needs_musescore
@pytest.mark.slow
def test_musescore_reads_it_back_without_unmapped_drums(path, tmp_path):
    log = _musescore(path, tmp_path / "back.mscx")
    assert "unmapped drum note" not in log
    assert "<Lyrics>" in (tmp_path / "back.mscx").read_text(encoding="utf-8")


@needs_musescore
@pytest.mark.slow
def test_musescore_engraves_every_move_inside_the_page(tmp_path):
    """MuseScore's own PDF of the default show: every move's words printed, none outside the page."""
    import pdfplumber

    from sequencer.render import load_and_compose, resolve_score_path
    _, show = load_and_compose(resolve_score_path("bakhyt-cooper"))
    musicxml.write(show, tmp_path / "crew.musicxml")
    _musescore(tmp_path / "crew.musicxml", tmp_path / "crew.pdf")
    texts, outside = [], []
    with pdfplumber.open(str(tmp_path / "crew.pdf")) as pdf:
        for page in pdf.pages:
            words_only = page.filter(lambda o: o.get("object_type") != "char" or not "\ue000" <= o["text"] <= "\uf8ff")
            texts.append(words_only.extract_text())  # without the music font's glyphs between the words
            outside += [c["text"] for c in page.chars
                        if c["x0"] < 0 or c["x1"] > page.width or c["top"] < 0 or c["bottom"] > page.height]
    assert not outside
    text = " ".join(texts)
    for section in show.sections:
        assert all(word in text for word in section.name.split()), section.name
    for cue in show.cues:
        assert all(word in text for word in cue.name.split()), cue.name
