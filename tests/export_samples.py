"""Hand-built performances for the exporter tests: every meter, ramps, moves across rows, a Cyrillic name.

Built directly from the Performance dataclasses, so the exporters can be tested on rich data
whatever the composer currently produces.
"""

from sequencer.compose.plan import key_signature
from sequencer.performance import CastMember, Hit, MoveCue, MusicCue, Note, Part, Performance, SectionInfo
from sequencer.timeline import build_timeline, parse_meter

PARTS = (Part("drums", 0, 9), Part("bass", 33, 1), Part("chords", 4, 2), Part("melody", 73, 3))

# (category, beats, start level, end level) cycled to fill each dancer's sections.
MOVES = (
    ("toprock", "indian-step", "Indian step", 8, "standing", "standing"),
    ("go-down", "knee-drop", "Knee drop", 2, "standing", "floor"),
    ("footwork", "six-step", "Six-step", 6, "floor", "floor"),
    ("power", "windmill", "Windmill", 8, "floor", "floor"),
    ("freeze", "airchair", "Airchair", 4, "floor", "floor"),
    ("transition", "kip-up", "Kip-up", 4, "floor", "standing"),
)

SECTIONS = (
    # name, mood, bars, meter, tempo start, tempo end, tonic, mode, valence, arousal, energy
    ("Alone at night", "mysterious", 4, "4/4", 84, 84, "D", "minor", -0.2, -0.3, 2),
    ("Rooftop", "joyful", 6, "4/4", 100, 112, "F", "major", 0.8, 0.7, 4),
    ("Waltz of loss", "grief", 6, "3/4", 72, 72, "D", "minor", -0.8, -0.6, 1),
    ("Night train", "tense", 4, "6/8", 90, 90, "A", "dorian", -0.5, 0.6, 3),
)


def sample_performance(sections=SECTIONS, cast=("Бахыт", "Lena"), repeat: int = 1) -> Performance:
    """A small show (or, with `repeat`, the same sections over and over) filled with music and moves."""
    plan = [s for _ in range(repeat) for s in sections]
    timeline = build_timeline((bars, parse_meter(meter), t0, t1) for _, _, bars, meter, t0, t1, *_ in plan)
    infos, notes, hits, music_cues, cues = [], [], [], [], []
    for i, ((name, mood, bars, meter, t0, t1, tonic, mode, val, aro, energy), laid) in enumerate(
            zip(plan, timeline.sections)):
        infos.append(SectionInfo(
            index=i, name=name if repeat == 1 else f"{name} {i + 1}", mood=mood, key=f"{tonic} {mode}",
            tonic=tonic, mode=mode, key_sharps=key_signature(tonic, mode)[0], key_minor=key_signature(tonic, mode)[1],
            meter=meter, bars=bars, first_bar=laid.first_bar, start_ticks=laid.start_ticks,
            end_ticks=laid.end_ticks, tempo_start_bpm=t0, tempo_end_bpm=t1, dancers=tuple(cast),
            formation="solo" if len(cast) == 1 else "duet", offset_counts=0, themes=(), groove="boom-bap",
            valence=val, arousal=aro, energy=energy, notes="", story=()))
        count_ticks = laid.meter.count_ticks
        root = 50 + "CDEFGAB".index(tonic) * 2 % 12
        velocity = 40 + int(50 * (aro + 1) / 2)
        for b in range(laid.counts):
            t = laid.start_ticks + b * count_ticks
            notes.append(Note(0, i, t, count_ticks // 4, 36 if b % 2 == 0 else 38, velocity))
            notes.append(Note(3, i, t, count_ticks, root + 12 + (0, 2, 3, 5, 7)[b % 5], velocity))
        for bar in range(bars):
            t = laid.start_ticks + bar * laid.meter.bar_ticks
            notes.append(Note(1, i, t, laid.meter.bar_ticks, root - 12, velocity))
            for p in (root, root + 3, root + 7):
                notes.append(Note(2, i, t, laid.meter.bar_ticks, p, velocity - 10))
        hits.append(Hit(laid.start_ticks, "crash", i, 3))
        hits.append(Hit(laid.start_ticks + 7 * count_ticks, "stab", i, 2))
        music_cues.append(MusicCue(laid.start_ticks, 4 * count_ticks, "motif", "Bakhyt theme", i))
        if laid.counts > 8:
            music_cues.append(MusicCue(laid.start_ticks + (laid.counts - 2) * count_ticks, 2 * count_ticks,
                                       "fill", "drum fill", i))
        for d, dancer in enumerate(cast):
            # Offset the second dancer by three and a half counts so moves start mid-row and off the beat.
            t = laid.start_ticks + (d * (3 * count_ticks + count_ticks // 2) if d else 0)
            if d:
                cues.append(MoveCue(dancer, "step", "Step", "toprock", i, laid.start_ticks, t - laid.start_ticks,
                                    "standing", "standing"))
            k = i + d
            while t < laid.end_ticks:
                category, move, mname, counts, lv0, lv1 = MOVES[k % len(MOVES)]
                length = min(counts * count_ticks, laid.end_ticks - t)
                accent = t + length - count_ticks if category == "freeze" else None
                cues.append(MoveCue(dancer, move, mname, category, i, t, length, lv0, lv1, accent_ticks=accent,
                                    pinned=(k % 7 == 3)))
                t += length
                k += 1
    notes.sort(key=lambda n: (n.start_ticks, n.part, n.pitch))
    cues.sort(key=lambda c: (c.start_ticks, c.dancer))
    return Performance(
        title="Sample show", seed=1, source="sample.yaml", timeline=timeline, sections=tuple(infos),
        cast=tuple(CastMember(n, 4) for n in cast), parts=PARTS, notes=tuple(notes), hits=tuple(hits),
        music_cues=tuple(music_cues), cues=tuple(cues))


def long_performance(bars: int = 1800, dancers: int = 4) -> Performance:
    """A show of about `bars` bars cycling every meter, for timing the exporters."""
    cast = ("Бахыт", "Lena", "Aru", "Timur")[:dancers]
    per_cycle = sum(s[2] for s in SECTIONS)
    return sample_performance(cast=cast, repeat=max(1, bars // per_cycle))
