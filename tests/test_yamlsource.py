"""Safe, located YAML: every value knows its line and column; nothing unsafe gets built."""

import pytest

from sequencer.errors import InputError
from sequencer.yamlsource import MAX_FILE_BYTES, MAX_VALUES, field_name, load_yaml, parse_yaml

DOC = """\
title: Show
sections:
  - name: A
    bars: 8
  - {name: B, bars: 4}
"""


def test_marks_point_at_values_and_keys():
    src = parse_yaml(DOC, "show.yaml")
    assert src.data["sections"][1]["bars"] == 4
    assert src.where(("sections", 0, "bars")) == (4, 11)
    assert src.where(("sections", 1, "bars")) == (5, 21)
    assert src.where(("sections", 0, "bars"), at_key=True) == (4, 5)
    assert src.where(("sections", 1, "nope")) == (5, 5)  # nearest existing ancestor
    assert src.raw[("sections", 0, "bars")] == "8"


def test_field_name():
    assert field_name(("sections", 2, "moves", 0, "at")) == "sections[2].moves[0].at"
    assert field_name(()) == ""


def error_of(text):
    with pytest.raises(InputError) as info:
        parse_yaml(text, "x.yaml")
    return info.value


def test_duplicate_key():
    err = error_of("a: 1\nb: 2\na: 3\n")
    assert (err.line, err.column) == (3, 1) and "duplicate key 'a'" in err.message()


@pytest.mark.parametrize("text", ["a: !!python/object/apply:os.system [ls]\n", "a: !!set {x}\n", "a: !custom 1\n"])
def test_tags_that_build_objects_are_rejected(text):
    assert "not allowed" in error_of(text).message()


def test_merge_keys_rejected():
    assert "merge keys" in error_of("base: &b {x: 1}\nother:\n  <<: *b\n").message()


def test_small_aliases_are_fine():
    assert parse_yaml("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.slow
def test_alias_bomb_is_refused_at_the_value_cap():
    """A billion values from nine lines: refused once the count passes the cap, never expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    error = error_of("\n".join(lines) + "\n")
    assert "alias bomb" in error.message() and f"more than {MAX_VALUES:,} values" in error.message()


def test_file_errors(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(InputError, match="limit"):
        load_yaml(big)
    with pytest.raises(InputError, match="is a folder"):
        load_yaml(tmp_path)
    bad = tmp_path / "latin.yaml"
    bad.write_bytes(b"title: ok\nname: Caf\xe9\n")
    with pytest.raises(InputError) as info:
        load_yaml(bad)
    assert (info.value.line, info.value.column) == (2, 10) and "UTF-8" in info.value.message()


def test_message_format():
    err = InputError("is wrong", file="s.yaml", line=3, column=7, field="sections[0].bars", expected="1 to 512",
                     hint="did you mean 8?")
    assert err.message() == "s.yaml:3:7: sections[0].bars: is wrong; expected 1 to 512 (did you mean 8?)"
