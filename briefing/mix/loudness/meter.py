"""The loudness meter: ITU-R BS.1770 K-weighting, gating and integrated loudness, and the true peak (4×
oversampled), measured in blocks or as audio streams in.

Audio is processed in blocks, so an hour-long episode never needs a float64 or oversampled copy of itself in
memory. The K-weighting filters are pyloudnorm's; the meter streams them with carried filter state.
"""

from __future__ import annotations

import functools
import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyloudnorm
from numpy.lib.stride_tricks import sliding_window_view
from scipy.signal import firwin, sosfilt, sosfilt_zi

from briefing.mix.signal import Signal, as_signal, correlate_taps

OVERSAMPLING = 4  # BS.1770-4 annex 2: 4× oversampling finds inter-sample peaks at 44.1/48 kHz
TAP_REACH = 6  # the interpolator looks this many samples either way
PEAK_GROUP = 16  # samples judged together when deciding where to oversample (≥ TAP_REACH)
HOT_GROUPS_AT_ONCE = 2048  # groups oversampled together: their gathered windows stay near 2 MB
DENSE_FROM = 32  # with more than one group in this many to oversample, the whole block is (it is then quicker)
BLOCK = 1 << 18  # samples per processing block (≈6 s: small enough that its working arrays stay small)
CONTEXT = 1024  # samples of context either side of a block: the polyphase filter and the limiter's window
SILENCE_LUFS = -70.0
GATE_STEP_S = 0.1  # BS.1770 gating blocks: 400 ms, 75 % overlap → a new block every 100 ms
RELATIVE_GATE_LU = -10.0
METER_QUEUE = 4  # chunks waiting for the K-weighting thread
PEAK_WORKERS = 2  # chunks searched for their true peak at once

# (lo, start, end, hi): a block [start, end) of samples and the context around it, [lo, hi).
Block = tuple[int, int, int, int]


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

    def step_energies(self) -> np.ndarray:
        """The K-weighted energy of each whole 100 ms step fed so far."""
        return np.concatenate(self._step_energy) if self._step_energy else np.zeros(0)

    def integrated(self, steps: np.ndarray | None = None) -> float:
        """The gated loudness of what was fed (or of `steps`, step energies from meters that fed parts of it)."""
        steps = self.step_energies() if steps is None else steps
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


def integrated_loudness(samples: Signal | np.ndarray, rate: int, parts: int = 1) -> float:
    """BS.1770 gated integrated loudness in LUFS (−70 for silence or audio shorter than one gating block), read a
    block at a time.

    With `parts` > 1, that many stretches (whole 100 ms steps each) are metered at once in threads. Each but the
    first is metered from one step earlier, whose energy is dropped: the K-weighting filters forget the audio
    before by then (to a few parts in 10⁸), so the result is the same as metering the whole in one go.
    """
    audio = as_signal(samples)
    meter = LoudnessMeter(rate)
    step = meter.step
    edges = [0, *(audio.length * k // parts // step * step for k in range(1, parts)), audio.length]

    def energies(start: int, end: int) -> np.ndarray:
        part = LoudnessMeter(rate)
        warm = min(start, step)
        for at in range(start - warm, end, BLOCK):
            part.feed(audio.render(at, min(end, at + BLOCK)))
        return part.step_energies()[warm // step :]

    if parts == 1:
        return meter.integrated(energies(0, audio.length))
    with ThreadPoolExecutor(max_workers=parts, thread_name_prefix="loudness") as pool:
        steps = list(pool.map(energies, edges[:-1], edges[1:]))
    return meter.integrated(np.concatenate(steps))


def blocks_with_context(length: int) -> Iterator[Block]:
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


def true_peaks_at(samples: np.ndarray, indices: np.ndarray, padded: np.ndarray | None = None) -> np.ndarray:
    """The largest absolute value of the 4× oversampled signal from sample n up to n+1, for each n in `indices`.

    `padded` is `samples` with TAP_REACH zeros either side, if the caller has it already."""
    if padded is None:
        padded = np.concatenate([np.zeros(TAP_REACH, np.float32), samples, np.zeros(TAP_REACH, np.float32)])
    windows = sliding_window_view(padded, 2 * TAP_REACH + 1)[indices]  # rows gathered without an index matrix
    between = np.abs(windows @ interpolation_taps()[:, 1:].astype(np.float32)).max(axis=1)
    return np.maximum(between, np.abs(samples[indices]))


def oversampled_peaks(padded: np.ndarray, count: int) -> np.ndarray:
    """For each of `count` samples, the largest absolute value of the 4× oversampled signal strictly between it and
    the next one (phases 1 to 3), from `padded`: the samples with TAP_REACH more either side.

    Each phase is summed tap by tap (see `correlate_taps`)."""
    taps = interpolation_taps()
    peaks = np.zeros(count, np.float32)
    for column in range(1, OVERSAMPLING):  # phase 0 is the sample itself
        phase = correlate_taps(padded, taps[:, column], count)
        np.maximum(peaks, np.abs(phase, out=phase), out=peaks)
    return peaks


def peak_envelope(samples: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """For each sample, its true peak (the 4× oversampled signal's largest absolute value up to the next sample).

    Exact wherever the result exceeds `floor`; elsewhere it may read as low as the sample itself. Only samples loud
    enough to reach `floor` after interpolation need oversampling: where they are few (quiet audio), just those
    groups are; where they are many (normalised speech: one group in ten), the whole block is, phase by phase.
    """
    level = np.abs(samples).astype(np.float32)
    padded = np.concatenate([level, np.zeros(-len(level) % PEAK_GROUP, np.float32)])
    loudest = padded.reshape(-1, PEAK_GROUP).max(axis=1)
    reach = loudest.copy()  # a group's interpolated values depend on samples at most one group away
    np.maximum(reach[1:], loudest[:-1], out=reach[1:])
    np.maximum(reach[:-1], loudest[1:], out=reach[:-1])
    hot = np.flatnonzero(reach * overshoot_bound() > floor)
    if not len(hot):
        return level
    edge = np.zeros(TAP_REACH, np.float32)
    padded = np.concatenate([edge, samples, edge]).astype(np.float32, copy=False)
    if len(hot) * DENSE_FROM > len(loudest):
        return np.maximum(level, oversampled_peaks(padded, len(level)), out=level)
    # A few thousand groups at a time: each oversampled sample needs its window of 2·TAP_REACH+1 samples gathered.
    for at in range(0, len(hot), HOT_GROUPS_AT_ONCE):
        indices = (hot[at : at + HOT_GROUPS_AT_ONCE, None] * PEAK_GROUP + np.arange(PEAK_GROUP)).ravel()
        indices = indices[indices < len(level)]
        level[indices] = true_peaks_at(samples, indices, padded)
    return level


def _dbtp(peak: float) -> float:
    return 20 * float(np.log10(peak)) if peak > 0 else -120.0


def true_peak_dbtp(samples: np.ndarray) -> float:
    peak = 0.0
    for lo, start, end, hi in blocks_with_context(len(samples)):
        block = samples[lo:hi]
        envelope = peak_envelope(block, floor=float(np.max(np.abs(samples[start:end]))))
        peak = max(peak, float(envelope[start - lo : end - lo].max()))
    return _dbtp(peak)


def stream_peak(chunks: Iterable[np.ndarray], workers: int = PEAK_WORKERS) -> float:
    """The true peak (linear) of audio arriving in chunks, `workers` chunks searched at once (numpy lets go of the
    interpreter while it oversamples).

    A sample's true peak needs a few samples after it, so the last CONTEXT samples of each chunk wait for the next.
    """
    left = pending = np.zeros(0, dtype=np.float32)

    def peak_in(data: np.ndarray, start: int, end: int) -> float:
        return float(peak_envelope(data, floor=float(np.max(np.abs(data[start:end]))))[start:end].max())

    peaks: list[float] = []
    searching: deque[Future[float]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="true-peak") as pool:
        for chunk in chunks:
            data = np.concatenate([left, pending, chunk])
            ready = max(len(left), len(data) - CONTEXT)
            if ready > len(left):
                searching.append(pool.submit(peak_in, data, len(left), ready))
            left, pending = data[max(0, ready - CONTEXT) : ready], data[ready:]
            while len(searching) > 2 * workers:  # a few chunks in hand at most
                peaks.append(searching.popleft().result())
        if len(pending):
            searching.append(pool.submit(peak_in, np.concatenate([left, pending]), len(left), len(left) + len(pending)))
        peaks.extend(future.result() for future in searching)
    return max(peaks, default=0.0)


def measure_stream(chunks: Iterable[np.ndarray], rate: int) -> Loudness:
    """Loudness and true peak of audio arriving in chunks (e.g. an MP3 decoded through a pipe).

    The K-weighting runs in a thread of its own beside the true-peak search (both spend their time in numpy and
    scipy, which let go of the GIL), so measuring takes about as long as the slower of the two.
    """
    meter = LoudnessMeter(rate)
    # A few chunks ahead at most: the meter may be the slower of the two, and a whole episode must not wait in line.
    to_meter: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=METER_QUEUE)
    failure: list[BaseException] = []

    def weigh() -> None:
        try:
            while (chunk := to_meter.get()) is not None:
                meter.feed(chunk)
        except BaseException as error:  # noqa: BLE001  # re-raised in the caller's thread
            failure.append(error)
            while to_meter.get() is not None:
                pass

    def passed_on(items: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        try:
            for chunk in items:
                to_meter.put(chunk)
                yield chunk
        finally:
            to_meter.put(None)

    weigher = threading.Thread(target=weigh, name="loudness-meter")
    weigher.start()
    try:
        peak = stream_peak(passed_on(chunks))
    finally:
        weigher.join()
    if failure:
        raise failure[0]
    return Loudness(meter.integrated(), _dbtp(peak))
