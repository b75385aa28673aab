"""The `sequencer` command. The one place where errors become messages and exit codes.

Exit codes: 0 success, 1 internal error (a bug), 2 bad input (score, library file or argument),
3 a missing optional tool (FluidSynth, a soundfont), 4 the output cannot be written (not a folder,
read-only, full, no permission), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
"""

import argparse
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path

from . import __version__
from .errors import InputError, OutputError, SequencerError, did_you_mean, shorten

MAX_SEED = 2**32 - 1
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _seed(text: str) -> int:
    """`--seed`: a whole number from 0 to 2**32 - 1, as in a score's `seed:`."""
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{shorten(text, 30)!r} is not a whole number") from None
    if not 0 <= seed <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"{shorten(text, 30)} is out of range; expected 0 to {MAX_SEED}")
    return seed


def _folder(text: str) -> Path:
    """`--include-root`: an existing folder."""
    if not Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{shorten(text)!r} is not a folder")
    return Path(text)


def _terminal_safe(text: str) -> str:
    """Control characters (terminal escapes) shown as `\\x1b`, newlines kept."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)

MAX_COUNT_IN_BARS = 8


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


def _count_in(text: str) -> int:
    bars = int(text) if text.strip().isdigit() else -1
    if not 0 <= bars <= MAX_COUNT_IN_BARS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of bars from 0 to {MAX_COUNT_IN_BARS}")
    return bars


def cmd_render(args) -> int:
    from .export import DEFAULT_FORMATS, with_needs
    from .render import load_and_compose, resolve_score_path, score_stem, write_outputs
    from .timeline import format_clock
    formats = with_needs(_formats(args.format) if args.format else ("pdf",) if args.dancer else DEFAULT_FORMATS)
    began = time.perf_counter()
    path = resolve_score_path(args.score)
    if {"wav", "ogg"} & set(formats):  # before composing: a missing tool or a broken soundfont fails at once
        from .export.audio import find_fluidsynth, find_soundfont
        find_fluidsynth()
        find_soundfont(args.soundfont)
    score, perf = load_and_compose(path, seed=args.seed, count_in_bars=args.count_in, include_root=args.include_root)
    dancers = _dancers(perf, args.dancer)
    stem = score_stem(path)
    tty = sys.stderr.isatty() and not args.quiet
    progress = (lambda name: print(f"  writing {name}…", end="\r", file=sys.stderr, flush=True)) if tty else None
    options = {"paper": args.paper, "soundfont": args.soundfont, "dancers": dancers}
    drafted = None
    if path.suffix.lower() == ".txt":  # keep the score drafted from the story beside what it made
        from .story.draft import draft_yaml
        drafted = {f"{stem}.yaml": draft_yaml(path, seed=args.seed).encode("utf-8")}
    written = write_outputs(perf, Path(args.output or stem), stem, formats, options, progress, extra=drafted)
    if not args.quiet:
        print(f"{perf.title}: {len(perf.sections)} sections, {perf.timeline.bars} bars, "
              f"{format_clock(perf.length_s, tenths=True)}, {len(perf.notes)} notes, {len(perf.cues)} move cues (seed {perf.seed})")
        for w in written:
            print(f"  {w.format:<9} {w.path}  ({w.bytes:,} bytes, {w.seconds * 1000:.0f} ms)")
        print(f"done in {time.perf_counter() - began:.2f} s")
    return 0


def _dancers(perf, names) -> tuple[str, ...]:
    """The dancers asked for with --dancer, each checked against the cast."""
    cast = [d.name for d in perf.cast]
    for name in names or ():
        if name not in cast:
            raise InputError(f"unknown dancer {name!r}", field="--dancer", expected="one of " + ", ".join(cast),
                             hint=did_you_mean(name, cast))
    return tuple(dict.fromkeys(names or ()))


def cmd_watch(args) -> int:
    from .export import DEFAULT_FORMATS, with_needs
    from .render import resolve_score_path, score_stem
    from .watch import Watcher, run
    path = resolve_score_path(args.score)
    stem = score_stem(path)
    watcher = Watcher(path, Path(args.output or stem), stem,
                      with_needs(_formats(args.format) if args.format else DEFAULT_FORMATS),
                      {"paper": args.paper, "soundfont": args.soundfont}, args.seed, args.count_in)
    try:
        run(watcher, lambda text: print(text, flush=True))
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


def cmd_check(args) -> int:
    from .compose import compose
    from .compose.choreography.pins import check_pins
    from .render import load, resolve_score_path
    from .wellformed import check_performance
    failed = 0
    for name in args.scores or [None]:
        path = resolve_score_path(name)
        try:
            score = load(path, args.include_root)
            check_pins(score)  # every pin that cannot be danced, all at once, without composing
            perf = compose(score) if args.deep else None
        except InputError as exc:
            print(_terminal_safe(exc.message()), file=sys.stderr)
            failed += 1
            continue
        drafted = " (drafted from the story)" if path.suffix.lower() == ".txt" else ""
        verdicts = check_performance(perf) if args.deep else []
        broken = sum(not v.ok for v in verdicts)
        status = f"{broken} of {len(verdicts)} rules violated" if broken else "ok"
        print(f"{path}: {status}{drafted} ({len(score.sections)} sections, {sum(s.bars for s in score.sections)} bars)")
        _print_verdicts(verdicts)
        failed += bool(broken)
    return 2 if failed else 0


def _print_verdicts(verdicts, shown: int = 3) -> None:
    """Every rule as `rule: violators/total` under its subject, with the first few violators."""
    subject = None
    for verdict in verdicts:
        if verdict.subject != subject:
            subject = verdict.subject
            print(f"  {subject}")
        print(f"    {verdict.rule}: {len(verdict.violators)}/{verdict.total}")
        for violator in verdict.violators[:shown]:
            print(f"      {violator}")
        if len(verdict.violators) > shown:
            print(f"      … and {len(verdict.violators) - shown} more")


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
        print(f"{m.id:<18} {m.category:<10} {m.counts_text:<5} {m.start_level + ' → ' + m.end_level:<21} "
              f"{m.energy:>2} {m.difficulty:>2}  {m.description}")
    return 0


def cmd_draft(args) -> int:
    from .export.files import write_atomic
    from .story.draft import draft_yaml
    text = draft_yaml(Path(args.story))
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        try:
            write_atomic(Path(args.output), text.encode("utf-8"))
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc), file=args.output) from None
        print(f"wrote {args.output}")
    return 0


def cmd_sheet(args) -> int:
    from .export.sheet_text import to_text
    from .render import load_and_compose, resolve_score_path
    _, perf = load_and_compose(resolve_score_path(args.score), seed=args.seed, include_root=args.include_root)
    sys.stdout.write(to_text(perf, _dancers(perf, args.dancer)))
    return 0


INCLUDE_ROOT_HELP = "folder that include: files may come from (default: the score's folder and below)"


def _add_render_options(p: argparse.ArgumentParser) -> None:
    """What `render` and `watch` share: the score, where and what to write, and how."""
    p.add_argument("score", nargs="?", help="score .yaml, story .txt, or a shipped score's name")
    p.add_argument("-o", "--output", help="output folder (default: a folder named after the score, e.g. bakhyt-cooper/)")
    p.add_argument("-f", "--format", help="comma-separated formats: midi,json,pdf,md,txt,musicxml,png,svg,wav,ogg,html "
                   "(default: midi,json,pdf,md,png)")
    p.add_argument("--seed", type=_seed, help=f"override the score's seed (0 to {MAX_SEED})")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size of the PDF sheet")
    p.add_argument("--soundfont", help="General MIDI soundfont (.sf2) for the wav and ogg formats")
    p.add_argument("--count-in", type=_count_in, default=0, metavar="BARS",
                   help=f"bars of count-in clicks before bar 1, in every output (0-{MAX_COUNT_IN_BARS}, default 0)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sequencer", description="Turn a story into a performance: music (MIDI) and breaking choreography.")
    parser.add_argument("--version", action="version", version=f"sequencer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("render", help="render a score (default: the Bakhyt Cooper show) into files")
    _add_render_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.add_argument("--include-root", type=_folder, metavar="DIR", help=INCLUDE_ROOT_HELP)
    p.add_argument("--dancer", action="append", metavar="NAME",
                   help="write the sheets (pdf, md, txt; default pdf) of this dancer only, one file each, in large "
                   "type with the others as reference lanes; repeat for more dancers")
    p.set_defaults(run=cmd_render)

    p = sub.add_parser("watch", help="render again each time the score or a file it includes is saved")
    _add_render_options(p)
    p.set_defaults(run=cmd_watch)

    p = sub.add_parser("check", help="validate scores; lists every problem with file:line:column")
    p.add_argument("scores", nargs="*", help="score files (default: the Bakhyt Cooper show)")
    p.add_argument("--deep", action="store_true",
                   help="also check the composed show against every rule (prints rule: violators/total)")
    p.add_argument("--include-root", type=_folder, metavar="DIR", help=INCLUDE_ROOT_HELP)
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
    p.add_argument("--include-root", type=_folder, metavar="DIR", help=INCLUDE_ROOT_HELP)
    p.add_argument("--seed", type=_seed, help=f"override the score's seed (0 to {MAX_SEED})")
    p.add_argument("--dancer", action="append", metavar="NAME", help="this dancer's sheet only (repeatable)")
    p.set_defaults(run=cmd_sheet)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    from .children import Terminated, end_cleanly_on_signals, restore_signals
    from .export.files import ENVIRONMENT_ERRNOS
    previous = end_cleanly_on_signals() if argv is None else {}  # only as the command, not when embedded
    try:
        return args.run(args)
    except (InputError, OutputError) as exc:
        print(_terminal_safe(exc.message()), file=sys.stderr)
        return exc.exit_code
    except SequencerError as exc:
        print(_terminal_safe(f"sequencer: {exc}"), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Terminated as exc:
        return 128 + exc.args[0]
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno not in ENVIRONMENT_ERRNOS:
            return _bug(exc)
        print(_terminal_safe(OutputError(exc.strerror or str(exc), file=exc.filename or "sequencer").message()),
              file=sys.stderr)
        return OutputError.exit_code
    except Exception as exc:
        return _bug(exc)
    finally:
        restore_signals(previous)


def _bug(exc: Exception) -> int:
    """A bug: say so plainly, show the traceback only when asked."""
    print(_terminal_safe(f"sequencer: internal error: {type(exc).__name__}: {shorten(exc, 500)}\n"
                         "This is a bug in sequencer, not in your score. Set SEQUENCER_DEBUG=1 for the traceback."),
          file=sys.stderr)
    if os.environ.get("SEQUENCER_DEBUG"):
        traceback.print_exc()
    return 1


if __name__ == "__main__":
    sys.exit(main())
