"""Draft a score from a story: scenes → sections, feeling → mood, characters → cast and leitmotifs.

`draft_yaml` writes a commented score a choreographer can edit and `sequencer render` takes as
it is; `draft_score` validates that text into a `Score`. Same story text → same YAML, always.
"""

import json
import math
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

from .. import library as _library
from ..errors import InputError
from ..score import MAX_SECTIONS, MAX_TOTAL_BARS, Score, score_from_source
from ..yamlsource import parse_yaml
from .cast import Character, find_characters, main_characters, mentioned, stage_presence
from .feeling import EmotionWord, Feeling, feel
from .lexicon import Lexicon, builtin_lexicon
from .scenes import MIN_SCENE_WORDS as MIN_WORDS_HINT, Scene, read_story, split_story
from .themes import Theme, story_theme

# From a scene's raw lexicon averages to the mood plane. Prose leans positive (most words people
# use are pleasant), so a scene must beat the baseline to count as positive; both axes are then
# stretched, because averages over a whole paragraph stay close to zero, and bent back into
# [-1, 1] with tanh so that strong scenes keep their order instead of all hitting the edge.
VALENCE_BASELINE, VALENCE_GAIN = 0.1, 2.5
AROUSAL_BASELINE, AROUSAL_GAIN = 0.25, 2.5
TURN_PULL = 0.25          # a scene opening with "But …" moves this far against the previous scene's valence
SECONDS_PER_WORD = 0.5    # stage time a word of story buys, before intensity
MIN_EIGHT_COUNTS, MAX_EIGHT_COUNTS = 2, 64
NEUTRAL_SKILL = 3         # the middle of the 1-5 skill scale: a story says nothing about how well people dance
RAMP_MIN_BPM = 6          # smaller tempo changes between sections are not worth a ramp
BEATS_PER_BAR = 4         # drafts are in 4/4: an 8-count is two bars
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


@dataclass(frozen=True, slots=True)
class DraftSection:
    """One scene as a section: where it sits on the mood plane, why, and how it is staged."""

    scene: Scene
    name: str
    valence: float
    arousal: float
    mood: str
    runner_up: str
    drivers: tuple[EmotionWord, ...]
    turned: bool
    bars: int
    tempo_bpm: tuple[int, int]
    dancers: tuple[str, ...]
    formation: str
    themes: tuple[str, ...]
    deciding: tuple[str, ...] = ()  # the sentences that decided the mood, with their role and words


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    source: str
    seed: int
    key: str
    cast: tuple[Character, ...]
    motifs: dict  # character → a library motif id (their own `<name>-theme`) or a drafted Theme
    sections: tuple[DraftSection, ...]
    paragraphs: int


def draft_yaml(path: Path, seed: int | None = None) -> str:
    """A commented, valid score YAML drafted from the story file at `path` (`seed` overrides the drafted one)."""
    path = Path(path)
    draft = draft_story(read_story(path), str(path))
    return render_yaml(draft if seed is None else replace(draft, seed=seed))


def draft_score(path: Path) -> Score:
    """The drafted score, validated; errors point at the story file and the drafted line."""
    path = Path(path)
    source = parse_yaml(draft_yaml(path), file=str(path))
    return score_from_source(source, path.parent)


def draft_story(text: str, name: str = "story.txt", library: _library.Library | None = None,
                lexicon: Lexicon | None = None) -> Draft:
    """Everything the drafted score says, as data (tests and other tools read this); `name` is the story's file."""
    library = library or _library.builtin()
    lexicon = lexicon or builtin_lexicon()
    story = split_story(text)
    scenes = story.scenes
    if len(scenes) > MAX_SECTIONS:
        raise InputError(f"the story has {len(scenes)} scenes, more than a score may hold", file=name,
                         expected=f"at most {MAX_SECTIONS} paragraphs (of {MIN_WORDS_HINT} words or more)",
                         hint="split the story into several files")
    characters = find_characters([s.text for s in scenes])
    cast = main_characters(characters)
    names = frozenset(c.name.lower() for c in characters)
    on_stage = stage_presence(cast, [s.text for s in scenes])
    sections: list[DraftSection] = []
    feelings: list[Feeling] = []
    previous_valence, previous_tempo = None, None
    for scene, dancers in zip(scenes, on_stage):
        feeling = feel(scene.text, lexicon, names)
        valence, arousal = scene_point(feeling, previous_valence)
        ranked = rank_moods(valence, arousal, library.moods)
        mood = library.moods[ranked[0]]
        tempo = _tempo(mood.tempo_bpm, arousal, previous_tempo)
        sections.append(DraftSection(
            scene=scene, name=_section_name(feeling, valence), valence=valence, arousal=arousal,
            mood=mood.name, runner_up=ranked[1] if len(ranked) > 1 else mood.name, drivers=feeling.drivers(),
            turned=feeling.opens_with_contrast and previous_valence is not None,
            bars=_bars(scene, valence, arousal, tempo), tempo_bpm=tempo, dancers=dancers,
            formation=_formation(dancers, arousal), themes=dancers, deciding=_deciding(feeling)))
        feelings.append(feeling)
        previous_valence, previous_tempo = valence, tempo[1]
    motifs = _motifs(cast, sections, feelings, library)
    sections = [replace(s, themes=_themes(s, cast, motifs)) for s in sections]
    sections = _fit_total_bars(sections)
    title = story.title or Path(name).stem.replace("-", " ").replace("_", " ").title()
    home = library.moods[sections[0].mood].tonic
    mean_valence = sum(s.valence for s in sections) / len(sections)
    return Draft(title=title, source=Path(name).name, seed=zlib.crc32(text.encode("utf-8")) % 10_000,
                 key=f"{home} {'major' if mean_valence > 0 else 'minor'}", cast=cast, motifs=motifs,
                 sections=tuple(sections), paragraphs=story.paragraphs)


def scene_point(feeling: Feeling, previous_valence: float | None) -> tuple[float, float]:
    """A scene's (valence, arousal) on the mood plane, rounded to two places."""
    valence = math.tanh(VALENCE_GAIN * (feeling.valence - VALENCE_BASELINE))
    if feeling.opens_with_contrast and previous_valence:
        valence -= math.copysign(TURN_PULL, previous_valence)
    arousal = math.tanh(AROUSAL_GAIN * (feeling.arousal - AROUSAL_BASELINE))
    return round(_clamp(valence), 2), round(arousal, 2)


def rank_moods(valence: float, arousal: float, moods: dict) -> list[str]:
    """Mood names from nearest to farthest in the valence/arousal plane (ties by name)."""
    return sorted(moods, key=lambda m: (math.hypot(moods[m].valence - valence, moods[m].arousal - arousal), m))


def _tempo(mood_range, arousal: float, previous_end: int | None) -> tuple[int, int]:
    """Inside the mood's range, higher for higher arousal; ramp in from the previous section when it is far."""
    low, high = mood_range
    target = round(low + (high - low) * (arousal + 1) / 2)
    if previous_end is None:
        return (target, target)
    start = round(min(max(previous_end, low), high))
    return (start, target) if abs(start - target) >= RAMP_MIN_BPM else (target, target)


def _bars(scene: Scene, valence: float, arousal: float, tempo: tuple[int, int]) -> int:
    """Longer and more intense scenes get more stage time, in whole 8-counts."""
    intensity = (abs(valence) + (arousal + 1) / 2) / 2
    seconds = (8 + SECONDS_PER_WORD * scene.words) * (0.8 + 0.4 * intensity)
    counts = seconds * (tempo[0] + tempo[1]) / 2 / 60
    eight_counts = min(max(round(counts / 8), MIN_EIGHT_COUNTS), MAX_EIGHT_COUNTS)
    return eight_counts * 8 // BEATS_PER_BAR


def _fit_total_bars(sections: list[DraftSection]) -> list[DraftSection]:
    """Shrink every section in proportion when a very long story would exceed the show's bar limit."""
    total = sum(s.bars for s in sections)
    if total <= MAX_TOTAL_BARS:
        return sections
    per_eight = 8 // BEATS_PER_BAR
    return [replace(s, bars=max(MIN_EIGHT_COUNTS, s.bars // per_eight * MAX_TOTAL_BARS // total) * per_eight)
            for s in sections]


def _formation(dancers: tuple[str, ...], arousal: float) -> str:
    if len(dancers) <= 1:
        return "solo"
    if len(dancers) == 2:
        return "duet"
    return "canon" if arousal > 0.3 else "unison"


def _section_name(feeling: Feeling, valence: float) -> str:
    """The scene's two strongest words that pull the way it went (the sheets number sections themselves)."""
    words = []
    for hit in feeling.drivers(count=len(feeling.hits)):
        if hit.word not in words and (hit.valence >= 0) == (valence >= 0):
            words.append(hit.word)
    return " / ".join(words[:2]).capitalize() if words else "Scene"


def _deciding(feeling: Feeling) -> tuple[str, ...]:
    """'peak' and 'ending' sentences (one line each when they are the same) with their words or event."""
    lines = []
    for role, index in (("peak", feeling.peak), ("ending", feeling.ending)):
        if index is None:
            continue
        if role == "ending" and index == feeling.peak:
            lines[-1] = lines[-1].replace("peak", "peak and ending", 1)
            continue
        sentence = feeling.sentences[index]
        hits = [h for h in feeling.hits if h.sentence == index and h.how != "explained"]
        why = ", ".join(h.label for h in hits[:4])
        lines.append(f"{role} {_excerpt(sentence.text, 70)!r} {sentence.valence:+.2f}: {why}")
    return tuple(lines)


def _motifs(cast, sections, feelings, library) -> dict:
    """Each main character's leitmotif: their own `<name>-theme` from the library, else one drafted
    from the words around them and the mood of the first section they dance in."""
    chosen = {}
    for character in cast:
        own = f"{character.name.lower()}-theme"
        if own in library.motifs:
            chosen[character.name] = own
            continue
        first = next((i for i, s in enumerate(sections) if character.name in s.dancers), 0)
        words = character_words(character, feelings)
        section = sections[first]
        notes = story_theme(words, section.valence, section.arousal)
        about = ", ".join(list(dict.fromkeys(words))[:6]) or "no feeling words"
        chosen[character.name] = Theme(
            f"{character.name}, drafted from the story: {about}; first seen {section.mood}.", notes)
    return chosen


def _themes(section: DraftSection, cast, motifs: dict) -> tuple[str, ...]:
    """The dancers' leitmotifs, and the theme of a character the scene remembers who is not on stage."""
    remembered = tuple(c.name for c in cast if c.name not in section.dancers and mentioned(c, section.scene.text))
    return tuple(name for name in section.dancers + remembered if name in motifs)


def character_words(character: Character, feelings) -> list[str]:
    """The feeling words of the sentences that name the character, in story order."""
    words = []
    for feeling in feelings:
        named = {i for i, s in enumerate(feeling.sentences) if mentioned(character, s.text)}
        words += [h.word for h in feeling.hits if h.sentence in named and h.how not in ("explained", "event")]
    return words


# -- writing the YAML ----------------------------------------------------------------------
def render_yaml(draft: Draft) -> str:
    """The draft as a commented score."""
    out = [
        f"# Drafted by `sequencer draft` from {draft.source}: {draft.paragraphs} paragraphs, "
        f"{len(draft.sections)} sections.",
        "# Each section is one scene of the story; its mood is the library mood nearest to the scene's",
        "# valence (unpleasant -1 .. pleasant +1) and arousal (calm -1 .. excited +1), measured with",
        "# the emotion lexicon in story/lexicon.yaml. The comment above each section names the words",
        "# that drove it and the sentences that decided it: the scene's emotional peak and its ending.",
        "# Dancers are the characters the scene names (one who left is off stage until they return).",
        "# Edit anything: moods (`sequencer moods`), bars, tempo, dancers, formations;",
        "# pin moves with  moves: [{dancer: NAME, at: \"BAR:BEAT\", move: MOVE-ID}]  (`sequencer moves`).",
        f"title: {_q(draft.title)}",
        f"seed: {draft.seed}",
        "meter: 4/4",
        f"key: {draft.key}",
        f"story: {_q('drafted from ' + draft.source)}",
    ]
    if draft.cast:
        out.append("cast:")
        for c in draft.cast:
            also = f", full name {c.full_name}" if c.full_name != c.name else ""
            out.append(f"  - {{name: {_q(c.name)}, skill: {NEUTRAL_SKILL}}}  # {c.mentions} mentions in "
                       f"{len(c.scenes)} scenes{also}")
        out.append(f"# skill: the story cannot tell how well each dancer dances; {NEUTRAL_SKILL} is the middle of 1-5,"
                   " set it per dancer.")
    else:
        out += ["# No recurring names found in the story: one dancer; rename or add more.",
                "cast:", f"  - {{name: Dancer, skill: {NEUTRAL_SKILL}}}  # the middle of 1-5: set the dancer's level"]
    if draft.motifs:
        out.append("motifs:  # one leitmotif per main character; it plays in the sections listing them under themes")
        for name, motif in draft.motifs.items():
            if isinstance(motif, Theme):
                out += [f"  {_q(name)}:  # drafted from the story: edit the notes (scale degree:beats) freely",
                        f"    description: {_q(motif.description)}", f"    notes: {_q(motif.notes)}"]
            else:
                out.append(f"  {_q(name)}: {motif}  # the library's theme of this name")
    out.append("sections:")
    for s in draft.sections:
        out += _section_lines(s)
    return "\n".join(out) + "\n"


def _section_lines(s: DraftSection) -> list[str]:
    paragraphs = ", ".join(str(n) for n in s.scene.paragraphs)
    words = ", ".join(f"{h.label} {h.valence:+.2f}" + (" (weighed less)" if h.weight < 1 else
                                                      " (weighed more)" if h.weight > 1 else "")
                      for h in s.drivers) or "no emotion words found"
    lines = [
        "",
        f"  # paragraph{'s' if len(s.scene.paragraphs) > 1 else ''} {paragraphs}, {s.scene.words} words: "
        f"valence {s.valence:+.2f}, arousal {s.arousal:+.2f} -> {s.mood} (next nearest: {s.runner_up})",
        f"  # driven by: {words}",
    ]
    lines += [f"  # {line}" for line in s.deciding]
    if s.turned:
        lines.append("  # opens with a contrast word, so it turns against the scene before")
    tempo = f"{s.tempo_bpm[0]}" if s.tempo_bpm[0] == s.tempo_bpm[1] else \
        f"{{from: {s.tempo_bpm[0]}, to: {s.tempo_bpm[1]}}}"
    lines += [
        f"  - name: {_q(s.name)}",
        f"    mood: {s.mood}",
        f"    bars: {s.bars}  # {s.bars * BEATS_PER_BAR // 8} eight-counts",
        f"    tempo: {tempo}",
        f"    dancers: [{', '.join(_q(d) for d in s.dancers)}]" if s.dancers else None,
        f"    formation: {s.formation}",
        f"    themes: [{', '.join(_q(t) for t in s.themes)}]" if s.themes else None,
        f"    story: [{paragraphs}]",
        f"    notes: {_q(_excerpt(s.scene.text))}",
    ]
    return [line for line in lines if line is not None]


def _excerpt(text: str, limit: int = 160) -> str:
    """The scene's opening words, so the choreographer knows which part of the story this is."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _q(text: str) -> str:
    """A YAML scalar: plain when safe, else double-quoted (JSON quoting is valid YAML)."""
    plain = text.replace(" ", "").replace("-", "").replace(".", "").replace("'", "").isalnum()
    if plain and text[:1].isalpha() and text.lower() not in _YAML_WORDS and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _clamp(x: float) -> float:
    return max(-1.0, min(1.0, x))
