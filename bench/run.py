"""Benchmark the real pipeline honestly: whole processes in paired, interleaved runs.

Run: `python bench/run.py` (after installing). Options:
  --runs N          pairs of whole-process runs per workload (default 7)
  --before DIR      a checkout of another version (e.g. `git worktree add /tmp/before main`) to run
                    paired with this one; every workload then prints both sides and their ratio
  --audio-minutes   show lengths whose audio is timed per bar (default 5; audio runs in real time / 30)
  --long-audio      also render the 4,000-bar show to WAV and report its peak memory
  --peers           time symusic (installed in bench/.peers) and music21 writing the same notes
  --only PARTS      run only some parts: whole, imports, audio, per-format, peers, long-audio
  --json FILE       also write every figure as JSON

What it prints, and how each figure is measured:
- whole-process runs are started from bench/measure.py, a small parent, so peak memory is the
  command's own (Linux carries a parent's peak into a forked child); CPU time (user + system)
  includes the forked exporters and FluidSynth; median and range over the runs; the two sides'
  runs alternate in order, so drift in the machine's load hits both;
- shows are generated to a length and labelled by the composed performance's true length;
- each format's cost per bar is the median in-process time of its writer (warm: imports are in
  the whole-process figures), divided by the show's bars, at 5, 60 and 150 minutes (or the
  longest show 4,000 bars allow, if that is shorter);
- `imports` is the sum of Python's `-X importtime` top-level figures over every process of a run.
- both sides are compiled to bytecode first (`compileall`), as `pip install` leaves a package.
A benchmark, not a test: it asserts nothing and writes nothing outside a temporary folder.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import shows  # noqa: E402
from sequencer.export import FORMATS  # noqa: E402

AUDIO = ("wav", "ogg")
PEERS_ENV = BENCH / ".peers"


def measure(command, cwd: Path) -> dict:
    """One whole-process run of `command` in `cwd`, measured by the small parent."""
    done = subprocess.run([sys.executable, "-I", str(BENCH / "measure.py"), "--cwd", str(cwd), "--", *command],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench: measuring {' '.join(map(str, command))} failed: {done.stderr}")
    result = json.loads(done.stdout)
    for line in done.stderr.splitlines():
        if line.startswith("own-peak-kb "):
            result["own_peak_mb"] = int(line.split()[1]) / 1024
    if result["status"] != 0:
        raise SystemExit(f"bench: {' '.join(map(str, command))} exited {result['status']}: {done.stderr}")
    return result


def paired(commands: dict, runs: int) -> dict:
    """{side: (command, cwd)} → {side: [run, ...]}, the sides alternating first and second."""
    results = {side: [] for side in commands}
    sides = list(commands)
    for i in range(runs):
        for side in (sides if i % 2 == 0 else sides[::-1]):
            command, cwd = commands[side]
            results[side].append(measure(command, cwd))
    return results


def spread(values, scale=1.0, unit="s", digits=2) -> str:
    values = [v * scale for v in values]
    return f"{statistics.median(values):.{digits}f} {unit} [{min(values):.{digits}f}–{max(values):.{digits}f}]"


def report_paired(title: str, results: dict, figures: dict):
    print(f"\n{title}")
    for side, runs in results.items():
        walls, cpus, peaks = [r["wall_s"] for r in runs], [r["cpu_s"] for r in runs], [r["peak_mb"] for r in runs]
        print(f"  {side:<7} wall {spread(walls)}   cpu {spread(cpus)}   peak {max(peaks):.0f} MB")
    if len(results) == 2:
        (a, ra), (b, rb) = results.items()
        for key, name in (("wall_s", "wall"), ("cpu_s", "cpu")):
            pair = [x[key] / y[key] for x, y in zip(ra, rb)]
            print(f"  {a}/{b} {name}: {statistics.median([x[key] for x in ra]) / statistics.median([y[key] for y in rb]):.2f}"
                  f"× (per pair: median {statistics.median(pair):.2f}×, {min(pair):.2f}–{max(pair):.2f}×)")
        peak = max(x["peak_mb"] for x in ra) / max(y["peak_mb"] for y in rb)
        print(f"  {a}/{b} peak memory: {peak:.2f}×")
    figures[title] = results


def sequencer_command(*args) -> list[str]:
    return [sys.executable, "-m", "sequencer", *map(str, args)]


def imports_ms(cwd: Path, args, runs: int) -> list[float]:
    """Milliseconds of imports of a run (sum of top-level -X importtime figures).

    The exporters run one after another in one process (SEQUENCER_JOBS=1): forked exporters
    importing side by side would time each other's waits.
    """
    totals = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "sequencer", *map(str, args)], cwd=cwd,
                              capture_output=True, text=True, env={**os.environ, "SEQUENCER_JOBS": "1"})
        total = 0
        for line in done.stderr.splitlines():
            if line.startswith("import time:") and not line.endswith("imported package"):
                fields = line.split("|")
                if len(fields) == 3 and fields[2].strip() and not fields[2].startswith("  "):
                    try:
                        total += int(fields[1])
                    except ValueError:
                        continue  # the header line
        totals.append(total / 1000)
    return totals


def whole_process(args, tmp: Path, hour: Path, figures: dict):
    sides = _sides(args)
    work = {
        "sequencer --help": lambda cwd, side: ("--help",),
        "default show, default formats (midi, json, pdf, md, png)":
            lambda cwd, side: ("render", "-q", "-o", tmp / f"default-{side}"),
        f"{hour.stem}: midi, json, pdf": lambda cwd, side: ("render", hour, "-q", "-f", "midi,json,pdf",
                                                           "-o", tmp / f"hour-{side}"),
    }
    for title, arguments in work.items():
        commands = {side: (sequencer_command(*arguments(cwd, side)), cwd) for side, cwd in sides.items()}
        report_paired(title, paired(commands, args.runs), figures)


def _sides(args) -> dict:
    return {"before": Path(args.before).resolve(), "after": ROOT} if args.before else {"after": ROOT}


def default_imports(args, tmp: Path, figures: dict):
    sides = _sides(args)
    for label, formats in (("default formats", ()), ("midi, json, pdf", ("-f", "midi,json,pdf"))):
        print(f"\nimports, default show, {label} (ms, one process, runs alternating between the sides)")
        values = {side: [] for side in sides}
        for i in range(args.runs):
            for side in (list(sides) if i % 2 == 0 else list(sides)[::-1]):
                values[side] += imports_ms(sides[side], ("render", "-q", *formats, "-o", tmp / f"imports-{side}"), 1)
        for side, runs in values.items():
            figures[f"imports {label} {side}"] = runs
            print(f"  {side:<7} {spread(runs, unit='ms', digits=0)}")
        if len(values) == 2:
            print(f"  before/after: {statistics.median(values['before']) / statistics.median(values['after']):.2f}×")


def audio_versus_fluidsynth(args, tmp: Path, figures: dict):
    """The default show to WAV, whole process, beside FluidSynth alone rendering the same MIDI."""
    from sequencer.export import audio
    from sequencer.render import load_and_compose, resolve_score_path
    _, perf = load_and_compose(resolve_score_path(None))
    midi = tmp / "default-with-tail.mid"
    midi.write_bytes(audio._midi_with_tail(perf, audio.TAIL_S))
    font = audio.find_soundfont()
    alone = [audio.find_fluidsynth(), "-ni", "-q", "-g", str(audio.GAIN), "-r", str(audio.SAMPLE_RATE),
             "-O", "s16", "-T", "wav", "-F", str(tmp / "alone.wav"), str(font), str(midi)]
    commands = {"sequencer": (sequencer_command("render", "-q", "-f", "wav", "-o", tmp / "audio-after"), ROOT),
                "fluidsynth": (alone, ROOT)}
    if args.before:
        commands["before"] = (sequencer_command("render", "-q", "-f", "wav", "-o", tmp / "audio-before"),
                              Path(args.before).resolve())
    runs = max(3, args.runs // 2)
    results = paired(commands, runs)
    title = f"audio: default show ({perf.length_s / 60:.1f} min) to WAV, soundfont {font.name}"
    print(f"\n{title}")
    for side, rows in results.items():
        print(f"  {side:<10} wall {spread([r['wall_s'] for r in rows])}   cpu {spread([r['cpu_s'] for r in rows])}"
              f"   peak {max(r['peak_mb'] for r in rows):.0f} MB")
    base = results["fluidsynth"]
    for side in results:
        if side != "fluidsynth":
            ratios = [r["wall_s"] / b["wall_s"] for r, b in zip(results[side], base)]
            print(f"  {side} / FluidSynth alone, wall, per round: median {statistics.median(ratios):.3f}× "
                  f"[{min(ratios):.3f}–{max(ratios):.3f}×]")
    figures[title] = results
    _loudness_of(tmp / "audio-after" / "bakhyt-cooper.wav", perf, figures)


def _loudness_of(wav: Path, perf, figures: dict):
    """Integrated loudness and peak (pyloudnorm if installed), and each section's loudness beside its arousal."""
    try:
        import pyloudnorm
    except ImportError:
        print("  (pyloudnorm is not installed: pip install pyloudnorm to measure the mix)")
        return
    import numpy as np
    import soundfile
    frames, rate = soundfile.read(str(wav))
    meter = pyloudnorm.Meter(rate)
    whole = meter.integrated_loudness(frames)
    peak = 20 * np.log10(np.abs(frames).max())
    print(f"  mix: {whole:.1f} LUFS integrated (pyloudnorm), sample peak {peak:.2f} dBFS")
    rows = []
    for sec in perf.sections:
        part = frames[int(perf.seconds(sec.start_ticks) * rate):int(perf.seconds(sec.end_ticks) * rate)]
        rows.append((sec.arousal, meter.integrated_loudness(part), sec.name, sec.mood))
    for arousal, lufs, name, mood in sorted(rows):
        print(f"    arousal {arousal:+.2f}  {lufs:6.1f} LUFS  {name} ({mood})")
    ranks = np.argsort(np.argsort([r[0] for r in rows])), np.argsort(np.argsort([r[1] for r in rows]))
    rho = np.corrcoef(*ranks)[0, 1]
    print(f"  Spearman correlation of section loudness with arousal: {rho:.2f}")
    figures["mix"] = {"lufs": whole, "peak_dbfs": peak, "sections": rows, "spearman": rho}


def per_format(args, tmp: Path, figures: dict):
    """Each format's warm in-process cost per bar at three true lengths."""
    table = {}
    for minutes in (5, 60, 150):
        path = tmp / f"per-format-{minutes}.yaml"
        perf = shows.show_of_minutes(minutes, path)
        runs = args.runs if minutes == 5 else (3 if minutes == 60 else 1)
        row = {}
        for name, fmt in FORMATS.items():
            if name in AUDIO and minutes not in args.audio_minutes:
                continue
            writer = fmt.writer()
            target = tmp / f"per-format{fmt.suffix}"
            times = []
            for _ in range(1 if name in AUDIO else runs + (1 if runs > 1 else 0)):
                began = time.perf_counter()
                writer(perf, target)
                times.append(time.perf_counter() - began)
            times = times[1:] if len(times) > 1 else times  # the first call pays the imports
            row[name] = statistics.median(times)
        table[shows.label(perf)] = (perf.timeline.bars, row)
    names = [n for n in FORMATS if any(n in row for _, row in table.values())]
    print("\ncost per bar, warm, in-process (ms per bar; whole-format time in parentheses)")
    print("  " + " " * 26 + "".join(f"{n:>16}" for n in names))
    for label, (bars, row) in table.items():
        cells = "".join(f"{row[n] * 1000 / bars:8.3f} ({row[n]:5.1f})" if n in row else f"{'–':>16}" for n in names)
        print(f"  {label + f' ({bars} bars)':<26}{cells}")
    figures["per bar"] = table
    return table


def peers(args, tmp: Path, figures: dict):
    """Our MIDI writer against symusic's bulk API and music21 on the same notes of the hour show."""
    from sequencer.export.midi import to_bytes
    path = tmp / "peers.yaml"
    perf = shows.show_of_minutes(60, path)
    only_notes = replace(perf, cues=())
    spec = {"ppq": 480, "tracks": [{"name": p.name, "program": p.program, "channel": p.channel, "notes": [
        [n.start_ticks, n.length_ticks, n.pitch, n.velocity] for n in perf.notes if n.part == i]}
        for i, p in enumerate(perf.parts)]}
    (tmp / "notes.json").write_text(json.dumps(spec))

    def ours(subject, runs: int) -> float:
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            (tmp / "ours.mid").write_bytes(to_bytes(subject))
            times.append(time.perf_counter() - began)
        return statistics.median(times)
    python = _peers_python()
    print(f"\nMIDI writer, the same {len(perf.notes):,} notes ({shows.label(perf)} show, no dancer tracks), "
          f"{args.runs} rounds alternating, median of 3 writes each:")
    mine, theirs = [], []
    for _ in range(args.runs):
        mine.append(ours(only_notes, 3))
        if python:
            done = subprocess.run([str(python), str(BENCH / "peers.py"), str(tmp / "notes.json"), "3"],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                print(f"  symusic    failed: {done.stderr.strip()[-300:]}")
                python = None
            else:
                theirs.append(json.loads(done.stdout)["median_s"])
    print(f"  sequencer  {spread(mine, 1000, 'ms', 1)}")
    if theirs:
        ratios = [a / b for a, b in zip(mine, theirs)]
        print(f"  symusic    {spread(theirs, 1000, 'ms', 1)} (bulk numpy API, C++): sequencer takes "
              f"{statistics.median(ratios):.2f}× symusic's time (per round {min(ratios):.2f}–{max(ratios):.2f}×)")
        figures["symusic"] = {"ours_s": mine, "symusic_s": theirs}
    count = min(20_000, len(perf.notes))
    subset = replace(only_notes, notes=perf.notes[:count])
    theirs = _music21_write(subset, tmp)
    mine_subset = ours(subset, args.runs * 3)
    print(f"  music21    {theirs:7.2f} s for the first {count:,} notes (Stream.write('midi')) against "
          f"{mine_subset * 1000:.1f} ms: {theirs / mine_subset:.0f}× slower")
    figures["music21"] = {"notes": count, "ours_s": mine_subset, "music21_s": theirs}


def _peers_python():
    """The bench's own environment with symusic, made on first use; None (and why) if it cannot be."""
    python = PEERS_ENV / "bin" / "python"
    if not python.exists():
        print(f"  (making {PEERS_ENV} with symusic, for the bench only)")
        made = subprocess.run([sys.executable, "-m", "venv", str(PEERS_ENV)], capture_output=True, text=True)
        if made.returncode == 0:
            made = subprocess.run([str(python), "-m", "pip", "install", "-q", "symusic"], capture_output=True, text=True)
        if made.returncode != 0:
            print(f"  symusic    not measured: could not install it ({made.stderr.strip()[-200:]})")
            shutil.rmtree(PEERS_ENV, ignore_errors=True)
            return None
    return python


def _music21_write(subset, tmp: Path) -> float:
    import music21
    from sequencer.timeline import PPQ
    began = time.perf_counter()
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
    score.write("midi", fp=tmp / "m21.mid")
    return time.perf_counter() - began


def long_audio(args, tmp: Path, figures: dict):
    """The longest show the validator allows, to WAV: peak memory must stay bounded."""
    path = tmp / "4000-bars.yaml"
    perf = shows.show_of_bars(4000, path)
    # sequencer's own process reports its peak (without FluidSynth's and the forked dancers') on stderr
    own = ("import resource, sys; from sequencer.cli import main; code = main(sys.argv[1:]); "
           "print('own-peak-kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)")
    result = measure([sys.executable, "-c", own, "render", path, "-q", "-f", "wav", "-o", tmp / "long"], ROOT)
    size = (tmp / "long" / "4000-bars.wav").stat().st_size
    print(f"\n4,000-bar show ({shows.label(perf)}) to WAV: wall {result['wall_s']:.0f} s, cpu {result['cpu_s']:.0f} s, "
          f"peak {result['peak_mb']:.0f} MB in the largest process, {result['own_peak_mb']:.0f} MB in sequencer's own, "
          f"file {size / 2 ** 30:.2f} GiB")
    figures["long audio"] = result


def compiled(root: Path):
    """Compile a side's package to bytecode first, as `pip install` does: an environment with
    PYTHONDONTWRITEBYTECODE set would otherwise compile some 40 modules (~55 ms) in every run."""
    import compileall
    compileall.compile_dir(root / "sequencer", quiet=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", metavar="DIR")
    parser.add_argument("--audio-minutes", type=lambda text: {int(m) for m in text.split(",") if m}, default={5})
    parser.add_argument("--long-audio", action="store_true")
    parser.add_argument("--peers", action="store_true")
    parser.add_argument("--only", metavar="PARTS", help="comma-separated: whole, imports, audio, per-format, peers, "
                        "long-audio (default: all that the other options ask for)")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    print(f"bench {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}")
    for cwd in _sides(args).values():
        compiled(cwd)
    figures = {}
    with tempfile.TemporaryDirectory(prefix="sequencer-bench-") as tmp:
        tmp = Path(tmp)
        hour_path = tmp / "hour.yaml"
        hour = shows.show_of_minutes(60, hour_path)
        hour_path = hour_path.rename(tmp / f"{shows.label(hour)}.yaml")
        print(f"hour show: {hour.timeline.bars} bars, {hour.length_s / 60:.1f} min, {len(hour.notes):,} notes, "
              f"{len(hour.cues):,} move cues, {len(hour.cast)} dancers")
        wanted = set(args.only.split(",")) if args.only else {
            "whole", "imports", "audio", "per-format", *(["peers"] if args.peers else []),
            *(["long-audio"] if args.long_audio else [])}
        if "whole" in wanted:
            whole_process(args, tmp, hour_path, figures)
        if "imports" in wanted:
            default_imports(args, tmp, figures)
        if "audio" in wanted and shutil.which("fluidsynth"):
            audio_versus_fluidsynth(args, tmp, figures)
        if "per-format" in wanted:
            per_format(args, tmp, figures)
        if "peers" in wanted:
            peers(args, tmp, figures)
        if "long-audio" in wanted:
            long_audio(args, tmp, figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=str))


if __name__ == "__main__":
    main()
