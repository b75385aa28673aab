"""The choreography sheet as plain text (a fixed-width grid for terminals) and as Markdown tables.

Both draw `sheet.build_sheet`: one row per 8-count, counts 1-8 across, a music lane and one lane
per dancer. `sequencer sheet SCORE` prints `to_text`.
"""

from pathlib import Path

from ..performance import Performance
from ..timeline import format_clock
from .files import write_atomic
from .sheet import COUNTS_PER_ROW, Row, SectionSheet, Sheet, Span, build_sheet, category_code

COUNT_WIDTH = 10  # characters per count in the text grid; a half count is 5
_LEFT = 24        # "8ct bar  time  who      " before the grid


def _cast_text(sheet: Sheet) -> str:
    return ", ".join(f"{name} (skill {skill})" for name, skill in sheet.cast) or "none"


def _legend(sheet: Sheet) -> str:
    codes = " · ".join(f"{category_code(c)} {c}" for c in sheet.categories)
    return codes or "no moves"


def _section_facts(sec: SectionSheet) -> str:
    who = ", ".join(sec.dancers) or "no dancers"
    formation = f" ({sec.formation})" if sec.formation and len(sec.dancers) > 1 else ""
    return (f"{sec.mood} · {sec.key} · {sec.tempo_text} · {sec.meter} · {sec.bars_text} · {sec.time_text} · "
            f"{who}{formation}")


def span_label(span: Span) -> str:
    """The words a span shows: category code, name, freeze star, the count its hit lands on."""
    text = f"{span.code} {span.name}"
    if span.freeze:
        text += "*"
    if span.accent_count:
        text += f" !{span.accent_count}"
    if span.pinned:
        text += " (pin)"
    return text


# -- plain text ----------------------------------------------------------------------------------
def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(width - 1, 0)] + "~"


def _draw_span(line: list[str], span: Span):
    lo = round(span.start_counts * COUNT_WIDTH)
    hi = round(span.end_counts * COUNT_WIDTH)
    width = hi - lo
    if width <= 0:
        return
    if width == 1:
        line[lo] = "<" if span.continued else "|"
        return
    opener = "<" if span.continued else "["
    closer = ">" if span.continues else "]"
    inner = width - 2
    label = span_label(span)
    if len(label) > inner:
        label = span.name  # a narrow box keeps the name rather than the category code
    label = _fit(label, inner)
    body = label + (" " + "-" * (inner - len(label) - 1) if inner - len(label) > 1 else " " * (inner - len(label)))
    line[lo:hi] = opener + body + closer


def _music_line(row: Row) -> str:
    line = [" "] * (COUNT_WIDTH * COUNTS_PER_ROW)
    by_count: dict[int, list[str]] = {}
    for mark in row.music:
        by_count.setdefault(mark.count, []).append(("!" if mark.hit else "") + mark.text)
    counts = sorted(by_count)
    for n, count in enumerate(counts):
        lo = (count - 1) * COUNT_WIDTH
        hi = (counts[n + 1] - 1) * COUNT_WIDTH - 1 if n + 1 < len(counts) else len(line)
        text = _fit(" + ".join(by_count[count]), hi - lo)
        line[lo:lo + len(text)] = text
    return "".join(line).rstrip()


def _name_cell(name: str, width: int = 8) -> str:
    return _fit(name, width).ljust(width)


def _text_row(row: Row) -> list[str]:
    left = f"{row.eight_count:<4}{row.bar:<5}{format_clock(row.start_s):<6}"
    lines = [f"{left}{_name_cell('music')} |{_music_line(row)}"]
    for lane in row.lanes:
        line = [" "] * (COUNT_WIDTH * COUNTS_PER_ROW)
        for span in lane.spans:
            _draw_span(line, span)
        lines.append(f"{' ' * len(left)}{_name_cell(lane.dancer)} |{''.join(line).rstrip()}")
    return lines


def _text_section(sec: SectionSheet) -> list[str]:
    title = f"== {sec.index + 1}. {sec.name} "
    width = _LEFT + 1 + COUNT_WIDTH * COUNTS_PER_ROW
    counts = "".join(str(c).ljust(COUNT_WIDTH) for c in range(1, COUNTS_PER_ROW + 1)).rstrip()
    lines = [title + "=" * max(width - len(title), 4), _section_facts(sec)]
    if sec.notes:
        lines.append(f"notes: {sec.notes}")
    lines += ["", f"{'8ct':<4}{'bar':<5}{'time':<6}{'':<8} |{counts}", "-" * width]
    for row in sec.rows:
        lines += _text_row(row)
    lines.append("")
    return lines


def sheet_to_text(sheet: Sheet) -> str:
    lines = [sheet.title, "=" * len(sheet.title),
             f"length {format_clock(sheet.length_s)} · tempo {sheet.tempo_text} · {len(sheet.sections)} sections · "
             f"score {sheet.source} (seed {sheet.seed})",
             f"cast: {_cast_text(sheet)}",
             f"moves: {_legend(sheet)}",
             "marks: [move] spans its counts · <  continues from the previous 8-count · >  runs on into the next · "
             "* freeze · !n its hit lands on count n · (pin) set by the choreographer · music: !hit",
             ""]
    for sec in sheet.sections:
        lines += _text_section(sec)
    return "\n".join(lines).rstrip() + "\n"


def to_text(perf: Performance) -> str:
    """The whole sheet as fixed-width text (what `sequencer sheet` prints)."""
    return sheet_to_text(build_sheet(perf))


def write_text(perf: Performance, path: Path):
    write_atomic(Path(path), to_text(perf).encode("utf-8"))


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


def _md_section(sec: SectionSheet) -> list[str]:
    lines = [f"## {sec.index + 1}. {_md(sec.name)}", "", _md(_section_facts(sec)), ""]
    if sec.notes:
        lines += [f"*{_md(sec.notes)}*", ""]
    header = ["8ct", "bar", "time", ""] + [str(c) for c in range(1, COUNTS_PER_ROW + 1)]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in sec.rows:
        music = [[] for _ in range(COUNTS_PER_ROW)]
        for mark in row.music:
            music[mark.count - 1].append(f"**{_md(mark.text)}**" if mark.hit else _md(mark.text))
        cells = [str(row.eight_count), str(row.bar), format_clock(row.start_s), "*music*"] + [", ".join(m) for m in music]
        lines.append("| " + " | ".join(cells) + " |")
        for lane in row.lanes:
            cells = ["", "", "", _md(lane.dancer)] + _md_cells(lane.spans, row.counts)
            lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def sheet_to_markdown(sheet: Sheet) -> str:
    lines = [f"# {_md(sheet.title)}", "",
             f"**Length** {format_clock(sheet.length_s)} · **Tempo** {sheet.tempo_text} · "
             f"**Sections** {len(sheet.sections)} · "
             f"**Cast** {_md(_cast_text(sheet))} · score `{sheet.source}`, seed {sheet.seed}", "",
             f"**Moves:** {_md(_legend(sheet))}  ", 
             "**Marks:** a move is written on the count it starts, `–` on the counts it holds, "
             "`→` runs on into the "
             "next 8-count, `…` continues from the previous one, `&` starts on the and; **bold** moves are freezes, "
             "`!n` is the count their hit lands on; **bold** music marks are hits.", ""]
    for sec in sheet.sections:
        lines += _md_section(sec)
    return "\n".join(lines).rstrip() + "\n"


def to_markdown(perf: Performance) -> str:
    """The whole sheet as Markdown: a table per section, one row per 8-count and dancer."""
    return sheet_to_markdown(build_sheet(perf))


def write_markdown(perf: Performance, path: Path):
    write_atomic(Path(path), to_markdown(perf).encode("utf-8"))
