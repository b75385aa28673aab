"""The section plan: key signatures, what each section carries, and counted beats that stay counted beats."""

import pytest
from conftest import make_score

from sequencer.compose import compose
from sequencer.compose.plan import key_signature, plan, plan_show
from sequencer.moods import MODES, TONICS
from sequencer.timeline import PPQ


@pytest.mark.parametrize("tonic, mode, signature", [
    ("C", "major", (0, False)), ("D", "minor", (-1, True)), ("D", "dorian", (0, False)),
    ("F", "lydian", (0, False)), ("E", "phrygian", (0, False)), ("B", "locrian", (0, False)),
    ("G", "mixolydian", (0, False)), ("Bb", "major", (-2, False)), ("A", "harmonic minor", (0, True)),
    ("C", "melodic minor", (-3, True)), ("C#", "major", (7, False)), ("Db", "major", (-5, False)),
    ("Eb", "minor", (-6, True)), ("D#", "minor", (6, True)), ("G#", "major", (-4, False)),
    ("F#", "aeolian", (3, True)),
])
def test_key_signatures_keep_the_spelling_and_take_the_parent_major_of_a_mode(tonic, mode, signature):
    assert key_signature(tonic, mode) == signature


def test_every_key_has_a_signature_of_at_most_seven_accidentals():
    assert all(-7 <= key_signature(t, m)[0] <= 7 for t in TONICS for m in MODES)


@pytest.mark.slow
def test_key_signatures_agree_with_music21():
    key = pytest.importorskip("music21.key")
    for tonic in TONICS:
        for mode in MODES:
            sharps, minor = key_signature(tonic, mode)
            wanted = key.Key(tonic, "minor" if minor else mode).sharps
            if abs(wanted) > 7:  # music21 keeps G# major at 8 sharps; a signature cannot
                wanted -= 12 if wanted > 0 else -12
            assert sharps == wanted, (tonic, mode)


SHOW = """
    title: Plan
    seed: 11
    key: A minor
    cast: [{name: Ana, skill: 4}, {name: Bo, skill: 2}]
    motifs: {Ana: lena-theme}
    sections:
      - {name: One, mood: tender, bars: 4, dancers: [Ana], themes: [Ana],
         moves: [{at: "2:1", move: airchair}]}
      - {name: Two, mood: hype, bars: 6, meter: 6/8, tempo: 100, dancers: [Ana, Bo], formation: unison}
"""


@pytest.fixture(scope="module")
def show():
    return plan_show(make_score(SHOW))


def test_the_plan_resolves_key_tempo_skills_pins_and_themes(show):
    one, two = show.sections
    assert one.info.key == "A " + one.mood.mode and one.info.key_sharps == key_signature("A", one.mood.mode)[0]
    assert two.info.tempo_start_bpm == two.info.tempo_end_bpm == 100
    assert one.skills == {"Ana": 4} and two.skills == {"Ana": 4, "Bo": 2}
    assert [p.move for p in one.pins] == ["airchair"] and two.pins == ()
    assert [(label, motif.name) for label, motif in one.themes] == [("Ana", "lena-theme")]
    assert [s.info.index for s in show.sections] == [0, 1] and show.dancer("Bo").skill == 2


def test_plan_gives_the_timeline_and_the_sections_a_performance_keeps(show):
    timeline, infos = plan(make_score(SHOW))
    assert timeline == show.timeline and infos == show.infos


def test_six_eight_is_counted_in_dotted_quarters_everywhere():
    """6 bars of 6/8 at 100 BPM: 12 counted beats of 720 ticks, 7.2 s; quarter notes only where a name says so."""
    perf = compose(make_score(SHOW))
    show = plan_show(make_score(SHOW))
    two, laid = show.sections[1], show.sections[1].time
    assert two.counts == 12 and laid.meter.count_ticks == 3 * PPQ // 2
    assert perf.seconds(laid.end_ticks) - perf.seconds(laid.start_ticks) == pytest.approx(12 * 60 / 100, abs=1e-3)
    library = make_score(SHOW).library
    moves = [c for c in perf.cues if c.section == 1]
    assert moves
    for cue in moves:
        counts, rest = divmod(cue.length_ticks, laid.meter.count_ticks)
        assert rest == 0 and (cue.start_ticks - laid.start_ticks) % laid.meter.count_ticks == 0
        if cue.combo is None:
            assert counts in library.moves[cue.move].lengths  # a 4-count move lasts 4 dotted quarters
    for dancer in ("Ana", "Bo"):
        assert sum(c.length_ticks for c in moves if c.dancer == dancer) // laid.meter.count_ticks == two.counts
    positions = {perf.position(c.start_ticks).count for c in moves}
    assert positions <= set(range(1, 9)) and len(positions) > 1
