"""The shipped example scores: all valid, all compose, and the default show tells the story."""

import re

import pytest

from sequencer.compose import compose
from sequencer.render import DEFAULT_SCORE, builtin_scores
from sequencer.score import load_score
from sequencer.wellformed import rules

MINOR_MODES = {"minor", "aeolian", "harmonic minor", "melodic minor", "dorian", "phrygian", "locrian"}
SCORES = builtin_scores()


@pytest.fixture(scope="module")
def performances():
    return {name: compose(load_score(path)) for name, path in SCORES.items()}


@pytest.fixture(scope="module")
def show(performances):
    return performances[DEFAULT_SCORE]


def test_there_is_a_default_show_and_examples_of_other_kinds():
    assert DEFAULT_SCORE in SCORES
    assert len(SCORES) >= 3


def test_every_shipped_score_passes_the_deep_check_with_every_rule_printed(run_cli):
    code, out, err = run_cli("check", "--deep", *SCORES.values())
    assert code == 0, err
    assert out.count(": ok (") == len(SCORES)
    printed = re.findall(r"^    ([a-z-]+): (\d+)/(\d+)$", out, re.M)
    assert sorted(name for name, _, _ in printed) == sorted(list(rules()) * len(SCORES))
    assert all(violators == "0" and int(total) > 0 for _, violators, total in printed)


@pytest.mark.parametrize("name", sorted(SCORES))
def test_every_shipped_score_is_a_show_of_more_than_half_a_minute_with_its_pins(performances, name):
    perf = performances[name]
    assert perf.length_s > 30
    assert len(perf.pins) == sum(len(s.pins) for s in load_score(SCORES[name]).sections)  # the rules check them


def test_default_show_is_four_to_six_minutes(show):
    assert 240 <= show.length_s <= 360


def test_default_show_follows_the_whole_story_in_order(show):
    paragraphs = [n for s in show.sections for n in s.story]
    assert set(paragraphs) == set(range(1, 9))
    assert paragraphs == sorted(paragraphs)


def test_lena_theme_turns_minor_when_she_leaves_and_returns_at_the_end(show):
    with_lena = [s for s in show.sections if "Lena" in s.themes]
    first = with_lena[0]
    assert first.mode not in MINOR_MODES, "Lena enters in a major key"
    minor = [s for s in with_lena if s.mode in MINOR_MODES]
    assert minor and any(6 in s.story for s in minor), "her theme in minor when she leaves"
    assert "Lena" in show.sections[-1].themes, "recalled at the end"
    assert any("lena-theme" in c.text for c in show.music_cues if c.section == minor[0].index)


def test_duets_on_the_rooftop_and_in_the_city_solos_elsewhere(show):
    for section in show.sections:
        if set(section.story) & {4, 5}:
            assert section.formation == "duet" and set(section.dancers) == {"Bakhyt", "Lena"}
        elif len(section.dancers) == 1:
            assert section.formation == "solo"
    assert sum(s.formation == "solo" for s in show.sections) >= len(show.sections) // 2


def test_default_show_pins_the_signatures(show):
    pinned = {(c.dancer, c.combo or c.move) for c in show.cues if c.pinned}
    assert ("Bakhyt", "bakhyt-signature") in pinned and ("Lena", "lena-entry") in pinned
    assert ("Bakhyt", "airchair") in pinned


def test_crew_battle_shows_the_range(performances):
    perf = performances["crew-battle"]
    assert len(perf.cast) == 4
    assert {"canon", "call-response", "unison"} <= {s.formation for s in perf.sections}
    assert {"3/4", "6/8"} <= {s.meter for s in perf.sections}
    assert {"hype", "defiant"} <= {s.mood for s in perf.sections}


def test_short_solo_is_one_to_two_minutes(performances):
    perf = performances["first-light"]
    assert len(perf.cast) == 1 and 60 <= perf.length_s <= 120
