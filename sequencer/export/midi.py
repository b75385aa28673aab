"""MIDI export with mido: a type 1 file a DAW opens with the show's structure visible.

Track 0 (conductor) holds tempo changes, time and key signatures and a marker at every section
start; then one track per instrument (drums on channel 10) and one per dancer whose cue-point
and lyric events name each move ("Bakhyt: windmill") at its start.
"""

from io import BytesIO

import mido

from ..performance import Performance
from ..timeline import PPQ
from .files import write_atomic

_MAJOR_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_MINOR_NAMES = ("Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm")
_PITCH_CLASS = {"C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6, "Gb": 6,
                "G": 7, "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11}
# Semitones from the parent major scale's tonic to the mode's tonic.
_MODE_OFFSET = {"major": 0, "dorian": 2, "phrygian": 4, "lydian": 5, "mixolydian": 7, "locrian": 11}


def key_signature(tonic: str, mode: str) -> str:
    """mido's key name for a key signature: minor keys as minor, other modes by their parent major."""
    pc = _PITCH_CLASS[tonic]
    if mode in ("minor", "aeolian", "harmonic minor", "melodic minor"):
        return _MINOR_NAMES[pc]
    return _MAJOR_NAMES[(pc - _MODE_OFFSET[mode]) % 12]


def _track(name: str, events):
    """A track from (tick, order, message) events: sorted, delta-timed, end-of-track added."""
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name=name, time=0))
    now = 0
    for tick, _order, msg in sorted(events, key=lambda e: (e[0], e[1])):
        msg.time = tick - now
        now = tick
        track.append(msg)
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track


def _conductor(perf: Performance):
    events = []
    for change in perf.timeline.tempo_changes:
        events.append((change.at_ticks, 1, mido.MetaMessage("set_tempo", tempo=change.us_per_qn)))
    meter = key = None
    for sec, laid in zip(perf.sections, perf.timeline.sections):
        if str(laid.meter) != meter:
            meter = str(laid.meter)
            events.append((sec.start_ticks, 0, mido.MetaMessage(
                "time_signature", numerator=laid.meter.numerator, denominator=laid.meter.denominator,
                clocks_per_click=24 * laid.meter.beat_ticks // PPQ, notated_32nd_notes_per_beat=8)))
        if key_signature(sec.tonic, sec.mode) != key:
            key = key_signature(sec.tonic, sec.mode)
            events.append((sec.start_ticks, 2, mido.MetaMessage("key_signature", key=key)))
        events.append((sec.start_ticks, 3, mido.MetaMessage("marker", text=sec.name)))
    events.append((perf.end_ticks, 9, mido.MetaMessage("marker", text="End")))
    return _track(perf.title, events)


def _part_track(perf: Performance, index: int):
    part = perf.parts[index]
    events = [(0, 0, mido.Message("program_change", skip_checks=True, channel=part.channel,
                                  program=part.program, time=0))]
    channel = part.channel
    for note in perf.notes:
        if note.part != index:
            continue
        # note_off sorts before note_on at the same tick, so repeated notes re-strike cleanly.
        events.append((note.start_ticks, 2, mido.Message("note_on", skip_checks=True, channel=channel,
                                                         note=note.pitch, velocity=note.velocity, time=0)))
        events.append((note.end_ticks, 1, mido.Message("note_off", skip_checks=True, channel=channel,
                                                       note=note.pitch, velocity=0, time=0)))
    return _track(part.name, events)


def _dancer_track(perf: Performance, dancer: str):
    events = []
    for cue in perf.cues_of(dancer):
        text = f"{dancer}: {cue.move}"
        events.append((cue.start_ticks, 0, mido.MetaMessage("cue_marker", text=text)))
        events.append((cue.start_ticks, 1, mido.MetaMessage("lyrics", text=text)))
    return _track(f"{dancer} (dance)", events)


def to_midifile(perf: Performance) -> mido.MidiFile:
    midi = mido.MidiFile(type=1, ticks_per_beat=PPQ, charset="utf-8")
    midi.tracks.append(_conductor(perf))
    for index in range(len(perf.parts)):
        midi.tracks.append(_part_track(perf, index))
    for dancer in perf.cast:
        midi.tracks.append(_dancer_track(perf, dancer.name))
    return midi


def to_bytes(perf: Performance) -> bytes:
    """The file's bytes; text (names, markers, cues) is UTF-8, which is plain ASCII for ASCII names."""
    buffer = BytesIO()
    to_midifile(perf).save(file=buffer)
    return buffer.getvalue()


def write(perf: Performance, path):
    write_atomic(path, to_bytes(perf))
