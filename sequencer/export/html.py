"""The rehearsal page (`NAME.rehearsal.html`): the show played with its counts big on screen.

One self-contained HTML file that works opened from disk (`file://`) with no server and no
network: the performance data is embedded, the page's script and style are inlined from the
assets in `rehearsal/`, and the audio is the `NAME.ogg` written beside it by the `ogg` format.
A tiny sidecar script, `NAME.rehearsal.stamp.js`, names the page's version; an open page
polls it and reloads itself when `sequencer watch` writes a new one. Show time on the page
is 0 at the first beat of bar 1; the count-in (if any) plays before it at negative times.
"""

import hashlib
import html
import json
import re
from importlib.resources import files
from pathlib import Path

from ..categories import CATEGORIES
from ..performance import CUE_KINDS, Performance
from .files import write_atomic

PAGE_SUFFIX = ".rehearsal.html"
STAMP_SUFFIX = ".rehearsal.stamp.js"
AUDIO_SUFFIX = ".ogg"


def _asset(name: str) -> str:
    return files(__package__).joinpath("rehearsal", name).read_text(encoding="utf-8")


def page_data(perf: Performance, stem: str) -> dict:
    """What the page's script reads: beats, sections, 8-counts, moves and hits in show seconds."""
    timeline = perf.timeline
    lead_s = timeline.seconds(timeline.count_in_ticks)

    def show_s(ticks: int) -> float:
        return round(timeline.seconds(ticks) - lead_s, 4)

    clicks = timeline.count_in_clicks()
    # The count-in counts the end of an 8-count: "5, 6, 7, 8" for one bar of 4/4.
    counts = [[show_s(tick), -1, 0, (8 - len(clicks) + i) % 8 + 1, 0] for i, tick in enumerate(clicks)]
    for laid in timeline.sections:
        for tick in range(laid.start_ticks, laid.end_ticks, laid.meter.count_ticks):
            pos = timeline.position(tick)
            counts.append([show_s(tick), pos.section - 1, pos.eight_count, pos.count, pos.bar])
    words = {kind: word for kind, (audience, word) in CUE_KINDS.items() if audience == "dancer"}
    return {
        "title": perf.title,
        "audio": stem + AUDIO_SUFFIX,
        "stamp_file": stem + STAMP_SUFFIX,
        "lead_s": round(lead_s, 4),
        "count_in_bars": timeline.count_in_bars,
        "length_s": show_s(perf.end_ticks),
        "beats": counts,
        "sections": [{"name": s.name, "mood": s.mood, "start": show_s(s.start_ticks), "end": show_s(s.end_ticks),
                      "beats_per_bar": laid.meter.counts_per_bar, "eight_counts": laid.eight_counts,
                      "dancers": list(s.dancers), "formation": s.formation}
                     for s, laid in zip(perf.sections, timeline.sections)],
        "dancers": [{"name": d.name, "moves": [
            [show_s(c.start_ticks), show_s(c.end_ticks), c.name, c.category,
             None if c.accent_ticks is None else show_s(c.accent_ticks), c.section,
             timeline.position(c.start_ticks).eight_count, timeline.position(c.start_ticks).count]
            for c in perf.cues_of(d.name)]} for d in perf.cast],
        "hits": [show_s(h.at_ticks) for h in perf.hits],
        "music": [[show_s(c.at_ticks), words[c.kind]] for c in perf.music_cues if c.kind in words],
        "colours": {name: c.colour for name, c in CATEGORIES.items()},
    }


def _embed(data: dict) -> str:
    """JSON safe inside a <script> element: no `<` can close it or open a comment."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def to_html(perf: Performance, stem: str) -> tuple[str, str]:
    """The page and its stamp script, as text."""
    data = page_data(perf, stem)
    script, style, template = _asset("page.js"), _asset("page.css"), _asset("page.html")
    stamp = hashlib.sha256("\0".join((_embed(data), script, style, template)).encode("utf-8")).hexdigest()[:16]
    data["stamp"] = stamp
    parts = {"title": html.escape(perf.title), "style": style, "data": _embed(data), "script": script}
    page = re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)  # one pass: inserted text stays as is
    return page, f'window.rehearsalStamp && window.rehearsalStamp("{stamp}");\n'


def write(perf: Performance, path: Path):
    """Write the page and, beside it, its stamp script (the audio is the `ogg` format's)."""
    path = Path(path)
    stem = path.name.removesuffix(PAGE_SUFFIX)
    page, stamp = to_html(perf, stem)
    write_atomic(path, page.encode("utf-8"))
    write_atomic(path.with_name(stem + STAMP_SUFFIX), stamp.encode("utf-8"))
