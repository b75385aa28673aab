"""All-or-nothing output: a failed render leaves the output folder as it was."""

import os

import pytest

from sequencer.errors import SequencerError
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


def test_failed_stage_removes_folder_it_created(tmp_path):
    out = tmp_path / "new" / "build"
    with pytest.raises(RuntimeError):
        with files.staged_outputs(out) as stage:
            (stage / "x").write_bytes(b"half")
            raise RuntimeError
    assert not out.exists()


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
