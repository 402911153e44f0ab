"""Online neural speech: Microsoft Edge's read-aloud voices through the edge-tts package, with bounded concurrency,
a deadline per utterance and retries.

edge-tts (7.3) speaks the service's WebSocket protocol; this module adds what it leaves to its caller: it never
retries a refused handshake or a dropped stream, its receive timeout does not bound a stream that stalls after the
handshake, and a stream cut short returns the audio received so far without an error.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

import aiohttp
import edge_tts
import edge_tts.communicate
import edge_tts.constants
import edge_tts.voices
from edge_tts.exceptions import EdgeTTSException, NoAudioReceived, SkewAdjustmentError, WebSocketError

from briefing.errors import BriefingError
from briefing.models import Clip
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
    AttemptError,
    decode_mp3,
    describe_failures,
    retry_after_value,
    wait_before_retry,
)

# The service sends MP3 at 24 kHz mono, 48 kbit/s ("audio-24khz-48kbitrate-mono-mp3").
EDGE_SAMPLE_RATE = 24000
PROBE_TEXT = "네"
# The Korean voices the Edge endpoint serves (Azure's other ko-KR voices are not offered there).
VOICES = {
    "ko-KR-SunHiNeural": "female, bright and clear",
    "ko-KR-InJoonNeural": "male, calm",
    "ko-KR-HyunsuMultilingualNeural": "male, multilingual: says Latin-script words in their own language",
}
WS_PATH = "/consumer/speech/synthesize/readaloud/edge/v1"
MICROSOFT_HOST = "speech.platform.bing.com"
DEFAULT_WSS_URL = edge_tts.constants.WSS_URL
DEFAULT_VOICE_LIST = edge_tts.constants.VOICE_LIST


def endpoint_urls(endpoint: str) -> tuple[str, str]:
    """(WebSocket URL, voice-list URL) for an `edge_endpoint` setting: "ws://127.0.0.1:8765", "wss://host/prefix",
    or a full ".../edge/v1" URL.

    edge-tts appends "&ConnectionId=…&Sec-MS-GEC=…" to the WebSocket URL, so it must already carry the query the
    service expects (its TrustedClientToken).
    """
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise BriefingError(f"edge_endpoint must be a ws:// or wss:// URL, not '{endpoint}'")
    token = edge_tts.constants.TRUSTED_CLIENT_TOKEN
    path = parts.path.rstrip("/")
    ws_path = path if path.endswith("/edge/v1") else path + WS_PATH
    ws = urllib.parse.urlunsplit((parts.scheme, parts.netloc, ws_path, f"TrustedClientToken={token}", ""))
    http_scheme = "https" if parts.scheme == "wss" else "http"
    voices_path = ws_path.removesuffix("/edge/v1") + "/voices/list"
    voices = urllib.parse.urlunsplit((http_scheme, parts.netloc, voices_path, f"trustedclienttoken={token}", ""))
    return ws, voices


def point_edge_tts_at(endpoint: str | None) -> None:
    """Make every later edge-tts call in this process use `endpoint` (None: Microsoft's service).

    The one place briefing reaches into edge-tts. It has no URL parameter, and its `proxy=`/`connector=` cannot reach
    a plain ws:// server (the URL stays wss://speech.platform.bing.com and TLS is checked), so the two module
    attributes it reads at call time are reassigned — in `edge_tts.communicate` and `edge_tts.voices`, which took
    their own copies of the constants at import. Called before every synthesis and probe (None restores Microsoft's),
    so one engine's endpoint never leaks into another's work.
    """
    ws, voices = endpoint_urls(endpoint) if endpoint else (DEFAULT_WSS_URL, DEFAULT_VOICE_LIST)
    setattr(edge_tts.communicate, "WSS_URL", ws)  # noqa: B010 — names edge-tts imported, not ones it exports
    setattr(edge_tts.voices, "VOICE_LIST", voices)  # noqa: B010


class TurnCutShort(EdgeTTSException):
    """The socket closed after some audio but before turn.end: the clip is truncated (edge-tts itself stays silent)."""


async def speak(text: str, voice: str, *, rate: str, pitch: str, timeout: float) -> bytes:
    """One utterance → the service's MP3 bytes. Raises edge-tts or aiohttp errors, or TurnCutShort.

    `timeout` only sets edge-tts's own connect and read timeouts (whole seconds); the caller bounds the whole call.
    """
    seconds = max(1, math.ceil(timeout))
    communicate = edge_tts.Communicate(
        text, voice, rate=rate, pitch=pitch, connect_timeout=seconds, receive_timeout=seconds
    )
    audio = bytearray()
    async for chunk in communicate.stream():
        if chunk["type"] == "audio":
            audio += chunk["data"]
    # edge-tts adds a turn's audio bytes to this counter only when the turn's end arrives; a socket that closes early
    # ends its loop without an error, so a difference means the clip is cut short.
    if communicate.state["cumulative_audio_bytes"] != len(audio):
        raise TurnCutShort(f"the stream ended after {len(audio)} bytes, before the end of the audio")
    return bytes(audio)


def attempt_error(error: BaseException, timeout: float) -> AttemptError:
    """What one failed call means: rate limits, server errors, dropped or cut streams, silence and stalls are worth
    another try; a refusal or a protocol the client does not understand is not."""
    if isinstance(error, aiohttp.WSServerHandshakeError):
        retry_after = retry_after_value(error.headers.get("Retry-After") if error.headers else None)
        if error.status == 429 or error.status >= 500:
            return AttemptError(f"HTTP {error.status}", transient=True, retry_after=retry_after)
        if error.status == 403:  # edge-tts has already corrected its clock once and tried again
            return AttemptError("HTTP 403 (the service refused edge-tts's token; upgrading edge-tts may help)",
                                transient=False)  # fmt: skip
        return AttemptError(f"HTTP {error.status}", transient=False)
    if isinstance(error, NoAudioReceived):
        return AttemptError("no audio received", transient=True)
    if isinstance(error, TurnCutShort):
        return AttemptError("a stream cut short", transient=True)
    if isinstance(error, aiohttp.ClientConnectorError):
        return AttemptError("could not connect", transient=True)
    if isinstance(error, (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, ConnectionError, WebSocketError)):
        return AttemptError("a dropped connection", transient=True)
    if isinstance(error, TimeoutError):  # our deadline, or aiohttp's (ServerTimeoutError is one too)
        return AttemptError(f"no answer within {timeout:g} s", transient=True)
    if isinstance(error, SkewAdjustmentError):
        return AttemptError("HTTP 403 without a date to correct the clock by", transient=False)
    if isinstance(error, EdgeTTSException):  # UnexpectedResponse, UnknownResponse: not the protocol we speak
        return AttemptError(f"an answer edge-tts does not understand ({error})", transient=False)
    raise error


def _run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run the engine's async work from the synchronous build (its callbacks run on this thread)."""
    return asyncio.run(coroutine)


class EdgeEngine(Engine):
    """Microsoft Edge's neural voices: natural, several voices, online."""

    name = "edge"
    sample_rate = EDGE_SAMPLE_RATE
    default_voices = ("ko-KR-SunHiNeural", "ko-KR-InJoonNeural", "ko-KR-HyunsuMultilingualNeural")
    online = True

    def __init__(
        self,
        *,
        voice: str = "ko-KR-SunHiNeural",
        rate: str = "+0%",
        pitch: str = "+0Hz",
        endpoint: str | None = None,
        concurrency: int = 4,
        timeout: float = 10.0,
        retries: int = 4,
        backoff: float = 0.5,
        seed: int | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        if voice not in VOICES:
            raise UnknownVoice(self.name, voice, list(VOICES))
        try:
            edge_tts.Communicate("네", voice, rate=rate, pitch=pitch)  # checks rate and pitch before any connection
        except ValueError as error:
            raise BriefingError(f"edge: {error} (write rate like +10% and pitch like -5Hz)") from None
        if endpoint:
            endpoint_urls(endpoint)
        self.voice = voice
        self.rate = rate
        self.pitch = pitch
        self.endpoint = endpoint
        self.concurrency = concurrency
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._rng = random.Random(seed)
        self._sleep = sleep

    @property
    def host(self) -> str:
        return self.endpoint or MICROSOFT_HOST

    def identity(self) -> dict[str, Any]:
        # The endpoint is left out on purpose: a mirror serves the same voice, so its clips are interchangeable.
        return {
            "engine": self.name,
            "voice": self.voice,
            "rate": self.rate,
            "pitch": self.pitch,
            "library": edge_tts.__version__,
            "sample_rate": self.sample_rate,
        }

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(name, description) for name, description in VOICES.items()]

    def availability(self, timeout: float = PROBE_TIMEOUT) -> Availability:
        """Whether the service speaks a one-word probe within `timeout` seconds (one try, no retry)."""
        started = time.perf_counter()

        async def probe() -> bytes:
            point_edge_tts_at(self.endpoint)
            async with asyncio.timeout(timeout):
                return await speak(PROBE_TEXT, self.voice, rate=self.rate, pitch=self.pitch, timeout=timeout)

        try:
            _run(probe())
        except Exception as error:  # noqa: BLE001 — every failure is a reason not to use the engine
            try:
                reason = attempt_error(error, timeout).reason
            except Exception:  # noqa: BLE001
                reason = f"{type(error).__name__}: {error}"
            return Availability(False, f"{reason} ({self.host})")
        return Availability(True, f"answered in {time.perf_counter() - started:.1f} s ({self.host})")

    async def _attempt(self, text: str, gate: asyncio.Semaphore) -> Clip:
        async with gate:  # held while talking to the service, not while waiting to retry
            try:
                async with asyncio.timeout(self.timeout):  # edge-tts's own timeouts do not bound a stalled stream
                    mp3 = await speak(text, self.voice, rate=self.rate, pitch=self.pitch, timeout=self.timeout)
            except Exception as error:  # noqa: BLE001 — sorted into retry or not; anything unforeseen is re-raised
                raise attempt_error(error, self.timeout) from None
        samples = await asyncio.to_thread(decode_mp3, mp3, self.sample_rate)  # ffmpeg, off the event loop
        return clip_from_pcm16(samples, self.sample_rate)

    async def _synthesize_or_fail(self, index: int, text: str, gate: asyncio.Semaphore) -> tuple[int, Clip | str]:
        """(index, the clip) after retrying what is worth retrying with backoff, or (index, the last reason)."""
        for attempt in range(self.retries + 1):
            try:
                return index, await self._attempt(text, gate)
            except AttemptError as failure:
                if not failure.transient or attempt == self.retries:
                    return index, failure.reason
                await self._sleep(wait_before_retry(attempt, failure, self.backoff, self._rng))
        raise AssertionError("unreachable")

    async def _all(self, texts: Sequence[str], on_done: OnDone | None) -> list[Clip | None]:
        point_edge_tts_at(self.endpoint)
        gate = asyncio.Semaphore(self.concurrency)
        clips: list[Clip | None] = [None] * len(texts)
        failed: dict[str, str] = {}
        tasks = [
            asyncio.ensure_future(self._synthesize_or_fail(index, text, gate))
            for index, text in enumerate(texts)
            if not nothing_to_say(text)
        ]
        try:
            for finished in asyncio.as_completed(tasks):
                index, outcome = await finished
                if isinstance(outcome, str):
                    failed[texts[index]] = outcome
                    continue
                clips[index] = outcome
                if on_done is not None:
                    on_done(index, outcome)
        finally:
            # On Ctrl-C (or a failing callback) the streams still open are closed, not waited for.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if failed:
            raise BriefingError(describe_failures("Edge", failed, len(texts), self.host, self.retries))
        return clips

    def synthesize(self, text: str) -> Clip:
        return self.synthesize_many([text])[0]

    def synthesize_many(self, texts: Sequence[str], on_done: OnDone | None = None) -> list[Clip]:
        """All texts, at most `concurrency` streams at once; every text is tried before failures are reported."""
        clips = _run(self._all(texts, on_done))
        return [clip if clip is not None else self.silence() for clip in clips]
