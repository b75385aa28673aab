"""The whole pipeline in one call: score file → Score → Performance → files on disk."""

import gc
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .children import Child, can_fork, child_result, fork_call, stop_children
from .compose import compose
from .errors import InputError
from .export import FORMATS
from .export.files import staged_outputs
from .library import data_dir
from .performance import Performance
from .score import Score, load_score

DEFAULT_SCORE = "bakhyt-cooper"


def builtin_scores() -> dict[str, Path]:
    """Shipped example scores by name (file stem)."""
    return {p.stem: p for p in sorted(data_dir("scores").glob("*.yaml"))}


def resolve_score_path(text: str | None) -> Path:
    """A score argument → a file: a path, or the name of a shipped score; none = the default show."""
    if text is None:
        return builtin_scores()[DEFAULT_SCORE]
    path = Path(text)
    if path.exists() or path.suffix:
        return path
    shipped = builtin_scores()
    if text in shipped:
        return shipped[text]
    raise InputError(f"no score file or shipped score named {text!r}", field="SCORE",
                     expected="a .yaml score, a .txt story, or one of " + ", ".join(shipped))


def score_stem(path: Path) -> str:
    """A score's name without its suffix: the stem of every output file and the default output folder.

    No hidden files from a score named `.yaml`, no control characters in file names.
    """
    stem = path.name
    for suffix in (".txt", ".yaml", ".yml"):
        if stem.lower().endswith(suffix):
            stem = stem[:-len(suffix)]
            break
    stem = re.sub("[\x00-\x1f\x7f-\x9f]", "_", stem).lstrip(". ")
    return stem or "show"


@dataclass(frozen=True, slots=True)
class Written:
    format: str
    path: Path
    bytes: int
    seconds: float


def load(path: Path, include_root: Path | None = None) -> Score:
    """Read a score, or draft one from a .txt story; includes must lie under `include_root`
    (default: the score's folder)."""
    if path.suffix.lower() == ".txt":
        from .story.draft import draft_score
        return draft_score(path)
    return load_score(path, include_root=include_root)


def load_and_compose(path: Path, seed: int | None = None, count_in_bars: int = 0,
                     include_root: Path | None = None) -> tuple[Score, Performance]:
    """Read a score (or draft one from a .txt story) and compose its performance, after a count-in."""
    score = load(path, include_root)
    if seed is not None:
        from dataclasses import replace
        score = replace(score, seed=seed)
    return score, compose(score, count_in_bars)


def write_outputs(perf: Performance, out_dir: Path, stem: str, formats, options=None, progress=None,
                  extra: dict[str, bytes] | None = None) -> list[Written]:
    """Write every format, all or nothing: a failure leaves `out_dir` as it was.

    `extra` maps further file names to their bytes (the score drafted from a story), written
    with the formats and listed as format "draft".

    Heavy formats (each imports a large library) run in forked child processes beside the
    others when the machine has a second core: on two cores the default render takes ~0.4 s less.
    """
    options = options or {}
    with staged_outputs(Path(out_dir)) as stage:
        for name, data in (extra or {}).items():
            (stage / name).write_bytes(data)
        jobs = [job for name in formats for job in _jobs(name, stage, stem, options)]
        heavy = [job for job in jobs if FORMATS[job[0]].heavy]
        # The parent writes the light formats, or one heavy one if there are none; children the rest.
        forked = (heavy if len(heavy) < len(jobs) else heavy[1:]) if can_fork() else []
        here = [job for job in jobs if job not in forked]
        # The performance lives until the end: keep the collector from scanning it again, and forked
        # children from copying its pages when a collection would touch their reference counts. The
        # writers make no cycles worth collecting before the process ends.
        gc.freeze()
        collecting = gc.isenabled()
        gc.disable()
        children = [_start_child(perf, *job) for job in forked]
        seconds = {}
        try:
            for name, target, kwargs in here:
                if progress:
                    progress(name)
                seconds[name] = _write_one(perf, name, target, kwargs)
            for (name, _, _), child in zip(forked, children):
                if progress:
                    progress(name)
                seconds[name] = child_result(child)
        finally:
            gc.unfreeze()
            if collecting:
                gc.enable()
            stop_children(children)
        return [Written("draft", Path(out_dir) / name, len(data), 0.0) for name, data in (extra or {}).items()] + [
            Written(name, Path(out_dir) / target.name, target.stat().st_size, seconds[name]) for name, target, _ in jobs]


def _jobs(name: str, stage: Path, stem: str, options: dict) -> list[tuple[str, Path, dict]]:
    """The files one format writes: one, or with `dancers` one sheet per dancer (`show.Lena.sheet.pdf`)."""
    kwargs = {k: options[k] for k in FORMATS[name].options if k in options and k != "dancers"}
    if "dancers" not in FORMATS[name].options or not options.get("dancers"):
        return [(name, stage / f"{stem}{FORMATS[name].suffix}", kwargs)]
    return [(name, stage / f"{stem}.{_file_safe(d)}{FORMATS[name].suffix}", {**kwargs, "dancers": (d,)})
            for d in options["dancers"]]


def _file_safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name) or "dancer"


def _write_one(perf: Performance, name: str, target: Path, kwargs: dict) -> float:
    began = time.perf_counter()
    FORMATS[name].writer()(perf, target, **kwargs)
    return time.perf_counter() - began


def _start_child(perf: Performance, name: str, target: Path, kwargs: dict) -> Child:
    """Fork a process that writes one format and sends back its seconds or its error."""
    return fork_call(_write_one, perf, name, target, kwargs)
