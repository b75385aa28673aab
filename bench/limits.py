"""Hostile input at the documented limits: seconds per case for `sequencer check` (load and compose).

Run: `python bench/limits.py [CASE …]`. Each case writes its input into a temporary folder, runs
the command in a fresh process and prints the exit code, the wall time and the peak memory.
The input is as large as the README's limits allow (or just past one), so the worst of these
times is the worst time for any input within the limits. Asserts nothing.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sequencer.library import MAX_INCLUDE_BYTES, MAX_INCLUDES  # noqa: E402
from sequencer.yamlsource import MAX_FILE_BYTES, MAX_VALUES  # noqa: E402

HEAD = "title: Limits\n"
SECTION = "  - {{name: S{i}, mood: tense, bars: {bars}{extra}}}\n"


def big_values(folder):
    """A score whose sections list holds just under MAX_VALUES values in pins (no cap on pins but this)."""
    pins = (MAX_VALUES - 2000) // 6 // 400
    moves = ", ".join(f"{{at: '{1 + j % 8}:1', move: windmill}}" for j in range(pins))
    lines = [HEAD, "sections:\n"] + [SECTION.format(i=i, bars=8, extra=f", moves: [{moves}]") for i in range(400)]
    return "".join(lines)


def longest_show(folder):
    """4,000 bars at 30 BPM: the longest show the limits allow."""
    return HEAD + "tempo: 30\nsections:\n" + "".join(
        SECTION.format(i=i, bars=500, extra=", tempo: 30") for i in range(8))


def over_values(folder):
    """Just past the value cap, in a file under the size cap: stopped while the YAML is composed."""
    return HEAD + "sections: [" + ", ".join(["1"] * (MAX_VALUES + 1)) + "]\n"


def full_file(folder):
    """A score at the byte cap: a long comment and a 4.9 MB note (rejected as too long)."""
    return HEAD + "notes: '" + "x" * (MAX_FILE_BYTES - 200) + "'\nsections:\n" + SECTION.format(i=0, bars=8, extra="")


def huge_names(folder):
    """Unknown names at the one-line limit in every pin of every section."""
    moves = ", ".join(f"{{at: '1:1', move: {'q' * 190}{j:03d}}}" for j in range(20))
    return HEAD + "sections:\n" + "".join(
        SECTION.format(i=i, bars=8, extra=f", moves: [{moves}]") for i in range(400))


def many_includes(folder):
    """MAX_INCLUDES library files of new moves, MAX_INCLUDE_BYTES in all."""
    each = MAX_INCLUDE_BYTES // MAX_INCLUDES - 1000
    move = ("  m{n}-{k}: {{name: Step {k}, category: toprock, beats: 4, start: standing, end: standing, "
            "energy: 2, difficulty: 1}}\n")
    for n in range(MAX_INCLUDES):
        text, k = "moves:\n", 0
        while len(text) < each:
            text += move.format(n=n, k=k)
            k += 1
        (Path(folder) / f"lib{n}.yaml").write_text(text)
    names = ", ".join(f"lib{n}.yaml" for n in range(MAX_INCLUDES))
    return HEAD + f"include: [{names}]\nsections:\n" + SECTION.format(i=0, bars=8, extra="")


def includes_within(folder):
    """Six library files of new moves holding 90,000 values together: just inside the shared value budget."""
    move = ("  w{n}-{k}: {{name: Step {k}, category: toprock, beats: 4, start: standing, end: standing, "
            "energy: 2, difficulty: 1}}\n")
    for n in range(6):
        (Path(folder) / f"w{n}.yaml").write_text("moves:\n" + "".join(move.format(n=n, k=k) for k in range(1000)))
    names = ", ".join(f"w{n}.yaml" for n in range(6))
    return HEAD + f"include: [{names}]\nsections:\n" + SECTION.format(i=0, bars=8, extra="")


def alias_bomb(folder):
    return HEAD + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i else "x"] * 10) + "]\n"
                          for i in range(9)) + "sections: [{name: A, mood: tense, bars: 8}]\n"


CASES = {f.__name__: f for f in (big_values, longest_show, over_values, full_file, huge_names, many_includes,
                                 includes_within, alias_bomb)}


def run(name):
    with tempfile.TemporaryDirectory() as folder:
        score = Path(folder) / "score.yaml"
        score.write_text(CASES[name](folder))
        began = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "sequencer", "check", str(score)],
                              capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        seconds = time.perf_counter() - began
    *lines, peak = done.stderr.strip().splitlines()
    peak_mb = int(peak) / 1024
    done.stderr = "\n".join(lines)
    first = (done.stderr or done.stdout).strip().splitlines()[0] if (done.stderr or done.stdout).strip() else ""
    print(f"{name:<14} exit {done.returncode}  {seconds:6.2f} s  "
          f"peak {peak_mb:5.0f} MB  {first.split(': ', 1)[-1][:90]}")


if __name__ == "__main__":
    for name in sys.argv[1:] or CASES:
        run(name)
