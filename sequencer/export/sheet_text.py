"""The choreography sheet as plain text (a fixed-width grid for terminals) and as Markdown tables.

Both draw `sheet.build_sheet`: one row per 8-count, counts 1-8 across, a music lane and one lane
per dancer. Nothing is cut: a label longer than its box wraps onto more lines of the lane.
`sequencer sheet SCORE` prints `to_text`.
"""

from pathlib import Path

from ..performance import Performance
from ..timeline import format_clock
from .files import write_atomic
from .sheet import (COUNTS_PER_ROW, MARKS, MIRROR_MARK, Lane, Row, SectionSheet, Sheet, Span, build_sheet,
                    category_code, for_dancers)

COUNT_WIDTH = 10  # characters per count in the text grid; a half count is 5
_LEFT = (4, 7, 6)  # "8ct", "bar" (bar or bar:beat), "time"


def _cast_text(sheet: Sheet) -> str:
    return ", ".join(f"{name} (skill {skill})" for name, skill in sheet.cast) or "none"


def _legend(sheet: Sheet) -> str:
    codes = " · ".join(f"{category_code(c)} {c}" for c in sheet.categories)
    return codes or "no moves"


def _shorts(sheet: Sheet) -> str:
    return " · ".join(f"{short} = {name}" for short, name in sheet.shorts)


def _marks_text() -> str:
    return " · ".join(f"{mark} {meaning}" for mark, meaning in MARKS)


def stage_text(sec: SectionSheet) -> str:
    """Where each dancer starts the section: `Bakhyt (-0.5, 0.3)` (x left→right, y front→back)."""
    return ", ".join(f"{d} ({x:+.2f}, {y:.2f})" for d, x, y in sec.stage)


def _section_facts(sec: SectionSheet) -> str:
    who = ", ".join(sec.dancers) or "no dancers"
    formation = f" ({sec.formation})" if sec.formation and len(sec.dancers) > 1 else ""
    return (f"{sec.mood} · {sec.key} · {sec.tempo_text} · {sec.meter} · {sec.bars_text} · {sec.time_text} · "
            f"{who}{formation}")


def _musician_text(sec: SectionSheet) -> str:
    return " · ".join(f"{at} {text}" for at, text in sec.musician)


def span_label(span: Span, short: bool = False) -> str:
    """The words a span shows: category code, name (or its short name), marks, the count its hit lands on."""
    text = f"{span.code} {span.short if short and span.short else span.name}"
    if span.mirrored:
        text += f" {MIRROR_MARK}"
    if span.freeze:
        text += "*"
    if span.accent_count:
        text += f" !{span.accent_count}"
    if span.pinned:
        text += " (pin)"
    return text


def wrap(text: str, width: int) -> list[str]:
    """Text in lines of at most `width` characters, at spaces where it can, inside long words where not."""
    width = max(width, 1)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    return lines + [current] if current or not lines else lines


# -- plain text ----------------------------------------------------------------------------------
def _span_lines(span: Span) -> tuple[int, int, list[str]]:
    """A span as (first column, width, lines): its box on the first line, the rest of its label below."""
    lo = round(span.start_counts * COUNT_WIDTH)
    width = round(span.end_counts * COUNT_WIDTH) - lo
    if width <= 2:  # too narrow for a box: the label runs down the column as it is
        return lo, max(width, 1), wrap(span.short or span.name, max(width, 1))
    inner = width - 2
    tries = [wrap(span_label(span), inner), wrap(span_label(span)[3:], inner)]
    if span.short:
        tries.append(wrap(span_label(span, short=True)[3:], inner))
    chunks = min(tries, key=len)
    opener = "<" if span.continued else "["
    closer = ">" if span.continues else "]"
    first = chunks[0]
    body = first + (" " + "-" * (inner - len(first) - 1) if inner - len(first) > 1 else " " * (inner - len(first)))
    return lo, width, [opener + body + closer] + [" " + c.ljust(inner) + " " for c in chunks[1:]]


def _grid(pieces) -> list[str]:
    """Pieces (first column, width, lines) drawn on as many grid lines as the tallest needs."""
    height = max((len(p[2]) for p in pieces), default=1)
    lines = [[" "] * (COUNT_WIDTH * COUNTS_PER_ROW) for _ in range(height)]
    for lo, width, texts in pieces:
        for k, text in enumerate(texts):
            lines[k][lo:lo + width] = text[:width].ljust(width)
    return ["".join(line).rstrip() for line in lines]


def _music_pieces(row: Row) -> list[tuple[int, int, list[str]]]:
    by_count: dict[int, list[str]] = {}
    for mark in row.music:
        by_count.setdefault(mark.count, []).append(("!" if mark.hit else "") + mark.text)
    counts = sorted(by_count)
    pieces = []
    for n, count in enumerate(counts):
        lo = (count - 1) * COUNT_WIDTH
        hi = (counts[n + 1] - 1) * COUNT_WIDTH - 1 if n + 1 < len(counts) else COUNT_WIDTH * COUNTS_PER_ROW
        pieces.append((lo, hi - lo, wrap(" + ".join(by_count[count]), hi - lo)))
    return pieces


def _reference_pieces(lane: Lane) -> list[tuple[int, int, list[str]]]:
    words = lane.words
    return [(max((count - 1) * COUNT_WIDTH, 0), COUNT_WIDTH - 1, [f"· {word}"]) for count, word in words]


def _name_width(sheet: Sheet) -> int:
    roles = max((len(w) + 1 for w in ("call", "answer", "groove", "wait", "entry")), default=0)
    return max([len(name) for name, _ in sheet.cast] + [len("music")]) + roles


def _text_row(row: Row, name_width: int) -> list[str]:
    left = f"{row.eight_count:<{_LEFT[0]}}{row.bar_text:<{_LEFT[1]}}{format_clock(row.start_s):<{_LEFT[2]}}"
    pad = " " * len(left)
    lines = []
    for k, line in enumerate(_grid(_music_pieces(row))):
        lines.append(f"{left if k == 0 else pad}{('music' if k == 0 else '').ljust(name_width)} |{line}")
    for lane in row.lanes:
        pieces = _reference_pieces(lane) if lane.reference else [_span_lines(s) for s in lane.spans]
        name = f"{lane.dancer} {lane.role}".rstrip()
        for k, line in enumerate(_grid(pieces)):
            lines.append(f"{pad}{(name if k == 0 else '').ljust(name_width)} |{line}")
    return lines


def _text_section(sec: SectionSheet, name_width: int) -> list[str]:
    title = f"== {sec.index + 1}. {sec.name} "
    width = sum(_LEFT) + name_width + 2 + COUNT_WIDTH * COUNTS_PER_ROW
    counts = "".join(str(c).ljust(COUNT_WIDTH) for c in range(1, COUNTS_PER_ROW + 1)).rstrip()
    lines = [title + "=" * max(width - len(title), 4), _section_facts(sec), f"stage: {stage_text(sec)}"]
    if sec.notes:
        lines.append(f"notes: {sec.notes}")
    if sec.musician:
        lines.append(f"for musicians: {_musician_text(sec)}")
    lines += ["", f"{'8ct':<{_LEFT[0]}}{'bar':<{_LEFT[1]}}{'time':<{_LEFT[2]}}{'':<{name_width}} |{counts}",
              "-" * width]
    for row in sec.rows:
        lines += _text_row(row, name_width)
    lines.append("")
    return lines


def sheet_to_text(sheet: Sheet) -> str:
    for_whom = f"sheet for {', '.join(sheet.focus)}" if sheet.focus else "crew sheet"
    lines = [sheet.title, "=" * len(sheet.title),
             f"{for_whom} · length {format_clock(sheet.length_s)} · tempo {sheet.tempo_text} · "
             f"{len(sheet.sections)} sections · score {sheet.source} (seed {sheet.seed})",
             f"cast: {_cast_text(sheet)}",
             f"moves: {_legend(sheet)}",
             "marks: [move] spans its counts · <  continues from the previous 8-count · >  runs on into the next · "
             "* freeze · !n its hit lands on count n · (pin) set by the choreographer · music: !hit · "
             + _marks_text()]
    if sheet.shorts:
        lines.append(f"short names: {_shorts(sheet)}")
    if sheet.focus:
        lines.append("others on the floor: · up standing · down on the floor · freeze held shape")
    lines.append("")
    name_width = _name_width(sheet)
    for sec in sheet.sections:
        lines += _text_section(sec, name_width)
    return "\n".join(lines).rstrip() + "\n"


def to_text(perf: Performance, dancers=()) -> str:
    """The whole sheet as fixed-width text (what `sequencer sheet` prints), or some dancers' sheet."""
    sheet = build_sheet(perf)
    return sheet_to_text(for_dancers(sheet, dancers) if dancers else sheet)


def write_text(perf: Performance, path: Path, dancers=()):
    write_atomic(Path(path), to_text(perf, dancers).encode("utf-8"))


# -- Markdown -------------------------------------------------------------------------------------
def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*")


def _md_cells(spans, counts: int) -> list[str]:
    starts: list[list[str]] = [[] for _ in range(COUNTS_PER_ROW)]
    holds: list[str] = [""] * COUNTS_PER_ROW
    for span in spans:
        label = _md(span_label(span)).replace(f"{span.code} ", f"`{span.code}` ", 1)
        label = f"**{label}**" if span.freeze else label
        first = ("… " if span.continued else "") + ("& " if span.offbeat else "") + label
        starts[span.first_count - 1].append(first + (" →" if span.continues and span.counts == 1 else ""))
        for count in range(span.first_count + 1, span.last_count + 1):
            holds[count - 1] = "→" if count == span.last_count and span.continues else "–"
    # A count where a move starts shows that move, not the tail of the one before it.
    out = [" / ".join(s) if s else h for s, h in zip(starts, holds)]
    return [c if i < counts else "" for i, c in enumerate(out)]


def _md_words(lane: Lane, counts: int) -> list[str]:
    cells = [""] * COUNTS_PER_ROW
    for count, word in lane.words:
        cells[count - 1] = f"*{word}*"
    return [c if i < counts else "" for i, c in enumerate(cells)]


def _md_section(sec: SectionSheet) -> list[str]:
    lines = [f"## {sec.index + 1}. {_md(sec.name)}", "", _md(_section_facts(sec)), "",
             f"**Stage:** {_md(stage_text(sec))}", ""]
    if sec.notes:
        lines += [f"*{_md(sec.notes)}*", ""]
    if sec.musician:
        lines += [f"For musicians: {_md(_musician_text(sec))}", ""]
    header = ["8ct", "bar", "time", ""] + [str(c) for c in range(1, COUNTS_PER_ROW + 1)]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in sec.rows:
        music = [[] for _ in range(COUNTS_PER_ROW)]
        for mark in row.music:
            music[mark.count - 1].append(f"**{_md(mark.text)}**" if mark.hit else _md(mark.text))
        cells = [str(row.eight_count), row.bar_text, format_clock(row.start_s), "*music*"] + \
            [", ".join(m) for m in music]
        lines.append("| " + " | ".join(cells) + " |")
        for lane in row.lanes:
            name = _md(lane.dancer) + (f" *({lane.role})*" if lane.role else "")
            grid = _md_words(lane, row.counts) if lane.reference else _md_cells(lane.spans, row.counts)
            lines.append("| " + " | ".join(["", "", "", name] + grid) + " |")
    lines.append("")
    return lines


def sheet_to_markdown(sheet: Sheet) -> str:
    for_whom = f"**Sheet for** {_md(', '.join(sheet.focus))} · " if sheet.focus else ""
    lines = [f"# {_md(sheet.title)}", "",
             f"{for_whom}**Length** {format_clock(sheet.length_s)} · **Tempo** {sheet.tempo_text} · "
             f"**Sections** {len(sheet.sections)} · "
             f"**Cast** {_md(_cast_text(sheet))} · score `{sheet.source}`, seed {sheet.seed}", "",
             f"**Moves:** {_md(_legend(sheet))}  ",
             "**Marks:** a move is written on the count it starts, `–` on the counts it holds, "
             "`→` runs on into the "
             "next 8-count, `…` continues from the previous one, `&` starts on the and; **bold** moves are freezes, "
             "`!n` is the count their hit lands on; **bold** music marks are hits; " + _md(_marks_text()) + ".  "]
    if sheet.shorts:
        lines.append(f"**Short names:** {_md(_shorts(sheet))}  ")
    if sheet.focus:
        lines.append("**Others on the floor:** *up* standing, *down* on the floor, *freeze* a held shape.  ")
    lines.append("")
    for sec in sheet.sections:
        lines += _md_section(sec)
    return "\n".join(lines).rstrip() + "\n"


def to_markdown(perf: Performance, dancers=()) -> str:
    """The whole sheet as Markdown: a table per section, one row per 8-count and dancer."""
    sheet = build_sheet(perf)
    return sheet_to_markdown(for_dancers(sheet, dancers) if dancers else sheet)


def write_markdown(perf: Performance, path: Path, dancers=()):
    write_atomic(Path(path), to_markdown(perf, dancers).encode("utf-8"))
