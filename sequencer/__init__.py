"""sequencer: a story goes in, a performance (music and breaking choreography) comes out.

    score = load_score("scores/bakhyt-cooper.yaml")   # YAML → validated Score
    performance = compose(score)                       # Score → timed Performance
    write_outputs(performance, "build", "show", ["midi", "json"])

The names below are imported on first use, so `sequencer --help` starts without loading the pipeline.
"""

from importlib import import_module

__version__ = "0.1.0"

_PUBLIC = {"compose": ".compose", "Performance": ".performance", "write_outputs": ".render",
           "Score": ".score", "load_score": ".score"}
__all__ = [*_PUBLIC, "__version__"]


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name], __name__), name)
    raise AttributeError(f"module 'sequencer' has no attribute {name!r}")
