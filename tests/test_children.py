"""Work in a forked process: its result or its error comes back; a child that dies is reported."""

import os
import pickle

import pytest

from sequencer.children import child_result, fork_call, stop_children
from sequencer.compose import compose
from sequencer.errors import InputError
from sequencer.render import resolve_score_path
from sequencer.score import load_score


def _pid_and(value):
    return os.getpid(), value


def test_the_result_comes_back_from_another_process():
    pid, value = child_result(fork_call(_pid_and, {"notes": (1, 2, 3)}))
    assert pid != os.getpid() and value == {"notes": (1, 2, 3)}


def _raise(error):
    raise error


def test_an_error_is_raised_in_the_parent_with_its_location():
    with pytest.raises(InputError, match="x.yaml:3:5: sections.bars: too many; expected 1-4000"):
        child_result(fork_call(_raise, InputError("too many", file="x.yaml", line=3, column=5, field="sections.bars",
                                                  expected="1-4000")))


class Unrebuildable(Exception):
    def __init__(self, text, *, code):
        super().__init__(text)
        self.code = code


def test_an_error_that_cannot_be_rebuilt_arrives_as_its_text():
    with pytest.raises(RuntimeError, match="Unrebuildable: broke"):
        child_result(fork_call(_raise, Unrebuildable("broke", code=3)))


def test_a_child_that_dies_is_reported_and_stopping_it_again_is_harmless():
    child = fork_call(os._exit, 7)
    with pytest.raises(RuntimeError, match=r"a forked worker process died \(exit code 7\)"):
        child_result(child)
    stop_children([child])


def test_move_cues_rounds_and_pins_pickle_as_their_fields():
    perf = compose(load_score(resolve_score_path("bakhyt-cooper")))
    dance = (perf.cues, perf.rounds, perf.pins)
    assert perf.cues and perf.rounds and perf.pins and pickle.loads(pickle.dumps(dance, pickle.HIGHEST_PROTOCOL)) == dance
    for item in (perf.cues[0], perf.rounds[0], perf.pins[0]):
        cls, values = item.__reduce__()
        assert cls is type(item) and cls(*values) == item
