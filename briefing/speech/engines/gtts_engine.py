"""Online speech: Google Translate's Korean voice through the gTTS library, with bounded concurrency and retries.

The MP3 Google returns is decoded with pydub (over ffmpeg). A configurable endpoint (a mirror, a proxy, or the local
test server) replaces `https://translate.google.<tld>`; everything else is gTTS's own request and response code.
"""

from __future__ import annotations

import binascii
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

import gtts
import requests

from briefing.errors import BriefingError
from briefing.models import Clip
from briefing.speech.clipcheck import clip_problem
from briefing.speech.engines.base import (
    PROBE_TIMEOUT,
    Availability,
    Engine,
    OnDone,
    UnknownVoice,
    VoiceInfo,
    clip_from_pcm16,
    nothing_to_say,
)
from briefing.speech.engines.online import (
    MAX_BACKOFF,
    AttemptError,
    backoff_delay,
    decode_mp3,
    describe_failures,
    retry_after_value,
    wait_before_retry,
)

BATCHEXECUTE_PATH = "_/TranslateWebserverUi/data/batchexecute"
# Google's voices are 24 kHz mono; decoding straight to that rate keeps the clip exactly as served.
GTTS_SAMPLE_RATE = 24000
PROBE_TEXT = "네"
# gTTS speaks a language, not a person: Korean has one voice whatever the tld.
VOICES = {"ko": "Google Translate's Korean voice (one voice: it cannot tell two presenters apart)"}

__all__ = ["GTTS_SAMPLE_RATE", "MAX_BACKOFF", "PROBE_TEXT", "GttsEngine", "backoff_delay", "decode_mp3"]


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


def _failure_from_gtts_error(error: gtts.gTTSError) -> AttemptError:
    response = error.rsp
    if response is None:  # no HTTP answer: gTTS raised while handling the requests exception
        cause = error.__context__
        if isinstance(cause, requests.Timeout):
            return AttemptError("timed out", transient=True)
        return AttemptError("could not connect", transient=True)
    status = response.status_code
    if status == 200:
        return AttemptError("a response without audio", transient=True)
    reason = f"HTTP {status} {response.reason or ''}".rstrip()
    return AttemptError(
        reason,
        transient=status == 429 or status >= 500,
        retry_after=retry_after_value(response.headers.get("Retry-After")),
    )


def fetch_mp3(text: str, *, lang: str, tld: str, endpoint: str | None, timeout: float) -> bytes:
    """The MP3 bytes gTTS receives for `text` (one attempt); raises `AttemptError`."""
    tts = _EndpointGTTS(text, endpoint=endpoint, lang=lang, tld=tld, lang_check=False, timeout=timeout)
    try:
        return b"".join(tts.stream())
    except gtts.gTTSError as error:
        raise _failure_from_gtts_error(error) from None
    except requests.Timeout:
        raise AttemptError("timed out", transient=True) from None
    except requests.RequestException:  # e.g. the connection dropped mid-body
        raise AttemptError("an interrupted response", transient=True) from None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise AttemptError("an undecodable response", transient=True) from None


class GttsEngine(Engine):
    """Google Translate's voice: natural, but online, rate-limited, and one voice only."""

    name = "gtts"
    sample_rate = GTTS_SAMPLE_RATE
    default_voices = ("ko",)
    online = True

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
        if voice not in VOICES:
            raise UnknownVoice(self.name, voice, list(VOICES))
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

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(name, description) for name, description in VOICES.items()]

    def availability(self, timeout: float = PROBE_TIMEOUT) -> Availability:
        """Whether Google (or the endpoint) speaks a one-word probe within `timeout` seconds (one try, no retry)."""
        started = time.perf_counter()
        try:
            mp3 = fetch_mp3(PROBE_TEXT, lang=self.voice, tld=self.tld, endpoint=self.endpoint, timeout=timeout)
        except AttemptError as failure:
            reason = f"no answer within {timeout:g} s" if failure.reason == "timed out" else failure.reason
            return Availability(False, f"{reason} ({self.host})")
        if not mp3:
            return Availability(False, f"an answer without audio ({self.host})")
        return Availability(True, f"answered in {time.perf_counter() - started:.1f} s ({self.host})")

    def usable(self, timeout: float = PROBE_TIMEOUT) -> bool:
        return self.availability(timeout).usable

    def _attempt(self, text: str) -> Clip:
        mp3 = fetch_mp3(text, lang=self.voice, tld=self.tld, endpoint=self.endpoint, timeout=self.timeout)
        clip = clip_from_pcm16(decode_mp3(mp3, self.sample_rate), self.sample_rate)
        if problem := clip_problem(text, clip):  # e.g. a whole MP3 of a third of the sentence: asked for again
            raise AttemptError(f"implausible audio: {problem}", transient=True)
        return clip

    def _synthesize_or_fail(self, text: str) -> Clip:
        """A clip, after retrying transient failures with backoff; raises the last `AttemptError`."""
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(text)
            except AttemptError as failure:
                if not failure.transient or attempt == self.retries:
                    raise
                self._sleep(wait_before_retry(attempt, failure, self.backoff, self._rng))
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
                except AttemptError as failure:
                    failed[texts[index]] = failure.reason
                    continue
                if on_done is not None:  # called here, on the caller's thread, so callbacks need no locking
                    on_done(index, clip)
        finally:
            # On Ctrl-C (or a failing callback) drop the requests not yet started instead of waiting for them all.
            pool.shutdown(wait=True, cancel_futures=True)
        if failed:
            raise BriefingError(describe_failures("gTTS", failed, len(texts), self.host, self.retries))
        return [clip if clip is not None else self.silence() for clip in clips]
