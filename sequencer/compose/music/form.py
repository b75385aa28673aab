"""The section's form as the band plays it: phrases, fills, crashes, stabs and how it ends.

Every player reads the same `Form`, so the drummer's fill, the keys' stab and the hit the
dancers freeze on fall on the same tick. Band phrases are 8 bars with a fill at the end of each
and a crash on the next downbeat; energetic moods add a band stab at the end of every 4-bar
melody phrase. How each section ends is planned for the whole show at once (`plan_endings`), so
the endings follow the story and no one kind takes over.
"""

from dataclasses import dataclass

from ...grooves import Groove
from ...moods import Mood
from ...performance import Hit, MusicCue
from .context import SectionContext

PHRASE_BARS = 8  # a band phrase: one progression, a fill at its end, a crash after it
MELODY_PHRASE_BARS = 4  # a call or an answer of the melody; energetic bands stab at its end
STAB_AROUSAL = -0.2  # moods at least this aroused get band stabs at melody-phrase ends
DROP_AROUSAL = 0.4  # an arousal rise at least this big from the section before is a drop
TEMPO_CUE_BPM = 6  # a tempo change at least this big from the section before is cued

# How a section can end, in the order a planner falls back on when its first choice is used up:
# authentic V-I, plagal IV-I, deceptive V-vi, half cadence on V, a break (the band hits the last
# beat and stops), or a pivot into the next section's key.
ENDINGS = ("half", "authentic", "plagal", "deceptive", "pivot", "break")
MAX_ENDING_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Form:
    fills: tuple[tuple[int, int], ...]  # (start, end) ticks of each drum fill
    crashes: tuple[tuple[int, int], ...]  # (ticks, strength) of crash cymbals on downbeats
    stabs: tuple[int, ...]  # ticks where the whole band hits a short chord
    ending: str  # "break", "cadence" or "final"
    ending_ticks: int  # where the ending's hit lands


def plan_endings(sections, moods: dict[str, Mood]) -> list[str]:
    """Each section's ending (one of ENDINGS): what the story asks first, then the next kind not
    yet on more than MAX_ENDING_SHARE of the show's sections. The finale closes authentic."""
    cap = int(MAX_ENDING_SHARE * len(sections))
    used = dict.fromkeys(ENDINGS, 0)
    kinds = []
    for i, info in enumerate(sections):
        if i == len(sections) - 1:
            kinds.append("authentic")
            continue
        following = sections[i + 1]
        wanted = _wanted(info, following, moods)
        changes_key = (following.tonic, following.mode) != (info.tonic, info.mode)
        options = [k for k in dict.fromkeys(wanted + list(ENDINGS)) if k != "pivot" or changes_key]
        kind = next((k for k in options if used[k] < cap), options[0])
        used[kind] += 1
        kinds.append(kind)
    return kinds


def _wanted(info, following, moods) -> list[str]:
    """The endings a section asks for, most wanted first."""
    here, there = moods[info.mood], moods[following.mood]
    wanted = []
    if there.arousal - here.arousal >= 0.3 and here.arousal >= -0.3:
        wanted.append("break")
    if there.valence - here.valence <= -0.4:
        wanted.append("deceptive")
    if following.tonic != info.tonic:
        wanted.append("pivot")
    if here.arousal < -0.2 and here.valence >= 0:
        wanted.append("plagal")
    if here.arousal >= 0.3:
        wanted.append("break")
    return wanted + ["half"]


def form_ending(kind: str, last: bool) -> str:
    """What the drummer and the keys do at the end: "final", "break" or a ringing "cadence"."""
    return "final" if last else "break" if kind == "break" else "cadence"


def fill_counts(ctx: SectionContext, rng) -> int:
    """Counted beats of one fill: varied by the seed, longer when the mood is up."""
    if ctx.counts_per_bar < 4:
        return 1
    if ctx.mood.arousal >= 0.3:
        return rng.choice((1, 2, 2, 4))
    return rng.choice((1, 2)) if ctx.mood.arousal >= 0 else 1


def plan_form(ctx: SectionContext, groove: Groove, ending: str) -> Form:
    """Lay out fills, crashes and stabs over the section's bars."""
    bars, count_ticks = ctx.bars, ctx.count_ticks
    drums = not groove.silent
    fills, crashes, stabs = [], [(ctx.start_ticks, 3)], []
    rng = ctx.rng("fills")
    for bar in range(bars):
        length = fill_counts(ctx, rng) * count_ticks
        bar_end = ctx.bar_start(bar + 1)
        last_bar = bar == bars - 1
        end = _fill_end(bar, bars, bar_end, count_ticks, ending) if drums and groove.fill != "none" else None
        if end is not None and end > ctx.bar_start(bar):
            length = min(length, end - ctx.bar_start(bar))
            fills.append((end - length, end))
        if (bar + 1) % PHRASE_BARS == 0 and not last_bar:
            crashes.append((bar_end, 2))
        elif (bar + 1) % MELODY_PHRASE_BARS == 0 and not last_bar and ctx.mood.arousal >= STAB_AROUSAL:
            stabs.append(bar_end - count_ticks)
    if ending == "break":
        ending_ticks = ctx.end_ticks - count_ticks
    else:
        ending_ticks = ctx.bar_start(bars - 1)
    return Form(tuple(fills), tuple(crashes), tuple(stabs), ending, ending_ticks)


def _fill_end(bar, bars, bar_end, count_ticks, ending):
    """Where a fill must end in this bar, or None: phrase ends, and the lead-in to the section's end."""
    if bar == bars - 1:
        return {"break": bar_end - count_ticks, "cadence": bar_end}.get(ending)
    if bar == bars - 2 and ending == "final":
        return bar_end
    return bar_end if (bar + 1) % PHRASE_BARS == 0 else None


def hits(ctx: SectionContext, form: Form, groove: Groove) -> list[Hit]:
    """The accents a dancer can land on, strongest first at the same tick."""
    kind = "crash" if not groove.silent else "stab"
    found = [Hit(t, kind, ctx.index, strength) for t, strength in form.crashes]
    found += [Hit(t, "stab", ctx.index, 1) for t in form.stabs]
    strength = 3 if form.ending in ("break", "final") else 2
    found.append(Hit(form.ending_ticks, "break" if form.ending == "break" else "cadence", ctx.index, strength))
    return found


def cues(ctx: SectionContext, form: Form, groove: Groove, before: SectionContext | None) -> list[MusicCue]:
    """What the sheet shows: the groove, a drop, half-time, a tempo change, every fill and hit, the break."""
    start = ctx.start_ticks
    found = [MusicCue(start, 0, "groove", f"drums: {groove.name}" if not groove.silent else "no drums", ctx.index)]
    if before is not None and ctx.mood.arousal - before.mood.arousal >= DROP_AROUSAL:
        found.append(MusicCue(start, ctx.bar_ticks, "drop", "the full band drops in on the one", ctx.index))
    if ctx.half_time:
        found.append(MusicCue(start, 0, "half-time", "half-time feel: backbeat on 3, same pulse", ctx.index))
    info = ctx.info
    if info.tempo_end_bpm != info.tempo_start_bpm:
        way = "up" if info.tempo_end_bpm > info.tempo_start_bpm else "down"
        found.append(MusicCue(start, ctx.end_ticks - start, "tempo",
                              f"tempo {way}: {info.tempo_start_bpm:g} to {info.tempo_end_bpm:g} BPM", ctx.index))
    elif before is not None and abs(info.tempo_start_bpm - before.info.tempo_end_bpm) >= TEMPO_CUE_BPM:
        way = "up" if info.tempo_start_bpm > before.info.tempo_end_bpm else "down"
        found.append(MusicCue(start, 0, "tempo", f"tempo {way}: {info.tempo_start_bpm:g} BPM", ctx.index))
    for fill_start, end in form.fills:
        found.append(MusicCue(fill_start, end - fill_start, "fill", f"drum fill ({groove.fill})", ctx.index))
    for t in form.stabs:
        found.append(MusicCue(t, 0, "hit", "band hit", ctx.index))
    if form.ending == "break":
        found.append(MusicCue(form.ending_ticks, ctx.end_ticks - form.ending_ticks, "break",
                              "band hits the last beat, then silence", ctx.index))
    elif form.ending == "final":
        found.append(MusicCue(form.ending_ticks, ctx.end_ticks - form.ending_ticks, "stop",
                              "the band stops on the final chord", ctx.index))
    return found
