"""`sequencer watch SCORE`: render the chosen formats again each time the score or a file it includes is saved.

It polls the files' modification times (no extra dependency), waits until a save has settled,
then composes and writes all formats the usual all-or-nothing way. It says what changed
("2 sections, 14 moves differ") or prints the error at its line and keeps the last good files.
Audio is rendered again only when the music changed, so a choreographer editing moves sees the
rehearsal page reload in about a second; the open page reloads itself (see `export.html`).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, SequencerError
from .performance import Performance
from .render import load_and_compose, write_outputs

SOUND_FORMATS = ("wav", "ogg")  # rendered from the music alone: kept when only the dance changed
POLL_S = 0.25


def watched_files(score: Path) -> tuple[Path, ...]:
    """The score and the files its `include:` names (those that can be read now)."""
    files = [score]
    if score.suffix.lower() in (".yaml", ".yml"):
        from .yamlsource import load_yaml
        try:
            data = load_yaml(score).data
        except (InputError, OSError):
            return tuple(files)
        includes = data.get("include") if isinstance(data, dict) else None
        for name in includes if isinstance(includes, list) else ():
            if isinstance(name, str):
                files.append(score.parent / name)
    return tuple(files)


def stamps(files) -> tuple:
    """(modification time, size) of each file, None where it is missing: any save changes it."""
    out = []
    for file in files:
        try:
            info = file.stat()
            out.append((info.st_mtime_ns, info.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def _music(perf: Performance) -> tuple:
    return perf.timeline.tempo_changes, perf.timeline.count_in_bars, perf.end_ticks, perf.parts, perf.notes


def differences(old: Performance, new: Performance) -> str:
    """What changed between two renders, in the words of a rehearsal: sections, moves, notes."""
    sections = sum(a != b for a, b in zip(old.sections, new.sections)) + abs(len(old.sections) - len(new.sections))
    before = {(c.dancer, c.start_ticks): c for c in old.cues}
    after = {(c.dancer, c.start_ticks): c for c in new.cues}
    moves = sum(before.get(key) != after.get(key) for key in before.keys() | after.keys())
    notes = len(set(old.notes) ^ set(new.notes))
    parts = [f"{n} {word if n == 1 else word + 's'}" for n, word in ((sections, "section"), (moves, "move"),
                                                                      (notes, "note")) if n]
    if not parts:
        return "no section, move or note differs"
    return ", ".join(parts) + (" differs" if len(parts) == 1 and parts[0].startswith("1 ") else " differ")


@dataclass
class Watcher:
    """Polls one score; `poll()` renders when something changed and returns what it has to say."""

    score: Path
    out_dir: Path
    stem: str
    formats: tuple[str, ...]
    options: dict = field(default_factory=dict)
    seed: int | None = None
    count_in_bars: int = 0
    files: tuple[Path, ...] = ()
    seen: tuple = ()
    last: Performance | None = None

    def render(self) -> str:
        """Compose and write now; the message says what changed, or the error."""
        began = time.perf_counter()
        self.files = watched_files(self.score)
        self.seen = stamps(self.files)
        try:
            _, perf = load_and_compose(self.score, seed=self.seed, count_in_bars=self.count_in_bars)
            formats = self.formats
            if self.last is not None and _music(self.last) == _music(perf):
                formats = tuple(f for f in formats if f not in SOUND_FORMATS
                                or not (self.out_dir / f"{self.stem}{_suffix(f)}").exists())
            written = write_outputs(perf, self.out_dir, self.stem, formats, self.options)
        except InputError as exc:
            return exc.message() + f"\n  (the files in {self.out_dir}/ are from the last good render)"
        except SequencerError as exc:
            return f"sequencer: {exc}"
        change = "rendered" if self.last is None else differences(self.last, perf)
        self.last = perf
        kept = [f for f in self.formats if f not in formats]
        return (f"{change}; wrote {', '.join(w.path.name for w in written)} in {time.perf_counter() - began:.1f} s"
                + (f" ({', '.join(kept)} kept: the music is the same)" if kept else ""))

    def poll(self, settle: Callable[[], None] = lambda: None) -> str | None:
        """Render if a watched file changed since the last look (after `settle`, to let a save finish)."""
        if stamps(self.files) == self.seen:
            return None
        settle()
        return self.render()


def _suffix(name: str) -> str:
    from .export import FORMATS
    return FORMATS[name].suffix


def run(watcher: Watcher, say: Callable[[str], None], poll_s: float = POLL_S):
    """Render once, then poll until interrupted (Ctrl-C raises KeyboardInterrupt to the caller)."""
    names = ", ".join(str(f) for f in watched_files(watcher.score))
    say(f"watching {names} → {watcher.out_dir}/ ({','.join(watcher.formats)}); Ctrl-C stops")
    say(watcher.render())
    while True:
        time.sleep(poll_s)
        message = watcher.poll(settle=lambda: time.sleep(poll_s))
        if message:
            say(f"{time.strftime('%H:%M:%S')} {message}")
