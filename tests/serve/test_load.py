"""`briefing serve` under load and hostile requests, in-process over loopback: hundreds of idle connections cost no
thread, every request is answered by a bounded pool, idle clients are let go, and a malformed request gets a 4xx
answer (the server never drops a connection with a traceback)."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from briefing.serve import make_server

IDLE, BUSY = 300, 200
# The pool's workers, its dispatcher and the accept loop, with room to spare; a thread per connection is 300 or more.
MAX_SERVER_THREADS = 24
INDEX = b"<!doctype html><title>t</title>"


@contextlib.contextmanager
def running(site: Path, *, idle_timeout: float = 15.0) -> Iterator[int]:
    server = make_server(site, "127.0.0.1", 0, idle_timeout=idle_timeout)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="test-serve-loop", daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    (folder / "index.html").write_bytes(INDEX)
    (folder / "episode.mp3").write_bytes(bytes(range(256)) * 400)
    return folder


def raw_exchange(port: int, request: bytes, *, read_timeout: float = 10.0) -> bytes:
    """Send `request` as it is and read until the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        with contextlib.suppress(TimeoutError):
            while chunk := sock.recv(65536):
                received += chunk
        return received


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1."), answer[:80]
    return int(answer.split(b" ", 2)[1])


def get(port: int, target: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def test_idle_connections_hold_no_thread_and_every_busy_request_is_answered(site):
    threads_before = threading.active_count()
    with running(site) as port:
        idle = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(IDLE)]
        try:
            with ThreadPoolExecutor(max_workers=50) as clients:
                results = list(clients.map(lambda n: get(port, "/episode.mp3" if n % 2 else "/"), range(BUSY)))
            server_threads = threading.active_count() - threads_before  # the clients' threads have ended
            # An idle client still gets its answer after all that.
            idle[0].sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert status_of(idle[0].recv(65536)) == 200
        finally:
            for sock in idle:
                sock.close()
    assert [status for status, _size in results] == [200] * BUSY
    assert {size for _status, size in results} == {(site / "episode.mp3").stat().st_size, len(INDEX)}
    assert server_threads <= MAX_SERVER_THREADS


def test_an_idle_connection_is_closed_after_the_idle_timeout(site):
    with running(site, idle_timeout=0.5) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            assert sock.recv(1) == b""  # closed by the server, not by our 20 s timeout
        # A connection that asked for something is answered and then let go the same way.
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            assert status_of(received) == 200


LONG_NAME = "a" * 300


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (f"GET /{LONG_NAME} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), 404),  # a path segment over 255 characters
        (f"GET /{LONG_NAME}/{LONG_NAME}.mp3 HTTP/1.1\r\nHost: x\r\n\r\n".encode(), 404),
        (b"GET /episode.mp3 HTTP/1.1\r\nHost: x\r\nRange: bytes=" + b"9" * 5000 + b"-\r\n\r\n", 416),
        (b"GET /episode.mp3 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-" + b"9" * 5000 + b"\r\n\r\n", 206),
        (b"GET /episode.mp3 HTTP/1.1\r\nHost: x\r\nRange: bytes=-" + b"9" * 5000 + b"\r\n\r\n", 206),
        (b"GET / HTTP/1.1\r\nHost: x\r\nIf-Range: " + b"x" * 60000 + b"\r\n\r\n", 200),
        (b"GET /" + b"%" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET / HTTP/9.9\r\n\r\n", 505),
        (b"BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        (b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n", 403),
        (b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 403),
        (b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 200 + b"\r\n", 431),
    ],
    ids=lambda value: value.decode("latin-1")[:40] if isinstance(value, bytes) else str(value),
)
def test_malformed_requests_are_answered_with_a_status(site, request_bytes, status):
    with running(site) as port:
        assert status_of(raw_exchange(port, request_bytes)) == status
        # ... and the server goes on serving.
        assert get(port, "/")[0] == 200
