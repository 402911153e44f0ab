"""Online speech: Google Translate's Korean voice through the gTTS library, with bounded concurrency and retries.

The MP3 Google returns is decoded with pydub (over ffmpeg). A configurable endpoint (a mirror, a proxy, or the local
test server) replaces `https://translate.google.<tld>`; everything else is gTTS's own request and response code.
"""

from __future__ import annotations

import binascii
import io
import random
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

import gtts
import numpy as np
import requests

with warnings.catch_warnings():  # pydub warns at import when ffmpeg is not on PATH; we hand it ours below
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError

from briefing.errors import BriefingError
from briefing.ffmpeg import ffmpeg_exe
from briefing.models import Clip
from briefing.speech.clipcheck import clip_problem
from briefing.speech.engines.base import Engine, OnDone, clip_from_pcm16, nothing_to_say

BATCHEXECUTE_PATH = "_/TranslateWebserverUi/data/batchexecute"
# Google's voices are 24 kHz mono; decoding straight to that rate keeps the clip exactly as served.
GTTS_SAMPLE_RATE = 24000
PROBE_TIMEOUT = 1.5
PROBE_TEXT = "네"
MAX_BACKOFF = 30.0


class _EndpointGTTS(gtts.gTTS):
    """gTTS posting to `endpoint` (scheme://host[:port]) instead of translate.google.<tld> when one is given."""

    def __init__(self, text: str, *, endpoint: str | None, **kwargs: Any):
        super().__init__(text, **kwargs)
        self._endpoint = endpoint

    def _prepare_requests(self) -> list[requests.PreparedRequest]:
        prepared = super()._prepare_requests()
        if self._endpoint:
            url = batchexecute_url(self._endpoint)
            for request in prepared:
                request.prepare_url(url, None)
        return prepared


def batchexecute_url(endpoint: str) -> str:
    return endpoint.rstrip("/") + "/" + BATCHEXECUTE_PATH


class _AttemptError(Exception):
    """One failed attempt: why, and whether trying again may help."""

    def __init__(self, reason: str, *, transient: bool, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after  # seconds the server asked us to wait (Retry-After), if it said


def _failure_from_gtts_error(error: gtts.gTTSError) -> _AttemptError:
    response = error.rsp
    if response is None:  # no HTTP answer: gTTS raised while handling the requests exception
        cause = error.__context__
        if isinstance(cause, requests.Timeout):
            return _AttemptError("timed out", transient=True)
        return _AttemptError("could not connect", transient=True)
    status = response.status_code
    if status == 200:
        return _AttemptError("a response without audio", transient=True)
    reason = f"HTTP {status} {response.reason or ''}".rstrip()
    return _AttemptError(reason, transient=status == 429 or status >= 500, retry_after=retry_after_seconds(response))


def retry_after_seconds(response: requests.Response) -> float | None:
    """The delay a 429 or 503 answer asks for, when given in seconds (the form Google uses)."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


def fetch_mp3(text: str, *, lang: str, tld: str, endpoint: str | None, timeout: float) -> bytes:
    """The MP3 bytes gTTS receives for `text` (one attempt); raises `_AttemptError`."""
    tts = _EndpointGTTS(text, endpoint=endpoint, lang=lang, tld=tld, lang_check=False, timeout=timeout)
    try:
        return b"".join(tts.stream())
    except gtts.gTTSError as error:
        raise _failure_from_gtts_error(error) from None
    except requests.Timeout:
        raise _AttemptError("timed out", transient=True) from None
    except requests.RequestException:  # e.g. the connection dropped mid-body
        raise _AttemptError("an interrupted response", transient=True) from None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _AttemptError("an undecodable response", transient=True) from None


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
    """Whether an MP3 answer stops inside its last frame (or has no frame at all): a decoder would play what is
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
    trailing = data[position:]
    return frames == 0 or (len(trailing) < 4 and trailing[:1] == b"\xff")


def decode_mp3(data: bytes, sample_rate: int = GTTS_SAMPLE_RATE) -> np.ndarray:
    """Mono int16 samples of an MP3 at `sample_rate`; raises `_AttemptError` when there is no audio in it, or it
    is cut short."""
    if not data:
        raise _AttemptError("an empty response", transient=True)
    if mp3_cut_short(data):
        raise _AttemptError("audio cut short", transient=True)
    AudioSegment.converter = ffmpeg_exe()
    try:
        # Naming the codec spares pydub a probe with ffprobe, which the pip-installed ffmpeg lacks.
        segment = AudioSegment.from_file(io.BytesIO(data), format="mp3", codec="mp3")
    except (CouldntDecodeError, IndexError, ValueError):
        raise _AttemptError("undecodable audio", transient=True) from None
    segment = segment.set_sample_width(2).set_channels(1)
    if segment.frame_rate != sample_rate:
        segment = segment.set_frame_rate(sample_rate)
    samples = np.frombuffer(segment.raw_data, dtype="<i2")
    if samples.size == 0:
        raise _AttemptError("undecodable audio", transient=True)
    return samples


def backoff_delay(attempt: int, base: float, rng: random.Random, cap: float = MAX_BACKOFF) -> float:
    """Seconds to wait before retry number `attempt` (0-based): exponential, with jitter so that
    concurrent workers do not retry in lockstep (half fixed, half random)."""
    ceiling = min(cap, base * 2**attempt)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def _quote(text: str, limit: int = 40) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def describe_failures(failed: dict[str, str], total: int, host: str, retries: int) -> str:
    """One sentence naming the utterances that failed (text → last reason)."""
    reasons = sorted(set(failed.values()))
    shown = [_quote(text) for text in list(failed)[:8]]
    more = f" and {len(failed) - len(shown)} more" if len(failed) > len(shown) else ""
    return (
        f"gTTS ({host}) failed on {len(failed)} of {total} utterances after {retries} retries "
        f"({', '.join(reasons)}): {', '.join(shown)}{more}; "
        f"the others are cached, so running again retries only these"
    )


class GttsEngine(Engine):
    """Google Translate's voice: natural, but online and rate-limited."""

    name = "gtts"
    sample_rate = GTTS_SAMPLE_RATE

    def __init__(
        self,
        *,
        voice: str = "ko",
        tld: str = "com",
        endpoint: str | None = None,
        concurrency: int = 4,
        timeout: float = 10.0,
        retries: int = 4,
        backoff: float = 0.5,
        seed: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.voice = voice
        self.tld = tld
        self.endpoint = endpoint
        self.concurrency = concurrency
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._rng = random.Random(seed)
        self._sleep = sleep

    @property
    def host(self) -> str:
        return self.endpoint or f"translate.google.{self.tld}"

    def identity(self) -> dict[str, Any]:
        # The endpoint is left out on purpose: a mirror serves the same voice, so its clips are interchangeable.
        return {
            "engine": self.name,
            "voice": self.voice,
            "tld": self.tld,
            "library": gtts.__version__,
            "sample_rate": self.sample_rate,
        }

    def usable(self, timeout: float = PROBE_TIMEOUT) -> bool:
        """Whether Google (or the endpoint) speaks a one-word probe within `timeout` seconds (one try, no retry)."""
        try:
            mp3 = fetch_mp3(PROBE_TEXT, lang=self.voice, tld=self.tld, endpoint=self.endpoint, timeout=timeout)
        except _AttemptError:
            return False
        return len(mp3) > 0

    def _attempt(self, text: str) -> Clip:
        mp3 = fetch_mp3(text, lang=self.voice, tld=self.tld, endpoint=self.endpoint, timeout=self.timeout)
        clip = clip_from_pcm16(decode_mp3(mp3, self.sample_rate), self.sample_rate)
        if problem := clip_problem(text, clip):  # e.g. a whole MP3 of a third of the sentence: asked for again
            raise _AttemptError(f"implausible audio: {problem}", transient=True)
        return clip

    def _synthesize_or_fail(self, text: str) -> Clip:
        """A clip, after retrying transient failures with backoff; raises the last `_AttemptError`."""
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(text)
            except _AttemptError as failure:
                if not failure.transient or attempt == self.retries:
                    raise
                delay = backoff_delay(attempt, self.backoff, self._rng)
                self._sleep(min(MAX_BACKOFF, max(delay, failure.retry_after or 0.0)))
        raise AssertionError("unreachable")

    def synthesize(self, text: str) -> Clip:
        return self.synthesize_many([text])[0]

    def synthesize_many(self, texts: Sequence[str], on_done: OnDone | None = None) -> list[Clip]:
        """All texts, at most `concurrency` requests at once; every text is tried before failures are reported."""
        clips: list[Clip | None] = [None] * len(texts)
        failed: dict[str, str] = {}
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="gtts")
        try:
            futures = {
                pool.submit(self._synthesize_or_fail, text): index
                for index, text in enumerate(texts)
                if not nothing_to_say(text)
            }
            for future in as_completed(futures):
                index = futures[future]
                try:
                    clip = clips[index] = future.result()
                except _AttemptError as failure:
                    failed[texts[index]] = failure.reason
                    continue
                if on_done is not None:  # called here, on the caller's thread, so callbacks need no locking
                    on_done(index, clip)
        finally:
            # On Ctrl-C (or a failing callback) drop the requests not yet started instead of waiting for them all.
            pool.shutdown(wait=True, cancel_futures=True)
        if failed:
            raise BriefingError(describe_failures(failed, len(texts), self.host, self.retries))
        return [clip if clip is not None else self.silence() for clip in clips]
