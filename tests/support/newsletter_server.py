"""A newsletter platform on 127.0.0.1 for the fetch tests: feeds served with ETag and Last-Modified (answering 304 to a
matching conditional request), redirects, and the faults a fetch must survive (a redirect to file:, a redirect loop,
an endless body, a body dripped byte by byte)."""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Platform:
    """What the server serves, changed by the test as it goes."""

    feeds: dict[str, bytes] = field(default_factory=dict)  # path → body
    content_types: dict[str, str] = field(default_factory=dict)
    modified: dict[str, float] = field(default_factory=dict)  # path → time of the last change
    requests: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (path, If-None-Match, ...)
    answers: list[int] = field(default_factory=list)
    base: str = ""

    def publish(self, path: str, body: bytes, content_type: str = "application/rss+xml; charset=utf-8") -> None:
        self.feeds[path] = body
        self.content_types[path] = content_type
        self.modified[path] = time.time()

    def url(self, path: str) -> str:
        return self.base + path


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def _handler(platform: Platform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            path = self.path
            platform.requests.append((path, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")))
            if path.startswith("/moved/"):
                return self._redirect(path.removeprefix("/moved"))
            if path == "/to-file":
                return self._redirect("file:///etc/passwd")
            if path.startswith("/loop/"):
                return self._redirect(f"/loop/{int(path.rsplit('/', 1)[1]) + 1}")
            if path == "/endless":
                return self._endless()
            if path == "/drip":
                return self._drip()
            if path not in platform.feeds:
                return self._send(404, b"not found", "text/plain")
            body = platform.feeds[path]
            etag = etag_of(body)
            modified = email.utils.formatdate(platform.modified[path], usegmt=True)
            if self.headers.get("If-None-Match") == etag or (
                self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") == modified
            ):
                return self._send(304, b"", None, {"ETag": etag, "Last-Modified": modified})
            self._send(200, body, platform.content_types[path], {"ETag": etag, "Last-Modified": modified})

        def _redirect(self, location: str) -> None:
            self._send(302, b"", None, {"Location": location})

        def _endless(self) -> None:
            platform.answers.append(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            chunk = b"<!-- " + b"x" * 65_000 + b" -->\n"
            try:
                for _ in range(1000):  # 65 MB, far past any limit
                    self.wfile.write(chunk)
            except OSError:
                pass

        def _drip(self) -> None:
            platform.answers.append(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            try:
                for byte in b'<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title>' * 100:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass

        def _send(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str] | None = None):
            platform.answers.append(status)
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler


@contextmanager
def running_platform() -> Iterator[Platform]:
    platform = Platform()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(platform))
    server.daemon_threads = True
    platform.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        server.shutdown()
        server.server_close()
