"""MusicXML through music21: a lead sheet with the choreography written above the melody.

Staves: the melody, the harmony (the chord parts reduced to one chord at a time) and the bass.
Every section starts with a rehearsal mark (its name), a tempo mark and, when they change, the
key and time signatures. Each dancer's moves are text expressions above the melody at their
beats, so MuseScore shows the dance under the music. Measures are built bar by bar from the
timeline, notes on a sixteenth grid, so writing stays fast and the file is repeatable.
"""

import re
from fractions import Fraction
from pathlib import Path

from ..performance import Note, Performance
from ..timeline import PPQ
from .files import write_atomic

GRID_TICKS = PPQ // 4  # sixteenth notes
_MELODY_NAMES = ("melody", "lead", "theme", "vocal", "motif")
_BASS_NAMES = ("bass",)
# Note values a measure is filled with, longest first (quarter lengths; dotted values included).
_VALUES = tuple(Fraction(v) for v in ("4", "3", "2", "3/2", "1", "3/4", "1/2", "1/4"))
_MINOR_MODES = {"harmonic minor": "minor", "melodic minor": "minor"}


def _quantize(ticks: int) -> int:
    return (ticks + GRID_TICKS // 2) // GRID_TICKS * GRID_TICKS


def _roles(perf: Performance) -> tuple[list[int], list[int], list[int]]:
    """Part indexes for the melody, harmony and bass staves (drums are left out)."""
    pitched = [i for i, p in enumerate(perf.parts) if not p.is_drums]
    by_name = {i: perf.parts[i].name.lower() for i in pitched}
    melody = [i for i in pitched if any(n in by_name[i] for n in _MELODY_NAMES)]
    bass = [i for i in pitched if any(n in by_name[i] for n in _BASS_NAMES) and i not in melody]
    if not melody and pitched:
        sums: dict[int, list[int]] = {i: [0, 0] for i in pitched}
        for note in perf.notes:
            if note.part in sums:
                sums[note.part][0] += note.pitch
                sums[note.part][1] += 1
        melody = [max(pitched, key=lambda i: (sums[i][0] / sums[i][1] if sums[i][1] else 0, -i))]
    harmony = [i for i in pitched if i not in melody and i not in bass]
    return melody, harmony, bass


def _voice(notes: list[Note], chordal: bool) -> list[tuple[int, int, tuple[int, ...]]]:
    """Notes → (start, end, pitches) segments on the grid, one sound at a time, no overlaps.

    A melody keeps the latest note when two overlap; a harmony staff keeps every pitch sounding
    over each stretch where the set of pitches stays the same.
    """
    spans = []
    for note in notes:
        start, end = _quantize(note.start_ticks), _quantize(note.end_ticks)
        if end <= start:
            end = start + GRID_TICKS
        spans.append((start, end, note.pitch))
    spans.sort()
    if not chordal:
        out = []
        for start, end, pitch in spans:
            if out and out[-1][1] > start:
                prev = out.pop()
                if start > prev[0]:
                    out.append((prev[0], start, prev[2]))
                elif prev[2][0] > pitch:  # same onset: keep the higher pitch
                    out.append(prev)
                    continue
            out.append((start, end, (pitch,)))
        return out
    cuts = sorted({t for s in spans for t in (s[0], s[1])})
    out, active, i = [], [], 0
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in active if s[1] > a]
        while i < len(spans) and spans[i][0] <= a:
            if spans[i][1] > a:
                active.append(spans[i])
            i += 1
        if active:
            pitches = tuple(sorted({s[2] for s in active}))[-6:]
            if out and out[-1][1] == a and out[-1][2] == pitches:
                out[-1] = (out[-1][0], b, pitches)
            else:
                out.append((a, b, pitches))
    return out


def _split(length: Fraction) -> list[Fraction]:
    """A length in quarters as standard note values (tied together by the caller)."""
    parts = []
    while length > 0:
        value = next((v for v in _VALUES if v <= length), length)
        parts.append(value)
        length -= value
    return parts


def _key(tonic: str, mode: str):
    """A key for major and minor; other modes only as their key signature (MuseScore 3 reads no modes)."""
    from music21 import key
    found = key.Key(tonic, _MINOR_MODES.get(mode, mode))
    return found if found.mode in ("major", "minor") else key.KeySignature(found.sharps)


_SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_FLAT_NAMES = ("C", "D-", "D", "E-", "E", "F", "G-", "G", "A-", "A", "B-", "B")


def _spell(midi: int, flats: bool) -> str:
    """A MIDI pitch as a music21 name, sharps or flats after the key signature (cheaper than music21's search)."""
    return f"{(_FLAT_NAMES if flats else _SHARP_NAMES)[midi % 12]}{midi // 12 - 1}"


def _fill_measure(measure, events, bar_start: int, bar_end: int, m21, flats: bool):
    """Put (start, end, pitches) events of one bar into a measure, with rests in between and ties across."""
    note, chord, note_rest, tie = m21
    if not any(min(e[1], bar_end) > max(e[0], bar_start) for e in events):
        whole = note_rest(quarterLength=Fraction(bar_end - bar_start, PPQ))
        whole.fullMeasure = True  # said outright: music21's own check searches the whole stream per rest
        measure.append(whole)
        return
    now = bar_start
    for start, end, pitches in events:
        start, end = max(start, bar_start), min(end, bar_end)
        if end <= start:
            continue
        if start > now:
            for value in _split(Fraction(start - now, PPQ)):
                measure.append(_rest(note_rest, value))
        values = _split(Fraction(end - start, PPQ))
        for k, value in enumerate(values):
            names = [_spell(p, flats) for p in pitches]
            sound = note(names[0], quarterLength=value) if len(names) == 1 else chord(names, quarterLength=value)
            tied_before = k > 0 or events_started_before(start, bar_start, events, pitches)
            tied_after = k < len(values) - 1 or end == bar_end and _continues(events, bar_end, pitches)
            if tied_before and tied_after:
                sound.tie = tie("continue")
            elif tied_after:
                sound.tie = tie("start")
            elif tied_before:
                sound.tie = tie("stop")
            measure.append(sound)
        now = end
    if now < bar_end:
        for value in _split(Fraction(bar_end - now, PPQ)):
            measure.append(_rest(note_rest, value))


def _rest(note_rest, value: Fraction):
    rest = note_rest(quarterLength=value)
    rest.fullMeasure = False
    return rest


def events_started_before(start: int, bar_start: int, events, pitches) -> bool:
    """True when this bar's piece of a sound began in an earlier bar."""
    return start == bar_start and any(e[0] < bar_start < e[1] and e[2] == pitches for e in events)


def _continues(events, bar_end: int, pitches) -> bool:
    return any(e[0] < bar_end < e[1] and e[2] == pitches for e in events)


def _bars(perf: Performance):
    """(section index, bar number, start ticks, end ticks) for every bar of the show."""
    for index, laid in enumerate(perf.timeline.sections):
        for b in range(laid.bars):
            start = laid.start_ticks + b * laid.meter.bar_ticks
            yield index, laid.first_bar + b, start, start + laid.meter.bar_ticks


def _events_by_bar(events, bars):
    """Events grouped by the bars they sound in (an event crossing a barline goes to each)."""
    starts = [b[2] for b in bars]
    from bisect import bisect_right
    grouped: list[list] = [[] for _ in bars]
    for event in events:
        first = max(bisect_right(starts, event[0]) - 1, 0)
        for i in range(first, len(bars)):
            if bars[i][2] >= event[1]:
                break
            grouped[i].append(event)
    return grouped


def _dance_texts(perf: Performance, bars) -> list[dict[int, list[str]]]:
    """Per bar: tick offset in the bar → the move texts starting there, in cast order."""
    order = {d.name: i for i, d in enumerate(perf.cast)}
    starts = [b[2] for b in bars]
    from bisect import bisect_right
    texts: list[dict[int, list[str]]] = [{} for _ in bars]
    for cue in sorted(perf.cues, key=lambda c: (c.start_ticks, order.get(c.dancer, 99), c.dancer)):
        i = max(bisect_right(starts, cue.start_ticks) - 1, 0)
        offset = _quantize(cue.start_ticks - bars[i][2])
        offset = min(offset, bars[i][3] - bars[i][2] - GRID_TICKS)
        texts[i].setdefault(offset, []).append(f"{cue.dancer}: {cue.name}")
    return texts


def to_score(perf: Performance):
    """The music21 Score of the performance."""
    from music21 import chord, clef, expressions, instrument, metadata, meter, note, stream, tempo, tie

    m21 = (note.Note, chord.Chord, note.Rest, tie.Tie)
    bars = list(_bars(perf))
    melody, harmony, bass = _roles(perf)
    staves = [("Melody", melody, False), ("Harmony", harmony, True), ("Bass", bass, False)]
    staves = [s for s in staves if s[1]] or [("Melody", [], False)]
    by_part: dict[int, list[Note]] = {}
    for n in perf.notes:
        by_part.setdefault(n.part, []).append(n)
    dance = _dance_texts(perf, bars)

    score = stream.Score(id="show")
    score.metadata = metadata.Metadata(title=perf.title, composer="sequencer")
    score.metadata.movementName = perf.title
    for staff_index, (label, parts, chordal) in enumerate(staves):
        notes = [n for p in parts for n in by_part.get(p, ())]
        events = _voice(notes, chordal)
        grouped = _events_by_bar(events, bars)
        part = stream.Part(id=f"P{staff_index + 1}")
        part.partName = label
        inst = instrument.Instrument()
        inst.partName = label
        inst.instrumentName = label
        part.insert(0, inst)
        mean = sum(n.pitch for n in notes) / len(notes) if notes else 72
        first_measure = True
        meter_text = key_text = None
        flats = False
        for (section, number, start, end), bar_events, dance_here in zip(bars, grouped, dance):
            measure = stream.Measure(number=number)
            info = perf.sections[section]
            if first_measure:
                measure.insert(0, clef.BassClef() if mean < 55 else clef.TrebleClef())
                first_measure = False
            if info.meter != meter_text:
                measure.insert(0, meter.TimeSignature(info.meter))
                meter_text = info.meter
            if info.key != key_text:
                signature = _key(info.tonic, info.mode)
                measure.insert(0, signature)
                key_text, flats = info.key, signature.sharps < 0
            if start == info.start_ticks and staff_index == 0:
                measure.insert(0, expressions.RehearsalMark(info.name))
                measure.insert(0, _tempo_mark(perf, section, tempo))
                if round(info.tempo_start_bpm) != round(info.tempo_end_bpm):
                    word = "accel." if info.tempo_end_bpm > info.tempo_start_bpm else "rit."
                    ramp = expressions.TextExpression(f"{word} to {info.tempo_end_bpm:.0f}")
                    ramp.placement = "above"
                    measure.insert(0, ramp)
            _fill_measure(measure, bar_events, start, end, m21, flats)
            if staff_index == 0:
                for offset, lines in sorted(dance_here.items()):
                    words = expressions.TextExpression(" / ".join(lines))
                    words.placement = "above"
                    words.style.fontSize = 8
                    measure.insert(Fraction(offset, PPQ), words)
            part.append(measure)
        score.insert(0, part)
    return score


def _tempo_mark(perf: Performance, section: int, tempo_module):
    from music21 import duration
    info = perf.sections[section]
    laid = perf.timeline.sections[section]
    referent = duration.Duration(Fraction(laid.meter.beat_ticks, PPQ))
    mark = tempo_module.MetronomeMark(number=round(info.tempo_start_bpm), referent=referent)
    mark.placement = "above"
    return mark


_DATE = re.compile(rb"<encoding-date>[^<]*</encoding-date>")
_RANDOM_ID = re.compile(rb"\b([PI])[0-9a-f]{32}\b")


def _stable_ids(data: bytes) -> bytes:
    """music21's random part and instrument ids → P1, I1, … in order of first appearance."""
    names: dict[bytes, bytes] = {}

    def rename(match):
        token = match.group(0)
        if token not in names:
            prefix = match.group(1)
            names[token] = prefix + str(sum(1 for k in names if k[:1] == prefix) + 1).encode()
        return names[token]
    return _RANDOM_ID.sub(rename, data)


def to_bytes(perf: Performance) -> bytes:
    """MusicXML bytes with music21's date stamp and random ids fixed, so the same show gives the same file."""
    from music21.musicxml.m21ToXml import GeneralObjectExporter
    exporter = GeneralObjectExporter(to_score(perf))
    exporter.makeNotation = False  # measures, rests and ties are already complete; music21's pass is slow
    data = exporter.parse()
    return _stable_ids(_DATE.sub(b"<encoding-date>2000-01-01</encoding-date>", data))


def write(perf: Performance, path: Path):
    write_atomic(Path(path), to_bytes(perf))
