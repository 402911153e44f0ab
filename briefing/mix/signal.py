"""Audio read a stretch at a time: what the loudness meter, the limiter and the encoder work on, so that an episode
of any length passes through them in blocks (an array in memory is one such source)."""

from __future__ import annotations

import hashlib
from typing import Protocol

import numpy as np


class Signal(Protocol):
    """Mono float32 audio that can be read a stretch at a time."""

    @property
    def length(self) -> int: ...

    def render(self, start: int, end: int) -> np.ndarray:
        """Samples [start, end) as a new float32 array the caller may change."""
        ...

    def fingerprint(self, start: int, end: int) -> str:
        """A hash that is the same for two stretches exactly when their samples are (a cache key for them)."""
        ...


class ArraySignal:
    """Audio already in memory (a test signal, a music file, a short excerpt)."""

    def __init__(self, samples: np.ndarray):
        self.samples = np.asarray(samples, dtype=np.float32)

    @property
    def length(self) -> int:
        return len(self.samples)

    def render(self, start: int, end: int) -> np.ndarray:
        return self.samples[start:end].copy()

    def fingerprint(self, start: int, end: int) -> str:
        return hashlib.sha256(np.ascontiguousarray(self.samples[start:end], dtype="<f4").data).hexdigest()


def as_signal(source: Signal | np.ndarray) -> Signal:
    return ArraySignal(source) if isinstance(source, np.ndarray) else source


def stretches(start: int, end: int, size: int) -> list[tuple[int, int]]:
    """[start, end) in consecutive stretches of at most `size` samples."""
    return [(at, min(end, at + size)) for at in range(start, end, size)]


def correlate_taps(padded: np.ndarray, taps: np.ndarray, count: int) -> np.ndarray:
    """y[i] = Σⱼ taps[j]·padded[i + j] for i < `count` (float32): a short FIR filter summed tap by tap as vectors — a
    multiply and an add per tap over the whole array, several times quicker than numpy's convolution, which works
    sample by sample. `padded` holds at least count + len(taps) − 1 samples."""
    taps = np.asarray(taps, dtype=np.float32)
    out = np.multiply(padded[:count], taps[0], dtype=np.float32)
    term = np.empty(count, np.float32)
    for j in range(1, len(taps)):
        np.multiply(padded[j : j + count], taps[j], out=term)
        out += term
    return out
