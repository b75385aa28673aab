"""MusicXML written directly from the Performance: a dance staff, then every part of the band.

The dance staff (one line) carries a note wherever a move starts, with one lyrics line per
dancer naming the move, so notation programs space and wrap them like words; a move danced by
everyone at once is written once, as "all". The band follows: melody, harmony, pad and bass on
pitched staves (a sixteenth-note grid), drums on a percussion staff with an instrument per GM
drum sound. Sections start with a rehearsal mark and a tempo mark; the harmony (cadences,
pivots, key changes) is written as words above the top pitched staff, where musicians look.
No music21 here: the file is built as text, bar by bar, so an hour-long show takes well under
a second and the same show gives the same bytes.
"""

from bisect import bisect_right
from pathlib import Path
from xml.sax.saxutils import escape

from ..performance import CUE_KINDS, Note, Performance
from ..timeline import PPQ
from .files import write_atomic

GRID_TICKS = PPQ // 4  # sixteenth notes
DIVISIONS = PPQ // GRID_TICKS  # MusicXML divisions per quarter note
_TYPES = {16: ("whole", 0), 12: ("half", 1), 8: ("half", 0), 6: ("quarter", 1), 4: ("quarter", 0),
          3: ("eighth", 1), 2: ("eighth", 0), 1: ("16th", 0)}  # grid units → (type, dots), longest first
_STAFF_ORDER = ("melody", "harmony", "pad", "bass", "drums")
_SHARPS = (("C", 0), ("C", 1), ("D", 0), ("D", 1), ("E", 0), ("F", 0), ("F", 1), ("G", 0), ("G", 1), ("A", 0),
           ("A", 1), ("B", 0))
_FLATS = (("C", 0), ("D", -1), ("D", 0), ("E", -1), ("E", 0), ("F", 0), ("G", -1), ("G", 0), ("A", -1), ("A", 0),
          ("B", -1), ("B", 0))

# GM drum sounds: name, and where a percussion staff shows them (step, octave, notehead).
DRUMS: dict[int, tuple[str, str, int, str]] = {
    35: ("Acoustic Bass Drum", "E", 4, "normal"), 36: ("Bass Drum 1", "F", 4, "normal"),
    37: ("Side Stick", "C", 5, "x"), 38: ("Acoustic Snare", "C", 5, "normal"), 39: ("Hand Clap", "B", 4, "x"),
    40: ("Electric Snare", "C", 5, "normal"), 41: ("Low Floor Tom", "G", 4, "normal"),
    42: ("Closed Hi-Hat", "G", 5, "x"), 43: ("High Floor Tom", "A", 4, "normal"), 44: ("Pedal Hi-Hat", "D", 4, "x"),
    45: ("Low Tom", "B", 4, "normal"), 46: ("Open Hi-Hat", "G", 5, "circle-x"), 47: ("Low-Mid Tom", "D", 5, "normal"),
    48: ("Hi-Mid Tom", "E", 5, "normal"), 49: ("Crash Cymbal 1", "A", 5, "x"), 50: ("High Tom", "F", 5, "normal"),
    51: ("Ride Cymbal 1", "F", 5, "x"), 52: ("Chinese Cymbal", "C", 6, "x"), 53: ("Ride Bell", "F", 5, "diamond"),
    54: ("Tambourine", "E", 5, "x"), 55: ("Splash Cymbal", "B", 5, "x"), 56: ("Cowbell", "E", 5, "triangle"),
    57: ("Crash Cymbal 2", "B", 5, "x"), 58: ("Vibraslap", "D", 5, "x"), 59: ("Ride Cymbal 2", "D", 6, "x"),
    60: ("Hi Bongo", "E", 5, "normal"), 61: ("Low Bongo", "D", 5, "normal"), 62: ("Mute Hi Conga", "E", 5, "x"),
    63: ("Open Hi Conga", "E", 5, "normal"), 64: ("Low Conga", "D", 5, "normal"), 65: ("High Timbale", "F", 5, "normal"),
    66: ("Low Timbale", "E", 5, "normal"), 67: ("High Agogo", "B", 5, "triangle"), 68: ("Low Agogo", "A", 5, "triangle"),
    69: ("Cabasa", "G", 5, "slash"), 70: ("Maracas", "A", 5, "slash"), 71: ("Short Whistle", "C", 6, "normal"),
    72: ("Long Whistle", "C", 6, "diamond"), 73: ("Short Guiro", "G", 5, "slash"), 74: ("Long Guiro", "G", 5, "diamond"),
    75: ("Claves", "B", 5, "normal"), 76: ("Hi Wood Block", "C", 6, "triangle"), 77: ("Low Wood Block", "B", 5, "triangle"),
    78: ("Mute Cuica", "A", 5, "normal"), 79: ("Open Cuica", "A", 5, "diamond"), 80: ("Mute Triangle", "A", 5, "triangle"),
    81: ("Open Triangle", "A", 5, "triangle"),
}
_FALLBACK_DRUM = 38  # a drum sound outside the GM set is shown as the snare
_DANCE_DRUM = 76  # the dance staff's silent instrument (a wood block, at volume 0)
_STEPS = "CDEFGAB"
_FEET = {35, 36, 44}  # kicks and the pedal hi-hat: the drummer's feet, the lower voice


def drum_places(pitches) -> dict[int, tuple[str, int]]:
    """Where each drum sound used sits on the staff: its usual place, else the nearest free one.

    Two sounds on one place would collide in a chord (MuseScore refuses the second).
    """
    taken: dict[int, int] = {}
    for pitch in sorted(pitches, key=lambda p: (p not in (35, 36, 38, 42, 49, 51), p)):
        _, step, octave, _ = DRUMS[pitch]
        home = octave * 7 + _STEPS.index(step)
        for distance in range(0, 20):
            spot = next((s for s in (home + distance, home - distance) if s not in taken.values()), None)
            if spot is not None:
                taken[pitch] = spot
                break
    return {p: (_STEPS[spot % 7], spot // 7) for p, spot in taken.items()}


def _quantize(ticks: int) -> int:
    return (ticks + GRID_TICKS // 2) // GRID_TICKS * GRID_TICKS


def part_role(part) -> str:
    """A part's job in the band: its `role` if it has one, else from its channel and name."""
    role = getattr(part, "role", "")
    if role:
        return role
    name = part.name.lower()
    if part.is_drums:
        return "drums"
    if "bass" in name:
        return "bass"
    if any(word in name for word in ("lead", "melody", "theme", "vocal", "motif")):
        return "melody"
    return "pad" if "pad" in name else "harmony"


def _voice(notes: list[Note], chordal: bool) -> list[tuple[int, int, tuple[int, ...]]]:
    """Notes → (start, end, pitches) segments on the grid, one sound at a time, no overlaps.

    A melody keeps the latest note when two overlap; a harmony staff keeps every pitch sounding
    over each stretch where the set of pitches stays the same.
    """
    spans = sorted((s, max(_quantize(n.end_ticks), s + GRID_TICKS), n.pitch)
                   for n in notes for s in (_quantize(n.start_ticks),))
    if not chordal:
        out: list[tuple[int, int, tuple[int, ...]]] = []
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


def _hits(notes: list[Note], bar_starts: list[int]) -> list[tuple[int, int, tuple[int, ...]]]:
    """Drum notes → one chord per onset and voice (hands, feet), lasting to that voice's next onset.

    A chord lasts at most a quarter and never past its bar.
    """
    hands = [n for n in notes if n.pitch not in _FEET]
    feet = [n for n in notes if n.pitch in _FEET]
    return sorted(_onsets(hands, bar_starts) + _onsets(feet, bar_starts))


def _onsets(notes: list[Note], bar_starts: list[int]) -> list[tuple[int, int, tuple[int, ...]]]:
    onsets: dict[int, set[int]] = {}
    for note in notes:
        onsets.setdefault(_quantize(note.start_ticks), set()).add(note.pitch if note.pitch in DRUMS else _FALLBACK_DRUM)
    times = sorted(onsets)
    out = []
    for i, at in enumerate(times):
        bar_end = bar_starts[bisect_right(bar_starts, at)] if bisect_right(bar_starts, at) < len(bar_starts) else at + PPQ
        end = min(times[i + 1] if i + 1 < len(times) else at + PPQ, at + PPQ, bar_end)
        out.append((at, end, tuple(sorted(onsets[at]))))
    return out


def _values(units: int) -> list[int]:
    """A length in grid units as standard note values, longest first (tied together by the caller)."""
    out = []
    while units > 0:
        value = next(v for v in _TYPES if v <= units)
        out.append(value)
        units -= value
    return out


class _Writer:
    """Builds the XML text of one performance."""

    def __init__(self, perf: Performance):
        self.perf = perf
        self.bars = []  # (section, bar number, start, end)
        for index, laid in enumerate(perf.timeline.sections):
            for b in range(laid.bars):
                start = laid.start_ticks + b * laid.meter.bar_ticks
                self.bars.append((index, laid.first_bar + b, start, start + laid.meter.bar_ticks))
        self.starts = [b[2] for b in self.bars]
        self.out: list[str] = []
        self.pid = ""
        self.places: dict[int, tuple[str, int]] = {}  # drum sound → (display step, octave) in the current part

    def by_bar(self, events) -> list[list]:
        """Events grouped by the bars they sound in (an event crossing a barline goes to each)."""
        grouped: list[list] = [[] for _ in self.bars]
        for event in events:
            i = max(bisect_right(self.starts, event[0]) - 1, 0)
            while i < len(self.bars) and self.bars[i][2] < event[1]:
                grouped[i].append(event)
                i += 1
        return grouped

    # -- one measure -----------------------------------------------------------------------------
    def attributes(self, index: int, bar: int, first: bool, clef: str):
        section = self.perf.sections[self.bars[index][0]]
        previous = self.perf.sections[self.bars[index - 1][0]] if index else None
        parts = []
        if first:
            parts.append(f"<divisions>{DIVISIONS}</divisions>")
        if first or (previous.key_sharps, previous.key_minor) != (section.key_sharps, section.key_minor):
            mode = "minor" if section.key_minor else "major"
            parts.append(f"<key><fifths>{section.key_sharps}</fifths><mode>{mode}</mode></key>")
        if first or previous.meter != section.meter:
            beats, beat_type = section.meter.split("/")
            parts.append(f"<time><beats>{beats}</beats><beat-type>{beat_type}</beat-type></time>")
        if first:
            parts.append(clef)
        if parts:
            self.out.append("<attributes>" + "".join(parts) + "</attributes>")

    def sound(self, kind: str, midi: int, flats: bool) -> str:
        """A note's pitch element: a pitch, a drum's place on the percussion staff, or the dance line."""
        if kind == "pitched":
            step, alter = (_FLATS if flats else _SHARPS)[midi % 12]
            return (f"<pitch><step>{step}</step>" + (f"<alter>{alter}</alter>" if alter else "")
                    + f"<octave>{midi // 12 - 1}</octave></pitch>")
        step, octave = self.places.get(midi, ("E", 4))
        return f"<unpitched><display-step>{step}</display-step><display-octave>{octave}</display-octave></unpitched>"

    def notes(self, events, bar_start: int, bar_end: int, kind: str, flats: bool = False, voice: int = 1):
        """The bar's events as notes, rests between, ties where a sound crosses a value or a barline.

        `kind` is "pitched", "drums" or "dance"; `events` are (start, end, pitches[, lyrics]).
        """
        out = self.out
        if not any(min(e[1], bar_end) > max(e[0], bar_start) for e in events):
            out.append(f'<note><rest measure="yes"/><duration>{(bar_end - bar_start) // GRID_TICKS}</duration>'
                       f"<voice>{voice}</voice></note>")
            return
        now = bar_start
        for event in events:
            start, end = max(event[0], bar_start), min(event[1], bar_end)
            if end <= start:
                continue
            if start > now:
                self.rests(start - now, voice)
            values = _values((end - start) // GRID_TICKS)
            for k, value in enumerate(values):
                before = k > 0 or event[0] < bar_start
                after = k < len(values) - 1 or event[1] > bar_end
                for j, pitch in enumerate(event[2]):
                    name, dots = _TYPES[value]
                    xml = ["<note>", "<chord/>" if j else "", self.sound(kind, pitch, flats),
                           f"<duration>{value}</duration>"]
                    if kind != "drums":
                        xml += ['<tie type="stop"/>' if before else "", '<tie type="start"/>' if after else ""]
                    xml += [f'<instrument id="{self.pid}-I{pitch}"/>' if kind != "pitched" else "",
                            f"<voice>{voice}</voice>", f"<type>{name}</type>", "<dot/>" * dots]
                    if kind == "drums":
                        xml.append(f"<stem>{'up' if voice == 1 else 'down'}</stem>"
                                   f"<notehead>{DRUMS[pitch][3]}</notehead>")
                    elif kind == "dance":
                        xml.append("<stem>none</stem>")
                    if kind != "drums" and (before or after):
                        xml.append("<notations>" + ('<tied type="stop"/>' if before else "")
                                   + ('<tied type="start"/>' if after else "") + "</notations>")
                    if len(event) > 3 and k == 0 and j == 0 and event[0] >= bar_start:
                        xml += [f'<lyric number="{n}"><syllabic>single</syllabic><text>{escape(t)}\u00a0\u00a0</text></lyric>'
                                for n, t in event[3]]
                    xml.append("</note>")
                    out.append("".join(xml))
            now = end
        if now < bar_end:
            self.rests(bar_end - now, voice)

    def rests(self, ticks: int, voice: int = 1):
        for value in _values(ticks // GRID_TICKS):
            kind, dots = _TYPES[value]
            self.out.append(f"<note><rest/><duration>{value}</duration><voice>{voice}</voice><type>{kind}</type>"
                            + "<dot/>" * dots + "</note>")

    def words(self, offset_ticks: int, text: str, placement: str = "above", right: bool = False):
        """Words at an offset in the bar: long ones in short lines, ending at the offset when `right`."""
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + 1 + len(word) > 28:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        text = "\n".join(lines + [line])
        justify = ' justify="right"' if right else ""
        self.direction(offset_ticks, f"<words{justify}>{escape(text)}</words>", placement)

    def direction(self, offset_ticks: int, content: str, placement: str = "above", sound: str = ""):
        offset = f"<offset>{offset_ticks // GRID_TICKS}</offset>" if offset_ticks else ""
        self.out.append(f'<direction placement="{placement}"><direction-type>{content}</direction-type>'
                        f"{offset}{sound}</direction>")

    def section_marks(self, index: int):
        """A section's rehearsal mark, tempo mark and ramp, at its first bar."""
        section_index, _, start, _ = self.bars[index]
        info = self.perf.sections[section_index]
        if start != info.start_ticks:
            return
        # The number as the rehearsal mark (MuseScore centres marks, so a long name would leave the page),
        # the name beside it as words.
        self.direction(0, f"<rehearsal>{section_index + 1}</rehearsal>")
        self.direction(0, f'<words font-weight="bold">{escape(info.name)}</words>')
        laid = self.perf.timeline.sections[section_index]
        dotted = laid.meter.count_ticks == PPQ * 3 // 2
        unit = ("quarter" if dotted else {PPQ: "quarter", PPQ // 2: "eighth", PPQ * 2: "half"}.get(
            laid.meter.count_ticks, "quarter"))
        bpm = round(info.tempo_start_bpm)
        quarter_bpm = round(info.tempo_start_bpm * laid.meter.count_ticks / PPQ, 2)
        self.direction(0, f"<metronome><beat-unit>{unit}</beat-unit>{'<beat-unit-dot/>' if dotted else ''}"
                          f"<per-minute>{bpm}</per-minute></metronome>", sound=f'<sound tempo="{quarter_bpm:g}"/>')
        if round(info.tempo_start_bpm) != round(info.tempo_end_bpm):
            word = "accel." if info.tempo_end_bpm > info.tempo_start_bpm else "rit."
            self.words(0, f"{word} to {info.tempo_end_bpm:.0f}")

    # -- parts -----------------------------------------------------------------------------------
    def part(self, pid: str, events, clef: str, kind: str, marks=None, top: bool = False):
        """One `<part>`: every bar, with its attributes, marks (offset → words) and notes."""
        self.pid = pid
        self.out.append(f'<part id="{pid}">')
        feet = [e for e in events if set(e[2]) <= _FEET] if kind == "drums" else []
        grouped = self.by_bar([e for e in events if not set(e[2]) <= _FEET] if feet else events)
        grouped_feet = self.by_bar(feet) if feet else [[] for _ in self.bars]
        for i, ((section, number, start, end), bar_events) in enumerate(zip(self.bars, grouped)):
            self.out.append(f'<measure number="{number}">')
            self.attributes(i, number, i == 0, clef)
            if top:
                self.section_marks(i)
            for offset, text in (marks or {}).get(i, ()):
                self.words(offset, text, right=offset * 2 >= end - start)
            info = self.perf.sections[section]
            self.notes(bar_events, start, end, kind, info.key_sharps < 0)
            if grouped_feet[i]:  # the kick and the pedal hi-hat in a second voice, stems down
                self.out.append(f"<backup><duration>{(end - start) // GRID_TICKS}</duration></backup>")
                self.notes(grouped_feet[i], start, end, kind, voice=2)
            self.out.append("</measure>")
        self.out.append("</part>")

    def dance_events(self) -> list[tuple]:
        """(start, end, (0,), lyrics) at every move start; lyrics are (line, text), "all" once for unison."""
        perf = self.perf
        lines = {d.name: i + 1 for i, d in enumerate(perf.cast)}
        starts: dict[int, list] = {}
        named: set[tuple[int, str]] = set()  # (section, dancer) already named in a lyric
        for cue in perf.cues:
            starts.setdefault(_quantize(cue.start_ticks), []).append(cue)
        times = sorted(starts)
        events = []
        for i, at in enumerate(times):
            bar = max(bisect_right(self.starts, at) - 1, 0)
            end = min(times[i + 1] if i + 1 < len(times) else self.bars[bar][3], self.bars[bar][3])
            cues = sorted(starts[at], key=lambda c: (lines.get(c.dancer, 99), c.dancer))
            section = perf.sections[cues[0].section]
            lyrics = []
            if len(cues) > 1 and len(cues) == len(section.dancers) and len({c.name for c in cues}) == 1:
                lyrics.append((1, f"all: {_move_text(cues[0])}"))
            else:
                for cue in cues:
                    first = (cue.section, cue.dancer) not in named
                    named.add((cue.section, cue.dancer))
                    lyrics.append((lines.get(cue.dancer, len(lines) + 1),
                                   f"{cue.dancer}: {_move_text(cue)}" if first else _move_text(cue)))
            events.append((at, max(end, at + GRID_TICKS), (_DANCE_DRUM,), tuple(lyrics)))
        return events

    def harmony_marks(self) -> dict[int, list[tuple[int, str]]]:
        """Bar index → (offset, words) of the cues meant for musicians: cadences, pivots, key changes."""
        marks: dict[int, list[tuple[int, str]]] = {}
        for cue in self.perf.music_cues:
            if CUE_KINDS.get(cue.kind, ("dancer",))[0] != "musician":
                continue
            i = max(bisect_right(self.starts, cue.at_ticks) - 1, 0)
            marks.setdefault(i, []).append((_quantize(cue.at_ticks - self.bars[i][2]), cue.text or cue.kind))
        return marks

    def write(self) -> str:
        perf = self.perf
        by_part: dict[int, list[Note]] = {}
        for n in perf.notes:
            by_part.setdefault(n.part, []).append(n)
        order = sorted(range(len(perf.parts)), key=lambda i: (_STAFF_ORDER.index(part_role(perf.parts[i]))
                                                                if part_role(perf.parts[i]) in _STAFF_ORDER else 9, i))
        staves = [("P1", "Dance", None)] + [(f"P{k + 2}", perf.parts[i].name.capitalize(), i)
                                           for k, i in enumerate(order)]
        out = self.out
        out += ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
                '<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 3.1 Partwise//EN" '
                '"http://www.musicxml.org/dtds/partwise.dtd">',
                '<score-partwise version="3.1">',
                f"<work><work-title>{escape(perf.title)}</work-title></work>",
                f"<movement-title>{escape(perf.title)}</movement-title>",
                '<identification><creator type="composer">sequencer</creator><encoding>'
                "<software>sequencer</software><encoding-date>2000-01-01</encoding-date></encoding></identification>",
                "<part-list>"]
        drums_used = {p: sorted({n.pitch if n.pitch in DRUMS else _FALLBACK_DRUM for n in by_part.get(p, ())})
                      for p in range(len(perf.parts)) if perf.parts[p].is_drums}
        for pid, name, i in staves:
            out.append(f'<score-part id="{pid}"><part-name>{escape(name)}</part-name>')
            if i is None:
                out.append(f'<score-instrument id="P1-I{_DANCE_DRUM}"><instrument-name>Dance</instrument-name>'
                           f'</score-instrument><midi-instrument id="P1-I{_DANCE_DRUM}"><midi-channel>10</midi-channel>'
                           f"<midi-unpitched>{_DANCE_DRUM + 1}</midi-unpitched><volume>0</volume></midi-instrument>")
            elif i in drums_used:
                out += [f'<score-instrument id="{pid}-I{p}"><instrument-name>{DRUMS[p][0]}</instrument-name>'
                        "</score-instrument>" for p in drums_used[i]]
                out += [f'<midi-instrument id="{pid}-I{p}"><midi-channel>10</midi-channel>'
                        f"<midi-unpitched>{p + 1}</midi-unpitched></midi-instrument>" for p in drums_used[i]]
            else:
                part = perf.parts[i]
                out.append(f'<score-instrument id="{pid}-I1"><instrument-name>{escape(name)}</instrument-name>'
                           f'</score-instrument><midi-instrument id="{pid}-I1"><midi-channel>{part.channel + 1}'
                           f"</midi-channel><midi-program>{part.program + 1}</midi-program></midi-instrument>")
            out.append("</score-part>")
        out.append("</part-list>")
        one_line = ('<clef><sign>percussion</sign></clef><staff-details><staff-lines>1</staff-lines>'
                    "</staff-details>")
        self.places = {_DANCE_DRUM: ("E", 4)}
        self.part("P1", self.dance_events(), one_line, "dance", top=True)
        harmony = self.harmony_marks()
        for k, (pid, _, i) in enumerate(staves[1:]):
            notes = by_part.get(i, [])
            role = part_role(perf.parts[i])
            if i in drums_used:
                self.places = drum_places(drums_used[i])
                self.part(pid, _hits(notes, self.starts), "<clef><sign>percussion</sign></clef>", "drums")
                continue
            mean = sum(n.pitch for n in notes) / len(notes) if notes else 72
            clef = "<clef><sign>F</sign><line>4</line></clef>" if mean < 55 else "<clef><sign>G</sign><line>2</line></clef>"
            self.part(pid, _voice(notes, role in ("harmony", "pad")), clef, "pitched", harmony if k == 0 else None)
        out.append("</score-partwise>")
        return "\n".join(out) + "\n"


def _move_text(cue) -> str:
    return cue.name + (" ↔" if cue.mirrored else "")


def to_bytes(perf: Performance) -> bytes:
    """The performance as MusicXML 3.1 (partwise) bytes."""
    return _Writer(perf).write().encode("utf-8")


def write(perf: Performance, path: Path):
    write_atomic(Path(path), to_bytes(perf))
