"""Rules of the music a finished performance must obey (see the package docstring).

They measure the notes and cues as a listener or a dancer meets them: notes in the key, drums on
the General MIDI kit, a breaking pulse, a melody in every phrase and above the comping, a drummer's
feel off the straight grid, bass rhythms that differ, varied endings, and themes that develop.
"""

from collections import Counter, defaultdict

from ..grooves import DRUMS
from ..performance import CUE_KINDS
from ..scales import scale
from . import rule

BREAKING_BPM = (88, 132)  # the counted pulse breakers dance to
PHRASE_BARS = 4  # a melody phrase (a call or an answer)
DENSITY_TOLERANCE = 0.25  # melody notes per counted beat may differ this much from the mood's
MIN_DENSITY_COUNTS = 16  # a section shorter than this many counted beats is too short to judge density
ABOVE_SHARE = 0.9  # melody onsets above every sounding chord tone
GRID_TICKS, OFF_GRID_TICKS, OFF_GRID_SHARE = 120, 5, 0.25  # a 16th; what counts as off it; how many must be
MIN_DRUM_ONSETS = 64  # a section with fewer drum onsets is judged only as part of the whole show
GM_DRUMS = (35, 81)
DRUM_CHANNEL = 9
ENDING_KINDS = ("authentic", "plagal", "deceptive", "half", "pivot", "break")
MAX_ENDING_SHARE = 0.4
MIN_SECTIONS_FOR_VARIETY = 5  # fewer sections cannot spread over kinds at 40 %
# Interval-class similarity a later statement keeps with the theme's first one. Windows of the same
# length taken at random from the same show's melody score 0.32-0.54 on average against a theme
# (bench/music.py prints it); developed statements score 1.0 (inversion, retrograde, re-cut rhythm,
# augmentation and fragments keep the generic intervals). 0.75 sits well above chance.
RECOGNISABLE = 0.75
DEVELOPED_SHARE = 0.5


def _roles(perf) -> list[str]:
    return [p.role for p in perf.parts]


def _by_section(perf, *roles: str) -> dict[int, list]:
    kinds = _roles(perf)
    found = defaultdict(list)
    for note in perf.notes:
        if kinds[note.part] in roles:
            found[note.section].append(note)
    return found


def _counts_per_bar(perf, info) -> int:
    return perf.timeline.sections[info.index].meter.counts_per_bar


def _bar_ticks(info) -> int:
    return (info.end_ticks - info.start_ticks) // info.bars


@rule("notes-in-scale")
def notes_in_scale(perf) -> tuple[list, int]:
    """A pitched note is off its section's scale exactly when it is marked chromatic."""
    roles, violators, total = _roles(perf), [], 0
    keys = {info.index: scale(info.tonic, info.mode) for info in perf.sections}
    for note in perf.notes:
        if roles[note.part] == "drums":
            continue
        total += 1
        off = note.pitch % 12 not in keys[note.section].pcs
        if off != note.chromatic:
            violators.append(f"section {note.section + 1}: pitch {note.pitch} at {note.start_ticks} "
                             f"{'off' if off else 'in'} the scale but {'not ' if off else ''}marked chromatic")
    return violators, total


@rule("drums-on-the-kit")
def drums_on_the_kit(perf) -> tuple[list, int]:
    """The drum part plays on channel 10, only the kit's named drums (General MIDI notes 35-81 that
    MuseScore's drum map knows), never marked chromatic."""
    kit = set(DRUMS.values())
    violators = [f"drum part {p.name!r} on channel {p.channel + 1}" for p in perf.parts
                 if p.role == "drums" and p.channel != DRUM_CHANNEL]
    roles = _roles(perf)
    drums = [n for n in perf.notes if roles[n.part] == "drums"]
    violators += [f"drum note {n.pitch} at {n.start_ticks}" for n in drums
                  if n.pitch not in kit or not GM_DRUMS[0] <= n.pitch <= GM_DRUMS[1] or n.chromatic]
    return violators, len(drums)


@rule("breaking-tempo")
def breaking_tempo(perf) -> tuple[list, int]:
    """A section keeps its counted pulse at 88-132 BPM, unless the score set its tempo explicitly."""
    low, high = BREAKING_BPM
    violators = [f"section {i.index + 1} {i.name!r}: {i.tempo_start_bpm:g}-{i.tempo_end_bpm:g} BPM"
                 for i in perf.sections if not i.tempo_explicit
                 and not (low <= i.tempo_start_bpm <= high and low <= i.tempo_end_bpm <= high)]
    return violators, len(perf.sections)


def _phrases(info, music_end: int):
    """(start, end) of each 4-bar phrase of a section that lasts at least a bar before the band stops."""
    bar = _bar_ticks(info)
    for first in range(0, info.bars, PHRASE_BARS):
        start = info.start_ticks + first * bar
        end = min(start + PHRASE_BARS * bar, music_end)
        if end - start >= bar:
            yield start, end


def _music_end(perf, info) -> int:
    """Where the band stops in a section: a break leaves the last beat silent."""
    breaks = [c.at_ticks for c in perf.music_cues if c.section == info.index and c.kind == "break"]
    return min(breaks, default=info.end_ticks)


@rule("melody-every-phrase")
def melody_every_phrase(perf) -> tuple[list, int]:
    """Every 4-bar phrase of every section has melody."""
    melody = _by_section(perf, "melody")
    violators, total = [], 0
    for info in perf.sections:
        onsets = [n.start_ticks for n in melody[info.index]]
        for start, end in _phrases(info, _music_end(perf, info)):
            total += 1
            if not any(start <= t < end for t in onsets):
                bar = (start - info.start_ticks) // _bar_ticks(info) + 1
                violators.append(f"section {info.index + 1} {info.name!r}: no melody in bars {bar}-{bar + PHRASE_BARS - 1}")
    return violators, total


@rule("melody-density")
def melody_density(perf) -> tuple[list, int]:
    """A section's melody notes per counted beat stay within 25 % of what its mood declares
    (sections of at least 16 counted beats: in shorter ones one note more or less is too much)."""
    melody = _by_section(perf, "melody")
    violators, total = [], 0
    for info in perf.sections:
        counts = info.bars * _counts_per_bar(perf, info)
        if not info.melody_density or counts < MIN_DENSITY_COUNTS:
            continue
        total += 1
        density = len(melody[info.index]) / counts
        if abs(density - info.melody_density) > DENSITY_TOLERANCE * info.melody_density:
            violators.append(f"section {info.index + 1} {info.name!r}: {density:.2f} notes a beat, "
                             f"the mood asks {info.melody_density:.2f}")
    return violators, total


@rule("melody-above-comping")
def melody_above_comping(perf) -> tuple[list, int]:
    """In each section, at least 90 % of melody onsets are higher than every chord tone sounding then."""
    melody, comping = _by_section(perf, "melody"), _by_section(perf, "harmony", "pad")
    violators, total = [], 0
    for info in perf.sections:
        tune = melody[info.index]
        if not tune:
            continue
        total += 1
        chords = comping[info.index]
        above = sum(1 for m in tune if all(m.pitch > c.pitch for c in chords if c.start_ticks <= m.start_ticks < c.end_ticks))
        if above < ABOVE_SHARE * len(tune):
            violators.append(f"section {info.index + 1} {info.name!r}: {above}/{len(tune)} melody onsets above the comping")
    return violators, total


def off_grid(ticks: int) -> int:
    """Ticks from the nearest straight 16th."""
    return min(ticks % GRID_TICKS, -ticks % GRID_TICKS)


@rule("drum-feel")
def drum_feel(perf) -> tuple[list, int]:
    """At least a quarter of the show's drum onsets sit 5 ticks or more off the straight 16th grid,
    and so do a quarter of each section's (judged where there are enough onsets to count)."""
    drums = _by_section(perf, "drums")
    violators, total, off_show, all_show = [], 0, 0, 0
    for info in perf.sections:
        hits = drums[info.index]
        off = sum(1 for n in hits if off_grid(n.start_ticks - info.start_ticks) >= OFF_GRID_TICKS)
        off_show, all_show = off_show + off, all_show + len(hits)
        if len(hits) >= MIN_DRUM_ONSETS:
            total += 1
            if off < OFF_GRID_SHARE * len(hits):
                violators.append(f"section {info.index + 1} {info.name!r}: {off}/{len(hits)} drum onsets off the grid")
    if all_show >= MIN_DRUM_ONSETS:
        total += 1
        if off_show < OFF_GRID_SHARE * all_show:
            violators.append(f"the show: {off_show}/{all_show} drum onsets off the grid")
    return violators, total


@rule("distinct-bass-rhythms")
def distinct_bass_rhythms(perf) -> tuple[list, int]:
    """No two sections play the same bass rhythm, unless one repeats the other (same name, mood and bars)."""
    bass = _by_section(perf, "bass")
    seen, violators, total = {}, [], 0
    for info in perf.sections:
        notes = bass[info.index]
        if len(notes) < 2:
            continue
        total += 1
        rhythm = tuple(sorted({n.start_ticks - info.start_ticks for n in notes}))
        earlier = seen.get(rhythm)
        if earlier is not None and (earlier.name, earlier.mood, earlier.bars) != (info.name, info.mood, info.bars):
            violators.append(f"section {info.index + 1} {info.name!r} plays section {earlier.index + 1}'s bass rhythm")
        seen.setdefault(rhythm, info)
    return violators, total


def ending_kinds(perf) -> dict[int, str]:
    """Each section's ending, from the first word of its cadence or pivot cue (one of ENDING_KINDS)."""
    kinds = {}
    for cue in sorted(perf.music_cues, key=lambda c: c.at_ticks):
        word = cue.text.split(" ", 1)[0]
        if cue.kind in ("cadence", "pivot") and word in ENDING_KINDS:
            kinds[cue.section] = word
    return kinds


@rule("ending-variety")
def ending_variety(perf) -> tuple[list, int]:
    """Every section names its ending; no kind ends more than 40 % of the sections (from five on);
    the finale closes with an authentic cadence."""
    kinds = ending_kinds(perf)
    violators = [f"section {i.index + 1} {i.name!r}: no ending named" for i in perf.sections if i.index not in kinds]
    counts = Counter(kinds.values())
    if len(perf.sections) >= MIN_SECTIONS_FOR_VARIETY:
        violators += [f"{kind} ends {n} of {len(perf.sections)} sections" for kind, n in counts.items()
                      if n > MAX_ENDING_SHARE * len(perf.sections)]
    if perf.sections and kinds.get(perf.sections[-1].index) != "authentic":
        violators.append(f"the finale ends {kinds.get(perf.sections[-1].index)}, not authentic")
    return violators, len(perf.sections)


OWN_MOTIF = "melody: the section's own motif, "


def statements(perf) -> dict[str, list[tuple[str, list]]]:
    """Each theme's statements in show order: (how the cue says it is played, its melody notes). A
    section without named themes sings a motif of its own, which counts as a theme of that section."""
    roles = _roles(perf)
    melody = sorted((n for n in perf.notes if roles[n.part] == "melody"), key=lambda n: n.start_ticks)
    found = defaultdict(list)
    for cue in sorted(perf.music_cues, key=lambda c: c.at_ticks):
        if cue.kind != "motif":
            continue
        if cue.text.startswith(OWN_MOTIF):
            label, how = f"section {cue.section + 1}'s own motif", cue.text[len(OWN_MOTIF):]
        else:
            label, how = cue.text.split(": ", 1)
        notes = [n for n in melody if cue.at_ticks <= n.start_ticks < cue.at_ticks + cue.length_ticks]
        found[label].append((how, notes))
    return found


def interval_classes(perf, notes) -> tuple[int, ...]:
    """The line's generic interval classes: scale steps between successive notes in the section's
    key, direction and octave folded (0 unison, 1 second, 2 third, 3 fourth). Generic, so a theme
    moved along the scale keeps them; chromatic passing notes are skipped."""
    steps = []
    for note in notes:
        info = perf.sections[note.section]
        key = scale(info.tonic, info.mode)
        step = key.step_of(note.pitch, 60 + key.tonic_pc)
        if step is not None:
            steps.append(step)
    classes = []
    for a, b in zip(steps, steps[1:]):
        size = abs(b - a) % 7
        classes.append(min(size, 7 - size))
    return tuple(classes)


def similarity(perf, first, later) -> float:
    """How much of a later statement keeps the first one's interval classes in order: the share of
    aligned intervals that match, forwards or backwards (a retrograde), over the shorter line."""
    a, b = interval_classes(perf, first), interval_classes(perf, later)
    size = min(len(a), len(b))
    if not size:
        return 0.0
    forwards = sum(x == y for x, y in zip(a, b))
    backwards = sum(x == y for x, y in zip(a[::-1], b))
    return max(forwards, backwards) / size


def developed(first, later) -> bool:
    """The contour (direction of each step) or the rhythm (time between onsets) changed."""
    def shape(notes):
        contour = tuple((b.pitch > a.pitch) - (b.pitch < a.pitch) for a, b in zip(notes, notes[1:]))
        rhythm = tuple(b.start_ticks - a.start_ticks for a, b in zip(notes, notes[1:]))
        return contour, rhythm
    (c1, r1), (c2, r2) = shape(first), shape(later)
    return c1 != c2 or r1 != r2


@rule("leitmotif-development")
def leitmotif_development(perf) -> tuple[list, int]:
    """A theme is first heard as written; at least half of its later statements are developed (contour
    or rhythm changed) and every later statement stays recognisable (interval-class similarity)."""
    violators, total = [], 0
    for label, heard in statements(perf).items():
        total += 1
        (how, first), later = heard[0], heard[1:]
        if how.split(" + ")[0] not in ("as written", "octave-up", "octave-down"):
            violators.append(f"{label}: first heard {how}")
        if len(first) < 3 or not later:
            continue
        changed = sum(developed(first, notes) for _, notes in later)
        if changed < DEVELOPED_SHARE * len(later):
            violators.append(f"{label}: {changed}/{len(later)} later statements developed")
        for how, notes in later:
            score = similarity(perf, first, notes)
            if len(notes) >= 3 and score < RECOGNISABLE:
                violators.append(f"{label} ({how}): interval-class similarity {score:.2f}")
    return violators, total


@rule("music-cue-kinds")
def music_cue_kinds(perf) -> tuple[list, int]:
    """Every music cue is of a kind the sheets know (performance.CUE_KINDS)."""
    violators = [f"{c.kind!r} cue at {c.at_ticks}" for c in perf.music_cues if c.kind not in CUE_KINDS]
    return violators, len(perf.music_cues)
