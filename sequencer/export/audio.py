"""Audio: the show's MIDI rendered to a WAV file by the FluidSynth command-line synthesizer.

The MIDI comes from `export.midi`, written to a temporary file with a short silent tail so
reverb and releases ring out; the WAV is then cut or padded to exactly the performance's
length plus that tail. FluidSynth and a General MIDI soundfont are optional system packages:
when either is missing the user gets a `MissingToolError` saying how to install them.
"""

import os
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from ..children import die_with_parent
from ..errors import MissingToolError, SequencerError
from ..performance import Performance
from ..timeline import PPQ
from .audio_preflight import check_soundfont
from .files import write_atomic

SAMPLE_RATE = 44100
TAIL_S = 1.5
GAIN = 0.5
SOUNDFONT_ENV = "SEQUENCER_SOUNDFONT"
SOUNDFONT_PLACES = (
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
    Path("/usr/share/sounds/sf2/TimGM6mb.sf2"),
    Path("/usr/share/sounds/sf2/default-GM.sf2"),
    Path("/usr/share/soundfonts/FluidR3_GM.sf2"),
    Path("/usr/share/soundfonts/default.sf2"),
)
INSTALL_HINT = ("install them with: sudo apt-get install fluidsynth fluid-soundfont-gm "
                "(or the smaller timgm6mb-soundfont); on macOS: brew install fluid-synth and download a GM .sf2, "
                f"then pass --soundfont FILE or set {SOUNDFONT_ENV}")


def find_fluidsynth() -> str:
    """The fluidsynth executable, or MissingToolError with how to install it."""
    exe = shutil.which("fluidsynth")
    if exe is None:
        raise MissingToolError(f"audio export needs the FluidSynth synthesizer, which is not installed; {INSTALL_HINT}")
    return exe


def find_soundfont(option: str | None = None) -> Path:
    """The soundfont to use: the option, then $SEQUENCER_SOUNDFONT, then the usual system places."""
    for given, where in ((option, "--soundfont"), (os.environ.get(SOUNDFONT_ENV), SOUNDFONT_ENV)):
        if given:
            return check_soundfont(Path(given).expanduser(), where)
    for path in SOUNDFONT_PLACES:
        if path.is_file():
            return path
    raise MissingToolError("audio export needs a General MIDI soundfont (.sf2) and none was found in "
                           f"{', '.join(str(p.parent) for p in SOUNDFONT_PLACES[:1])}; {INSTALL_HINT}")


def _midi_with_tail(perf: Performance, tail_s: float) -> bytes:
    """The show's MIDI with the conductor track held open for `tail_s` after the last beat."""
    from .midi import to_bytes
    last = perf.timeline.tempo_changes[-1].us_per_qn if perf.timeline.tempo_changes else 500_000
    return to_bytes(perf, tail_ticks=round(tail_s * 1_000_000 / last * PPQ))


def _fit_length(raw_wav: Path, seconds: float) -> bytes:
    """The WAV cut or padded with silence to `seconds`, as bytes."""
    from io import BytesIO
    with wave.open(str(raw_wav), "rb") as src:
        params = src.getparams()
        frames = src.readframes(src.getnframes())
    width = params.sampwidth * params.nchannels
    wanted = round(seconds * params.framerate) * width
    frames = frames[:wanted] + bytes(max(wanted - len(frames), 0))
    buffer = BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(params.nchannels)
        out.setsampwidth(params.sampwidth)
        out.setframerate(params.framerate)
        out.writeframes(frames)
    return buffer.getvalue()


def to_wav_bytes(perf: Performance, soundfont: str | None = None, tail_s: float = TAIL_S) -> bytes:
    """Render the performance to 16-bit stereo WAV bytes with FluidSynth."""
    exe = find_fluidsynth()
    font = find_soundfont(soundfont)
    with tempfile.TemporaryDirectory(prefix="sequencer-audio-") as folder:
        mid, wav = Path(folder) / "show.mid", Path(folder) / "show.wav"
        mid.write_bytes(_midi_with_tail(perf, tail_s))
        command = [exe, "-ni", "-q", "-g", str(GAIN), "-r", str(SAMPLE_RATE), "-O", "s16", "-T", "wav",
                   "-F", str(wav), str(font), str(mid)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=max(120, perf.length_s * 2),
                                  stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        except subprocess.TimeoutExpired:
            raise SequencerError("FluidSynth did not finish rendering in time") from None
        if done.returncode != 0 or not wav.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise SequencerError(f"FluidSynth failed (exit {done.returncode}): {' '.join(detail)}")
        return _fit_length(wav, perf.length_s + tail_s)


def write(perf: Performance, path: Path, soundfont: str | None = None):
    write_atomic(Path(path), to_wav_bytes(perf, soundfont))
