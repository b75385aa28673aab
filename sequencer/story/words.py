"""Words of a sentence and their lemmas, from lemminflect's English dictionary (no suffix guessing).

A word's lemmas are the word itself, then its dictionary lemmas as a verb, adjective, noun and
adverb ("fell" → fall, "happier" → happy, "wept" → weep). A word the dictionary does not know
keeps only itself, and a word that is itself a base form is not read as a comparative, so
"number" never becomes "numb" nor "wind" "win". An adverb in -ly also
tries its adjective ("sadly" → sad), only when the dictionary knows that adjective.
"""

import re
from functools import cache

TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_ORDER = ("VERB", "ADJ", "NOUN", "ADV", "AUX")
_POSSESSIVE = re.compile(r"'s$")


def tokens(text: str) -> list[str]:
    """Lower-case words, keeping inner apostrophes and hyphens ("didn't", "free-spirited")."""
    return TOKEN.findall(text.lower().replace("’", "'"))


@cache
def lemmas(word: str) -> tuple[str, ...]:
    """The word and its dictionary lemmas, the word first, verbs before adjectives, nouns and adverbs."""
    from lemminflect import getAllLemmas  # a 1 MB dictionary, loaded on the first story only
    base = _POSSESSIVE.sub("", word)
    found = [word, base]
    by_pos = getAllLemmas(base)
    is_base = any(base in forms for forms in by_pos.values())
    for pos in _ORDER:
        if not (pos == "ADJ" and is_base):  # "number" is a noun, not a comparative of "numb"
            found.extend(by_pos.get(pos, ()))
    if "ADV" in by_pos and base.endswith("ly"):
        for adjective in (base[:-3] + "y" if base.endswith("ily") else "", base[:-2]):
            if adjective and "ADJ" in getAllLemmas(adjective):
                found.append(adjective)
    return tuple(dict.fromkeys(found))
