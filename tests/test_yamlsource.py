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


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_behind_a_yaml_name_is_refused_unread(tmp_path, device):
    link = tmp_path / "show.yaml"
    link.symlink_to(device)
    with pytest.raises(InputError, match="not a YAML file"):
        load_yaml(link)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    import os
    fifo = tmp_path / "show.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="pipe"):
        load_yaml(fifo)


def test_the_cap_holds_while_reading(tmp_path):
    """The size cap is counted on the bytes read, not taken from the size the file system reports."""
    from sequencer.yamlsource import read_bytes
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(InputError, match="1,000-byte limit"):
        read_bytes(path, "story", max_bytes=1000)
    assert read_bytes(path, "story", max_bytes=1001) == b"x" * 1001


def test_system_files_are_refused(tmp_path):
    with pytest.raises(InputError, match="system file"):
        load_yaml("/proc/self/status")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_byte_order_mark_is_read(tmp_path, encoding):
    path = tmp_path / "show.yaml"
    text = "title: Café 𝄞\nbars: 8\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    assert load_yaml(path).data == {"title": "Café 𝄞", "bars": 8}


def test_utf16_without_a_mark_is_named(tmp_path):
    path = tmp_path / "show.yaml"
    path.write_bytes("title: Show\nbars: 8\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16"):
        load_yaml(path)


@pytest.mark.slow
def test_value_cap_stops_composition_early():
    """The cap is hit while the nodes are composed: the error points at the first value past it."""
    from sequencer.yamlsource import MAX_VALUES
    text = "a: [" + ", ".join(["1"] * (MAX_VALUES + 10)) + "]\n"
    err = error_of(text)
    assert f"more than {MAX_VALUES:,} values" in err.message()
    # node number MAX_VALUES + 1: after the root mapping, the key, the list and MAX_VALUES - 3 items
    assert (err.line, err.column) == (1, 5 + 3 * (MAX_VALUES - 3))


def test_nesting_is_capped():
    err = error_of("a: " + "[" * 200 + "]" * 200 + "\n")
    assert "deeper than 64 levels" in err.message()


@pytest.mark.parametrize("text, column", [('title: "A\\0B"\n', 8), ('title: "bell \\a"\n', 8),
                                          ('t: "\\e[31mred"\n', 4), ('"a\\x1bb": 1\n', 1)])
def test_control_characters_in_text_are_located(text, column):
    err = error_of(text)
    assert (err.line, err.column) == (1, column) and "control character" in err.message()


def test_echoed_values_are_short():
    err = error_of("!" + "x" * 100_000 + " 1\n")
    assert len(err.message()) < 300


def test_control_characters_in_a_text_file_are_located(tmp_path):
    from sequencer.yamlsource import read_text
    story = tmp_path / "story.txt"
    story.write_bytes(b"The night\r\n\r\nLena \x1b[31mdances\x07.\r\n")
    with pytest.raises(InputError) as info:
        read_text(story, "story file")
    assert (info.value.line, info.value.column) == (3, 6) and "'\\x1b'" in info.value.message()
