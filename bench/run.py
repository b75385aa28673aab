"""Benchmark the real pipeline on a 5-minute and a 60-minute show, with music21's MIDI writer as the peer.

Run: `python bench/run.py` (add `--runs N` for more repetitions). Prints medians; writes nothing
outside a temporary folder. A benchmark, not a test: it asserts nothing.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sequencer.compose.choreography import choreograph  # noqa: E402
from sequencer.compose.music import arrange  # noqa: E402
from sequencer.compose.plan import plan_show  # noqa: E402
from sequencer.compose import compose  # noqa: E402
from sequencer.export import FORMATS  # noqa: E402
from sequencer.library import builtin  # noqa: E402
from sequencer.score import load_score  # noqa: E402

METERS = ("4/4", "4/4", "4/4", "3/4", "4/4", "6/8")
FORMATIONS = ("unison", "canon", "call-response", "mirror")


def show_yaml(minutes: float, min_bars: int) -> str:
    """A show cycling through every mood with 4 dancers, ramps and meter changes, at least this long."""
    moods = sorted(builtin().moods.values(), key=lambda m: m.name)
    lines = ["title: Benchmark", "seed: 1", "cast:"]
    lines += [f"  - {{name: D{i}, skill: {5 - i % 3}}}" for i in range(1, 5)]
    lines.append("sections:")
    seconds, bars, i = 0.0, 0, 0
    while seconds < minutes * 60 or bars < min_bars:
        mood = moods[i % len(moods)]
        meter = METERS[i % len(METERS)]
        n = 16
        lo, hi = mood.tempo_bpm
        tempo = f"{{from: {lo:g}, to: {hi:g}}}" if i % 3 == 0 else f"{(lo + hi) / 2:g}"
        beats = n * (2 if meter == "6/8" else int(meter[0]))
        seconds += beats * 60 / ((lo + hi) / 2)
        bars += n
        formation = FORMATIONS[i % len(FORMATIONS)]
        lines.append(f"  - {{name: S{i + 1}, mood: {mood.name}, bars: {n}, meter: {meter}, tempo: {tempo}, "
                     f"formation: {formation}}}")
        i += 1
    return "\n".join(lines) + "\n"


def median_time(fn, runs):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def process_run(argv, runs):
    """Median wall time and the largest peak RSS (MB) of a fresh `sequencer` process."""
    times, peak_kb = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "sequencer", *argv], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - began)
        peak_kb = max(peak_kb, usage.ru_maxrss)
        if status:
            raise SystemExit(f"sequencer {' '.join(argv)} failed: {err.decode()}")
    return statistics.median(times), peak_kb / 1024


def stages(path: Path, runs: int, out: Path) -> dict:
    figures = {}
    figures["load"], score = median_time(lambda: load_score(path), runs)
    figures["plan"], show = median_time(lambda: plan_show(score), runs)
    figures["music"], music = median_time(lambda: arrange(show, show.timeline, show.infos), runs)
    figures["choreography"], _ = median_time(lambda: choreograph(show, music.hits), runs)
    perf = compose(score)
    for name in ("midi", "json", "pdf", "md"):
        writer = FORMATS[name].writer()
        target = out / f"bench{FORMATS[name].suffix}"
        figures[f"export {name}"], _ = median_time(lambda: writer(perf, target), runs)
    return figures, perf


def music21_peer(perf, notes: int, runs: int) -> tuple[float, float, int]:
    """Seconds for mido (ours) and for music21's `Stream.write('midi')` on the same first `notes` notes."""
    import music21
    from sequencer.export.midi import to_bytes
    from sequencer.timeline import PPQ
    subset = replace(perf, notes=perf.notes[:notes], cues=())
    ours, _ = median_time(lambda: to_bytes(subset), runs)

    def theirs():
        score = music21.stream.Score()
        for index, part in enumerate(subset.parts):
            stream = music21.stream.Part()
            stream.insert(0, music21.instrument.instrumentFromMidiProgram(part.program))
            for note in subset.notes:
                if note.part == index:
                    n = music21.note.Note(note.pitch, quarterLength=note.length_ticks / PPQ)
                    n.volume.velocity = note.velocity
                    stream.insert(note.start_ticks / PPQ, n)
            score.insert(0, stream)
        with tempfile.TemporaryDirectory() as tmp:
            score.write("midi", fp=Path(tmp) / "m21.mid")
    peer, _ = median_time(theirs, 1)
    return ours, peer, len(subset.notes)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="repetitions per measurement (median)")
    parser.add_argument("--peer-notes", type=int, default=20_000, help="notes for the music21 comparison")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results = {}
        for label, minutes, min_bars in (("5-minute", 5, 0), ("60-minute", 60, 1800)):
            path = tmp / f"{label}.yaml"
            path.write_text(show_yaml(minutes, min_bars))
            figures, perf = stages(path, args.runs, tmp)
            results[label] = (figures, perf, path)
            print(f"\n{label} show: {perf.timeline.bars} bars, {perf.length_s / 60:.1f} min, {len(perf.sections)} "
                  f"sections, {len(perf.notes):,} notes, {len(perf.cues):,} move cues, {len(perf.cast)} dancers")
            for stage, seconds in figures.items():
                print(f"  {stage:<14} {seconds * 1000:8.1f} ms")
            print(f"  {'total':<14} {sum(figures.values()) * 1000:8.1f} ms")
        small, big = (sum(results[k][0].values()) for k in ("5-minute", "60-minute"))
        length_ratio = results["60-minute"][1].length_s / results["5-minute"][1].length_s
        print(f"\nscaling: 60-minute / 5-minute = {big / small:.1f}x the time for {length_ratio:.1f}x the length")

        big_path = results["60-minute"][2]
        wall, peak = process_run(["render", str(big_path), "-f", "midi,json,pdf", "-o", str(tmp / "out"), "-q"],
                                 max(3, args.runs // 2))
        print(f"\n60-minute show, whole process (midi, json, pdf): {wall:.2f} s wall, peak memory {peak:.0f} MB")
        wall, _ = process_run(["render", "-o", str(tmp / "default"), "-q"], max(3, args.runs // 2))
        print(f"default show (bakhyt-cooper), default formats, whole process: {wall:.2f} s wall")
        wall, _ = process_run(["--help"], args.runs)
        print(f"sequencer --help start-up: {wall * 1000:.0f} ms")

        ours, peer, count = music21_peer(results["60-minute"][1], args.peer_notes, args.runs)
        print(f"\nMIDI writing, same {count:,} notes: sequencer (mido) {ours:.3f} s, music21 Stream.write "
              f"{peer:.2f} s: {peer / ours:.0f}x faster")


if __name__ == "__main__":
    main()
