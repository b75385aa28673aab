"""Shared fixtures: build scores from YAML text, compose them, run the CLI in-process."""

import textwrap
from pathlib import Path

import pytest

from sequencer.compose import compose
from sequencer.score import score_from_source
from sequencer.yamlsource import parse_yaml

ROOT = Path(__file__).resolve().parent.parent


def make_score(text: str, file: str = "test.yaml"):
    """A validated Score from YAML text (dedented)."""
    return score_from_source(parse_yaml(textwrap.dedent(text), file), ROOT)


def make_performance(text: str):
    return compose(make_score(text))


@pytest.fixture
def run_cli(capsys):
    """Run `sequencer ARGS…` in-process; returns (exit code, stdout, stderr)."""
    from sequencer.cli import main

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run
