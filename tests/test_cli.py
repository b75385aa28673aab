"""The `sequencer` command as a user runs it."""

import json
import subprocess
import sys

import pytest

from sequencer.render import builtin_scores

HEAVY = ("music21", "matplotlib", "fpdf", "PIL", "numpy")


def test_help_and_version_are_light():
    """`--help` must not pay for music21, matplotlib or the PDF library."""
    code = ("import sys; from sequencer.cli import main\n"
            "try: main(['--help'])\nexcept SystemExit: pass\n"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]"), out


@pytest.mark.slow
def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sequencer", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "render" in result.stdout and "check" in result.stdout


def test_render_default_show(run_cli, tmp_path):
    code, out, err = run_cli("render", "-f", "midi,json", "-o", tmp_path)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bakhyt-cooper.mid", "bakhyt-cooper.performance.json"]
    assert "bakhyt-cooper.mid" in out and "done in" in out


def test_default_output_folder_is_named_after_the_show(run_cli, tmp_path, monkeypatch):
    """Not `build/`, where `pip install .` leaves setuptools' leftovers."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("render", "-f", "json", "-q")
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["bakhyt-cooper"]
    assert (tmp_path / "bakhyt-cooper" / "bakhyt-cooper.performance.json").is_file()


@pytest.mark.slow
def test_render_is_deterministic(run_cli, tmp_path):
    for name in ("a", "b"):
        assert run_cli("render", "-f", "midi,json", "-o", tmp_path / name, "-q")[0] == 0
    for file in (tmp_path / "a").iterdir():
        assert file.read_bytes() == (tmp_path / "b" / file.name).read_bytes(), file.name


@pytest.mark.slow
def test_seed_changes_the_show(run_cli, tmp_path):
    run_cli("render", "-f", "json", "-o", tmp_path / "a", "-q")
    run_cli("render", "-f", "json", "-o", tmp_path / "b", "-q", "--seed", "8")
    a = json.loads((tmp_path / "a" / "bakhyt-cooper.performance.json").read_text())
    b = json.loads((tmp_path / "b" / "bakhyt-cooper.performance.json").read_text())
    assert b["seed"] == 8 and a["seed"] != 8
    def structure(doc):  # the score's own choices; grooves it leaves open are picked by the seed
        return [{k: v for k, v in s.items() if k != "groove"} for s in doc["sections"]]
    assert structure(a) == structure(b)
    assert a["notes"] != b["notes"] or a["cues"] != b["cues"]


def test_render_shipped_score_by_name(run_cli, tmp_path):
    name = sorted(builtin_scores())[0]
    code, _, err = run_cli("render", name, "-f", "midi", "-o", tmp_path, "-q")
    assert code == 0, err
    assert (tmp_path / f"{name}.mid").exists()


def test_render_help_names_every_format():
    from sequencer.cli import build_parser
    from sequencer.export import FORMATS
    render = build_parser()._subparsers._group_actions[0].choices["render"]
    listed = next(a.help for a in render._actions if "--format" in a.option_strings).split(":")[1].split("(")[0]
    assert set(listed.strip().split(",")) == set(FORMATS)


def test_moods_table_and_json(run_cli):
    code, out, _ = run_cli("moods")
    assert code == 0 and "grief" in out and "hype" in out
    code, out, _ = run_cli("moods", "--json")
    moods = json.loads(out)
    assert len(moods) >= 14
    assert all({"name", "valence", "arousal"} <= m.keys() for m in moods)
    assert all(-1 <= m["valence"] <= 1 and -1 <= m["arousal"] <= 1 for m in moods)


def test_moves_json(run_cli):
    code, out, _ = run_cli("moves", "--json")
    moves = json.loads(out)
    assert code == 0 and moves
    keys = {"id", "category", "beats", "start_level", "end_level", "energy", "difficulty"}
    assert all(keys <= m.keys() for m in moves)


def test_unknown_shipped_name(run_cli):
    code, _, err = run_cli("render", "no-such-show")
    assert code == 2 and "no-such-show" in err and "bakhyt-cooper" in err


@pytest.mark.parametrize("argv", [["render", "--seed", "x"], ["frobnicate"], ["render", "--paper", "a5"]])
def test_bad_arguments_exit_2(argv):
    result = subprocess.run([sys.executable, "-m", "sequencer", *argv], capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "usage:" in result.stderr


@pytest.mark.parametrize("command", ["render", "watch"])
@pytest.mark.parametrize("seed", ["-1", "99999999999999999999999999", "4294967296"])
def test_seed_out_of_range_is_refused(seed, command):
    result = subprocess.run([sys.executable, "-m", "sequencer", command, "--seed", seed, "-o", "/nonexistent"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "out of range" in result.stderr and "4294967295" in result.stderr


def test_seed_at_the_ends_of_the_range(run_cli, tmp_path):
    for seed in ("0", "4294967295"):
        code, _, err = run_cli("render", "first-light", "-f", "json", "-o", tmp_path / seed, "--seed", seed, "-q")
        assert code == 0, err


# -- output-side errors: the user's environment, exit 4 with the file named, never "a bug" -------------------

def test_output_is_a_regular_file(run_cli, tmp_path):
    out = tmp_path / "out"
    out.write_text("not a folder")
    code, _, err = run_cli("render", "first-light", "-f", "midi", "-o", out)
    assert code == 4 and err == f"{out}: cannot write the output: is not a folder (choose an output folder with -o)\n"
    assert out.read_text() == "not a folder"


def test_output_is_dev_null(run_cli):
    code, _, err = run_cli("render", "first-light", "-f", "midi", "-o", "/dev/null")
    assert code == 4 and err.startswith("/dev/null: cannot write the output: ") and "bug" not in err


def test_output_inside_a_file(run_cli, tmp_path):
    (tmp_path / "file").write_text("x")
    code, _, err = run_cli("render", "first-light", "-f", "midi", "-o", tmp_path / "file" / "out")
    assert code == 4 and "cannot write the output" in err and err.count("\n") == 1 and "bug" not in err


@pytest.mark.parametrize("errno_name", ["ENOSPC", "EROFS", "EACCES", "EPERM", "EDQUOT"])
def test_file_system_errors_while_writing(run_cli, tmp_path, monkeypatch, errno_name):
    import errno
    import os

    def full(perf, path):
        raise OSError(getattr(errno, errno_name), os.strerror(getattr(errno, errno_name)), str(path))
    monkeypatch.setattr("sequencer.export.json.write", full)
    code, _, err = run_cli("render", "first-light", "-f", "midi,json", "-o", tmp_path / "out")
    assert code == 4 and "first-light.performance.json: cannot write the output: " in err, err
    assert "bug" not in err and not (tmp_path / "out").exists()


@pytest.mark.slow
def test_draft_to_an_unwritable_place(run_cli, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Lena dances alone.\n\nThen the crew arrives and everyone battles.\n")
    code, _, err = run_cli("draft", story, "-o", tmp_path / "no" / "such" / "show.yaml")
    assert code == 4 and "show.yaml" in err and "bug" not in err


def test_messages_do_not_reach_the_terminal_raw(run_cli, tmp_path):
    """A file name with an escape sequence is shown escaped."""
    code, _, err = run_cli("check", tmp_path / "evil\x1b]0;x\x07.yaml")
    assert code == 2 and "\x1b" not in err and "\\x1b" in err
