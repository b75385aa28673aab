"""Leitmotifs: reading them from YAML, and transformations that keep (or deliberately change) their shape."""

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from sequencer.errors import InputError
from sequencer.library import builtin
from sequencer.motifs import (DEVELOPING, TRANSFORMS, KEEPS_CONTOUR, Motif, MotifNote, apply, augment, contour, diminish, fragment, invert,
                              load_motifs, parse_notes, retrograde, transpose)
from sequencer.yamlsource import parse_yaml

notes = st.lists(st.builds(MotifNote, step=st.one_of(st.none(), st.integers(-7, 10)), alter=st.just(0),
                           quarters=st.sampled_from([Fraction(1, 4), Fraction(1, 2), Fraction(1), Fraction(3, 2), Fraction(2)])),
                 min_size=2, max_size=12).filter(lambda ns: sum(n.step is not None for n in ns) >= 2)
motifs = st.builds(lambda ns: Motif("m", "", tuple(ns)), notes)


def test_the_library_has_the_story_themes():
    assert {"bakhyt-theme", "lena-theme", "mother-theme", "city-pulse", "rooftop-hook"} <= set(builtin().motifs)


def test_degrees_octave_marks_rests_and_lengths_parse():
    parsed = parse_notes("1:1 3:1/2 5,:0.5 r:2 2':3/2 b3:1")
    assert [(n.step, n.alter, n.quarters) for n in parsed] == [
        (0, 0, 1), (2, 0, Fraction(1, 2)), (-3, 0, Fraction(1, 2)), (None, 0, 2), (8, 0, Fraction(3, 2)), (2, -1, 1)]


def test_note_names_read_in_their_key_equal_the_same_degrees():
    by_name = parse_notes("D4:1 F4:1 A4:1 C5:1 E4:1 C#5:1", "D", "minor")
    by_degree = parse_notes("1:1 3:1 5:1 7:1 2:1 #7:1")
    assert by_name == by_degree


@pytest.mark.parametrize("text, problem", [
    ("1:1 9:1", "note 2"), ("1", "PITCH:BEATS"), ("1:0", "length"), ("r:1", "pitched"), ("X4:1", "neither"),
    ("1:1/7", "length")])
def test_bad_notes_are_refused_with_the_token(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_notes(text)


def test_a_bad_motif_in_yaml_is_reported_with_file_line_and_field():
    with pytest.raises(InputError) as info:
        load_motifs(parse_yaml("motifs:\n  ok: {notes: '1:1 2:1'}\n  bad:\n    notes: '1:1 2:x'\n", "m.yaml"))
    message = info.value.message()
    assert message.startswith("m.yaml:4:12: motifs.bad.notes:") and "PITCH:BEATS" in message


def test_a_score_can_bring_its_own_motif_in_an_include_and_give_it_to_a_character(tmp_path):
    from sequencer.compose.music import arrange
    from sequencer.compose.plan import plan
    from sequencer.score import score_from_source
    (tmp_path / "themes.yaml").write_text("motifs:\n  ana-theme: {notes: '1:1 2:1 3:1 5:1'}\n")
    text = ("title: T\ninclude: [themes.yaml]\nmotifs: {Ana: ana-theme}\n"
            "sections:\n  - {name: a, mood: joyful, bars: 4, themes: [Ana]}\n")
    score = score_from_source(parse_yaml(text, str(tmp_path / "s.yaml")), tmp_path)
    timeline, sections = plan(score)
    music = arrange(score, timeline, sections)
    assert any(c.kind == "motif" and "Ana's theme (ana-theme)" in c.text for c in music.cues)


def test_every_transformation_a_mood_can_name_exists():
    motif = builtin().motifs["lena-theme"]
    for name in TRANSFORMS:
        assert isinstance(apply(motif, name, random.Random(1)), Motif)
    with pytest.raises(ValueError):
        apply(motif, "reharmonise", random.Random(1))


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(motif=motifs, seed=st.integers(0, 1000))
def test_transformations_that_claim_to_keep_the_contour_keep_it(motif, seed):
    for name in KEEPS_CONTOUR:
        changed = apply(motif, name, random.Random(seed))
        if name == "fragment":
            assert contour(motif)[:len(contour(changed))] == contour(changed) and len(changed.pitched) >= 2
        else:
            assert contour(changed) == contour(motif), name


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(motif=motifs, steps=st.integers(-9, 9))
def test_the_other_transformations_change_the_shape_the_way_they_say(motif, steps):
    assert contour(invert(motif)) == tuple(-i for i in contour(motif))
    assert contour(retrograde(motif)) == tuple(-i for i in reversed(contour(motif)))
    assert augment(motif).length_quarters == 2 * motif.length_quarters
    assert diminish(motif).length_quarters <= motif.length_quarters
    assert apply(motif, "vary-rhythm", random.Random(steps)).length_quarters == motif.length_quarters
    assert [n.step for n in transpose(motif, steps).pitched] == [n.step + steps for n in motif.pitched]
    assert fragment(motif).length_quarters <= motif.length_quarters


def test_lenas_theme_in_minor_has_the_same_steps_as_in_major():
    # The contour lives in scale steps, so the minor version differs only in which semitones the steps are.
    from sequencer.scales import scale
    lena = builtin().motifs["lena-theme"]
    major, minor = scale("D", "major"), scale("D", "minor")
    in_major = [major.pitch(n.step, 62) for n in lena.pitched]
    in_minor = [minor.pitch(n.step, 62) for n in lena.pitched]
    assert in_major != in_minor
    assert [major.step_of(p, 62) for p in in_major] == [minor.step_of(p, 62) for p in in_minor]


@settings(max_examples=60, deadline=None)
@given(motif=motifs, seed=st.integers(0, 1000))
def test_a_developing_transformation_changes_the_contour_or_the_rhythm(motif, seed):
    def rhythm(m):
        return [n.quarters for n in m.notes]
    assert {name for name, t in TRANSFORMS.items() if t.develops} == set(DEVELOPING)
    assert rhythm(apply(motif, "augment", random.Random(seed))) != rhythm(motif)
    assert rhythm(apply(motif, "diminish", random.Random(seed))) != rhythm(motif)
    varied = apply(motif, "vary-rhythm", random.Random(seed))
    can_vary = any(a.quarters != b.quarters or a.quarters >= Fraction(1, 2) for a, b in zip(motif.notes, motif.notes[1:]))
    assert (rhythm(varied) != rhythm(motif)) == can_vary
    if any(contour(motif)):  # a line that moves at all turns over when inverted
        assert contour(apply(motif, "invert", random.Random(seed))) != contour(motif)
