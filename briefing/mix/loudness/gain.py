"""The gain search: the gain that brings an episode to the show's loudness once limited and encoded — tried on a
sample of the episode's blocks (for what the limiter takes away), with the encoder tried on an excerpt (for what it
takes away)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from briefing.mix.loudness.limiter import limited_blocks
from briefing.mix.loudness.meter import CONTEXT, SILENCE_LUFS, Block, LoudnessMeter, integrated_loudness

PROBE_BLOCK = 1 << 17  # ≈3 s: gains are tried on every PROBE_STRIDE-th stretch this long
PROBE_STRIDE = 10
# ... but on no fewer stretches than this (all of a short episode): one or two 3-second stretches of a 30-second
# episode may be music or a pause, and the gain found from them missed its target by 3 LU.
MIN_PROBE_BLOCKS = 12
CODEC_PROBE_BLOCKS = 10  # ≈30 s of an episode is encoded to learn what the encoder takes away
GAIN_SEARCH_STEPS = 5
NO_LIMIT_DBTP = 120.0


def probe_blocks(length: int) -> list[Block]:
    """Every PROBE_STRIDE-th stretch of PROBE_BLOCK samples (with context), or more often where that would make
    fewer than MIN_PROBE_BLOCKS: a sample of an episode for trying gains."""
    stride = max(1, min(PROBE_STRIDE, -(-length // PROBE_BLOCK) // MIN_PROBE_BLOCKS))
    blocks = []
    for index, start in enumerate(range(0, length, PROBE_BLOCK)):
        if index % stride == stride // 2:
            end = min(length, start + PROBE_BLOCK)
            blocks.append((max(0, start - CONTEXT), start, end, min(length, end + CONTEXT)))
    return blocks


def limited_loudness(
    samples: np.ndarray, gain_db: float, ceiling_dbtp: float, rate: int, blocks: Iterable[Block]
) -> float:
    """The loudness `blocks` of `samples` would have after gain and limiting (nothing is changed)."""
    meter = LoudnessMeter(rate)
    for _, _, limited in limited_blocks(samples, gain_db, ceiling_dbtp, rate, blocks):
        meter.feed(limited)
    return meter.integrated()


def sampled_loudness(samples: np.ndarray, rate: int) -> float:
    """The integrated loudness of a sample of `samples` (see `probe_blocks`): a tenth of the work of the whole."""
    return limited_loudness(samples, 0.0, NO_LIMIT_DBTP, rate, probe_blocks(len(samples)))


def limiter_aware_gain(
    samples: np.ndarray, rate: int, target_lufs: float, ceiling_dbtp: float, measured: float
) -> float:
    """The gain (dB) that brings `samples` (now at `measured` LUFS) to `target_lufs` after limiting.

    Limiting takes loudness away, the more the harder it works, so `target − measured` falls short. Gains are
    tried (secant method) on a sample of the episode's blocks, which loses as much to limiting as the whole.
    """
    blocks = probe_blocks(len(samples))
    # The sample's own loudness differs a little from the whole's: aim it at the same change.
    sample_target = target_lufs + sampled_loudness(samples, rate) - measured

    def reached(gain_db: float) -> float:
        return limited_loudness(samples, gain_db, ceiling_dbtp, rate, blocks)

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
    samples: np.ndarray, rate: int, target_lufs: float, ceiling_dbtp: float,
    codec_loss: Callable[[np.ndarray], float] | None = None,
) -> float:  # fmt: skip
    """The gain (dB) that brings `samples` to `target_lufs` once limited to `ceiling_dbtp` (see `limited`).

    It allows for what the limiter takes away and, given `codec_loss` (how many LU an encoder takes from an
    excerpt's loudness), for what the encoder will take away too.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="codec-probe") as pool:
        # The encoder is tried on an excerpt while the whole is measured (it waits on ffmpeg most of the time).
        loss = pool.submit(_excerpt_codec_loss, samples, rate, target_lufs, ceiling_dbtp, codec_loss)
        measured = integrated_loudness(samples, rate, parts=2)
        target_lufs += loss.result()
    if measured <= SILENCE_LUFS:
        return 0.0
    return limiter_aware_gain(samples, rate, target_lufs, ceiling_dbtp, measured)


def _excerpt_codec_loss(samples: np.ndarray, rate: int, target_lufs: float, ceiling_dbtp: float,
                        codec_loss: Callable[[np.ndarray], float] | None) -> float:  # fmt: skip
    """`codec_loss` of an excerpt of the episode (every few probe blocks), brought to about the target and limited."""
    if codec_loss is None:
        return 0.0
    blocks = probe_blocks(len(samples))
    spread = blocks[:: max(1, len(blocks) // CODEC_PROBE_BLOCKS)][:CODEC_PROBE_BLOCKS]
    excerpt = np.concatenate([samples[start:end] for _, start, end, _ in spread])
    level = integrated_loudness(excerpt, rate)
    if level <= SILENCE_LUFS:
        return 0.0
    parts = limited_blocks(samples, target_lufs - level, ceiling_dbtp, rate, spread)
    return codec_loss(np.concatenate([part for *_, part in parts]))
