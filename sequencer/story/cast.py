"""Find the story's characters (recurring capitalised names) and give the main ones a leitmotif.

A capitalised word counts as a name only when it also appears capitalised in the middle of a
sentence (so "But" or "Years" at a sentence start are not names), and not mostly after a place
word ("in Almaty", "throughout Kazakhstan"). Consecutive names form one full name
("Bakhyt Cooper"); a character is known by the first of them.
"""

import re
from dataclasses import dataclass

MAX_MAIN = 4
MIN_MENTIONS = 2
_NAME = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*(?:['’]s)?")
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
    order = 0
    for index, text in enumerate(scene_texts):
        for match in _NAME.finditer(text):
            word = re.sub(r"['’]s$", "", match.group())
            if word in _NOT_NAMES:
                continue
            before = text[:match.start()]
            entry = seen.setdefault(word, {"mentions": 0, "inside": 0, "places": 0, "scenes": [], "first": order,
                                           "full": word})
            order += 1
            entry["mentions"] += 1
            if index not in entry["scenes"]:
                entry["scenes"].append(index)
            if not _SENTENCE_START.search(before[-3:] if before else ""):
                entry["inside"] += 1
            previous = re.findall(r"([A-Za-z]+)(,?)\s*$", before)
            if previous:
                word_before, comma = previous[0]
                if word_before.lower() in _PLACE_WORDS or (comma and word_before[0].isupper()):
                    entry["places"] += 1  # "in Almaty", or "Almaty, Kazakhstan"
            full = _full_name(text, match)
            if len(full) > len(entry["full"]):
                entry["full"] = full
    candidates = {word: e for word, e in seen.items()
                  if e["inside"] > 0 and e["mentions"] >= MIN_MENTIONS and e["places"] * 2 <= e["mentions"]}
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


def propose_motifs(characters, motif_ids) -> dict[str, str]:
    """One leitmotif per character: `<name>-theme` when the library has it, else the next unused motif."""
    available = sorted(motif_ids)
    chosen: dict[str, str] = {}
    for character in characters:
        own = f"{character.name.lower()}-theme"
        if own in available and own not in chosen.values():
            chosen[character.name] = own
    others = {f"{c.name.lower()}-theme" for c in characters}
    spare = sorted((m for m in available if m not in chosen.values() and m not in others),
                   key=lambda m: (m.endswith("-theme"), m))  # another story's character theme comes last
    for character in characters:
        if character.name not in chosen and spare:
            chosen[character.name] = spare.pop(0)
    return {c.name: chosen[c.name] for c in characters if c.name in chosen}


def mentioned(character: Character, text: str) -> bool:
    return re.search(rf"\b{re.escape(character.name)}\b", text) is not None


def _full_name(text: str, match) -> str:
    """The run of capitalised words starting at `match` ("Bakhyt Cooper")."""
    words = [re.sub(r"['’]s$", "", match.group())]
    rest = text[match.end():]
    while not match.group().endswith(("'s", "’s")):
        nxt = re.match(r" (" + _NAME.pattern + ")", rest)
        if not nxt or nxt.group(1) in _NOT_NAMES:
            break
        words.append(re.sub(r"['’]s$", "", nxt.group(1)))
        if nxt.group(1).endswith(("'s", "’s")):
            break
        rest = rest[nxt.end():]
    return " ".join(words)
