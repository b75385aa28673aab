"""The emotion lexicon (story/lexicon.yaml): valence and arousal per word and phrase, modifier words,
scenery words, the people who can feel, and appraisal patterns (relief, loss, triumph, threat).

Words are looked up through their lemmas (`words.lemmas`): a listed base form covers its
inflections ("wept" → weep), and a phrase ("fall asleep") matches any inflection of its words.
A phrase word written inflected ("did it") matches only that form.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..library import data_dir
from ..validate import Checker
from ..yamlsource import load_yaml
from .words import lemmas

_TOP = {"words", "negators", "softeners", "contrasts", "intensifiers", "diminishers", "scenery", "persons",
        "appraisals"}
_APPRAISAL = {"value", "when", "with", "within", "order"}
_ORDERS = ("any", "with-first", "when-first")
_ENTRY = re.compile(r"^[a-z][a-z'-]*( [a-z][a-z'-]*)*$")


@dataclass(frozen=True, slots=True)
class Appraisal:
    """A pattern that reads a sentence as an event: a `when` term with a `with` term nearby (when any)."""

    name: str
    value: tuple[float, float]
    when: dict  # first word → the terms (tuples of words) starting with it
    with_: dict
    within: int
    order: str


@dataclass(frozen=True, slots=True)
class Word:
    """Everything the lexicon says about one word, worked out once per word (the text is read in one pass)."""

    value: tuple[str, tuple[float, float]] | None  # the listed form and its (valence, arousal)
    phrases: tuple[tuple[str, ...], ...]           # phrases that may start here, longest first
    terms: tuple[tuple[int, str, tuple[str, ...]], ...]  # (appraisal index, "when"/"with", term) starting here
    negator: bool
    modifier: float | None
    contrast: bool


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Words and phrases (tuples of words) → (valence, arousal); modifiers, scenery, persons, appraisals."""

    words: dict
    phrases: dict
    negators: frozenset
    softeners: tuple
    contrasts: tuple  # tuples of words: ("but",), ("at", "last")
    intensifiers: dict
    diminishers: dict
    scenery: frozenset = frozenset()
    persons: frozenset = frozenset()
    appraisals: tuple = ()
    phrase_index: dict = field(default_factory=dict)  # first word → phrases starting with it, longest first
    memo: dict = field(default_factory=dict, compare=False)  # word → its `Word`, filled as words come

    def lookup(self, word: str) -> tuple[str, tuple[float, float]] | None:
        """The listed form of `word` (itself or one of its lemmas) and its (valence, arousal)."""
        return self.word(word).value

    def word(self, word: str) -> Word:
        """What the lexicon knows about `word`, through its lemmas."""
        found = self.memo.get(word)
        if found is None:
            forms = lemmas(word)
            terms = tuple((i, side, term) for i, pattern in enumerate(self.appraisals)
                          for side, index in (("when", pattern.when), ("with", pattern.with_))
                          for form in forms for term in index.get(form, ()))
            found = self.memo[word] = Word(
                value=next(((form, self.words[form]) for form in forms if form in self.words), None),
                phrases=tuple(p for form in forms for p in self.phrase_index.get(form, ())),
                terms=terms, negator=word in self.negators or word.endswith("n't"),
                modifier=self.intensifiers.get(word, self.diminishers.get(word)), contrast=(word,) in self.contrasts)
        return found



@cache
def builtin_lexicon() -> Lexicon:
    """The lexicon shipped in story/lexicon.yaml, loaded once per process."""
    return load_lexicon(data_dir("story") / "lexicon.yaml")


def load_lexicon(file: Path) -> Lexicon:
    """Read and validate a lexicon file; every bad entry is reported with file:line:column."""
    check = Checker(load_yaml(file))
    check.mapping((), _TOP, required=("words",), what="lexicon section")
    words, phrases = {}, {}
    entries = check.value(("words",), {})
    if not isinstance(entries, dict):
        check.fail(("words",), "must map a word to [valence, arousal]", expected="e.g. joy: [0.9, 0.6]")
        entries = {}
    for word in entries:
        path = ("words", word)
        if not isinstance(word, str) or not _ENTRY.match(word):
            check.fail(path, f"{word!r} is not a lower-case word or phrase", at_key=True,
                       expected="letters, apostrophes and hyphens, words separated by one space")
            continue
        value = _pair(check, path)
        if value is None:
            continue
        if " " in word:
            phrases[tuple(word.split(" "))] = value
        else:
            words[word] = value
    lexicon = Lexicon(
        words=words, phrases=phrases,
        negators=frozenset(_word_list(check, "negators")),
        softeners=tuple(tuple(p.split(" ")) for p in _word_list(check, "softeners")),
        contrasts=tuple(tuple(p.split(" ")) for p in _word_list(check, "contrasts")),
        intensifiers=_factors(check, "intensifiers", 1.0, 3.0),
        diminishers=_factors(check, "diminishers", 0.0, 1.0),
        scenery=frozenset(_word_list(check, "scenery")),
        persons=frozenset(_word_list(check, "persons")),
        appraisals=_appraisals(check), phrase_index=index_terms(phrases))
    check.raise_if_any()
    return lexicon


def _pair(check: Checker, path) -> tuple[float, float] | None:
    """A `[valence, arousal]` entry, both from -1 to 1."""
    data = check.value(path)
    if not (isinstance(data, list) and len(data) == 2):
        check.fail(path, "must be [valence, arousal]", expected="two numbers from -1 to 1, e.g. [0.9, 0.6]")
        return None
    valence, arousal = check.number(path + (0,), -1, 1), check.number(path + (1,), -1, 1)
    return None if valence is None or arousal is None else (float(valence), float(arousal))


def _word_list(check: Checker, key) -> list[str]:
    path = key if isinstance(key, tuple) else (key,)
    if check.value(path, None) is None:
        return []
    items = check.sequence(path, "words", allow_empty=True)
    result = []
    for i, _ in enumerate(items):
        word = check.text(path + (i,))
        if word is not None and not _ENTRY.match(word):
            check.fail(path + (i,), f"{word!r} is not a lower-case word or phrase")
        elif word is not None:
            result.append(word)
    return result


def _factors(check: Checker, key: str, lo: float, hi: float) -> dict[str, float]:
    data = check.value((key,), None)
    if data is None:
        return {}
    if not isinstance(data, dict):
        check.fail((key,), "must map a word to a factor", expected=f"e.g. very: 1.5 (factors {lo} to {hi})")
        return {}
    result = {}
    for word in data:
        factor = check.number((key, word), lo, hi)
        if not isinstance(word, str) or not _ENTRY.match(word) or " " in word:
            check.fail((key, word), f"{word!r} is not a single lower-case word", at_key=True)
        elif factor is not None:
            result[word] = float(factor)
    return result


def _appraisals(check: Checker) -> tuple[Appraisal, ...]:
    """The `appraisals:` patterns: name → {value, when, with, within, order}."""
    data = check.value(("appraisals",), None)
    if data is None:
        return ()
    if not isinstance(data, dict):
        check.fail(("appraisals",), "must map a pattern name to its terms",
                   expected="e.g. relief: {value: [0.7, -0.3], when: [danger], with: [pass, over]}")
        return ()
    found = []
    for name in data:
        path = ("appraisals", name)
        fields = check.mapping(path, _APPRAISAL, required=("value", "when"), what="appraisal field")
        value = _pair(check, path + ("value",)) if "value" in fields else None
        when = _word_list(check, path + ("when",))
        with_ = _word_list(check, path + ("with",))
        within = check.integer(path + ("within",), 1, 30, default=8)
        order = check.text(path + ("order",), default="any", choices=_ORDERS)
        if value is not None and when and within is not None and order is not None:
            found.append(Appraisal(str(name), value, index_terms(tuple(t.split(" ")) for t in when),
                                   index_terms(tuple(t.split(" ")) for t in with_), within, order))
    return tuple(found)


def index_terms(terms) -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word → the terms starting with it, longest first, so that look-up per word is one dict access."""
    index: dict[str, list] = {}
    for term in terms:
        index.setdefault(term[0], []).append(term)
    return {first: tuple(sorted(found, key=len, reverse=True)) for first, found in index.items()}
