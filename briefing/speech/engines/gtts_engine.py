"""Online speech: Google Translate's Korean voice through the gTTS library, with bounded concurrency and retries.

gTTS prepares the requests (its text splitting and RPC packing); each is sent with a deadline for the whole answer
(`briefing.netfetch`: a server that drips or stalls is cut off in time), and the audio is found in the answer as
gTTS finds it. The MP3 Google returns is decoded with pydub (over ffmpeg). A configurable endpoint (a mirror, a
proxy, or the local test server) replaces `https://translate.google.<tld>`.
"""

from __future__ import annotations

import base64
import binascii
import random
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

import gtts
import requests  # gTTS prepares its requests as requests' PreparedRequest; they are sent with briefing.netfetch

from briefing.errors import BriefingError
from briefing.models import Clip
from briefing.netfetch import Answer, FetchError, fetch
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
MAX_ANSWER_BYTES = 8 << 20  # one utterance's answer is tens of kilobytes
# How gTTS finds the audio in Google's answer: the line naming its RPC, the base64 string in it.
_RPC_ID = gtts.gTTS.GOOGLE_TTS_RPC
_AUDIO_IN_RPC = re.compile(_RPC_ID + r'","\[\\"(.*)\\"]')
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


def audio_in_answer(answer: Answer) -> bytes:
    """The MP3 bytes in Google's batchexecute answer, found as gTTS finds them (the RPC's line, a base64 string);
    raises `AttemptError` naming what came instead."""
    if answer.status != 200:
        reason = f"HTTP {answer.status} {answer.reason}".rstrip()
        transient = answer.status == 429 or answer.status >= 500
        raise AttemptError(
            reason, transient=transient, retry_after=retry_after_value(answer.headers.get("Retry-After"))
        )
    text = answer.body.decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if _RPC_ID in line]
    if not lines:
        kind = "an HTML page" if answer.content_type == "text/html" or "<html" in text[:512].lower() else "an answer"
        raise AttemptError(f"{kind} without audio ({answer.content_type}, {len(answer.body)} bytes)", transient=True)
    found = _AUDIO_IN_RPC.search(lines[0])
    if not found:
        raise AttemptError("an answer without audio (Google's reply named no audio)", transient=True)
    try:
        return base64.b64decode(found.group(1).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise AttemptError("an undecodable answer (its audio is not base64)", transient=True) from None


def fetch_mp3(text: str, *, lang: str, tld: str, endpoint: str | None, timeout: float) -> bytes:
    """The MP3 bytes Google speaks `text` with (one attempt): gTTS prepares the requests, each is sent and read whole
    within `timeout` seconds; raises `AttemptError`."""
    tts = _EndpointGTTS(text, endpoint=endpoint, lang=lang, tld=tld, lang_check=False, timeout=timeout)
    audio = []
    for request in tts._prepare_requests():
        body = request.body.encode("ascii") if isinstance(request.body, str) else request.body
        try:
            answer = fetch(
                str(request.url), timeout=timeout, limit=MAX_ANSWER_BYTES, data=body, headers=request.headers
            )
        except FetchError as error:
            raise AttemptError(error.reason, transient=True) from None
        audio.append(audio_in_answer(answer))
    return b"".join(audio)


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
            reason = f"no answer within {timeout:g} s" if failure.reason.startswith("timed out") else failure.reason
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
