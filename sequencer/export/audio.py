"""Audio: the show's MIDI rendered by FluidSynth, normalised to a loudness target, as WAV or Ogg Vorbis.

The MIDI comes from `export.midi` with a short silent tail so reverb and releases ring out.
FluidSynth writes raw float samples into a spool file beside the output; the writer measures
them (loudness after ITU-R BS.1770, DC offset, peaks) as the file grows, while FluidSynth is
still synthesising, and stops FluidSynth once the show's frames are in. Then it reads the spool
a second time to take out the DC offset some soundfont samples carry, apply the make-up gain and
a look-ahead limiter, and encode, one block at a time. Memory stays bounded whatever the show's
length; the audio is cut or padded to exactly the performance's length plus the tail. A WAV too
large for a RIFF header is written as RF64.

FluidSynth and a General MIDI soundfont are optional system packages: when either is missing
the user gets a `MissingToolError` saying how to install them.
"""

import os
import shutil
import subprocess
import tempfile
import time
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

    POLL_S = 0.01

    def __init__(self, command: list[str], spool: Path, errors: Path):
        self.spool, self.errors = spool, errors
        spool.touch()
        with open(errors, "wb") as stderr:
            self.process = subprocess.Popen([*command[:-2], "-F", str(spool), *command[-2:]],
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=stderr, preexec_fn=die_with_parent)

    def _wait_for(self, size: int):
        """Until the spool holds `size` bytes or FluidSynth has exited; raise if it failed."""
        while self.spool.stat().st_size < size and self.process.poll() is None:
            time.sleep(self.POLL_S)
        if self.process.returncode:
            detail = self.errors.read_text(errors="replace").strip().splitlines()[-3:]
            raise SequencerError(f"FluidSynth failed (exit {self.process.returncode}): {' '.join(detail)}")

    def blocks(self, total_frames: int):
        """Yield (frames, 2) float32 blocks as FluidSynth makes them: exactly `total_frames`, padded with silence."""
        with open(self.spool, "rb") as spool:
            for done in range(0, total_frames, BLOCK_FRAMES):
                count = min(BLOCK_FRAMES, total_frames - done)
                self._wait_for((done + count) * FRAME_BYTES)
                yield _read_frames(spool, done, count)

    def finish(self):
        """Stop FluidSynth once every frame needed is in the spool. It goes on for seconds after the
        show's tail, until the last voice has died away, and then frees its soundfont: none of that
        is heard. The kernel unmaps it while the second pass runs; `stop` reaps it."""
        if self.process.poll() is None:
            self.process.kill()

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def _read_frames(spool, at: int, count: int):
    """`count` (frames, 2) float32 frames from frame `at` of the spool (read-only), padded with
    silence where FluidSynth stopped early."""
    import numpy as np
    data = os.pread(spool.fileno(), count * FRAME_BYTES, at * FRAME_BYTES)
    block = np.frombuffer(data[:len(data) - len(data) % FRAME_BYTES], dtype=np.float32).reshape(-1, CHANNELS)
    if len(block) < count:
        block = np.concatenate([block, np.zeros((count - len(block), CHANNELS), dtype=np.float32)])
    return block


def render(perf: Performance, path: Path, container: str, soundfont: str | None = None) -> float:
    """Render the show to `path` (container "wav" or "ogg"); returns the loudness reached (LUFS)."""
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
            from . import loudness  # numpy (and for Ogg, soundfile) load while FluidSynth loads the soundfont
            if container == "ogg":
                import soundfile  # noqa: F401
            meter = measure(synth.blocks(total_frames))
            synth.finish()
            plan = loudness.plan(meter, TARGET_LUFS, CEILING_DBFS[container])
            _encode(spool, encoded, container, total_frames, plan)
        finally:
            synth.stop()
        if container == "ogg":
            fix_ogg_serial(encoded)
        os.replace(encoded, path)
    return plan.reached_lufs


def measure(blocks):
    """First pass: the loudness meter fed block by block."""
    from . import loudness
    meter = loudness.Meter(SAMPLE_RATE, CHANNELS)
    for block in blocks:
        meter.feed(block)
    return meter


def _encode(spool: Path, target: Path, container: str, total_frames: int, plan):
    """Second pass: spool → less the DC offset → × gain → encoder, one block at a time.

    WAV and RF64 are written here, header and 16-bit samples: the blocks are independent, so two
    threads share them (numpy and file I/O let go of the interpreter lock). Ogg goes through
    libsndfile's Vorbis encoder, block after block.
    """
    import numpy as np
    starts = range(0, total_frames, BLOCK_FRAMES)
    chunk = plan.chunk
    # Interleaved channels: each chunk's ramp repeats per channel, so numpy's loops run along whole chunks.
    ramp = np.repeat(np.arange(chunk, dtype=np.float32) / chunk, CHANNELS)
    gains = plan.gains * np.float32(32767) if container != "ogg" else plan.gains

    def samples(source, done: int):
        count = min(BLOCK_FRAMES, total_frames - done)
        first, n = done // chunk, -(-count // chunk)
        gain, offset = gains[first:first + n + 1, None], plan.offsets[first:first + n + 1]
        block = np.tile(offset[1:] - offset[:-1], chunk)
        block *= ramp
        block += np.tile(offset[:-1], chunk)
        np.subtract(_read_frames(source, done, n * chunk).reshape(n, -1), block, out=block)
        block *= gain[:-1] + (gain[1:] - gain[:-1]) * ramp
        return block.reshape(-1, CHANNELS)[:count]

    if container == "ogg":
        import soundfile
        with open(spool, "rb") as source, soundfile.SoundFile(target, "w", SAMPLE_RATE, CHANNELS, "VORBIS",
                                                              format="OGG") as out:
            for done in starts:
                out.write(samples(source, done))
        return
    from concurrent.futures import ThreadPoolExecutor
    header = _wav_header(container, total_frames)
    with open(spool, "rb") as source, open(target, "wb") as out:
        out.write(header)

        def write_block(done: int):
            block = samples(source, done)
            np.rint(block, out=block)  # 16-bit PCM as libsndfile would convert it (×32767, rounded)
            block = block.astype(np.int16)
            os.pwrite(out.fileno(), block, len(header) + done * CHANNELS * 2)
        with ThreadPoolExecutor(2) as pool:  # on an error the blocks not yet begun are dropped (map cancels them)
            for _ in pool.map(write_block, starts):
                pass


def _wav_header(container: str, frames: int) -> bytes:
    """The header of a 16-bit PCM WAV (RIFF), or of an RF64 with its 64-bit sizes in a ds64 chunk."""
    import struct
    data = frames * CHANNELS * 2
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, CHANNELS, SAMPLE_RATE, SAMPLE_RATE * CHANNELS * 2, CHANNELS * 2, 16)
    if container == "wav":
        riff = struct.pack("<4sI4s", b"RIFF", 4 + len(fmt) + 8 + data, b"WAVE")
        return riff + fmt + struct.pack("<4sI", b"data", data)
    ds64 = struct.pack("<4sIQQQI", b"ds64", 28, 4 + 36 + len(fmt) + 8 + data, data, frames, 0)
    return struct.pack("<4sI4s", b"RF64", 0xFFFFFFFF, b"WAVE") + ds64 + fmt + struct.pack("<4sI", b"data", 0xFFFFFFFF)


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
