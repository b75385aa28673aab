"""The `sequencer` command. The one place where errors become messages and exit codes.

Exit codes: 0 success, 1 internal error, 2 bad input (score, library file or argument),
3 a missing optional tool (FluidSynth, a soundfont).
"""

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path

from . import __version__
from .errors import InputError, MissingToolError, SequencerError, did_you_mean


def _formats(text: str) -> tuple[str, ...]:
    from .export import FORMATS
    names = tuple(n.strip().lower() for n in text.split(",") if n.strip())
    for name in names:
        if name not in FORMATS:
            raise InputError(f"unknown format {name!r}", field="--format", expected=", ".join(FORMATS),
                             hint=did_you_mean(name, FORMATS))
    if not names:
        raise InputError("no format given", field="--format", expected=", ".join(FORMATS))
    return names


def cmd_render(args) -> int:
    from .export import DEFAULT_FORMATS
    from .render import load_and_compose, resolve_score_path, write_outputs
    from .timeline import format_clock
    formats = _formats(args.format) if args.format else DEFAULT_FORMATS
    began = time.perf_counter()
    path = resolve_score_path(args.score)
    score, perf = load_and_compose(path, seed=args.seed)
    stem = path.name.removesuffix(".txt").removesuffix(".yaml").removesuffix(".yml")
    tty = sys.stderr.isatty() and not args.quiet
    progress = (lambda name: print(f"  writing {name}…", end="\r", file=sys.stderr, flush=True)) if tty else None
    options = {"paper": args.paper, "soundfont": args.soundfont}
    written = write_outputs(perf, Path(args.output), stem, formats, options, progress)
    if not args.quiet:
        print(f"{perf.title}: {len(perf.sections)} sections, {perf.timeline.bars} bars, "
              f"{format_clock(perf.length_s, tenths=True)}, {len(perf.notes)} notes, {len(perf.cues)} move cues (seed {perf.seed})")
        for w in written:
            print(f"  {w.format:<9} {w.path}  ({w.bytes:,} bytes, {w.seconds * 1000:.0f} ms)")
        print(f"done in {time.perf_counter() - began:.2f} s")
    return 0


def cmd_check(args) -> int:
    from .compose.choreography.pins import check_pins
    from .render import load, resolve_score_path
    failed = 0
    for name in args.scores or [None]:
        path = resolve_score_path(name)
        try:
            score = load(path)
            check_pins(score)  # every pin that cannot be danced, all at once, without composing
        except InputError as exc:
            print(exc.message(), file=sys.stderr)
            failed += 1
            continue
        drafted = " (drafted from the story)" if path.suffix.lower() == ".txt" else ""
        print(f"{path}: ok{drafted} ({len(score.sections)} sections, {sum(s.bars for s in score.sections)} bars)")
    return 2 if failed else 0


def cmd_moods(args) -> int:
    from .library import builtin
    moods = sorted(builtin().moods.values(), key=lambda m: (m.arousal, m.valence))
    if args.json:
        print(json.dumps([{
            "name": m.name, "valence": m.valence, "arousal": m.arousal, "description": m.description,
            "key": m.key, "tempo_bpm": list(m.tempo_bpm), "velocity": list(m.velocity), "register": list(m.register),
            "articulation": m.articulation, "density": m.density, "grooves": list(m.grooves), "bass": m.bass,
            "energy": m.energy, "categories": m.categories} for m in moods], indent=1))
        return 0
    print(f"{'mood':<12} {'valence':>7} {'arousal':>7}  {'key':<18} {'tempo':<8} {'energy':>6}  grooves")
    for m in moods:
        tempo = f"{m.tempo_bpm[0]:g}-{m.tempo_bpm[1]:g}"
        print(f"{m.name:<12} {m.valence:>+7.2f} {m.arousal:>+7.2f}  {m.key:<18} {tempo:<8} {m.energy:>6}  "
              f"{', '.join(m.grooves)}")
    return 0


def cmd_moves(args) -> int:
    from .categories import NAMES
    from .library import builtin
    from .moves import LEVELS
    for value, known, option in ((args.category, NAMES, "--category"), (args.level, LEVELS, "--level")):
        if value is not None and value not in known:
            raise InputError(f"unknown {option[2:]} {value!r}", field=option, expected=", ".join(known),
                             hint=did_you_mean(value, known))
    moves = sorted((m for m in builtin().moves.values()
                    if (args.category is None or m.category == args.category)
                    and (args.level is None or args.level in (m.start_level, m.end_level))
                    and (args.difficulty is None or m.difficulty <= args.difficulty)),
                   key=lambda m: (m.category, m.id))
    if args.json:
        print(json.dumps([m.as_dict() for m in moves], indent=1))
        return 0
    print(f"{'id':<18} {'category':<10} {'beats':<5} {'start → end':<21} {'en':>2} {'df':>2}  description")
    for m in moves:
        print(f"{m.id:<18} {m.category:<10} {m.beats_text:<5} {m.start_level + ' → ' + m.end_level:<21} "
              f"{m.energy:>2} {m.difficulty:>2}  {m.description}")
    return 0


def cmd_draft(args) -> int:
    from .export.files import write_atomic
    from .story.draft import draft_yaml
    text = draft_yaml(Path(args.story))
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_atomic(Path(args.output), text.encode("utf-8"))
        print(f"wrote {args.output}")
    return 0


def cmd_sheet(args) -> int:
    from .export.sheet_text import to_text
    from .render import load_and_compose, resolve_score_path
    _, perf = load_and_compose(resolve_score_path(args.score), seed=args.seed)
    sys.stdout.write(to_text(perf))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sequencer", description="Turn a story into a performance: music (MIDI) and breaking choreography.")
    parser.add_argument("--version", action="version", version=f"sequencer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("render", help="render a score (default: the Bakhyt Cooper show) into files")
    p.add_argument("score", nargs="?", help="score .yaml, story .txt, or a shipped score's name")
    p.add_argument("-o", "--output", default="build", help="output folder (default: build)")
    p.add_argument("-f", "--format", help="comma-separated formats: midi,json,pdf,md,txt,musicxml,png,svg,wav "
                   "(default: midi,json,pdf,md,png)")
    p.add_argument("--seed", type=int, help="override the score's seed")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size of the PDF sheet")
    p.add_argument("--soundfont", help="General MIDI soundfont (.sf2) for --format wav")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(run=cmd_render)

    p = sub.add_parser("check", help="validate scores; lists every problem with file:line:column")
    p.add_argument("scores", nargs="*", help="score files (default: the Bakhyt Cooper show)")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("moods", help="list the mood library")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=cmd_moods)

    p = sub.add_parser("moves", help="list the move vocabulary")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--category", help="only this category (toprock, uprock, burn, godown, footwork, power, freeze, …)")
    p.add_argument("--level", help="only moves that start or end at this body level (standing, floor, hand, …)")
    p.add_argument("--difficulty", type=int, choices=range(1, 6), metavar="N", help="only moves of difficulty N or less")
    p.set_defaults(run=cmd_moves)

    p = sub.add_parser("draft", help="draft a score from a story text")
    p.add_argument("story", help="story text file, paragraphs separated by blank lines")
    p.add_argument("-o", "--output", help="score file to write (default: print it)")
    p.set_defaults(run=cmd_draft)

    p = sub.add_parser("sheet", help="print the choreography sheet of a score")
    p.add_argument("score", nargs="?", help="score .yaml, story .txt, or a shipped score's name")
    p.add_argument("--seed", type=int, help="override the score's seed")
    p.set_defaults(run=cmd_sheet)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    except SequencerError as exc:
        print(f"sequencer: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so plainly, show the traceback only when asked
        print(f"sequencer: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in sequencer, not in your score. Set SEQUENCER_DEBUG=1 for the traceback.",
              file=sys.stderr)
        if os.environ.get("SEQUENCER_DEBUG"):
            traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main())
