"""Audio: the show's MIDI rendered by FluidSynth, normalised to a loudness target, as WAV or Ogg Vorbis.

The MIDI comes from `export.midi` with a short silent tail so reverb and releases ring out.
FluidSynth writes raw float samples into a spool file beside the output; the writer measures
their loudness (ITU-R BS.1770) while FluidSynth is still synthesising, then reads the spool a
second time to apply the make-up gain and a look-ahead limiter and to encode, one block at a
time. Both passes first take out the DC offset some soundfont samples carry. Memory stays
bounded whatever the show's length; the audio is cut or padded to exactly the performance's
length plus the tail. A WAV too large for a RIFF header is written as RF64.

FluidSynth and a General MIDI soundfont are optional system packages: when either is missing
the user gets a `MissingToolError` saying how to install them.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..children import die_with_parent
from ..errors import MissingToolError, SequencerError
from ..performance import Performance
from ..timeline import PPQ
from .audio_preflight import check_soundfont

SAMPLE_RATE = 44100
CHANNELS = 2
TAIL_S = 1.5
GAIN = 0.5
TARGET_LUFS = -16.0
# Sample-peak ceilings: Ogg Vorbis overshoots its input's peaks by up to about a decibel when decoded.
CEILING_DBFS = {"wav": -0.5, "rf64": -0.5, "ogg": -1.5}
BLOCK_FRAMES = SAMPLE_RATE  # one second: a whole number of 100 ms loudness hops and limiter chunks
FRAME_BYTES = 4 * CHANNELS  # float32 samples from FluidSynth
RIFF_LIMIT_BYTES = 2 ** 32 - 1
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
# Encodings by container: soundfile's format and subtype names.
ENCODINGS = {"wav": ("WAV", "PCM_16"), "rf64": ("RF64", "PCM_16"), "ogg": ("OGG", "VORBIS")}


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


class _Synth:
    """FluidSynth writing raw float32 frames to a spool file, read back as it grows.

    The first pass follows the file (measuring while FluidSynth synthesises, and importing the
    meter meanwhile); the second pass reads it again. No audio is held in memory, and no pipe
    or thread carries it: FluidSynth writes the file itself.
    """

    POLL_S = 0.05

    def __init__(self, command: list[str], spool: Path, errors: Path):
        self.spool = spool
        spool.touch()
        with open(errors, "wb") as stderr:
            self.process = subprocess.Popen([*command[:-2], "-F", str(spool), *command[-2:]],
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=stderr, preexec_fn=die_with_parent)

    def _wait_for(self, size: int):
        """Until the spool holds `size` bytes or FluidSynth has exited."""
        while self.spool.stat().st_size < size and self.process.poll() is None:
            try:
                self.process.wait(self.POLL_S)
            except subprocess.TimeoutExpired:
                pass

    def blocks(self, total_frames: int):
        """Yield (frames, 2) float32 blocks as FluidSynth makes them: exactly `total_frames`, padded with silence."""
        done = 0
        with open(self.spool, "rb") as spool:
            while done < total_frames:
                count = min(BLOCK_FRAMES, total_frames - done)
                self._wait_for((done + count) * FRAME_BYTES)
                done += count
                yield _read_frames(spool, count)

    def finish(self, errors: Path):
        """Wait for FluidSynth; raise with its last words if it failed."""
        code = self.process.wait()
        if code != 0:
            detail = errors.read_text(errors="replace").strip().splitlines()[-3:]
            raise SequencerError(f"FluidSynth failed (exit {code}): {' '.join(detail)}")

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def _read_frames(spool, count: int):
    """`count` (frames, 2) float32 frames from the spool, padded with silence where FluidSynth stopped early."""
    import numpy as np
    data = spool.read(count * FRAME_BYTES)
    block = np.frombuffer(data[:len(data) - len(data) % FRAME_BYTES], dtype=np.float32).reshape(-1, CHANNELS)
    if len(block) < count:
        block = np.concatenate([block, np.zeros((count - len(block), CHANNELS), dtype=np.float32)])
    return block


def render(perf: Performance, path: Path, container: str, soundfont: str | None = None) -> float:
    """Render the show to `path` (container "wav" or "ogg"); returns the loudness reached (LUFS)."""
    from . import loudness
    exe, font = find_fluidsynth(), find_soundfont(soundfont)
    path = Path(path)
    total_frames = round((perf.length_s + TAIL_S) * SAMPLE_RATE)
    if container == "wav" and total_frames * CHANNELS * 2 + 44 > RIFF_LIMIT_BYTES:
        container = "rf64"
    with tempfile.TemporaryDirectory(prefix=".sequencer-audio-", dir=path.parent) as folder:
        folder = Path(folder)
        midi, spool, errors, encoded = (folder / name for name in ("show.mid", "show.f32", "fluidsynth.log",
                                                                    f"show.{container}"))
        midi.write_bytes(_midi_with_tail(perf, TAIL_S))
        synth = _Synth([exe, "-ni", "-q", "-g", str(GAIN), "-r", str(SAMPLE_RATE), "-O", "float", "-T", "raw",
                        str(font), str(midi)], spool, errors)
        try:
            meter = measure(synth.blocks(total_frames))
            synth.finish(errors)
        finally:
            synth.stop()
        gain_db, curve_db, reached = loudness.plan_gain(meter, TARGET_LUFS, CEILING_DBFS[container])
        _encode(spool, encoded, container, total_frames, gain_db, curve_db, meter.chunk)
        if container == "ogg":
            fix_ogg_serial(encoded)
        os.replace(encoded, path)
    return reached


def measure(blocks):
    """First pass: the loudness meter fed block by block, after the same DC block as the second pass."""
    from . import loudness
    meter, dc_block = loudness.Meter(SAMPLE_RATE, CHANNELS), loudness.DcBlock(SAMPLE_RATE, CHANNELS)
    for block in blocks:
        meter.feed(dc_block(block))
    return meter


def _encode(spool: Path, target: Path, container: str, total_frames: int, gain_db: float, curve_db, chunk: int):
    """Second pass: spool → DC block → make-up gain × limiter gain → encoder, in the first pass's blocks."""
    import numpy as np
    import soundfile

    from .loudness import DcBlock
    dc_block = DcBlock(SAMPLE_RATE, CHANNELS)
    fmt, subtype = ENCODINGS[container]
    linear = (10 ** ((curve_db + gain_db) / 20)).astype(np.float32)
    ramp = (np.arange(chunk, dtype=np.float32) / chunk)[None, :]
    pcm = subtype == "PCM_16"
    with open(spool, "rb") as source, soundfile.SoundFile(target, "w", SAMPLE_RATE, CHANNELS, subtype, format=fmt) as out:
        done = 0
        while done < total_frames:
            count = min(BLOCK_FRAMES, total_frames - done)
            block = _read_frames(source, count)
            first, n = done // chunk, -(-count // chunk)
            gains = (linear[first:first + n, None] + (linear[first + 1:first + n + 1] - linear[first:first + n])[:, None]
                     * ramp).reshape(-1)[:count]
            block = dc_block(block) * gains[:, None]
            # 16-bit PCM converted here as libsndfile would (×32767, rounded), at a third of its cost.
            out.write(np.rint(block * 32767).astype(np.int16) if pcm else block)
            done += count


def fix_ogg_serial(path: Path, serial: int = 0x53455131):
    """Give every Ogg page one fixed stream serial (libsndfile picks a random one) and its matching CRC.

    Same show, same bytes. The Ogg CRC (polynomial 0x04C11DB7, not reflected, no initial or final
    xor) is computed with zlib's reflected CRC-32 on bit-reversed bytes, which gives the same
    remainder bit-reversed.
    """
    import zlib
    with open(path, "r+b") as ogg:
        data_at = 0
        while True:
            ogg.seek(data_at)
            header = ogg.read(27)
            if len(header) < 27 or header[:4] != b"OggS":
                break
            table = ogg.read(header[26])
            body = ogg.read(sum(table))
            page = bytearray(header + table + body)
            page[14:18] = serial.to_bytes(4, "little")
            page[22:26] = bytes(4)
            crc = zlib.crc32(bytes(page).translate(_REVERSED_BITS)) ^ zlib.crc32(bytes(len(page)))
            page[22:26] = _reverse32(crc).to_bytes(4, "little")
            ogg.seek(data_at)
            ogg.write(page[:27])
            data_at += len(page)


_REVERSED_BITS = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def _reverse32(value: int) -> int:
    return int(f"{value:032b}"[::-1], 2)


def write(perf: Performance, path: Path, soundfont: str | None = None):
    """NAME.wav: 16-bit stereo PCM at 44.1 kHz (RF64 past 4 GiB)."""
    render(perf, path, "wav", soundfont)


def write_ogg(perf: Performance, path: Path, soundfont: str | None = None):
    """NAME.ogg: Ogg Vorbis, the same mix as the WAV, small enough for a rehearsal page."""
    render(perf, path, "ogg", soundfont)
