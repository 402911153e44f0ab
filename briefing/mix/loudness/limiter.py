"""The true-peak-safe limiter: a smooth look-ahead gain curve that keeps every true peak under a ceiling, and gain
plus limiting applied block by block, each block with its neighbours' samples as context."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from briefing.mix.loudness.meter import Block, blocks_with_context, peak_envelope
from briefing.mix.signal import Signal, as_signal

LIMITER_GROUP = 32  # samples whose needed gain is held together (a coarser, never weaker, look-ahead)
LIMITER_RAMP_S = 0.008  # look-ahead and release: short enough to be inaudible on speech, long enough not to click


def limiter_gain(peaks: np.ndarray, ceiling: float, rate: int) -> np.ndarray:
    """A smooth gain curve that keeps every (true) peak at or below `ceiling` (linear).

    Worked out on groups of LIMITER_GROUP samples: each group's needed gain (its minimum) is held over the groups
    around it, averaged twice over about LIMITER_RAMP_S (so reductions ramp in and out instead of clicking), and
    interpolated back to every sample. The hold reaches past both averages and the interpolation, so no sample
    gets more gain than it needs; a final minimum guards against float rounding.
    """
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12)).astype(np.float32)
    if needed.min() >= 1.0:
        return needed
    n = len(needed)
    groups = np.concatenate([needed, np.ones(-n % LIMITER_GROUP, np.float32)]).reshape(-1, LIMITER_GROUP).min(axis=1)
    width = max(1, round(LIMITER_RAMP_S * rate / LIMITER_GROUP))
    held = minimum_filter1d(groups, size=2 * (width + 2) + 1, mode="nearest")
    smooth = uniform_filter1d(uniform_filter1d(held, size=width, mode="nearest"), size=width, mode="nearest")
    centres = np.arange(len(groups)) * LIMITER_GROUP + (LIMITER_GROUP - 1) / 2
    # A group's samples take their gain from its own and its neighbours' centres: where all three are at 1 it is 1
    # (as interpolating would give), so only the groups within one of a reduction are interpolated.
    reducing = smooth < 1.0
    near = reducing.copy()
    near[1:] |= reducing[:-1]
    near[:-1] |= reducing[1:]
    positions = (np.flatnonzero(near)[:, None] * LIMITER_GROUP + np.arange(LIMITER_GROUP)).ravel()
    positions = positions[positions < n]
    gain = np.ones(n, np.float32)
    gain[positions] = np.interp(positions.astype(np.float32), centres, smooth)
    return np.minimum(gain, needed)


def limit_window(window: np.ndarray, gain_db: float, ceiling_dbtp: float, rate: int) -> np.ndarray:
    """`window` scaled by `gain_db`, its true peaks limited to `ceiling_dbtp` (a new array; `window` is unchanged)."""
    ceiling = 10 ** (ceiling_dbtp / 20)
    window = window * np.float32(10 ** (gain_db / 20))
    envelope = peak_envelope(window, floor=ceiling)
    if envelope.max() > ceiling:
        window *= limiter_gain(envelope, ceiling, rate)
    return window


def limited_blocks(
    samples: Signal | np.ndarray, gain_db: float, ceiling_dbtp: float, rate: int, blocks: Iterable[Block]
) -> Iterator[tuple[int, int, np.ndarray]]:
    """(start, end, limited audio of [start, end)) for the given (lo, start, end, hi) blocks, from unchanged input."""
    audio = as_signal(samples)
    for lo, start, end, hi in blocks:
        yield start, end, limit_window(audio.render(lo, hi), gain_db, ceiling_dbtp, rate)[start - lo : end - lo]


def apply_gain_and_limit(samples: np.ndarray, gain_db: float, ceiling_dbtp: float, rate: int) -> None:
    """Scale `samples` in place by `gain_db`, limiting true peaks to `ceiling_dbtp`.

    Each block is limited from its own audio plus CONTEXT samples either side, and written only after the next
    block has read its left context, so the result equals limiting the whole signal at once.
    """
    pending = None
    for start, end, block in limited_blocks(samples, gain_db, ceiling_dbtp, rate, blocks_with_context(len(samples))):
        if pending is not None:
            samples[pending[0] : pending[1]] = pending[2]
        pending = (start, end, block)
    if pending is not None:
        samples[pending[0] : pending[1]] = pending[2]
