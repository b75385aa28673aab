"""Scale arithmetic: steps, pitches and chords checked against hand-counted semitones."""

import pytest

from sequencer.scales import MODE_STEPS, NOTE_NAMES, PITCH_CLASS, chord_name, chord_pcs, parse_numeral, scale


def test_every_mode_has_seven_rising_steps_from_the_tonic():
    for steps in MODE_STEPS.values():
        assert len(steps) == 7 and steps[0] == 0 and list(steps) == sorted(set(steps)) and steps[-1] < 12


@pytest.mark.parametrize("tonic, mode", [("D", "minor"), ("F#", "lydian"), ("Bb", "major"), ("E", "phrygian")])
def test_steps_and_pitches_round_trip_across_octaves(tonic, mode):
    key = scale(tonic, mode)
    home = key.tonic_near(60)
    assert home % 12 == PITCH_CLASS[tonic] and abs(home - 60) <= 6
    for step in range(-14, 15):
        pitch = key.pitch(step, home)
        assert key.contains(pitch) and key.step_of(pitch, home) == step
    assert key.pitch(7, home) == home + 12 and key.pitch(-7, home) == home - 12


def test_off_scale_pitches_have_no_step_and_snap_to_a_neighbour():
    d_minor = scale("D", "minor")
    assert d_minor.step_of(61 + 12, 62) is None  # C# is not in D natural minor
    assert d_minor.snap(61) in (60, 62) and d_minor.contains(d_minor.snap(61))


@pytest.mark.parametrize("tonic, mode, figure, name", [
    ("C", "major", "I", "C"), ("C", "major", "V7", "G7"), ("A", "minor", "iv", "Dm"),
    ("D", "minor", "bVII", "C"), ("C", "major", "vii°", "B°"), ("G", "major", "IVmaj7", "Cmaj7"),
    ("E", "harmonic minor", "V", "B"),
])
def test_numerals_build_the_chords_a_musician_would_name(tonic, mode, figure, name):
    assert chord_name(chord_pcs(tonic, mode, figure)) == name


def test_text_that_is_not_a_numeral_is_refused():
    assert parse_numeral("IX") is None and parse_numeral("hello") is None
    with pytest.raises(ValueError):
        chord_pcs("C", "major", "IX")
    assert len(NOTE_NAMES) == 12
