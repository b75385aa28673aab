"""Safe YAML loading that remembers where every value came from.

PyYAML's composer gives nodes with line and column; we build plain Python data from them
ourselves, so that a validator can point at `scores/show.yaml:12:11` for `sections[2].bars`.
Only the YAML safe types are built (no Python objects), duplicate keys are an error, and the
work a document may cause is bounded while it is read: files are read only up to their size
cap, and the number of values and the nesting depth are checked as the nodes are composed,
before anything large is built, so that alias bombs and huge documents stop early.
"""

import codecs
import os
import re
import stat
from dataclasses import dataclass

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .errors import InputError, shorten

MAX_FILE_BYTES = 5_000_000
MAX_VALUES = 100_000
MAX_DEPTH = 64
MAX_PROBLEM_CHARS = 300  # a message quoting a huge value is cut in the middle
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")

try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml: the pure-Python parser gives the same events
    from yaml.parser import Parser as _Parser
    from yaml.reader import Reader as _Reader
    from yaml.scanner import Scanner as _Scanner
else:
    _Reader = _Scanner = None

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # Unicode category Cc but tab and newline


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
        return InputError(shorten(problem, MAX_PROBLEM_CHARS), file=self.file, line=line, column=column,
                          field=shorten(field_name(path), 200) or None, expected=expected, hint=hint)


def load_yaml(file, max_bytes: int = MAX_FILE_BYTES) -> Source:
    """Read and parse a YAML file; every failure is an `InputError` naming the file."""
    return parse_yaml(read_text(file, "YAML file", max_bytes, missing="no such file"), str(file))


def value_count(source: Source) -> int:
    """How many values a parsed document holds (aliases counted once per use)."""
    return len(source.marks)


def read_bytes(file, what: str, max_bytes: int = MAX_FILE_BYTES, too_big_hint: str | None = None,
               missing: str | None = None) -> bytes:
    """A regular file's bytes, read at most `max_bytes` of them: devices, pipes, folders and system files
    are refused before reading, and a file that grows past the cap while it is read is refused too.
    """
    name = str(file)
    real = os.path.realpath(name)
    if any(real == top or real.startswith(top + "/") for top in SYSTEM_FOLDERS):
        raise InputError(f"is a system file ({real}), not a {what}", file=name)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(missing or f"no such {what}", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"is a folder, not a {what}", file=name)
        if not stat.S_ISREG(mode):
            raise InputError(f"is a device, pipe or socket, not a {what}", file=name,
                             expected="a regular file")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise InputError(f"{what} is larger than the {max_bytes:,}-byte limit", file=name, hint=too_big_hint)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from None
    finally:
        os.close(fd)


def read_text(file, what: str, max_bytes: int = MAX_FILE_BYTES, too_big_hint: str | None = None,
              missing: str | None = None) -> str:
    """A text file's content (UTF-8, or UTF-16/32 with a byte-order mark); anything else is an `InputError`,
    and so is a control character (only tab and line breaks are text), located at its line and column."""
    text = decode_text(read_bytes(file, what, max_bytes, too_big_hint, missing), str(file), what)
    found = _CONTROL.search(text.replace("\r", "\n"))
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise InputError(f"control character {found.group()!r} is not allowed in a {what}", file=str(file),
                         line=line, column=column)
    return text


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))


def decode_text(raw: bytes, name: str, what: str) -> str:
    """Bytes → text by their byte-order mark (UTF-8 without one); binary or mis-encoded bytes are an `InputError`."""
    encoding, label = next(((enc, label) for bom, enc, label in _BOMS if raw.startswith(bom)), ("utf-8", "UTF-8"))
    if encoding == "utf-8" and b"\x00" in raw:
        head = raw[:200]
        if len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4):
            raise InputError(f"looks like UTF-16 text without a byte-order mark, not a {what}", file=name,
                             hint="save the file as UTF-8")
        raise InputError(f"looks like a binary file, not a {what}", file=name, expected="plain UTF-8 text")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if label != "UTF-8":
            raise InputError(f"not valid {label} text (byte {exc.start:,}); save the file as UTF-8",
                             file=name) from None
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                         file=name, line=line, column=column) from None


def control_character(text: str) -> str | None:
    """The first control character in `text` (tab and newline allowed), or None."""
    found = _CONTROL.search(text)
    return found.group() if found else None


class LimitError(InputError):
    """A document past the value or depth cap: reading more of the same kind would only cost time."""


class _LimitReached(Exception):
    def __init__(self, mark, problem):
        super().__init__(problem)
        self.mark, self.problem = mark, problem


class _CappedComposer(Composer):
    """PyYAML's composer, counting nodes and nesting as it goes so that limits stop it early."""

    def __init__(self, max_values: int = MAX_VALUES):
        Composer.__init__(self)
        self.max_values = max_values
        self.node_count = 0
        self.depth = 0

    def compose_node(self, parent, index):
        self.node_count += 1
        if self.node_count > self.max_values:
            raise _LimitReached(self.peek_event().start_mark, f"document has more than {self.max_values:,} values")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _LimitReached(self.peek_event().start_mark, f"values nest deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


if _Reader is None:
    class _Loader(_CappedComposer, _Parser, SafeConstructor, Resolver):
        def __init__(self, stream):
            _Parser.__init__(self, stream)
            _CappedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
else:
    class _Loader(_Reader, _Scanner, _Parser, _CappedComposer, SafeConstructor, Resolver):
        def __init__(self, stream):
            _Reader.__init__(self, stream)
            _Scanner.__init__(self)
            _Parser.__init__(self)
            _CappedComposer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


def parse_yaml(text: str, file: str = "<string>", max_values: int = MAX_VALUES, hint: str | None = None) -> Source:
    """Parse YAML text into a `Source` of at most `max_values` values (`hint` says why, when it is lower)."""
    try:
        loader = _Loader(text)  # the pure-Python reader checks the characters here already
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, file) from None
    loader.max_values = max_values
    try:
        root = loader.get_single_node()
        builder = _Builder(file, loader, max_values, hint)
        data = builder.build(root, ()) if root is not None else None
    except _LimitReached as exc:
        raise LimitError(exc.problem, file=file, line=exc.mark.line + 1, column=exc.mark.column + 1,
                         expected=f"at most {max_values:,} values nested at most {MAX_DEPTH} deep", hint=hint) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            where = exc.context_mark
            problem += f" ({exc.context.removeprefix('while ')}" + (
                f" that starts at line {where.line + 1}, column {where.column + 1})" if where else ")")
        raise InputError(f"invalid YAML: {shorten(problem, 200)}", file=file,
                         line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, file) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {shorten(str(exc), 200)}", file=file, line=1, column=1) from None
    finally:
        loader.dispose()
    return Source(file, data, builder.marks, builder.key_marks, builder.raw)


def _reader_error(exc, text: str, file: str) -> InputError:
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    char = chr(exc.character) if isinstance(exc.character, int) else exc.character  # the C reader gives text
    return InputError(f"invalid YAML: control character {char!r} is not allowed", file=file,
                      line=line, column=column)


class _Builder:
    def __init__(self, file, loader, max_values, hint):
        self.file = file
        self.loader = loader
        self.max_values, self.hint = max_values, hint
        self.marks, self.key_marks, self.raw = {}, {}, {}
        self.count = 0
        self.open_nodes = set()

    def fail(self, node, problem, hint=None, limit=False):
        return (LimitError if limit else InputError)(problem, file=self.file, line=node.start_mark.line + 1, column=node.start_mark.column + 1,
                          hint=hint)

    def build(self, node, path):
        self.count += 1
        if self.count > self.max_values:
            raise self.fail(node, f"document expands to more than {self.max_values:,} values (an alias bomb?)",
                            self.hint, limit=True)
        if len(path) > MAX_DEPTH:
            raise self.fail(node, f"values nest deeper than {MAX_DEPTH} levels (through aliases)", limit=True)
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
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

    def scalar(self, node, path):
        self.check_tag(node, *_SCALAR_TAGS)
        char = control_character(node.value)
        if char is not None:
            raise self.fail(node, f"control character {char!r} is not allowed in text")
        if path is not None:
            self.raw[path] = node.value
        if node.tag == _STR_TAG:
            return node.value
        try:
            return self.loader.yaml_constructors[node.tag](self.loader, node)
        except (ValueError, OverflowError):  # e.g. a timestamp like 2024-13-45
            raise self.fail(node, f"{shorten(node.value)!r} is not a valid {node.tag.rsplit(':', 1)[-1]}") from None

    def check_tag(self, node, *expected):
        if node.tag not in expected:
            raise self.fail(node, f"the tag {shorten(node.tag)!r} is not allowed here (only plain YAML data is)")

    def build_mapping(self, node, path):
        result, first_line = {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise self.fail(key_node, "merge keys ('<<') are not supported; write the fields out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain name, not a list or mapping")
            key = self.scalar(key_node, None)
            if key in result:
                raise self.fail(key_node, f"duplicate key {shorten(key)!r} (first given on line {first_line[key]})")
            first_line[key] = key_node.start_mark.line + 1
            self.key_marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
        return result
