"""The band's arrangement: properties a listener and a dancer rely on, over moods, meters, tempos and seeds."""

import io
import os
from collections import Counter
from functools import cache

import mido
import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT, make_score
from sequencer.compose import compose
from sequencer.compose.music.harmony import diatonic_triads, pivot_chord
from sequencer.compose.music.comping import voicings
from sequencer.compose.music import arrange
from sequencer.compose.plan import plan
from sequencer.library import builtin
from sequencer.motifs import KEEPS_CONTOUR, apply, contour
from sequencer.performance import Performance
from sequencer.scales import chord_pcs, parse_numeral, scale
from sequencer.score import load_score
from sequencer.wellformed import check_performance, rules, run_rule
from sequencer.wellformed.music import developed, ending_kinds, similarity, statements

MOODS = sorted(builtin().moods)
MINOR_MOODS = [m for m in MOODS if scale("C", builtin().moods[m].mode).offsets[2] == 3]
MAJOR_MOODS = [m for m in MOODS if scale("C", builtin().moods[m].mode).offsets[2] == 4]


def show(moods, meter="4/4", seed=1, bars=8, tempo=None, themes=None, key=None, extra=""):
    """A score with one section per mood; `themes` maps section index → theme list."""
    themes = themes or {}
    lines = [f"title: Test\nseed: {seed}\nmeter: {meter}\nmotifs: {{Lena: lena-theme, Bakhyt: bakhyt-theme}}"]
    if tempo is not None:
        lines.append(f"tempo: {tempo}")
    if key is not None:
        lines.append(f"key: {key}")
    lines.append(extra + "sections:")
    for i, mood in enumerate(moods):
        size = bars[i] if isinstance(bars, (list, tuple)) else bars
        lines.append(f"  - name: S{i}\n    mood: {mood}\n    bars: {size}")
        if i in themes:
            lines.append(f"    themes: [{', '.join(themes[i])}]")
    return make_score("\n".join(lines) + "\n")


def arranged(score):
    timeline, sections = plan(score)
    return timeline, sections, arrange(score, timeline, sections)


def check_invariants(score):
    """Every property of issue 3 that must hold for any score."""
    timeline, sections, music = arranged(score)
    perf = Performance(title=score.title, seed=score.seed, source=score.file, timeline=timeline, sections=sections,
                       cast=(), parts=music.parts, notes=music.notes, hits=music.hits, music_cues=music.cues, cues=())
    broken = [v for v in check_performance(perf, ("structure",)) if not v.ok]
    assert not broken, broken
    lib = score.library
    drum_parts = [i for i, p in enumerate(music.parts) if p.channel == 9]
    assert music.notes == tuple(sorted(music.notes, key=lambda n: (n.start_ticks, n.part, n.pitch)))
    for note in music.notes:
        info = sections[note.section]
        mood = lib.moods[info.mood]
        assert mood.velocity[0] <= note.velocity <= mood.velocity[1], (note, mood.velocity)
        if note.part in drum_parts:
            assert not note.chromatic
        else:
            off_scale = note.pitch % 12 not in scale(info.tonic, info.mode).pcs
            assert off_scale == note.chromatic, note
    assert all(1 <= h.strength <= 3 for h in music.hits)
    assert {h.section for h in music.hits if h.at_ticks == timeline.sections[h.section].start_ticks} \
        == set(range(len(sections)))
    return timeline, sections, music


@settings(max_examples=30, deadline=None)
@given(moods=st.lists(st.sampled_from(MOODS), min_size=1, max_size=3),
       meter=st.sampled_from(["4/4", "3/4", "6/8"]),
       seed=st.integers(0, 10_000),
       tempo=st.one_of(st.none(), st.integers(40, 200)),
       bars=st.lists(st.integers(1, 13), min_size=3, max_size=3),
       themed=st.booleans())
def test_arrangement_invariants_hold_for_any_moods_meters_tempos_and_seeds(moods, meter, seed, tempo, bars, themed):
    themes = {i: ["Lena", "city-pulse"] for i in range(len(moods))} if themed else {}
    timeline, sections, music = check_invariants(show(moods, meter, seed, bars[:len(moods)], tempo, themes))
    for info in sections:
        low, high = builtin().moods[info.mood].tempo_bpm
        assert low <= info.tempo_start_bpm <= high


def test_a_long_show_through_every_mood_keeps_every_invariant():
    check_invariants(show(MOODS, bars=[8, 12, 16, 9] * 4, themes={0: ["Lena"], 5: ["Bakhyt"], 9: ["mother-theme"]}))


@pytest.mark.parametrize("mood", MOODS)
def test_tempo_of_a_section_stays_in_its_moods_range_whatever_the_score_default(mood):
    low, high = builtin().moods[mood].tempo_bpm
    for default in (30, 300, None):
        _timeline, sections = plan(show([mood], tempo=default))
        assert low <= sections[0].tempo_start_bpm <= high


def test_drums_are_only_on_channel_ten_and_the_midi_reads_back():
    score = show(["hype", "grief", "joyful"], themes={0: ["Lena"]})
    timeline, sections, music = arranged(score)
    perf = Performance("Test", 1, "t.yaml", timeline, sections, score.cast, music.parts, music.notes, music.hits,
                       music.cues, ())
    from sequencer.export import midi
    data = midi.to_bytes(perf)
    read = mido.MidiFile(file=io.BytesIO(data))
    ons = Counter()
    for track in read.tracks:
        name = next((m.name for m in track if m.type == "track_name"), "")
        channels = {m.channel for m in track if m.type == "note_on"}
        if name == "drums":
            assert channels == {9}
        else:
            assert 9 not in channels
        ons[name] += sum(1 for m in track if m.type == "note_on" and m.velocity > 0)
    for index, part in enumerate(music.parts):
        assert ons[part.name] == sum(1 for n in music.notes if n.part == index)


def test_same_seed_same_notes_another_seed_another_arrangement_in_the_same_mood():
    for mood in MOODS:
        first = arranged(show([mood], seed=3, bars=8))[2]
        again = arranged(show([mood], seed=3, bars=8))[2]
        other = arranged(show([mood], seed=4, bars=8))[2]
        assert first == again
        assert first.notes != other.notes, mood
        assert {n.velocity for n in first.notes} <= set(range(*builtin().moods[mood].velocity)) | {
            builtin().moods[mood].velocity[1]}


def test_notes_outside_the_scale_are_rare_and_themes_stay_in_the_scale():
    _timeline, sections, music = arranged(show(MOODS, bars=8, themes={i: ["Lena"] for i in range(16)}))
    pitched = [n for n in music.notes if music.parts[n.part].channel != 9]
    assert sum(n.chromatic for n in pitched) / len(pitched) < 0.08
    lead = music.parts.index(next(p for p in music.parts if p.name == "lead"))
    for cue in music.cues:
        if cue.kind == "motif":
            inside = [n for n in music.notes if n.part == lead and cue.at_ticks <= n.start_ticks < cue.at_ticks
                      + cue.length_ticks]
            assert inside and not any(n.chromatic for n in inside), cue


def _statement_steps(music, sections, cue):
    lead = next(i for i, p in enumerate(music.parts) if p.name == "lead")
    info = sections[cue.section]
    key = scale(info.tonic, info.mode)
    notes = [n for n in music.notes if n.part == lead and cue.at_ticks <= n.start_ticks < cue.at_ticks + cue.length_ticks]
    steps = [key.step_of(n.pitch, 60 + key.tonic_pc) for n in notes]
    assert None not in steps
    return tuple(b - a for a, b in zip(steps, steps[1:]))


@pytest.mark.parametrize("mood", MINOR_MOODS + MAJOR_MOODS)
def test_lenas_theme_keeps_its_contour_in_every_key_and_mode(mood):
    motif = builtin().motifs["lena-theme"]
    _timeline, sections, music = arranged(show([mood], bars=16, themes={0: ["Lena"]}, seed=11))
    statements = [c for c in music.cues if c.kind == "motif"]
    assert statements and "Lena's theme (lena-theme)" in statements[0].text
    checked = 0
    for cue in statements:
        used = cue.text.split(": ", 1)[1]
        names = [] if used == "as written" else used.split(" + ")
        if all(name in KEEPS_CONTOUR for name in names):
            played = _statement_steps(music, sections, cue)
            expected = contour(motif)
            assert len(played) >= 2 and expected[:len(played)] == played, (cue.text, played, expected)
            checked += 1
    assert checked >= 1


def test_a_contour_breaking_transformation_is_really_applied_and_named():
    # mysterious develops themes by transposing, inverting or fragmenting; the second statement says which.
    _timeline, sections, music = arranged(show(["mysterious"], bars=16, themes={0: ["Lena"]}, seed=5))
    statements = [c for c in music.cues if c.kind == "motif"]
    assert len(statements) == 2
    name = statements[1].text.split(": ", 1)[1]
    import random
    expected = contour(apply(builtin().motifs["lena-theme"], name.split(" + ")[-1], random.Random(0)))
    played = _statement_steps(music, sections, statements[1])
    assert expected[:len(played)] == played


def test_fills_every_eight_bars_and_before_the_section_change_and_crashes_on_downbeats():
    score = show(["joyful", "hype"], bars=[24, 8])
    timeline, sections, music = arranged(score)
    bar = timeline.sections[0].meter.bar_ticks
    fill_ends = sorted(c.at_ticks + c.length_ticks for c in music.cues if c.kind == "fill" and c.section == 0)
    assert fill_ends[:2] == [8 * bar, 16 * bar]
    assert fill_ends[-1] == 24 * bar - bar // 4  # the lead-in to the break on the last beat
    drums = next(i for i, p in enumerate(music.parts) if p.name == "drums")
    crashes = {n.start_ticks for n in music.notes if n.part == drums and n.pitch == 49}
    assert {0, 8 * bar, 16 * bar, timeline.sections[1].start_ticks} <= crashes
    kinds = Counter(h.kind for h in music.hits if h.section == 0)
    assert kinds["crash"] == 3 and kinds["break"] == 1 and kinds["stab"] == 3


def test_hits_fall_on_beats_and_a_break_is_followed_by_silence():
    timeline, sections, music = arranged(show(["determined", "hype"], bars=8))
    for hit in music.hits:
        laid = timeline.sections[hit.section]
        assert (hit.at_ticks - laid.start_ticks) % laid.meter.count_ticks == 0
    brk = next(h for h in music.hits if h.kind == "break")
    end = timeline.sections[0].end_ticks
    assert brk.at_ticks == end - timeline.sections[0].meter.count_ticks
    after = [n for n in music.notes if brk.at_ticks < n.start_ticks < end]
    assert after == []


def test_a_section_with_the_none_groove_has_no_drums():
    score = make_score("title: T\nsections:\n  - {name: a, mood: hype, bars: 4, groove: none}\n"
                       "  - {name: b, mood: hype, bars: 4}\n")
    _timeline, _sections, music = arranged(score)
    drummed = {n.section for n in music.notes if music.parts[n.part].channel == 9}
    assert drummed == {1}


def test_louder_moods_play_louder_and_quieter_moods_quieter():
    _timeline, sections, music = arranged(show(["grief", "serene", "joyful", "hype"], bars=8))
    mean = {}
    for info in sections:
        velocities = [n.velocity for n in music.notes if n.section == info.index]
        mean[info.mood] = sum(velocities) / len(velocities)
    assert mean["grief"] < mean["joyful"] < mean["hype"] and mean["serene"] < mean["joyful"]


def test_a_key_change_goes_through_a_pivot_chord_and_the_new_dominant():
    score = show(["melancholy", "tender"], bars=8)  # A aeolian → G major
    _timeline, _sections, music = arranged(score)
    cue = next(c for c in music.cues if c.kind == "pivot")
    assert cue.text.startswith("pivot to G major") and "V of G" in cue.text
    assert pivot_chord(scale("A", "aeolian"), scale("G", "major"))[2] == chord_pcs("G", "major", "ii")


def test_voice_leading_moves_little():
    score = show(["romantic", "romantic"], bars=16)
    _timeline, _sections, music = arranged(score)
    keys = next(i for i, p in enumerate(music.parts) if p.name == "keys")
    chords = {}
    for n in music.notes:
        if n.part == keys:
            chords.setdefault(n.start_ticks, []).append(n.pitch)
    shapes = [tuple(sorted(v)) for _t, v in sorted(chords.items())]
    moves = [sum(abs(a - b) for a, b in zip(x, y)) / len(x) for x, y in zip(shapes, shapes[1:]) if len(x) == len(y)]
    assert sum(moves) / len(moves) < 2.5


def test_voicings_are_the_chord_in_the_register():
    for pcs in [(2, 5, 9), (7, 11, 2, 5)]:
        options = voicings(pcs, 52, 76)
        assert options
        for v in options:
            assert 52 <= min(v) and max(v) <= 76 and {p % 12 for p in v} == set(pcs) and list(v) == sorted(v)


@pytest.mark.slow
def test_roman_numerals_agree_with_music21():
    roman = pytest.importorskip("music21.roman")
    figures = {"major": ["I", "ii", "iii", "IV", "V", "vi", "vii°", "bVII", "V7", "IVmaj7"],
               "minor": ["i", "iv", "v", "V", "VI", "bII", "V7"]}
    for tonic in ("C", "D", "Eb", "F#", "A", "Bb"):
        for mode, listed in figures.items():
            for figure in listed:
                name = tonic[0] + tonic[1:].replace("b", "-")  # music21 spells flats with '-'
                theirs = roman.RomanNumeral(figure, name if mode == "major" else name.lower())
                expected = tuple(p.pitchClass for p in theirs.pitches)
                ours = chord_pcs(tonic, mode, figure)
                assert ours[0] == theirs.root().pitchClass, (tonic, mode, figure)
                assert set(ours) == set(expected), (tonic, mode, figure, ours, expected)


def test_every_mood_progression_is_a_known_numeral_and_diatonic_triads_are_diatonic():
    for mood in builtin().moods.values():
        for prog in mood.progressions:
            assert all(parse_numeral(f) is not None for f in prog)
        key = scale(mood.tonic, mood.mode)
        for _figure, pcs in diatonic_triads(key):
            assert set(pcs) <= key.pcs


@pytest.mark.slow
def test_rendered_audio_is_not_silent_and_calm_moods_are_quieter(tmp_path):
    import array
    import math
    import shutil
    import subprocess
    import wave
    from sequencer.errors import MissingToolError
    from sequencer.export.audio import find_soundfont
    try:
        font = find_soundfont()
    except MissingToolError:
        font = None
    if shutil.which("fluidsynth") is None or font is None:
        pytest.skip("needs fluidsynth and a General MIDI soundfont (apt install fluidsynth fluid-soundfont-gm)")
    score = show(["grief", "hype"], bars=4)
    timeline, sections, music = arranged(score)
    perf = Performance("T", 1, "t.yaml", timeline, sections, score.cast, music.parts, music.notes, music.hits,
                       music.cues, ())
    from sequencer.export import midi
    midi.write(perf, tmp_path / "t.mid")
    subprocess.run(["fluidsynth", "-ni", "-q", "-F", str(tmp_path / "t.wav"), "-r", "22050", str(font),
                    str(tmp_path / "t.mid")], check=True, capture_output=True, timeout=120)
    with wave.open(str(tmp_path / "t.wav")) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        samples = array.array("h", w.readframes(w.getnframes()))
    rms = []
    for info in sections:
        a, b = (int(timeline.seconds(t) * rate) * channels for t in (info.start_ticks, info.end_ticks))
        part = samples[a:b]
        rms.append(math.sqrt(sum(x * x for x in part) / len(part)))
    assert rms[0] > 30, "the grief section is silent"
    assert rms[1] > 1.5 * rms[0], rms


# -- issue 11: music a b-boy would dance to ----------------------------------------------------
SCORES = sorted((ROOT / "scores").glob("*.yaml")) + [ROOT / "tests" / "data" / "moods-tour.yaml"]
TOUR = ROOT / "tests" / "data" / "moods-tour.yaml"
MUSIC_RULES = sorted(name for name, (subject, _) in rules().items() if subject == "music")


@cache
def performance_of(path):
    return compose(load_score(path))


def midi_notes(perf):
    """(track name, channel, absolute tick, note, velocity) of every note-on, read back with mido."""
    from sequencer.export import midi
    read = mido.MidiFile(file=io.BytesIO(midi.to_bytes(perf)))
    found = []
    for track in read.tracks:
        name, at = "", 0
        for message in track:
            at += message.time
            if message.type == "track_name":
                name = message.name
            elif message.type == "note_on" and message.velocity > 0:
                found.append((name, message.channel, at, message.note, message.velocity))
    return found


def concordance(xs, ys) -> float:
    """The share of pairs with different x whose y goes the same way (1.0: y rises with x throughout)."""
    pairs = [(i, j) for i in range(len(xs)) for j in range(i + 1, len(xs)) if xs[i] != xs[j]]
    return sum((xs[i] < xs[j]) == (ys[i] < ys[j]) for i, j in pairs) / len(pairs)


@pytest.mark.parametrize("path", SCORES, ids=lambda p: p.stem)
@pytest.mark.parametrize("name", MUSIC_RULES)
def test_every_music_rule_holds_on_every_shipped_score_and_the_mood_tour(path, name):
    verdict = run_rule(name, performance_of(path))
    assert verdict.ok, verdict.violators[:5]


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(moods=st.lists(st.sampled_from(MOODS), min_size=1, max_size=3), meter=st.sampled_from(["4/4", "3/4", "6/8"]),
       seed=st.integers(0, 10_000), bars=st.lists(st.integers(4, 12), min_size=3, max_size=3), themed=st.booleans())
def test_the_music_rules_hold_for_any_moods_meters_and_seeds(moods, meter, seed, bars, themed):
    themes = {i: ["Lena"] for i in range(len(moods))} if themed else {}
    perf = compose(show(moods, meter, seed, bars[:len(moods)], None, themes))
    for name in ("notes-in-scale", "notes-inside-their-section", "drums-on-the-kit", "breaking-tempo",
                 "melody-every-phrase", "melody-above-comping", "music-cue-kinds", "leitmotif-development"):
        verdict = run_rule(name, perf)
        assert verdict.ok, (name, verdict.violators[:3])


def test_every_mood_breaks_at_88_to_132_bpm_and_arousal_rises_in_onsets_and_loudness():
    perf = performance_of(TOUR)
    assert all(88 <= i.tempo_start_bpm <= 132 and not i.tempo_explicit for i in perf.sections)
    notes = midi_notes(perf)
    rate, velocity = [], []
    for info in perf.sections:
        inside = [n for n in notes if info.start_ticks <= n[2] < info.end_ticks]
        rate.append(len(inside) / (perf.seconds(info.end_ticks) - perf.seconds(info.start_ticks)))
        velocity.append(sum(n[4] for n in inside) / len(inside))
    arousal = [i.arousal for i in perf.sections]
    assert concordance(arousal, rate) >= 0.8, rate
    assert concordance(arousal, velocity) >= 0.85, velocity
    calm = [i for i in perf.sections if i.arousal <= -0.4]
    assert calm and all(any(c.kind == "half-time" and c.section == i.index for c in perf.music_cues) for i in calm)


def test_the_drums_read_back_on_channel_ten_on_the_gm_kit_with_a_quarter_off_the_straight_grid():
    perf = performance_of(ROOT / "scores" / "bakhyt-cooper.yaml")
    drums = [n for n in midi_notes(perf) if n[0] == "drums"]
    assert drums and {n[1] for n in drums} == {9}
    assert all(35 <= n[3] <= 81 for n in drums)
    assert all(n[1] != 9 for n in midi_notes(perf) if n[0] != "drums")
    off = sum(1 for n in drums if min(n[2] % 120, -n[2] % 120) >= 5)
    assert off >= 0.25 * len(drums)


def test_the_drummer_varies_fills_in_length_and_drums_and_ghosts_the_snare():
    perf = compose(show(["joyful", "determined", "hype"], bars=32))
    fills = [c for c in perf.music_cues if c.kind == "fill"]
    assert len({c.length_ticks for c in fills}) >= 2
    drums = perf.parts.index(next(p for p in perf.parts if p.role == "drums"))
    played = {frozenset(n.pitch for n in perf.notes if n.part == drums and c.at_ticks <= n.start_ticks
                        < c.at_ticks + c.length_ticks) for c in fills}
    assert len(played) >= 2
    snares = [n for n in perf.notes if n.part == drums and n.pitch == 38]
    low, high = builtin().moods["joyful"].velocity
    assert any(n.velocity < low + 0.3 * (high - low) for n in snares if n.section == 0)


@pytest.mark.parametrize("groove", ["funky-drummer", "amen", "apache", "impeach", "think"])
def test_a_named_break_keeps_its_kick_and_snare_placement(groove):
    score = make_score(f"title: T\nseed: 2\nsections:\n  - {{name: a, mood: grief, bars: 8, groove: {groove}}}\n"
                       f"  - {{name: b, mood: hype, bars: 8, groove: {groove}}}\n")
    perf = compose(score)
    pattern = builtin().grooves[groove].pattern_for(perf.timeline.sections[0].meter)
    drums = perf.parts.index(next(p for p in perf.parts if p.role == "drums"))
    for info in perf.sections:
        played = [n for n in perf.notes if n.part == drums and n.section == info.index]
        bar = perf.timeline.sections[info.index].meter.bar_ticks
        filled = {(c.at_ticks - info.start_ticks) // bar for c in perf.music_cues
                  if c.kind == "fill" and c.section == info.index}
        for step, note, level in pattern.hits:
            if note not in (36, 38) or not level:
                continue
            for k in range(step * 120 // bar, info.bars - 1, pattern.length_steps * 120 // bar):
                if k in filled:
                    continue
                at = info.start_ticks + k * bar + (step * 120) % bar
                assert any(n.pitch == note and abs(n.start_ticks - at) <= 30 for n in played), (info.mood, step, note)


def test_no_four_on_the_floor_unless_the_score_names_it():
    for path in SCORES:
        perf = performance_of(path)
        drums = perf.parts.index(next(p for p in perf.parts if p.role == "drums"))
        for info in perf.sections:
            if info.groove == "four-floor":
                continue
            kicks = {n.start_ticks for n in perf.notes if n.part == drums and n.pitch == 36 and n.section == info.index}
            bar, beat = (info.end_ticks - info.start_ticks) // info.bars, 480
            floor = sum(all(any(abs(k - (info.start_ticks + b * bar + j * beat)) <= 20 for k in kicks) for j in range(4))
                        for b in range(info.bars))
            assert floor <= info.bars // 4, (path.stem, info.name)


def test_every_theme_is_first_heard_as_written_then_developed_and_recognisable():
    perf = performance_of(ROOT / "scores" / "bakhyt-cooper.yaml")
    heard = statements(perf)
    assert "Bakhyt's theme (bakhyt-theme)" in heard
    later = [(first, notes) for first_how_notes in heard.values() for first in [first_how_notes[0][1]]
             for _how, notes in first_how_notes[1:]]
    assert len(later) >= 8
    assert sum(developed(first, notes) for first, notes in later) >= len(later) / 2
    assert all(similarity(perf, first, notes) >= 0.75 for first, notes in later if len(notes) >= 3)
    motif = builtin().motifs["bakhyt-theme"]
    _how, first = heard["Bakhyt's theme (bakhyt-theme)"][0]
    info = perf.sections[first[0].section]
    key = scale(info.tonic, info.mode)
    steps = [key.step_of(n.pitch, 60 + key.tonic_pc) for n in first]
    assert tuple(b - a for a, b in zip(steps, steps[1:])) == contour(motif)


def test_the_key_plan_travels_through_related_keys_and_the_finale_closes_authentic():
    perf = performance_of(ROOT / "scores" / "bakhyt-cooper.yaml")
    tonics = Counter(i.tonic for i in perf.sections)
    assert len(tonics) >= 3 and max(tonics.values()) <= len(perf.sections) / 2
    home = perf.sections[0].tonic
    related = {(scale(home, "minor").tonic_pc + k) % 12 for k in (0, 3, 5, 7, 10)}  # D minor: D F G A C
    assert all(scale(i.tonic, i.mode).tonic_pc in related for i in perf.sections)
    assert perf.sections[-1].tonic == home
    assert ending_kinds(perf)[perf.sections[-1].index] == "authentic"


@pytest.mark.slow
def test_music21_hears_the_declared_tonic_or_scale_in_at_least_12_of_16_moods():
    from music21 import note as m21note, stream
    perf = performance_of(TOUR)
    drums = {i for i, p in enumerate(perf.parts) if p.role == "drums"}
    agree = 0
    for info in perf.sections:
        line = stream.Stream()
        for n in perf.notes:
            if n.section == info.index and n.part not in drums:
                m = m21note.Note(n.pitch)
                m.quarterLength = max(n.length_ticks, 60) / 480
                line.insert(n.start_ticks / 480, m)
        found = line.analyze("key")
        heard = scale("C", found.mode if found.mode in ("major", "minor") else "major")
        pcs = frozenset((found.tonic.pitchClass + o) % 12 for o in heard.offsets)
        declared = scale(info.tonic, info.mode)
        agree += found.tonic.pitchClass == declared.tonic_pc or pcs == declared.pcs
    assert agree >= 12


@pytest.mark.slow
def test_musescore_maps_every_drum_note_of_the_default_show(tmp_path):
    import shutil
    import subprocess
    exe = shutil.which("mscore3") or shutil.which("musescore3")
    if exe is None:
        pytest.skip("needs MuseScore 3 (apt install musescore3)")
    from sequencer.export import midi
    midi.write(performance_of(ROOT / "scores" / "bakhyt-cooper.yaml"), tmp_path / "show.mid")
    done = subprocess.run([exe, "-o", str(tmp_path / "show.mscx"), str(tmp_path / "show.mid")], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert "unmapped drum note" not in done.stdout + done.stderr


@pytest.mark.slow
def test_the_rendered_mood_tour_gets_louder_with_arousal(tmp_path):
    pyloudnorm = pytest.importorskip("pyloudnorm")
    soundfile = pytest.importorskip("soundfile")
    from sequencer.errors import MissingToolError
    from sequencer.export.audio import render
    perf = performance_of(TOUR)
    try:
        render(perf, tmp_path / "tour.wav", "wav")
    except MissingToolError as exc:
        pytest.skip(str(exc))
    data, rate = soundfile.read(str(tmp_path / "tour.wav"))
    meter = pyloudnorm.Meter(rate)
    loudness = [meter.integrated_loudness(data[round(perf.seconds(i.start_ticks) * rate):
                                               round(perf.seconds(i.end_ticks) * rate)]) for i in perf.sections]
    assert concordance([i.arousal for i in perf.sections], loudness) >= 0.8, loudness


def test_phrases_pair_as_call_and_answer_the_call_on_the_fifth_the_answer_home():
    perf = performance_of(TOUR)
    melody = perf.parts.index(next(p for p in perf.parts if p.role == "melody"))
    checked = 0
    for info in perf.sections:
        if info.themes:
            continue
        key = scale(info.tonic, info.mode)
        bar = (info.end_ticks - info.start_ticks) // info.bars
        phrase_ends = []
        for first in range(0, info.bars, 4):
            start, end = info.start_ticks + first * bar, info.start_ticks + (first + 4) * bar
            line = [n for n in perf.notes if n.part == melody and start <= n.start_ticks < end]
            phrase_ends.append((line[-1].pitch - key.tonic_pc) % 12)
        assert phrase_ends[0] == key.offsets[4] and phrase_ends[-1] == 0, (info.mood, phrase_ends)
        checked += 1
    assert checked >= 8


def test_the_music_rules_catch_what_they_guard_against():
    from dataclasses import replace
    perf = performance_of(TOUR)
    roles = [p.role for p in perf.parts]

    def changed(role, how):
        return replace(perf, notes=tuple(how(n) if roles[n.part] == role else n for n in perf.notes))
    assert not run_rule("melody-above-comping", changed("melody", lambda n: replace(n, pitch=n.pitch - 36))).ok
    assert not run_rule("drum-feel", changed("drums", lambda n: replace(n, start_ticks=n.start_ticks // 120 * 120))).ok
    assert not run_rule("notes-in-scale", changed("bass", lambda n: replace(n, pitch=n.pitch + 1))).ok
    assert not run_rule("breaking-tempo", replace(perf, sections=tuple(replace(i, tempo_start_bpm=62.0)
                                                                       for i in perf.sections))).ok
    silent = replace(perf, notes=tuple(n for n in perf.notes if roles[n.part] != "melody" or n.section != 3))
    assert not run_rule("melody-every-phrase", silent).ok and not run_rule("melody-density", silent).ok
    first = perf.sections[0]
    same = tuple(replace(n, start_ticks=n.start_ticks - perf.sections[1].start_ticks + first.start_ticks,
                         section=0) for n in perf.notes if roles[n.part] == "bass" and n.section == 1)
    copied = replace(perf, notes=tuple(n for n in perf.notes if not (roles[n.part] == "bass" and n.section == 0)) + same)
    assert not run_rule("distinct-bass-rhythms", copied).ok


def test_the_bass_avoids_a_rhythm_heard_before_as_it_sounds_even_in_one_bar_sections():
    """Found by hypothesis: a 1-bar 2/4 section ending on a break cuts its bass, and the cut rhythm was
    one an earlier section had played, although the rhythms written before the cut differed."""
    perf = compose(make_score("""
        title: Short
        seed: 1244
        cast:
          - {name: Ana, skill: 1}
        sections:
          - {name: S0, mood: bittersweet, bars: 1, meter: 2/4, tempo: 40}
          - {name: S1, mood: nostalgic, bars: 1, meter: 2/4, tempo: 40}
          - {name: S2, mood: defiant, bars: 1, meter: 2/4, tempo: 40}
        """))
    assert run_rule("distinct-bass-rhythms", perf).ok
