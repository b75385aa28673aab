"""Checks made before composing a show that will be rendered to audio, so a render fails early.

A soundfont must be a real SoundFont 2 file: FluidSynth silently falls back to its own default
on a broken one.
"""

import os
import stat
from pathlib import Path

from ..errors import InputError


def check_soundfont(path, field: str = "--soundfont") -> Path:
    """`path` if it is a readable SoundFont 2 file (`RIFF….sfbk`); otherwise an `InputError` naming it."""
    path = Path(path)
    expected = "a General MIDI SoundFont 2 (.sf2) file"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"soundfont {str(path)!r} does not exist", field=field, expected=expected) from None
    except OSError as exc:
        raise InputError(f"soundfont {str(path)!r} cannot be read: {exc.strerror}", field=field) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"soundfont {str(path)!r} is not a regular file", field=field, expected=expected)
        head = os.read(fd, 12)
    except OSError as exc:
        raise InputError(f"soundfont {str(path)!r} cannot be read: {exc.strerror}", field=field) from None
    finally:
        os.close(fd)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"sfbk":
        raise InputError(f"soundfont {str(path)!r} is not a SoundFont 2 file", field=field, expected=expected)
    return path
