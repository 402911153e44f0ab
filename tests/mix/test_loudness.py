"""Loudness: the streaming BS.1770 meter, true peak, and the gain-plus-limiter that meets the podcast norm."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest

from briefing.mix import loudness, signal
from briefing.mix.loudness import limiter, meter

RATE = 44100


def speech_like(seconds: float, seed: int = 1) -> np.ndarray:
    """Bursts of shaped noise with sharp transients and pauses: speech's loudness-to-peak shape, not its sound."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    noise = rng.standard_normal(n)
    syllables = (np.sin(2 * np.pi * 4 * np.arange(n) / RATE) > 0.2).astype(float)
    pauses = np.repeat(rng.random(n // RATE + 1) > 0.2, RATE)[:n]
    x = noise * syllables * pauses * 0.05
    x[rng.integers(0, n, 40)] = 0.9  # clicks: the peaks a limiter has to catch
    return x.astype(np.float32)


def test_streaming_meter_agrees_with_pyloudnorm():
    x = speech_like(20)
    reference = pyloudnorm.Meter(RATE).integrated_loudness(x.astype(np.float64))
    assert loudness.integrated_loudness(x, RATE) == pytest.approx(reference, abs=0.05)


def test_meter_reads_a_full_scale_1khz_sine_at_about_minus_3_lufs():
    t = np.arange(5 * RATE) / RATE
    assert loudness.integrated_loudness(np.sin(2 * np.pi * 1000 * t), RATE) == pytest.approx(-3.0, abs=0.1)


def test_silence_and_very_short_audio_read_as_the_floor():
    assert loudness.integrated_loudness(np.zeros(RATE, np.float32), RATE) == loudness.SILENCE_LUFS
    assert loudness.integrated_loudness(np.ones(100, np.float32), RATE) == loudness.SILENCE_LUFS


def test_true_peak_finds_the_peak_between_samples():
    # A quarter-rate sine sampled 45° off its crests: every sample is at 0.707, the waveform reaches 1.0.
    n = np.arange(RATE)
    x = np.sin(np.pi / 2 * n + np.pi / 4).astype(np.float32)
    assert 20 * np.log10(np.max(np.abs(x))) == pytest.approx(-3.0, abs=0.1)
    assert loudness.true_peak_dbtp(x) == pytest.approx(0.0, abs=0.3)


def test_normalise_meets_loudness_and_true_peak_targets():
    x = speech_like(30)
    loudness.apply_gain_and_limit(x, loudness.loudness_gain(x, RATE, -16.0, -1.5), -1.5, RATE)
    # The gain is searched on a sample of the audio; the limiter's loss is allowed for.
    assert loudness.integrated_loudness(x, RATE) == pytest.approx(-16.0, abs=0.5)
    assert loudness.true_peak_dbtp(x) <= -1.5 + 0.05


def test_limiter_gain_is_smooth_and_never_above_what_a_peak_needs():
    peaks = np.full(RATE, 0.5, np.float32)
    peaks[20000] = 2.0
    gain = limiter.limiter_gain(peaks, 1.0, RATE)
    assert gain[20000] <= 0.5 + 1e-6
    assert gain[0] == 1.0 and gain[-1] == 1.0
    ramp = int(limiter.LIMITER_RAMP_S * RATE)
    assert np.max(np.abs(np.diff(gain))) < 2.0 / ramp  # no step: the reduction ramps in and out
    reach = 2 * ramp + 3 * limiter.LIMITER_GROUP
    assert np.all(gain[: 20000 - reach] == 1.0)  # look-ahead is bounded: far from the peak, no reduction
    assert np.all(gain[20000 + reach :] == 1.0)


def test_limiter_gain_interpolated_only_near_reductions_equals_interpolating_everywhere():
    rng = np.random.default_rng(11)
    peaks = np.abs(speech_like(3, seed=8)) * 0.8
    peaks[rng.integers(0, len(peaks), 40)] = 2.5  # isolated peaks, far apart and close together
    peaks = peaks[: len(peaks) - 7]  # not a whole number of groups
    gain = limiter.limiter_gain(peaks, 1.0, RATE)
    # The same curve, interpolated at every sample.
    group = limiter.LIMITER_GROUP
    needed = np.minimum(1.0, 1.0 / np.maximum(peaks, 1e-12)).astype(np.float32)
    groups = np.concatenate([needed, np.ones(-len(needed) % group, np.float32)]).reshape(-1, group).min(axis=1)
    width = max(1, round(limiter.LIMITER_RAMP_S * RATE / group))
    held = limiter.minimum_filter1d(groups, size=2 * (width + 2) + 1, mode="nearest")
    smooth = limiter.uniform_filter1d(limiter.uniform_filter1d(held, size=width, mode="nearest"), size=width,
                                      mode="nearest")  # fmt: skip
    centres = np.arange(len(groups)) * group + (group - 1) / 2
    everywhere = np.interp(np.arange(len(peaks), dtype=np.float32), centres, smooth).astype(np.float32)
    np.testing.assert_array_equal(gain, np.minimum(everywhere, needed))
    assert 0.01 < np.mean(gain < 1) < 0.5  # some of it is reduced, not all


def test_short_filters_summed_tap_by_tap_equal_a_correlation():
    x = speech_like(1, seed=12)
    taps = meter.interpolation_taps()[:, 1]
    padded = np.concatenate([np.zeros(6, np.float32), x, np.zeros(6, np.float32)])
    ours = signal.correlate_taps(padded, taps, len(x))
    theirs = np.correlate(padded.astype(np.float64), taps, mode="valid")
    assert ours.dtype == np.float32 and len(ours) == len(x)
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_block_wise_limiting_equals_limiting_at_once(monkeypatch):
    x = speech_like(6, seed=3)
    whole = x.copy()
    loudness.apply_gain_and_limit(whole, 6.0, -3.0, RATE)
    # Many block edges inside the signal; blocks stay whole numbers of limiter groups, as BLOCK and CONTEXT are.
    monkeypatch.setattr(meter, "BLOCK", 313 * limiter.LIMITER_GROUP)
    blocks = x.copy()
    loudness.apply_gain_and_limit(blocks, 6.0, -3.0, RATE)
    np.testing.assert_allclose(blocks, whole, atol=1e-6)


def test_streamed_measurement_equals_the_whole_signal_measurement():
    x = speech_like(8, seed=5)
    chunks = (x[i : i + 12345] for i in range(0, len(x), 12345))
    streamed = loudness.measure_stream(chunks, RATE)
    assert streamed.integrated_lufs == pytest.approx(loudness.integrated_loudness(x, RATE), abs=1e-6)
    assert streamed.true_peak_dbtp == pytest.approx(loudness.true_peak_dbtp(x), abs=1e-4)


def test_sparse_true_peak_envelope_equals_oversampling_every_sample():
    x = speech_like(3, seed=9) * 1.5
    everywhere = np.maximum(np.abs(x), meter.true_peaks_at(x, np.arange(len(x))))
    floor = 0.3
    sparse = meter.peak_envelope(x, floor=floor)
    loud = everywhere > floor
    np.testing.assert_allclose(sparse[loud], everywhere[loud], rtol=1e-6)
    assert np.all(sparse[~loud] <= floor + 1e-6)


def test_interpolator_agrees_with_scipys_resampler():
    from scipy.signal import resample_poly

    x = speech_like(2, seed=4)
    ours = 10 ** (loudness.true_peak_dbtp(x) / 20)
    theirs = float(np.max(np.abs(resample_poly(x.astype(np.float64), 4, 1))))
    assert 20 * np.log10(ours / theirs) == pytest.approx(0.0, abs=0.1)


def test_sampled_loudness_is_close_to_the_whole_for_steady_speech():
    x = speech_like(120, seed=8)
    assert loudness.sampled_loudness(x, RATE) == pytest.approx(loudness.integrated_loudness(x, RATE), abs=0.5)


def test_metering_in_parts_at_once_equals_metering_the_whole():
    rng = np.random.default_rng(7)
    x = (rng.standard_normal(RATE * 20) * np.repeat(rng.uniform(0.01, 0.3, 20), RATE)).astype(np.float32)
    whole = loudness.integrated_loudness(x, RATE)
    for parts in (2, 3):
        assert abs(loudness.integrated_loudness(x, RATE, parts=parts) - whole) < 1e-6
