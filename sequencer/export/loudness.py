"""Loudness in bounded memory: ITU-R BS.1770 integrated loudness measured block by block, a DC
offset tracker and a limiter, all planned before the audio is read a second time.

The audio writer streams a show through `Meter.feed` one block at a time, keeping per 5.6 ms
chunk only the K-weighted mean square, each channel's sample extremes and sum: 28 bytes for
245 frames, under 20 MB for an hour. The K-weighting filter (the BS.1770 head shelf and RLB high-pass)
is applied as its impulse response, cut where less than 1e-10 of its energy remains, by FFT
overlap-save in numpy: scipy's IIR filters cost about 0.75 s of CPU to import, more than the
whole measurement.

`plan` turns those figures into one `Plan`: each channel's DC offset (FluidR3 needs it: some of
its samples sit up to 0.07 off zero for seconds) and a look-ahead peak limiter's gain, both given
at every chunk boundary and interpolated linearly in between, with the make-up gain that brings
the limited mix to the target.
"""

import functools
import math
from dataclasses import dataclass

import numpy as np

HOP_S = 0.1  # BS.1770 gating blocks are 400 ms long and start every 100 ms
BLOCK_HOPS = 4
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
CHUNKS_PER_HOP = 18  # limiter chunks of 5.6 ms: 245 samples at 44.1 kHz, so hops and chunks align
TAIL_ENERGY = 1e-10  # the K-weighting response is cut where this share of its energy is left
PIECE_CHUNKS = 45  # the K-weighting filters a quarter second at a time: its FFTs then stay in the CPU's cache


def _biquad_shelf(rate: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Stage 1 of K-weighting: a +4 dB high shelf modelling the head, for any sample rate."""
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    b = ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0)
    return b, (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)


def _biquad_highpass(rate: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Stage 2 of K-weighting: the RLB high-pass near 38 Hz."""
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    return (1.0, -2.0, 1.0), (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)


def k_weighting_response(rate: int) -> np.ndarray:
    """The K-weighting filter's impulse response, cut where less than `TAIL_ENERGY` of its energy is left."""
    response = [1.0] + [0.0] * (rate // 4 - 1)  # 250 ms: the RLB high-pass rings for well under 100 ms
    for (b0, b1, b2), (_, a1, a2) in (_biquad_shelf(rate), _biquad_highpass(rate)):
        x1 = x2 = y1 = y2 = 0.0
        for i, x in enumerate(response):
            y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            x1, x2, y1, y2 = x, x1, y, y1
            response[i] = y
    tail = np.cumsum(np.square(response)[::-1])[::-1]
    return np.array(response[:int(np.argmax(tail < TAIL_ENERGY * tail[0]))])


@functools.lru_cache
def _fft_size(n: int) -> int:
    """The smallest 2^a·3^b·5^c at least `n`: the sizes numpy's FFT handles fastest."""
    best = 1 << (n - 1).bit_length()
    fives = 1
    while fives < best:
        threes = fives
        while threes < best:
            size = threes
            while size < n:
                size *= 2
            best = min(best, size)
            threes *= 3
        fives *= 5
    return best


class Meter:
    """Streaming BS.1770 meter for (frames, channels) float blocks, with per-chunk sample figures."""

    def __init__(self, rate: int, channels: int = 2):
        self.hop = round(rate * HOP_S)
        self.chunk = self.hop // CHUNKS_PER_HOP
        self.channels = channels
        self.kernel = k_weighting_response(rate)
        self.history = np.zeros((channels, len(self.kernel) - 1))
        self.spectra: dict[int, np.ndarray] = {}  # the kernel's spectrum by FFT size
        self.figures: dict[str, list[np.ndarray]] = {"power": [], "high": [], "low": [], "sum": []}

    def feed(self, frames: np.ndarray):
        """Measure a block; every block but the last is a whole number of chunks."""
        if len(frames) % self.chunk:  # the last block: pad to whole chunks with silence
            frames = np.concatenate([frames, np.zeros((self.chunk - len(frames) % self.chunk, frames.shape[1]),
                                                      dtype=frames.dtype)])
        taps, count = len(self.kernel), len(frames)
        piece = min(count, PIECE_CHUNKS * self.chunk)
        pieces, size = -(-count // piece), _fft_size(piece + taps - 1)
        if size not in self.spectra:
            self.spectra[size] = np.fft.rfft(self.kernel, size)
        signal = np.zeros((self.channels, (pieces - 1) * piece + size))  # (channels, time), float64
        signal[:, :taps - 1] = self.history
        signal[:, taps - 1:taps - 1 + count] = frames.T
        self.history = signal[:, count:count + taps - 1].copy()
        # Overlap-save, every piece of the block in one call: each overlaps the one before by the kernel's length.
        windows = np.lib.stride_tricks.sliding_window_view(signal, size, axis=1)[:, ::piece][:, :pieces]
        spectrum = np.fft.rfft(windows)
        spectrum *= self.spectra[size]
        # The inverse in single precision, far finer than 0.01 LU (numpy's forward FFT is slower in single).
        weighted = np.fft.irfft(spectrum.astype(np.complex64), size)[..., taps - 1:taps - 1 + piece]
        weighted = weighted.reshape(self.channels, -1)[:, :count]
        by_chunk = weighted.reshape(self.channels, -1, self.chunk)
        samples = signal[:, taps - 1:taps - 1 + count].reshape(self.channels, -1, self.chunk)
        figures = self.figures
        figures["power"].append(np.einsum("cij,cij->i", by_chunk, by_chunk) / np.float32(self.chunk))
        figures["high"].append(samples.max(axis=2).T.astype(np.float32))
        figures["low"].append(samples.min(axis=2).T.astype(np.float32))
        figures["sum"].append(samples.sum(axis=2).T.astype(np.float32))

    def figure(self, name: str) -> np.ndarray:
        """One per-chunk figure over everything fed: "power" (K-weighted mean square summed over
        channels), or per channel "high", "low" (sample extremes) and "sum"."""
        parts = self.figures[name]
        if len(parts) != 1:
            shape = (0,) if name == "power" else (0, self.channels)
            parts[:] = [np.concatenate(parts) if parts else np.zeros(shape, dtype=np.float32)]
        return parts[0]

    def take(self, name: str) -> np.ndarray:
        """A figure handed over: the meter lets go of it, so its memory goes with the caller's last use."""
        figure = self.figure(name)
        self.figures[name] = []
        return figure


def hop_powers(chunk_power: np.ndarray) -> np.ndarray:
    """Mean square per whole 100 ms hop from the per-chunk ones (a partial last hop is left out)."""
    whole = len(chunk_power) - len(chunk_power) % CHUNKS_PER_HOP
    return chunk_power[:whole].reshape(-1, CHUNKS_PER_HOP).mean(axis=1, dtype=np.float64)


def integrated_lufs(hop_power: np.ndarray) -> float:
    """Gated integrated loudness from per-hop mean squares summed over channels (weight 1, as for stereo)."""
    if len(hop_power) < BLOCK_HOPS:
        return -math.inf
    windows = np.lib.stride_tricks.sliding_window_view(hop_power, BLOCK_HOPS).mean(axis=1, dtype=np.float64)
    with np.errstate(divide="ignore"):
        loudness = -0.691 + 10 * np.log10(windows)
    gated = windows[loudness > ABSOLUTE_GATE_LUFS]
    if not len(gated):
        return -math.inf
    threshold = -0.691 + 10 * math.log10(gated.mean()) + RELATIVE_GATE_LU
    with np.errstate(divide="ignore"):
        kept = gated[-0.691 + 10 * np.log10(gated) > threshold]
    return -0.691 + 10 * math.log10(kept.mean())


def dc_offsets(chunk_sum: np.ndarray, chunk: int) -> np.ndarray:
    """Each channel's DC offset at every chunk boundary: the mean of each 100 ms hop, interpolated
    linearly between hop centres, from none at the first sample (the audio starts from silence,
    and so stays) to the last hop's held flat."""
    chunks, channels = chunk_sum.shape
    if not chunks:
        return np.zeros((1, channels), dtype=np.float32)
    starts = np.arange(0, chunks, CHUNKS_PER_HOP)
    counts = np.diff(np.append(starts, chunks)) * chunk
    means = np.zeros((len(starts) + 1, channels))
    means[1:] = np.add.reduceat(chunk_sum, starts, axis=0, dtype=np.float64) / counts[:, None]
    centres = np.concatenate([[0.0], starts * chunk + counts / 2])
    boundaries = np.arange(chunks + 1, dtype=np.float64) * chunk
    offsets = np.empty((chunks + 1, channels), dtype=np.float32)
    for c in range(channels):
        offsets[:, c] = np.interp(boundaries, centres, means[:, c])
    return offsets


def peaks_after_offset(high: np.ndarray, low: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Each chunk's largest absolute sample once the offset (linear across the chunk) is taken out."""
    below = np.minimum(offsets[:-1], offsets[1:])
    np.subtract(high, below, out=below)
    above = np.maximum(offsets[:-1], offsets[1:])
    np.subtract(above, low, out=above)
    np.maximum(below, above, out=below)
    return below.max(axis=1)


def gain_curve(peak_db: np.ndarray, gain_db: float, ceiling_db: float,
               attack_db_per_chunk: float = 3.0, release_db_per_chunk: float = 0.25) -> np.ndarray:
    """Limiter gain (dB) at each chunk boundary after a make-up gain, so no sample passes the ceiling.

    Boundary i sits between chunks i-1 and i and takes the smaller of what both allow; the gain
    falls ahead of a peak (look-ahead attack) and recovers at a fixed rate after it (release).
    Both smoothings only lower the curve, so linear interpolation between boundaries stays safe.
    Worked in place: a 4,000-bar show has 1.7 million chunks.
    """
    bound = np.zeros(len(peak_db) + 1)
    np.subtract(ceiling_db - gain_db, peak_db, out=bound[1:])  # what chunk i allows, at boundary i + 1
    np.minimum(bound, 0.0, out=bound)
    bound[:-1] = np.minimum(bound[:-1], bound[1:])
    for curve, step in ((bound, release_db_per_chunk), (bound[::-1], attack_db_per_chunk)):
        # Release: curve[i] <= curve[j] + (i - j) * step for j < i, a running minimum; attack: the same backwards.
        ramp = np.arange(len(bound), dtype=np.float64)
        ramp *= step
        shifted = curve - ramp
        np.minimum.accumulate(shifted, out=shifted)
        shifted += ramp
        np.minimum(curve, shifted, out=curve)
    return bound


def limited_power(chunk_power: np.ndarray, curve_db: np.ndarray, gain_db: float) -> np.ndarray:
    """Chunk powers after make-up gain and limiter: each scaled by the mean of its squared gain ramp."""
    linear = (curve_db / 20).astype(np.float32)
    np.power(np.float32(10), linear, out=linear)
    start, end = linear[:-1], linear[1:]
    scaled = start * start
    scaled += start * end
    scaled += end * end
    scaled *= chunk_power
    scaled *= np.float32(10 ** (gain_db / 10) / 3)
    return scaled


@dataclass(frozen=True)
class Plan:
    """What the second pass applies: at each chunk boundary the gain (linear, make-up gain and
    limiter together) and each channel's DC offset, both linear in between; and the loudness reached."""
    chunk: int
    gains: np.ndarray
    offsets: np.ndarray
    reached_lufs: float


def plan(meter: Meter, target_lufs: float, ceiling_db: float) -> Plan:
    """The offsets, and the make-up gain and limiter iterated until the limited mix hits the target."""
    power = meter.figure("power")
    offsets = dc_offsets(meter.take("sum"), meter.chunk)
    measured = integrated_lufs(hop_powers(power))
    if not math.isfinite(measured):
        return Plan(meter.chunk, np.ones(len(power) + 1, dtype=np.float32), offsets, measured)
    peak_db = np.maximum(peaks_after_offset(meter.take("high"), meter.take("low"), offsets), np.float32(1e-12))
    np.log10(peak_db, out=peak_db)
    peak_db *= 20
    gain_db = target_lufs - measured
    for attempt in range(12):
        curve = gain_curve(peak_db, gain_db, ceiling_db)
        reached = integrated_lufs(hop_powers(limited_power(power, curve, gain_db)))
        if abs(reached - target_lufs) < 0.05 or attempt == 11:
            break
        gain_db += target_lufs - reached
        del curve
    curve += gain_db
    curve /= 20
    gains = curve.astype(np.float32)
    np.power(np.float32(10), gains, out=gains)
    return Plan(meter.chunk, gains, offsets, reached)
