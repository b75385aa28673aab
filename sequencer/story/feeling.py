"""How a scene feels: each sentence read as words and events, the scene from its peak and its ending.

A sentence's emotion words become `EmotionWord`s (after negation, intensifiers, softeners and contrast);
an appraisal pattern (relief, loss, triumph, threat) reads the sentence as one event and the
words it explains count much less; a feeling in a sentence where a person is present counts
more than scenery. The scene's value weighs the mean of its sentences with its emotional peak
and its ending, the way a reader remembers a paragraph. Every step is one pass over the text.
"""

import re
from dataclasses import dataclass

from .lexicon import Appraisal, Lexicon
from .words import TOKEN, lemmas

NEGATION_REACH = 3      # a negator reaches this many words ahead, up to the first other content word
# Words a negation reaches across ("not a happy", "never felt so alone"); any other word that is
# not an emotion word takes the negation itself ("would not hear her weep": not hear, weep stays).
_NEGATION_PASSES = {"a", "an", "the", "be", "am", "is", "are", "was", "were", "been", "being", "feel", "felt",
                    "feeling", "seem", "seemed", "look", "looked", "get", "got", "become", "became", "at", "all",
                    "any", "that", "as", "my", "his", "her", "their", "our", "your", "its", "one", "bit", "much",
                    "quite", "even", "ever", "much", "more", "have", "has", "had", "do", "does", "did", "to"}
MODIFIER_REACH = 2      # an intensifier or diminisher reaches this many words ahead
NEGATED_FACTOR = -0.5   # "not happy" is mildly unhappy, not as strong as "unhappy"
SOFTENED_FACTOR = 0.4   # "didn't hurt as much" still hurts, less
BEFORE_CONTRAST = 0.5   # weight of words before "but"/"though" in a sentence (or sentences before one opening so)
AFTER_CONTRAST = 1.5    # weight of words after it
FELT = 1.5              # a feeling word in a sentence where a person is present
SCENERY = 0.4           # a scenery word (weather, light, objects)
APPRAISAL_WEIGHT = 2.5  # an appraisal counts as this many words
ABSORBED = 0.1          # the other words of a sentence an appraisal explains
SENTENCE_PRIOR = 0.5    # neutral evidence each sentence starts with
PRIOR_WEIGHT = 1.0      # neutral evidence every scene starts with
MEAN_SHARE, PEAK_SHARE, END_SHARE = 0.5, 0.25, 0.25  # how a scene's valence is made
AROUSAL_MEAN_SHARE = 0.6                              # the rest comes from its most aroused sentence
EXCLAIM_AROUSAL = 0.15  # extra arousal when every sentence ends with "!"

_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n")
_CLAUSE = re.compile(r"[,;:()\u2013\u2014]|\s-\s|--")


@dataclass(frozen=True, slots=True)
class EmotionWord:
    """One emotion word, phrase or appraisal as it counted: its value after modifiers, its weight, its sentence."""

    word: str
    valence: float
    arousal: float
    weight: float
    how: str  # "", "negated", "softened", "intensified", "diminished", "event", "explained"
    sentence: int = 0

    @property
    def label(self) -> str:
        return f"{self.word} ({self.how})" if self.how else self.word


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence's reading: its text, value, how much emotion it carries, and the appraisal it makes."""

    text: str
    valence: float
    arousal: float
    strength: float
    appraisal: str = ""


@dataclass(frozen=True, slots=True)
class Feeling:
    """A scene's valence and arousal in [-1, 1], the hits and sentences they came from, and which decided."""

    valence: float
    arousal: float
    hits: tuple[EmotionWord, ...]
    opens_with_contrast: bool = False  # the text starts with "But …": it turns against what came before
    sentences: tuple[Sentence, ...] = ()
    peak: int | None = None            # index of the sentence with the strongest feeling
    ending: int | None = None          # index of the last sentence with any feeling

    def drivers(self, count: int = 4) -> tuple[EmotionWord, ...]:
        """The hits that moved valence most, strongest first (ties in text order)."""
        ranked = sorted(enumerate(self.hits), key=lambda ih: (-abs(ih[1].valence * ih[1].weight), ih[0]))
        return tuple(h for _, h in ranked[:count])


def feel(text: str, lexicon: Lexicon, names: frozenset = frozenset()) -> Feeling:
    """The feeling of a piece of text; `names` are the characters' names in lower case (they are persons)."""
    raw = [s.strip() for s in _SENTENCE.split(text.replace("’", "'").replace("‘", "'")) if s.strip()]
    read = [_sentence_hits(sentence, lexicon, names, number) for number, sentence in enumerate(raw)]
    turns = [number > 0 and _opens_with_contrast(sentence, lexicon) for number, sentence in enumerate(raw)]
    factors = [1.0] * len(raw)  # a sentence opening with "But" weighs more, every sentence before it less
    later = 1.0
    for number in range(len(raw) - 1, -1, -1):
        factors[number] = later * (AFTER_CONTRAST if turns[number] else 1.0)
        if turns[number]:
            later *= BEFORE_CONTRAST
    hits: list[EmotionWord] = []
    sentences = []
    for sentence, (found, appraisal), factor in zip(raw, read, factors):
        found = [_reweighed(h, factor) for h in found]
        hits.extend(found)
        sentences.append(_reading(sentence, found, appraisal))
    valence, arousal, peak, ending = _scene_value(sentences)
    exclaimed = sum(s.rstrip("\"'”) ").endswith("!") for s in raw)
    arousal += EXCLAIM_AROUSAL * exclaimed / max(len(raw), 1)
    opens = bool(raw) and _opens_with_contrast(raw[0], lexicon)
    return Feeling(_clamp(valence), _clamp(arousal), tuple(hits), opens, tuple(sentences), peak, ending)


def _reading(text: str, hits: list[EmotionWord], appraisal: str) -> Sentence:
    strength = sum(h.weight for h in hits)
    total = strength + SENTENCE_PRIOR
    return Sentence(text, sum(h.valence * h.weight for h in hits) / total,
                    sum(h.arousal * h.weight for h in hits) / total, strength, appraisal)


def _scene_value(sentences: list[Sentence]) -> tuple[float, float, int | None, int | None]:
    """(valence, arousal, peak, ending): the weighted mean of sentences, with the peak and the ending."""
    felt = [i for i, s in enumerate(sentences) if s.strength > 0]
    if not felt:
        return 0.0, 0.0, None, None
    total = sum(sentences[i].strength for i in felt) + PRIOR_WEIGHT
    mean_v = sum(sentences[i].valence * sentences[i].strength for i in felt) / total
    mean_a = sum(sentences[i].arousal * sentences[i].strength for i in felt) / total
    peak = max(felt, key=lambda i: (abs(sentences[i].valence) * min(sentences[i].strength, 2.0), -i))
    ending = felt[-1]
    valence = MEAN_SHARE * mean_v + PEAK_SHARE * sentences[peak].valence + END_SHARE * sentences[ending].valence
    most = max(sentences[i].arousal for i in felt)
    arousal = AROUSAL_MEAN_SHARE * mean_a + (1 - AROUSAL_MEAN_SHARE) * most
    return valence, arousal, peak, ending


def _opens_with_contrast(sentence: str, lexicon: Lexicon) -> bool:
    first = TOKEN.findall(sentence[:40].lower())
    return any(tuple(first[:len(c)]) == c for c in lexicon.contrasts)


def _reweighed(hit: EmotionWord, factor: float) -> EmotionWord:
    return EmotionWord(hit.word, hit.valence, hit.arousal, hit.weight * factor, hit.how, hit.sentence)


def _sentence_hits(sentence: str, lexicon: Lexicon, names: frozenset, number: int) -> tuple[list[EmotionWord], str]:
    """The sentence's hits and the appraisal it makes ("" for none)."""
    lowered = sentence.lower()
    clauses = [TOKEN.findall(c) for c in _CLAUSE.split(lowered)]
    flat = [t for c in clauses for t in c]
    turn = max((i for i, t in enumerate(flat) if i > 0 and lexicon.word(t).contrast), default=None)
    hits, position = [], 0
    for tokens in clauses:
        hits.extend(_clause_hits(tokens, position, turn, lexicon, number))
        position += len(tokens)
    person = any(t in lexicon.persons or t in names for t in flat)
    hits = [_felt(h, lexicon, person) for h in hits]
    event = _appraisal(flat, lexicon)
    if event is None:
        return hits, ""
    explained = [EmotionWord(h.word, h.valence, h.arousal, h.weight * ABSORBED, "explained", number) for h in hits]
    valence, arousal = event.value
    return explained + [EmotionWord(event.name, valence, arousal, APPRAISAL_WEIGHT, "event", number)], event.name


def _felt(hit: EmotionWord, lexicon: Lexicon, person: bool) -> EmotionWord:
    """Who feels what: scenery counts less, a feeling with a person present counts more."""
    if hit.word in lexicon.scenery:
        return _reweighed(hit, SCENERY)
    if person:
        return _reweighed(hit, FELT)
    return hit


def _appraisal(tokens: list[str], lexicon: Lexicon) -> Appraisal | None:
    """The appraisal pattern this sentence makes, the last one found in the text when several are."""
    found: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for i, token in enumerate(tokens):
        seen = set()
        for pattern, side, term in lexicon.word(token).terms:
            if (pattern, side) not in seen and _term_matches(tokens, i, term):
                seen.add((pattern, side))
                found.setdefault((pattern, side), []).append((i, i + len(term)))
    best, best_at = None, -1
    for index, pattern in enumerate(lexicon.appraisals):
        whens = found.get((index, "when"))
        if not whens:
            continue
        if not pattern.with_:
            fired = [end for start, end in whens if not _negated(tokens, start)]
        else:
            fired = [max(end, w_end) for start, end in whens for w_start, w_end in found.get((index, "with"), ())
                     if _near(pattern, (start, end), (w_start, w_end)) and not _negated(tokens, w_start)]
        if fired and max(fired) > best_at:
            best, best_at = pattern, max(fired)
    return best


def _near(pattern: Appraisal, when: tuple[int, int], with_: tuple[int, int]) -> bool:
    if with_[0] >= when[1]:
        gap, when_first = with_[0] - when[1], True
    elif when[0] >= with_[1]:
        gap, when_first = when[0] - with_[1], False
    else:
        return False
    if pattern.order == "with-first" and when_first or pattern.order == "when-first" and not when_first:
        return False
    return gap < pattern.within


def _negated(tokens: list[str], at: int) -> bool:
    return any(t in ("not", "never", "no") or t.endswith("n't") for t in tokens[max(0, at - 2):at])


def _term_matches(tokens: list[str], i: int, term: tuple[str, ...]) -> bool:
    if i + len(term) > len(tokens):
        return False
    return all(word in lemmas(tokens[i + k]) for k, word in enumerate(term))


def _clause_hits(tokens: list[str], offset: int, turn: int | None, lexicon: Lexicon, number: int) -> list[EmotionWord]:
    hits = []
    negated_until = modified_until = -1
    factor = 1.0
    i = 0
    while i < len(tokens):
        found = _match(tokens, i, lexicon)
        if found is None:
            word = lexicon.word(tokens[i])
            if word.negator:
                negated_until = i + NEGATION_REACH
            elif (m := word.modifier) is not None:
                factor = factor * m if modified_until >= i else m
                modified_until = i + MODIFIER_REACH
            elif tokens[i] not in _NEGATION_PASSES:
                negated_until = -1
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
        hits.append(EmotionWord(listed, round(valence, 4), round(arousal, 4), weight, how, number))
        modified_until, factor = -1, 1.0
        i += span
    return hits


def _match(tokens: list[str], i: int, lexicon: Lexicon):
    """The longest phrase or word listed at `tokens[i]`: (listed form, value, tokens used)."""
    word = lexicon.word(tokens[i])
    for phrase in word.phrases:
        if _term_matches(tokens, i, phrase):
            return " ".join(phrase), lexicon.phrases[phrase], len(phrase)
    if word.negator or word.modifier is not None or word.contrast or word.value is None:
        return None
    return word.value[0], word.value[1], 1


def _softener(tokens: list[str], i: int, lexicon: Lexicon) -> int:
    """How many tokens of a softener ("as much") start at `i`, or 0."""
    for phrase in lexicon.softeners:
        if tuple(tokens[i:i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _clamp(x: float) -> float:
    return max(-1.0, min(1.0, x))
