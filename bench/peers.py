"""symusic (C++) writing the same notes as a MIDI file: run in the bench's own environment.

symusic is not a dependency of the project; `run.py` makes a virtual environment in
bench/.peers with it and runs this file there. Input: a JSON file of tracks and notes written
by `run.py`; output: the median seconds of `runs` builds-and-writes, as JSON.

Usage: python peers.py NOTES.json RUNS
"""

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from symusic import Note, Score, Track


def write_with_symusic(tracks: list[dict], ppq: int, target: Path):
    """Build a score with symusic's bulk (structure-of-arrays) API and write it."""
    score = Score(ppq)
    for spec in tracks:
        track = Track(spec["name"], spec["program"], spec["channel"] == 9)
        notes = np.array(spec["notes"], dtype=np.int32).reshape(-1, 4)
        track.notes = Note.from_numpy(notes[:, 0], notes[:, 1], notes[:, 2], notes[:, 3])
        score.tracks.append(track)
    score.dump_midi(str(target))


def main():
    spec = json.loads(Path(sys.argv[1]).read_text())
    runs = int(sys.argv[2])
    times = []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "symusic.mid"
        for _ in range(runs):
            began = time.perf_counter()
            write_with_symusic(spec["tracks"], spec["ppq"], target)
            times.append(time.perf_counter() - began)
        size = target.stat().st_size
    print(json.dumps({"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "bytes": size}))


if __name__ == "__main__":
    main()
