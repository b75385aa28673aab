"""The show's key plan: with a home key, sections travel through its related keys and come home.

A score that names one key gives the show a home. Each section without its own key takes the
home's tonic or a related one in its mood's mode: bright moods sit on the home's major side (the
relative major of a minor home), dark ones on its minor side; lively moods go a fifth up (the
dominant), calm ones a fifth down (the subdominant). The first and the last section are at home,
and a section that would repeat the previous section's tonic moves to the next related key.
"""

from ...moods import Mood
from ...scales import NOTE_NAMES, PITCH_CLASS, scale

BRIGHT_VALENCE = 0.3  # moods at least this pleasant sit on the home key's major side
LIVELY_AROUSAL, CALM_AROUSAL = 0.4, -0.4
DOMINANT, SUBDOMINANT = 7, 5


def plan_keys(home: tuple[str, str] | None, sections: list[tuple[tuple[str, str] | None, Mood]]) -> list[tuple[str, str]]:
    """(tonic, mode) for each section given (its own key or None, its mood) and the score's home key."""
    keys = []
    for i, (own, mood) in enumerate(sections):
        if own is not None:
            keys.append(own)
        elif home is None:
            keys.append((mood.tonic, mood.mode))
        elif i in (0, len(sections) - 1):
            keys.append((home[0], mood.mode))
        else:
            previous = PITCH_CLASS[keys[-1][0]]
            options = _related(home, mood)
            pc = next((p for p in options if p != previous), options[0])
            keys.append((NOTE_NAMES[pc], mood.mode))
    return keys


def _related(home: tuple[str, str], mood: Mood) -> list[int]:
    """Pitch classes of the tonics this mood may take, most fitting first."""
    tonic = PITCH_CLASS[home[0]]
    major_home = scale(home[0], home[1]).offsets[2] == 4
    if mood.valence >= BRIGHT_VALENCE:
        centre = tonic if major_home else (tonic + 3) % 12
    else:
        centre = (tonic + 9) % 12 if major_home else tonic
    if mood.arousal >= LIVELY_AROUSAL:
        order = (DOMINANT, 0, SUBDOMINANT)
    elif mood.arousal <= CALM_AROUSAL:
        order = (SUBDOMINANT, 0, DOMINANT)
    else:
        order = (0, DOMINANT, SUBDOMINANT)
    return [(centre + step) % 12 for step in order]
