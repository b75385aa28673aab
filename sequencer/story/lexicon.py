"""The emotion lexicon (story/lexicon.yaml): valence and arousal per word, plus modifier words."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..library import data_dir
from ..validate import Checker
from ..yamlsource import load_yaml

_TOP = {"words", "negators", "softeners", "contrasts", "intensifiers", "diminishers"}
_ENTRY = re.compile(r"^[a-z][a-z'-]*( [a-z][a-z'-]*)*$")
# Simple word forms tried when a word is not listed itself: (ending, replacement).
_FORMS = (("'s", ""), ("ies", "y"), ("ied", "y"), ("ily", "y"), ("es", ""), ("es", "e"), ("s", ""),
          ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"), ("ly", ""), ("ness", ""),
          ("ier", "y"), ("iest", "y"), ("er", ""), ("er", "e"), ("est", ""), ("est", "e"))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Words and phrases (tuples of words) → (valence, arousal); modifiers as sets and factors."""

    words: dict
    phrases: dict
    negators: frozenset
    softeners: tuple
    contrasts: frozenset
    intensifiers: dict
    diminishers: dict

    @property
    def longest_phrase(self) -> int:
        return max((len(p) for p in self.phrases), default=1)

    def lookup(self, word: str) -> tuple[str, tuple[float, float]] | None:
        """The listed form of `word` and its (valence, arousal), trying simple inflections."""
        if word in self.words:
            return word, self.words[word]
        for ending, replacement in _FORMS:
            if not word.endswith(ending):
                continue
            base = word[: -len(ending)] + replacement
            if len(base) >= 3:
                if base in self.words:
                    return base, self.words[base]
                doubled = len(base) >= 4 and base[-1] == base[-2] and base[:-1] in self.words
                if doubled and ending in ("ed", "ing", "er", "est"):
                    return base[:-1], self.words[base[:-1]]  # stopped → stop, sadder → sad
        return None

    def modifier(self, word: str) -> float | None:
        """The factor an intensifier or diminisher applies, or None for other words."""
        return self.intensifiers.get(word, self.diminishers.get(word))

    def is_negator(self, word: str) -> bool:
        return word in self.negators or word.endswith("n't")


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
        contrasts=frozenset(_word_list(check, "contrasts")),
        intensifiers=_factors(check, "intensifiers", 1.0, 3.0),
        diminishers=_factors(check, "diminishers", 0.0, 1.0))
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


def _word_list(check: Checker, key: str) -> list[str]:
    if check.value((key,), None) is None:
        return []
    items = check.sequence((key,), "words", allow_empty=True)
    result = []
    for i, _ in enumerate(items):
        word = check.text((key, i))
        if word is not None and not _ENTRY.match(word):
            check.fail((key, i), f"{word!r} is not a lower-case word or phrase")
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
