"""The built-in YAML libraries (moods, grooves, motifs, moves, combos, dance rules) and their extension.

In a checkout the YAML lives in the top-level `music/`, `choreo/`, `story/` and `scores/` folders; an
installed wheel carries the same files under `sequencer/_data/`. A score may add or override
entries inline (`moods:`, `motifs:`, `moves:` …) or through `include:` files of the same shape.
"""

import os
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from . import grooves as _grooves, moods as _moods, motifs as _motifs, moves as _moves
from .errors import InputError, did_you_mean
from .validate import Checker, listed
from .yamlsource import MAX_VALUES, LimitError, Source, decode_text, load_yaml, parse_yaml, read_bytes, value_count

_PACKAGE = Path(__file__).resolve().parent
MAX_INCLUDES = 16
MAX_INCLUDE_BYTES = 5_000_000  # all of a score's include files together


def data_dir(name: str) -> Path:
    """The folder holding a built-in YAML library: `music`, `choreo`, `story` or `scores`."""
    checkout = _PACKAGE.parent / name
    if checkout.is_dir() and (_PACKAGE.parent / "pyproject.toml").is_file():
        return checkout
    return _PACKAGE / "_data" / name


@dataclass(frozen=True, slots=True)
class Library:
    """Everything a score can name: moods, grooves, motifs, moves, combos and dance rules."""

    moods: dict
    grooves: dict
    motifs: dict
    moves: dict
    combos: dict
    rules: dict


# Library sections a file (built-in, included or a score) may hold, and who reads them.
SECTIONS = ("moods", "grooves", "motifs", "moves", "combos", "rules")


@cache
def builtin() -> Library:
    """The libraries shipped with the package, loaded once per process."""
    music, choreo = data_dir("music"), data_dir("choreo")
    moods = _moods.load_moods(load_yaml(music / "moods.yaml"))
    grooves = _grooves.load_grooves(load_yaml(music / "grooves.yaml"))
    motifs = _motifs.load_motifs(load_yaml(music / "motifs.yaml"))
    moves, combos, rules = _moves.load_vocabulary(load_yaml(choreo / "moves.yaml"),
                                                  load_yaml(choreo / "combos.yaml"),
                                                  load_yaml(choreo / "rules.yaml"))
    library = Library(moods, grooves, motifs, moves, combos, rules)
    _cross_check(library)
    return library


def extend(library: Library, check: Checker, path=(), skip=()) -> Library:
    """Add the library sections found at `path` of a checked document (a score or an include file).

    `skip` names sections the caller reads itself (a score's `motifs:` maps characters to motifs).
    """
    data = check.value(path, {})
    if not isinstance(data, dict):
        return library
    data = {k: v for k, v in data.items() if k not in skip}
    lib = library
    if "moods" in data:
        lib = replace(lib, moods={**lib.moods, **_moods.read_moods(check, tuple(path) + ("moods",), lib.moods)})
    if "grooves" in data:
        lib = replace(lib, grooves={**lib.grooves, **_grooves.read_grooves(check, tuple(path) + ("grooves",))})
    if "motifs" in data:
        lib = replace(lib, motifs={**lib.motifs, **_motifs.read_motifs(check, tuple(path) + ("motifs",))})
    if any(k in data for k in ("moves", "combos", "rules")):
        moves, combos, rules = _moves.read_vocabulary(check, path, lib.moves, lib.combos, lib.rules)
        lib = replace(lib, moves=moves, combos=combos, rules=rules)
    _check_names(check, tuple(path), data, lib)
    return lib


def _check_names(check: Checker, path, data: dict, lib: Library):
    """Names that added entries use from other library sections must exist."""
    def known(where, name, names, what):
        if name not in names:
            check.fail(where, f"unknown {what} {name!r}", expected="one of " + ", ".join(sorted(names)),
                       hint=did_you_mean(name, names))

    for name, entry in _entries(data.get("moods")):
        for j, groove in enumerate(listed(entry.get("grooves"))):
            if isinstance(groove, str):
                known(path + ("moods", name, "grooves", j), groove, lib.grooves, "groove")
    for name, entry in _entries(data.get("combos")):
        for j, mood in enumerate(listed(entry.get("moods"))):
            if isinstance(mood, str):
                known(path + ("combos", name, "moods", j), mood, lib.moods, "mood")
    rules = data.get("rules")
    for name, _ in _entries(rules.get("moods") if isinstance(rules, dict) else None):
        if name not in lib.moods:
            check.fail(path + ("rules", "moods", name), f"rules for unknown mood {name!r}", at_key=True,
                       expected="a mood of the mood library", hint=did_you_mean(name, lib.moods))


def _entries(section):
    """(name, entry) pairs of a library section whose entries are mappings; anything else was reported."""
    if not isinstance(section, dict):
        return []
    return [(name, entry) for name, entry in section.items() if isinstance(entry, dict)]


def read_includes(check: Checker, base_dir, library: Library, include_root=None) -> Library:
    """The library extended by the score's `include:` files, in order; every problem is recorded in `check`.

    An include resolves relative to the score and must stay inside `include_root` (default: the
    score's folder tree), so a shared score cannot read other files of the machine it is rendered on.
    At most `MAX_INCLUDES` files and `MAX_INCLUDE_BYTES` bytes in all are read, each file once, and
    the score and its includes together hold at most `MAX_VALUES` values.
    """
    listed = check.sequence(("include",), "files")
    if len(listed) > MAX_INCLUDES:
        check.fail(("include",), f"{len(listed)} include files is more than the limit", expected=f"at most {MAX_INCLUDES}")
        return library
    root = Path(os.path.realpath(include_root if include_root is not None else base_dir))
    budget, values, seen = MAX_INCLUDE_BYTES, MAX_VALUES - value_count(check.source), set()
    for i, _ in enumerate(listed):
        name = check.text(("include", i), max_len=1000)
        if not name:
            continue
        path = Path(base_dir) / name
        real = Path(os.path.realpath(path))
        if not path.exists():
            check.fail(("include", i), f"no library file {name!r} next to the score",
                       expected="a YAML file with moods, grooves, motifs, moves, combos or rules, relative to the score")
        elif not real.is_relative_to(root):
            check.fail(("include", i), f"include {name!r} is outside {root}",
                       expected="a library file in the score's folder or below it",
                       hint="--include-root DIR allows includes from DIR and below")
        elif real in seen:
            check.fail(("include", i), f"{name!r} is included twice")
        else:
            seen.add(real)
            try:
                raw = read_bytes(path, "library file", budget, missing=f"no library file {name!r}",
                                 too_big_hint=f"a score's includes may hold {MAX_INCLUDE_BYTES:,} bytes in all")
                budget -= len(raw)
                source = parse_yaml(decode_text(raw, str(path), "library file"), str(path), max_values=values,
                                    hint=f"a score and its includes may hold {MAX_VALUES:,} values in all")
                values -= value_count(source)
                library = load_include(library, source)
            except LimitError as exc:
                check.add(exc)
                break  # the budget is spent: the next files could only fail the same way, more slowly
            except InputError as exc:
                check.add(exc)
    return library


def load_include(library: Library, source: Source) -> Library:
    """Extend a library with one parsed include file (top-level keys from `SECTIONS`)."""
    check = Checker(source)
    check.mapping((), set(SECTIONS), what="library section")
    extended = extend(library, check)
    check.raise_if_any()
    return extended


def _cross_check(library: Library):
    """Names one built-in file uses from another must exist (a packaging error if not)."""
    for mood in library.moods.values():
        for groove in mood.grooves:
            if groove not in library.grooves:
                raise RuntimeError(f"mood {mood.name!r} names unknown groove {groove!r}")
    for combo in library.combos.values():
        for mood in combo.moods:
            if mood not in library.moods:
                raise RuntimeError(f"combo {combo.id!r} names unknown mood {mood!r}")


