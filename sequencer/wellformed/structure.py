"""Rules of time and structure: sections tile the show, notes sit inside their sections."""

from . import rule


@rule("sections-tile")
def sections_tile(perf) -> tuple[list, int]:
    """Sections follow each other with no gap or overlap, from the end of the count-in to the end of the show."""
    violators, at = [], perf.timeline.count_in_ticks
    for info in perf.sections:
        if info.start_ticks != at or info.end_ticks <= info.start_ticks:
            violators.append(f"section {info.index + 1} {info.name!r}: {info.start_ticks}-{info.end_ticks}, expected start {at}")
        at = info.end_ticks
    if perf.sections and at != perf.end_ticks:
        violators.append(f"last section ends at {at}, the show at {perf.end_ticks}")
    return violators, len(perf.sections)
