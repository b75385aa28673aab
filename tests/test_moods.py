"""The mood library: it covers the valence/arousal plane and its music follows the emotion cue tables."""

import itertools
import json

import pytest

from conftest import make_score
from sequencer.errors import InputError
from sequencer.library import builtin
from sequencer.moods import ARTICULATIONS, BASS_STYLES, FEELS
from sequencer.motifs import KEEPS_CONTOUR
from sequencer.scales import chord_pcs, scale

MOODS = builtin().moods


def test_at_least_fourteen_moods_spread_over_all_four_quadrants():
    assert len(MOODS) >= 14
    quadrants = {(m.valence >= 0, m.arousal >= 0) for m in MOODS.values()}
    assert quadrants == {(True, True), (True, False), (False, True), (False, False)}
    for m in MOODS.values():
        assert -1 <= m.valence <= 1 and -1 <= m.arousal <= 1


def test_higher_arousal_moods_are_faster_and_louder():
    for a, b in itertools.permutations(MOODS.values(), 2):
        if b.arousal - a.arousal >= 0.2:
            assert b.tempo_mid_bpm > a.tempo_mid_bpm, (a.name, b.name)
            assert sum(b.velocity) > sum(a.velocity), (a.name, b.name)
        if b.arousal - a.arousal >= 0.6:
            assert b.density > a.density, (a.name, b.name)


def test_unhappy_moods_lean_to_minor_modes_and_happy_ones_to_major():
    for m in MOODS.values():
        third = scale(m.tonic, m.mode).offsets[2]
        if m.valence <= -0.3:
            assert third == 3, m.name
        if m.valence >= 0.5:
            assert third == 4 or m.mode == "dorian", m.name  # dorian: the funk minor with a bright sixth


def test_progressions_mostly_stay_in_the_moods_scale():
    for m in MOODS.values():
        key = scale(m.tonic, m.mode)
        tones = [pc for prog in m.progressions for figure in prog for pc in chord_pcs(m.tonic, m.mode, figure)]
        assert sum(pc in key.pcs for pc in tones) / len(tones) >= 0.9, m.name


def test_grooves_and_transformations_named_by_moods_exist():
    for m in MOODS.values():
        assert all(g in builtin().grooves for g in m.grooves)
        assert m.transforms, m.name
    # Grief and tenderness keep themes recognisable: their transformations keep the contour.
    for name in ("grief", "melancholy", "tender", "romantic", "triumphant"):
        assert set(MOODS[name].transforms) <= set(KEEPS_CONTOUR)


def test_a_score_can_override_a_mood_and_a_bad_numeral_is_pointed_at():
    score = make_score("title: T\nmoods:\n  grief: {tempo: [50, 58]}\nsections:\n  - {name: a, mood: grief, bars: 2}\n")
    assert score.library.moods["grief"].tempo_bpm == (50, 58)
    assert score.library.moods["grief"].progressions == MOODS["grief"].progressions
    with pytest.raises(InputError) as info:
        make_score("title: T\nmoods:\n  grief: {progressions: [[i, IX]]}\nsections:\n  - {name: a, mood: grief, bars: 2}\n")
    assert "test.yaml:3:30: moods.grief.progressions[0][1]: 'IX' is not a roman numeral" in info.value.message()


def test_the_cli_lists_moods_as_json(run_cli):
    code, out, _err = run_cli("moods", "--json")
    assert code == 0
    listed = {m["name"]: m for m in json.loads(out)}
    assert set(listed) == set(MOODS)
    assert listed["grief"]["valence"] < 0 and listed["hype"]["arousal"] > 0.5


def test_every_mood_breaks_between_88_and_132_bpm_and_calm_moods_halve_the_feel():
    for m in MOODS.values():
        assert 88 <= m.tempo_bpm[0] <= m.tempo_bpm[1] <= 132, m.name
        assert m.feel in FEELS
    half = [m for m in MOODS.values() if m.feel == "half-time"]
    assert half and all(m.arousal < -0.3 for m in half)
    assert all(m.harmonic_rhythm_counts >= 8 for m in half)  # chords change at most every two bars
    busy = [m for m in MOODS.values() if m.arousal >= 0.5]
    assert max(m.velocity[1] for m in half) < min(m.velocity[1] for m in busy)


def test_bass_styles_and_articulations_are_read_from_their_tables():
    assert {m.bass for m in MOODS.values()} <= set(BASS_STYLES)
    assert {m.articulation for m in MOODS.values()} <= set(ARTICULATIONS)
    with pytest.raises(InputError) as info:
        make_score("title: T\nmoods:\n  grief: {bass: slap}\nsections:\n  - {name: a, mood: grief, bars: 2}\n")
    assert all(style in info.value.message() for style in BASS_STYLES)
