"""The move vocabulary, combos and dance rules: complete, consistent, extensible, and precise on errors."""

import json
from collections import Counter

import pytest
from conftest import make_score

from sequencer.errors import InputError
from sequencer.library import builtin
from sequencer.categories import NAMES as MOVE_CATEGORIES
from sequencer.moves import LEVELS, rules_for

LIB = builtin()
REQUIRED = ("indian-step", "six-step", "three-step", "cc", "windmill", "headspin", "flare", "swipe", "backspin",
            "baby-freeze", "chair-freeze", "airchair", "hollowback", "knee-drop", "coin-drop", "kick-out", "turtle",
            "thread", "helicopter", "zulu-spin")


def test_vocabulary_is_large_and_covers_every_category():
    assert len(LIB.moves) >= 60
    counts = Counter(m.category for m in LIB.moves.values())
    assert set(counts) == set(MOVE_CATEGORIES)
    assert all(counts[c] >= 4 for c in MOVE_CATEGORIES), counts
    assert set(REQUIRED) <= set(LIB.moves)
    assert {"bakhyt-signature", "lena-entry", "power-into-freeze"} <= set(LIB.combos)


def test_every_move_is_well_formed():
    for move in LIB.moves.values():
        assert move.start_level in LEVELS and move.end_level in LEVELS
        assert 1 <= move.energy <= 5 and 1 <= move.difficulty <= 5
        assert 1 <= move.min_counts <= move.max_counts
        if move.category in ("freeze", "suicide", "blowup"):
            assert move.accent is not None and move.accent <= move.min_counts and move.is_hit
        assert move.name and move.tags


def test_every_level_connects_to_every_other():
    """The move graph is strongly connected through levels, so any pin level can be reached."""
    edges = {(m.start_level, m.end_level) for m in LIB.moves.values()}
    for source in LEVELS:
        seen, todo = {source}, [source]
        while todo:
            here = todo.pop()
            for a, b in edges:
                if a == here and b not in seen:
                    seen.add(b)
                    todo.append(b)
        assert seen == set(LEVELS), source


def test_every_level_has_a_one_beat_way_out_for_the_least_skilled():
    """Any number of beats can be filled from any level, even by a skill-1 dancer."""
    for level in LEVELS:
        assert any(m.start_level == level and m.min_counts == 1 and m.difficulty == 1
                   for m in LIB.moves.values()), level


def test_combos_chain_their_levels_and_name_their_moods():
    for combo in LIB.combos.values():
        moves = [LIB.moves[s.move] for s in combo.steps]
        assert all(a.end_level == b.start_level for a, b in zip(moves, moves[1:])), combo.id
        assert all(LIB.moves[s.move].min_counts <= s.counts <= LIB.moves[s.move].max_counts for s in combo.steps)
        assert combo.moods and set(combo.moods) <= set(LIB.moods), combo.id


def test_every_mood_has_rules_with_a_grammar():
    for mood in LIB.moods.values():
        rules = rules_for(LIB.rules, mood.name, mood.energy)
        assert rules.rounds and rules.round_counts and rules.variety_window is not None
        for template in rules.rounds:
            assert all(set(stage.categories) <= set(MOVE_CATEGORIES) for stage in template)
    assert {"power", "blowup", "suicide"} <= set(rules_for(LIB.rules, "grief", 1).forbid)


def test_moves_cli_lists_the_vocabulary(run_cli):
    code, out, _ = run_cli("moves", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == len(LIB.moves)
    windmill = next(m for m in listed if m["id"] == "windmill")
    assert windmill["category"] == "power" and windmill["beats"] == [4, 8]
    assert {"start_level", "end_level", "energy", "difficulty"} <= windmill.keys()
    code, out, _ = run_cli("moves")
    assert code == 0 and "windmill" in out and "4-8" in out


# -- a score extends the vocabulary -------------------------------------------------------------
SHOW = """
    title: Own moves
    moves:
      moon-walk: {name: Moonwalk, category: toprock, beats: 4, start: standing, end: standing, energy: 3,
                  difficulty: 1, tags: [smooth]}
    combos:
      my-entry:
        moods: [playful]
        moves: [moon-walk, knee-drop, {move: six-step, beats: 4}, baby-freeze]
    rules:
      moods:
        hype: {forbid: [power, blowup]}
    sections:
      - {name: One, mood: hype, bars: 16, moves: [{at: "1:1", combo: my-entry}, {at: "9:1", move: moon-walk}]}
"""


def test_a_score_adds_moves_combos_and_rules():
    from sequencer.compose import compose
    score = make_score(SHOW)
    assert "moon-walk" in score.library.moves and "windmill" in score.library.moves
    combo = score.library.combos["my-entry"]
    assert combo.start_level == "standing" and combo.end_level == "floor" and combo.length_counts == 11
    rules = rules_for(score.library.rules, "hype", 5)
    assert rules.forbid == ("power", "blowup") and rules.variety_window == 12  # the rest is inherited
    cues = compose(score).cues
    assert [c.move for c in cues[:4]] == ["moon-walk", "knee-drop", "six-step", "baby-freeze"]
    assert not [c for c in cues if c.category in ("power", "blowup")]
    assert "windmill" in builtin().moves and "moon-walk" not in builtin().moves  # built-ins untouched


BAD = {
    "category": ("moves: {x: {name: X, category: spinning, beats: 2, start: floor, end: floor, energy: 2, "
                 "difficulty: 2}}", "moves.x.category", "unknown value 'spinning'"),
    "level": ("moves: {x: {name: X, category: power, beats: 2, start: flor, end: floor, energy: 2, difficulty: 2}}",
              "moves.x.start", "did you mean 'floor'?"),
    "accent": ("moves: {x: {name: X, category: freeze, beats: 2, start: floor, end: floor, energy: 2, difficulty: 2, "
               "accent: 3}}", "moves.x.accent", "past the move's shortest length"),
    "beats": ("moves: {x: {name: X, category: power, beats: [8, 4], start: floor, end: floor, energy: 2, "
              "difficulty: 2}}", "moves.x.beats", "low 8 is above high 4"),
    "energy": ("moves: {x: {name: X, category: power, beats: 4, start: floor, end: floor, energy: 9, difficulty: 2}}",
               "moves.x.energy", "out of range"),
    "after": ("moves: {x: {name: X, category: power, beats: 4, start: floor, end: floor, energy: 2, difficulty: 2, "
              "after: [windmil]}}", "moves.x.after[0]", "did you mean 'windmill'?"),
    "chain": ("combos: {c: {moods: [hype], moves: [indian-step, windmill]}}", "combos.c.moves[1]",
              "windmill starts back but indian-step ends standing"),
    "combo-move": ("combos: {c: {moods: [hype], moves: [indian-step, {move: flare, beats: 12}]}}",
                   "combos.c.moves[1].beats", "flare lasts 4-8 beats"),
    "stage": ("rules: {moods: {hype: {rounds: [[toprok 8, power 8]]}}}", "rules.moods.hype.rounds[0][0]",
              "did you mean 'toprock'?"),
    "band": ("rules: {bands: {7: {round_counts: 2}}}", "rules.bands[7]", "energy band 7 does not exist"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_vocabulary_in_a_score_points_at_the_entry(case):
    entry, field, message = BAD[case]
    text = f"title: Bad\n{entry}\nsections:\n  - {{name: One, mood: hype, bars: 4}}\n"
    with pytest.raises(InputError) as caught:
        make_score(text, file="bad.yaml")
    error = caught.value.message()
    assert error.startswith("bad.yaml:2:") and f"{field}: " in error and message in error, error


def test_redefining_a_move_that_still_fits_its_combos():
    score = make_score("""
        title: Harder airchair
        moves:
          airchair: {name: Airchair, category: freeze, beats: [1, 4], start: hand, end: hand, energy: 5, difficulty: 5}
        sections:
          - {name: A, mood: hype, bars: 8}
    """)
    assert score.library.moves["airchair"].energy == 5
    assert "bakhyt-signature" in score.library.combos


# -- a vocabulary a breaker trusts -------------------------------------------------------------
@pytest.mark.parametrize("move, start, end", [
    ("airchair", "hand", "hand"), ("nike-freeze", "hand", "hand"), ("air-baby", "hand", "hand"),
    ("windmill", "back", "back"), ("flare", "hand", "hand"), ("hollowback", "hand", "hand"),
])
def test_levels_as_breakers_know_them(move, start, end):
    assert (LIB.moves[move].start_level, LIB.moves[move].end_level) == (start, end)


def test_categories_as_breakers_know_them():
    assert LIB.moves["kip-up"].category == "getup"
    assert all("trick" in LIB.moves[m].tags for m in ("butterfly-kick", "backflip", "corkscrew-kick", "aerial"))
    assert LIB.moves["pose"].category == "burn"  # a standing pose is not a freeze
    assert LIB.moves["turtle"].difficulty <= 2
    assert set(LIB.moves["jackhammer"].after) <= {"turtle", "cricket", "jackhammer"}
    assert "russian-drop" not in LIB.moves and not [m for m in LIB.moves.values() if "russian drop" in m.name.lower()]


def test_uprock_burns_and_get_ups():
    counts = Counter(m.category for m in LIB.moves.values())
    assert counts["uprock"] >= 6 and counts["burn"] >= 6 and counts["getup"] >= 4
    assert {m.start_level for m in LIB.moves.values() if m.category == "getup"} >= {"floor", "back", "crouched"}


def test_every_move_says_what_it_is_in_one_line():
    for move in LIB.moves.values():
        assert 20 <= len(move.description) <= 120 and "\n" not in move.description, move.id
        assert not move.short or len(move.short) < len(move.name), move.id
    assert LIB.moves["coffee-grinder"].short == "Grinder"


def test_cues_carry_the_short_name():
    score = make_score("title: S\nsections:\n  - {name: A, mood: determined, bars: 16}\n")
    from sequencer.compose import compose
    cues = compose(score).cues
    assert all(c.short == LIB.moves[c.move].short for c in cues)


@pytest.mark.parametrize("args, check", [
    (["--category", "uprock"], lambda m: m["category"] == "uprock"),
    (["--level", "hand"], lambda m: "hand" in (m["start_level"], m["end_level"])),
    (["--difficulty", "2"], lambda m: m["difficulty"] <= 2),
])
def test_moves_cli_filters(run_cli, args, check):
    code, out, _ = run_cli("moves", "--json", *args)
    listed = json.loads(out)
    assert code == 0 and listed and all(check(m) for m in listed) and len(listed) < len(LIB.moves)


def test_moves_cli_refuses_an_unknown_category(run_cli):
    code, out, err = run_cli("moves", "--category", "uprok")
    assert code == 2 and "did you mean 'uprock'?" in err
