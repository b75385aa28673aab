"""The timed performance: the one object every exporter reads.

Composition turns a `Score` into a `Performance`: sections with their resolved key and tempo,
the band's notes, the music's hits and cues, and every dancer's move cues. Times are integer
ticks on the performance's `Timeline`; seconds and bar/beat/8-count positions come from it.
The model stands alone: it imports nothing from the input side (score, YAML, the libraries),
so an exporter loads only what it writes.
"""

from dataclasses import dataclass, fields
from operator import attrgetter

from .timeline import Position, Timeline


def pickled_by_fields(cls):
    """Pickle instances as their class and field values: loading calls the constructor, twice as fast as
    a frozen dataclass's own state (the dance comes back from a forked process this way)."""
    values = attrgetter(*(f.name for f in fields(cls)))

    def reduce(self):
        return type(self), values(self)
    cls.__reduce__ = reduce
    return cls


@dataclass(frozen=True, slots=True)
class CastMember:
    """A dancer of the show as performed: the name on the sheet and the skill the moves were chosen for."""

    name: str
    skill: int


@dataclass(frozen=True, slots=True)
class SectionInfo:
    """A section as performed: where it sits and what was resolved for it."""

    index: int
    name: str
    mood: str
    key: str
    tonic: str
    mode: str
    key_sharps: int  # the key signature: sharps (negative: flats), tonic spelling respected
    key_minor: bool  # the signature names a minor key (minor modes); other modes name their parent major
    meter: str
    bars: int
    first_bar: int
    start_ticks: int
    end_ticks: int
    tempo_start_bpm: float
    tempo_end_bpm: float
    dancers: tuple[str, ...]
    formation: str
    offset_counts: int
    themes: tuple[str, ...]
    groove: str
    valence: float
    arousal: float
    energy: int
    notes: str
    story: tuple[int, ...]
    tempo_explicit: bool = False  # the score set this section's tempo (else it follows the mood)
    melody_density: float = 0.0  # melody notes per counted beat the mood asks for
    stage: tuple[tuple[str, float, float], ...] = ()  # (dancer, x, y) where each stands as it starts


PART_ROLES = ("drums", "bass", "harmony", "melody", "pad")  # what a part does in the band


@dataclass(frozen=True, slots=True)
class Part:
    """One instrument of the band; it becomes one MIDI track. `role` is one of PART_ROLES."""

    name: str
    program: int
    channel: int
    role: str = ""
    lowest_pitch: int = 0  # the pitches the instrument plays (the drum kit: its General MIDI key map)
    highest_pitch: int = 127

    @property
    def is_drums(self) -> bool:
        return self.channel == 9


@dataclass(frozen=True, slots=True)
class Note:
    """One played note. `chromatic` marks a deliberate note outside the section's scale."""

    part: int
    section: int
    start_ticks: int
    length_ticks: int
    pitch: int
    velocity: int
    chromatic: bool = False

    @property
    def end_ticks(self) -> int:
        return self.start_ticks + self.length_ticks


@dataclass(frozen=True, slots=True)
class Hit:
    """An accent in the music (stab, crash, break, cadence) that dancers can land a freeze on."""

    at_ticks: int
    kind: str
    section: int
    strength: int


# What a music cue may say, and to whom: dancers read their words on the sheet's music lane and
# the rehearsal page; harmony goes to the musician's line and the notation.
CUE_KINDS: dict[str, tuple[str, str]] = {  # kind: (audience, the word a dancer reads)
    "hit": ("dancer", "hit"),
    "break": ("dancer", "break"),
    "drop": ("dancer", "drop"),
    "stop": ("dancer", "stop"),
    "fill": ("dancer", "fill"),
    "motif": ("dancer", "theme"),
    "half-time": ("dancer", "half-time"),
    "tempo": ("dancer", "tempo up"),
    "groove": ("dancer", "groove"),
    "cadence": ("musician", "cadence"),
    "key-change": ("musician", "key change"),
    "pivot": ("musician", "pivot"),
}


@dataclass(frozen=True, slots=True)
class MusicCue:
    """A moment worth writing on the sheet: a motif entrance, a fill, a key change (kind: `CUE_KINDS`)."""

    at_ticks: int
    length_ticks: int
    kind: str
    text: str
    section: int


# A dancer's part in the formation at a move, for the sheets' marks ("" where nothing is special).
MOVE_ROLES: dict[str, str] = {
    "": "",
    "floor": "has the floor (call-response)",
    "support": "holds a groove while the partner has the floor",
    "wait": "canon: holds during the offset",
    "entry": "canon: enters with the leader's phrase",
}


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class MoveCue:
    """One move of one dancer, placed in time."""

    dancer: str
    move: str
    name: str
    category: str
    section: int
    start_ticks: int
    length_ticks: int
    start_level: str
    end_level: str
    accent_ticks: int | None = None
    pinned: bool = False
    combo: str | None = None
    mirrored: bool = False  # mirror formation: the move danced to the other side
    role: str = ""  # a key of MOVE_ROLES
    short: str = ""  # the vocabulary's short name for the move, where it has one
    difficulty: int = 0  # the move's difficulty (1-5), held against the dancer's skill

    @property
    def end_ticks(self) -> int:
        return self.start_ticks + self.length_ticks


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Round:
    """One dancer's round as composed: from its entry (or its standing support, in call-response
    and duets) to its end; `finish_ticks` is where its finisher must land (None: a stretch only
    danced standing). `copied`: the dancer dances a leader's round (unison, mirror, canon)."""

    dancer: str
    section: int
    start_ticks: int
    end_ticks: int
    finish_ticks: int | None
    pinned: bool = False      # a pinned move lies inside it: the choreographer shaped it
    copied: bool = False


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PinnedMove:
    """A pin as placed for one dancer: the move or combo the score fixed there, and its hold."""

    dancer: str
    section: int
    start_ticks: int
    move: str | None
    combo: str | None
    hold_ticks: int | None
    line: int | None


@dataclass(frozen=True, slots=True)
class Performance:
    title: str
    seed: int
    source: str
    timeline: Timeline
    sections: tuple[SectionInfo, ...]
    cast: tuple[CastMember, ...]
    parts: tuple[Part, ...]
    notes: tuple[Note, ...]
    hits: tuple[Hit, ...]
    music_cues: tuple[MusicCue, ...]
    cues: tuple[MoveCue, ...]
    rounds: tuple[Round, ...] = ()
    pins: tuple[PinnedMove, ...] = ()

    @property
    def end_ticks(self) -> int:
        return self.timeline.end_ticks

    @property
    def length_s(self) -> float:
        return self.timeline.seconds(self.timeline.end_ticks)

    def seconds(self, ticks: int) -> float:
        return self.timeline.seconds(ticks)

    def position(self, ticks: int) -> Position:
        return self.timeline.position(ticks)

    def cues_of(self, dancer: str) -> tuple[MoveCue, ...]:
        return tuple(c for c in self.cues if c.dancer == dancer)
