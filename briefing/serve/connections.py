"""The server's connections: a fixed pool of worker threads answers requests, while keep-alive connections that are
waiting for their next request cost no thread (they wait in one selector) and are closed once idle too long.

A thread per connection (the standard library's ThreadingHTTPServer) lets a few hundred idle sockets hold a few
hundred threads; here 300 idle connections hold none, and a burst of requests waits its turn for a worker.
"""

from __future__ import annotations

import contextlib
import queue
import selectors
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

WORKERS = 16
IDLE_TIMEOUT = 15.0  # seconds a keep-alive connection may wait for its next request
MAX_CONNECTIONS = 1000  # open at once; a connection beyond it is closed at once


@dataclass(eq=False)
class Connection:
    """One client's socket and what serves its requests: `serve_one()` answers one request and says whether to keep
    the connection open."""

    sock: socket.socket
    serve_one: Callable[[], bool]
    idle_since: float = field(default_factory=time.monotonic)


class Connections:
    """Accepted connections, from first request to close: waiting (in the selector) or being served (by a worker)."""

    def __init__(self, *, workers: int = WORKERS, idle_timeout: float = IDLE_TIMEOUT, limit: int = MAX_CONNECTIONS):
        self.idle_timeout = idle_timeout
        self.limit = limit
        self._workers = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="serve")
        self._selector = selectors.DefaultSelector()
        self._returned: queue.SimpleQueue[Connection] = queue.SimpleQueue()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)  # a full wake-up buffer already wakes the dispatcher
        self._selector.register(self._wake_read, selectors.EVENT_READ)
        self._open = 0
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._dispatcher = threading.Thread(target=self._dispatch, name="serve-dispatch", daemon=True)
        self._dispatcher.start()

    @property
    def open(self) -> int:
        return self._open

    def add(self, connection: Connection) -> None:
        """A newly accepted connection: it waits for its first request like any idle one."""
        with self._lock:
            if self._open >= self.limit or self._closing.is_set():
                _close(connection.sock)
                return
            self._open += 1
        self._wait_again(connection)

    def close(self) -> None:
        """Stop: close every connection, let running requests finish."""
        self._closing.set()
        self._wake()
        self._dispatcher.join(5)
        self._workers.shutdown(wait=True, cancel_futures=True)
        for key in list(self._selector.get_map().values()):
            if isinstance(key.data, Connection):
                _close(key.data.sock)
        self._selector.close()
        _close(self._wake_read)
        _close(self._wake_write)

    # ---- the dispatcher thread: waits on every idle connection at once

    def _dispatch(self) -> None:
        while not self._closing.is_set():
            for key, _events in self._selector.select(timeout=min(1.0, self.idle_timeout / 2)):
                if key.data is None:
                    self._drain_wakeups()
                else:
                    self._selector.unregister(key.fileobj)
                    try:
                        self._workers.submit(self._serve, key.data)
                    except RuntimeError:  # the pool is shut down (the server, or Python, is stopping)
                        self._forget(key.data)
                        return
            self._take_returned()
            self._close_idle()

    def _drain_wakeups(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            while self._wake_read.recv(4096):
                pass

    def _take_returned(self) -> None:
        while True:
            try:
                connection = self._returned.get_nowait()
            except queue.Empty:
                return
            try:
                self._selector.register(connection.sock, selectors.EVENT_READ, connection)
            except (ValueError, OSError):  # closed meanwhile
                self._forget(connection)

    def _close_idle(self) -> None:
        now = time.monotonic()
        for key in list(self._selector.get_map().values()):
            connection = key.data
            if isinstance(connection, Connection) and now - connection.idle_since > self.idle_timeout:
                self._selector.unregister(key.fileobj)
                self._forget(connection)

    # ---- workers

    def _serve(self, connection: Connection) -> None:
        try:
            keep = connection.serve_one() and not self._closing.is_set()
        except Exception:  # noqa: BLE001 — a request that fails in any way ends its connection, never the server
            keep = False
        if keep:
            self._wait_again(connection)
        else:
            self._forget(connection)

    def _wait_again(self, connection: Connection) -> None:
        connection.idle_since = time.monotonic()
        self._returned.put(connection)
        self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_write.send(b"\0")

    def _forget(self, connection: Connection) -> None:
        _close(connection.sock)
        with self._lock:
            self._open -= 1


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
