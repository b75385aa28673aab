"""The choreography: exact coverage, level continuity, grammar, musicality, variety, skill, pins.

Most properties are checked over generated scores (every mood, tempos with ramps, 4/4, 3/4 and
6/8, one to four dancers in every formation, many seeds) by `check_dance`, which also returns
the figures the issue asks to report (freeze-on-accent rate, repeats, moves per minute).
"""

import random
from collections import Counter

import pytest
from conftest import make_performance, make_score
from hypothesis import HealthCheck, given, settings, strategies as st

from sequencer.compose.choreography.accents import section_accents
from sequencer.compose.choreography.arc import round_energies
from sequencer.compose.choreography import APPROACH_BEATS, choreograph
from sequencer.compose.choreography.phrasing import RoundPlan, partner_rounds, round_bounds
from sequencer.compose.plan import plan
from sequencer.library import builtin
from sequencer.moves import rules_for
from sequencer.performance import Hit

LIB = builtin()
MOODS = sorted(LIB.moods)
METERS = ("4/4", "3/4", "6/8")
FORMATIONS = ("solo", "unison", "mirror", "canon", "call-response", "duet")
RANK = {"toprock": 0, "godown": 1, "footwork": 2, "power": 2}


def synthetic_hits(timeline, sections):
    """Hits like the music's: a crash on each section's downbeat and a stab in the middle of it."""
    hits = []
    for info, laid in zip(sections, timeline.sections):
        hits.append(Hit(laid.start_ticks, "crash", info.index, 3))
        middle = laid.start_ticks + (laid.beats // 2) * laid.meter.beat_ticks
        hits.append(Hit(middle, "stab", info.index, 2))
    return tuple(hits)


def dance(score):
    timeline, sections = plan(score)
    hits = synthetic_hits(timeline, sections)
    return timeline, sections, hits, choreograph(score, timeline, sections, hits)


def check_dance(score, timeline, sections, hits, cues) -> dict:
    """Assert every invariant of the issue; return the figures of this render."""
    moves, skills = score.library.moves, {d.name: d.skill for d in score.cast}
    by_dancer = {}
    for cue in cues:
        by_dancer.setdefault((cue.section, cue.dancer), []).append(cue)
    assert [(c.start_ticks, c.dancer) for c in cues] == sorted((c.start_ticks, c.dancer) for c in cues)
    figures = Counter()
    previous_end = {}
    for info, laid in zip(sections, timeline.sections):
        beat = laid.meter.beat_ticks
        accents = section_accents(laid, info.index, hits)
        accent_ticks = {laid.start_ticks + b * beat for b, s in enumerate(accents) if s}
        strong = [laid.start_ticks + b * beat for b, s in enumerate(accents) if s >= 2]
        section = score.sections[info.index]
        mood = LIB.moods[info.mood]
        rules = rules_for(LIB.rules, mood.name, mood.energy)
        group = min(skills[d] for d in info.dancers)
        assert {d for s, d in by_dancer if s == info.index} == set(info.dancers)
        for dancer in info.dancers:
            mine = by_dancer[(info.index, dancer)]
            # exact coverage, on the counted beat
            assert mine[0].start_ticks == laid.start_ticks and mine[-1].end_ticks == laid.end_ticks
            for a, b in zip(mine, mine[1:]):
                assert a.end_ticks == b.start_ticks, (dancer, a, b)
                assert a.end_level == b.start_level, (dancer, a, b)  # level continuity
            for c in mine:
                assert (c.start_ticks - laid.start_ticks) % beat == 0 and c.length_ticks % beat == 0
                assert c.length_ticks > 0
            if dancer in previous_end and info.index > 0:
                assert previous_end[dancer] == mine[0].start_level  # across sections too
            # skill caps difficulty (a group that copies one sequence is capped by its weakest)
            cap = group if info.formation in ("unison", "mirror", "canon") else skills[dancer]
            for c in mine:
                if not c.pinned:
                    assert moves[c.move].difficulty <= cap, (dancer, c.move, cap)
                    assert c.category not in (rules.forbid or ()), (info.mood, c.move)
            # power moves only on rounds hot enough for them
            bounds = round_bounds(laid.beats, rules.round_counts * 8)
            energies = round_energies(mood.energy, LIB.moods[sections[info.index - 1].mood].energy
                                      if info.index else None, len(bounds))
            if info.formation == "duet" and dancer != info.dancers[0]:  # the partner's rounds are shifted
                plans = partner_rounds([RoundPlan(s, e, en, 0) for (s, e), en in zip(bounds, energies)])
                bounds, energies = [(p.start, p.end) for p in plans], [p.energy for p in plans]
            for c in mine:
                if c.category in ("power", "blowup") and not c.pinned:
                    b = (c.start_ticks - laid.start_ticks) // beat
                    r = next(k for k, (s, e) in enumerate(bounds) if s <= b < e)
                    assert energies[r] >= rules.power_energy, (info.mood, c.move, energies[r])
            # the grammar: inside a round, toprock → go-down → footwork/power, never back up
            # (except on the way into a pin, where the dancer may get to the pin's level any way)
            pin_beats = [timeline.ticks_at(info.index, p.bar, p.beat, p.tick) for p in section.pins if p.dancer == dancer]
            approach = {t - k * beat for t in pin_beats for k in range(1, APPROACH_BEATS + 1)}
            if not (info.formation == "canon" and dancer != info.dancers[0]):
                for s, e in bounds:
                    ranks = [RANK[c.category] for c in mine if c.category in RANK and not c.pinned
                             and s <= (c.start_ticks - laid.start_ticks) // beat < e and c.start_ticks not in approach]
                    if info.formation != "call-response":
                        assert ranks == sorted(ranks), (info.mood, dancer, ranks)
            # musicality: where the hits land
            for c in mine:
                if c.category == "freeze" and not c.pinned:
                    figures["freezes"] += 1
                    figures["freezes_on_accent"] += c.accent_ticks in accent_ticks
            landed = {c.accent_ticks for c in mine if c.accent_ticks is not None and moves[c.move].is_hit}
            figures["strong_accents"] += len(strong)
            figures["strong_landed"] += sum(t in landed for t in strong)
            # variety: a free move repeated inside the window
            recent = []
            for c in mine:
                if c.category == "transition":
                    continue
                if not c.pinned and not c.combo and not rules.repeat:
                    figures["moves"] += 1
                    figures["repeats"] += c.move in recent[-rules.variety_window:]
                recent.append(c.move)
            previous_end[dancer] = mine[-1].end_level
        for dancer in previous_end:
            if dancer not in info.dancers:
                previous_end[dancer] = "standing"
        # pins honoured exactly
        for pin in section.pins:
            at = timeline.ticks_at(info.index, pin.bar, pin.beat, pin.tick)
            placed = [c for c in by_dancer[(info.index, pin.dancer)] if c.start_ticks == at and c.pinned]
            assert placed, pin
            if pin.move:
                assert placed[0].move == pin.move
            else:
                steps = [s.move for s in LIB.combos[pin.combo].steps]
                mine = by_dancer[(info.index, pin.dancer)]
                i = mine.index(placed[0])
                assert [c.move for c in mine[i:i + len(steps)]] == steps
                assert all(c.combo == pin.combo for c in mine[i:i + len(steps)])
    return figures


def score_text(sections, cast=((("A", 5),)), seed=1):
    lines = ["title: Test", f"seed: {seed}", "cast:"]
    lines += [f"  - {{name: {n}, skill: {s}}}" for n, s in cast]
    lines.append("sections:")
    lines += ["  - " + s for s in sections]
    return "\n".join(lines) + "\n"


# -- generated scores -----------------------------------------------------------------------
@st.composite
def scores(draw):
    size = draw(st.integers(1, 4))
    names = ["Ana", "Bo", "Cy", "Di"][:size]
    cast = [(n, draw(st.integers(1, 5))) for n in names]
    sections = []
    for i in range(draw(st.integers(1, 3))):
        mood = draw(st.sampled_from(MOODS))
        meter = draw(st.sampled_from(METERS))
        bars = draw(st.integers(1, 20))
        start = draw(st.integers(50, 180))
        tempo = f"{{from: {start}, to: {draw(st.integers(50, 180))}}}" if draw(st.booleans()) else str(start)
        dancers = draw(st.lists(st.sampled_from(names), min_size=1, max_size=size, unique=True))
        choices = ["solo"] if len(dancers) == 1 else [f for f in FORMATIONS if f != "solo"
                                                       and (f != "duet" or len(dancers) == 2)]
        formation = draw(st.sampled_from(choices))
        offset = draw(st.integers(1, 7))
        sections.append(f"{{name: S{i}, mood: {mood}, bars: {bars}, meter: {meter}, tempo: {tempo}, "
                        f"dancers: [{', '.join(dancers)}], formation: {formation}, offset_counts: {offset}}}")
    return score_text(sections, cast, draw(st.integers(0, 2**32 - 1)))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scores())
def test_every_generated_show_is_danceable(text):
    score = make_score(text)
    check_dance(score, *dance(score))


@pytest.mark.parametrize("meter", METERS)
def test_every_mood_in_every_meter(meter):
    sections = [f"{{name: {m}, mood: {m}, bars: 16, meter: {meter}, tempo: 100}}" for m in MOODS]
    score = make_score(score_text(sections, [("A", 5)], seed=3))
    figures = check_dance(score, *dance(score))
    assert figures["freezes_on_accent"] / figures["freezes"] >= 0.85, figures
    assert figures["strong_landed"] / figures["strong_accents"] >= 0.8, figures
    assert figures["repeats"] / figures["moves"] <= 0.1, figures


@pytest.mark.slow
def test_many_seeds_figures():
    """Across seeds and skills, freezes land on accents and moves rarely repeat."""
    total = Counter()
    for seed in range(12):
        sections = [f"{{name: {m}, mood: {m}, bars: 8, tempo: {70 + 7 * i}}}" for i, m in enumerate(MOODS)]
        score = make_score(score_text(sections, [("A", 2 + seed % 4)], seed=seed))
        total += check_dance(score, *dance(score))
    assert total["freezes_on_accent"] / total["freezes"] >= 0.85, total
    assert total["strong_landed"] / total["strong_accents"] >= 0.8, total
    assert total["repeats"] / total["moves"] <= 0.12, total


# -- the mood shapes the dance ------------------------------------------------------------------
def categories_of(mood, bars=32, seed=1, skill=5):
    score = make_score(score_text([f"{{name: X, mood: {mood}, bars: {bars}}}"], [("A", skill)], seed))
    return Counter(c.category for c in dance(score)[3])


def test_grief_stays_low_and_never_powers():
    cues = dance(make_score(score_text(["{name: X, mood: grief, bars: 32}"])))[3]
    assert not {c.category for c in cues} & {"power", "blowup", "suicide"}
    low_beats = sum(c.length_ticks for c in cues if c.start_level in ("floor", "crouched"))
    assert low_beats > 0.5 * sum(c.length_ticks for c in cues)


def test_hype_goes_to_power_and_harder_than_grief():
    hype, grief = categories_of("hype"), categories_of("grief")
    assert hype["power"] >= 4 and grief["power"] == 0

    def mean_energy(mood):
        cues = dance(make_score(score_text([f"{{name: X, mood: {mood}, bars: 32}}"])))[3]
        return sum(LIB.moves[c.move].energy * c.length_ticks for c in cues) / sum(c.length_ticks for c in cues)
    assert mean_energy("hype") > mean_energy("serene") + 1


def test_rounds_open_with_toprock_and_end_on_a_hit():
    score = make_score(score_text(["{name: X, mood: determined, bars: 32}"]))
    timeline, sections, hits, cues = dance(score)
    beat = timeline.sections[0].meter.beat_ticks
    for start in range(0, 128, 32):
        first = [c for c in cues if c.start_ticks >= start * beat and c.category in RANK][0]
        assert first.category in ("toprock", "godown"), first
        end = (start + 31) * beat
        assert any(c.accent_ticks == end and LIB.moves[c.move].is_hit for c in cues), start


def test_power_waits_for_a_hot_phrase():
    """A mid-energy mood coming out of grief only reaches power once the arc has built up."""
    score = make_score(score_text(["{name: A, mood: grief, bars: 8}", "{name: B, mood: bittersweet, bars: 32}"]))
    timeline, sections, hits, cues = dance(score)
    laid = timeline.sections[1]
    first_round_end = laid.start_ticks + 32 * laid.meter.beat_ticks
    assert not [c for c in cues if c.section == 1 and c.category == "power" and c.start_ticks < first_round_end]


def test_mood_combos_are_placed_whole():
    placed = Counter()
    for seed in range(6):
        cues = dance(make_score(score_text(["{name: X, mood: hype, bars: 32}"], seed=seed)))[3]
        for c in cues:
            if c.combo:
                placed[c.combo] += 1
    assert placed, "no combo placed in hype"
    for combo_id, steps in placed.items():
        combo = LIB.combos[combo_id]
        assert "hype" in combo.moods and steps % len(combo.steps) == 0


# -- formations -----------------------------------------------------------------------------------
def formation_cues(formation, dancers=("A", "B"), offset=2, mood="joyful", bars=16, seed=4):
    cast = [("A", 5), ("B", 4), ("C", 4), ("D", 3)]
    score = make_score(score_text([f"{{name: X, mood: {mood}, bars: {bars}, dancers: [{', '.join(dancers)}], "
                                   f"formation: {formation}, offset_counts: {offset}}}"], cast, seed))
    result = dance(score)
    check_dance(score, *result)
    cues = result[3]
    return {d: [c for c in cues if c.dancer == d] for d in dancers}


def test_unison_and_mirror_dance_the_same_moves():
    for formation in ("unison", "mirror"):
        by = formation_cues(formation, ("A", "B", "C"))
        seqs = [[(c.start_ticks, c.move) for c in by[d]] for d in ("A", "B", "C")]
        assert seqs[0] == seqs[1] == seqs[2]
        mirrored = {d: {c.mirrored for c in by[d]} for d in by}
        assert mirrored == ({"A": {False}, "B": {True}, "C": {False}} if formation == "mirror"
                            else {"A": {False}, "B": {False}, "C": {False}})


def test_canon_copies_the_lead_later():
    by = formation_cues("canon", ("A", "B"), offset=4, bars=24)
    shift = 4 * 480
    lead = {(c.start_ticks + shift, c.move) for c in by["A"]}
    copied = [c for c in by["B"] if (c.start_ticks, c.move) in lead]
    assert len(copied) >= 0.7 * len(by["B"])


def test_call_response_takes_turns():
    by = formation_cues("call-response", ("A", "B"), bars=32, mood="hype")
    rounds = [(r * 32 * 480, (r + 1) * 32 * 480) for r in range(4)]
    for r, (s, e) in enumerate(rounds):
        caller, answerer = ("A", "B") if r % 2 == 0 else ("B", "A")
        assert any(c.category in ("footwork", "power") for c in by[caller] if s <= c.start_ticks < e)
        assert not any(c.category in ("footwork", "power") for c in by[answerer] if s <= c.start_ticks < e)


def test_duet_partners_complement_each_other():
    by = formation_cues("duet", ("A", "B"), bars=32, mood="joyful")
    def category_at(cues, tick):
        return next(c.category for c in cues if c.start_ticks <= tick < c.end_ticks)
    ticks = range(0, 128 * 480, 480)
    same = sum(category_at(by["A"], t) == category_at(by["B"], t) not in ("freeze", "transition") for t in ticks)
    assert same < 0.5 * len(ticks)
    assert [c.move for c in by["A"]] != [c.move for c in by["B"]]


# -- skill, determinism, speed --------------------------------------------------------------
def test_skill_caps_difficulty():
    for skill in (1, 2, 3):
        score = make_score(score_text(["{name: X, mood: hype, bars: 32}"], [("A", skill)]))
        assert max(LIB.moves[c.move].difficulty for c in dance(score)[3]) <= skill


def test_same_seed_same_dance_other_seed_other_dance():
    text = score_text(["{name: X, mood: joyful, bars: 16}", "{name: Y, mood: tense, bars: 8, meter: 6/8}"])
    first, again = dance(make_score(text))[3], dance(make_score(text))[3]
    other = dance(make_score(text.replace("seed: 1", "seed: 2")))[3]
    assert first == again
    assert [c.move for c in first] != [c.move for c in other]


def test_full_compose_integration():
    """Through the whole pipeline, with the music's own hits."""
    text = score_text(["{name: X, mood: playful, bars: 8, tempo: {from: 90, to: 120}}",
                       "{name: Y, mood: melancholy, bars: 6, meter: 3/4, tempo: 72}"])
    perf = make_performance(text)
    check_dance(make_score(text), perf.timeline, perf.sections, perf.hits, perf.cues)


@pytest.mark.slow
def test_an_hour_long_show():
    """Scale: 1,800 bars for 4 dancers choreograph completely (bench/run.py measures the time)."""
    rng = random.Random(0)
    sections, bars = [], 0
    while bars < 1800:
        n = rng.choice((16, 24, 32))
        formation = rng.choice(("unison", "mirror", "canon", "call-response"))
        sections.append(f"{{name: S{len(sections)}, mood: {rng.choice(MOODS)}, bars: {n}, "
                        f"meter: {rng.choice(METERS)}, tempo: {rng.randrange(70, 150)}, formation: {formation}}}")
        bars += n
    cast = [("A", 5), ("B", 4), ("C", 3), ("D", 4)]
    score = make_score(score_text(sections, cast))
    timeline, infos = plan(score)
    hits = synthetic_hits(timeline, infos)
    cues = choreograph(score, timeline, infos, hits)
    assert len(cues) > 5000
    check_dance(score, timeline, infos, hits, cues)


# -- impossible pins ------------------------------------------------------------------------------
IMPOSSIBLE = {
    "overlap": ('[{at: "2:1", move: windmill}, {at: "2:3", move: airchair}]', "overlaps windmill"),
    "past-the-end": ('[{at: "1:1", move: bounce}, {at: "4:3", move: windmill}]', "runs past the section's end"),
    "above-skill": ('[{at: "1:1", move: bounce}, {dancer: Lo, at: "2:1", move: flare}]', "above Lo's skill 2"),
    "unreachable": ('[{at: "1:1", move: bounce}, {at: "1:2", move: hollowback}]', "cannot get there from standing"),
    "off-the-beat": ('[{at: "1:1", move: bounce}, {at: "2:1:240", move: six-step}]', "between counted beats"),
    "combo-past-end": ('[{at: "1:1", move: bounce}, {at: "3:1", combo: bakhyt-signature}]', "runs past"),
}


@pytest.mark.parametrize("case", sorted(IMPOSSIBLE))
def test_impossible_pin_is_a_clear_error(case, tmp_path, run_cli):
    pins, message = IMPOSSIBLE[case]
    dancer = "Lo" if case == "above-skill" else "Hi"
    score = tmp_path / "show.yaml"
    score.write_text(
        "title: Pins\n"
        "cast: [{name: Hi, skill: 5}, {name: Lo, skill: 2}]\n"
        "sections:\n"
        "  - name: Warm-up\n"
        "    mood: joyful\n"
        "    bars: 4\n"
        f"    dancers: [{dancer}]\n"
        f"    moves: {pins}\n")
    code, out, err = run_cli("render", score, "-o", tmp_path / "out", "--format", "json")
    assert code == 2, err
    assert f"{score}:8: sections[0].moves[1]" in err and message in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_possible_pins_are_honoured_exactly():
    text = score_text(["{name: X, mood: determined, bars: 16, dancers: [A, B], formation: duet, moves: ["
                       "{dancer: A, at: '1:1', move: indian-step}, {dancer: A, at: '5:1', combo: bakhyt-signature},"
                       "{dancer: B, at: '3:3', move: windmill}, {dancer: B, at: '16:4', move: airchair}]}"],
                      [("A", 5), ("B", 4)])
    score = make_score(text)
    check_dance(score, *dance(score))


@st.composite
def pinned_scores(draw):
    meter = draw(st.sampled_from(METERS))
    per_bar = {"4/4": 4, "3/4": 3, "6/8": 2}[meter]
    bars = draw(st.integers(2, 12))
    pins = []
    for _ in range(draw(st.integers(1, 3))):
        at = f"{draw(st.integers(1, bars))}:{draw(st.integers(1, per_bar))}"
        if draw(st.integers(0, 3)) == 0:
            pins.append(f"{{dancer: A, at: '{at}', combo: {draw(st.sampled_from(sorted(LIB.combos)))}}}")
        else:
            pins.append(f"{{dancer: A, at: '{at}', move: {draw(st.sampled_from(sorted(LIB.moves)))}}}")
    section = (f"{{name: X, mood: {draw(st.sampled_from(MOODS))}, bars: {bars}, meter: {meter}, "
               f"moves: [{', '.join(pins)}]}}")
    return score_text([section], [("A", draw(st.integers(1, 5)))], draw(st.integers(0, 1000)))


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pinned_scores())
def test_pins_are_honoured_or_refused_clearly(text):
    from sequencer.errors import InputError
    score = make_score(text)
    try:
        result = dance(score)
    except InputError as error:
        assert error.line is not None
        assert error.field.startswith("sections[0].moves[") and error.file == "test.yaml"
        return
    check_dance(score, *result)


@pytest.mark.slow
def test_same_dance_in_another_process():
    """Nothing depends on Python's per-process string hashing."""
    import os
    import subprocess
    import sys
    code = ("import sys; sys.path.insert(0, 'tests'); from conftest import make_performance; "
            "p = make_performance(open(sys.argv[1]).read()); print([(c.dancer, c.move, c.start_ticks) for c in p.cues])")
    from conftest import ROOT
    show = ROOT / "scores" / "bakhyt-cooper.yaml"
    outputs = {subprocess.run([sys.executable, "-c", code, str(show)], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": str(h)}, check=True).stdout for h in (1, 2)}
    assert len(outputs) == 1 and len(outputs.pop()) > 1000
