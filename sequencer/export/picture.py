"""The timeline picture (matplotlib, Agg): sections along time, the mood curves, each dancer's moves.

Three panels share one time axis in seconds: the sections as labelled bands, the valence,
arousal and energy of every section as step curves, and one lane per dancer with each move as
a bar coloured by its category. Fixed size (1600×900 px) and no dates, so output is repeatable.
"""

from io import BytesIO
from pathlib import Path

from ..categories import CATEGORIES
from ..performance import Performance
from ..timeline import format_clock
from .files import write_atomic

WIDTH_PX, HEIGHT_PX, DPI = 1600, 900, 100

_SPARE = ("#8d6e63", "#7986cb", "#4dd0e1", "#aed581", "#ffb74d", "#ba68c8")
_SECTION_SHADES = ("#eef3fb", "#fbf3e8")


# The category table's greyscale patterns as matplotlib hatches, so a black-and-white print tells them apart.
_HATCHES = {"none": "", "dots": "..", "hatch": "///", "cross": "xx", "grid": "++", "vertical": "||",
            "horizontal": "--", "diagonal-back": "\\\\\\"}


def category_hatch(category: str) -> str:
    known = CATEGORIES.get(category.lower())
    return _HATCHES.get(known.pattern, "") if known else ""


def _finisher(category: str) -> bool:
    known = CATEGORIES.get(category.lower())
    return bool(known and known.finisher)  # drawn with a heavy outline, as on the sheet


def category_colours(categories) -> dict[str, str]:
    """A colour per move category: the category table's ink, any category outside it from a spare list in order."""
    colours, spare = {}, iter(_SPARE * 4)
    for category in categories:
        known = CATEGORIES.get(category.lower())
        colours[category] = known.ink if known else next(spare, "#999999")
    return colours


def _figure(perf: Performance):
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    dancers = [d.name for d in perf.cast] or sorted({c.dancer for c in perf.cues})
    grid = fig.add_gridspec(3, 1, height_ratios=(0.9, 2.2, max(1.2, 0.55 * len(dancers))), hspace=0.08,
                            left=0.09, right=0.985, top=0.92, bottom=0.115)
    ax_sec, ax_mood, ax_moves = (fig.add_subplot(grid[i]) for i in range(3))
    end_s = perf.length_s or 1.0
    starts = [perf.seconds(s.start_ticks) for s in perf.sections]
    ends = [perf.seconds(s.end_ticks) for s in perf.sections]
    fig.suptitle(f"{perf.title} — {format_clock(end_s)}, {len(perf.sections)} sections",
                 fontsize=15, fontweight="bold")

    # sections as bands, labelled (wrapped to the band's width) when there is room
    axis_px = WIDTH_PX * (0.985 - 0.09)
    for i, (sec, x0, x1) in enumerate(zip(perf.sections, starts, ends)):
        ax_sec.axvspan(x0, x1, color=_SECTION_SHADES[i % 2], ec="#888888", lw=0.6 if len(starts) <= 60 else 0)
        chars = int((x1 - x0) / end_s * axis_px / 7.2)
        if chars >= 4:
            ax_sec.text((x0 + x1) / 2, 0.6, _wrap(f"{i + 1}. {sec.name}", chars), ha="center", va="center",
                        fontsize=8.5, fontweight="bold", linespacing=1.1)
            ax_sec.text((x0 + x1) / 2, 0.14, _wrap(sec.mood, chars + 2, 1), ha="center", va="center", fontsize=8,
                        color="#444444")
    ax_sec.set_ylim(0, 1)
    ax_sec.set_yticks([])
    ax_sec.set_ylabel("sections", rotation=0, ha="right", va="center", fontsize=10)

    # mood curves, one step per section
    xs = [x for pair in zip(starts, ends) for x in pair]
    for label, values, colour in (
            ("valence", [s.valence for s in perf.sections], "#1f77b4"),
            ("arousal", [s.arousal for s in perf.sections], "#d62728"),
            ("energy", [(s.energy - 3) / 2 for s in perf.sections], "#2ca02c")):
        ys = [v for v in values for _ in (0, 1)]
        ax_mood.plot(xs, ys, color=colour, lw=2.2, label=label if label != "energy" else "energy (1-5)")
    dividers = starts[1:] if len(starts) <= 60 else []  # a long show would drown in lines
    for x in dividers:
        ax_mood.axvline(x, color="#bbbbbb", lw=0.6)
    ax_mood.axhline(0, color="#888888", lw=0.6)
    ax_mood.set_ylim(-1.1, 1.45)  # headroom for the legend
    ax_mood.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax_mood.set_ylabel("mood", rotation=0, ha="right", va="center", fontsize=10)
    ax_mood.legend(loc="upper right", fontsize=9, ncol=3, frameon=True)

    # moves per dancer, coloured by category
    categories = []
    for cue in sorted(perf.cues, key=lambda c: (c.start_ticks, c.dancer)):
        if cue.category not in categories:
            categories.append(cue.category)
    colours = category_colours(categories)
    lanes = {name: i for i, name in enumerate(dancers)}
    bars: dict[tuple[int, str], list] = {}
    for cue in perf.cues:
        if cue.dancer in lanes:
            x0 = perf.seconds(cue.start_ticks)
            bars.setdefault((lanes[cue.dancer], cue.category), []).append((x0, perf.seconds(cue.end_ticks) - x0))
    for (lane, category), spans in sorted(bars.items()):
        ax_moves.broken_barh(spans, (len(dancers) - lane - 0.85, 0.7), facecolors=colours[category],
                             edgecolors="#333333", linewidth=1.2 if _finisher(category) else 0.3,
                             hatch=category_hatch(category))
    for x in dividers:
        ax_moves.axvline(x, color="#bbbbbb", lw=0.6)
    ax_moves.set_ylim(0, max(len(dancers), 1))
    ax_moves.set_yticks([len(dancers) - i - 0.5 for i in range(len(dancers))], dancers, fontsize=10)
    if categories:
        fig.legend(handles=[Patch(facecolor=colours[c], edgecolor="#333333", hatch=category_hatch(c),
                                  label=CATEGORIES[c].label if c in CATEGORIES else c)
                            for c in categories], loc="lower center",
                   bbox_to_anchor=(0.5, 0.0), ncol=min(len(categories), 10), fontsize=9, frameon=False)
    ax_moves.set_xlabel("time (m:ss)", fontsize=10, labelpad=2)

    step = _tick_step(end_s)
    ticks = [t * step for t in range(int(end_s // step) + 1)]
    for ax in (ax_sec, ax_mood, ax_moves):
        ax.set_xlim(0, end_s)
        ax.set_xticks(ticks)
    for ax in (ax_sec, ax_mood):
        ax.tick_params(labelbottom=False)
    ax_moves.set_xticklabels([format_clock(t) for t in ticks], fontsize=9)
    return fig


def _wrap(text: str, chars: int, lines: int = 3) -> str:
    """Text broken into at most `lines` lines of `chars` characters, cut with an ellipsis beyond."""
    import textwrap
    wrapped = textwrap.wrap(text, width=max(chars, 1), break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][:max(chars - 1, 1)] + "…"
    return "\n".join(wrapped)


def _tick_step(length_s: float) -> int:
    for step in (5, 10, 15, 30, 60, 120, 300, 600):
        if length_s / step <= 16:
            return step
    return 900


def _render(perf: Performance, fmt: str) -> bytes:
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib import rc_context

    with rc_context({"svg.hashsalt": "sequencer", "svg.fonttype": "path", "path.simplify": True,
                     "font.family": "DejaVu Sans"}):
        fig = _figure(perf)
        buffer = BytesIO()
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def to_png(perf: Performance) -> bytes:
    return _render(perf, "png")


def to_svg(perf: Performance) -> bytes:
    return _render(perf, "svg")


def write_png(perf: Performance, path: Path):
    write_atomic(Path(path), to_png(perf))


def write_svg(perf: Performance, path: Path):
    write_atomic(Path(path), to_svg(perf))
