"""Rendering as a process: interrupted or killed renders leave no children, no temporary files,
and a later render removes what a killed one could not; a failed render keeps the previous set.
And which score a name means, with a story drafted on the way."""

import os
import select
import signal
import subprocess
import sys

import pytest

from sequencer.errors import InputError, OutputError
from sequencer.render import DEFAULT_SCORE, builtin_scores, load, resolve_score_path

FAKE_FLUIDSYNTH = """#!/bin/sh
echo $$ > "$FAKE_READY"
exec 3> "$FAKE_DONE"
exec sleep 600
"""


def wait_for_eof(fd, timeout_s=60):
    """Block until every writer of the pipe `fd` has closed it (its process died); False on timeout."""
    while True:
        ready, _, _ = select.select([fd], [], [], timeout_s)
        if not ready:
            return False
        if not os.read(fd, 4096):
            return True


def test_a_child_dies_with_its_parent(tmp_path):
    """The helper FluidSynth is started with: killing the parent kills the child."""
    read, write = os.pipe()
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, os\n"
         "from sequencer.children import die_with_parent\n"
         f"child = subprocess.Popen(['sleep', '600'], pass_fds=[{write}], preexec_fn=die_with_parent)\n"
         f"os.close({write}); print(child.pid, flush=True); sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, pass_fds=[write], text=True)
    os.close(write)
    assert parent.stdout.readline().strip().isdigit()
    parent.kill()
    parent.wait()
    assert wait_for_eof(read), "the child outlived its parent"
    os.close(read)
    parent.stdin.close()
    parent.stdout.close()


@pytest.fixture
def slow_fluidsynth(tmp_path):
    """A `fluidsynth` on PATH that reports its pid, then hangs until killed; a valid-looking soundfont."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "fluidsynth"
    fake.write_text(FAKE_FLUIDSYNTH)
    fake.chmod(0o755)
    os.mkfifo(tmp_path / "ready")
    os.mkfifo(tmp_path / "done")
    font = tmp_path / "font.sf2"
    font.write_bytes(b"RIFF\x04\x00\x00\x00sfbk")
    (tmp_path / "tmp").mkdir()
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", TMPDIR=str(tmp_path / "tmp"),
               FAKE_READY=str(tmp_path / "ready"), FAKE_DONE=str(tmp_path / "done"), SEQUENCER_JOBS="2")
    return env, font


def start_render(tmp_path, env, font, formats):
    render = subprocess.Popen([sys.executable, "-m", "sequencer", "render", "first-light", "-f", formats,
                               "--soundfont", str(font), "-o", str(tmp_path / "out"), "-q"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with open(tmp_path / "ready") as ready:
        pid = int(ready.read())
    done = os.open(tmp_path / "done", os.O_RDONLY)
    return render, pid, done


@pytest.mark.slow
@pytest.mark.parametrize("formats", ["wav", "midi,wav"])  # FluidSynth run by the render itself, or by a child
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_render_leaves_nothing(tmp_path, slow_fluidsynth, formats, sig):
    render, _, done = start_render(tmp_path, *slow_fluidsynth, formats)
    render.send_signal(sig)
    _, err = render.communicate(timeout=60)  # returns once the render and its forked children have exited
    assert render.returncode == 128 + sig, err
    assert wait_for_eof(done), "FluidSynth outlived the render"
    os.close(done)
    assert os.listdir(tmp_path / "tmp") == []  # the temporary audio folder is gone
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_killed_render_leaves_no_orphans_and_its_stage_is_cleaned_later(tmp_path, slow_fluidsynth):
    env, font = slow_fluidsynth
    render, _, done = start_render(tmp_path, env, font, "midi,wav")
    render.kill()
    render.communicate(timeout=60)  # the forked exporter holds the same pipes: this waits for it too
    assert wait_for_eof(done), "FluidSynth outlived the render"
    os.close(done)
    assert os.listdir(tmp_path / "tmp") == []
    stale = [p.name for p in (tmp_path / "out").iterdir()]
    assert len(stale) == 1 and stale[0].startswith(f".sequencer-{render.pid}-")
    again = subprocess.run([sys.executable, "-m", "sequencer", "render", "first-light", "-f", "midi",
                            "-o", str(tmp_path / "out"), "-q"], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert os.listdir(tmp_path / "out") == ["first-light.mid"]


def test_a_failed_render_keeps_the_previous_set_whole(run_cli, tmp_path):
    out = tmp_path / "d"
    formats = "midi,json,md,txt"
    assert run_cli("render", "first-light", "-f", formats, "-o", out, "--seed", "1", "-q")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "first-light.sheet.md").unlink()
    (out / "first-light.sheet.md").mkdir()
    code, _, err = run_cli("render", "first-light", "-f", formats, "-o", out, "--seed", "2", "-q")
    assert code == 4 and "first-light.sheet.md: cannot write the output: is a folder" in err, err
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == {name: data for name, data in before.items() if name != "first-light.sheet.md"}
    assert sorted(os.listdir(out)) == sorted(before)


def test_a_failed_render_into_new_folders_leaves_none_of_them(run_cli, tmp_path, monkeypatch):
    def broken(perf, path):
        raise OSError(28, "No space left on device", str(path))
    monkeypatch.setattr("sequencer.export.json.write", broken)
    code, _, err = run_cli("render", "first-light", "-f", "midi,json", "-o", tmp_path / "a" / "b" / "c")
    assert code == 4 and "No space left on device" in err
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("content, words", [(None, "does not exist"), (b"garbage", "not a SoundFont 2 file")])
def test_a_bad_soundfont_fails_before_composing(run_cli, tmp_path, monkeypatch, content, words):
    composed = []
    monkeypatch.setattr("sequencer.render.compose", lambda score: composed.append(score))
    font = tmp_path / "font.sf2"
    if content is not None:
        font.write_bytes(content)
    code, _, err = run_cli("render", "first-light", "-f", "midi,wav", "--soundfont", font, "-o", tmp_path / "out")
    assert code == 2 and words in err and not composed
    assert not (tmp_path / "out").exists()


# -- which score a name means, and a story drafted on the way ---------------------------------------
STORY = """The Night Shift

Mira works nights at the bakery and hates the silence of the empty street.

Then Mira hears music from the roof and runs up the stairs laughing, dancing with the whole crew.
"""


def test_no_name_is_the_default_show_and_a_name_is_a_shipped_score():
    assert resolve_score_path(None) == builtin_scores()[DEFAULT_SCORE]
    assert resolve_score_path("first-light") == builtin_scores()["first-light"]


def test_a_path_is_taken_as_it_is_even_before_it_exists(tmp_path):
    assert resolve_score_path(str(tmp_path / "new.yaml")) == tmp_path / "new.yaml"


def test_an_unknown_name_lists_the_shipped_scores():
    with pytest.raises(InputError) as info:
        resolve_score_path("no-such-show")
    assert all(name in info.value.message() for name in builtin_scores())


def test_a_story_is_drafted_into_a_score(tmp_path):
    story = tmp_path / "night.txt"
    story.write_text(STORY, encoding="utf-8")
    score = load(story)
    assert score.sections and "Mira" in {d.name for d in score.cast}


def _forked_render(tmp_path, monkeypatch, broken_writer):
    """Render PDF and Markdown with two cores, the PDF writer (run in a forked child) replaced."""
    from sequencer.render import load_and_compose, write_outputs
    monkeypatch.setenv("SEQUENCER_JOBS", "2")
    monkeypatch.setattr("sequencer.export.sheet_pdf.write", broken_writer)
    _, perf = load_and_compose(resolve_score_path("first-light"))
    return write_outputs(perf, tmp_path / "out", "show", ("md", "pdf"))


def test_a_forked_exporters_error_reaches_the_parent_and_leaves_nothing(tmp_path, monkeypatch):
    def broken(perf, path, **_):
        raise OSError(28, "No space left on device", str(path))
    with pytest.raises(OutputError, match="show.sheet.pdf: cannot write the output: No space left on device"):
        _forked_render(tmp_path, monkeypatch, broken)
    assert not (tmp_path / "out").exists()


def test_a_forked_exporter_that_dies_is_reported(tmp_path, monkeypatch):
    def dies(perf, path, **_):
        os._exit(3)
    with pytest.raises(RuntimeError, match=r"a forked worker process died \(exit code 3\)"):
        _forked_render(tmp_path, monkeypatch, dies)
    assert not (tmp_path / "out").exists()


def test_an_error_that_cannot_be_pickled_still_reaches_the_parent(tmp_path, monkeypatch):
    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("no pickling")
    def broken(perf, path, **_):
        raise Unpicklable("the writer broke")
    with pytest.raises(RuntimeError, match="Unpicklable: the writer broke"):
        _forked_render(tmp_path, monkeypatch, broken)
