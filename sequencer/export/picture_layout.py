"""The timeline picture laid out in pixels: sections, mood curves and every dancer's moves on one time axis.

Three panels share the axis: the sections as bands labelled where the label fits, the valence,
arousal and energy of every section as step curves, and one lane per dancer with each move as a
bar in its category's ink and greyscale hatch, finishers outlined heavily. Moves narrower than a
pixel merge with their neighbours of the same category, so an hour-long show stays a few thousand
rectangles. The result is a plain display list (picture_items) that the PNG and SVG writers draw.
"""

from ..categories import CATEGORIES
from ..performance import Performance
from ..timeline import format_clock
from . import picture_text as text
from .picture_items import Line, Picture, Rects, Text

WIDTH_PX, HEIGHT_PX = 1600, 900
LEFT, RIGHT, TOP, BOTTOM = 144, 1576, 72, 796  # the panels' frame
GAP = 0.08  # between panels, a part of the mean panel height

OUTLINE, FINISHER_OUTLINE = "#666666", "#222222"  # a move's edge stays light; a finisher's is heavy
_SPARE = ("#8d6e63", "#7986cb", "#4dd0e1", "#aed581", "#ffb74d", "#ba68c8")
_SECTION_SHADES = ("#eef3fb", "#fbf3e8")
_MOODS = (("valence", "#1f77b4"), ("arousal", "#d62728"), ("energy (1-5)", "#2ca02c"))
_MOOD_TOP, _MOOD_BOTTOM = 1.45, -1.1  # headroom above 1 for the legend
_DIVIDERS_UP_TO = 60  # sections; a longer show would drown in lines
_OUTLINED_FROM = 3.0  # pixels: a narrower bar is all outline, so it goes without


def category_colours(categories) -> dict[str, str]:
    """A colour per move category: the category table's ink, any category outside it from a spare list in order."""
    colours, spare = {}, iter(_SPARE * 4)
    for category in categories:
        known = CATEGORIES.get(category.lower())
        colours[category] = known.ink if known else next(spare, "#999999")
    return colours


def category_hatch(category: str) -> str:
    """The category's greyscale pattern (categories.PATTERNS); "none" for a category outside the table."""
    known = CATEGORIES.get(category.lower())
    return known.pattern if known else "none"


def _finisher(category: str) -> bool:
    known = CATEGORIES.get(category.lower())
    return bool(known and known.finisher)


def _outline(category: str) -> tuple[str, int]:
    """Colour and width of a move's outline: heavy for a finisher, as on the sheet."""
    return (FINISHER_OUTLINE, 2) if _finisher(category) else (OUTLINE, 1)


def _label(category: str) -> str:
    known = CATEGORIES.get(category.lower())
    return known.label if known else category


def layout(perf: Performance) -> Picture:
    """The picture of a performance as a display list, 1600×900 pixels."""
    end_s = perf.length_s or 1.0
    scale = (RIGHT - LEFT) / end_s
    seconds = perf.seconds
    starts = [LEFT + seconds(s.start_ticks) * scale for s in perf.sections]
    ends = [LEFT + seconds(s.end_ticks) * scale for s in perf.sections]
    dividers = [_centre(x) for x in starts[1:]] if len(starts) <= _DIVIDERS_UP_TO else []
    dancers = [d.name for d in perf.cast] or sorted({c.dancer for c in perf.cues})
    panels = _panels(len(dancers))
    title = f"{perf.title} — {format_clock(end_s)}, {len(perf.sections)} sections"
    items: list = [Text(WIDTH_PX / 2, 36, text.fit(title, WIDTH_PX - 40, 21, True), 21, bold=True, align="middle")]
    items += _sections(perf, starts, ends, dividers, panels[0])
    items += _moods(perf, starts, ends, dividers, panels[1])
    categories, lane_items = _lanes(perf, dancers, scale, dividers, panels[2])
    items += lane_items
    items.append(Rects(tuple((LEFT, top, RIGHT, bottom) for top, bottom in panels), outline="#000000"))
    items += _time_axis(end_s, scale, panels)
    items += _legend(categories)
    return Picture(WIDTH_PX, HEIGHT_PX, title, tuple(items))


def _panels(dancers: int) -> list[tuple[int, int]]:
    """(top, bottom) of the sections, mood and moves panels: the moves panel grows with the cast."""
    ratios = (0.9, 2.2, max(1.2, 0.55 * dancers))
    mean = (BOTTOM - TOP) / (len(ratios) + GAP * (len(ratios) - 1))
    unit = mean * len(ratios) / sum(ratios)
    panels, y = [], float(TOP)
    for ratio in ratios:
        panels.append((round(y), round(y + ratio * unit)))
        y += ratio * unit + GAP * mean
    return panels


def _centre(x: float) -> float:
    """The centre of the pixel `x` falls in: where a one-pixel line stays sharp."""
    return int(x) + 0.5


def _baseline(middle: float, size: float) -> float:
    """The baseline that centres a line of text of `size` on `middle`."""
    return middle + (text.ascent(size) - text.descent(size)) / 2


def _sections(perf: Performance, starts, ends, dividers, panel) -> list:
    """The sections panel: alternating bands, each labelled with its number, name and mood where they fit."""
    top, bottom = panel
    items: list = [Rects(tuple((starts[i], top, ends[i], bottom) for i in range(shade, len(starts), 2)), fill=colour)
                   for shade, colour in enumerate(_SECTION_SHADES)]
    items += [Line(((x, top), (x, bottom)), "#888888") for x in dividers]
    name_size, mood_size = 12, 11
    line_height = round(1.1 * (text.ascent(name_size) + text.descent(name_size)))
    height = bottom - top
    mood_middle, name_middle = top + 0.86 * height, top + 0.4 * height
    half_room = min(name_middle - top - 3, mood_middle - 0.6 * mood_size - 3 - name_middle)
    lines = max(0, min(3, int(2 * half_room // line_height)))
    least = text.width("0000", name_size, bold=True)  # a band narrower than four letters stays unlabelled
    for i, (sec, x0, x1) in enumerate(zip(perf.sections, starts, ends)):
        room, middle = x1 - x0 - 6, (x0 + x1) / 2
        if room < least:
            continue
        wrapped = _section_label(i + 1, sec.name, room, name_size, lines)
        first = _baseline(name_middle, name_size) - (len(wrapped) - 1) * line_height / 2
        items += [Text(middle, first + k * line_height, line, name_size, bold=True, align="middle")
                  for k, line in enumerate(wrapped)]
        mood = text.fit(sec.mood, room, mood_size)
        if mood == sec.mood or len(mood) > 4:  # cut, but still recognisable
            items.append(Text(middle, _baseline(mood_middle, mood_size), mood, mood_size, "#444444", align="middle"))
    items.append(Text(LEFT - 6, _baseline((top + bottom) / 2, 14), "sections", 14, align="right"))
    return items


def _section_label(number: int, name: str, room: float, size: int, lines: int) -> list[str]:
    """The section's number and name wrapped to its band; just the number where the name's first word does
    not fit whole."""
    if not lines:
        return []
    label = f"{number}. {name}"
    wrapped = text.wrap(label, room, size, True, lines)
    if " ".join(wrapped).startswith(" ".join(label.split()[:2])):
        return wrapped
    return text.wrap(f"{number}.", room, size, True, 1)


def _moods(perf: Performance, starts, ends, dividers, panel) -> list:
    """The mood panel: valence, arousal and energy as step curves over the sections, with y ticks and a legend."""
    top, bottom = panel

    def y_of(value: float) -> float:
        return top + (_MOOD_TOP - value) / (_MOOD_TOP - _MOOD_BOTTOM) * (bottom - top)

    items: list = [Line(((x, top), (x, bottom)), "#bbbbbb") for x in dividers]
    zero = _centre(y_of(0))
    items.append(Line(((LEFT, zero), (RIGHT, zero)), "#888888"))
    curves = ([s.valence for s in perf.sections], [s.arousal for s in perf.sections],
              [(s.energy - 3) / 2 for s in perf.sections])
    for values, (_, colour) in zip(curves, _MOODS):
        points = tuple((x, y_of(v)) for x0, x1, v in zip(starts, ends, values) for x in (x0, x1))
        if points:
            items.append(Line(points, colour, 3))
    for value in (-1, -0.5, 0, 0.5, 1):
        y = _centre(y_of(value))
        items.append(Line(((LEFT - 5, y), (LEFT, y)), "#000000"))
        items.append(Text(LEFT - 8, _baseline(y, 12), f"{value:.1f}".replace("-", "−"), 12, align="right"))
    label_right = LEFT - 8 - text.width("−0.5", 12) - 8
    items.append(Text(label_right, _baseline((top + bottom) / 2, 14), "mood", 14, align="right"))
    return items + _mood_legend(top)


def _mood_legend(top: float) -> list:
    """The curves' legend, boxed in the mood panel's top-right corner."""
    sample, gap, spacing, pad, size = 28, 6, 18, 8, 12
    widths = [sample + gap + text.width(label, size) for label, _ in _MOODS]
    box_right, box_top = RIGHT - 8, top + 8
    box_left = box_right - sum(widths) - spacing * (len(widths) - 1) - 2 * pad
    middle = _centre(box_top + 13)
    items: list = [Rects(((box_left, box_top, box_right, box_top + 26),), fill="#ffffff", outline="#cccccc")]
    x = box_left + pad
    for (label, colour), entry in zip(_MOODS, widths):
        items.append(Line(((x, middle), (x + sample, middle)), colour, 3))
        items.append(Text(x + sample + gap, _baseline(middle, size), label, size))
        x += entry + spacing
    return items


def _lanes(perf: Performance, dancers, scale: float, dividers, panel) -> tuple[list[str], list]:
    """The moves panel: one lane per dancer, a bar per move (or per run of too-short moves of one category)."""
    top, bottom = panel
    pitch = (bottom - top) / max(len(dancers), 1)
    lanes = {name: i for i, name in enumerate(dancers)}
    categories: dict[str, None] = {}
    by_lane: dict[int, list] = {}
    for cue in sorted(perf.cues, key=lambda c: (c.start_ticks, c.dancer)):
        categories.setdefault(cue.category)
        if cue.dancer in lanes:
            by_lane.setdefault(lanes[cue.dancer], []).append(cue)
    boxes: dict[tuple[str, bool], list] = {}
    seconds = perf.seconds
    for lane, cues in by_lane.items():
        y0, y1 = round(top + (lane + 0.15) * pitch), round(top + (lane + 0.85) * pitch)
        spans = ((c.category, LEFT + seconds(c.start_ticks) * scale, min(LEFT + seconds(c.end_ticks) * scale, RIGHT))
                 for c in cues)
        for category, x0, x1 in _runs(span for span in spans if span[1] < span[2]):  # clipped to the show
            boxes.setdefault((category, x1 - x0 >= _OUTLINED_FROM), []).append((x0, y0, x1, y1))
    colours = category_colours(categories)
    items: list = [Line(((x, top), (x, bottom)), "#bbbbbb") for x in dividers]
    for category in categories:
        for outlined in (False, True):
            if (category, outlined) in boxes:
                outline, width = _outline(category) if outlined else (None, 1)
                items.append(Rects(tuple(boxes[category, outlined]), colours[category], category_hatch(category),
                                   outline, width))
    size = min(14, int(pitch * 0.8))
    if size >= 7:  # names only where a lane is tall enough to hold them
        for name, lane in lanes.items():
            y = _centre(top + (lane + 0.5) * pitch)
            items.append(Line(((LEFT - 5, y), (LEFT, y)), "#000000"))
            items.append(Text(LEFT - 8, _baseline(y, size), text.fit(name, LEFT - 16, size), size, align="right"))
    return list(categories), items


def _runs(bars):
    """(category, x0, x1) of bars in time order, a bar under a pixel wide merged into its touching neighbour of
    the same category (and that neighbour into it)."""
    current = None
    for category, x0, x1 in bars:
        if (current and current[0] == category and x0 - current[2] < 1
                and (x1 - x0 < 1 or current[2] - current[1] < 1)):
            current[2] = max(current[2], x1)
            continue
        if current:
            yield tuple(current)
        current = [category, x0, x1]
    if current:
        yield tuple(current)


def _tick_step(length_s: float) -> int:
    for step in (5, 10, 15, 30, 60, 120, 300, 600):
        if length_s / step <= 16:
            return step
    return 900


def _time_axis(end_s: float, scale: float, panels) -> list:
    """Tick marks under every panel, m:ss under the last, and the axis' name."""
    step = _tick_step(end_s)
    xs = [(t * step, _centre(LEFT + t * step * scale)) for t in range(int(end_s // step) + 1)]
    items: list = [Line(((x, bottom), (x, bottom + 5)), "#000000") for _, bottom in panels for _, x in xs]
    bottom = panels[-1][1]
    items += [Text(x, bottom + 20, format_clock(t), 12, align="middle") for t, x in xs]
    items.append(Text((LEFT + RIGHT) / 2, bottom + 39, "time (m:ss)", 14, align="middle"))
    return items


def _legend(categories: list[str]) -> list:
    """The category legend along the bottom: swatch and label per category, in rows centred on the picture."""
    swatch_w, swatch_h, gap, spacing, size, row_height = 26, 12, 6, 24, 12, 21
    colours = category_colours(categories)
    entries = [(c, swatch_w + gap + text.width(_label(c), size)) for c in categories]
    rows: list[list] = []
    for entry in entries:
        if rows and sum(w for _, w in rows[-1]) + spacing * len(rows[-1]) + entry[1] <= WIDTH_PX - 80:
            rows[-1].append(entry)
        else:
            rows.append([entry])
    items: list = []
    first = min(BOTTOM + 64, HEIGHT_PX - 12 - row_height * (len(rows) - 1))
    for r, row in enumerate(rows):
        middle = first + r * row_height
        x = (WIDTH_PX - sum(w for _, w in row) - spacing * (len(row) - 1)) / 2
        for category, entry in row:
            box = (round(x), round(middle - swatch_h / 2), round(x) + swatch_w, round(middle + swatch_h / 2))
            items.append(Rects((box,), colours[category], category_hatch(category), *_outline(category)))
            items.append(Text(x + swatch_w + gap, _baseline(middle, size), _label(category), size))
            x += entry + spacing
    return items
