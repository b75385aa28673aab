"""sequencer: a story goes in, a performance (music and breaking choreography) comes out.

    score = load_score("scores/bakhyt-cooper.yaml")   # YAML → validated Score
    performance = compose(score)                       # Score → timed Performance
    write_outputs(performance, "build", "show", ["midi", "json"])
"""

__version__ = "0.1.0"

from .compose import compose  # noqa: E402
from .performance import Performance  # noqa: E402
from .render import write_outputs  # noqa: E402
from .score import Score, load_score  # noqa: E402

__all__ = ["Performance", "Score", "compose", "load_score", "write_outputs", "__version__"]
