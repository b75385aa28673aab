"""Find the story's characters (recurring capitalised names) and who is on stage in each scene.

A capitalised word counts as a name when it also appears capitalised in the middle of a
sentence, or, when it only ever opens sentences, when it is no English word the dictionary knows
and never appears in lower case (so "Marta" is found, "But" and "Years" are not); and not
mostly after a place word ("in Almaty", "throughout Kazakhstan"). Consecutive names form one
full name ("Bakhyt Cooper"); a character is known by the first of them. Each name looks only at
a few characters around it, so finding the cast is linear in the text.
"""

import re
from dataclasses import dataclass

MAX_MAIN = 4
MIN_MENTIONS = 2
_NAME = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*(?:['’]s)?")
_NEXT_NAME = re.compile(r" (" + _NAME.pattern + ")")
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]+(?:[-'’][a-z]+)*")
_PREVIOUS = re.compile(r"([A-Za-z]+)(,?)\s*$")
LOOK_AHEAD = 60  # characters after a character's last mention read for a departure
_VERB_REACH = 4
_DEPARTS = {"leave", "die", "depart", "vanish", "disappear", "emigrate", "gone"}
_RETURNS = {"return", "back", "arrive", "reunite", "reappear", "visit"}
_PASSIVE = {"was", "were", "be", "been", "is", "are", "being", "get", "got"}
LOOK_BACK = 40  # characters before a name read to decide whether it opens a sentence or follows a place word
_SENTENCE_START = re.compile(r"(^|[.!?…:;\"“‘(]|[.!?]['\"”’])\s*$")
_PLACE_WORDS = {"in", "at", "to", "from", "into", "throughout", "across", "near", "around", "through", "toward",
                "towards", "of", "for", "over", "outside", "inside", "above", "below", "beyond", "via"}
_NOT_NAMES = {"I", "Mr", "Mrs", "Ms", "Dr", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
              "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December", "God", "English", "OK"}


@dataclass(frozen=True, slots=True)
class Character:
    """A recurring name: how often it is mentioned and in which scenes (0-based) it appears."""

    name: str
    full_name: str
    mentions: int
    scenes: tuple[int, ...]


def find_characters(scene_texts: list[str]) -> tuple[Character, ...]:
    """Characters by mentions, most first (ties: first appearance); places and sentence openers left out."""
    seen: dict[str, dict] = {}
    lower_words: set[str] = set()
    order = 0
    for index, text in enumerate(scene_texts):
        lower_words.update(_LOWER_WORD.findall(text))
        for match in _NAME.finditer(text):
            word = re.sub(r"['’]s$", "", match.group())
            if word in _NOT_NAMES:
                continue
            before = text[max(0, match.start() - LOOK_BACK):match.start()]
            entry = seen.setdefault(word, {"mentions": 0, "inside": 0, "places": 0, "scenes": [], "first": order,
                                           "full": word})
            order += 1
            entry["mentions"] += 1
            if index not in entry["scenes"]:
                entry["scenes"].append(index)
            if not _SENTENCE_START.search(before[-3:] if before else ""):
                entry["inside"] += 1
            previous = _PREVIOUS.findall(before)
            if previous:
                word_before, comma = previous[0]
                if word_before.lower() in _PLACE_WORDS or (comma and word_before[0].isupper()):
                    entry["places"] += 1  # "in Almaty", or "Almaty, Kazakhstan"
            full = _full_name(text, match)
            if len(full) > len(entry["full"]):
                entry["full"] = full
    candidates = {word: e for word, e in seen.items()
                  if (e["inside"] > 0 or _unknown_word(word, lower_words))
                  and e["mentions"] >= MIN_MENTIONS and e["places"] * 2 <= e["mentions"]}
    surnames = {part for e in candidates.values() for part in e["full"].split()[1:]}
    characters = [
        Character(word, e["full"], e["mentions"], tuple(e["scenes"]))
        for word, e in sorted(candidates.items(), key=lambda kv: (-kv[1]["mentions"], kv[1]["first"]))
        if word not in surnames
    ]
    return tuple(characters)


def main_characters(characters: tuple[Character, ...], limit: int = MAX_MAIN) -> tuple[Character, ...]:
    """The characters who dance: the most mentioned, at most `limit` of them."""
    return characters[:limit]


def stage_presence(cast: tuple[Character, ...], scene_texts: list[str]) -> list[tuple[str, ...]]:
    """Who dances each scene: the main characters it names; a scene naming none keeps the previous
    scene's dancers. A character who left or died ("Lena left for Europe") dances that scene, then
    is off stage, even when remembered by name, until a scene has them come back ("Lena returned")."""
    result: list[tuple[str, ...]] = []
    before: tuple[str, ...] = ()
    gone: set[str] = set()
    for text in scene_texts:
        named = [c for c in cast if mentioned(c, text)]
        here = [c for c in named if c.name not in gone or _near_mention(c, text, _RETURNS)]
        if here:
            dancers = tuple(c.name for c in here)
        else:
            staying = tuple(n for n in before if n not in gone)
            dancers = staying or tuple(c.name for c in cast if c.name not in gone)[:1] or before
        gone = (gone - set(dancers)) | {c.name for c in named if _near_mention(c, text, _DEPARTS, last_only=True)}
        result.append(dancers)
        before = dancers
    return result


def _near_mention(character: Character, text: str, verbs: set[str], last_only: bool = False) -> bool:
    """A word of `verbs` (by lemma) follows a mention of the character closely ("Lena left", "Omar came back");
    with `last_only`, only the last mention counts. "was left alone" is not leaving."""
    from .words import lemmas, tokens
    mentions = list(re.finditer(rf"\b{re.escape(character.name)}\b", text))
    for mention in mentions[-1:] if last_only else mentions:
        after = tokens(text[mention.end():mention.end() + LOOK_AHEAD])[:_VERB_REACH]
        for i, word in enumerate(after):
            if not (i and after[i - 1] in _PASSIVE) and verbs.intersection(lemmas(word)):
                return True
    return False


def mentioned(character: Character, text: str) -> bool:
    return re.search(rf"\b{re.escape(character.name)}\b", text) is not None


def _full_name(text: str, match) -> str:
    """The run of capitalised words starting at `match` ("Bakhyt Cooper"), at most four."""
    words = [re.sub(r"['’]s$", "", match.group())]
    at = match.end()
    while not match.group().endswith(("'s", "’s")) and len(words) < 4:
        nxt = _NEXT_NAME.match(text, at)
        if not nxt or nxt.group(1) in _NOT_NAMES:
            break
        words.append(re.sub(r"['’]s$", "", nxt.group(1)))
        if nxt.group(1).endswith(("'s", "’s")):
            break
        at = nxt.end()
    return " ".join(words)


def _unknown_word(word: str, lower_words: set[str]) -> bool:
    """A word that only opens sentences is a name when it is never written in lower case and no dictionary word."""
    from lemminflect import getAllLemmas
    lower = word.lower()
    return lower not in lower_words and not getAllLemmas(lower)
