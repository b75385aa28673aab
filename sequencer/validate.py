"""A small toolkit for validating YAML data against a schema written as code.

A `Checker` reads values by field path from a `Source`, records every violation with its
location instead of stopping at the first one, and raises them all together at the end.
"""

import re

from .errors import InputError, InputErrors, did_you_mean, shorten
from .yamlsource import Source

MISSING = object()
ONE_LINE_CHARS = 200  # texts up to this long are names and titles: one line, no tabs
MAX_ERRORS = 200  # a document this broken is reported in part: the rest would only repeat
_EXPONENT = re.compile(r"^[-+]?\d[\d_]*(\.\d*)?[eE][-+]?\d+$")  # 1e3: a number YAML 1.1 reads as text


class Checker:
    """Collects every violation found in one `Source` (or several)."""

    def __init__(self, source: Source):
        self.source = source
        self.errors: list[InputError] = []

    # -- reporting -------------------------------------------------------------------------
    def fail(self, path, problem, *, expected=None, hint=None, at_key=False, source=None):
        if len(self.errors) >= MAX_ERRORS:
            return
        self.errors.append((source or self.source).error(path, problem, expected=expected, hint=hint, at_key=at_key))

    def add(self, error: InputError):
        self.errors.extend(error.errors if isinstance(error, InputErrors) else [error])

    def raise_if_any(self):
        if self.errors:
            raise InputErrors(self.errors) if len(self.errors) > 1 else self.errors[0]

    # -- reading ---------------------------------------------------------------------------
    def value(self, path, default=MISSING):
        data = self.source.data
        for part in path:
            try:
                data = data[part]
            except (KeyError, IndexError, TypeError):
                return default
        return data

    def raw(self, path):
        """The scalar exactly as written (before YAML turned `8:1` into a number)."""
        return self.source.raw.get(tuple(path))

    def mapping(self, path, known, required=(), what="field", hint=None):
        """The mapping at `path`, with unknown keys and missing required ones reported."""
        data = self.value(path)
        if not isinstance(data, dict):
            self.fail(path, f"must be a mapping of {what}s, got {describe(data)}",
                      expected=", ".join(sorted(known)) if known else None)
            return {}
        for key in data:
            if key not in known:
                self.fail(tuple(path) + (key,), f"unknown {what} {shorten(key)!r}", at_key=True,
                          expected="one of " + ", ".join(sorted(known)), hint=did_you_mean(key, known))
        missing = [key for key in required if key not in data]
        if len(missing) == 1:
            self.fail(path, f"missing required {what} {missing[0]!r}", hint=hint)
        elif missing:
            self.fail(path, f"missing required {what}s " + ", ".join(repr(k) for k in missing), hint=hint)
        return data

    def sequence(self, path, what="entries", allow_empty=False):
        data = self.value(path)
        if not isinstance(data, list):
            self.fail(path, f"must be a list of {what}, got {describe(data)}")
            return []
        if not data and not allow_empty:
            self.fail(path, f"must list at least one of the {what}")
        return data

    def names(self, path, known, what, allow_empty=False):
        """A list of names each of which must be in `known` (dancers, themes, grooves, moods of a combo).

        The one strict reader for list-of-names fields: anything but a list (a number, or a single name
        that would otherwise be read letter by letter) is one located error. Returns the valid names.
        """
        items = self.sequence(path, what, allow_empty=allow_empty)
        return tuple(n for j, _ in enumerate(items) if (n := self.name(tuple(path) + (j,), known, what)))

    def integer(self, path, lo, hi, default=MISSING):
        data = self.value(path, default)
        if data is MISSING:
            self.fail(path[:-1], f"missing required field {path[-1]!r}")
            return None
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail(path, f"must be a whole number, got {describe(data)}", expected=f"{lo} to {hi}")
            return None
        if not lo <= data <= hi:
            self.fail(path, f"{data} is out of range", expected=f"a whole number from {lo} to {hi}")
            return None
        return data

    def number(self, path, lo, hi, default=MISSING):
        data = self.value(path, default)
        if data is MISSING:
            self.fail(path[:-1], f"missing required field {path[-1]!r}")
            return None
        if isinstance(data, str) and _EXPONENT.match(data.strip()):
            data = float(data.replace("_", ""))
        if isinstance(data, bool) or not isinstance(data, (int, float)) or data != data:
            self.fail(path, f"must be a number, got {describe(data)}", expected=f"{lo} to {hi}")
            return None
        if not lo <= data <= hi:
            shown = self.raw(path) if isinstance(self.raw(path), str) else data
            self.fail(path, f"{shorten(shown, 40)} is out of range", expected=f"a number from {lo} to {hi}")
            return None
        return data

    def texts(self, path, what="names", choices=None, allow_empty=False, max_len=200):
        """A list of texts, every entry checked; None when any entry is wrong (each one is reported)."""
        items = self.sequence(path, what, allow_empty=allow_empty)
        texts = tuple(self.text(tuple(path) + (i,), choices=choices, max_len=max_len) for i in range(len(items)))
        return None if None in texts else texts

    def text(self, path, default=MISSING, choices=None, max_len=200):
        data = self.value(path, default)
        if data is MISSING:
            self.fail(path[:-1], f"missing required field {path[-1]!r}")
            return None
        if data is default:
            return default
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            self.fail(path, f"must be text, got {describe(data)}")
            return None
        data = str(data).strip()
        if not data:
            self.fail(path, "must not be empty")
            return None
        if len(data) > max_len:
            self.fail(path, f"is {len(data):,} characters long", expected=f"at most {max_len}")
            return None
        if max_len <= ONE_LINE_CHARS and ("\n" in data or "\t" in data):
            self.fail(path, "must be one line of text", expected="no line breaks or tabs")
            return None
        if choices is not None and data not in choices:
            self.fail(path, f"unknown value {shorten(data)!r}", expected="one of " + ", ".join(sorted(choices)),
                      hint=did_you_mean(data, choices))
            return None
        return data

    def name(self, path, known, what, default=MISSING):
        """A reference to a named thing (mood, move, dancer) with a did-you-mean hint."""
        data = self.value(path, default)
        if data is MISSING:
            self.fail(path[:-1], f"missing required field {path[-1]!r}")
            return None
        if data is None and default is None:
            return None
        if not isinstance(data, str) or data not in known:
            shown = sorted(known)
            listed = ", ".join(shown[:20]) + (", …" if len(shown) > 20 else "")
            self.fail(path, f"unknown {what} {shorten(data)!r}" if isinstance(data, str) else
                      f"must be the name of a {what}, got {describe(data)}", expected=f"one of {listed}" if shown else None,
                      hint=did_you_mean(data, known) if isinstance(data, str) else None)
            return None
        return data

    def range_pair(self, path, lo, hi, integer=False):
        """A `[low, high]` pair within [lo, hi], low <= high."""
        data = self.value(path)
        if not (isinstance(data, list) and len(data) == 2):
            self.fail(path, f"must be a pair [low, high], got {describe(data)}", expected=f"values from {lo} to {hi}")
            return None
        read = self.integer if integer else self.number
        a, b = read(tuple(path) + (0,), lo, hi), read(tuple(path) + (1,), lo, hi)
        if a is None or b is None:
            return None
        if a > b:
            self.fail(path, f"low {a} is above high {b}")
            return None
        return (a, b)


def listed(value) -> list:
    """The entries of a list-of-names field for a second look; anything but a list has none.

    The field's reader (`Checker.texts` or `Checker.names`) has already reported a wrong type, so
    a later pass over the same field must not iterate a number or spell a string letter by letter.
    """
    return value if isinstance(value, list) else []


def describe(value) -> str:
    """How a wrong value reads in a message: its kind and, when short, the value itself."""
    if value is MISSING or value is None:
        return "nothing"
    kind = {bool: "true/false", int: "a whole number", float: "a number", str: "text",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)
    if isinstance(value, (list, dict)):
        return kind
    shown = repr(value)
    return f"{kind} {shown}" if len(shown) <= 40 else kind
