"""The structure rules: silent on a sound performance, and each names what breaks it."""

import re
from dataclasses import replace

import pytest
from export_samples import sample_performance

from sequencer.performance import Hit, MoveCue, MusicCue, Note, Part
from sequencer.wellformed import check_performance, rule, rules, run_rule

STRUCTURE = ("sections-tile", "notes-inside-their-section", "notes-inside-their-part-range", "no-same-pitch-overlap",
             "channels-match-parts", "music-cues-and-hits-inside-the-show", "move-cues-inside-their-section")


@pytest.fixture(scope="module")
def perf():
    return sample_performance()


def test_every_structure_rule_is_registered_under_its_subject():
    registered = rules()
    assert all(registered[name][0] == "structure" for name in STRUCTURE)


def test_a_sound_performance_breaks_no_structure_rule(perf):
    verdicts = [v for v in check_performance(perf, ("structure",))]
    assert [v.rule for v in verdicts] == list(STRUCTURE)
    assert all(v.ok and v.total > 0 for v in verdicts), [v for v in verdicts if not v.ok]


def broken(perf, name, **changes):
    verdict = run_rule(name, replace(perf, **changes))
    assert not verdict.ok
    return verdict


def test_a_gap_between_sections(perf):
    second = replace(perf.sections[1], start_ticks=perf.sections[1].start_ticks + 1)
    verdict = broken(perf, "sections-tile", sections=(perf.sections[0], second, *perf.sections[2:]))
    assert verdict.violators[0].startswith("section 2 'Rooftop'")


def test_a_note_running_into_the_next_section(perf):
    first = perf.sections[0]
    late = Note(1, 0, first.end_ticks - 10, 20, 40, 80)
    verdict = broken(perf, "notes-inside-their-section", notes=perf.notes + (late,))
    assert len(verdict.violators) == 1 and "bass pitch 40" in verdict.violators[0]
    assert verdict.total == len(perf.notes) + 1


def test_a_note_outside_its_part_range_or_without_a_part(perf):
    parts = (replace(perf.parts[0], lowest_pitch=35, highest_pitch=81), *perf.parts[1:])
    low = Note(0, 0, 0, 10, 20, 80)
    lost = Note(len(parts), 0, 0, 10, 60, 80)
    verdict = broken(perf, "notes-inside-their-part-range", parts=parts, notes=perf.notes + (low, lost))
    assert len(verdict.violators) == 2 and "pitch 20" in verdict.violators[0] and "no part" in verdict.violators[1]


def test_two_notes_of_one_pitch_overlapping_on_a_channel(perf):
    note = next(n for n in perf.notes if n.part == 1)
    echo = replace(note, start_ticks=note.start_ticks + 1)
    verdict = broken(perf, "no-same-pitch-overlap", notes=(note, echo))
    assert len(verdict.violators) == 1 and f"pitch {note.pitch}" in verdict.violators[0]


def test_back_to_back_notes_of_one_pitch_do_not_overlap(perf):
    note = next(n for n in perf.notes if n.part == 1)
    after = replace(note, start_ticks=note.end_ticks)
    assert run_rule("no-same-pitch-overlap", replace(perf, notes=(note, after))).ok


@pytest.mark.parametrize("parts", [
    (Part("drums", 0, 9), Part("bass", 33, 9)),  # two parts on one channel
    (Part("drums", 0, 3), Part("bass", 33, 1)),  # drums off channel 10
    (Part("drums", 0, 9), Part("bass", 33, 16)),  # not a MIDI channel
])
def test_channels_that_do_not_match_the_parts(perf, parts):
    assert len(broken(perf, "channels-match-parts", parts=parts).violators) == 1


def test_a_hit_and_a_cue_after_the_show(perf):
    end = perf.end_ticks
    late = (Hit(end, "crash", len(perf.sections) - 1, 3),)
    verdict = broken(perf, "music-cues-and-hits-inside-the-show", hits=perf.hits + late,
                     music_cues=perf.music_cues + (MusicCue(end - 10, 20, "fill", "fill", len(perf.sections) - 1),))
    assert len(verdict.violators) == 2


def test_a_move_outside_its_section_or_danced_by_someone_offstage(perf):
    cue = perf.cues[0]
    spill = replace(cue, start_ticks=perf.sections[0].end_ticks - 1, length_ticks=2)
    stranger = MoveCue("Nobody", "step", "Step", "toprock", 0, 0, 480, "standing", "standing")
    verdict = broken(perf, "move-cues-inside-their-section", cues=perf.cues + (spill, stranger))
    assert len(verdict.violators) == 2 and verdict.violators[1].startswith("Nobody step")


def test_a_rule_registered_twice_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        rule("sections-tile")(lambda perf: ([], 0))


def test_check_deep_prints_the_first_violators_and_exits_2(run_cli, monkeypatch):
    from sequencer import wellformed
    monkeypatch.setitem(wellformed._RULES, "every-note-is-silent",
                        ("music", lambda perf: ([f"note {i}" for i in range(len(perf.notes))], len(perf.notes))))
    code, out, _ = run_cli("check", "--deep", "first-light")
    assert code == 2
    assert ": 1 of " in out and " rules violated " in out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("    every-note-is-silent: "))
    assert "  music" in lines[:at]
    assert re.fullmatch(r"    every-note-is-silent: (\d+)/\1", lines[at])
    assert lines[at + 1:at + 4] == ["      note 0", "      note 1", "      note 2"]
    assert re.fullmatch(r"      … and \d+ more", lines[at + 4])
