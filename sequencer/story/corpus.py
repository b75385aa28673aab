"""A labelled corpus of paragraphs (tests/corpus/paragraphs.yaml) and how well the drafter agrees with it.

Each paragraph carries a reader's labels, set before the tool was run: valence sign (+/-) and
arousal (high/low). A paragraph is drafted as a one-scene story, exactly as `sequencer draft`
would read it, and agrees when the section's valence and arousal have the labelled signs.
"""

from dataclasses import dataclass
from pathlib import Path



@dataclass(frozen=True, slots=True)
class Labelled:
    """One paragraph with its labels; `held` marks the held-out part, only ever measured."""

    id: str
    kind: str
    trap: str
    valence: str  # "+" or "-"
    arousal: str  # "high" or "low"
    held: bool
    text: str


@dataclass(frozen=True, slots=True)
class Outcome:
    item: Labelled
    valence: float
    arousal: float
    mood: str

    @property
    def valence_ok(self) -> bool:
        return (self.valence > 0) == (self.item.valence == "+")

    @property
    def arousal_ok(self) -> bool:
        return (self.arousal > 0) == (self.item.arousal == "high")


def load_corpus(path: Path) -> tuple[Labelled, ...]:
    import yaml
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return tuple(Labelled(str(p["id"]), str(p["kind"]), str(p.get("trap", "")), str(p["valence"]),
                          str(p["arousal"]), p["split"] == "held", " ".join(str(p["text"]).split()))
                 for p in data["paragraphs"])


def measure(items) -> list[Outcome]:
    """Draft every paragraph on its own and keep the section's reading."""
    from .draft import draft_story
    outcomes = []
    for item in items:
        (section,) = draft_story(item.text, f"{item.id}.txt").sections
        outcomes.append(Outcome(item, section.valence, section.arousal, section.mood))
    return outcomes


def rates(outcomes) -> tuple[float, float]:
    """(valence agreement, arousal agreement) as fractions of the outcomes given."""
    n = max(len(outcomes), 1)
    return sum(o.valence_ok for o in outcomes) / n, sum(o.arousal_ok for o in outcomes) / n
