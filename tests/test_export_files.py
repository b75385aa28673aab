"""All-or-nothing output: a failed render leaves the output folder as it was."""

import errno
import os

import pytest

from sequencer.errors import OutputError, SequencerError
from sequencer.export import files


def test_write_atomic_replaces_whole_file(tmp_path):
    target = tmp_path / "a.txt"
    files.write_atomic(target, b"old")
    files.write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert os.listdir(tmp_path) == ["a.txt"]
    assert target.stat().st_mode & 0o644 == 0o644


def test_failed_stage_leaves_existing_folder_untouched(tmp_path):
    (tmp_path / "show.mid").write_bytes(b"previous render")
    with pytest.raises(RuntimeError):
        with files.staged_outputs(tmp_path) as stage:
            (stage / "show.mid").write_bytes(b"half")
            raise RuntimeError("writer crashed")
    assert os.listdir(tmp_path) == ["show.mid"]
    assert (tmp_path / "show.mid").read_bytes() == b"previous render"


def test_failed_stage_removes_every_folder_it_created(tmp_path):
    out = tmp_path / "a" / "b" / "c"
    with pytest.raises(RuntimeError):
        with files.staged_outputs(out) as stage:
            (stage / "x").write_bytes(b"half")
            raise RuntimeError
    assert os.listdir(tmp_path) == []


def test_failed_render_keeps_files_others_wrote_meanwhile(tmp_path):
    out = tmp_path / "new"
    with pytest.raises(RuntimeError):
        with files.staged_outputs(out):
            (out / "theirs.txt").write_text("another render's file")
            raise RuntimeError
    assert os.listdir(out) == ["theirs.txt"]


def render_set(out, stem, seed):
    with files.staged_outputs(out) as stage:
        for suffix in (".mid", ".json", ".md", ".png"):
            (stage / f"{stem}{suffix}").write_text(f"seed {seed}")


def contents(folder):
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_folder_in_the_way_fails_before_anything_moves(tmp_path):
    render_set(tmp_path, "show", 1)
    (tmp_path / "show.md").unlink()
    (tmp_path / "show.md").mkdir()
    with pytest.raises(OutputError, match="show.md: cannot write the output: is a folder"):
        render_set(tmp_path, "show", 2)
    assert contents(tmp_path) == {"show.json": "seed 1", "show.mid": "seed 1", "show.png": "seed 1"}
    assert (tmp_path / "show.md").is_dir() and sorted(os.listdir(tmp_path)) == [
        "show.json", "show.md", "show.mid", "show.png"]


@pytest.mark.parametrize("fail_at", range(1, 8))
def test_a_commit_failing_part_way_restores_the_previous_set(tmp_path, monkeypatch, fail_at):
    """Whichever rename fails (moving an old file aside or a new one in), the old set is back whole."""
    render_set(tmp_path, "show", 1)
    before = contents(tmp_path)
    calls, real = [], os.replace

    def flaky(src, dst):
        calls.append(src)
        if len(calls) == fail_at:
            raise OSError(errno.EPERM, "Operation not permitted", str(dst))
        return real(src, dst)
    monkeypatch.setattr(files.os, "replace", flaky)
    with pytest.raises(OutputError, match="Operation not permitted"):
        render_set(tmp_path, "show", 2)
    monkeypatch.undo()
    assert contents(tmp_path) == before


def test_stale_stages_of_dead_renders_are_removed(tmp_path):
    import subprocess
    import sys
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    (tmp_path / f".sequencer-{dead}-abc").mkdir()
    (tmp_path / f".sequencer-{dead}-abc" / "show.wav").write_bytes(b"\0" * 1000)
    (tmp_path / f".sequencer-{os.getpid()}-live").mkdir()  # a running render's stage stays
    (tmp_path / ".sequencer-notmine").mkdir()  # not named by a render: left alone
    render_set(tmp_path, "show", 1)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [
        f".sequencer-{os.getpid()}-live", ".sequencer-notmine"]


def test_render_is_all_or_nothing(run_cli, tmp_path, monkeypatch):
    """A writer failing after MIDI and JSON were written: none of them appears."""
    def broken(perf, path):
        path.write_bytes(b"partial")
        raise SequencerError("disk on fire")
    monkeypatch.setattr("sequencer.export.json.write", broken)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    code, _, err = run_cli("render", "-f", "midi,json", "-o", out, "-q")
    assert code == 1 and "disk on fire" in err
    assert sorted(os.listdir(out)) == ["keep.txt"]


@pytest.mark.slow
def test_error_in_a_forked_exporter_reaches_the_user(run_cli, tmp_path):
    """wav runs in a child process beside pdf and png; its bad-argument error keeps its exit code and text."""
    out = tmp_path / "out"
    code, _, err = run_cli("render", "-f", "midi,pdf,png,wav", "--soundfont", tmp_path / "none.sf2", "-o", out)
    assert code == 2 and "none.sf2" in err and "Traceback" not in err
    assert not out.exists()


def test_input_error_survives_pickling():
    import pickle

    from sequencer.errors import InputError, InputErrors
    one = InputError("is wrong", file="s.yaml", line=3, column=7, field="bars", expected="1 to 512")
    both = InputErrors([one, InputError("also", file="s.yaml", line=1, column=1)])
    for error in (one, both):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and copy.message() == error.message() and str(copy) == str(error)
