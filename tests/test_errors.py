"""Errors a user can act on: where, which field, what is wrong, what would be valid."""

import pickle

from sequencer.errors import InputError, InputErrors, MissingToolError, did_you_mean, shorten


def test_a_message_reads_file_line_column_field_problem_expected_and_hint():
    error = InputError("unknown mood 'gref'", file="show.yaml", line=4, column=11, field="sections[0].mood",
                       expected="one of grief, hype", hint="did you mean 'grief'?")
    assert error.message() == ("show.yaml:4:11: sections[0].mood: unknown mood 'gref'; expected one of grief, hype "
                               "(did you mean 'grief'?)")
    assert error.exit_code == 2 and MissingToolError("x").exit_code == 3


def test_a_command_line_error_has_no_file_and_a_column_needs_a_line():
    assert InputError("no format given", field="--format").message() == "sequencer: --format: no format given"
    assert InputError("bad", file="a.yaml", column=3).location() == "a.yaml"


def test_several_errors_are_listed_in_source_order():
    errors = InputErrors([InputError("second", file="a.yaml", line=9, column=1),
                          InputError("first", file="a.yaml", line=2, column=5)])
    assert errors.message().splitlines() == ["a.yaml:2:5: first", "a.yaml:9:1: second"]
    assert (errors.line, errors.column) == (2, 5)


def test_an_error_keeps_its_location_across_a_process_boundary():
    error = pickle.loads(pickle.dumps(InputError("bad", file="a.yaml", line=3, column=7, field="title")))
    assert error.message() == "a.yaml:3:7: title: bad" and str(error) == error.message()


def test_near_names_get_a_hint_and_far_ones_none():
    assert "grief" in did_you_mean("greif", ["grief", "hype", "tense"])
    assert did_you_mean("zzzzzz", ["grief", "hype"]) is None
    assert did_you_mean("g" * 500, ["grief"]) is None


def test_long_values_are_cut_in_the_middle():
    text = shorten("a" * 40 + "b" * 40, limit=21)
    assert len(text) == 21 and text.startswith("a" * 10) and text.endswith("b" * 10) and "…" in text
    assert shorten("short") == "short"
