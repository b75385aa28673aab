"""The dance figures of issue 17, measured on four shows: is this breaking a judge would accept?

Run: `python bench/dance.py`. For the default show, crew-battle, a solo show with one section per
mood (tests/scores/every-mood.yaml) and a four-dancer show with one section per formation
(tests/scores/formations.yaml) it prints round shapes, generated freezes per dancer 8-count,
toprock on count 1 or 5 and in 2/4/8-count units, the music's hits caught, call-response floor
passes, canon waits and copies, unison difficulty, duet complementarity and the largest move shares,
measured with the measures of `sequencer/wellformed/dance.py`. The figures before issue 17 were
measured by an earlier version of this script and are kept in bench/dance-before.txt.
A benchmark, not a test: it asserts nothing.
"""

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sequencer.compose import compose  # noqa: E402
from sequencer.score import load_score  # noqa: E402
from sequencer.wellformed import dance, run_rule  # noqa: E402

SHOWS = (ROOT / "scores" / "bakhyt-cooper.yaml", ROOT / "scores" / "crew-battle.yaml",
         ROOT / "tests" / "scores" / "every-mood.yaml", ROOT / "tests" / "scores" / "formations.yaml")


def figures(perf) -> dict:
    """The issue's figures, measured by the well-formedness rules' own measures."""
    out: dict = {}
    bad, total = dance.misshapen_rounds(perf)
    out["round shape (unpinned rounds)"] = (total - len(bad), total)
    freezes = len(dance.generated_freezes(perf))
    out["generated freezes per dancer 8-count"] = round(freezes / dance.dancer_eights(perf), 2)
    bad, total = dance.toprock_off_the_count(perf)
    out["toprock/uprock on count 1 or 5 in 2/4/8-count units"] = (total - len(bad), total)
    bad, total = dance.hits_missed(perf)
    out["hits caught by every dancer's finisher"] = (total - len(bad), total)
    by: dict = {}
    for c in perf.cues:
        by.setdefault((c.section, c.dancer), []).append(c)
    for info in perf.sections:
        name = f"{info.formation} {info.name!r}"
        mine = {d: by[(info.index, d)] for d in info.dancers}
        if info.formation in ("unison", "canon"):
            out[f"{name}: mean (hardest) difficulty per dancer"] = ", ".join(
                f"{d} {sum(c.difficulty for c in cs) / len(cs):.2f} ({max(c.difficulty for c in cs)})"
                for d, cs in mine.items())
        if info.formation == "call-response":
            counts = perf.timeline.sections[info.index].counts
            turns = max(counts // 8, 1)
            wrong = {p.split(":")[0] for p in dance.call_response_turns(perf, info, by)}
            out[f"{name}: 8-counts where the floor passed as the score says"] = (turns - len(wrong), turns)
        if info.formation == "canon":
            roles = Counter(c.role for c in perf.cues if c.section == info.index and c.role)
            out[f"{name}: follower cues marked wait / entry"] = f"{roles['wait']} / {roles['entry']}"
    for name in ("formations-share-time",):
        verdict = run_rule(name, perf)
        out[f"{name} (violators/total)"] = f"{len(verdict.violators)}/{verdict.total}"
    duets = [i for i in perf.sections if i.formation == "duet"]
    for info in duets:
        a, b = (by[(info.index, d)] for d in info.dancers)
        count_ticks = perf.timeline.sections[info.index].meter.count_ticks
        ticks = range(info.start_ticks, info.end_ticks, count_ticks)
        comp = sum(dance._up(dance._at(a, t)) != dance._up(dance._at(b, t)) for t in ticks)
        out[f"duet {info.name!r}: counts one up, one down"] = (comp, len(ticks))
    shares = Counter(c.move for c in perf.cues if c.category != "transition")
    n = sum(shares.values())
    out["largest move shares"] = ", ".join(f"{m} {k / n:.1%}" for m, k in shares.most_common(3))
    return out


def main() -> None:
    for path in SHOWS:
        perf = compose(load_score(path))
        print(f"== {path.relative_to(ROOT)}")
        for name, value in figures(perf).items():
            if isinstance(value, tuple):
                value = f"{value[0]}/{value[1]} ({value[0] / value[1]:.0%})" if value[1] else "0/0"
            print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
