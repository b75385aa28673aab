"""The section plan: everything a score leaves open, resolved once before anything is composed.

`plan_show` turns a `Score` into a `ShowPlan`: the timeline, and per section its tempo, key (with
the key signature every exporter writes), groove, mood, the skills of the dancers on stage, the
pins, the themes resolved to motifs and the counted beats. The composers read the plan, section by
section, instead of going back to the Score by index.
"""

from dataclasses import dataclass
from random import Random

from ..library import Library
from ..moods import Mood
from ..motifs import Motif
from ..performance import CastMember, SectionInfo
from ..scales import MODE_STEPS
from ..score import Pin, Score, Section
from ..stage import resolve as resolve_stage
from ..timeline import Meter, SectionTime, Timeline, build_timeline
from .music.keyplan import plan_keys

# Modes whose key signature is written as a minor key (the natural minor's signature).
MINOR_SIGNATURE_MODES = ("minor", "aeolian", "harmonic minor", "melodic minor")
_LETTER_FIFTHS = {letter: k - 1 for k, letter in enumerate("FCGDAEB")}  # sharps of the letter's major key


def key_signature(tonic: str, mode: str) -> tuple[int, bool]:
    """(sharps, minor) of a key: flats are negative, the tonic's spelling is kept (C# major: 7 sharps),
    a mode other than major and minor takes its parent major's signature (D dorian: 0)."""
    minor = mode in MINOR_SIGNATURE_MODES
    steps = MODE_STEPS["minor" if minor else mode]
    altered = sum(s - m for s, m in zip(steps, MODE_STEPS["major"]))  # raised minus lowered degrees
    accidental = {"#": 1, "b": -1}.get(tonic[1:], 0)
    sharps = _LETTER_FIFTHS[tonic[0]] + 7 * accidental + altered
    while sharps > 7:  # G# major or D# dorian: the enharmonic key has fewer accidentals
        sharps -= 12
    while sharps < -7:
        sharps += 12
    return sharps, minor


def section_tempo(score: Score, section: Section) -> tuple[float, float]:
    """The section's own tempo, else the score's default kept inside the mood's range, else the mood's middle."""
    if section.tempo_bpm is not None:
        return section.tempo_bpm
    low, high = score.library.moods[section.mood].tempo_bpm
    if score.tempo_bpm is not None:
        bpm = min(max(score.tempo_bpm, low), high)
    else:
        bpm = round((low + high) / 2)
    return (bpm, bpm)


def section_keys(score: Score) -> list[tuple[str, str]]:
    """Each section's key: its own, else the show's key plan around the score's key, else the mood's key."""
    home = (score.key.tonic, score.key.mode) if score.key is not None else None
    return plan_keys(home, [((s.key.tonic, s.key.mode) if s.key is not None else None, score.library.moods[s.mood])
                            for s in score.sections])


def section_groove(score: Score, index: int) -> str:
    """The section's groove, else one of its mood's grooves chosen by the seed (the first is favoured)."""
    section = score.sections[index]
    if section.groove:
        return section.groove
    grooves = score.library.moods[section.mood].grooves
    weights = [2] + [1] * (len(grooves) - 1)
    return Random(f"{score.seed}:{index}:groove").choices(grooves, weights)[0]


def section_themes(score: Score, section: Section) -> tuple[tuple[str, Motif], ...]:
    """(label, motif) for each theme a section names: a character's motif (`score.motifs`), or a motif id."""
    found = []
    for name in section.themes:
        motif = score.library.motifs.get(score.motifs.get(name, name))
        if motif is not None:
            found.append((name, motif))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class SectionPlan:
    """One section, resolved: what is performed (`info`), where it sits (`time`) and what composing needs."""

    info: SectionInfo
    time: SectionTime
    mood: Mood
    skills: dict  # dancer on stage → skill
    pins: tuple[Pin, ...]
    themes: tuple[tuple[str, Motif], ...]

    @property
    def counts(self) -> int:
        """Counted beats in the section (a dotted quarter in 6/8): the dance's unit."""
        return self.time.counts

    @property
    def bars(self) -> int:
        return self.time.bars

    @property
    def meter(self) -> Meter:
        return self.time.meter


@dataclass(frozen=True, slots=True)
class ShowPlan:
    """The whole show, resolved: cast, timeline and the section plans in order."""

    title: str
    seed: int
    file: str  # the score file, for error messages that point into it
    cast: tuple[CastMember, ...]
    timeline: Timeline
    sections: tuple[SectionPlan, ...]
    motifs: dict  # character or theme name → motif id (the score's table, as written)
    library: Library  # the library the score was validated against

    @property
    def infos(self) -> tuple[SectionInfo, ...]:
        return tuple(s.info for s in self.sections)

    def dancer(self, name: str) -> CastMember:
        return next(d for d in self.cast if d.name == name)


def plan_show(score: Score, count_in_bars: int = 0) -> ShowPlan:
    """Resolve every section of a validated score and lay out the timeline, after `count_in_bars` of count-in."""
    tempos = [section_tempo(score, s) for s in score.sections]
    timeline = build_timeline(((s.bars, s.meter, t[0], t[1]) for s, t in zip(score.sections, tempos)), count_in_bars)
    skills = {d.name: d.skill for d in score.cast}
    sections = []
    keys = section_keys(score)
    for i, (section, laid) in enumerate(zip(score.sections, timeline.sections)):
        mood = score.library.moods[section.mood]
        tonic, mode = keys[i]
        sharps, minor = key_signature(tonic, mode)
        info = SectionInfo(
            index=i, name=section.name, mood=section.mood, key=f"{tonic} {mode}", tonic=tonic, mode=mode,
            key_sharps=sharps, key_minor=minor, meter=str(section.meter), bars=section.bars,
            first_bar=laid.first_bar, start_ticks=laid.start_ticks, end_ticks=laid.end_ticks,
            tempo_start_bpm=laid.tempo_start_bpm, tempo_end_bpm=laid.tempo_end_bpm, dancers=section.dancers,
            formation=section.formation, offset_counts=section.offset_counts, themes=section.themes,
            groove=section_groove(score, i), valence=mood.valence, arousal=mood.arousal, energy=mood.energy,
            notes=section.notes, story=section.story, tempo_explicit=section.tempo_bpm is not None,
            melody_density=mood.density,
            stage=resolve_stage(section.stage, section.formation, section.dancers))
        sections.append(SectionPlan(
            info=info, time=laid, mood=mood, skills={d: skills[d] for d in section.dancers}, pins=section.pins,
            themes=section_themes(score, section)))
    return ShowPlan(title=score.title, seed=score.seed, file=score.file,
                    cast=tuple(CastMember(d.name, d.skill) for d in score.cast), timeline=timeline,
                    sections=tuple(sections), motifs=score.motifs, library=score.library)


def plan(score: Score) -> tuple[Timeline, tuple[SectionInfo, ...]]:
    """The timeline and the resolved sections of a score (the part of the plan a performance keeps)."""
    show = plan_show(score)
    return show.timeline, show.infos
