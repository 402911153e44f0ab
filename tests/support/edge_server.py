"""A stand-in for Microsoft Edge's read-aloud speech service on 127.0.0.1, speaking the WebSocket protocol edge-tts 7
uses: speech.config and SSML in; turn.start, response, audio.metadata, binary audio frames (2-byte header length,
`Path:audio` headers, MP3 bytes), the empty end-of-audio frame and turn.end out.

It serves real MP3 audio (a tone whose length grows with the text and whose pitch depends on the voice), checks what
the client sends, and fails on demand: `server.handshake = lambda n: ...` for the n-th connection before any text,
`server.respond = lambda text, seen: ...` once the SSML is in (`seen`: requests for that text before).
`conftest.py` makes a running one the `fake_edge` fixture. aiohttp serves it: edge-tts already depends on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
import subprocess
import threading
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from briefing.ffmpeg import ffmpeg_exe

WS_PATH = "/consumer/speech/synthesize/readaloud/edge/v1"
VOICES_PATH = "/consumer/speech/synthesize/readaloud/voices/list"
TRUSTED_CLIENT_TOKEN = "6A5AA1D4EAFF4E9FB37E23D68491D6F4"
OUTPUT_FORMAT = "audio-24khz-48kbitrate-mono-mp3"
SEC_MS_GEC = re.compile(
    r"^(?:[0-9A-F]{16}-)?[0-9A-F]{64}$"
)  # 7.3.x: "CS64-SHA256" (version "2-…"); 7.2.x: SHA256 ("1-…")
SSML_NS = "{http://www.w3.org/2001/10/synthesis}"

HANDSHAKES = (  # what `server.handshake(n)` returns for the n-th connection (1-based), before any text is known
    "ok",  # upgrade to WebSocket
    "429",  # refused: 429 with Retry-After: 2
    "500",  # refused: server error
    "503",  # refused: unavailable
    "403",  # refused with 403 (+ Date): edge-tts corrects its clock skew and retries once by itself
)
BEHAVIOURS = (  # what `server.respond(text, seen)` returns once the SSML has arrived
    "ok",  # turn.start, response, audio frames + metadata, the empty end-of-audio frame, turn.end
    "no-audio",  # turn.start then turn.end, no audio: edge-tts raises NoAudioReceived
    "dropped",  # half of the audio, then the TCP connection is cut (no close frame, no turn.end)
    "closed",  # half of the audio, then a clean close frame and no turn.end: edge-tts raises nothing (!)
    "drip",  # the audio in 1 KiB frames, `drip_pause` seconds apart (slow, but completes)
    "hang",  # handshake accepted, then silence until the client gives up (its receive_timeout)
    "bad-frame",  # a binary frame whose Path is not audio: edge-tts raises UnexpectedResponse
    "unknown-path",  # a text frame with an unknown Path: edge-tts raises UnknownResponse
)

VOICES = [  # shaped like the service's voices/list answer; the three ko-KR voices the Edge endpoint serves
    {
        "Name": "Microsoft Server Speech Text to Speech Voice (ko-KR, SunHiNeural)",
        "ShortName": "ko-KR-SunHiNeural",
        "Gender": "Female",
        "Locale": "ko-KR",
        "SuggestedCodec": OUTPUT_FORMAT,
        "FriendlyName": "Microsoft SunHi Online (Natural) - Korean (Korea)",
        "Status": "GA",
        "VoiceTag": {"ContentCategories": ["General"], "VoicePersonalities": ["Friendly", "Positive"]},
    },
    {
        "Name": "Microsoft Server Speech Text to Speech Voice (ko-KR, InJoonNeural)",
        "ShortName": "ko-KR-InJoonNeural",
        "Gender": "Male",
        "Locale": "ko-KR",
        "SuggestedCodec": OUTPUT_FORMAT,
        "FriendlyName": "Microsoft InJoon Online (Natural) - Korean (Korea)",
        "Status": "GA",
        "VoiceTag": {"ContentCategories": ["General"], "VoicePersonalities": ["Friendly", "Positive"]},
    },
    {
        "Name": "Microsoft Server Speech Text to Speech Voice (ko-KR, HyunsuMultilingualNeural)",
        "ShortName": "ko-KR-HyunsuMultilingualNeural",
        "Gender": "Male",
        "Locale": "ko-KR",
        "SuggestedCodec": OUTPUT_FORMAT,
        "FriendlyName": "Microsoft Hyunsu Online (Natural) - Korean (Korea)",
        "Status": "GA",
        "VoiceTag": {"ContentCategories": ["General"], "VoicePersonalities": ["Friendly", "Positive"]},
    },
]
TONE_FOR_VOICE = {"SunHiNeural": 440, "InJoonNeural": 220, "HyunsuMultilingualNeural": 330}


@functools.cache
def tone_mp3(seconds: float, frequency: int) -> bytes:
    """Raw MP3 frames like the service's: 24 kHz mono 48 kbit/s CBR, no ID3 tag, no Xing header (chunks concatenate)."""
    command = [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=24000:duration={seconds}",
        "-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "48k",
        "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "pipe:1",
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, check=True).stdout


def seconds_for(text: str) -> float:
    """How long the served audio for `text` lasts: lets tests tell clips apart by length."""
    return round(0.3 + 0.05 * len(text), 2)


# --- what the client sends -------------------------------------------------------------------------------------------


def split_text_message(message: str) -> tuple[dict[str, str], str]:
    """A text frame is `Header:value\\r\\n…\\r\\n\\r\\nbody`; returns (headers, body)."""
    head, _, body = message.partition("\r\n\r\n")
    headers = dict(line.split(":", 1) for line in head.split("\r\n") if line)
    return headers, body


@dataclass
class SpeechRequest:
    """One synthesis request as the server understood it."""

    text: str
    voice: str  # the long form edge-tts sends: "Microsoft Server Speech Text to Speech Voice (ko-KR, SunHiNeural)"
    rate: str
    pitch: str
    volume: str
    request_id: str
    word_boundary: bool
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def short_voice(self) -> str:
        """ "ko-KR-SunHiNeural" from the long form."""
        match = re.fullmatch(r"Microsoft Server Speech Text to Speech Voice \(([^,]+), (.+)\)", self.voice)
        return f"{match.group(1)}-{match.group(2)}" if match else self.voice


def parse_speech_config(message: str) -> bool:
    """Checks the speech.config frame; returns whether word (rather than sentence) boundaries were asked for."""
    headers, body = split_text_message(message)
    if headers.get("Path") != "speech.config" or "X-Timestamp" not in headers:
        raise ValueError(f"expected speech.config, got {headers}")
    audio = json.loads(body)["context"]["synthesis"]["audio"]
    if audio["outputFormat"] != OUTPUT_FORMAT:
        raise ValueError(f"unexpected output format {audio['outputFormat']}")
    return audio["metadataoptions"]["wordBoundaryEnabled"] == "true"


def parse_ssml(message: str) -> tuple[str, str, str, str, str, str]:
    """Checks the SSML frame; returns (request id, voice, rate, pitch, volume, text)."""
    headers, body = split_text_message(message)
    if headers.get("Path") != "ssml" or headers.get("Content-Type") != "application/ssml+xml":
        raise ValueError(f"expected ssml, got {headers}")
    if not re.fullmatch(r"[0-9a-f]{32}", headers.get("X-RequestId", "")) or not headers.get("X-Timestamp"):
        raise ValueError(f"bad ssml headers {headers}")
    speak = ET.fromstring(body)
    voice = speak.find(f"{SSML_NS}voice")
    prosody = voice.find(f"{SSML_NS}prosody")
    text = "".join(prosody.itertext())  # ElementTree already un-escaped &amp; &lt; …
    return (headers["X-RequestId"], voice.get("name"), prosody.get("rate"), prosody.get("pitch"),
            prosody.get("volume"), text)  # fmt: skip


# --- what the server sends -------------------------------------------------------------------------------------------


def text_frame(request_id: str, path: str, body: dict) -> str:
    return (
        f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\nPath:{path}\r\n\r\n"
        + json.dumps(body, ensure_ascii=False)
    )


def audio_frame(request_id: str, mp3: bytes, *, path: str = "audio", content_type: str | None = "audio/mpeg") -> bytes:
    """Binary frame: 2-byte big-endian header length, the headers (each ending CRLF), then the MP3 bytes."""
    lines = [f"X-RequestId:{request_id}"]
    if content_type:
        lines.append(f"Content-Type:{content_type}")
    lines += ["X-StreamId:" + uuid.uuid4().hex.upper(), f"Path:{path}"]
    head = "".join(line + "\r\n" for line in lines).encode("ascii")
    return len(head).to_bytes(2, "big") + head + mp3


def boundary_frame(request_id: str, kind: str, offset_ticks: int, duration_ticks: int, text: str) -> str:
    """audio.metadata: offsets and durations in 100-ns ticks, as the service reports them."""
    item = {
        "Type": kind,
        "Data": {
            "Offset": offset_ticks,
            "Duration": duration_ticks,
            "text": {"Text": text, "Length": len(text), "BoundaryType": kind},
        },
    }
    return text_frame(request_id, "audio.metadata", {"Metadata": [item]})


# --- the server ------------------------------------------------------------------------------------------------------


class FakeEdge:
    """The server's state: what it was asked, how many connections were in flight at most, and what it does next."""

    def __init__(self) -> None:
        self.respond: Callable[[str, int], str] = lambda text, seen: "ok"
        self.handshake: Callable[[int], str] = lambda n: "ok"  # behaviour for the n-th connection, before any text
        self.drip_pause = 0.05
        self.hold = 0.0  # seconds each answer waits after the SSML (to overlap concurrent requests, or as latency)
        self.chunk_size = 4096
        self.requests: list[SpeechRequest] = []
        self.behaviours: list[str] = []
        self.connections = 0
        self.max_in_flight = 0
        self._in_flight = 0
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.release = asyncio.Event()  # set at shutdown so that hanging handlers end
        self.base = ""  # ws://127.0.0.1:PORT
        self.url = ""  # what to give edge-tts as its WSS_URL (base + path + ?TrustedClientToken=…)
        self.voices_url = ""  # what to give edge-tts as its VOICE_LIST

    def decide(self, request: SpeechRequest) -> str:
        with self._lock:
            behaviour = self.respond(request.text, self._seen[request.text])
            self._seen[request.text] += 1
            self.requests.append(request)
            self.behaviours.append(behaviour)
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}")
        return behaviour

    def count(self, text: str) -> int:
        return sum(1 for r in self.requests if r.text == text)


def check_query(query: dict[str, str]) -> str | None:
    """What is wrong with the handshake's query string, if anything (the real service answers such with 403)."""
    if query.get("TrustedClientToken") != TRUSTED_CLIENT_TOKEN:
        return "TrustedClientToken"
    if not re.fullmatch(r"[0-9a-f]{32}", query.get("ConnectionId", "")):
        return "ConnectionId"
    if not SEC_MS_GEC.match(query.get("Sec-MS-GEC", "")):
        return "Sec-MS-GEC"
    if not re.fullmatch(r"\d+-[\d.]+", query.get("Sec-MS-GEC-Version", "")):
        return "Sec-MS-GEC-Version"
    return None


def make_app(state: FakeEdge) -> web.Application:
    async def speak(request: web.Request) -> web.StreamResponse:
        query = dict(request.query)
        with state._lock:
            state.connections += 1
            n = state.connections
        problem = check_query(query)
        if problem:
            return web.Response(status=400, text=f"bad {problem}")
        refused = state.handshake(n)
        if refused not in HANDSHAKES:
            raise ValueError(f"unknown handshake {refused!r}")
        if refused != "ok":
            headers = {"Retry-After": "2"} if refused == "429" else {}
            return web.Response(status=int(refused), text="refused", headers=headers)  # aiohttp adds Date

        ws = web.WebSocketResponse(compress=True)  # the client offers permessage-deflate (compress=15)
        await ws.prepare(request)
        with state._lock:
            state._in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state._in_flight)
        try:
            await converse(ws, request, query)
        finally:
            with state._lock:
                state._in_flight -= 1
        return ws

    async def converse(ws: web.WebSocketResponse, request: web.Request, query: dict[str, str]) -> None:
        first = await ws.receive_str()
        word_boundary = parse_speech_config(first)
        request_id, voice, rate, pitch, volume, text = parse_ssml(await ws.receive_str())
        speech = SpeechRequest(text, voice, rate, pitch, volume, request_id, word_boundary, query,
                               dict(request.headers))  # fmt: skip
        behaviour = state.decide(speech)
        if state.hold:
            await asyncio.sleep(state.hold)
        if behaviour == "hang":
            await state.release.wait()
            return
        rid = request_id
        await ws.send_str(text_frame(rid, "turn.start", {"context": {"serviceTag": uuid.uuid4().hex}}))
        await ws.send_str(
            text_frame(
                rid,
                "response",
                {"context": {"serviceTag": "x"}, "audio": {"type": "inline", "streamId": uuid.uuid4().hex}},
            )
        )
        if behaviour == "unknown-path":
            await ws.send_str(text_frame(rid, "surprise", {}))
        if behaviour == "bad-frame":
            await ws.send_bytes(audio_frame(rid, b"\xff\xf3", path="video"))
        if behaviour in {"bad-frame", "unknown-path"}:
            await drain(ws)  # the client gives up and closes; answer its close frame as the service would
            return
        if behaviour != "no-audio":
            await send_audio(ws, rid, speech, behaviour)
            if behaviour == "dropped":
                request.transport.abort()  # TCP reset: no close frame
                return
            if behaviour == "closed":
                await ws.close()  # a clean close frame, but no turn.end
                return
            await ws.send_bytes(audio_frame(rid, b"", content_type=None))  # the service's empty end-of-audio frame
        await ws.send_str(text_frame(rid, "turn.end", {}))
        await drain(ws)  # the client closes after turn.end

    async def drain(ws: web.WebSocketResponse) -> None:
        async for message in ws:  # aiohttp answers the close frame when the iteration sees it
            if message.type == WSMsgType.CLOSE:
                break

    async def send_audio(ws: web.WebSocketResponse, rid: str, speech: SpeechRequest, behaviour: str) -> None:
        seconds = seconds_for(speech.text)
        voice_name = speech.short_voice.split("-", 2)[-1]
        mp3 = tone_mp3(seconds, TONE_FOR_VOICE.get(voice_name, 550))
        kind = "WordBoundary" if speech.word_boundary else "SentenceBoundary"
        await ws.send_str(boundary_frame(rid, kind, 1_000_000, int((seconds - 0.1) * 10_000_000), speech.text))
        size = 1024 if behaviour == "drip" else state.chunk_size
        chunks = [mp3[i : i + size] for i in range(0, len(mp3), size)]
        if behaviour in {"dropped", "closed"}:
            chunks = chunks[: max(1, len(chunks) // 2)]
        for chunk in chunks:
            await ws.send_bytes(audio_frame(rid, chunk))
            if behaviour == "drip":
                await asyncio.sleep(state.drip_pause)

    async def voices(request: web.Request) -> web.Response:
        if request.query.get("trustedclienttoken") != TRUSTED_CLIENT_TOKEN:
            return web.Response(status=403)
        return web.json_response(VOICES)

    app = web.Application()
    app.router.add_get(WS_PATH, speak)
    app.router.add_get(VOICES_PATH, voices)
    return app


@contextlib.contextmanager
def running_fake_edge() -> Iterator[FakeEdge]:
    """A fake Edge speech service on an ephemeral loopback port (own thread and event loop) until the block ends."""
    state = FakeEdge()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, object] = {}

    async def start() -> None:
        state.release = asyncio.Event()
        runner = web.AppRunner(make_app(state), handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        holder["runner"] = runner
        holder["port"] = runner.addresses[0][1]

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, name="fake-edge", daemon=True)
    thread.start()
    ready.wait(10)
    port = holder["port"]
    state.base = f"ws://127.0.0.1:{port}"
    state.url = f"{state.base}{WS_PATH}?TrustedClientToken={TRUSTED_CLIENT_TOKEN}"
    state.voices_url = f"http://127.0.0.1:{port}{VOICES_PATH}?trustedclienttoken={TRUSTED_CLIENT_TOKEN}"
    try:
        yield state
    finally:

        async def stop() -> None:
            state.release.set()
            await holder["runner"].cleanup()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
