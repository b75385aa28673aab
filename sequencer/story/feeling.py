"""How a scene feels: valence and arousal from the lexicon, with negation, softening, intensity and contrast.

Each emotion word found is a `Hit` that remembers how it was modified, so a drafted score can
say which words drove a scene's mood. A scene's value is the weighted mean of its hits, pulled
towards neutral when the scene has few emotion words.
"""

import re
from dataclasses import dataclass

from .lexicon import Lexicon

NEGATION_REACH = 3      # a negator reaches this many words ahead
MODIFIER_REACH = 2      # an intensifier or diminisher reaches this many words ahead
NEGATED_FACTOR = -0.5   # "not happy" is mildly unhappy, not as strong as "unhappy"
SOFTENED_FACTOR = 0.4   # "didn't hurt as much" still hurts, less
BEFORE_CONTRAST = 0.5   # weight of words before "but"/"though" in a sentence
AFTER_CONTRAST = 1.5    # weight of words after it
PRIOR_WEIGHT = 1.0      # neutral evidence every scene starts with
EXCLAIM_AROUSAL = 0.15  # extra arousal when every sentence ends with "!"

_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n")
_CLAUSE = re.compile(r"[,;:()\u2013\u2014]|\s-\s|--")
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Hit:
    """One emotion word (or phrase) as it counted: its value after modifiers and its weight."""

    word: str
    valence: float
    arousal: float
    weight: float
    how: str  # "", "negated", "softened", "intensified", "diminished"

    @property
    def label(self) -> str:
        return f"{self.word} ({self.how})" if self.how else self.word


@dataclass(frozen=True, slots=True)
class Feeling:
    """A scene's valence and arousal in [-1, 1] and the hits they came from."""

    valence: float
    arousal: float
    hits: tuple[Hit, ...]
    opens_with_contrast: bool = False  # the text starts with "But …": it turns against what came before

    def drivers(self, count: int = 4) -> tuple[Hit, ...]:
        """The hits that moved valence most, strongest first (ties in text order)."""
        ranked = sorted(enumerate(self.hits), key=lambda ih: (-abs(ih[1].valence * ih[1].weight), ih[0]))
        return tuple(h for _, h in ranked[:count])


def feel(text: str, lexicon: Lexicon) -> Feeling:
    """The feeling of a piece of text."""
    hits: list[Hit] = []
    sentences = [s for s in _SENTENCE.split(text.replace("’", "'").replace("‘", "'")) if s.strip()]
    exclaimed = sum(s.rstrip("\"'”) ").endswith("!") for s in sentences)
    for sentence in sentences:
        found = _sentence_hits(sentence.lower(), lexicon)
        if hits and _opens_with_contrast(sentence, lexicon):
            hits = [_reweighed(h, BEFORE_CONTRAST) for h in hits]
            found = [_reweighed(h, AFTER_CONTRAST) for h in found]
        hits.extend(found)
    total = sum(h.weight for h in hits) + PRIOR_WEIGHT
    valence = sum(h.valence * h.weight for h in hits) / total
    arousal = sum(h.arousal * h.weight for h in hits) / total
    arousal += EXCLAIM_AROUSAL * exclaimed / max(len(sentences), 1)
    opens = bool(sentences) and _opens_with_contrast(sentences[0], lexicon)
    return Feeling(_clamp(valence), _clamp(arousal), tuple(hits), opens)


def _opens_with_contrast(sentence: str, lexicon: Lexicon) -> bool:
    first = _TOKEN.match(sentence.lstrip("\"'“‘( ").lower())
    return bool(first) and first.group() in lexicon.contrasts


def _reweighed(hit: Hit, factor: float) -> Hit:
    return Hit(hit.word, hit.valence, hit.arousal, hit.weight * factor, hit.how)


def _sentence_hits(sentence: str, lexicon: Lexicon) -> list[Hit]:
    clauses = [_TOKEN.findall(c) for c in _CLAUSE.split(sentence)]
    flat = [t for c in clauses for t in c]
    turn = max((i for i, t in enumerate(flat) if t in lexicon.contrasts and i > 0), default=None)
    hits, position = [], 0
    for tokens in clauses:
        hits.extend(_clause_hits(tokens, position, turn, lexicon))
        position += len(tokens)
    return hits


def _clause_hits(tokens: list[str], offset: int, turn: int | None, lexicon: Lexicon) -> list[Hit]:
    hits = []
    negated_until = modified_until = -1
    factor = 1.0
    i = 0
    while i < len(tokens):
        found = _match(tokens, i, lexicon)
        if found is None:
            word = tokens[i]
            if lexicon.is_negator(word):
                negated_until = i + NEGATION_REACH
            elif (m := lexicon.modifier(word)) is not None:
                factor = factor * m if modified_until >= i else m
                modified_until = i + MODIFIER_REACH
            i += 1
            continue
        listed, (valence, arousal), span = found
        how = ""
        if modified_until >= i and factor != 1.0:
            valence = _clamp(valence * factor)
            arousal = _clamp(arousal + 0.3 * (factor - 1.0))
            how = "intensified" if factor > 1 else "diminished"
        if negated_until >= i:
            softener = _softener(tokens, i + span, lexicon)
            if softener:
                valence *= SOFTENED_FACTOR
                how, span = "softened", span + softener
            else:
                valence *= NEGATED_FACTOR
                arousal *= 0.5
                how = "negated"
            negated_until = -1
        at = offset + i
        weight = 1.0 if turn is None else (BEFORE_CONTRAST if at < turn else AFTER_CONTRAST)
        hits.append(Hit(listed, round(valence, 4), round(arousal, 4), weight, how))
        modified_until, factor = -1, 1.0
        i += span
    return hits


def _match(tokens: list[str], i: int, lexicon: Lexicon):
    """The longest phrase or word listed at `tokens[i]`: (listed form, value, tokens used)."""
    for length in range(min(lexicon.longest_phrase, len(tokens) - i), 1, -1):
        phrase = tuple(tokens[i:i + length])
        if phrase in lexicon.phrases:
            return " ".join(phrase), lexicon.phrases[phrase], length
    token = tokens[i]
    if lexicon.is_negator(token) or lexicon.modifier(token) is not None or token in lexicon.contrasts:
        return None
    found = lexicon.lookup(token)
    return (found[0], found[1], 1) if found else None


def _softener(tokens: list[str], i: int, lexicon: Lexicon) -> int:
    """How many tokens of a softener ("as much") start at `i`, or 0."""
    for phrase in lexicon.softeners:
        if tuple(tokens[i:i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _clamp(x: float) -> float:
    return max(-1.0, min(1.0, x))
