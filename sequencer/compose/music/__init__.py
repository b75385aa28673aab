"""The band: each section's mood becomes drums, bass, keys, a pad and a lead line.

`arrange` walks the sections in order. For each it decides the form (fills, crashes, stabs, how
it ends), the chords (with a cadence or pivot into the next key), then lets every player play
over them; the keys carry their last voicing into the next section so the harmony leads on.
At the end, notes of one pitch on one channel are made not to overlap.
"""

from dataclasses import dataclass, replace
from operator import attrgetter

from ...performance import Hit, MusicCue, Note, Part
from . import bass, drums, form, harmony, keys, melody
from .context import make_context

PARTS = (Part("drums", 0, 9, lowest_pitch=35, highest_pitch=81),
         Part("bass", 33, 1, lowest_pitch=28, highest_pitch=67),
         Part("keys", 4, 2, lowest_pitch=28, highest_pitch=103), Part("lead", 65, 3), Part("pad", 89, 4))
DRUMS, BASS, KEYS, LEAD, PAD = range(len(PARTS))


@dataclass(frozen=True, slots=True)
class Arrangement:
    parts: tuple[Part, ...]
    notes: tuple[Note, ...]
    hits: tuple[Hit, ...]
    cues: tuple[MusicCue, ...]


def arrange(score, timeline, sections) -> Arrangement:
    """Notes, hits and cues for every section of a planned score (deterministic per seed)."""
    library = score.library
    notes, hits, cues = [], [], []
    voicing = None
    for i, (info, laid) in enumerate(zip(sections, timeline.sections)):
        mood = library.moods[info.mood]
        following = sections[i + 1] if i + 1 < len(sections) else None
        next_mood = library.moods[following.mood] if following else None
        groove = library.grooves[info.groove]
        ending = form.ending_kind(mood, next_mood)
        ctx = make_context(info, laid, mood, score.seed, next_mood, ending == "break")
        shape = form.plan_form(ctx, groove, ending)
        chords, harmony_cues = harmony.progression(ctx, (following.tonic, following.mode) if following else None)
        notes += drums.play(ctx, groove, shape, DRUMS)
        notes += bass.play(ctx, chords, shape, BASS)
        keys_notes, voicing = keys.play(ctx, chords, shape, KEYS, PAD, voicing)
        notes += keys_notes
        lead_notes, motif_cues = melody.play(ctx, score, chords, LEAD)
        notes += lead_notes
        hits += form.hits(ctx, shape, groove)
        cues += form.cues(ctx, shape, groove) + harmony_cues + motif_cues
    notes = untangle(notes, PARTS)
    hits.sort(key=lambda h: (h.at_ticks, -h.strength, h.kind))
    cues.sort(key=lambda c: (c.at_ticks, c.kind, c.text))
    return Arrangement(PARTS, tuple(notes), tuple(hits), tuple(cues))


def untangle(notes: list[Note], parts) -> list[Note]:
    """Sorted notes in which no two of one pitch overlap on a channel: an earlier note is cut where
    the next one starts, and of two struck together the louder (then longer) one stays."""
    channel = [p.channel for p in parts]
    notes = sorted(notes, key=attrgetter("start_ticks", "part", "pitch"))
    kept, last = [], {}
    for note in notes:
        key = (channel[note.part], note.pitch)
        i = last.get(key)
        if i is not None:
            previous = kept[i]
            if previous.start_ticks == note.start_ticks:
                if (note.velocity, note.length_ticks) > (previous.velocity, previous.length_ticks):
                    kept[i] = note
                continue
            if previous.end_ticks > note.start_ticks:
                kept[i] = replace(previous, length_ticks=note.start_ticks - previous.start_ticks)
        last[key] = len(kept)
        kept.append(note)
    return kept
