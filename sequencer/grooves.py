"""Drum grooves: step-grid patterns read from `music/grooves.yaml`, one per meter.

A groove writes each drum (General MIDI kit) as a string of 16th-note steps, `X` an accent,
`x` a hit, `o` a ghost note, `.` a rest (spaces and `|` are only for the eye). The `4/4` grid is
required; `3/4`, `6/8` or any other meter may be written too, and a meter that is missing is
derived from the 4/4 grid beat by beat (downbeat from beat 1, the bar's last beat from beat 4).
"""

from dataclasses import dataclass

from .timeline import Meter, PPQ, parse_meter
from .validate import Checker, describe
from .errors import did_you_mean

STEP_TICKS = PPQ // 4  # one 16th note

# General MIDI percussion (channel 10) by the names a groove uses: only notes MuseScore 3's drum
# map knows (it reports clap 39, the bongos 60/61, mute conga 62 and shaker 70 as unmapped).
DRUMS = {
    "kick": 36, "rim": 37, "snare": 38, "hat": 42, "pedal-hat": 44, "open-hat": 46,
    "low-tom": 45, "mid-tom": 47, "high-tom": 50, "crash": 49, "ride": 51, "ride-bell": 53,
    "tambourine": 54, "cowbell": 56, "conga-high": 63, "conga-low": 64,
}
FEELS = ("normal", "half-time")
LEVELS = {"o": 0, "x": 1, "X": 2}  # ghost, hit, accent
_IGNORED = " |"


@dataclass(frozen=True, slots=True)
class Pattern:
    """One meter's grid: `length_steps` 16ths (one or more bars) and its hits as (step, GM note, level)."""

    length_steps: int
    hits: tuple[tuple[int, int, int], ...]

    def lane(self, note: int) -> str:
        """The grid of one drum as text (for display and tests)."""
        cells = ["."] * self.length_steps
        for step, n, level in self.hits:
            if n == note:
                cells[step] = "oxX"[level]
        return "".join(cells)


@dataclass(frozen=True, slots=True)
class Groove:
    """A named drum groove: a grid per meter, a swing amount, and how it fills."""

    name: str
    description: str
    swing: int  # percent: 50 straight, 66 triplet shuffle; delays every second 16th
    fill: str  # "toms", "snare", "light" or "none"
    patterns: dict  # meter text → Pattern
    lean_ticks: int = 0  # the backbeat behind (+) or ahead of (-) the grid
    feel: str = "normal"  # "half-time" when the grid already plays half-time

    @property
    def silent(self) -> bool:
        return all(not p.hits for p in self.patterns.values())

    def pattern_for(self, meter: Meter) -> Pattern:
        """The grid for `meter`: written in the YAML, else derived from the 4/4 grid."""
        written = self.patterns.get(str(meter))
        return written if written is not None else derive(self.patterns["4/4"], meter)


def half_time(pattern: Pattern, bar_steps: int) -> Pattern:
    """The grid at half speed: every step becomes two, so a one-bar groove fills two bars and its
    backbeat falls on beat 3 (the pulse stays, the feel halves)."""
    hits = tuple((2 * step, note, level) for step, note, level in pattern.hits)
    length = 2 * pattern.length_steps
    return Pattern(length + (-length) % bar_steps, hits)


def steps_per_bar(meter: Meter) -> int:
    return meter.bar_ticks // STEP_TICKS


def derive(source: Pattern, meter: Meter) -> Pattern:
    """A grid for another meter built from a 4/4 grid, beat by beat.

    The first beat copies beat 1, the last copies beat 4 (the backbeat), inner beats alternate
    beats 2 and 3. A dotted-quarter beat (6/8) spreads the quarter's 16ths over its three eighths.
    """
    steps_per_count = meter.count_ticks // STEP_TICKS
    counts = meter.counts_per_bar
    within = {4: (0, 1, 2, 3), 6: (0, 1, 2, None, 3, None), 2: (0, 2), 3: (0, 2, 3)}.get(steps_per_count)
    if within is None:
        within = tuple(i if i < 4 else None for i in range(steps_per_count))
    by_step = {}
    for step, note, level in source.hits:
        if step < 16:
            by_step.setdefault(step, []).append((note, level))
    hits = []
    for b in range(counts):
        src_beat = 0 if b == 0 else 3 if b == counts - 1 else (1 if b % 2 else 2)
        for i, src in enumerate(within):
            if src is None:
                continue
            for note, level in by_step.get(src_beat * 4 + src, ()):
                hits.append((b * steps_per_count + i, note, level))
    return Pattern(counts * steps_per_count, tuple(sorted(hits)))


# -- reading ---------------------------------------------------------------------------------
_FIELDS = {"description", "swing", "fill", "patterns", "lean", "feel"}
FILLS = ("toms", "snare", "light", "none")


def read_grooves(check: Checker, path) -> dict[str, Groove]:
    """Read a mapping of groove name → definition at `path`, reporting every bad entry."""
    data = check.value(path, {})
    if not isinstance(data, dict):
        check.fail(path, f"must be a mapping of groove name → definition, got {describe(data)}")
        return {}
    grooves = {}
    for name, _entry in data.items():
        where = tuple(path) + (name,)
        fields = check.mapping(where, _FIELDS, required=("patterns",))
        if not fields:
            continue
        before = len(check.errors)
        description = check.text(where + ("description",), default="", max_len=300)
        swing = check.integer(where + ("swing",), 50, 75, default=50)
        fill = check.text(where + ("fill",), default="snare", choices=FILLS)
        lean = check.integer(where + ("lean",), -30, 30, default=0)
        feel = check.text(where + ("feel",), default="normal", choices=FEELS)
        patterns = _read_patterns(check, where + ("patterns",))
        if len(check.errors) == before and patterns is not None:
            grooves[str(name)] = Groove(str(name), description, swing, fill, patterns, lean, feel)
    return grooves


def _read_patterns(check: Checker, path):
    data = check.value(path)
    if not isinstance(data, dict):
        check.fail(path, f"must map a meter to drum grids, got {describe(data)}", expected='e.g. "4/4": {kick: "x..."}')
        return None
    if "4/4" not in data:
        check.fail(path, "needs a '4/4' grid (other meters are derived from it)")
    patterns = {}
    for meter_text, lanes in data.items():
        where = tuple(path) + (meter_text,)
        try:
            meter = parse_meter(meter_text)
        except ValueError as exc:
            check.fail(where, str(exc), at_key=True, expected="a meter such as 4/4, 3/4 or 6/8")
            continue
        pattern = _read_lanes(check, where, lanes, meter)
        if pattern is not None:
            patterns[str(meter)] = pattern
    return patterns


def _read_lanes(check: Checker, path, lanes, meter: Meter):
    if not isinstance(lanes, dict):
        check.fail(path, f"must map drum names to step grids, got {describe(lanes)}",
                   expected="e.g. {kick: \"x.......x.x.....\", snare: \"....x.......x...\"}")
        return None
    bar_steps = steps_per_bar(meter)
    length, hits, ok = None, [], True
    for drum, grid in lanes.items():
        where = tuple(path) + (drum,)
        if drum not in DRUMS:
            check.fail(where, f"unknown drum {drum!r}", at_key=True, expected="one of " + ", ".join(sorted(DRUMS)),
                       hint=did_you_mean(str(drum), DRUMS))
            ok = False
            continue
        if not isinstance(grid, str):
            check.fail(where, f"must be a step grid in quotes, got {describe(grid)}", expected="e.g. \"x...x...\"")
            ok = False
            continue
        cells = [c for c in grid if c not in _IGNORED]
        bad = sorted({c for c in cells if c not in LEVELS and c != "."})
        if bad:
            check.fail(where, f"unknown step mark(s) {', '.join(repr(c) for c in bad)}",
                       expected="X (accent), x (hit), o (ghost) or . (rest)")
            ok = False
            continue
        if not cells or len(cells) % bar_steps:
            check.fail(where, f"has {len(cells)} steps", expected=f"a multiple of {bar_steps} (16ths in a bar of {meter})")
            ok = False
            continue
        if length is not None and len(cells) != length:
            check.fail(where, f"has {len(cells)} steps but the other drums have {length}",
                       expected="every drum of a grid the same length")
            ok = False
            continue
        length = len(cells)
        hits.extend((i, DRUMS[drum], LEVELS[c]) for i, c in enumerate(cells) if c != ".")
    if not ok:
        return None
    return Pattern(length or bar_steps, tuple(sorted(hits)))


def load_grooves(source) -> dict[str, Groove]:
    """Load and validate a groove library file (top-level key `grooves`)."""
    check = Checker(source)
    check.mapping((), {"grooves"}, required=("grooves",))
    grooves = read_grooves(check, ("grooves",))
    check.raise_if_any()
    return grooves
