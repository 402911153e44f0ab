"""What the online engines (gTTS, Edge) share: one failed attempt and whether to retry it, backoff with jitter, MP3
decoding, and the one sentence that names the utterances that still failed."""

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


def decode_mp3(data: bytes, sample_rate: int) -> np.ndarray:
    """Mono int16 samples of an MP3 at `sample_rate`; raises `AttemptError` when there is no audio in it."""
    if not data:
        raise AttemptError("an answer with empty audio", transient=True)
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
