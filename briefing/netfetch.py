"""HTTP(S) requests with a deadline for the whole exchange and a cap on the answer's size.

A socket timeout bounds each read, not the read of an answer: a server that sends a byte a second, or headers
without end, is never "timed out" by one. Here a timer shuts the connection's sockets down when the deadline
passes, whatever the exchange is doing then (connecting, sending, waiting for headers, reading the body), so a
request ends within its deadline with one clear reason. Name resolution is the system's and not covered.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from briefing import __version__

USER_AGENT = f"briefing/{__version__}"
CHUNK = 1 << 16


class FetchError(Exception):
    """No complete answer: why, in a few words ("timed out after 3 s without a complete answer")."""

    def __init__(self, reason: str, *, timed_out: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer, whatever its status."""

    url: str
    status: int
    reason: str
    headers: Message = field(repr=False)
    body: bytes = field(repr=False)

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type()


class Cutoff:
    """Shuts down every socket handed to it once `seconds` have passed (from a timer thread)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Cutoff:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shut(sock)
            else:
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def timed_out(self) -> FetchError:
        return FetchError(f"timed out after {self.seconds:g} s without a complete answer", timed_out=True)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: a blocked read in another thread returns at once.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _WatchedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, cutoff: Cutoff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cutoff = cutoff

    def connect(self) -> None:
        super().connect()
        self._cutoff.watch(self.sock)


class _WatchedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, cutoff: Cutoff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cutoff = cutoff

    def connect(self) -> None:
        super().connect()
        self._cutoff.watch(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, cutoff: Cutoff) -> None:
        super().__init__()
        self._cutoff = cutoff

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection(_WatchedHTTPConnection, self._cutoff), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, cutoff: Cutoff) -> None:
        self._tls = ssl.create_default_context()  # certificates verified, as urllib does by default
        super().__init__(context=self._tls)
        self._cutoff = cutoff

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection(_WatchedHTTPSConnection, self._cutoff), req, context=self._tls)


def _connection(
    watched: Callable[..., http.client.HTTPConnection], cutoff: Cutoff
) -> Callable[..., http.client.HTTPConnection]:
    """What urllib calls to make a connection: one of the watched classes, handed the exchange's cutoff."""

    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        return watched(host, cutoff=cutoff, **kwargs)

    return make


def _opener(cutoff: Cutoff, *, follow: bool = True, proxies: bool = True) -> urllib.request.OpenerDirector:
    """urllib's opener for http(s) only, every connection watched: with the environment's proxies (unless not
    `proxies`) and following redirects (unless not `follow`: a redirect is then an answer like any other)."""
    opener = urllib.request.OpenerDirector()
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler(None if proxies else {}),
        urllib.request.UnknownHandler(),  # a redirect to file:, ftp: or data: is refused
        _HTTPHandler(cutoff),
        _HTTPSHandler(cutoff),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ]
    if follow:
        handlers.append(urllib.request.HTTPRedirectHandler())
    for handler in handlers:
        opener.add_handler(handler)
    return opener


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):g} MB"


def _read_body(response: Any, limit: int) -> bytes:
    """The whole body, at most `limit` bytes; a FetchError when the connection ends before the body does."""
    parts, size = [], 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FetchError(f"an answer over {_megabytes(limit)}")
        parts.append(chunk)
    expected = response.headers.get("Content-Length", "")
    if expected.isdigit() and size < int(expected):
        raise FetchError(f"the connection closed after {size} of {int(expected)} bytes")
    return b"".join(parts)


def fetch(
    url: str,
    *,
    timeout: float,
    limit: int,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    method: str | None = None,
    follow: bool = True,
    proxies: bool = True,
) -> Answer:
    """Request `url` (GET, or POST with `data`) and read the whole answer within `timeout` seconds; any status is an
    Answer. Raises FetchError when no complete answer came: the deadline passed, the connection failed or closed
    early, or the answer is over `limit` bytes. `follow`: follow redirects; `proxies`: use the environment's."""
    request = urllib.request.Request(url, data=data, headers={"User-Agent": USER_AGENT, **(headers or {})})
    if method:
        request.method = method
    with Cutoff(timeout) as cutoff:
        opener = _opener(cutoff, follow=follow, proxies=proxies)
        try:
            try:
                # The sockets' own timeout is a backstop only (e.g. a proxy's tunnel): the cutoff ends the exchange.
                response = opener.open(request, timeout=timeout + 1)
            except urllib.error.HTTPError as error:  # 4xx/5xx: still an answer, with a body to read
                response = error
            with response:
                body = _read_body(response, limit)
                if cutoff.expired:  # the cutoff's shutdown reads as the end of a body without a declared length
                    raise cutoff.timed_out()
                status = response.status if hasattr(response, "status") else response.code
                return Answer(response.url, status, response.reason or "", response.headers, body)
        except FetchError:
            if cutoff.expired:
                raise cutoff.timed_out() from None
            raise
        except (OSError, http.client.HTTPException, ValueError) as error:
            if (
                cutoff.expired
                or isinstance(error, TimeoutError)
                or isinstance(getattr(error, "reason", None), TimeoutError)
            ):
                raise cutoff.timed_out() from None
            raise FetchError(_transport_reason(error)) from None


def _transport_reason(error: BaseException) -> str:
    """A few words for what went wrong on the way: "could not connect (Connection refused)"."""
    if isinstance(error, urllib.error.URLError) and not isinstance(error.reason, str):
        error = error.reason
    if isinstance(error, ConnectionRefusedError | socket.gaierror):
        return f"could not connect ({error.strerror or error})"
    if isinstance(error, http.client.IncompleteRead):
        return f"the connection closed after {len(error.partial)} bytes"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without an answer"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def fetch_all(urls: Iterable[str], *, timeout: float, limit: int, workers: int = 16) -> dict[str, Answer | FetchError]:
    """GET every URL at once (at most `workers` at a time) under one deadline of `timeout` seconds for them all; a
    URL not fetched by then gets the deadline's FetchError."""
    wanted = list(dict.fromkeys(urls))
    results: dict[str, Answer | FetchError] = {}
    if not wanted:
        return results
    ends = time.monotonic() + timeout

    def one(url: str) -> Answer | FetchError:
        left = ends - time.monotonic()
        if left <= 0:
            return FetchError(f"timed out after {timeout:g} s without a complete answer", timed_out=True)
        try:
            return fetch(url, timeout=left, limit=limit)
        except FetchError as error:
            if error.timed_out:  # one deadline for all: say the whole budget, not what was left of it
                return FetchError(f"timed out after {timeout:g} s without a complete answer", timed_out=True)
            return error

    with concurrent.futures.ThreadPoolExecutor(
        max_workers=min(workers, len(wanted)), thread_name_prefix="fetch"
    ) as pool:
        for url, result in zip(wanted, pool.map(one, wanted), strict=True):
            results[url] = result
    return results
