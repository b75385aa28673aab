"""The section's form as the band plays it: phrases, fills, crashes, stabs and how it ends.

Every player reads the same `Form`, so the drummer's fill, the keys' stab and the hit the
dancers freeze on fall on the same tick. Phrases are 8 bars with a fill at the end of each and
a crash on the next downbeat; energetic moods add a band stab at the end of every 4-bar half.
A section ends on a *break* (the band hits the last beat and stops), a *cadence* (calm moods
let the chord ring), or, at the end of the show, the *final* chord.
"""

from dataclasses import dataclass

from ...grooves import Groove
from ...moods import Mood
from ...performance import Hit, MusicCue
from .context import SectionContext

PHRASE_BARS = 8
HALF_PHRASE_BARS = 4
STAB_AROUSAL = -0.2  # moods at least this aroused get band stabs at half-phrase ends


@dataclass(frozen=True, slots=True)
class Form:
    fills: tuple[tuple[int, int], ...]  # (start, end) ticks of each drum fill
    crashes: tuple[tuple[int, int], ...]  # (ticks, strength) of crash cymbals on downbeats
    stabs: tuple[int, ...]  # ticks where the whole band hits a short chord
    ending: str  # "break", "cadence" or "final"
    ending_ticks: int  # where the ending's hit lands


def ending_kind(mood: Mood, next_mood: Mood | None) -> str:
    """How a section hands over: the show's end, a break into more energy, or a calm cadence."""
    if next_mood is None:
        return "final"
    if mood.arousal >= 0 or next_mood.arousal - mood.arousal >= 0.3:
        return "break"
    return "cadence"


def fill_beats(ctx: SectionContext) -> int:
    if ctx.beats_per_bar >= 4:
        return 2 if ctx.mood.arousal >= 0 else 1
    return 1


def plan_form(ctx: SectionContext, groove: Groove, ending: str) -> Form:
    """Lay out fills, crashes and stabs over the section's bars."""
    bars, beat = ctx.bars, ctx.beat_ticks
    drums = not groove.silent
    fills, crashes, stabs = [], [(ctx.start_ticks, 3)], []
    length = fill_beats(ctx) * beat
    for bar in range(bars):
        bar_end = ctx.bar_start(bar + 1)
        last_bar = bar == bars - 1
        end = _fill_end(bar, bars, bar_end, beat, ending) if drums and groove.fill != "none" else None
        if end is not None and end - length >= ctx.bar_start(bar):
            fills.append((end - length, end))
        if (bar + 1) % PHRASE_BARS == 0 and not last_bar:
            crashes.append((bar_end, 2))
        elif (bar + 1) % HALF_PHRASE_BARS == 0 and not last_bar and ctx.mood.arousal >= STAB_AROUSAL:
            stabs.append(bar_end - beat)
    if ending == "break":
        ending_ticks = ctx.end_ticks - beat
    else:
        ending_ticks = ctx.bar_start(bars - 1)
    return Form(tuple(fills), tuple(crashes), tuple(stabs), ending, ending_ticks)


def _fill_end(bar, bars, bar_end, beat, ending):
    """Where a fill must end in this bar, or None: phrase ends, and the lead-in to the section's end."""
    if bar == bars - 1:
        return {"break": bar_end - beat, "cadence": bar_end}.get(ending)
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


def cues(ctx: SectionContext, form: Form, groove: Groove) -> list[MusicCue]:
    """What the sheet shows: the groove at the top, every fill, the break."""
    found = [MusicCue(ctx.start_ticks, 0, "groove",
                      f"drums: {groove.name}" if not groove.silent else "no drums", ctx.index)]
    for start, end in form.fills:
        found.append(MusicCue(start, end - start, "fill", f"drum fill ({groove.fill})", ctx.index))
    if form.ending == "break":
        found.append(MusicCue(form.ending_ticks, ctx.end_ticks - form.ending_ticks, "break",
                              "band hits the last beat, then silence", ctx.index))
    return found
