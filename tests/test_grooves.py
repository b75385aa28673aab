"""Drum grooves: the grid notation, derived meters, swing, and errors that point at the bad grid."""

import pytest

from conftest import make_score
from sequencer.compose.music.drums import swing_offset
from sequencer.errors import InputError
from sequencer.grooves import DRUMS, derive, half_time, load_grooves, steps_per_bar
from sequencer.library import builtin
from sequencer.timeline import parse_meter
from sequencer.yamlsource import parse_yaml

BREAKS = {"funky-drummer", "amen", "apache", "impeach", "think"}


def grooves(text):
    return load_grooves(parse_yaml(text, "g.yaml"))


def test_the_library_has_the_classic_breaks_and_the_slow_and_sparse_feels():
    names = set(builtin().grooves)
    assert len(names - {"none"}) >= 8
    assert BREAKS | {"boom-bap", "half-time", "four-floor", "sparse", "none"} <= names
    assert builtin().grooves["none"].silent


@pytest.mark.parametrize("meter", ["4/4", "3/4", "6/8", "5/4", "7/8", "2/4", "12/8"])
def test_every_groove_plays_every_meter_with_the_one_on_the_kick(meter):
    m = parse_meter(meter)
    for groove in builtin().grooves.values():
        if groove.silent:
            continue
        pattern = groove.pattern_for(m)
        assert pattern.length_steps % steps_per_bar(m) == 0
        assert all(0 <= step < pattern.length_steps for step, _n, _l in pattern.hits)
        assert pattern.lane(DRUMS["kick"])[0] in "xX", (groove.name, meter)


def test_the_half_time_feel_puts_the_backbeat_on_three():
    half = builtin().grooves["half-time"].pattern_for(parse_meter("4/4"))
    assert half.lane(DRUMS["snare"]) == "........X......."


def test_grids_read_accents_hits_ghosts_and_ignore_spacing():
    g = grooves("grooves:\n  g:\n    swing: 58\n    patterns:\n      '4/4':\n        kick: 'X... x... | .... o...'\n")
    assert g["g"].patterns["4/4"].lane(DRUMS["kick"]) == "X...x.......o..."
    assert g["g"].swing == 58


def test_a_derived_six_eight_keeps_the_downbeat_and_backbeat():
    four = grooves("grooves:\n  g:\n    patterns:\n      '4/4': {kick: 'x...............', snare: '............x...'}\n")
    six = derive(four["g"].patterns["4/4"], parse_meter("6/8"))
    assert six.lane(DRUMS["kick"]) == "x..........." and six.lane(DRUMS["snare"]) == "......x....."


def test_swing_delays_every_second_sixteenth():
    assert swing_offset(0, 66) == 0 and swing_offset(1, 50) == 0
    assert swing_offset(1, 66) == 38 and swing_offset(3, 58) == 19


@pytest.mark.parametrize("body, where, words", [
    ("    patterns:\n      '4/4': {kik: 'x...............'}\n", "g.yaml:4:15", "did you mean 'kick'"),
    ("    patterns:\n      '4/4': {kick: 'x.......'}\n", "g.yaml:4:21", "multiple of 16"),
    ("    patterns:\n      '4/4': {kick: 'x..y............'}\n", "g.yaml:4:21", "'y'"),
    ("    patterns:\n      '3/4': {kick: 'x...........'}\n", "g.yaml:4:7", "'4/4'"),
    ("    patterns:\n      '4/4': {kick: 'x...............', snare: 'x...............x...............'}\n",
     "g.yaml:4:48", "other drums"),
    ("    swing: 90\n    patterns:\n      '4/4': {}\n", "g.yaml:3:12", "50 to 75"),
    ("    fill: rolls\n    patterns:\n      '4/4': {}\n", "g.yaml:3:11", "toms"),
])
def test_bad_grooves_say_where_and_what_would_be_valid(body, where, words):
    with pytest.raises(InputError) as info:
        grooves("grooves:\n  g:\n" + body)
    message = info.value.message()
    assert message.startswith(where) and words in message, message


def test_a_score_can_bring_its_own_groove():
    score = make_score("title: T\ngrooves:\n  stomp:\n    patterns:\n      '4/4': {kick: 'X...X...X...X...'}\n"
                       "sections:\n  - {name: a, mood: hype, bars: 2, groove: stomp}\n")
    assert score.library.grooves["stomp"].pattern_for(parse_meter("4/4")).lane(36) == "X...X...X...X..."
    assert "stomp" not in builtin().grooves


def test_half_time_stretches_a_groove_over_two_bars_with_the_backbeat_on_three():
    boom = builtin().grooves["boom-bap"].pattern_for(parse_meter("4/4"))
    half = half_time(boom, 16)
    assert half.length_steps == 32
    assert half.lane(DRUMS["snare"]).find("X") == 8  # beat 2 of the first bar becomes beat 3
    assert half.lane(DRUMS["kick"])[0] == "X" and len(half.hits) == len(boom.hits)


def test_half_time_swing_falls_on_the_off_beat_eighth():
    assert swing_offset(2, 58, unit_steps=2) == 38 and swing_offset(1, 58, unit_steps=2) == 0
    assert swing_offset(4, 58, unit_steps=2) == 0


def test_every_named_drum_is_a_gm_kit_note_and_a_groove_may_lean_and_say_its_feel():
    assert all(35 <= note <= 81 for note in DRUMS.values())
    g = grooves("grooves:\n  g:\n    lean: -6\n    feel: half-time\n    patterns:\n      '4/4': {}\n")
    assert g["g"].lean_ticks == -6 and g["g"].feel == "half-time"
    assert builtin().grooves["boom-bap"].lean_ticks > 0 and builtin().grooves["half-time"].feel == "half-time"
    with pytest.raises(InputError) as info:
        grooves("grooves:\n  g:\n    feel: double\n    patterns:\n      '4/4': {}\n")
    assert "half-time" in info.value.message()
