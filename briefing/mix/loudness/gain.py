"""The gain search: the gain that brings an episode to the show's loudness once limited and encoded — tried on a
sample of the episode's blocks (for what the limiter takes away), with the encoder tried on an excerpt (for what it
takes away)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from briefing.mix.loudness.limiter import limit_window
from briefing.mix.loudness.meter import CONTEXT, SILENCE_LUFS, LoudnessMeter, integrated_loudness
from briefing.mix.signal import Signal, as_signal

PROBE_BLOCK = 1 << 17  # ≈3 s: gains are tried on every PROBE_STRIDE-th stretch this long
PROBE_STRIDE = 10
MAX_PROBE_BLOCKS = 40  # ≈2 min: a longer episode's sample is spread thinner, so it stays this small in memory
CODEC_PROBE_BLOCKS = 10  # ≈30 s of an episode is encoded to learn what the encoder takes away
GAIN_SEARCH_STEPS = 5
NO_LIMIT_DBTP = 120.0

Block = tuple[int, int, int, int]  # (lo, start, end, hi): [start, end) with context [lo, hi)


def probe_blocks(length: int) -> list[Block]:
    """Every PROBE_STRIDE-th stretch of PROBE_BLOCK samples (with context), at most MAX_PROBE_BLOCKS of them: a
    sample of an episode for trying gains."""
    count = -(-length // PROBE_BLOCK)
    stride = max(PROBE_STRIDE, -(-count // MAX_PROBE_BLOCKS))
    blocks = []
    for index, start in enumerate(range(0, length, PROBE_BLOCK)):
        if index % stride == stride // 2 or length <= PROBE_BLOCK * PROBE_STRIDE:
            end = min(length, start + PROBE_BLOCK)
            blocks.append((max(0, start - CONTEXT), start, end, min(length, end + CONTEXT)))
    return blocks


@dataclass(frozen=True)
class Probe:
    """An episode's probe blocks, read once: what gains are tried on."""

    blocks: tuple[Block, ...]
    windows: tuple[np.ndarray, ...]  # each block's samples [lo, hi)

    @classmethod
    def read(cls, source: Signal | np.ndarray) -> Probe:
        audio = as_signal(source)
        blocks = tuple(probe_blocks(audio.length))
        return cls(blocks, tuple(audio.render(lo, hi) for lo, _, _, hi in blocks))

    def limited(self, gain_db: float, ceiling_dbtp: float, rate: int, which: Sequence[int] | None = None):
        """The blocks' own stretches [start, end) after gain and limiting (each limited with its context)."""
        for index in range(len(self.blocks)) if which is None else which:
            (lo, start, end, _), window = self.blocks[index], self.windows[index]
            yield limit_window(window, gain_db, ceiling_dbtp, rate)[start - lo : end - lo]

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
    probe: Probe | None = None,
) -> float:  # fmt: skip
    """The gain (dB) that brings `samples` to `target_lufs` once limited to `ceiling_dbtp`.

    It allows for what the limiter takes away and, given `codec_loss` (how many LU an encoder takes from an
    excerpt's loudness), for what the encoder will take away too. `measured` (the whole's integrated loudness) and
    `probe` (its probe blocks) are measured and read here unless given.
    """
    audio = as_signal(samples)
    probe = probe or Probe.read(audio)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="codec-probe") as pool:
        # The encoder is tried on an excerpt while the whole is measured (it waits on ffmpeg most of the time).
        loss = pool.submit(_excerpt_codec_loss, probe, rate, target_lufs, ceiling_dbtp, codec_loss)
        if measured is None:
            measured = integrated_loudness(audio, rate, parts=2)
        target_lufs += loss.result()
    if measured <= SILENCE_LUFS:
        return 0.0
    return limiter_aware_gain(probe, rate, target_lufs, ceiling_dbtp, measured)


def _excerpt_codec_loss(probe: Probe, rate: int, target_lufs: float, ceiling_dbtp: float,
                        codec_loss: Callable[[np.ndarray], float] | None) -> float:  # fmt: skip
    """`codec_loss` of an excerpt of the episode (every few probe blocks), brought to about the target and limited."""
    if codec_loss is None or not probe.blocks:
        return 0.0
    spread = list(range(len(probe.blocks)))[:: max(1, len(probe.blocks) // CODEC_PROBE_BLOCKS)][:CODEC_PROBE_BLOCKS]
    excerpt = np.concatenate(
        [probe.windows[i][start - lo : end - lo] for i in spread for lo, start, end, _ in [probe.blocks[i]]]
    )
    level = integrated_loudness(excerpt, rate)
    if level <= SILENCE_LUFS:
        return 0.0
    return codec_loss(np.concatenate(list(probe.limited(target_lufs - level, ceiling_dbtp, rate, spread))))
