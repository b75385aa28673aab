"""The score model: defaults a choreographer can rely on, and how open choices resolve."""

from conftest import make_score

from sequencer.compose.plan import plan, section_keys, section_tempo
from sequencer.timeline import Meter


def test_minimal_score_defaults():
    score = make_score("""
        title: Minimal
        sections:
          - {name: Only, mood: serene, bars: 8}
    """)
    assert score.seed == 0 and score.meter == Meter(4, 4) and score.key is None
    assert [(d.name, d.skill) for d in score.cast] == [("Dancer", 3)]
    section = score.sections[0]
    assert section.dancers == (score.cast[0].name,) and section.formation == "solo"
    assert section.pins == () and section.themes == ()


def test_full_section():
    score = make_score("""
        title: Full
        seed: 9
        tempo: 100
        meter: 3/4
        key: D minor
        cast: [{name: A, skill: 5}, {name: B, skill: 2}]
        motifs: {A: bakhyt-theme}
        sections:
          - name: One
            mood: joyful
            bars: 8
            meter: 6/8
            tempo: {from: 90, to: 120}
            formation: canon
            offset_counts: 4
            themes: [A, lena-theme]
            moves:
              - {dancer: B, at: "2:2:120", move: windmill}
            notes: Start slow.
            story: [1, 2]
    """)
    s = score.sections[0]
    assert s.meter == Meter(6, 8) and s.tempo_bpm == (90, 120) and s.formation == "canon"
    assert s.offset_counts == 4 and s.themes == ("A", "lena-theme") and s.story == (1, 2)
    assert s.dancers == ("A", "B") and s.notes == "Start slow."
    pin = s.pins[0]
    assert (pin.dancer, pin.bar, pin.beat, pin.tick, pin.move) == ("B", 2, 2, 120, "windmill")
    assert pin.field == "sections[0].moves[0]" and pin.line == 19
    assert score.motifs == {"A": "bakhyt-theme"}


def test_tempo_resolution():
    score = make_score("""
        title: Tempi
        tempo: 200
        sections:
          - {name: Own, mood: grief, bars: 1, tempo: 66}
          - {name: Clamped, mood: grief, bars: 1}
          - {name: Ramp, mood: hype, bars: 1, tempo: {from: 120, to: 140}}
    """)
    grief = score.library.moods["grief"]
    assert section_tempo(score, score.sections[0]) == (66, 66)
    assert section_tempo(score, score.sections[1]) == (grief.tempo_bpm[1], grief.tempo_bpm[1])
    assert section_tempo(score, score.sections[2]) == (120, 140)


def test_key_resolution():
    score = make_score("""
        title: Keys
        key: A minor
        sections:
          - {name: Home, mood: joyful, bars: 1}
          - {name: Away, mood: joyful, bars: 1, key: Eb major}
    """)
    joyful = score.library.moods["joyful"]
    assert section_keys(score) == [("A", joyful.mode), ("Eb", "major")]
    keyless = make_score("title: K\nsections: [{name: S, mood: grief, bars: 1}]\n")
    grief = keyless.library.moods["grief"]
    assert section_keys(keyless) == [(grief.tonic, grief.mode)]


def test_plan_lays_sections_end_to_end():
    score = make_score("""
        title: Plan
        sections:
          - {name: A, mood: tense, bars: 4, tempo: 120}
          - {name: B, mood: tender, bars: 3, meter: 3/4, tempo: 60}
    """)
    timeline, sections = plan(score)
    assert sections[0].start_ticks == 0 and sections[0].end_ticks == sections[1].start_ticks
    assert sections[1].first_bar == 5 and sections[1].meter == "3/4"
    assert timeline.seconds(sections[1].start_ticks) == 8.0
    assert timeline.seconds(timeline.end_ticks) == 8.0 + 9.0


def test_inline_motif_for_a_character():
    score = make_score("""
        title: Inline motif
        cast: [{name: Aigerim, skill: 4}]
        motifs:
          Aigerim: {notes: "1:1 2:1/2 3:1/2 5:2 3:1 1:1", description: her own tune}
          Old: bakhyt-theme
        sections:
          - {name: A, mood: tender, bars: 8, themes: [Aigerim, Old]}
    """)
    assert score.motifs == {"Aigerim": "Aigerim", "Old": "bakhyt-theme"}
    assert score.library.motifs["Aigerim"].description == "her own tune"
    from sequencer.compose import compose
    perf = compose(score)
    assert any("Aigerim" in cue.text for cue in perf.music_cues if cue.kind == "motif")
