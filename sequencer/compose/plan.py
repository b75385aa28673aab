"""Resolve what a score leaves open per section (tempo, key, groove) and lay out the timeline."""

from random import Random

from ..performance import SectionInfo
from ..score import Score, Section
from ..timeline import Timeline, build_timeline
from .music.keyplan import plan_keys


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


def plan(score: Score) -> tuple[Timeline, tuple[SectionInfo, ...]]:
    """The timeline and the resolved sections of a score."""
    tempos = [section_tempo(score, s) for s in score.sections]
    timeline = build_timeline((s.bars, s.meter, t[0], t[1]) for s, t in zip(score.sections, tempos))
    infos = []
    keys = section_keys(score)
    for i, (section, laid) in enumerate(zip(score.sections, timeline.sections)):
        mood = score.library.moods[section.mood]
        tonic, mode = keys[i]
        infos.append(SectionInfo(
            index=i, name=section.name, mood=section.mood, key=f"{tonic} {mode}", tonic=tonic, mode=mode,
            meter=str(section.meter), bars=section.bars, first_bar=laid.first_bar, start_ticks=laid.start_ticks,
            end_ticks=laid.end_ticks, tempo_start_bpm=laid.tempo_start_bpm, tempo_end_bpm=laid.tempo_end_bpm,
            dancers=section.dancers, formation=section.formation, offset_counts=section.offset_counts,
            themes=section.themes, groove=section_groove(score, i), valence=mood.valence,
            arousal=mood.arousal, energy=mood.energy, notes=section.notes, story=section.story,
            tempo_explicit=section.tempo_bpm is not None, melody_density=mood.density))
    return timeline, tuple(infos)
