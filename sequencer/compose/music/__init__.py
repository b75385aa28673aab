"""The band: each section's mood becomes drums, bass, keys, a pad and a lead line.

`arrange` plans every section's ending for the whole show, then walks the sections in order. For
each it decides the form (fills, crashes, stabs), the chords (ending as planned), then lets every
player play over them: the melody first, so the comping can keep under it. The keys carry their
last voicing into the next section; the melody remembers which themes the show has stated and the
bass which rhythms it has played. At the end, notes of one pitch on one channel do not overlap.
"""

from dataclasses import dataclass, replace
from operator import attrgetter

from ...performance import Hit, MusicCue, Note, Part
from . import bass, comping, drums, form, harmony, melody
from ...grooves import Groove
from .context import SectionContext, make_context

PARTS = (Part("drums", 0, 9, "drums", lowest_pitch=35, highest_pitch=81),
         Part("bass", 33, 1, "bass", lowest_pitch=28, highest_pitch=67),
         Part("keys", 4, 2, "harmony", lowest_pitch=28, highest_pitch=103), Part("lead", 65, 3, "melody"),
         Part("pad", 89, 4, "pad"))
DRUMS, BASS, KEYS, LEAD, PAD = range(len(PARTS))


@dataclass(frozen=True, slots=True)
class Arrangement:
    parts: tuple[Part, ...]
    notes: tuple[Note, ...]
    hits: tuple[Hit, ...]
    cues: tuple[MusicCue, ...]


@dataclass(frozen=True, slots=True)
class SectionForm:
    """A section's context, form and groove, decided before anyone plays: they fix the section's hits."""
    ctx: SectionContext
    shape: form.Form
    groove: Groove
    ending: str


def plan_forms(score, timeline, sections) -> tuple[SectionForm, ...]:
    """Every section's form, from the plan alone (each part draws from its own generator, so this
    can run before, and apart from, the playing)."""
    library = score.library
    endings = form.plan_endings(sections, library.moods)
    planned = []
    for i, (info, laid) in enumerate(zip(sections, timeline.sections)):
        mood = library.moods[info.mood]
        following = sections[i + 1] if i + 1 < len(sections) else None
        groove = library.grooves[info.groove]
        ending = form.form_ending(endings[i], following is None)
        ctx = make_context(info, laid, mood, score.seed, library.moods[following.mood] if following else None,
                           ending == "break")
        planned.append(SectionForm(ctx, form.plan_form(ctx, groove, ending), groove, endings[i]))
    return tuple(planned)


def hits_of(forms: tuple[SectionForm, ...]) -> tuple[Hit, ...]:
    """The accents the dancers can land on, in time order (strongest first at one tick)."""
    hits = [hit for f in forms for hit in form.hits(f.ctx, f.shape, f.groove)]
    hits.sort(key=lambda h: (h.at_ticks, -h.strength, h.kind))
    return tuple(hits)


def arrange(score, timeline, sections, forms: tuple[SectionForm, ...] | None = None) -> Arrangement:
    """Notes, hits and cues for every section of a planned score (deterministic per seed)."""
    forms = forms if forms is not None else plan_forms(score, timeline, sections)
    library = score.library
    notes, cues = [], []
    voicing, before = None, None
    themes_heard, bass_heard = {}, set()
    for i, (info, planned) in enumerate(zip(sections, forms)):
        following = sections[i + 1] if i + 1 < len(sections) else None
        ctx, shape, groove = planned.ctx, planned.shape, planned.groove
        chords, harmony_cues = harmony.progression(ctx, (following.tonic, following.mode) if following else None,
                                                   planned.ending)
        themes = melody.resolve_themes(info.themes, score.motifs, library.motifs)
        lead_notes, motif_cues = melody.play(ctx, themes, chords, LEAD, themes_heard)
        notes += drums.play(ctx, groove, shape, DRUMS)
        notes += bass.play(ctx, chords, shape, BASS, groove, bass_heard)
        keys_notes, voicing = comping.play(ctx, chords, shape, KEYS, PAD, voicing, lead_notes)
        notes += keys_notes + lead_notes
        cues += form.cues(ctx, shape, groove, before) + harmony_cues + motif_cues
        if before is not None and (info.tonic, info.mode) != (before.info.tonic, before.info.mode):
            cues.append(MusicCue(ctx.start_ticks, 0, "key-change", f"key: {info.tonic} {info.mode}", ctx.index))
        before = ctx
    notes = untangle(notes, PARTS)
    cues.sort(key=lambda c: (c.at_ticks, c.kind, c.text))
    return Arrangement(PARTS, tuple(notes), hits_of(forms), tuple(cues))


def untangle(notes: list[Note], parts) -> list[Note]:
    """Sorted notes in which no two of one pitch overlap on a channel: an earlier note is cut where
    the next one starts, and of two struck together the louder (then longer) one stays."""
    channel = [p.channel for p in parts]
    notes = sorted(notes, key=attrgetter("start_ticks", "part", "pitch"))
    kept, last = [], {}
    for note in notes:
        key = channel[note.part] << 7 | note.pitch  # (channel, pitch) in one number
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
