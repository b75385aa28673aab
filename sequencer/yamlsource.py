"""Safe YAML loading that remembers where every value came from.

PyYAML's composer gives nodes with line and column; we build plain Python data from them
ourselves, so that a validator can point at `scores/show.yaml:12:11` for `sections[2].bars`.
Only the YAML safe types are built (no Python objects), duplicate keys are an error, and the
number of values a document may expand to is capped so that alias bombs cannot blow up.
"""

from dataclasses import dataclass
from pathlib import Path as FilePath

import yaml

from .errors import InputError

MAX_FILE_BYTES = 5_000_000
MAX_VALUES = 500_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}


def field_name(path) -> str:
    """`("sections", 2, "bars")` → `sections[2].bars`, the way users read a field path."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True, slots=True)
class Source:
    """A parsed YAML document: its data and the 1-based line/column of every value and key."""

    file: str
    data: object
    marks: dict
    key_marks: dict
    raw: dict

    def where(self, path, at_key=False):
        """(line, column) of the value at `path`, or of its nearest ancestor that exists."""
        path = tuple(path)
        while True:
            if at_key and path in self.key_marks:
                return self.key_marks[path]
            if path in self.marks:
                return self.marks[path]
            if not path:
                return (1, 1)  # an empty document: point at its start
            path = path[:-1]

    def error(self, path, problem, *, expected=None, hint=None, at_key=False) -> InputError:
        line, column = self.where(path, at_key)
        return InputError(problem, file=self.file, line=line, column=column,
                          field=field_name(path) or None, expected=expected, hint=hint)


def load_yaml(file) -> Source:
    """Read and parse a YAML file; every failure is an `InputError` naming the file."""
    return parse_yaml(read_text(file, "YAML file", missing="no such file"), str(file))


def read_text(file, what: str, max_bytes: int = MAX_FILE_BYTES, too_big_hint: str | None = None,
              missing: str | None = None) -> str:
    """A UTF-8 text file's content; a missing, unreadable, oversized, binary or non-UTF-8 file is an `InputError`."""
    name = str(file)
    try:
        size = FilePath(file).stat().st_size
        if size > max_bytes:
            raise InputError(f"{what} is {size:,} bytes, larger than the {max_bytes:,}-byte limit", file=name,
                             hint=too_big_hint)
        raw = FilePath(file).read_bytes()
        if b"\x00" in raw:
            raise InputError(f"looks like a binary file, not a {what}", file=name, expected="plain UTF-8 text")
        return raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(missing or f"no such {what}", file=name) from None
    except IsADirectoryError:
        raise InputError(f"is a folder, not a {what}", file=name) from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                         file=name, line=line, column=column) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from None


def parse_yaml(text: str, file: str = "<string>") -> Source:
    """Parse YAML text into a `Source`."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        builder = _Builder(file, loader)
        data = builder.build(root, ()) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            where = exc.context_mark
            problem += f" ({exc.context.removeprefix('while ')}" + (
                f" that starts at line {where.line + 1}, column {where.column + 1})" if where else ")")
        raise InputError(f"invalid YAML: {problem}", file=file,
                         line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise InputError(f"invalid YAML: control character {exc.character!r} is not allowed", file=file,
                         line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=file, line=1, column=1) from None
    finally:
        loader.dispose()
    return Source(file, data, builder.marks, builder.key_marks, builder.raw)


class _Builder:
    def __init__(self, file, loader):
        self.file = file
        self.loader = loader
        self.marks, self.key_marks, self.raw = {}, {}, {}
        self.count = 0
        self.open_nodes = set()

    def fail(self, node, problem):
        return InputError(problem, file=self.file, line=node.start_mark.line + 1, column=node.start_mark.column + 1)

    def build(self, node, path):
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(node, f"document expands to more than {MAX_VALUES:,} values (an alias bomb?)")
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            self.check_tag(node, *_SCALAR_TAGS)
            self.raw[path] = node.value
            return self.loader.construct_object(node, deep=True)
        if id(node) in self.open_nodes:
            raise self.fail(node, "an alias refers to a value that contains it")
        self.open_nodes.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                self.check_tag(node, _SEQ_TAG)
                return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
            self.check_tag(node, _MAP_TAG)
            return self.build_mapping(node, path)
        finally:
            self.open_nodes.discard(id(node))

    def check_tag(self, node, *expected):
        if node.tag not in expected:
            raise self.fail(node, f"the tag {node.tag!r} is not allowed here (only plain YAML data is)")

    def build_mapping(self, node, path):
        result, first_line = {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise self.fail(key_node, "merge keys ('<<') are not supported; write the fields out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain name, not a list or mapping")
            key = self.loader.construct_object(key_node)
            if isinstance(key, (list, dict)):
                raise self.fail(key_node, "a key must be a plain name")
            if key in result:
                raise self.fail(key_node, f"duplicate key {key!r} (first given on line {first_line[key]})")
            first_line[key] = key_node.start_mark.line + 1
            self.key_marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
        return result
