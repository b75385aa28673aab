"""The performance JSON: complete, exact, and consistent with the timeline."""

import json
from dataclasses import replace
from fractions import Fraction

import pytest
from conftest import make_performance
from hypothesis import given, settings, strategies as st

from sequencer.export.json import to_dict, to_json
from sequencer.timeline import PPQ

SHOW = """
    title: JSON
    seed: 11
    cast: [{name: A, skill: 5}, {name: B, skill: 3}]
    sections:
      - {name: One, mood: tense, bars: 4, tempo: 120, dancers: [A], moves: [{at: "2:1", move: airchair}]}
      - {name: Two, mood: joyful, bars: 8, tempo: {from: 100, to: 110}, formation: unison}
      - {name: Three, mood: tender, bars: 3, meter: 3/4, tempo: 70}
"""


@pytest.fixture(scope="module")
def perf():
    return make_performance(SHOW)


@pytest.fixture(scope="module")
def doc(perf):
    return json.loads(to_json(perf))


def test_header(doc, perf):
    assert doc["format"] == "sequencer.performance" and doc["version"] == 2
    assert doc["ppq"] == PPQ and doc["title"] == "JSON" and doc["seed"] == 11
    assert doc["length_ticks"] == perf.end_ticks
    assert doc["cast"] == [{"name": "A", "skill": 5}, {"name": "B", "skill": 3}]


def test_sections_tile_the_show(doc):
    sections = doc["sections"]
    assert [s["name"] for s in sections] == ["One", "Two", "Three"]
    assert sections[0]["start_ticks"] == 0 and sections[0]["start_s"] == 0
    for a, b in zip(sections, sections[1:]):
        assert a["end_ticks"] == b["start_ticks"] and a["end_s"] == b["start_s"]
    assert sections[-1]["end_ticks"] == doc["length_ticks"]
    assert sections[0]["end_s"] == pytest.approx(4 * 4 * 60 / 120, abs=1e-6)
    assert sections[1]["eight_counts"] == 4 and sections[2]["meter"] == "3/4"


def test_sections_carry_their_key_signature(doc, perf):
    assert [(s["key"], s["key_sharps"], s["key_minor"]) for s in doc["sections"]] == \
        [(s.key, s.key_sharps, s.key_minor) for s in perf.sections]


def test_seconds_agree_with_exact_timeline(doc, perf):
    for s in doc["sections"]:
        exact = perf.timeline.seconds_exact(s["start_ticks"])
        assert abs(Fraction(s["start_s"]) - exact) < Fraction(1, 10**6)


def test_every_cue_has_its_counts(doc, perf):
    assert len(doc["cues"]) == len(perf.cues)
    keys = {"dancer", "move", "section", "start_ticks", "length_ticks", "start_quarters", "length_quarters", "start_s",
            "length_s", "bar", "beat", "eight_count", "count"}
    for cue in doc["cues"]:
        assert keys <= cue.keys()
        assert 1 <= cue["count"] <= 8 and cue["eight_count"] >= 1
        assert cue["start_quarters"] == cue["start_ticks"] / PPQ
    pinned = [c for c in doc["cues"] if c["pinned"]]
    assert pinned and pinned[0]["move"] == "airchair" and pinned[0]["bar"] == 2 and pinned[0]["count"] == 5


def test_notes_and_tempo_map(doc, perf):
    assert len(doc["notes"]) == len(perf.notes)
    notes = [dict(zip(doc["note_fields"], row)) for row in doc["notes"]]
    assert {n["part"] for n in notes} == set(range(len(doc["parts"])))
    for note, model in zip(notes, perf.notes):
        assert (note["start_ticks"], note["pitch"], note["velocity"]) == (model.start_ticks, model.pitch, model.velocity)
        assert abs(note["start_s"] - perf.seconds(model.start_ticks)) < 1e-6
    assert all(1 <= p["channel"] <= 16 for p in doc["parts"])
    ats = [t["at_ticks"] for t in doc["tempo_map"]]
    assert ats == sorted(ats) and ats[0] == 0


def test_deterministic_and_unicode(perf):
    assert to_json(perf) == to_json(make_performance(SHOW))
    perf2 = make_performance(SHOW.replace("name: A", "name: Бахыт").replace("[A]", "[Бахыт]"))
    assert "Бахыт" in to_json(perf2)
    assert to_dict(perf2)["cast"][0]["name"] == "Бахыт"


@given(st.text(), st.text(min_size=1), st.one_of(st.none(), st.integers(0, 10**6)), st.booleans(),
       st.one_of(st.none(), st.text()), st.integers(0, 127), st.integers(1, 10**5))
@settings(max_examples=40, deadline=None)
def test_the_templates_write_what_the_encoder_would(perf, name, move, accent, flag, combo, pitch, length):
    """`to_json` writes notes and cues from templates: the text must be the encoder's, for any text and value."""
    odd = replace(perf.cues[0], dancer=name, move=move, name=name + '"\\\n\x00ü\u2028', short=move,
                  accent_ticks=accent, pinned=flag, mirrored=not flag, combo=combo, role="")
    note = replace(perf.notes[-1], pitch=pitch, velocity=pitch, length_ticks=length, chromatic=flag)
    changed = replace(perf, cues=(odd,) + perf.cues[1:], notes=perf.notes[:-1] + (note,))
    assert to_json(changed) == json.dumps(to_dict(changed), ensure_ascii=False, separators=(",", ":")) + "\n"
