"""Checks made before composing a show that will be rendered to audio, so a render fails early.

A soundfont must be a real SoundFont 2 file (FluidSynth silently falls back to its own default
on a broken one), and the show must fit the WAV format's 4 GiB limit.
"""

import os
import stat
from pathlib import Path

from ..errors import InputError

WAV_MAX_BYTES = 2**32 - 1
WAV_HEADER_BYTES = 44
WAV_BYTES_PER_SECOND = 44100 * 2 * 2  # the rendered format: 44.1 kHz, stereo, 16-bit
MAX_AUDIO_S = (WAV_MAX_BYTES - WAV_HEADER_BYTES) // WAV_BYTES_PER_SECOND


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


def check_audio_length(length_s: float, file: str | None = None):
    """A show longer than a WAV file can hold is an `InputError` before any audio is rendered."""
    if length_s > MAX_AUDIO_S:
        hours, rest = divmod(round(length_s), 3600)
        raise InputError(f"the show lasts {hours} h {rest // 60} min, longer than a WAV file can hold",
                         file=file, expected=f"at most {MAX_AUDIO_S // 3600} h {MAX_AUDIO_S % 3600 // 60} min of "
                         "audio (4 GiB at 44.1 kHz stereo)", hint="render without wav, or shorten the show")
