"""A stand-in for Google Translate's TTS endpoint on 127.0.0.1, speaking the batchexecute protocol gTTS uses.

It serves real MP3 bytes (a tone whose length grows with the text, encoded once per text with ffmpeg) and fails on
demand: `server.respond = lambda text, seen: ...` returns one of the BEHAVIOURS for each request, where `seen` is how
many requests for that text came before. `conftest.py` makes a running one the `fake_google` fixture.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import subprocess
import threading
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from briefing.ffmpeg import ffmpeg_exe

BATCHEXECUTE = "/_/TranslateWebserverUi/data/batchexecute"
RPC_ID = "jQ1olc"
BEHAVIOURS = (
    "ok",  # 200 with the audio, as Google answers
    "429",  # rate limited
    "429-wait",  # rate limited, with Retry-After: 2
    "500",  # server error
    "503",  # unavailable
    "403",  # forbidden: not worth retrying
    "hang",  # no answer until the client gives up
    "truncated",  # the body is cut off in the middle of the audio's base64
    "garbage",  # 200 with an HTML page instead of the RPC answer
    "noise",  # the RPC answer, but its "audio" is not an MP3
    "dropped",  # headers promise more body than is sent, then the connection closes
    "short",  # a well-formed answer whose MP3 is cut to its first 30 % (mid-frame)
    "short-whole",  # a well-formed answer with a whole MP3 of 30 % of the length the text needs
    "silent",  # a well-formed answer with a whole MP3 of the right length, all silence
)


@functools.cache
def tone_mp3(seconds: float, frequency: int = 440) -> bytes:
    """A real MP3 (mono, 24 kHz, like Google's) of a sine tone."""
    command = [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=24000:duration={seconds}",
        "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1",
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, check=True).stdout


@functools.cache
def silence_mp3(seconds: float) -> bytes:
    """A real MP3 (mono, 24 kHz) of digital silence."""
    command = [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", f"anullsrc=channel_layout=mono:sample_rate=24000:duration={seconds}",
        "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1",
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, check=True).stdout


def seconds_for(text: str) -> float:
    """How long the served audio for `text` lasts: lets tests tell clips apart by length."""
    return round(0.3 + 0.05 * len(text), 2)


def rpc_body(audio: bytes) -> bytes:
    """A batchexecute answer carrying `audio`, shaped like Google's (XSSI guard, length-prefixed JSON chunks)."""
    payload = json.dumps([base64.b64encode(audio).decode("ascii")])
    first = json.dumps([["wrb.fr", RPC_ID, payload, None, None, None, "generic"], ["di", 57]], separators=(",", ":"))
    last = json.dumps([["e", 4, None, None, len(first)]], separators=(",", ":"))
    return f")]}}'\n\n{len(first)}\n{first}\n{len(last)}\n{last}\n".encode("ascii")


def spoken_text(form_body: bytes) -> str:
    """The text gTTS asked for, from its `f.req=` form body."""
    rpc = json.loads(urllib.parse.parse_qs(form_body.decode("ascii"))["f.req"][0])
    rpc_id, parameters = rpc[0][0][0], rpc[0][0][1]
    if rpc_id != RPC_ID:
        raise ValueError(f"unexpected RPC {rpc_id}")
    return json.loads(parameters)[0]


class FakeGoogle:
    """The server's state: what it was asked, how many requests were in flight at most, and what it does next."""

    def __init__(self) -> None:
        self.respond: Callable[[str, int], str] = lambda text, seen: "ok"
        self.hold = 0.0  # seconds each answer waits before it is sent (to overlap concurrent requests)
        self.requests: list[str] = []
        self.behaviours: list[str] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.release = threading.Event()  # set at shutdown so that hanging handlers end
        self.url = ""

    def begin(self, text: str) -> str:
        with self._lock:
            behaviour = self.respond(text, self._seen[text])
            self._seen[text] += 1
            self.requests.append(text)
            self.behaviours.append(behaviour)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        return behaviour

    def end(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def count(self, text: str) -> int:
        return self.requests.count(text)


def _handler_for(state: FakeGoogle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: bytes, content_type: str, length: int | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path != BATCHEXECUTE:
                self._send(404, b"not found", "text/plain")
                return
            try:
                text = spoken_text(body)
            except (KeyError, IndexError, ValueError):
                self._send(400, b"bad request", "text/plain")
                return
            behaviour = state.begin(text)
            try:
                self._answer(behaviour, text)
            finally:
                state.end()

        def _answer(self, behaviour: str, text: str) -> None:
            rpc = "application/json; charset=utf-8"
            if state.hold:
                state.release.wait(state.hold)
            if behaviour == "ok":
                self._send(200, rpc_body(tone_mp3(seconds_for(text))), rpc)
            elif behaviour in {"429", "500", "503", "403"}:
                self._send(int(behaviour), b"<html>error</html>", "text/html")
            elif behaviour == "429-wait":
                self.send_response(429)
                self.send_header("Retry-After", "2")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif behaviour == "hang":
                state.release.wait(30)
                self.close_connection = True
            elif behaviour == "truncated":
                body = rpc_body(tone_mp3(seconds_for(text)))
                self._send(200, body[: len(body) // 2], rpc)
            elif behaviour == "garbage":
                self._send(200, b"<!doctype html><html><body>Sorry...</body></html>", "text/html")
            elif behaviour == "noise":
                self._send(200, rpc_body(bytes(range(256)) * 8), rpc)
            elif behaviour == "short":
                audio = tone_mp3(seconds_for(text))
                self._send(200, rpc_body(audio[: len(audio) * 3 // 10]), rpc)
            elif behaviour == "short-whole":
                self._send(200, rpc_body(tone_mp3(round(seconds_for(text) * 0.3, 2))), rpc)
            elif behaviour == "silent":
                self._send(200, rpc_body(silence_mp3(seconds_for(text))), rpc)
            elif behaviour == "dropped":
                body = rpc_body(tone_mp3(seconds_for(text)))
                self._send(200, body[:100], rpc, length=len(body))
                self.close_connection = True
            else:
                raise ValueError(f"unknown behaviour {behaviour!r}")

    return Handler


@contextlib.contextmanager
def running_fake_google() -> Iterator[FakeGoogle]:
    """A fake Google serving on an ephemeral loopback port until the block ends; `.url` is its endpoint."""
    state = FakeGoogle()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="fake-google", daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
