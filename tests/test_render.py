"""The pipeline in one call: which score a name means, and a story drafted on the way."""

import pytest

from sequencer.errors import InputError
from sequencer.render import DEFAULT_SCORE, builtin_scores, load, resolve_score_path

STORY = """The Night Shift

Mira works nights at the bakery and hates the silence of the empty street.

Then Mira hears music from the roof and runs up the stairs laughing, dancing with the whole crew.
"""


def test_no_name_is_the_default_show_and_a_name_is_a_shipped_score():
    assert resolve_score_path(None) == builtin_scores()[DEFAULT_SCORE]
    assert resolve_score_path("first-light") == builtin_scores()["first-light"]


def test_a_path_is_taken_as_it_is_even_before_it_exists(tmp_path):
    assert resolve_score_path(str(tmp_path / "new.yaml")) == tmp_path / "new.yaml"


def test_an_unknown_name_lists_the_shipped_scores():
    with pytest.raises(InputError) as info:
        resolve_score_path("no-such-show")
    assert all(name in info.value.message() for name in builtin_scores())


def test_a_story_is_drafted_into_a_score(tmp_path):
    story = tmp_path / "night.txt"
    story.write_text(STORY, encoding="utf-8")
    score = load(story)
    assert score.sections and "Mira" in {d.name for d in score.cast}
