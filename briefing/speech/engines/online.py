"""What the online engines (gTTS, Edge) share: one failed attempt and whether to retry it, backoff with jitter, MP3
decoding (an answer cut short is a failed attempt), and the one sentence that names the utterances that still
failed."""

from __future__ import annotations

import io
import random
import warnings

import numpy as np

with warnings.catch_warnings():  # pydub warns at import when ffmpeg is not on PATH; we hand it ours below
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError

from briefing.ffmpeg import ffmpeg_exe

MAX_BACKOFF = 30.0


class AttemptError(Exception):
    """One failed attempt: why, and whether trying again may help."""

    def __init__(self, reason: str, *, transient: bool, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after  # seconds the server asked us to wait (Retry-After), if it said


def retry_after_value(value: str | None) -> float | None:
    """The delay a Retry-After header asks for, when given in seconds (the form Google and Microsoft use)."""
    value = (value or "").strip()
    return float(value) if value.isdigit() else None


# MPEG audio Layer III frames: bitrates (kb/s) by version, sample rates by version, samples' bytes per kb/s and Hz.
_LAYER3_BITRATES = {
    "1": (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    "2": (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # MPEG-1, 2, 2.5


def _layer3_frame_length(header: int) -> int | None:
    """The length in bytes of the Layer III frame `header` starts, or None when it is not one."""
    version, layer = (header >> 19) & 3, (header >> 17) & 3
    bitrate_index, rate_index = (header >> 12) & 15, (header >> 10) & 3
    if header >> 21 != 0x7FF or version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate = _LAYER3_BITRATES["1" if version == 3 else "2"][bitrate_index]
    per_kbps = 144_000 if version == 3 else 72_000
    return per_kbps * bitrate // _RATES[version][rate_index] + ((header >> 9) & 1)


def mp3_cut_short(data: bytes) -> bool:
    """Whether an MP3 answer stops inside its last frame (or after its tag): a decoder would play what is
    there without a word, so it is checked frame by frame (after any ID3v2 tag; what follows the last frame, such
    as an ID3v1 tag, is left alone)."""
    position = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        size = sum((byte & 0x7F) << (21 - 7 * index) for index, byte in enumerate(data[6:10]))  # syncsafe
        position = 10 + size + (10 if data[5] & 0x10 else 0)
    frames = 0
    while position + 4 <= len(data):
        length = _layer3_frame_length(int.from_bytes(data[position : position + 4], "big"))
        if length is None:
            break
        if position + length > len(data):
            return True
        frames += 1
        position += length
    if frames == 0:
        return position > 0  # a tag and no whole frame after it (an answer with no MPEG data is not audio at all)
    trailing = data[position:]
    return len(trailing) < 4 and trailing[:1] == b"\xff"


def decode_mp3(data: bytes, sample_rate: int) -> np.ndarray:
    """Mono int16 samples of an MP3 at `sample_rate`; raises `AttemptError` when there is no audio in it, or it is
    cut short."""
    if not data:
        raise AttemptError("an answer with empty audio", transient=True)
    if mp3_cut_short(data):
        raise AttemptError("audio cut short", transient=True)
    AudioSegment.converter = ffmpeg_exe()
    try:
        # Naming the codec spares pydub a probe with ffprobe, which the pip-installed ffmpeg lacks.
        segment = AudioSegment.from_file(io.BytesIO(data), format="mp3", codec="mp3")
    except (CouldntDecodeError, IndexError, ValueError):
        raise AttemptError("undecodable audio", transient=True) from None
    segment = segment.set_sample_width(2).set_channels(1)
    if segment.frame_rate != sample_rate:
        segment = segment.set_frame_rate(sample_rate)
    samples = np.frombuffer(segment.raw_data, dtype="<i2")
    if samples.size == 0:
        raise AttemptError("undecodable audio", transient=True)
    return samples


def backoff_delay(attempt: int, base: float, rng: random.Random, cap: float = MAX_BACKOFF) -> float:
    """Seconds to wait before retry number `attempt` (0-based): exponential, with jitter so that
    concurrent workers do not retry in lockstep (half fixed, half random)."""
    ceiling = min(cap, base * 2**attempt)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def wait_before_retry(attempt: int, failure: AttemptError, base: float, rng: random.Random) -> float:
    """The wait before the next attempt: the backoff, or longer when the server asked for it (never over the cap)."""
    return min(MAX_BACKOFF, max(backoff_delay(attempt, base, rng), failure.retry_after or 0.0))


def _quote(text: str, limit: int = 40) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def describe_failures(engine: str, failed: dict[str, str], total: int, host: str, retries: int) -> str:
    """One sentence naming the utterances that failed (text → last reason)."""
    reasons = sorted(set(failed.values()))
    shown = [_quote(text) for text in list(failed)[:8]]
    more = f" and {len(failed) - len(shown)} more" if len(failed) > len(shown) else ""
    return (
        f"{engine} ({host}) failed on {len(failed)} of {total} utterances after {retries} retries "
        f"({', '.join(reasons)}): {', '.join(shown)}{more}; "
        f"the others are cached, so running again retries only these"
    )
