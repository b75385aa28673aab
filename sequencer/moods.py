"""The mood library: what each story mood sounds like and how it is danced.

Moods live in `music/moods.yaml` (and may be added or overridden by a score). Each mood sits on
the valence/arousal plane and carries the musical cues that psychology links to it (tempo,
mode, loudness, articulation, register, density) and the dance energy it asks for.
"""

from dataclasses import dataclass
from fractions import Fraction

from .categories import NAMES as CATEGORY_NAMES
from .grooves import FEELS  # half-time: drums and harmony at half speed over the same counted pulse
from .motifs import TRANSFORMS
from .scales import MODE_STEPS, PITCH_CLASS, parse_numeral
from .validate import Checker
from .yamlsource import Source

MODES = tuple(MODE_STEPS)
TONICS = tuple(PITCH_CLASS)


@dataclass(frozen=True, slots=True)
class Articulation:
    """How a mood articulates: how much of a melody note sounds, how the keys comp, whether a pad joins."""

    sounding: Fraction  # share of a melody note's length that sounds
    comping: str  # a key of comping.PATTERNS: held chords, a pushed two-hit bar, or off-beat stabs
    pad: bool


ARTICULATIONS: dict[str, Articulation] = {
    "legato": Articulation(Fraction(19, 20), "held", True),
    "normal": Articulation(Fraction(4, 5), "push", False),
    "staccato": Articulation(Fraction(1, 2), "off-beats", False),
}


@dataclass(frozen=True, slots=True)
class BassStyle:
    """How the bass plays under a chord: a one-bar figure on the 16th grid (4/4; cut to shorter bars).

    A figure note is (16th step, length in 16ths, chord role): R root, O octave, F fifth, T third,
    A a step into the next chord's root (the fifth when the chord does not change). `kick` adds the
    groove's kick steps on the root, so bass and kick speak together.
    """

    figure: tuple[tuple[int, int, str], ...]
    kick: bool = False


BASS_STYLES: dict[str, BassStyle] = {
    "sustained": BassStyle(((0, 16, "R"),)),
    "pulse": BassStyle(tuple((2 * k, 2, "R") for k in range(8))),
    "root-fifth": BassStyle(((0, 6, "R"), (8, 6, "F")), kick=True),
    "walking": BassStyle(((0, 4, "R"), (4, 4, "T"), (8, 4, "F"), (12, 4, "A"))),
    "syncopated": BassStyle(((0, 3, "R"), (3, 1, "R"), (6, 2, "O"), (10, 2, "R"), (12, 1, "F"), (14, 1, "A")),
                            kick=True),
    "octaves": BassStyle(tuple((2 * k, 2, "RO"[k % 2]) for k in range(8))),
    "none": BassStyle(()),
}


@dataclass(frozen=True, slots=True)
class Mood:
    name: str
    description: str
    valence: float
    arousal: float
    # music
    tonic: str
    mode: str
    tempo_bpm: tuple[float, float]
    register: tuple[int, int]
    velocity: tuple[int, int]
    articulation: str
    density: float
    harmonic_rhythm_counts: int  # counted beats per chord
    progressions: tuple[tuple[str, ...], ...]
    grooves: tuple[str, ...]
    bass: str
    transforms: tuple[str, ...]
    # dance
    energy: int
    categories: dict
    feel: str = "normal"  # one of FEELS

    @property
    def key(self) -> str:
        return f"{self.tonic} {self.mode}"

    @property
    def tempo_mid_bpm(self) -> float:
        return (self.tempo_bpm[0] + self.tempo_bpm[1]) / 2


_FIELDS = {"description", "valence", "arousal", "tonic", "mode", "tempo", "register", "velocity",
           "articulation", "density", "harmonic_rhythm", "progressions", "grooves", "bass", "transforms",
           "energy", "categories", "like", "feel"}


def read_moods(check: Checker, path=(), base=None) -> dict[str, Mood]:
    """Read a mapping of mood name → definition at `path`.

    With `base` (the built-in moods), an entry may override only some fields of a known mood;
    a new mood either names a known one to start from (`like: tense`) or gives every field.
    """
    base = base or {}
    data = check.value(path, {})
    if not isinstance(data, dict):
        check.fail(path, "must be a mapping of mood name → definition")
        return {}
    moods = {}
    for name, entry in data.items():
        where = tuple(path) + (name,)
        if not isinstance(name, str) or not name.replace("-", "").isalnum() or name != name.lower():
            check.fail(where, f"mood name {name!r} must be lower-case letters, digits and '-'", at_key=True)
            continue
        fields = check.value(where, {})
        like = isinstance(fields, dict) and "like" in fields
        required = () if name in base or like else tuple(sorted(_FIELDS - {"description", "transforms", "like", "feel"}))
        fields = check.mapping(where, _FIELDS, required=required,
                               hint="or start from a known mood: 'like: tense' and give only what differs")
        inherited = base.get(name)
        if like:
            inherited = base.get(check.name(where + ("like",), base, "mood") or "")
            if inherited is None:
                continue
        mood = _read_mood(check, where, name, fields, inherited)
        if mood is not None:
            moods[name] = mood
    return moods


def _read_mood(check: Checker, where, name, fields, inherited):
    before = len(check.errors)

    def get(key, reader, *args, default=None):
        if key not in fields:
            return default
        return reader(where + (key,), *args)

    def pick(attr):
        return getattr(inherited, attr) if inherited is not None else None

    values = dict(
        name=name,
        description=get("description", check.text, default=pick("description") or ""),
        valence=get("valence", check.number, -1, 1, default=pick("valence")),
        arousal=get("arousal", check.number, -1, 1, default=pick("arousal")),
        tonic=get("tonic", lambda p: check.text(p, choices=TONICS), default=pick("tonic")),
        mode=get("mode", lambda p: check.text(p, choices=MODES), default=pick("mode")),
        tempo_bpm=get("tempo", check.range_pair, 30, 300, default=pick("tempo_bpm")),
        register=get("register", lambda p: check.range_pair(p, 24, 108, integer=True),
                     default=pick("register")),
        velocity=get("velocity", lambda p: check.range_pair(p, 1, 127, integer=True),
                     default=pick("velocity")),
        articulation=get("articulation", lambda p: check.text(p, choices=ARTICULATIONS),
                         default=pick("articulation")),
        density=get("density", check.number, 0.05, 4, default=pick("density")),
        harmonic_rhythm_counts=get("harmonic_rhythm", check.integer, 1, 16,
                                   default=pick("harmonic_rhythm_counts")),
        progressions=get("progressions", lambda p: _progressions(check, p), default=pick("progressions")),
        grooves=get("grooves", check.texts, default=pick("grooves")),
        bass=get("bass", lambda p: check.text(p, choices=BASS_STYLES), default=pick("bass")),
        transforms=get("transforms", lambda p: check.texts(p, choices=TRANSFORMS, allow_empty=True),
                       default=pick("transforms") or ()),
        energy=get("energy", check.integer, 1, 5, default=pick("energy")),
        categories=get("categories", lambda p: _categories(check, p), default=pick("categories")),
        feel=get("feel", lambda p: check.text(p, choices=FEELS), default=pick("feel") or "normal"),
    )
    if len(check.errors) > before or any(v is None for v in values.values()):
        return None
    return Mood(**values)


def _progressions(check: Checker, path):
    result = []
    for i, prog in enumerate(check.sequence(path, "progressions")):
        if not isinstance(prog, list) or not prog or not all(isinstance(x, str) for x in prog):
            check.fail(tuple(path) + (i,), "must be a list of roman numerals", expected="e.g. [i, VI, III, VII]")
            continue
        bad = [j for j, figure in enumerate(prog) if parse_numeral(figure) is None]
        for j in bad:
            check.fail(tuple(path) + (i, j), f"{prog[j]!r} is not a roman numeral",
                       expected="I-VII (major) or i-vii (minor), optional b/# before, °/+ or 7/maj7 after; e.g. bVII, vii°, V7")
        if not bad:
            result.append(tuple(prog))
    return tuple(result) or None


def _categories(check: Checker, path):
    data = check.mapping(path, CATEGORY_NAMES, what="move category")
    weights = {}
    for cat in data:
        if cat in CATEGORY_NAMES:
            w = check.number(tuple(path) + (cat,), 0, 10)
            if w is not None:
                weights[cat] = float(w)
    return weights if weights else None


def load_moods(source: Source) -> dict[str, Mood]:
    """Load and validate a mood library file (top-level key `moods`)."""
    check = Checker(source)
    check.mapping((), {"moods"}, required=("moods",))
    moods = read_moods(check, ("moods",))
    check.raise_if_any()
    return moods
