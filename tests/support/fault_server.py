"""A local HTTP server on 127.0.0.1 that misbehaves on purpose, one way per path: it drips, stalls, truncates and
lies. Written on raw sockets so that every byte and every pause is the test's choice.

    /drip       headers, then a body of one byte every `drip_interval` seconds, for ever
    /drip-open  the same with no Content-Length: the body ends where the connection does
    /drip-head  the status line, then header lines without end, a byte at a time
    /stall      reads the request and never answers
    /stall-body headers and half the body, then silence
    /truncate   promises more body than it sends, then closes
    /endless    a 200 that streams bytes as fast as it can, without end
    /html       a 200 HTML page where something else was asked for
    /ok/<name>  `server.files[name]` (200), or 404

`server.mode = "drip"` (any of the names above) makes every path behave that way, e.g. gTTS's batchexecute path.
`server.delegate` may answer any path instead: a function (path, body) → bytes of a whole HTTP answer, or None to
fall through. `server.in_flight_max` is the most requests it was answering at once.
"""

from __future__ import annotations

import contextlib
import socketserver
import threading
from collections.abc import Callable, Iterator


def http_answer(status: str, body: bytes, content_type: str = "text/plain", length: int | None = None) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class FaultServer:
    """The running server: its base URL, what it serves, and what it was asked."""

    def __init__(self) -> None:
        self.url = ""
        self.files: dict[str, bytes] = {}
        self.drip_interval = 0.2
        self.delegate: Callable[[str, bytes], bytes | None] | None = None
        self.mode: str | None = None
        self.requests: list[str] = []
        self.in_flight = 0
        self.in_flight_max = 0
        self.stop = threading.Event()
        self._lock = threading.Lock()

    def begin(self, path: str) -> None:
        with self._lock:
            self.requests.append(path)
            self.in_flight += 1
            self.in_flight_max = max(self.in_flight_max, self.in_flight)

    def end(self) -> None:
        with self._lock:
            self.in_flight -= 1


def _read_request(rfile) -> tuple[str, bytes]:
    request_line = rfile.readline(65537).decode("latin-1")
    length = 0
    while True:
        line = rfile.readline(65537)
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = rfile.read(length) if length else b""
    parts = request_line.split()
    return (parts[1] if len(parts) > 1 else "/"), body


def _handler_for(state: FaultServer) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            try:
                path, body = _read_request(self.rfile)
            except (OSError, ValueError):
                return
            state.begin(path)
            try:
                with contextlib.suppress(OSError):
                    self.answer(f"/{state.mode}" if state.mode else path, body)
            finally:
                state.end()

        def send(self, data: bytes) -> None:
            self.wfile.write(data)
            self.wfile.flush()

        def drip(self, data: bytes) -> None:
            for byte in data:
                if state.stop.wait(state.drip_interval):
                    return
                self.send(bytes([byte]))

        def answer(self, path: str, body: bytes) -> None:
            if state.delegate is not None and (whole := state.delegate(path, body)) is not None:
                self.send(whole)
            elif path.startswith("/drip-head"):
                self.drip(b"HTTP/1.1 200 OK\r\n")
                while not state.stop.is_set():  # each read brings a byte; the headers never end
                    self.drip(b"X-Drip: 1\r\n")
            elif path.startswith("/drip-open"):
                self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n")
                while not state.stop.wait(state.drip_interval):
                    self.send(b"x")
            elif path.startswith("/drip"):
                self.send(http_answer("200 OK", b"", length=1_000_000))
                while not state.stop.wait(state.drip_interval):
                    self.send(b"x")
            elif path.startswith("/stall-body"):
                self.send(http_answer("200 OK", b"y" * 500, length=1000))
                state.stop.wait(60)
            elif path.startswith("/stall"):
                state.stop.wait(60)
            elif path.startswith("/truncate"):
                self.send(http_answer("200 OK", b"z" * 500, length=1000))
            elif path.startswith("/endless"):
                self.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n")
                chunk = b"e" * 65536
                while not state.stop.is_set():
                    self.send(chunk)
            elif path.startswith("/html"):
                self.send(http_answer("200 OK", b"<!doctype html><title>Sorry</title><p>Try later.", "text/html"))
            elif path.startswith("/ok/") and path[4:] in state.files:
                self.send(http_answer("200 OK", state.files[path[4:]], "application/octet-stream"))
            else:
                self.send(http_answer("404 Not Found", b"not here"))

    return Handler


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


@contextlib.contextmanager
def running_fault_server() -> Iterator[FaultServer]:
    state = FaultServer()
    server = _Server(("127.0.0.1", 0), _handler_for(state))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="fault-server", daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        state.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
