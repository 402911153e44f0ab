"""Mastering an episode: the gain that brings the mix to the show's loudness, a verified encode (the finished MP3 is
measured, and limited lower and encoded again if encoding pushed its true peak over the limit), and the levels a
rebuild keeps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from briefing.errors import BriefingError
from briefing.mix import loudness, segments
from briefing.mix.audiofile import decode_audio
from briefing.mix.encode import encode_frames, measure_mp3, write_frames
from briefing.mix.mp3 import FRAME_SAMPLES, FrameError, count_frames
from briefing.mix.segments import SegmentCache
from briefing.mix.signal import Signal, as_signal
from briefing.models import MasteringRecord
from briefing.progress import Progress
from briefing.settings import Audio, Workspace

ENCODE_CEILING_MARGIN_DB = 0.5  # MP3 encoding adds overshoot; limit this far below the show's true-peak target
MAX_ENCODE_ATTEMPTS = 3
# An edited episode keeps its earlier levels while its speech (and then the MP3) stays this close to them.
KEPT_LEVEL_TOLERANCE_LU = 0.5
MUSIC_NAMES = ("intro", "outro", "transition")  # the music whose levels are kept


@dataclass(frozen=True)
class Levels:
    """The levels an episode was mixed and mastered at. A rebuild keeps those of the episode before it while they
    still fit, so the stretches an edit left alone come out sample for sample the same and are not encoded again."""

    speech_lufs: float  # the speech's loudness in the mix, which the music's levels were set against
    music_db: dict[str, float]
    gain_db: float
    ceiling_dbtp: float

    def record(self, audio: Audio) -> MasteringRecord:
        """What the episode's timeline keeps of them, with the loudness and limit they were made for."""
        return MasteringRecord(self.speech_lufs, self.music_db, self.gain_db, self.ceiling_dbtp,
                               audio.loudness_lufs, audio.true_peak_dbtp)  # fmt: skip

    @classmethod
    def of(cls, record: MasteringRecord | None, audio: Audio) -> Levels | None:
        """The levels recorded for an earlier build, if it was made for the same loudness and limit."""
        if record is None or (record.loudness_lufs, record.limit_dbtp) != (audio.loudness_lufs, audio.true_peak_dbtp):
            return None
        if not set(MUSIC_NAMES) <= set(record.music_db):
            return None
        music = {name: record.music_db[name] for name in MUSIC_NAMES}
        return cls(record.speech_lufs, music, record.gain_db, record.ceiling_dbtp)


@dataclass(frozen=True)
class Mastered:
    """What `encode_verified` made: the MP3's measurement, the gain and ceiling it was made with, and how many
    segments it encoded, reused and found damaged in the cache."""

    measured: loudness.Loudness
    gain_db: float
    ceiling_dbtp: float
    encoded: int
    reused: int
    repaired: int = 0  # damaged cache entries found (and encoded again)


@dataclass(frozen=True)
class MixMeasurement:
    """What a fresh gain is worked out from, measured before mastering (see `briefing.mix.levels`): the mix's
    integrated loudness, its probe blocks and what the encoder takes from its excerpt."""

    lufs: float
    probe: loudness.Probe
    codec_loss_lu: float


def fresh_ceiling(audio: Audio) -> float:
    """The limiter's ceiling for a fresh gain: below the show's limit by what encoding usually adds."""
    return audio.true_peak_dbtp - ENCODE_CEILING_MARGIN_DB


def excerpt_codec_loss(workspace: Workspace, target: Path, excerpt: loudness.Probe) -> float:
    """What the MP3 encoder takes from the loudness of an excerpt of the mix (≈0.4 LU for speech at 96 kb/s),
    brought to about the show's loudness and limited first; it is encoded into a file beside `target`."""
    audio = workspace.settings.audio
    rate = audio.sample_rate
    probe = target.with_name(target.name + ".probe.mp3")

    def codec_loss(limited: np.ndarray) -> float:
        whole = np.concatenate([limited, np.zeros(-len(limited) % FRAME_SAMPLES, np.float32)])
        try:
            write_frames(probe, encode_frames(whole, rate, audio.bitrate))
            decoded = loudness.integrated_loudness(decode_audio(probe, rate), rate)
        finally:
            probe.unlink(missing_ok=True)
        return loudness.integrated_loudness(whole, rate) - decoded

    return loudness.excerpt_codec_loss(excerpt, rate, audio.loudness_lufs, fresh_ceiling(audio), codec_loss)


def fresh_gain(mix: Signal, workspace: Workspace, target: Path, known: MixMeasurement | None = None) -> float:
    """The gain that brings the mix to the show's loudness once limited (to `fresh_ceiling`) and encoded (see
    `loudness_gain`), from what is `known` of it or else measured here (the encoder tried beside `target`)."""
    audio = workspace.settings.audio
    rate = audio.sample_rate
    if known is None:
        known = MixMeasurement(
            loudness.integrated_loudness(mix, rate, parts=2),
            loudness.Probe.read(mix),
            excerpt_codec_loss(workspace, target, loudness.Probe.read(mix, loudness.codec_indices)),
        )
    return loudness.loudness_gain(mix, rate, audio.loudness_lufs, fresh_ceiling(audio), measured=known.lufs,
                                  probe=known.probe, codec_loss_lu=known.codec_loss_lu)  # fmt: skip


def _pass_named(progress: Progress, number: int) -> Progress:
    """`progress` with the encode step named after its pass ("encode, pass 2"), so a second encode shows as a bar
    of its own rather than the first one jumping back to nothing."""

    def report(step: str, done: int, total: int) -> None:
        progress(f"{step}, pass {number}" if step == "encode" else step, done, total)

    return report


# What the finished MP3 must measure, or the build fails: the loudness within this of the show's target (Apple's
# and the AES's streaming tolerance), the true peak at most the show's limit.
LOUDNESS_TOLERANCE_LU = 1.0
TRUE_PEAK_TOLERANCE_DB = 0.01  # rounding


def check_measured(measured: loudness.Loudness, audio: Audio, mp3: Path, frames: int) -> None:
    """The build's own gate before an episode is written: the MP3 (not yet tagged) is `frames` whole MP3 frames
    and nothing else (a clean decode from start to end), at the show's loudness and within its true-peak limit.
    A BriefingError saying which when it is not."""
    try:
        found = count_frames(mp3)
    except FrameError as error:
        raise BriefingError(f"the encoded episode does not decode cleanly ({error}); it was not written") from None
    if found != frames:
        raise BriefingError(f"the encoded episode has {found} MP3 frames, not {frames}; it was not written")
    missed = measured.integrated_lufs - audio.loudness_lufs
    if abs(missed) > LOUDNESS_TOLERANCE_LU:
        raise BriefingError(
            f"the encoded episode measures {measured.integrated_lufs:.1f} LUFS, {abs(missed):.1f} LU off the show's "
            f"{audio.loudness_lufs:g} LUFS after {MAX_ENCODE_ATTEMPTS} tries; it was not written (is it mostly "
            "music or silence?)"
        )
    if measured.true_peak_dbtp > audio.true_peak_dbtp + TRUE_PEAK_TOLERANCE_DB:
        raise BriefingError(
            f"the encoded episode peaks at {measured.true_peak_dbtp:.2f} dBTP, over the show's limit of "
            f"{audio.true_peak_dbtp:g} dBTP after {MAX_ENCODE_ATTEMPTS} tries; it was not written"
        )


def encode_verified(
    mix: Signal | np.ndarray, cuts: Sequence[int], workspace: Workspace, target: Path, progress: Progress,
    previous: tuple[float, float] | None = None, *, known: MixMeasurement | None = None,
) -> Mastered:  # fmt: skip
    """Loudness-normalise, limit and encode the mix into `target` segment by segment, then measure the MP3 itself.

    The mix is read a block at a time: for a fresh gain, to measure it (unless it is `known` already); then to
    encode the segments the cache does not hold (found by what they are made from, without reading them).
    `previous` is the (gain, ceiling) the episode was last built with: kept while the result stays within
    KEPT_LEVEL_TOLERANCE_LU of the show's loudness, so the segments an edit left alone are not encoded again. If
    encoding pushed the true peak over the show's limit, the ceiling goes lower and it is encoded again.
    """
    mix = as_signal(mix)
    audio = workspace.settings.audio
    rate = audio.sample_rate
    cache = SegmentCache.of(workspace)
    cuts = segments.silent_cuts(mix, cuts)
    progress("encode", 0, len(cuts) + 1)
    if previous is None:
        ceiling, gain = fresh_ceiling(audio), fresh_gain(mix, workspace, target, known)
    else:
        gain, ceiling = previous
    encoded = reused = 0
    # The encoders need the cores: BLAS helper threads (which spin while they wait) would take them.
    with threadpool_limits(limits=1, user_api="blas"):
        for attempt in range(MAX_ENCODE_ATTEMPTS):
            mastering = segments.Mastering(gain, ceiling, rate, audio.bitrate)
            named = progress if attempt == 0 else _pass_named(progress, attempt + 1)
            result = segments.encode_segments(mix, cuts, mastering, cache, progress=named)
            encoded, reused = encoded + result.encoded, reused + result.reused
            result.write(target)
            measured = measure_mp3(target, rate)
            overshoot = measured.true_peak_dbtp - audio.true_peak_dbtp
            missed = audio.loudness_lufs - measured.integrated_lufs
            if overshoot > 0:
                ceiling -= overshoot + 0.2
            elif previous is not None and abs(missed) > KEPT_LEVEL_TOLERANCE_LU:
                previous, ceiling, gain = None, fresh_ceiling(audio), fresh_gain(mix, workspace, target)
            elif abs(missed) > KEPT_LEVEL_TOLERANCE_LU and measured.integrated_lufs > loudness.SILENCE_LUFS:
                gain += missed  # the gain search missed (its sample of the episode misled it): go by the MP3
            else:
                break
    return Mastered(measured, gain, ceiling, encoded, reused, cache.repaired)
