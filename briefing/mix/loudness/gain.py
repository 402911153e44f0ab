"""The gain search: the gain that brings an episode to the show's loudness once limited and encoded — tried on a
sample of the episode's blocks (for what the limiter takes away), with the encoder tried on an excerpt (for what it
takes away)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from briefing.mix.loudness.limiter import limit_window
from briefing.mix.loudness.meter import CONTEXT, SILENCE_LUFS, Block, LoudnessMeter, integrated_loudness
from briefing.mix.signal import Signal, as_signal

PROBE_BLOCK = 1 << 17  # ≈3 s: gains are tried on every PROBE_STRIDE-th stretch this long
PROBE_STRIDE = 10
PROBE_OFFSET = 5  # the stretches tried are those whose index is PROBE_OFFSET past a multiple of the stride
MAX_PROBE_BLOCKS = 40  # ≈2 min: a longer episode's stride doubles (and doubles) until it stays this small
CODEC_PROBE_BLOCKS = 10  # ≈30 s — the first ten stretches at PROBE_STRIDE — is encoded to learn what the encoder takes
GAIN_SEARCH_STEPS = 5
NO_LIMIT_DBTP = 120.0
LIMIT_WORKERS = 2  # probe blocks limited at once


def probe_stride(count: int) -> int:
    """The stride for an episode of `count` stretches: PROBE_STRIDE, doubled until at most MAX_PROBE_BLOCKS are
    taken. Strides only ever double, so a sample for a longer episode is part of the one for a shorter: it can be
    gathered while the episode is still growing."""
    stride = PROBE_STRIDE
    while len(range(PROBE_OFFSET, count, stride)) > MAX_PROBE_BLOCKS:
        stride *= 2
    return stride


def probe_indices(count: int) -> list[int]:
    """The stretches (by index) gains are tried on, for an episode of `count` stretches: every one for an episode
    of up to PROBE_STRIDE of them."""
    return list(range(count)) if count <= PROBE_STRIDE else list(range(PROBE_OFFSET, count, probe_stride(count)))


def codec_indices(count: int) -> list[int]:
    """The stretches the encoder is tried on: the first CODEC_PROBE_BLOCKS at PROBE_STRIDE (every one for a short
    episode), there early in the episode whatever its length."""
    taken = range(PROBE_OFFSET, min(count, PROBE_OFFSET + PROBE_STRIDE * CODEC_PROBE_BLOCKS), PROBE_STRIDE)
    return list(range(count)) if count <= PROBE_STRIDE else list(taken)


def probe_block(index: int, length: int) -> Block:
    """Stretch `index` of an episode `length` samples long, with CONTEXT samples either side where there are any."""
    start = index * PROBE_BLOCK
    end = min(length, start + PROBE_BLOCK)
    return max(0, start - CONTEXT), start, end, min(length, end + CONTEXT)


def probe_blocks(length: int) -> list[Block]:
    """The stretches of PROBE_BLOCK samples (with context) gains are tried on (see `probe_indices`)."""
    return [probe_block(index, length) for index in probe_indices(-(-length // PROBE_BLOCK))]


@dataclass(frozen=True)
class Probe:
    """Stretches of an episode, read once: what gains (or the encoder) are tried on."""

    blocks: tuple[Block, ...]
    windows: tuple[np.ndarray, ...]  # each block's samples [lo, hi)

    @classmethod
    def read(cls, source: Signal | np.ndarray, indices: Callable[[int], list[int]] = probe_indices) -> Probe:
        """The stretches `indices` picks for an episode of its length (by default, those gains are tried on)."""
        audio = as_signal(source)
        count = -(-audio.length // PROBE_BLOCK)
        blocks = tuple(probe_block(index, audio.length) for index in indices(count))
        return cls(blocks, tuple(audio.render(lo, hi) for lo, _, _, hi in blocks))

    def limited(self, gain_db: float, ceiling_dbtp: float, rate: int) -> Iterator[np.ndarray]:
        """The blocks' own stretches [start, end) after gain and limiting (each limited with its context), in order;
        LIMIT_WORKERS of them at once (numpy lets go of the interpreter while it limits)."""

        def limit(block: Block, window: np.ndarray) -> np.ndarray:
            lo, start, end, _ = block
            return limit_window(window, gain_db, ceiling_dbtp, rate)[start - lo : end - lo]

        with ThreadPoolExecutor(max_workers=LIMIT_WORKERS, thread_name_prefix="probe-limit") as pool:
            yield from pool.map(limit, self.blocks, self.windows)

    def loudness(self, gain_db: float, ceiling_dbtp: float, rate: int) -> float:
        """The loudness the blocks would have after gain and limiting (nothing is changed)."""
        meter = LoudnessMeter(rate)
        for limited in self.limited(gain_db, ceiling_dbtp, rate):
            meter.feed(limited)
        return meter.integrated()


def sampled_loudness(samples: Signal | np.ndarray, rate: int) -> float:
    """The integrated loudness of a sample of `samples` (see `probe_blocks`): a tenth of the work of the whole."""
    return Probe.read(samples).loudness(0.0, NO_LIMIT_DBTP, rate)


def limiter_aware_gain(probe: Probe, rate: int, target_lufs: float, ceiling_dbtp: float, measured: float) -> float:
    """The gain (dB) that brings an episode (now at `measured` LUFS) to `target_lufs` after limiting.

    Limiting takes loudness away, the more the harder it works, so `target − measured` falls short. Gains are
    tried (secant method) on the episode's probe blocks, which lose as much to limiting as the whole.
    """
    # The sample's own loudness differs a little from the whole's: aim it at the same change.
    sample_target = target_lufs + probe.loudness(0.0, NO_LIMIT_DBTP, rate) - measured

    def reached(gain_db: float) -> float:
        return probe.loudness(gain_db, ceiling_dbtp, rate)

    gain, result = target_lufs - measured, reached(target_lufs - measured)
    previous_gain, previous_result = gain, result
    for _ in range(GAIN_SEARCH_STEPS):
        if abs(sample_target - result) < 0.05:
            break
        if gain == previous_gain:
            slope = 0.5  # a first guess: limiting usually eats about half of any extra gain
        else:
            slope = max(0.1, (result - previous_result) / (gain - previous_gain))
        previous_gain, previous_result = gain, result
        gain += float(np.clip((sample_target - result) / slope, -6.0, 6.0))
        result = reached(gain)
    return gain


def loudness_gain(
    samples: Signal | np.ndarray, rate: int, target_lufs: float, ceiling_dbtp: float,
    codec_loss: Callable[[np.ndarray], float] | None = None, *, measured: float | None = None,
    probe: Probe | None = None, codec_loss_lu: float | None = None,
) -> float:  # fmt: skip
    """The gain (dB) that brings `samples` to `target_lufs` once limited to `ceiling_dbtp`.

    It allows for what the limiter takes away and, given `codec_loss` (how many LU an encoder takes from an
    excerpt's loudness, see `excerpt_codec_loss`) or that loss itself (`codec_loss_lu`), for what the encoder will
    take away too. `measured` (the whole's integrated loudness) and `probe` (its probe blocks) are measured and read
    here unless given.
    """
    audio = as_signal(samples)
    probe = probe or Probe.read(audio)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="codec-probe") as pool:
        # The encoder is tried on an excerpt while the whole is measured (it waits on ffmpeg most of the time).
        if codec_loss_lu is None:
            excerpt = Probe.read(audio, codec_indices)
            loss = pool.submit(excerpt_codec_loss, excerpt, rate, target_lufs, ceiling_dbtp, codec_loss)
        if measured is None:
            measured = integrated_loudness(audio, rate, parts=2)
        target_lufs += codec_loss_lu if codec_loss_lu is not None else loss.result()
    if measured <= SILENCE_LUFS:
        return 0.0
    return limiter_aware_gain(probe, rate, target_lufs, ceiling_dbtp, measured)


def excerpt_codec_loss(excerpt: Probe, rate: int, target_lufs: float, ceiling_dbtp: float,
                       codec_loss: Callable[[np.ndarray], float] | None) -> float:  # fmt: skip
    """`codec_loss` of an excerpt of the episode (see `codec_indices`), brought to about the target and limited."""
    if codec_loss is None or not excerpt.blocks:
        return 0.0
    level = integrated_loudness(np.concatenate(list(excerpt.limited(0.0, NO_LIMIT_DBTP, rate))), rate)
    if level <= SILENCE_LUFS:
        return 0.0
    return codec_loss(np.concatenate(list(excerpt.limited(target_lufs - level, ceiling_dbtp, rate))))
