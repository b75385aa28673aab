"""The drummer: a groove's grid bar after bar, fills where the form asks, crashes on downbeats.

The grid of a bar is turned into (offset, drum, level) once per section and then only shifted,
which keeps an hour of drums cheap. Swing delays every second 16th.
"""

from ...grooves import DRUMS, STEP_TICKS, Groove
from ...performance import Note
from .context import SectionContext
from .form import Form

HIT_TICKS = STEP_TICKS // 2
CRASH_TICKS = 4 * STEP_TICKS
_LEVEL = (0.12, 0.62, 0.95)  # ghost, hit, accent as a share of the mood's velocity range
KICK, SNARE, CRASH, RIM = DRUMS["kick"], DRUMS["snare"], DRUMS["crash"], DRUMS["rim"]
TOMS = (DRUMS["high-tom"], DRUMS["mid-tom"], DRUMS["low-tom"])


def swing_offset(step: int, swing: int) -> int:
    """Ticks a 16th step is pushed late: every second 16th by (swing - 50)% of a pair."""
    return (2 * STEP_TICKS * (swing - 50)) // 100 if step % 2 else 0


def play(ctx: SectionContext, groove: Groove, form: Form, part: int) -> list[Note]:
    """All drum notes of one section (channel 10 notes; never chromatic)."""
    if groove.silent:
        return []
    rng = ctx.rng("drums")
    pattern = groove.pattern_for(ctx.laid.meter)
    bar_steps = ctx.bar_ticks // STEP_TICKS
    grid_bars = max(1, pattern.length_steps // bar_steps)
    bars_grid = [[] for _ in range(grid_bars)]
    for step, note, level in pattern.hits:
        bar, in_bar = divmod(step, bar_steps)
        bars_grid[bar].append((in_bar * STEP_TICKS + swing_offset(in_bar, groove.swing), note, level))
    fills = sorted(form.fills)
    notes = []
    stop = ctx.music_end_ticks if form.ending != "final" else ctx.bar_start(ctx.bars - 1)
    fill_i = 0
    index = ctx.index
    low, span = ctx.mood.velocity[0], ctx.mood.velocity[1] - ctx.mood.velocity[0]
    steady_until = ctx.swell_start_ticks if ctx.swell else ctx.end_ticks  # before it, no swell to apply
    for bar in range(ctx.bars):
        start = ctx.bar_start(bar)
        for offset, note, level in bars_grid[bar % grid_bars]:
            t = start + offset
            while fill_i < len(fills) and fills[fill_i][1] <= t:
                fill_i += 1
            if t >= stop or (fill_i < len(fills) and fills[fill_i][0] <= t < fills[fill_i][1]):
                continue
            loud = _LEVEL[level] + rng.uniform(-0.04, 0.04)
            velocity = ctx.velocity(loud, t) if t > steady_until else round(low + loud * span)
            notes.append(Note(part, index, t, HIT_TICKS, note, velocity))
    for start, end in fills:
        notes.extend(_fill(ctx, groove, start, end, part))
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


def _fill(ctx: SectionContext, groove: Groove, start: int, end: int, part: int) -> list[Note]:
    """A fill from `start` to `end`: a snare roll, a run down the toms, or a light rim figure."""
    steps = (end - start) // STEP_TICKS
    calm = ctx.mood.arousal < 0
    stride = 2 if calm or groove.fill == "light" else 1
    notes = []
    for step in range(0, steps, stride):
        t = start + step * STEP_TICKS + swing_offset(step, groove.swing)
        rise = step / max(steps - 1, 1)
        if groove.fill == "toms":
            drum = TOMS[min(step * len(TOMS) // steps, len(TOMS) - 1)]
        elif groove.fill == "light":
            drum = RIM if step < steps - stride else TOMS[2]
        else:
            drum = SNARE
        level = (0.25 + 0.3 * rise) if groove.fill == "light" else (0.45 + 0.5 * rise)
        notes.append(Note(part, ctx.index, t, HIT_TICKS, drum, ctx.velocity(level, t)))
        if step % 4 == 0 and groove.fill != "light":
            notes.append(Note(part, ctx.index, t, HIT_TICKS, KICK, ctx.velocity(level, t)))
    return notes
