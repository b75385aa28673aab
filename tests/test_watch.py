"""`sequencer watch`: a save re-renders, the message says what changed or where the error is."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sequencer.watch import Watcher, differences, watched_files

from conftest import make_performance

SCORE = """\
title: Watched
seed: 4
include: [moods.yaml]
cast: [{name: Ana, skill: 4}, {name: Bo, skill: 4}]
sections:
  - {name: Dawn, mood: dawn, bars: 4}
  - {name: Day, mood: joyful, bars: 4}
"""
MOODS = "moods:\n  dawn: {like: serene, tempo: [60, 70]}\n"


def saved(path: Path, text: str):
    """Write like an editor and move the clock on, so a save inside one timestamp tick is still seen."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


@pytest.fixture
def show(tmp_path):
    saved(tmp_path / "moods.yaml", MOODS)
    saved(tmp_path / "watched.yaml", SCORE)
    return tmp_path


def test_watches_the_score_and_its_includes(show):
    assert watched_files(show / "watched.yaml") == (show / "watched.yaml", show / "moods.yaml")


def test_a_save_renders_again_and_says_what_changed(show):
    watcher = Watcher(show / "watched.yaml", show / "out", "watched", ("json", "md"))
    assert watcher.render().startswith("rendered; wrote watched.performance.json, watched.sheet.md")
    assert watcher.poll() is None  # nothing saved, nothing done
    first = (show / "out" / "watched.sheet.md").read_text()
    saved(show / "watched.yaml", SCORE.replace("mood: joyful", "mood: hype"))
    message = watcher.poll()
    assert message.startswith("1 section, ") and " moves, " in message and message.split(";")[0].endswith("differ")
    assert (show / "out" / "watched.sheet.md").read_text() != first
    saved(show / "moods.yaml", MOODS.replace("[60, 70]", "[90, 95]"))  # an included file
    assert "differ" in watcher.poll()


def test_an_error_is_shown_at_its_line_and_the_last_good_files_stay(show):
    watcher = Watcher(show / "watched.yaml", show / "out", "watched", ("json",))
    watcher.render()
    good = (show / "out" / "watched.performance.json").read_bytes()
    saved(show / "watched.yaml", SCORE.replace("bars: 4}\n  - {name: Day", "bars: four}\n  - {name: Day"))
    message = watcher.poll()
    assert message.startswith(f"{show / 'watched.yaml'}:6:") and "bars" in message and "last good render" in message
    assert (show / "out" / "watched.performance.json").read_bytes() == good
    saved(show / "watched.yaml", SCORE)
    assert watcher.poll().startswith("no section, move or note differs")


def test_differences_names_what_a_dancer_relearns():
    a = make_performance("title: A\nseed: 1\nsections:\n  - {name: x, mood: joyful, bars: 4}\n")
    b = make_performance("title: A\nseed: 2\nsections:\n  - {name: x, mood: joyful, bars: 4}\n")
    assert differences(a, a) == "no section, move or note differs"
    changed = differences(a, b)
    assert changed.endswith(" differ") and "move" in changed


@pytest.mark.slow
def test_ctrl_c_stops_cleanly(show):
    command = [sys.executable, "-m", "sequencer", "watch", str(show / "watched.yaml"), "-f", "json", "-o", str(show / "out")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline(), process.stdout.readline()]  # the banner, then the first render
        assert lines[0].startswith("watching ") and lines[1].startswith("rendered;"), lines
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0 and out.strip() == "stopped" and err == ""
    assert sorted(p.name for p in (show / "out").iterdir()) == ["watched.performance.json"]


@pytest.mark.slow
def test_audio_is_kept_when_only_the_dance_changed(show):
    """The rehearsal page's audio is rendered again only when the music changed."""
    import shutil
    if shutil.which("fluidsynth") is None:
        pytest.skip("fluidsynth is not installed (apt-get install fluidsynth)")
    watcher = Watcher(show / "watched.yaml", show / "out", "watched", ("html", "ogg"))
    assert watcher.render().startswith("rendered;")
    page, sound = (show / "out" / "watched.rehearsal.html").read_bytes(), (show / "out" / "watched.ogg").stat().st_mtime_ns
    saved(show / "watched.yaml", SCORE.replace("mood: joyful, bars: 4}", "mood: joyful, bars: 4, formation: canon}"))
    message = watcher.poll()
    assert "moves differ" in message and "notes" not in message and "ogg kept" in message
    assert (show / "out" / "watched.ogg").stat().st_mtime_ns == sound
    assert (show / "out" / "watched.rehearsal.html").read_bytes() != page
    saved(show / "watched.yaml", SCORE.replace("mood: joyful", "mood: hype"))
    assert "notes" in watcher.poll()
    assert (show / "out" / "watched.ogg").stat().st_mtime_ns != sound
