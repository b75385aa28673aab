"""Harmony: a section's chord progression laid out in time, with a cadence into what comes next.

Progressions come from the mood's pool (one per 8-bar phrase, chosen by the seed), chords last
the mood's harmonic rhythm, and the last bars make the section's planned ending: an authentic,
plagal, deceptive or half cadence in its own key, a break on V - I, or a pivot chord and the
next key's V.
"""

from dataclasses import dataclass

from ...performance import MusicCue
from ...scales import Scale, chord_name, chord_pcs, scale
from .context import SectionContext
from .form import PHRASE_BARS

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")


@dataclass(frozen=True, slots=True)
class ChordSpan:
    """One chord held from `start_ticks` for `length_ticks`; `pcs` are root first."""

    start_ticks: int
    length_ticks: int
    figure: str
    pcs: tuple[int, ...]

    @property
    def end_ticks(self) -> int:
        return self.start_ticks + self.length_ticks

    @property
    def root(self) -> int:
        return self.pcs[0]


def chord_ticks(ctx: SectionContext) -> int:
    """The mood's harmonic rhythm on this meter's grid: whole bars, or an even split of one."""
    length = ctx.mood.harmonic_rhythm_counts * ctx.count_ticks
    if length >= ctx.bar_ticks:
        return max(1, round(length / ctx.bar_ticks)) * ctx.bar_ticks
    return length if ctx.bar_ticks % length == 0 else ctx.bar_ticks


def progression(ctx: SectionContext, next_key: tuple[str, str] | None,
                ending: str) -> tuple[list[ChordSpan], list[MusicCue]]:
    """The section's chords, end to end, and the cue that names its ending (one of form.ENDINGS)."""
    tonic, mode = ctx.info.tonic, ctx.info.mode
    rng = ctx.rng("progression")
    pool = ctx.mood.progressions
    step = chord_ticks(ctx)
    cadence_bars = min(ctx.bars, 2 if ctx.bars >= 4 else 1)
    if ending == "pivot" and ctx.bars <= PIVOT_SHORT_BARS:
        cadence_bars = 1  # a short section stays home longer and turns in its last bar
    body_end = ctx.end_ticks - cadence_bars * ctx.bar_ticks
    spans, t = [], ctx.start_ticks
    figures = pool[rng.randrange(len(pool))]
    while t < body_end:
        phrase = (t - ctx.start_ticks) // (PHRASE_BARS * ctx.bar_ticks)
        if phrase and rng.random() < 0.4:  # most phrases repeat the progression, some move on
            figures = pool[rng.randrange(len(pool))]
        phrase_end = min(body_end, ctx.start_ticks + (phrase + 1) * PHRASE_BARS * ctx.bar_ticks)
        i = 0
        while t < phrase_end:
            figure = figures[i % len(figures)]
            length = min(step, phrase_end - t)
            spans.append(ChordSpan(t, length, figure, chord_pcs(tonic, mode, figure)))
            t += length
            i += 1
    cadence, cues = _cadence(ctx, next_key, body_end, cadence_bars, ending)
    return spans + cadence, cues


PIVOT_SHORT_BARS = 8  # sections this short pivot within their last bar

# The two chords of each ending made in the section's own key: (with a major third, with a minor one).
CADENCES = {
    "authentic": (("V", "I"), ("V", "i")),
    "break": (("V", "I"), ("V", "i")),
    "plagal": (("IV", "I"), ("iv", "i")),
    "deceptive": (("V", "vi"), ("V", "VI")),
    "half": (("IV", "V"), ("iv", "V")),
}


def _cadence(ctx: SectionContext, next_key, start: int, bars: int, ending: str):
    """The last `bars` bars: the planned ending, and its cue (the text starts with the ending's name)."""
    if bars == 0:
        return [], []
    tonic, mode = ctx.info.tonic, ctx.info.mode
    here = scale(tonic, mode)
    bar, end = ctx.bar_ticks, ctx.end_ticks
    if ending == "pivot" and next_key is not None:
        return _pivot(ctx, next_key, start, bars)
    figures = CADENCES[ending][0 if here.offsets[2] == 4 else 1][-bars:]
    spans = [ChordSpan(start, end - bar - start, figures[0], chord_pcs(tonic, mode, figures[0]))] if bars > 1 else []
    spans.append(ChordSpan(end - bar, bar, figures[-1], chord_pcs(tonic, mode, figures[-1])))
    chords = f"{' - '.join(s.figure for s in spans)} ({' - '.join(chord_name(s.pcs) for s in spans)})"
    text = f"break on {chords}: the band hits the last beat" if ending == "break" else f"{ending} cadence {chords}"
    if ctx.last:
        text += ", the end of the show"
    elif next_key is not None and next_key[0] != tonic:
        text += f"; the next section moves to {next_key[0]} {next_key[1]}"
    return spans, [MusicCue(spans[0].start_ticks, end - spans[0].start_ticks, "cadence", text, ctx.index)]


def _pivot(ctx: SectionContext, next_key, start: int, bars: int):
    """A chord both keys share, then the next key's V."""
    tonic, mode = ctx.info.tonic, ctx.info.mode
    bar, end = ctx.bar_ticks, ctx.end_ticks
    to_tonic, to_mode = next_key
    dominant = chord_pcs(to_tonic, to_mode, "V")
    pivot = pivot_chord(scale(tonic, mode), scale(to_tonic, to_mode))
    spans = [ChordSpan(end - bar, bar, f"V/{to_tonic}", dominant)]
    text = f"pivot to {to_tonic} {to_mode}: "
    if pivot is not None:
        fig_here, fig_there, pcs = pivot
        turn = start if bars > 1 else end - bar
        split = end - bar if bars > 1 else end - bar + ctx.counts_per_bar // 2 * ctx.count_ticks
        if split > turn:
            spans = [ChordSpan(turn, split - turn, fig_here, pcs), ChordSpan(split, end - split, f"V/{to_tonic}", dominant)]
            text += f"{chord_name(pcs)} ({fig_here} here = {fig_there} there), then "
    elif bars > 1:
        spans = [ChordSpan(start, end - start, f"V/{to_tonic}", dominant)]
    text += f"{chord_name(dominant)} (V of {to_tonic})"
    return spans, [MusicCue(spans[0].start_ticks, end - spans[0].start_ticks, "pivot", text, ctx.index)]


def diatonic_triads(key: Scale) -> list[tuple[str, tuple[int, int, int]]]:
    """The seven triads of a scale as (numeral, root-first pitch classes)."""
    triads = []
    for degree in range(7):
        pcs = tuple((key.tonic_pc + key.offsets[(degree + k) % 7]) % 12 for k in (0, 2, 4))
        triads.append((_figure(degree, pcs), pcs))
    return triads


def pivot_chord(here: Scale, there: Scale):
    """A triad at home in both keys, preferring the new key's ii, IV and vi: (figure here, figure there, pcs)."""
    theirs = diatonic_triads(there)
    ours = {pcs: figure for figure, pcs in diatonic_triads(here)}
    for degree in (1, 3, 5, 0, 2, 6):
        figure, pcs = theirs[degree]
        if pcs in ours and (pcs[1] - pcs[0]) % 12 in (3, 4) and (pcs[2] - pcs[0]) % 12 == 7:
            return ours[pcs], figure, pcs
    return None


def _figure(degree: int, pcs) -> str:
    third, fifth = (pcs[1] - pcs[0]) % 12, (pcs[2] - pcs[0]) % 12
    roman = _ROMAN[degree]
    if third == 4:
        return roman + ("+" if fifth == 8 else "")
    return roman.lower() + ("°" if fifth == 6 else "")
