"""Loudness in bounded memory: ITU-R BS.1770 integrated loudness measured block by block, and a limiter.

The audio writer streams a show through `Meter.feed` one block at a time, keeping only the
mean square of each 100 ms hop, so an hour of audio costs a few hundred kilobytes. The
K-weighting filter is scipy's `sosfilt` with its state carried from block to block: scipy costs
about 0.9 s of CPU to import (the writer overlaps that with FluidSynth), and then filters a
second of stereo in under a millisecond, where an exact numpy-only FFT filter cost 15-20 ms,
more than FluidSynth itself.

`gain_curve` plans a look-ahead peak limiter from the per-chunk peaks recorded by the meter:
one gain per chunk boundary, interpolated linearly in between, never above what keeps every
sample of a chunk under the ceiling.
"""

import math

import numpy as np

HOP_S = 0.1  # BS.1770 gating blocks are 400 ms long and start every 100 ms
BLOCK_HOPS = 4
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
CHUNKS_PER_HOP = 18  # limiter chunks of 5.6 ms: 245 samples at 44.1 kHz, so hops and chunks align


def _biquad_shelf(rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Stage 1 of K-weighting: a +4 dB high shelf modelling the head, for any sample rate."""
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    b = np.array([vh + vb * k / q + k * k, 2 * (k * k - vh), vh - vb * k / q + k * k]) / a0
    a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return b, a


def _biquad_highpass(rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Stage 2 of K-weighting: the RLB high-pass near 38 Hz."""
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    return np.array([1.0, -2.0, 1.0]), np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])


class DcBlock:
    """A 2nd-order Butterworth high-pass at 15 Hz with its state carried from block to block.

    Some General MIDI samples are lopsided: FluidR3's render of the default show drifts up to
    0.07 (−23 dBFS) off zero for seconds at a time, headroom the limiter would otherwise spend.
    Run twice over the same blocks, it gives the same samples twice.
    """

    def __init__(self, rate: int, channels: int = 2, cutoff_hz: float = 15.0):
        from scipy.signal import butter, sosfilt
        self.sosfilt = sosfilt
        self.sos = butter(2, cutoff_hz, "highpass", fs=rate, output="sos")
        self.state = np.zeros((len(self.sos), 2, channels))

    def __call__(self, frames: np.ndarray) -> np.ndarray:
        out, self.state = self.sosfilt(self.sos, frames, axis=0, zi=self.state)
        return out.astype(np.float32)


class Meter:
    """Streaming BS.1770 meter for stereo float blocks, with per-chunk peaks for the limiter."""

    def __init__(self, rate: int, channels: int = 2):
        from scipy.signal import sosfilt
        self.sosfilt = sosfilt
        self.hop = round(rate * HOP_S)
        self.chunk = self.hop // CHUNKS_PER_HOP
        self.sos = np.array([np.concatenate(stage) for stage in (_biquad_shelf(rate), _biquad_highpass(rate))])
        self.state = np.zeros((len(self.sos), 2, channels))
        self.power: list[np.ndarray] = []  # K-weighted mean square per limiter chunk
        self.peaks: list[np.ndarray] = []  # absolute sample peak per limiter chunk

    def feed(self, frames: np.ndarray):
        """Measure a (frames, channels) float block; every block but the last is a whole number of hops."""
        if len(frames) % self.chunk:  # the last block: pad to whole chunks with silence
            frames = np.concatenate([frames, np.zeros((self.chunk - len(frames) % self.chunk, frames.shape[1]),
                                                      dtype=frames.dtype)])
        weighted, self.state = self.sosfilt(self.sos, frames, axis=0, zi=self.state)
        by_chunk = weighted.reshape(-1, self.chunk * frames.shape[1])
        self.power.append((np.einsum("ij,ij->i", by_chunk, by_chunk) / self.chunk).astype(np.float32))
        samples = frames.reshape(len(by_chunk), -1)
        self.peaks.append(np.maximum(samples.max(axis=1), -samples.min(axis=1)))

    def chunk_powers(self) -> np.ndarray:
        """K-weighted mean square per limiter chunk, summed over channels."""
        self.power = [np.concatenate(self.power) if self.power else np.zeros(0, dtype=np.float32)]
        return self.power[0]

    def chunk_peaks(self) -> np.ndarray:
        """Absolute sample peak per limiter chunk."""
        self.peaks = [np.concatenate(self.peaks) if self.peaks else np.zeros(0, dtype=np.float32)]
        return self.peaks[0]


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


def plan_gain(meter: Meter, target_lufs: float, ceiling_db: float) -> tuple[float, np.ndarray, float]:
    """Make-up gain (dB), limiter curve and the loudness they reach, iterated so the limited mix hits the target."""
    power = meter.chunk_powers()
    peaks = meter.chunk_peaks()
    measured = integrated_lufs(hop_powers(power))
    if not math.isfinite(measured):
        return 0.0, np.zeros(len(peaks) + 1), measured
    peak_db = np.maximum(peaks, np.float32(1e-12))
    np.log10(peak_db, out=peak_db)
    peak_db *= 20
    gain_db = target_lufs - measured
    for _ in range(12):
        curve = gain_curve(peak_db, gain_db, ceiling_db)
        reached = integrated_lufs(hop_powers(limited_power(power, curve, gain_db)))
        if abs(reached - target_lufs) < 0.05:
            break
        gain_db += target_lufs - reached
        del curve
    curve = gain_curve(peak_db, gain_db, ceiling_db)
    return gain_db, curve, integrated_lufs(hop_powers(limited_power(power, curve, gain_db)))
