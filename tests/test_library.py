"""Library entries added by a score or an include: every wrong type is one located message, never a crash."""

import pytest


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


SCORE = "title: T\n{extra}sections:\n  - {{name: A, mood: tense, bars: 4}}\n"


@pytest.mark.parametrize("extra, where", [
    ("combos: {c1: {name: C, moves: [windmill], moods: 5}}\n", ":2:50: combos.c1.moods: must be a list of names"),
    ("moods: {m1: {like: tense, grooves: 7}}\n", ":2:36: moods.m1.grooves: must be a list of names"),
])
def test_a_number_where_a_list_of_names_belongs(run_cli, tmp_path, extra, where):
    code, _, err = run_cli("check", write(tmp_path, "s.yaml", SCORE.format(extra=extra)))
    assert code == 2 and err.startswith(str(tmp_path / "s.yaml") + where), err
    assert len(err.splitlines()) == 1


def test_a_number_where_a_list_belongs_in_an_include(run_cli, tmp_path):
    write(tmp_path, "lib.yaml", "moods:\n  m1: {like: tense, grooves: 7}\n")
    code, _, err = run_cli("check", write(tmp_path, "s.yaml", SCORE.format(extra="include: [lib.yaml]\n")))
    assert code == 2 and err == f"{tmp_path / 'lib.yaml'}:2:30: moods.m1.grooves: must be a list of names, " \
                                "got a whole number 7\n", err


def test_one_name_instead_of_a_list_is_one_error_not_one_per_letter(run_cli, tmp_path):
    code, _, err = run_cli("check", write(tmp_path, "s.yaml", SCORE.format(
        extra="moods: {m1: {like: tense, grooves: amen}}\n")))
    assert code == 2 and err.count("\n") == 1 and "got text 'amen'" in err, err
    assert "unknown groove" not in err
