"""The labelled corpus (tests/corpus/paragraphs.yaml) and the traps a reader would not fall into, by name."""

from pathlib import Path

import pytest

from sequencer.story.corpus import load_corpus, measure, rates
from sequencer.story.draft import draft_story
from sequencer.story.feeling import feel
from sequencer.story.lexicon import builtin_lexicon

CORPUS = Path(__file__).resolve().parent / "corpus" / "paragraphs.yaml"
KINDS = {"fairy tale", "fable", "news report", "diary", "letter", "sports report", "battle-rap brag"}
TRAPS = {"literal", "relief", "one-sad-word", "long"}
# Agreement measured on the held-out third when this reader was finished (bench/story.py prints
# it); the tests hold it. The suffix-stripping reader before it scored 64 % / 84 %.
HELD_OUT_VALENCE, HELD_OUT_AROUSAL = 0.88, 1.0


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def outcomes(corpus):
    return measure(corpus)


def test_corpus_is_labelled_varied_and_has_a_held_out_third(corpus):
    assert len(corpus) >= 60
    assert KINDS <= {p.kind for p in corpus}
    assert TRAPS <= {p.trap for p in corpus}
    assert all(p.valence in "+-" and p.arousal in ("high", "low") for p in corpus)
    held = sum(p.held for p in corpus)
    assert len(corpus) // 3 - 1 <= held <= len(corpus) // 3 + 1
    assert len({p.id for p in corpus}) == len(corpus)


@pytest.mark.slow
def test_held_out_agreement_holds(outcomes):
    valence, arousal = rates([o for o in outcomes if o.item.held])
    assert valence >= HELD_OUT_VALENCE and arousal >= HELD_OUT_AROUSAL, (valence, arousal)


@pytest.mark.slow
@pytest.mark.parametrize("trap", sorted(TRAPS | {"loss", "threat", "triumph"}))
def test_each_trap_is_mostly_read_right(outcomes, trap):
    caught = [o for o in outcomes if o.item.trap == trap]
    valence, _ = rates(caught)
    assert valence >= 0.75, [o.item.id for o in caught if not o.valence_ok]


# -- the traps from the issue, one by one (sentences written for these tests) ------------------------
def _feel(text):
    return feel(text, builtin_lexicon())


def _valence(text):
    return draft_story(text, "trap.txt").sections[0].valence


def test_lemmas_do_not_invent_words():
    lexicon = builtin_lexicon()
    assert lexicon.lookup("number") is None  # not "numb"
    assert lexicon.lookup("wind") is None  # not "win"
    assert lexicon.lookup("wept")[0] == "weep" and lexicon.lookup("happier")[0] == "happy"
    words = [h.word for h in _feel("The wind howled all night over a number of empty barns.").hits]
    assert "win" not in words and "numb" not in words


@pytest.mark.parametrize("text, unit", [
    ("They warmed up before the show.", "warm up"),
    ("A voice cried out from the kitchen.", "cry out"),
    ("She let go of the rope.", "let go"),
    ("The baby fell asleep at last.", "fall asleep"),
    ("He broke down in tears.", "break down"),
])
def test_multi_word_expressions_are_one_unit(text, unit):
    words = [h.word for h in _feel(text).hits]
    assert unit in words, words


@pytest.mark.parametrize("text", [
    "He laid the knife and fork beside the plate and poured the soup for his daughter, then sat down to eat with her.",
    "The old hunter walked home through the village with his gun on his shoulder, nodding to the neighbours at their gates.",
    "Snowflakes fell on the roofs of the village, the river rose a little in the night, and the morning came in white.",
])
def test_literal_senses_are_not_read_as_grief(text):
    assert _valence(text) > -0.3, text


def test_relief_is_read_as_relief_not_threat():
    feeling = _feel("At last the danger had passed; they sat together, safe.")
    assert feeling.valence > 0 and any(h.word == "relief" and h.how == "event" for h in feeling.hits)
    assert _feel("The danger had not passed; they hid in the cellar.").valence < 0


def test_one_sad_word_does_not_set_a_happy_scene():
    text = ("We walked home along the river, laughing and singing, and the last tram had gone, so we took our "
            "time and shared a bag of warm chestnuts under the lamps. It was a lovely, easy night with friends.")
    assert _valence(text) > 0


def test_loss_needs_a_person():
    assert any(h.word == "loss" for h in _feel("Their old dog died in the night.").hits)
    assert not any(h.word == "loss" for h in _feel("The last bus had gone.").hits)


def test_triumph_and_threat_are_events():
    assert _feel("We did it! We made it to the top!").valence > 0.3
    assert not any(h.word == "triumph" for h in _feel("That night he found the crew who did it.").hits)
    threat = _feel("He heard footsteps behind him in the dark lane.")
    assert threat.valence < 0 and threat.arousal > 0.3


def test_a_feeling_with_a_person_counts_more_than_scenery():
    felt = _feel("She was afraid.").hits[0]
    scenery = _feel("The storm was far out at sea.").hits[0]
    assert felt.weight > 1 > scenery.weight


def test_a_paragraph_is_read_from_its_peak_and_its_ending():
    feeling = _feel("The morning was grey. Nothing much happened at work. Then the letter came: she had won "
                    "the prize! She laughed and danced with joy all evening.")
    assert feeling.valence > 0
    assert feeling.ending == len(feeling.sentences) - 1
    assert feeling.sentences[feeling.peak].valence > 0


def test_a_long_paragraph_about_a_death_does_not_drift_to_the_middle():
    text = ("The winter was hard in the valley. Little Anna caught a fever after the Christmas fair, and for nine "
            "days her mother sat beside her, cooling her forehead with snow water and singing the old songs. The "
            "doctor came twice through the drifts and shook his head. On the tenth night the fever did not break. "
            "Anna grew quiet, then still, and before dawn she was gone. Her mother held her until the candle "
            "burned out.")
    section = draft_story(text, "anna.txt").sections[0]
    assert section.mood in {"grief", "melancholy"}, (section.mood, section.deciding)
    assert "loss (event)" in section.deciding[0]
