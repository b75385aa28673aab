"""Rules of time and structure: sections tile the show, everything timed sits where it belongs.

A violator is a short readable string naming the thing and where it is, so `check --deep` can
print the first few as they are.
"""

from . import rule

DRUM_CHANNEL = 9  # General MIDI: channel 10 is the drum kit


@rule("sections-tile")
def sections_tile(perf) -> tuple[list, int]:
    """Sections follow each other with no gap or overlap, from the end of the count-in to the end of the show."""
    violators, at = [], perf.timeline.count_in_ticks
    for info in perf.sections:
        if info.start_ticks != at or info.end_ticks <= info.start_ticks:
            violators.append(f"section {info.index + 1} {info.name!r}: {info.start_ticks}-{info.end_ticks}, "
                             f"expected start {at}")
        at = info.end_ticks
    if perf.sections and at != perf.end_ticks:
        violators.append(f"last section ends at {at}, the show at {perf.end_ticks}")
    return violators, len(perf.sections)


@rule("notes-inside-their-section")
def notes_inside_their_section(perf) -> tuple[list, int]:
    """Every note has a length and starts and ends inside the section it belongs to."""
    violators = []
    for note in perf.notes:
        if not 0 <= note.section < len(perf.sections):
            violators.append(f"note at tick {note.start_ticks}: no section {note.section}")
            continue
        section = perf.sections[note.section]
        if not section.start_ticks <= note.start_ticks < note.end_ticks <= section.end_ticks:
            violators.append(f"{_part_name(perf, note.part)} pitch {note.pitch} at {perf.position(note.start_ticks)}: "
                             f"{note.start_ticks}-{note.end_ticks} outside section {section.name!r} "
                             f"({section.start_ticks}-{section.end_ticks})")
    return violators, len(perf.notes)


@rule("notes-inside-their-part-range")
def notes_inside_their_part_range(perf) -> tuple[list, int]:
    """Every note belongs to a part and sits in that part's pitch range, at a velocity MIDI can play."""
    violators = []
    for note in perf.notes:
        if not 0 <= note.part < len(perf.parts):
            violators.append(f"note at {perf.position(note.start_ticks)}: no part {note.part}")
            continue
        part = perf.parts[note.part]
        if not part.lowest_pitch <= note.pitch <= part.highest_pitch or not 1 <= note.velocity <= 127:
            violators.append(f"{part.name} at {perf.position(note.start_ticks)}: pitch {note.pitch} velocity "
                             f"{note.velocity}, range {part.lowest_pitch}-{part.highest_pitch}")
    return violators, len(perf.notes)


@rule("no-same-pitch-overlap")
def no_same_pitch_overlap(perf) -> tuple[list, int]:
    """No two notes of one pitch sound at once on a channel (a MIDI note-off would cut both)."""
    channel = [p.channel for p in perf.parts]
    violators, sounding = [], {}
    for note in sorted(perf.notes, key=lambda n: (n.start_ticks, n.end_ticks)):
        if not 0 <= note.part < len(channel):
            continue  # reported by notes-inside-their-part-range
        key = (channel[note.part], note.pitch)
        if sounding.get(key, -1) > note.start_ticks:
            violators.append(f"channel {key[0] + 1} pitch {note.pitch} at {perf.position(note.start_ticks)}: "
                             f"still sounding until tick {sounding[key]}")
        sounding[key] = max(sounding.get(key, -1), note.end_ticks)
    return violators, len(perf.notes)


@rule("channels-match-parts")
def channels_match_parts(perf) -> tuple[list, int]:
    """Each part has a MIDI channel of its own (0-15), and the drum kit, alone, is on channel 10."""
    violators, owner = [], {}
    for part in perf.parts:
        if not 0 <= part.channel <= 15:
            violators.append(f"{part.name}: channel {part.channel} is not a MIDI channel")
        elif part.channel in owner:
            violators.append(f"{part.name}: channel {part.channel + 1} already belongs to {owner[part.channel]}")
        elif (part.channel == DRUM_CHANNEL) != (part.name == "drums"):
            violators.append(f"{part.name}: on channel {part.channel + 1}, the drum kit goes alone on channel 10")
        owner.setdefault(part.channel, part.name)
    return violators, len(perf.parts)


@rule("music-cues-and-hits-inside-the-show")
def music_cues_and_hits_inside_the_show(perf) -> tuple[list, int]:
    """Every hit and music cue happens during the show, in the section it names."""
    timed = [("hit", h.kind, h.at_ticks, h.at_ticks, h.section) for h in perf.hits]
    timed += [("cue", c.kind, c.at_ticks, c.at_ticks + c.length_ticks, c.section) for c in perf.music_cues]
    violators = []
    for what, kind, start, end, index in timed:
        section = perf.sections[index] if 0 <= index < len(perf.sections) else None
        inside = section is not None and section.start_ticks <= start < section.end_ticks
        if not inside or not start <= end <= perf.end_ticks:
            violators.append(f"{what} {kind} at ticks {start}-{end}: outside section {index + 1} "
                             f"or the show (0-{perf.end_ticks})")
    return violators, len(timed)


@rule("move-cues-inside-their-section")
def move_cues_inside_their_section(perf) -> tuple[list, int]:
    """Every move has a length, lies inside the section it belongs to, and is danced by someone on stage."""
    violators = []
    for cue in perf.cues:
        if not 0 <= cue.section < len(perf.sections):
            violators.append(f"{cue.dancer} {cue.move} at tick {cue.start_ticks}: no section {cue.section}")
            continue
        section = perf.sections[cue.section]
        if not section.start_ticks <= cue.start_ticks < cue.end_ticks <= section.end_ticks \
                or cue.dancer not in section.dancers:
            violators.append(f"{cue.dancer} {cue.move} at {perf.position(cue.start_ticks)}: "
                             f"{cue.start_ticks}-{cue.end_ticks} outside section {section.name!r} "
                             f"({section.start_ticks}-{section.end_ticks}, dancers {', '.join(section.dancers)})")
    return violators, len(perf.cues)


def _part_name(perf, part: int) -> str:
    return perf.parts[part].name if 0 <= part < len(perf.parts) else f"part {part}"
