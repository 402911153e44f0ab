"""Podcast loudness: the BS.1770 meter (`meter`), the true-peak-safe limiter (`limiter`) and the search for the gain
that meets the show's loudness after limiting and encoding (`gain`). The names the mix uses, in one place."""

from briefing.mix.loudness.gain import (
    NO_LIMIT_DBTP,
    Probe,
    codec_indices,
    excerpt_codec_loss,
    loudness_gain,
    sampled_loudness,
)
from briefing.mix.loudness.limiter import apply_gain_and_limit
from briefing.mix.loudness.meter import (
    SILENCE_LUFS,
    Loudness,
    LoudnessMeter,
    integrated_loudness,
    measure_stream,
    true_peak_dbtp,
)

__all__ = [
    "NO_LIMIT_DBTP",
    "SILENCE_LUFS",
    "Loudness",
    "LoudnessMeter",
    "Probe",
    "apply_gain_and_limit",
    "codec_indices",
    "excerpt_codec_loss",
    "integrated_loudness",
    "loudness_gain",
    "measure_stream",
    "sampled_loudness",
    "true_peak_dbtp",
]
