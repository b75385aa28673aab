"""The whole pipeline in one call: score file → Score → Performance → files on disk."""

import time
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True, slots=True)
class Written:
    format: str
    path: Path
    bytes: int
    seconds: float


def load(path: Path) -> Score:
    """Read a score, or draft one from a .txt story."""
    if path.suffix.lower() == ".txt":
        from .story.draft import draft_score
        return draft_score(path)
    return load_score(path)


def load_and_compose(path: Path, seed: int | None = None) -> tuple[Score, Performance]:
    """Read a score (or draft one from a .txt story) and compose its performance."""
    score = load(path)
    if seed is not None:
        from dataclasses import replace
        score = replace(score, seed=seed)
    return score, compose(score)


def write_outputs(perf: Performance, out_dir: Path, stem: str, formats, options=None, progress=None) -> list[Written]:
    """Write every format, all or nothing: a failure leaves `out_dir` as it was."""
    options = options or {}
    written = []
    with staged_outputs(Path(out_dir)) as stage:
        for name in formats:
            fmt = FORMATS[name]
            if progress:
                progress(name)
            began = time.perf_counter()
            target = stage / f"{stem}{fmt.suffix}"
            fmt.writer()(perf, target, **{k: options[k] for k in fmt.options if k in options})
            written.append(Written(name, Path(out_dir) / target.name, target.stat().st_size,
                                   time.perf_counter() - began))
    return written
