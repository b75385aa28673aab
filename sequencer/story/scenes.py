"""Split a story into scenes: one per paragraph, a very short paragraph joined to its neighbour."""

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..yamlsource import read_text

MAX_STORY_BYTES = 1_000_000
MIN_SCENE_WORDS = 20
MAX_TITLE_WORDS = 8
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class Scene:
    """A stretch of the story that becomes one section; `paragraphs` are 1-based numbers in the file."""

    index: int
    paragraphs: tuple[int, ...]
    text: str

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


@dataclass(frozen=True, slots=True)
class Story:
    """A story's title (when its first paragraph is a short heading line) and its scenes."""

    title: str | None
    scenes: tuple[Scene, ...]
    paragraphs: int


def read_story(path: Path) -> str:
    """The story's text; a missing, binary, non-UTF-8, huge or empty file is an `InputError`."""
    text = read_text(path, "story file", MAX_STORY_BYTES, too_big_hint="split it into several stories")
    if not _WORD.search(text):
        raise InputError("the story has no words", file=str(path),
                         expected="paragraphs of text separated by blank lines")
    return text


def split_story(text: str) -> Story:
    """Blank-line separated paragraphs become scenes in order; a short one joins the next (the last: the one before)."""
    blocks = _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").strip())
    paragraphs = [(n, " ".join(p.split())) for n, p in enumerate(blocks, 1)]
    paragraphs = [(n, p) for n, p in paragraphs if p]
    title = None
    if len(paragraphs) > 1 and _is_heading(paragraphs[0][1]):
        title = paragraphs.pop(0)[1].strip("#*= ")
    groups: list[list[tuple[int, str]]] = []
    pending: list[tuple[int, str]] = []
    for number, para in paragraphs:
        pending.append((number, para))
        if sum(len(_WORD.findall(p)) for _, p in pending) >= MIN_SCENE_WORDS:
            groups.append(pending)
            pending = []
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    scenes = tuple(Scene(i, tuple(n for n, _ in group), " ".join(p for _, p in group))
                   for i, group in enumerate(groups))
    return Story(title, scenes, paragraphs[-1][0] if paragraphs else 0)


def _is_heading(paragraph: str) -> bool:
    """A first paragraph of a few words on one line without closing punctuation reads as a title."""
    short = len(_WORD.findall(paragraph)) <= MAX_TITLE_WORDS
    return short and not paragraph.rstrip().endswith((".", "!", "?", '"', "”"))
