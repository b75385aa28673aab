"""The timed performance as JSON (`<name>.performance.json`), documented in README.

Ticks are exact integers; quarter notes and seconds are rounded to 6 decimals.
"""

import json
from json.encoder import encode_basestring

from ..performance import Performance
from ..timeline import PPQ
from .files import write_atomic

FORMAT_VERSION = 2  # 2: quarter-note fields named *_quarters (were *_beats)


def _s(value: float) -> float:
    return round(value, 6)


def _q(ticks: int) -> float:
    return round(ticks / PPQ, 6)


# Notes are many (50,000 in an hour), so each is a row of these fields rather than an object.
NOTE_FIELDS = ("part", "section", "start_ticks", "length_ticks", "start_s", "length_s", "pitch", "velocity",
               "chromatic")


def to_dict(perf: Performance) -> dict:
    """The performance as plain JSON data (see README, "The performance JSON")."""
    timeline, quarters = perf.timeline, _Memo(_q)
    return {**_head(perf), "notes": [[n.part, n.section, n.start_ticks, n.length_ticks, round(start, 6),
                                      round(end - start, 6), n.pitch, n.velocity, int(n.chromatic)]
                                     for n, start, end in _timed_notes(perf.notes, timeline)],
            **_tail(perf), "cues": [_cue(*timed, quarters) for timed in _timed_cues(perf.cues, timeline)]}


def _head(perf: Performance) -> dict:
    """The fields before the notes."""
    seconds = _Memo(perf.timeline.seconds)
    laid = perf.timeline.sections
    return {
        "format": "sequencer.performance",
        "version": FORMAT_VERSION,
        "title": perf.title,
        "seed": perf.seed,
        "source": perf.source,
        "ppq": PPQ,
        "length_ticks": perf.end_ticks,
        "length_quarters": _q(perf.end_ticks),
        "length_s": _s(perf.length_s),
        "count_in": {"bars": perf.timeline.count_in_bars, "ticks": perf.timeline.count_in_ticks,
                     "s": _s(seconds[perf.timeline.count_in_ticks])},
        "cast": [{"name": d.name, "skill": d.skill} for d in perf.cast],
        "tempo_map": [{"at_ticks": c.at_ticks, "at_s": _s(seconds[c.at_ticks]), "us_per_quarter": c.us_per_qn,
                       "quarter_bpm": round(60_000_000 / c.us_per_qn, 4)} for c in perf.timeline.tempo_changes],
        "sections": [{
            "index": s.index, "name": s.name, "mood": s.mood, "key": s.key, "key_sharps": s.key_sharps,
            "key_minor": s.key_minor, "meter": s.meter,
            "bars": s.bars, "first_bar": s.first_bar, "eight_counts": laid[s.index].eight_counts,
            "start_ticks": s.start_ticks, "end_ticks": s.end_ticks,
            "start_quarters": _q(s.start_ticks), "end_quarters": _q(s.end_ticks),
            "start_s": _s(seconds[s.start_ticks]), "end_s": _s(seconds[s.end_ticks]),
            "tempo_start_bpm": s.tempo_start_bpm, "tempo_end_bpm": s.tempo_end_bpm,
            "dancers": list(s.dancers), "formation": s.formation, "groove": s.groove, "themes": list(s.themes),
            "valence": s.valence, "arousal": s.arousal, "energy": s.energy, "notes": s.notes,
            "story_paragraphs": list(s.story),
            "stage": {d: [x, y] for d, x, y in s.stage},
        } for s in perf.sections],
        "parts": [{"name": p.name, "program": p.program, "channel": p.channel + 1} for p in perf.parts],
        "note_fields": list(NOTE_FIELDS),
    }


def _tail(perf: Performance) -> dict:
    """The fields between the notes and the move cues."""
    seconds = _Memo(perf.timeline.seconds)
    return {
        "hits": [{"kind": h.kind, "section": h.section, "at_ticks": h.at_ticks, "at_s": _s(seconds[h.at_ticks]),
                  "strength": h.strength} for h in perf.hits],
        "music_cues": [{"kind": c.kind, "text": c.text, "section": c.section, "at_ticks": c.at_ticks,
                        "length_ticks": c.length_ticks, "at_s": _s(seconds[c.at_ticks])} for c in perf.music_cues],
    }


def _timed_notes(notes, timeline):
    """(note, start s, end s) of each note, the seconds in one walk along the tempo map (the notes are in order)."""
    starts = timeline.seconds_many([n.start_ticks for n in notes])
    ends = timeline.seconds_many([n.start_ticks + n.length_ticks for n in notes])
    return zip(notes, starts, ends)


class _Memo(dict):
    """`fn` remembered per argument, looked up as `memo[arg]`: many cues share a tick, a length or a name."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, arg):
        value = self[arg] = self.fn(arg)
        return value


def _timed_cues(cues, timeline):
    """(cue, start s, end s, position) for each cue, the seconds in one walk along the tempo map."""
    starts = timeline.seconds_many([c.start_ticks for c in cues])
    ends = timeline.seconds_many([c.start_ticks + c.length_ticks for c in cues])
    position = _Memo(timeline.position)
    return [(cue, start_s, end_s, position[cue.start_ticks]) for cue, start_s, end_s in zip(cues, starts, ends)]


def _cue(cue, start_s, end_s, pos, quarters) -> dict:
    return {
        "dancer": cue.dancer, "move": cue.move, "name": cue.name, "category": cue.category,
        "section": cue.section, "start_ticks": cue.start_ticks, "length_ticks": cue.length_ticks,
        "start_quarters": quarters[cue.start_ticks], "length_quarters": quarters[cue.length_ticks],
        "start_s": round(start_s, 6), "length_s": round(end_s - start_s, 6),
        "bar": pos.bar, "beat": pos.beat, "eight_count": pos.eight_count, "count": pos.count,
        "start_level": cue.start_level, "end_level": cue.end_level,
        "accent_ticks": cue.accent_ticks, "pinned": cue.pinned, "combo": cue.combo, "mirrored": cue.mirrored,
        "role": cue.role, "short": cue.short,
    }


def _cue_texts(cues, timeline) -> list[str]:
    """Each cue as the text `json.dumps(_cue(...))` gives, from one template: an hour holds 15,000 cues of
    23 fields, and the encoder would write every field name again (strings through the encoder's own
    escaping, numbers by repr, as it does)."""
    text, quarters = _Memo(encode_basestring), _Memo(lambda ticks: repr(_q(ticks)))
    js = {None: "null", True: "true", False: "false"}
    return [f'{{"dancer":{text[c.dancer]},"move":{text[c.move]},"name":{text[c.name]},'
            f'"category":{text[c.category]},"section":{c.section},"start_ticks":{c.start_ticks},'
            f'"length_ticks":{c.length_ticks},"start_quarters":{quarters[c.start_ticks]},'
            f'"length_quarters":{quarters[c.length_ticks]},"start_s":{round(start_s, 6)!r},'
            f'"length_s":{round(end_s - start_s, 6)!r},"bar":{pos.bar},"beat":{pos.beat},'
            f'"eight_count":{pos.eight_count},"count":{pos.count},"start_level":{text[c.start_level]},'
            f'"end_level":{text[c.end_level]},'
            f'"accent_ticks":{"null" if c.accent_ticks is None else c.accent_ticks},"pinned":{js[c.pinned]},'
            f'"combo":{"null" if c.combo is None else text[c.combo]},"mirrored":{js[c.mirrored]},'
            f'"role":{text[c.role]},"short":{text[c.short]}}}'
            for c, start_s, end_s, pos in _timed_cues(cues, timeline)]


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def to_json(perf: Performance) -> str:
    """Compact JSON (one line; `python -m json.tool` or jq pretty-print it): the C encoder is 5x faster.

    The text is `json.dumps(to_dict(perf))`'s, but the notes and move cues, 70,000 rows in an hour, are
    written from templates: the encoder would take a list per note and write every cue's field names again.
    """
    head, tail = _dumps(_head(perf)), _dumps(_tail(perf))
    return (head[:-1] + ',"notes":[' + ",".join(_note_texts(perf.notes, perf.timeline)) + "]," + tail[1:-1]
            + ',"cues":[' + ",".join(_cue_texts(perf.cues, perf.timeline)) + "]}\n")


def _note_texts(notes, timeline) -> list[str]:
    """Each note's row as the encoder writes it: integers and floats by repr."""
    return [f"[{n.part},{n.section},{n.start_ticks},{n.length_ticks},{round(start, 6)!r},{round(end - start, 6)!r},"
            f"{n.pitch},{n.velocity},{int(n.chromatic)}]" for n, start, end in _timed_notes(notes, timeline)]


def write(perf: Performance, path):
    write_atomic(path, to_json(perf).encode("utf-8"))
