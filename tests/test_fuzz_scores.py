"""Random damage to a valid score: loading either succeeds or ends in located InputErrors, never a crash."""

import copy

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
