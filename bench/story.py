"""Story drafting: agreement with the labelled corpus, and time against story size.

Run: `python bench/story.py` (`--speed` adds the size benchmark: a 100 KB and a 1 MB story;
`--vader` the comparison with VADER as a second valence signal, which needs vaderSentiment).
Prints agreement on the whole corpus and on the held-out third, the dev paragraphs that disagree,
and seconds per size with their ratio (linear work: ~10x for 10x the text). Asserts nothing.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sequencer.story.corpus import load_corpus, measure, rates  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "paragraphs.yaml"


def agreement(show_misses: bool) -> None:
    outcomes = measure(load_corpus(CORPUS))
    for label, part in (("whole", outcomes), ("dev", [o for o in outcomes if not o.item.held]),
                        ("held-out", [o for o in outcomes if o.item.held])):
        valence, arousal = rates(part)
        print(f"{label:<9} {len(part):>3} paragraphs  valence {valence:6.1%}  arousal {arousal:6.1%}")
    if show_misses:
        for o in outcomes:
            if not o.item.held and not (o.valence_ok and o.arousal_ok):  # the held-out part is only counted
                wrong = ", ".join(w for w, ok in (("valence", o.valence_ok), ("arousal", o.arousal_ok)) if not ok)
                print(f"  miss {o.item.id:<10} {wrong:<16} "
                      f"labelled {o.item.valence}/{o.item.arousal:<4} read {o.valence:+.2f}/{o.arousal:+.2f} "
                      f"{o.mood} [{o.item.trap}]")


def vader() -> None:
    """VADER's compound score as a second valence signal, blended into each paragraph's valence."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    analyser = SentimentIntensityAnalyzer()
    outcomes = measure(load_corpus(CORPUS))
    compound = [analyser.polarity_scores(o.item.text)["compound"] for o in outcomes]
    for share in (0.0, 0.2, 0.35, 0.5, 1.0):
        line = []
        for label, keep in (("whole", lambda o: True), ("dev", lambda o: not o.item.held),
                            ("held-out", lambda o: o.item.held)):
            agree = [((1 - share) * o.valence + share * c > 0) == (o.item.valence == "+")
                     for o, c in zip(outcomes, compound) if keep(o)]
            line.append(f"{label} {sum(agree) / len(agree):6.1%}")
        print(f"VADER share {share:.2f}: valence " + "  ".join(line))


# Inflected forms a story uses and the lemma a reader means: irregular pasts, comparatives, and
# the suffix rules' traps (number is not numb, wind is not win, gone is go).
FORMS = {"number": "number", "wind": "wind", "winds": "wind", "rises": "rise", "smiled": "smile",
         "cries": "cry", "cried": "cry", "happier": "happy", "stronger": "strong", "fell": "fall", "broke": "break",
         "stopped": "stop", "went": "go", "children": "child", "dying": "die", "wept": "weep", "thought": "think",
         "shaking": "shake", "sang": "sing", "ran": "run", "won": "win", "lost": "lose", "began": "begin",
         "felt": "feel", "held": "hold", "saddest": "sad", "angrier": "angry", "sobbing": "sob", "worried": "worry",
         "gone": "go", "numbers": "number", "wolves": "wolf", "knives": "knife", "flew": "fly", "grew": "grow",
         "fought": "fight", "stole": "steal", "hid": "hide", "lying": "lie", "buried": "bury", "burning": "burn"}


def lemmatizers() -> None:
    """simplemma and lemminflect (its first lemma, verbs first) on FORMS: right lemmas and loading time."""
    import simplemma
    from lemminflect import getAllLemmas

    def lemminflect_first(word):
        found = getAllLemmas(word)
        return next((found[pos][0] for pos in ("VERB", "ADJ", "NOUN", "ADV") if pos in found), word)

    for name, lemma in (("simplemma", lambda w: simplemma.lemmatize(w, lang="en")), ("lemminflect", lemminflect_first)):
        began = time.perf_counter()
        lemma("warm")
        loaded = time.perf_counter() - began
        wrong = [f"{w}→{lemma(w)}" for w, want in FORMS.items() if lemma(w) != want]
        print(f"{name:<12} {len(FORMS) - len(wrong)}/{len(FORMS)} right, loads in {loaded:.2f} s; wrong: {wrong}")


def speed() -> None:
    from sequencer.story.draft import draft_story
    paragraph = (" ".join(o.text for o in load_corpus(CORPUS)[:12])).replace("\n", " ")
    times = {}
    for size in (100_000, 1_000_000):
        text = "Mara and Theo walk home. " + (paragraph + " ") * (size // len(paragraph) + 1)
        text = text[:size].rsplit(" ", 1)[0] + "."
        began = time.perf_counter()
        draft_story(text, "big.txt")
        times[size] = time.perf_counter() - began
        print(f"draft of a {size // 1000} KB one-paragraph story: {times[size]:.2f} s")
    print(f"ratio 1 MB / 100 KB: {times[1_000_000] / times[100_000]:.1f} (10 is linear)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speed", action="store_true", help="also time drafting a 100 KB and a 1 MB story")
    parser.add_argument("--vader", action="store_true", help="also measure VADER blended into valence")
    parser.add_argument("--lemmatizers", action="store_true", help="compare simplemma and lemminflect")
    parser.add_argument("--quiet", action="store_true", help="do not list the dev paragraphs that disagree")
    args = parser.parse_args()
    if args.lemmatizers:
        lemmatizers()
    agreement(not args.quiet)
    if args.vader:
        vader()
    if args.speed:
        speed()
