"""Podcast loudness: ITU-R BS.1770 integrated loudness and true peak, and a gain plus a true-peak-safe limiter.

Audio is processed in blocks, so an hour-long episode never needs a float64 or oversampled copy of itself in
memory. The K-weighting filters are pyloudnorm's; the meter streams them with carried filter state.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pyloudnorm
from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, sosfilt, sosfilt_zi

OVERSAMPLING = 4  # BS.1770-4 annex 2: 4× oversampling finds inter-sample peaks at 44.1/48 kHz
TAP_REACH = 6  # the interpolator looks this many samples either way
BLOCK = 1 << 20  # samples per processing block
CONTEXT = 1024  # samples of context either side of a block: the polyphase filter and the limiter's window
LIMITER_RAMP_S = 0.008  # look-ahead and release: short enough to be inaudible on speech, long enough not to click
SILENCE_LUFS = -70.0
GATE_STEP_S = 0.1  # BS.1770 gating blocks: 400 ms, 75 % overlap → a new block every 100 ms
RELATIVE_GATE_LU = -10.0


@dataclass(frozen=True)
class Loudness:
    """A measurement: integrated loudness (LUFS) and true peak (dBTP)."""

    integrated_lufs: float
    true_peak_dbtp: float


def k_weighting(rate: int) -> np.ndarray:
    """BS.1770's two-stage K-weighting filter (pyloudnorm's coefficients) as second-order sections."""
    stages = pyloudnorm.Meter(rate)._filters.values()
    sos = np.array([np.concatenate([stage.b, stage.a]) for stage in stages])
    sos[0, :3] *= np.prod([stage.passband_gain for stage in stages])
    return sos


class LoudnessMeter:
    """A streaming BS.1770-4 integrated-loudness meter for mono audio: feed blocks, then read `integrated()`."""

    def __init__(self, rate: int):
        self.rate = rate
        self.step = int(round(GATE_STEP_S * rate))
        self._sos = k_weighting(rate)
        self._state = sosfilt_zi(self._sos) * 0.0
        self._pending = np.zeros(0)
        self._step_energy: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        weighted, self._state = sosfilt(self._sos, samples.astype(np.float64), zi=self._state)
        data = np.concatenate([self._pending, weighted]) if len(self._pending) else weighted
        whole = len(data) // self.step * self.step
        self._step_energy.append(np.square(data[:whole]).reshape(-1, self.step).sum(axis=1))
        self._pending = data[whole:]

    def integrated(self) -> float:
        steps = np.concatenate(self._step_energy) if self._step_energy else np.zeros(0)
        if len(steps) < 4:
            return SILENCE_LUFS
        # Each 400 ms gating block is four consecutive 100 ms steps.
        block_energy = np.convolve(steps, np.ones(4), mode="valid") / (4 * self.step)
        with np.errstate(divide="ignore"):
            block_lufs = -0.691 + 10 * np.log10(block_energy)
        above_absolute = block_energy[block_lufs >= SILENCE_LUFS]
        if not len(above_absolute):
            return SILENCE_LUFS
        relative_gate = -0.691 + 10 * np.log10(above_absolute.mean()) + RELATIVE_GATE_LU
        gated = block_energy[(block_lufs > relative_gate) & (block_lufs >= SILENCE_LUFS)]
        return max(SILENCE_LUFS, float(-0.691 + 10 * np.log10(gated.mean())))


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """BS.1770 gated integrated loudness in LUFS (−70 for silence or audio shorter than one gating block)."""
    meter = LoudnessMeter(rate)
    for start in range(0, len(samples), BLOCK):
        meter.feed(samples[start : start + BLOCK])
    return meter.integrated()


def blocks_with_context(length: int) -> Iterator[tuple[int, int, int, int]]:
    """(lo, start, end, hi): each block [start, end) with up to CONTEXT samples either side, [lo, hi)."""
    for start in range(0, length, BLOCK):
        end = min(length, start + BLOCK)
        yield max(0, start - CONTEXT), start, end, min(length, end + CONTEXT)


@functools.cache
def interpolation_taps() -> np.ndarray:
    """The 4× interpolator as a (2·TAP_REACH+1, 4) matrix: phase p of the sample at n is Σ_j taps[j, p]·x[n+j−REACH].

    A 49-tap Kaiser-windowed low-pass, like BS.1770-4's 48-tap example filter (same reach, same job).
    """
    taps = firwin(8 * TAP_REACH + 1, 1 / OVERSAMPLING, window=("kaiser", 5.0)) * OVERSAMPLING
    matrix = np.zeros((2 * TAP_REACH + 1, OVERSAMPLING))
    for phase in range(OVERSAMPLING):
        for j in range(-TAP_REACH, TAP_REACH + 1):
            k = phase + OVERSAMPLING * (TAP_REACH - j)
            if 0 <= k < len(taps):
                matrix[j + TAP_REACH, phase] = taps[k]
    return matrix


@functools.cache
def overshoot_bound() -> float:
    """How far any interpolated value can exceed the largest sample within TAP_REACH of it (a factor)."""
    return float(np.abs(interpolation_taps()).sum(axis=0).max())


def true_peaks_at(samples: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """The largest absolute value of the 4× oversampled signal between sample n and n+1, for each n in `indices`."""
    padded = np.pad(samples.astype(np.float64), TAP_REACH)
    windows = padded[indices[:, None] + np.arange(2 * TAP_REACH + 1)]
    return np.abs(windows @ interpolation_taps()).max(axis=1)


def peak_envelope(samples: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """For each sample, its true peak (the 4× oversampled signal's largest absolute value up to the next sample).

    Exact wherever the result exceeds `floor`; elsewhere it may read as low as the sample itself. Oversampling is
    only done near samples loud enough to reach `floor`, which for normalised speech is a small fraction of them.
    """
    level = np.abs(samples).astype(np.float32)
    near = maximum_filter1d(level, size=2 * TAP_REACH + 1, mode="constant") * overshoot_bound() > floor
    indices = np.flatnonzero(near)
    if len(indices):
        level[indices] = np.maximum(level[indices], true_peaks_at(samples, indices))
    return level


def max_true_peak(samples: np.ndarray) -> float:
    """The true peak (linear) of a block: only samples that could beat the loudest sample are oversampled."""
    if not len(samples):
        return 0.0
    return float(peak_envelope(samples, floor=float(np.max(np.abs(samples)))).max())


def _dbtp(peak: float) -> float:
    return 20 * float(np.log10(peak)) if peak > 0 else -120.0


def true_peak_dbtp(samples: np.ndarray) -> float:
    peak = 0.0
    for lo, start, end, hi in blocks_with_context(len(samples)):
        block = samples[lo:hi]
        envelope = peak_envelope(block, floor=float(np.max(np.abs(samples[start:end]))))
        peak = max(peak, float(envelope[start - lo : end - lo].max()))
    return _dbtp(peak)


def measure(samples: np.ndarray, rate: int) -> Loudness:
    return Loudness(integrated_loudness(samples, rate), true_peak_dbtp(samples))


def limiter_gain(peaks: np.ndarray, ceiling: float, rate: int) -> np.ndarray:
    """A smooth gain curve that keeps every (true) peak at or below `ceiling` (linear).

    The needed gain is held over a window (the look-ahead) and then averaged twice over half of it: each peak's
    averaging window lies inside its hold window, so the gain at a peak never exceeds what it needs, and the
    ramps into and out of each reduction are smooth (piecewise quadratic) instead of clicks.
    """
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12)).astype(np.float32)
    if needed.min() >= 1.0:
        return needed
    ramp = max(2, int(LIMITER_RAMP_S * rate))
    held = minimum_filter1d(needed, size=2 * ramp + 1, mode="nearest")
    smooth = uniform_filter1d(uniform_filter1d(held, size=ramp, mode="nearest"), size=ramp, mode="nearest")
    return np.minimum(smooth, needed)  # float rounding in the averages must never let a peak through


def apply_gain_and_limit(samples: np.ndarray, gain_db: float, ceiling_dbtp: float, rate: int) -> float:
    """Scale `samples` in place by `gain_db`, limiting true peaks to `ceiling_dbtp`. Returns the true peak after.

    Blocks are limited from their own audio plus CONTEXT samples either side (read before any is changed), so
    the result equals limiting the whole signal at once.
    """
    gain = np.float32(10 ** (gain_db / 20))
    ceiling = 10 ** (ceiling_dbtp / 20)
    carried = samples[:0].copy()  # the previous block's right context, before it was scaled
    peak = 0.0
    for lo, start, end, hi in blocks_with_context(len(samples)):
        window = np.concatenate([carried, samples[start:hi]]) * gain
        carried = samples[end - CONTEXT : end].copy() if end < len(samples) else carried
        envelope = peak_envelope(window, floor=ceiling)
        if envelope.max() > ceiling:
            window *= limiter_gain(envelope, ceiling, rate)
        core = window[start - lo : end - lo]
        samples[start:end] = core
        peak = max(peak, float(peak_envelope(window, floor=float(np.max(np.abs(core))))[start - lo : end - lo].max()))
    return _dbtp(peak)


def normalise(samples: np.ndarray, rate: int, target_lufs: float, ceiling_dbtp: float) -> Loudness:
    """Bring `samples` (changed in place) to `target_lufs` with true peaks at or below `ceiling_dbtp`.

    Limiting takes a little loudness away; when it takes more than 0.3 LU the gain is raised by that much and the
    limiter runs again on the result.
    """
    measured = integrated_loudness(samples, rate)
    if measured <= SILENCE_LUFS:
        return Loudness(measured, true_peak_dbtp(samples))
    peak = apply_gain_and_limit(samples, target_lufs - measured, ceiling_dbtp, rate)
    result = integrated_loudness(samples, rate)
    if target_lufs - result > 0.3:
        peak = apply_gain_and_limit(samples, target_lufs - result, ceiling_dbtp, rate)
        result = integrated_loudness(samples, rate)
    return Loudness(result, peak)


def measure_stream(chunks: Iterable[np.ndarray], rate: int) -> Loudness:
    """Loudness and true peak of audio arriving in chunks (e.g. an MP3 decoded through a pipe).

    A sample's true peak needs a few samples after it, so the last CONTEXT samples of each chunk wait for the next.
    """
    meter = LoudnessMeter(rate)
    peak = 0.0
    left = pending = np.zeros(0, dtype=np.float32)

    def peak_in(data: np.ndarray, start: int, end: int) -> float:
        return float(peak_envelope(data, floor=float(np.max(np.abs(data[start:end]))))[start:end].max())

    for chunk in chunks:
        meter.feed(chunk)
        data = np.concatenate([left, pending, chunk])
        ready = max(len(left), len(data) - CONTEXT)
        if ready > len(left):
            peak = max(peak, peak_in(data, len(left), ready))
        left, pending = data[max(0, ready - CONTEXT) : ready], data[ready:]
    if len(pending):
        data = np.concatenate([left, pending])
        peak = max(peak, peak_in(data, len(left), len(data)))
    return Loudness(meter.integrated(), _dbtp(peak))
