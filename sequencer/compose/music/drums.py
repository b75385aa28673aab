"""The drummer: a groove's grid played with a drummer's feel, fills where the form asks, crashes.

The feel: every second 16th swung by the groove's amount, the backbeat laid back or pushed by its
lean, every other hit nudged a few ticks by a seeded hand (the one stays put), ghost notes on the
snare, hats accented on the beat and softer on the 16ths. Under a half-time mood the grid plays at
half speed. Fills vary in length and in what they are played on.
"""

import random
from bisect import bisect_left

from ...grooves import DRUMS, STEP_TICKS, Groove, Pattern, half_time
from ...performance import Note
from .context import SectionContext
from .form import Form

HIT_TICKS = STEP_TICKS // 2
CRASH_TICKS = 4 * STEP_TICKS
_LEVEL = (0.12, 0.62, 0.95)  # ghost, hit, accent as a share of the mood's velocity range
KICK, SNARE, CRASH, RIM = DRUMS["kick"], DRUMS["snare"], DRUMS["crash"], DRUMS["rim"]
TOMS = (DRUMS["high-tom"], DRUMS["mid-tom"], DRUMS["low-tom"])
CYMBALS = {DRUMS[d] for d in ("hat", "pedal-hat", "open-hat", "ride", "ride-bell")}
BACKBEAT = {SNARE, RIM}
# How far (ticks, one standard deviation) the hand drifts from the grid, by drum; the kick is tightest.
_DRIFT = {KICK: 3.0, SNARE: 4.0, RIM: 4.0}
_DRIFT_OTHER = 7.0
MAX_DRIFT_TICKS = 14
# Hats and rides: the quarter loudest, the off-beat 8th a little softer, the 16ths between softest.
_HAT_SHAPE = {0: 1.0, 2: 0.8, 1: 0.6, 3: 0.65}
GHOST_STEPS = (3, 6, 9, 14)  # where a drummer slips a ghosted snare into a bar of 16 steps
GHOST_AROUSAL = -0.35  # calmer moods keep the snare clean


def swing_offset(step: int, swing: int, unit_steps: int = 1) -> int:
    """Ticks a step is pushed late: every second 16th by (swing - 50)% of a pair; in a half-time
    grid (`unit_steps` 2) every second 8th, by the same share of a pair of 8ths."""
    return (2 * unit_steps * STEP_TICKS * (swing - 50)) // 100 if step % (2 * unit_steps) == unit_steps else 0


def stretched(ctx: SectionContext, groove: Groove) -> bool:
    """Whether the groove plays at half speed here: under a half-time mood, unless it already is
    half-time or the score named it from outside the mood's own list."""
    return ctx.half_time and groove.feel != "half-time" and groove.name in ctx.mood.grooves


def section_pattern(ctx: SectionContext, groove: Groove) -> Pattern:
    """The grid the drummer plays here (see `stretched`)."""
    pattern = groove.pattern_for(ctx.laid.meter)
    return half_time(pattern, ctx.bar_ticks // STEP_TICKS) if stretched(ctx, groove) else pattern


def kick_steps(ctx: SectionContext, groove: Groove) -> tuple[int, ...]:
    """The 16th steps of the first bar where the kick plays a full hit (what the bass locks to)."""
    bar_steps = ctx.bar_ticks // STEP_TICKS
    return tuple(sorted({s for s, n, level in section_pattern(ctx, groove).hits if n == KICK and level and s < bar_steps}))


def bar_grids(ctx: SectionContext, groove: Groove, rng: random.Random) -> list[list[tuple[int, int, float]]]:
    """The groove's grid as one list per bar of (offset ticks, GM note, level 0-1), with its swing,
    lean, hat shape and the section's ghost notes (the hand's drift comes later, hit by hit)."""
    pattern = section_pattern(ctx, groove)
    bar_steps = ctx.bar_ticks // STEP_TICKS
    grid_bars = max(1, pattern.length_steps // bar_steps)
    grids = [[] for _ in range(grid_bars)]
    taken = {(step, note) for step, note, _ in pattern.hits}
    unit = 2 if stretched(ctx, groove) else 1
    for step, note, level in pattern.hits:
        bar, in_bar = divmod(step, bar_steps)
        offset = in_bar * STEP_TICKS + swing_offset(in_bar, groove.swing, unit)
        loud = _LEVEL[level]
        if note in BACKBEAT and level > 0:
            offset += groove.lean_ticks
        if note in CYMBALS:
            loud *= _HAT_SHAPE[in_bar % 4]
        grids[bar].append((offset, note, loud))
    if ctx.mood.arousal >= GHOST_AROUSAL and any(n == SNARE for _, n, _ in pattern.hits):
        for bar in range(grid_bars):
            for step in rng.sample(GHOST_STEPS, 2):
                if step < bar_steps and (bar * bar_steps + step, SNARE) not in taken:
                    grids[bar].append((step * STEP_TICKS + swing_offset(step, groove.swing), SNARE, _LEVEL[0]))
    for grid in grids:
        grid.sort()
    return grids


def play(ctx: SectionContext, groove: Groove, form: Form, part: int) -> list[Note]:
    """All drum notes of one section (channel 10 notes; never chromatic)."""
    if groove.silent:
        return []
    rng = ctx.rng("drums")
    grids = bar_grids(ctx, groove, rng)
    fills = sorted(form.fills)
    notes = []
    stop = ctx.music_end_ticks if form.ending != "final" else ctx.bar_start(ctx.bars - 1)
    fill_i = 0
    index = ctx.index
    low, span = ctx.mood.velocity[0], ctx.mood.velocity[1] - ctx.mood.velocity[0]
    steady_until = ctx.swell_start_ticks if ctx.swell else ctx.end_ticks  # before it, no swell to apply
    gauss, uniform = rng.gauss, rng.uniform
    # Where the band hits (stabs, crashes, the ending) the hit's own kick and snare replace the groove's.
    struck = sorted([t for t, _ in form.crashes] + list(form.stabs) + [form.ending_ticks])
    for bar in range(ctx.bars):
        start = ctx.bar_start(bar)
        for offset, note, level in grids[bar % len(grids)]:
            t = start + offset
            while fill_i < len(fills) and fills[fill_i][1] <= t:
                fill_i += 1
            if t >= stop or (fill_i < len(fills) and fills[fill_i][0] <= t < fills[fill_i][1]):
                continue
            if offset:  # the one stays on the grid: the band and the dancers land there
                drift = gauss(0.0, _DRIFT.get(note, _DRIFT_OTHER))
                t = min(max(start + 1, t + max(-MAX_DRIFT_TICKS, min(MAX_DRIFT_TICKS, round(drift)))), stop - 1)
            if (note == KICK or note == SNARE) and _near(struck, t):
                continue
            loud = level + uniform(-0.04, 0.04)
            velocity = ctx.velocity(loud, t) if t > steady_until else round(low + min(max(loud, 0.0), 1.0) * span)
            notes.append(Note(part, index, t, HIT_TICKS, note, velocity))
    for number, (start, end) in enumerate(fills):
        notes.extend(_fill(ctx, groove, start, end, part, random.Random(f"{ctx.seed}:{index}:fill:{number}")))
    for t, strength in form.crashes:
        notes.append(Note(part, ctx.index, t, CRASH_TICKS, CRASH, ctx.velocity(0.8 + 0.1 * strength, t)))
        notes.append(Note(part, ctx.index, t, HIT_TICKS, KICK, ctx.velocity(0.9, t)))
    for t in form.stabs:
        notes.append(Note(part, ctx.index, t, HIT_TICKS, SNARE, ctx.velocity(0.95, t)))
        notes.append(Note(part, ctx.index, t, HIT_TICKS, KICK, ctx.velocity(0.95, t)))
    if form.ending in ("break", "final"):
        t = form.ending_ticks
        length = min(CRASH_TICKS * 2, ctx.end_ticks - t)
        notes.append(Note(part, ctx.index, t, length, CRASH, ctx.velocity(1.0, t)))
        notes.append(Note(part, ctx.index, t, HIT_TICKS, KICK, ctx.velocity(1.0, t)))
    return notes


def _near(times: list[int], t: int) -> bool:
    """Whether a sorted list of ticks has one within a 16th of `t`."""
    i = bisect_left(times, t - STEP_TICKS)
    return i < len(times) and times[i] < t + STEP_TICKS


# What a fill is played on: each a function of (16th step, steps in the fill) → drum.
_ORCHESTRATIONS = {
    "snare": lambda step, steps: SNARE,
    "toms": lambda step, steps: TOMS[min(step * len(TOMS) // steps, len(TOMS) - 1)],
    "snare-toms": lambda step, steps: SNARE if step < steps // 2 else TOMS[min((2 * step - steps) * len(TOMS) // steps,
                                                                               len(TOMS) - 1)],
    "call": lambda step, steps: (SNARE, TOMS[0], SNARE, TOMS[2])[step % 4],
    "light": lambda step, steps: RIM if step < steps - 2 else TOMS[2],
}
_CHOICES = {"snare": ("snare", "snare-toms", "call"), "toms": ("toms", "snare-toms", "call"), "light": ("light",)}


def _fill(ctx: SectionContext, groove: Groove, start: int, end: int, part: int, rng: random.Random) -> list[Note]:
    """A fill from `start` to `end`, played on what the groove's fill style allows (chosen per fill),
    in 16ths, or in 8ths when calm, light or half-time; the last stroke is always struck."""
    steps = (end - start) // STEP_TICKS
    light = groove.fill == "light"
    way = rng.choice(_CHOICES.get(groove.fill, ("snare",)))
    drum_at = _ORCHESTRATIONS[way]
    stride = 2 if ctx.mood.arousal < 0 or light or ctx.half_time else 1
    notes = []
    for step in range(0, steps, stride):
        t = start + step * STEP_TICKS + swing_offset(step, groove.swing, stride)
        if step + stride < steps:  # the hand rushes or drags a little; the last stroke lands on time
            t = max(start, t + max(-MAX_DRIFT_TICKS, min(MAX_DRIFT_TICKS, round(rng.gauss(0.0, _DRIFT_OTHER)))))
        rise = step / max(steps - 1, 1)
        level = (0.25 + 0.3 * rise) if light else (0.45 + 0.5 * rise)
        notes.append(Note(part, ctx.index, t, HIT_TICKS, drum_at(step, steps), ctx.velocity(level, t)))
        if step % 4 == 0 and not light:
            notes.append(Note(part, ctx.index, t, HIT_TICKS, KICK, ctx.velocity(level, t)))
    return notes
