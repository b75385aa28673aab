"""The performance score: what a choreographer writes in YAML, validated into plain data.

`load_score` reads a score file, checks every field (reporting all violations at once, each
with file:line:column and the field path) and returns a frozen `Score`. Nothing is composed
here; see `compose` for that.
"""

import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import library as _library, motifs as _motifs, stage as _stage
from .formations import FORMATIONS, NAMES as FORMATION_NAMES
from .moods import MODES, TONICS
from .timeline import MAX_BPM, MIN_BPM, Meter, parse_meter
from .validate import MISSING, Checker
from .yamlsource import Source, field_name, load_yaml

MAX_SECTIONS = 400
MAX_BARS = 512
MAX_TOTAL_BARS = 4000
MAX_DANCERS = 8

_TOP = {"title", "seed", "tempo", "meter", "key", "cast", "motifs", "sections", "notes", "story", "include",
        "moods", "grooves", "moves", "combos", "rules"}
_SECTION = {"name", "mood", "bars", "tempo", "meter", "key", "dancers", "formation", "offset_counts", "themes",
            "groove", "moves", "notes", "story", "stage"}
_POSITION = re.compile(r"^\s*(\d+)\s*:\s*(\d+)\s*(?::\s*(\d+)\s*)?$")


@dataclass(frozen=True, slots=True)
class Dancer:
    name: str
    skill: int


@dataclass(frozen=True, slots=True)
class Key:
    tonic: str
    mode: str

    def __str__(self) -> str:
        return f"{self.tonic} {self.mode}"


@dataclass(frozen=True, slots=True)
class Pin:
    """A move or combo the choreographer fixed at a section-relative position, as they wrote it
    (`at: "BAR:BEAT"` or `eight: E, count: C`), optionally held for `hold_counts` counts."""

    dancer: str | None  # None: every dancer of a unison section
    bar: int
    beat: int
    tick: int
    move: str | None
    combo: str | None
    line: int | None
    field: str  # e.g. "sections[2].moves[0]", for error messages
    column: int | None = None
    hold_counts: int | None = None
    written: str = ""  # the position as the score wrote it

    @property
    def at(self) -> str:
        return self.written or f"{self.bar}:{self.beat}" + (f":{self.tick}" if self.tick else "")


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    mood: str
    bars: int
    tempo_bpm: tuple[float, float] | None  # (start, end); None = chosen from the mood
    meter: Meter
    key: Key | None
    dancers: tuple[str, ...]
    formation: str
    offset_counts: int
    themes: tuple[str, ...]
    groove: str | None
    pins: tuple[Pin, ...]
    notes: str
    story: tuple[int, ...]
    line: int | None
    stage: str | _stage.Positions | None = None  # a shape name, a position per dancer, or None (from formation)


@dataclass(frozen=True, slots=True)
class Score:
    title: str
    seed: int
    tempo_bpm: float | None
    meter: Meter
    key: Key | None
    cast: tuple[Dancer, ...]
    motifs: dict  # character or theme name → motif id in the library
    sections: tuple[Section, ...]
    notes: str
    file: str
    library: _library.Library

    def dancer(self, name: str) -> Dancer:
        return next(d for d in self.cast if d.name == name)


def load_score(file, library: _library.Library | None = None, include_root=None) -> Score:
    """Read and validate a score file. Raises `InputError`/`InputErrors` listing every violation."""
    return score_from_source(load_yaml(file), Path(file).parent, library, include_root)


def score_from_source(source: Source, base_dir: Path, library: _library.Library | None = None,
                      include_root=None) -> Score:
    """Validate an already parsed score; `include:` files are found relative to `base_dir`, inside
    `include_root` (default: `base_dir`)."""
    check = Checker(source)
    file = source.file
    library = library or _library.builtin()
    top = check.mapping((), _TOP, required=("title", "sections"))
    if not top:
        check.raise_if_any()
    if "include" in top:
        library = _library.read_includes(check, base_dir, library, include_root)
    library = _library.extend(library, check, skip=("motifs",))
    score = _read_score(check, top, str(file), library)
    check.raise_if_any()
    return score


def _read_key(check: Checker, path, default=MISSING):
    text = check.text(path, default=default)
    if text is None:
        return None
    parts = text.split(None, 1)
    tonic = parts[0][:1].upper() + parts[0][1:]
    mode = parts[1].lower() if len(parts) > 1 else "major"
    if tonic not in TONICS or mode not in MODES:
        check.fail(path, f"{text!r} is not a key", expected="a tonic and a mode, e.g. 'D minor', 'F# dorian' "
                   f"(modes: {', '.join(MODES)})")
        return None
    return Key(tonic, mode)


def _read_meter(check: Checker, path, default):
    value = check.value(path, MISSING)
    if value is MISSING:
        return default
    try:
        return parse_meter(check.raw(path) or value)
    except ValueError as exc:
        check.fail(path, str(exc), expected="e.g. 4/4, 3/4 or 6/8")
        return default


def _read_tempo(check: Checker, path):
    value = check.value(path, MISSING)
    if value is MISSING:
        return None
    if isinstance(value, dict):
        check.mapping(path, {"from", "to"}, required=("from", "to"))
        start = check.number(tuple(path) + ("from",), MIN_BPM, MAX_BPM) if "from" in value else None
        end = check.number(tuple(path) + ("to",), MIN_BPM, MAX_BPM) if "to" in value else None
        return (start, end) if start is not None and end is not None else None
    bpm = check.number(path, MIN_BPM, MAX_BPM)
    return (bpm, bpm) if bpm is not None else None


def _read_cast(check: Checker, top):
    if "cast" not in top:
        return (Dancer("Dancer", 3),)
    cast = []
    for i, _ in enumerate(check.sequence(("cast",), "dancers")):
        path = ("cast", i)
        entry = check.mapping(path, {"name", "skill"}, required=("name",))
        name = check.text(path + ("name",)) if "name" in entry else None
        skill = check.integer(path + ("skill",), 1, 5, default=3)
        if name and any(d.name == name for d in cast):
            check.fail(path + ("name",), f"dancer {name!r} is listed twice")
        elif name and skill is not None:
            cast.append(Dancer(name, skill))
    if len(cast) > MAX_DANCERS:
        check.fail(("cast",), f"{len(cast)} dancers is more than the limit", expected=f"at most {MAX_DANCERS}")
    return tuple(cast) or (Dancer("Dancer", 3),)


def _read_motifs(check: Checker, top, library):
    """The score's `motifs:`: a character or theme name → a motif id, or a motif written inline.

    Returns the mapping and the library with the inline motifs added (under the name given).
    """
    if "motifs" not in top:
        return {}, library
    data = check.value(("motifs",))
    if not isinstance(data, dict):
        check.fail(("motifs",), "must map a character or theme name to a motif",
                   expected="e.g. {Bakhyt: bakhyt-theme} or {Aigerim: {notes: \"1:1 3:1/2 5:1/2 r:1\"}}")
        return {}, library
    result, inline = {}, {}
    for name in data:
        if isinstance(data[name], dict):
            motif = _motifs.read_motif(check, ("motifs", name))
            if motif:
                inline[motif.name] = motif
                result[str(name)] = motif.name
        elif motif := check.name(("motifs", name), library.motifs, "motif"):
            result[str(name)] = motif
    if inline:
        library = replace(library, motifs={**library.motifs, **inline})
    return result, library


_PIN_FIELDS = {"dancer", "at", "eight", "count", "and", "move", "combo", "hold"}


def _read_pins(check: Checker, path, section_bars, meter, dancers, library, formation):
    pins = []
    for i, _ in enumerate(check.sequence(path, "pinned moves", allow_empty=True)):
        p = tuple(path) + (i,)
        entry = check.mapping(p, _PIN_FIELDS)
        if not entry:
            continue
        if ("move" in entry) == ("combo" in entry):
            check.fail(p, "a pinned entry needs exactly one of 'move' or 'combo'")
        move = check.name(p + ("move",), library.moves, "move") if "move" in entry else None
        combo = check.name(p + ("combo",), library.combos, "combo") if "combo" in entry else None
        dancer, ok = None, True
        if "dancer" in entry:
            dancer = check.name(p + ("dancer",), dancers, "dancer in this section")
            ok = dancer is not None
        elif len(dancers) == 1:
            dancer = dancers[0]
        elif formation != "unison":
            check.fail(p, "say which dancer: this section has several",
                       expected=", ".join(dancers) + " (a pin without a dancer is for every dancer "
                       "of a unison section)")
            ok = False
        at = _read_pin_position(check, p, entry, section_bars, meter)
        hold = check.integer(p + ("hold",), 1, section_bars * meter.counts_per_bar) if "hold" in entry else None
        if "hold" in entry and combo:
            check.fail(p + ("hold",), "a hold keeps one pinned move", expected="a pinned 'move', not a combo")
            hold = None
        if ok and at and (move or combo):
            line, column = check.source.where(p)
            pins.append(Pin(dancer, *at[:3], move, combo, line, field_name(p), column, hold, at[3]))
    return tuple(pins)


def _read_pin_position(check: Checker, p, entry, bars, meter):
    """(bar, beat, tick, written) from `at: "BAR:BEAT"` or `eight: E, count: C` (`and: true`)."""
    by_count = "eight" in entry or "count" in entry or "and" in entry
    if ("at" in entry) == by_count:
        check.fail(p, "a pinned entry needs one position", expected='at: "BAR:BEAT", or eight: E, count: C')
        return None
    if "at" in entry:
        at = _read_position(check, p + ("at",), bars, meter)
        return at + (check.raw(p + ("at",)).strip(),) if at else None
    eights = -(-bars * meter.counts_per_bar // 8)
    eight = check.integer(p + ("eight",), 1, eights) if "eight" in entry else None
    if "eight" not in entry:
        check.fail(p, "'count' needs the 8-count it is in", expected="eight: E, count: C, e.g. eight: 4, count: 5")
    count = check.integer(p + ("count",), 1, 8, default=1)
    half = check.value(p + ("and",), False)
    if not isinstance(half, bool):
        check.fail(p + ("and",), "must be true or false")
        return None
    if eight is None or count is None:
        return None
    n = (eight - 1) * 8 + count - 1
    if n >= bars * meter.counts_per_bar:
        check.fail(p + ("count",), f"8-count {eight}, count {count} is past the section's end",
                   expected=f"a position before {bars * meter.counts_per_bar} counts")
        return None
    bar, beat = divmod(n, meter.counts_per_bar)
    written = f"8-count {eight}, count {count}" + (" and" if half else "")
    return bar + 1, beat + 1, meter.count_ticks // 2 if half else 0, written


def _read_position(check: Checker, path, bars, meter):
    raw = check.raw(path)
    match = _POSITION.match(raw) if isinstance(raw, str) else None
    if not match:
        check.fail(path, f"{raw!r} is not a position", expected="\"BAR:BEAT\" or \"BAR:BEAT:TICK\", e.g. \"8:1\"")
        return None
    bar, beat, tick = int(match[1]), int(match[2]), int(match[3] or 0)
    if not 1 <= bar <= bars:
        check.fail(path, f"bar {bar} is outside the section", expected=f"a bar from 1 to {bars}")
    elif not 1 <= beat <= meter.counts_per_bar:
        check.fail(path, f"beat {beat} does not exist in {meter}", expected=f"a beat from 1 to {meter.counts_per_bar}")
    elif not 0 <= tick < meter.count_ticks:
        check.fail(path, f"tick {tick} is past the beat", expected=f"0 to {meter.count_ticks - 1}")
    else:
        return bar, beat, tick
    return None


def _read_section(check: Checker, i, score_meter, cast, motifs, library):
    path = ("sections", i)
    entry = check.mapping(path, _SECTION, required=("name", "mood", "bars"))
    if not entry:
        return None
    line = check.source.where(path)[0]
    name = check.text(path + ("name",)) if "name" in entry else None
    mood = check.name(path + ("mood",), library.moods, "mood") if "mood" in entry else None
    bars = check.integer(path + ("bars",), 1, MAX_BARS) if "bars" in entry else None
    meter = _read_meter(check, path + ("meter",), score_meter)
    cast_names = [d.name for d in cast]
    if "dancers" in entry:
        listed = check.sequence(path + ("dancers",), "dancers")
        dancers = tuple(d for j, _ in enumerate(listed)
                        if (d := check.name(path + ("dancers", j), cast_names, "dancer")))
        if len(set(dancers)) != len(dancers):
            check.fail(path + ("dancers",), "a dancer is listed twice")
    else:
        dancers = tuple(cast_names)
    formation = check.text(path + ("formation",), default="solo" if len(dancers) == 1 else "unison",
                           choices=FORMATION_NAMES)
    if formation in FORMATIONS and dancers and not FORMATIONS[formation].fits(len(dancers)):
        fitting = [f.name for f in FORMATIONS.values() if f.fits(len(dancers))]
        check.fail(path + ("formation",), f"{formation!r} is for {FORMATIONS[formation].dancers_text}, "
                   f"this section has {len(dancers)}", expected=f"one of {', '.join(fitting)}, or other dancers")
    themes = ()
    if "themes" in entry:
        known = set(motifs) | set(library.motifs)
        themes = tuple(t for j, _ in enumerate(check.sequence(path + ("themes",), "themes"))
                       if (t := check.name(path + ("themes", j), known, "theme (a name under 'motifs' or a motif id)")))
    groove = check.name(path + ("groove",), library.grooves, "groove", default=None)
    pins = _read_pins(check, path + ("moves",), bars or 0, meter, dancers, library, formation) \
        if "moves" in entry and bars else ()
    story = ()
    if "story" in entry:
        story = tuple(n for j, _ in enumerate(check.sequence(path + ("story",), "paragraph numbers"))
                      if (n := check.integer(path + ("story", j), 1, 10_000)) is not None)
    fields = dict(
        name=name, mood=mood, bars=bars, tempo_bpm=_read_tempo(check, path + ("tempo",)), meter=meter,
        key=_read_key(check, path + ("key",), default=None), dancers=dancers, formation=formation,
        offset_counts=check.integer(path + ("offset_counts",), 1, 7, default=2), themes=themes, groove=groove,
        pins=pins, notes=check.text(path + ("notes",), default="", max_len=2000), story=story, line=line,
        stage=_stage.read_stage(check, path + ("stage",), dancers) if "stage" in entry else None)
    required = ("name", "mood", "bars", "formation", "offset_counts", "notes")
    if any(fields[k] is None for k in required) or not dancers:
        return None
    return Section(**fields)


def _read_score(check: Checker, top, file, library) -> Score | None:
    meter = _read_meter(check, ("meter",), Meter(4, 4))
    cast = _read_cast(check, top)
    motifs, library = _read_motifs(check, top, library)
    sections = []
    listed = check.sequence(("sections",), "sections") if "sections" in top else []
    if len(listed) > MAX_SECTIONS:
        check.fail(("sections",), f"{len(listed)} sections is more than the limit", expected=f"at most {MAX_SECTIONS}")
        listed = []
    for i, _ in enumerate(listed):
        section = _read_section(check, i, meter, cast, motifs, library)
        if section:
            sections.append(section)
    total = sum(s.bars for s in sections)
    if total > MAX_TOTAL_BARS:
        check.fail(("sections",), f"the show is {total} bars long", expected=f"at most {MAX_TOTAL_BARS} bars in all")
    tempo = _read_tempo(check, ("tempo",))
    if tempo and tempo[0] != tempo[1]:
        check.fail(("tempo",), "the score's default tempo cannot ramp", expected="one BPM; ramp inside a section")
    fields = dict(
        title=check.text(("title",)), seed=check.integer(("seed",), 0, 2**32 - 1, default=0),
        tempo_bpm=tempo[0] if tempo else None, meter=meter, key=_read_key(check, ("key",), default=None),
        cast=cast, motifs=motifs, sections=tuple(sections), notes=check.text(("notes",), default="", max_len=5000),
        file=file, library=library)
    check.text(("story",), default=None, max_len=1000)
    return None if check.errors else Score(**fields)
