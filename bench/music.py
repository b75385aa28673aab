"""Measure what issue 11 asks of the music, on the default show and on the one-section-per-mood tour.

Run: `python bench/music.py [--no-audio] [SCORE ...]`. Prints per section: tempo, melody bars and
4-bar phrases with melody, melody density against the mood's, melody-above-comping share, drum
off-grid share, ending kind, music21's key against the declared one, bass rhythm, onsets per second
and (with FluidSynth and pyloudnorm) loudness; then the show's totals. A benchmark: asserts nothing.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sequencer.compose import compose  # noqa: E402
from sequencer.score import load_score  # noqa: E402

DEFAULT_SCORES = (ROOT / "scores" / "bakhyt-cooper.yaml", ROOT / "tests" / "data" / "moods-tour.yaml")
GRID_TICKS = 120  # a straight 16th
OFF_GRID_TICKS = 5
PHRASE_BARS = 4


def role_of(part) -> str:
    """The part's role; older performances without `Part.role` are read by channel and name."""
    role = getattr(part, "role", None)
    if role:
        return role
    if part.channel == 9:
        return "drums"
    return {"bass": "bass", "keys": "harmony", "pad": "pad", "lead": "melody"}.get(part.name, part.name)


def ending_of(perf, info) -> str:
    """The ending kind the band's cadence cue names in the section's last bars (older shows: by its words)."""
    cues = [c for c in perf.music_cues if c.section == info.index and c.kind in ("cadence", "key-change", "pivot")]
    for cue in sorted(cues, key=lambda c: -c.at_ticks):
        word = cue.text.split()[0]
        if word in ("authentic", "plagal", "deceptive", "half", "pivot", "break"):
            return word
        if cue.text.startswith("final cadence"):
            return "authentic"
        if cue.text.startswith("key change"):
            return "pivot"
    return "?"


def key_agreement(perf, info, notes) -> tuple[str, bool]:
    """music21's key for the section's pitched notes, and whether it names the declared tonic or scale."""
    from music21 import note as m21note, stream
    from sequencer.scales import PITCH_CLASS, scale
    part = stream.Stream()
    for n in notes:
        m = m21note.Note(n.pitch)
        m.quarterLength = max(n.length_ticks, 60) / 480
        part.insert(n.start_ticks / 480, m)
    found = part.analyze("key")
    declared = scale(info.tonic, info.mode)
    found_pcs = frozenset((found.tonic.pitchClass + o) % 12 for o in scale("C", found.mode if found.mode in ("major", "minor") else "major").offsets)
    agree = found.tonic.pitchClass == PITCH_CLASS[info.tonic] or found_pcs == declared.pcs
    return f"{found.tonic.name} {found.mode}", agree


def measure(path: Path, audio: bool, keys: bool):
    score = load_score(path)
    perf = compose(score)
    roles = [role_of(p) for p in perf.parts]
    by_section = {i.index: [] for i in perf.sections}
    for n in perf.notes:
        by_section[n.section].append(n)
    loud = loudness(perf) if audio else None
    print(f"\n== {path.name}: {len(perf.sections)} sections, {perf.length_s:.0f} s")
    print(f"{'#':>2} {'section':22} {'mood':11} {'bpm':>7} {'mel bars':>8} {'phr':>5} {'dens/decl':>9} "
          f"{'above%':>6} {'off%':>5} {'ending':9} {'key (m21)':16} {'ok':2} {'bass':>4} {'on/s':>5} {'LUFS':>6}")
    totals = Counter()
    endings, bass_rhythms, agree_count, slow_s = [], {}, 0, 0.0
    rows = []
    for info in perf.sections:
        notes = by_section[info.index]
        bar_ticks = (info.end_ticks - info.start_ticks) // info.bars
        counts_per_bar = {"6/8": 2, "9/8": 3, "12/8": 4}.get(info.meter, int(info.meter.split("/")[0]))
        melody = [n for n in notes if roles[n.part] == "melody"]
        comp = [n for n in notes if roles[n.part] in ("harmony", "pad")]
        drums = [n for n in notes if roles[n.part] == "drums"]
        bass = [n for n in notes if roles[n.part] == "bass"]
        bars_with = {(n.start_ticks - info.start_ticks) // bar_ticks for n in melody}
        phrases = -(-info.bars // PHRASE_BARS)
        phrases_with = {b // PHRASE_BARS for b in bars_with}
        density = len(melody) / (info.bars * counts_per_bar)
        declared = score.library.moods[info.mood].density
        above = sum(1 for m in melody
                    if all(m.pitch > c.pitch for c in comp if c.start_ticks <= m.start_ticks < c.end_ticks))
        off = sum(1 for d in drums if min(d.start_ticks % GRID_TICKS, -d.start_ticks % GRID_TICKS) >= OFF_GRID_TICKS)
        ending = ending_of(perf, info)
        endings.append(ending)
        rhythm = tuple(sorted({n.start_ticks - info.start_ticks for n in bass}))
        bass_rhythms.setdefault(rhythm, []).append(info.index + 1)
        seconds = perf.seconds(info.end_ticks) - perf.seconds(info.start_ticks)
        if max(info.tempo_start_bpm, info.tempo_end_bpm) < 88:
            slow_s += seconds
        onsets = len({(n.part, n.start_ticks, n.pitch) for n in notes}) / seconds
        found, agree = key_agreement(perf, info, [n for n in notes if roles[n.part] != "drums"]) if keys else ("-", False)
        agree_count += agree
        totals.update(bars=info.bars, mel_bars=len(bars_with), phrases=phrases, phrases_with=len(phrases_with),
                      melody=len(melody), above=above, drums=len(drums), off=off)
        bpm = f"{info.tempo_start_bpm:g}" + (f"-{info.tempo_end_bpm:g}" if info.tempo_end_bpm != info.tempo_start_bpm else "")
        lufs = f"{loud[info.index]:6.1f}" if loud else "     -"
        rows.append((info, onsets, loud[info.index] if loud else None))
        print(f"{info.index + 1:>2} {info.name[:22]:22} {info.mood:11} {bpm:>7} {len(bars_with):>3}/{info.bars:<4} "
              f"{len(phrases_with):>2}/{phrases:<2} {density:4.2f}/{declared:<4.2f} "
              f"{100 * above / max(len(melody), 1):6.0f} {100 * off / max(len(drums), 1):5.0f} {ending:9} "
              f"{found:16} {'y' if agree else 'n':2} {len(bass):>4} {onsets:5.1f} {lufs}")
    kinds = Counter(endings)
    shared = [v for v in bass_rhythms.values() if len(v) > 1]
    print(f"melody bars {totals['mel_bars']}/{totals['bars']}, phrases with melody {totals['phrases_with']}/{totals['phrases']}")
    print(f"melody above comping {totals['above']}/{totals['melody']} = {100 * totals['above'] / max(totals['melody'], 1):.0f}%")
    print(f"drum onsets >= {OFF_GRID_TICKS} ticks off the 16th grid {totals['off']}/{totals['drums']} "
          f"= {100 * totals['off'] / max(totals['drums'], 1):.0f}%")
    print(f"show time below 88 BPM: {slow_s:.0f} s of {perf.length_s:.0f} s")
    print("endings: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common())
          + f" (largest share {100 * max(kinds.values()) / len(endings):.0f}%)")
    tonics = Counter(i.tonic for i in perf.sections)
    print(f"tonics: {dict(tonics)}")
    if keys:
        print(f"music21 key agrees with declared tonic or scale: {agree_count}/{len(perf.sections)}")
    print(f"distinct bass rhythms {len(bass_rhythms)}/{len(perf.sections)}; shared by sections: {shared}")
    print(f"leitmotif statements transformed after the first: {leitmotif_share(perf)}")
    recognisable(perf)
    drums_notes = Counter(n.pitch for n in perf.notes if roles[n.part] == "drums")
    print(f"drum notes used: {sorted(drums_notes)}")
    cues = Counter(c.kind for c in perf.music_cues)
    print(f"music cue kinds: {dict(sorted(cues.items()))}")
    if perf.sections and len({i.mood for i in perf.sections}) == len(perf.sections):
        by_arousal = sorted(rows, key=lambda r: r[0].arousal)
        print("per mood by arousal (onsets/s, LUFS): " + "; ".join(
            f"{r[0].mood} {r[0].arousal:+.2f}: {r[1]:.1f}" + (f", {r[2]:.1f}" if r[2] is not None else "")
            for r in by_arousal))
        print(f"Spearman arousal vs onsets/s: {spearman([r[0].arousal for r in by_arousal], [r[1] for r in by_arousal]):.2f}"
              + (f", vs LUFS: {spearman([r[0].arousal for r in by_arousal], [r[2] for r in by_arousal]):.2f}" if loud else ""))


def leitmotif_share(perf) -> str:
    """Later statements of a named theme whose cue names a transformation beyond a transposition."""
    seen, later, changed = set(), 0, 0
    for cue in sorted(perf.music_cues, key=lambda c: c.at_ticks):
        if cue.kind != "motif" or "section's own" in cue.text or "own motif" in cue.text:
            continue
        label = cue.text.split(":")[0]
        if label in seen:
            later += 1
            how = cue.text.split(":", 1)[1]
            changed += any(w in how for w in ("invert", "retrograde", "augment", "diminish", "fragment", "vary-rhythm"))
        seen.add(label)
    return f"{changed}/{later}"


def recognisable(perf):
    """Interval-class similarity of later statements to the first, against random melody windows."""
    try:
        import random
        from sequencer.wellformed.music import developed, similarity, statements
    except ImportError:
        return
    roles = [role_of(p) for p in perf.parts]
    melody = sorted((n for n in perf.notes if roles[n.part] == "melody"), key=lambda n: n.start_ticks)
    for label, heard in statements(perf).items():
        if len(heard) < 2:
            continue
        first = heard[0][1]
        later = [similarity(perf, first, notes) for _, notes in heard[1:]]
        changed = sum(developed(first, notes) for _, notes in heard[1:])
        rng = random.Random(1)
        windows = [melody[i:i + len(first)] for i in (rng.randrange(max(1, len(melody) - len(first))) for _ in range(50))]
        chance = sum(similarity(perf, first, w) for w in windows) / len(windows)
        print(f"  {label}: {len(later)} later statements, {changed} with contour or rhythm changed, similarity "
              f"min {min(later, default=float('nan')):.2f} (random windows {chance:.2f})")


def spearman(xs, ys) -> float:
    def ranks(vs):
        order = sorted(range(len(vs)), key=lambda i: vs[i])
        r = [0.0] * len(vs)
        for rank, i in enumerate(order):
            r[i] = rank
        return r
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (sx * sy) if sx and sy else 0.0


def loudness(perf) -> dict[int, float] | None:
    """Integrated loudness (LUFS) of each section of the FluidSynth render, or None without the tools."""
    try:
        import tempfile
        import numpy
        import pyloudnorm
        import soundfile
        from sequencer.export import audio
        with tempfile.TemporaryDirectory() as folder:
            wav = Path(folder) / "show.wav"
            render = getattr(audio, "render", None)
            if render is not None:
                render(perf, wav, "wav")
            else:  # before the streamed renderer
                wav.write_bytes(audio.to_wav_bytes(perf))
            data, rate = soundfile.read(str(wav))
    except Exception as exc:  # a benchmark reports what it could not measure
        print(f"(no loudness: {exc})")
        return None
    meter = pyloudnorm.Meter(rate)
    print(f"whole show: {meter.integrated_loudness(data):.1f} LUFS integrated, "
          f"peak {20 * numpy.log10(max(numpy.abs(data).max(), 1e-9)):.1f} dBFS")
    out = {}
    for info in perf.sections:
        a, b = (round(perf.seconds(t) * rate) for t in (info.start_ticks, info.end_ticks))
        out[info.index] = meter.integrated_loudness(data[a:b]) if b - a > rate // 2 else float("nan")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scores", nargs="*", type=Path, default=list(DEFAULT_SCORES))
    parser.add_argument("--no-audio", action="store_true", help="skip the FluidSynth render and loudness")
    parser.add_argument("--no-keys", action="store_true", help="skip music21's key analysis")
    args = parser.parse_args()
    for path in args.scores:
        measure(path, not args.no_audio, not args.no_keys)


if __name__ == "__main__":
    main()
