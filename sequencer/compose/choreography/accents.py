"""Where the music asks for a hit: accent strength on every counted beat of a section.

Dancers land freezes on the last count of each 8-count (strength 1), harder on a phrase end
(every four 8-counts, strength 2) and hardest on the section's last count (3). The music's own
hits (stabs, crashes, breaks) are added at the counted beat nearest to them, except on the
section's first count, where the motion starts.
"""

from ...performance import Hit
from ...timeline import SectionTime

COUNT_EIGHT, PHRASE_END, SECTION_END = 1, 2, 3
PHRASE_BEATS = 32


def section_accents(laid: SectionTime, index: int, hits: tuple[Hit, ...] | list[Hit]) -> list[int]:
    """Accent strength (0 = none) of each counted beat of the section at `index`."""
    beats, beat_ticks = laid.beats, laid.meter.beat_ticks
    strength = [0] * beats
    for b in range(7, beats, 8):
        strength[b] = COUNT_EIGHT
    for b in range(PHRASE_BEATS - 1, beats, PHRASE_BEATS):
        strength[b] = PHRASE_END
    if beats:
        strength[beats - 1] = SECTION_END
    for hit in hits:
        if hit.section != index or not laid.start_ticks <= hit.at_ticks < laid.end_ticks:
            continue
        b = min((hit.at_ticks - laid.start_ticks + beat_ticks // 2) // beat_ticks, beats - 1)
        if b == 0:
            continue  # the downbeat crash of a section starts the motion; it is no place to stop
        strength[b] = max(strength[b], min(max(int(hit.strength), 1), SECTION_END))
    return strength
