"""Pins as choreographers write them: 8-count positions, holds, unison pins, and every impossible pin at once."""

import pytest
from conftest import make_performance, make_score

from sequencer.compose.choreography.pins import pin_problems
from sequencer.errors import InputError
from sequencer.wellformed import run_rule

CAST = "cast: [{name: Hi, skill: 5}, {name: Lo, skill: 2}]\n"


def show(pins: str, dancers: str = "[Hi]", bars: int = 4, formation: str = "") -> str:
    return ("title: Pins\n" + CAST + "sections:\n  - name: Warm-up\n    mood: joyful\n"
            f"    bars: {bars}\n    dancers: {dancers}\n" + (f"    formation: {formation}\n" if formation else "")
            + f"    moves: {pins}\n")


def test_an_8_count_position_is_the_same_count_as_bar_and_beat():
    perf = make_performance(show('[{eight: 2, count: 5, move: windmill}]'))
    pinned = [c for c in perf.cues if c.pinned]
    assert pinned[0].move == "windmill"
    assert pinned[0].start_ticks == perf.timeline.ticks_at(0, 4, 1)  # count 13 = bar 4, beat 1 in 4/4
    assert run_rule("pins-honoured", perf).ok


def test_an_8_count_position_in_three_four():
    text = show('[{eight: 2, count: 1, move: six-step}]').replace("bars: 4", "bars: 8\n    meter: 3/4")
    perf = make_performance(text)
    assert [c for c in perf.cues if c.pinned][0].start_ticks == perf.timeline.ticks_at(0, 3, 3)  # count 9


def test_a_hold_keeps_the_move_for_its_counts():
    perf = make_performance(show('[{eight: 1, count: 5, move: airchair, hold: 6}]'))
    airchair = next(c for c in perf.cues if c.pinned)
    assert airchair.length_ticks == 6 * 480 and perf.pins[0].hold_ticks == 6 * 480
    assert run_rule("pins-honoured", perf).ok


def test_a_hold_to_the_end_leaves_nothing_generated_after_it():
    perf = make_performance(show('[{eight: 2, count: 5, move: airchair, hold: 4}]', bars=4))
    last = max(perf.cues, key=lambda c: c.start_ticks)
    assert last.pinned and last.move == "airchair" and last.end_ticks == perf.end_ticks


def test_a_pin_without_dancer_in_unison_is_for_every_dancer():
    perf = make_performance(show('[{eight: 2, count: 1, move: six-step}]', dancers="[Hi, Lo]", formation="unison"))
    for dancer in ("Hi", "Lo"):
        assert [c.move for c in perf.cues if c.dancer == dancer and c.pinned] == ["six-step"]
    assert run_rule("pins-honoured", perf).ok and run_rule("pins-honoured", perf).total == 2


def test_a_pin_without_dancer_elsewhere_must_say_whose():
    with pytest.raises(InputError) as caught:
        make_score(show('[{eight: 2, count: 1, move: six-step}]', dancers="[Hi, Lo]", formation="canon"))
    assert "say which dancer" in caught.value.message() and "unison" in caught.value.message()


@pytest.mark.parametrize("entry, message", [
    ('{eight: 9, count: 1, move: bounce}', "eight: 9 is out of range"),
    ('{eight: 1, count: 9, move: bounce}', "count: 9 is out of range"),
    ('{count: 3, move: bounce}', "'count' needs the 8-count it is in"),
    ('{at: "1:1", eight: 1, count: 1, move: bounce}', "needs one position"),
    ('{eight: 1, count: 1, combo: spin-cycle, hold: 4}', "a hold keeps one pinned move"),
])
def test_bad_pin_positions_are_located(entry, message):
    with pytest.raises(InputError) as caught:
        make_score(show(f"[{entry}]"), file="pins.yaml")
    text = caught.value.message()
    assert text.startswith("pins.yaml:8:") and message.split(" is ")[0].split(":")[0] in text, text


# Each impossible pin, one per line of the score, with what the message must say.
IMPOSSIBLE = [
    ('{dancer: Hi, at: "1:1", move: brooklyn-rock}', None),
    ('{dancer: Hi, at: "1:3", move: airchair}', "overlaps brooklyn-rock"),
    ('{dancer: Lo, eight: 1, count: 1, move: flare}', "above Lo's skill 2"),
    ('{dancer: Lo, eight: 2, count: 1, move: pose}', None),
    ('{dancer: Lo, eight: 2, count: 2, move: chair-freeze}', "cannot get there from standing"),
    ('{dancer: Lo, eight: 3, count: 1, and: true, move: six-step}', "between counted beats"),
    ('{dancer: Hi, eight: 4, count: 7, move: windmill}', "runs past the section's end"),
]


def impossible_show() -> str:
    lines = ["title: Impossible", CAST.rstrip("\n"), "sections:", "  - name: All wrong", "    mood: joyful",
             "    bars: 8", "    formation: call-response", "    moves:"]
    lines += [f"      - {entry}" for entry, _ in IMPOSSIBLE]
    return "\n".join(lines) + "\n"


def test_every_impossible_pin_is_listed_at_once_with_line_and_column():
    problems = pin_problems(make_score(impossible_show(), file="bad.yaml"))
    expected = [(9 + k, 9, message) for k, (_, message) in enumerate(IMPOSSIBLE) if message]
    assert [(p.line, p.column) for p in problems] == [(line, column) for line, column, _ in expected]
    for problem, (_, _, message) in zip(problems, expected):
        assert message in problem.message(), problem.message()


def test_check_lists_every_impossible_pin_without_composing(tmp_path, run_cli, monkeypatch):
    import sequencer.compose as compose
    monkeypatch.setattr(compose, "arrange", lambda *args: pytest.fail("check composed the show"))
    path = tmp_path / "show.yaml"
    path.write_text(impossible_show())
    code, out, err = run_cli("check", path)
    assert code == 2 and "Traceback" not in err
    for k, (_, message) in enumerate(IMPOSSIBLE):
        if message:
            assert f"{path}:{9 + k}:9: sections[0].moves[{k}]" in err and message in err, err


def test_render_refuses_an_impossible_pin_before_writing(tmp_path, run_cli):
    path = tmp_path / "show.yaml"
    path.write_text(show('[{at: "1:1", move: pose}, {at: "1:2", move: hollowback}]'))
    code, out, err = run_cli("render", path, "-o", tmp_path / "out", "--format", "json")
    assert code == 2 and "cannot get there from standing" in err and f"{path}:8:" in err
    assert not (tmp_path / "out").exists()


def test_shipped_scores_have_no_impossible_pins():
    from pathlib import Path

    from sequencer.score import load_score
    for path in sorted((Path(__file__).resolve().parent.parent / "scores").glob("*.yaml")):
        assert pin_problems(load_score(path)) == [], path
