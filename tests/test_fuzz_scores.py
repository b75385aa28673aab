"""Random damage to a valid score: loading either succeeds or ends in located InputErrors, never a crash."""

import copy
import os
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from sequencer.errors import InputError, InputErrors
from sequencer.score import score_from_source
from sequencer.yamlsource import parse_yaml

from conftest import ROOT

VALID = {
    "title": "Fuzz",
    "seed": 5,
    "tempo": 100,
    "meter": "4/4",
    "key": "D minor",
    "cast": [{"name": "A", "skill": 5}, {"name": "B", "skill": 3}],
    "motifs": {"A": "bakhyt-theme"},
    "sections": [
        {"name": "One", "mood": "mysterious", "bars": 8, "tempo": 84, "dancers": ["A"],
         "moves": [{"dancer": "A", "at": "8:1", "move": "airchair"}], "themes": ["A"]},
        {"name": "Two", "mood": "joyful", "bars": 16, "tempo": {"from": 100, "to": 112},
         "formation": "duet", "meter": "3/4", "key": "G major", "offset_counts": 2},
    ],
}

JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                 st.text(max_size=12), st.just([]), st.just({}), st.just("4/0"), st.just("99:9"),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


def paths(node, prefix=()):
    """Every path to a value inside the document."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, prefix + (i,))


ALL_PATHS = [p for p in paths(VALID) if p]


def damaged(path, action, junk):
    doc = copy.deepcopy(VALID)
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "extra" and isinstance(parent, dict):
        parent[f"{last}x"] = junk
    else:
        parent[last] = junk
    return doc


def outcome(text):
    try:
        return score_from_source(parse_yaml(text, "fuzz.yaml"), ROOT)
    except (InputError, InputErrors) as exc:
        errors = exc.errors if isinstance(exc, InputErrors) else [exc]
        for error in errors:
            assert error.file == "fuzz.yaml" and error.line is not None and error.column is not None
            assert error.message().startswith(f"fuzz.yaml:{error.line}:{error.column}: ")
        return exc


def test_the_base_score_is_valid():
    assert not isinstance(outcome(yaml.safe_dump(VALID, sort_keys=False)), Exception)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_PATHS), st.sampled_from(["replace", "delete", "extra"]), JUNK)
def test_damaged_score_is_clean_error_or_valid(path, action, junk):
    outcome(yaml.safe_dump(damaged(path, action, junk), sort_keys=False, allow_unicode=True))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text):
    outcome(text)


# -- the shipped scores and libraries, mutated -----------------------------------------------------------
# Each example takes one shipped file, changes one value (its type, its nesting, a string, a number),
# and runs `sequencer check` (load and compose) on it: a score directly, a library through `include:`.
# The outcome must be exit 0 or exit 2 with every line located at file:line:column.

SHIPPED = sorted((ROOT / "scores").glob("*.yaml")) + sorted((ROOT / "music").glob("*.yaml")) \
    + sorted((ROOT / "choreo").glob("*.yaml"))
DOCS = {path.name: (path.parent.name, yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
        for path in SHIPPED}
DOC_PATHS = {name: [p for p in paths(doc) if p] for name, (_, doc) in DOCS.items()}
INCLUDING_SCORE = "title: Fuzzed library\ninclude: [{name}]\nsections:\n  - {{name: A, mood: tense, bars: 4}}\n"

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.text(st.characters(max_codepoint=0x3000), min_size=100, max_size=400),
    st.sampled_from(["1e309", "-1e309", ".inf", "amen", "4/0", "99:9", "0:0", "8:1:999", "\x00", "\x1b[31m",
                     "A\nB", "𝄞 🎵", "../../../../etc/passwd", "/dev/zero", "2024-13-45", "", " "]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)


def mutate(doc, path, action, value):
    """A copy of `doc` with the value at `path` changed by `action`."""
    doc = copy.deepcopy(doc)
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last, old = path[-1], parent[path[-1]]
    if action == "delete":
        del parent[last]
    elif action == "wrap":
        parent[last] = [old]
    elif action == "nest":
        parent[last] = {"value": old}
    elif action == "unwrap" and isinstance(old, (list, dict)) and old:
        parent[last] = next(iter(old.values())) if isinstance(old, dict) else old[0]
    elif action == "stringify":
        parent[last] = str(old)
    elif action == "repeat" and isinstance(parent, list):
        parent.extend([old] * 3)
    elif action == "extra" and isinstance(parent, dict):
        parent[f"{last}x"] = value
    else:
        parent[last] = value
    return doc


ACTIONS = ["replace", "delete", "wrap", "nest", "unwrap", "stringify", "repeat", "extra"]


def check_mutant(tmp_path, run_cli, name, path, action, value):
    folder, doc = DOCS[name]
    text = yaml.safe_dump(mutate(doc, path, action, value), sort_keys=False, allow_unicode=True)
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    score = target
    if folder != "scores":
        score = tmp_path / "including.yaml"
        score.write_text(INCLUDING_SCORE.format(name=name), encoding="utf-8")
    code, _, err = run_cli("check", score)
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        for line in err.splitlines():
            assert re.match(rf"^({re.escape(str(target))}|{re.escape(str(score))}):\d+:\d+: ", line), line
            assert len(line) < 2000 and not any(ord(c) < 32 for c in line)
    return code


def mutation(data):
    name = data.draw(st.sampled_from(sorted(DOCS)), label="file")
    path = data.draw(st.sampled_from(DOC_PATHS[name]), label="path")
    return name, path, data.draw(st.sampled_from(ACTIONS), label="action"), data.draw(VALUES, label="value")


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mutated_shipped_file_is_ok_or_located(tmp_path, run_cli, data):
    check_mutant(tmp_path, run_cli, *mutation(data))


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("SEQUENCER_FUZZ_EXAMPLES", 600)), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mutated_shipped_file_is_ok_or_located_many(tmp_path, run_cli, data):
    check_mutant(tmp_path, run_cli, *mutation(data))
