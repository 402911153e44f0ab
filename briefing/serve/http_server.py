"""Serving the published site over HTTP: safe paths, content types, HEAD and byte ranges, and base-URL rebasing."""

from __future__ import annotations

import email.utils
import mimetypes
import socket
import sys
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from briefing.pages.subscribe import without_scheme
from briefing.serve.connections import IDLE_TIMEOUT, WORKERS, Connection, Connections
from briefing.serve.ranges import ByteRange, UnsatisfiableRange, parse_range

REQUEST_TIMEOUT = 10.0  # seconds for any one read or write of a request being answered

CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".xml": "application/rss+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".json": "application/json",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
# Files that carry absolute URLs of the published site (the feed, the pages, the chapters).
REBASED_SUFFIXES = frozenset({".xml", ".rss", ".html", ".json"})


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def request_parts(target: str) -> tuple[str, ...] | None:
    """The path segments a request target names inside the site, or None when it reaches outside it.

    Decoded once (so `%2e%2e%2f` is `../`), then refused if any segment is `..`, hidden (`.git`, the
    temporary files of atomic writes) or carries a NUL or backslash.
    """
    decoded = unquote(urlsplit(target).path)
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = tuple(part for part in decoded.split("/") if part not in ("", "."))
    if any(part.startswith(".") for part in parts):
        return None
    return parts


@dataclass(frozen=True)
class Rebase:
    """Serve the site as if it were published at `local` instead of `published` (both end with '/')."""

    published: str
    local: str

    def apply(self, text: str) -> str:
        # The whole URL first, then the forms the subscribe links use: percent-encoded and without a scheme.
        for old, new in (
            (self.published, self.local),
            (quote(self.published, safe=""), quote(self.local, safe="")),
            (without_scheme(self.published), without_scheme(self.local)),
        ):
            text = text.replace(old, new)
        return text


@dataclass(frozen=True)
class Site:
    root: Path  # resolved
    rebase: Rebase | None = None

    def locate(self, parts: tuple[str, ...]) -> Path | None:
        """The file or folder `parts` names, or None when it resolves outside the site (a symlink out)."""
        resolved = self.root.joinpath(*parts).resolve()
        return resolved if resolved.is_relative_to(self.root) else None

    def rebased_body(self, path: Path) -> bytes | None:
        """The file's bytes with the site's address rebased, or None when the file is sent as it is."""
        if self.rebase is None or path.suffix.lower() not in REBASED_SUFFIXES:
            return None
        # surrogateescape: bytes that are not UTF-8 pass through unchanged instead of failing the request.
        text = path.read_bytes().decode("utf-8", "surrogateescape")
        return self.rebase.apply(text).encode("utf-8", "surrogateescape")


class SiteHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files of one site folder, with single byte ranges.

    One handler lives as long as its connection and answers one request each time the connection has one
    (`serve_one`); between requests the connection waits in `Connections`, not in a thread.
    """

    protocol_version = "HTTP/1.1"  # keep-alive: players make many small range requests
    disable_nagle_algorithm = True  # with keep-alive, Nagle + delayed ACK would stall each reply's last packet
    server_version = "briefing"
    timeout = REQUEST_TIMEOUT  # for each read and write within a request
    # Unbuffered: nothing of a next (pipelined) request is read ahead into a buffer the selector cannot see.
    rbufsize = 0
    # An error answer to a request line that cannot be parsed carries a status line (HTTP/0.9 would send none).
    default_request_version = "HTTP/1.0"
    server: SiteServer

    @classmethod
    def for_connection(cls, sock: socket.socket, client_address: tuple[str, int], server: SiteServer) -> SiteHandler:
        """A handler for a new connection, set up (as BaseRequestHandler.__init__ does) but not yet answering."""
        handler = cls.__new__(cls)
        handler.request, handler.client_address, handler.server = sock, client_address, server
        handler.setup()
        return handler

    def serve_one(self) -> bool:
        """Answer the request waiting on the connection; whether to keep the connection for another."""
        self.close_connection = True  # unless the request, well-formed, asks to keep it
        try:
            self.handle_one_request()
        except (ConnectionError, TimeoutError):
            return False
        return not self.close_connection

    @property
    def site(self) -> Site:
        return self.server.site

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def respond(self, *, send_body: bool) -> None:
        parts = request_parts(self.path)
        file: Path | None = None
        try:
            path = self.site.locate(parts) if parts is not None else None
            if path is None:
                self.send_error(HTTPStatus.FORBIDDEN, "Outside the published site")
                return
            if path.is_dir():
                if not urlsplit(self.path).path.endswith("/"):
                    self.redirect(urlsplit(self.path).path + "/")
                    return
                path = path / "index.html"
            file = path if path.is_file() else None
        except OSError:  # a name longer than the file system allows, a symlink loop: no file to be found there
            file = None
        if file is None:
            self.send_error(HTTPStatus.NOT_FOUND, "No such file in the published site")
            return
        try:
            self.send_file(file, send_body=send_body)
        except (BrokenPipeError, ConnectionResetError):
            # Players drop connections mid-file whenever they seek; nothing to report.
            self.close_connection = True
        except PermissionError:
            self.send_error(HTTPStatus.FORBIDDEN, "This file of the site cannot be read")

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_file(self, path: Path, *, send_body: bool) -> None:
        stat = path.stat()
        body = self.site.rebased_body(path)
        size = len(body) if body is not None else stat.st_size
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-r" if body is not None else ""}"'
        last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        try:
            wanted = self.wanted_range(size, etag, last_modified)
        except UnsatisfiableRange:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        part = wanted or ByteRange(0, size - 1)
        self.send_response(HTTPStatus.PARTIAL_CONTENT if wanted else HTTPStatus.OK)
        self.send_header("Content-Type", content_type(path))
        self.send_header("Content-Length", str(part.length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        # Producers rebuild and republish; a local listener should always get the latest build.
        self.send_header("Cache-Control", "no-cache")
        # Web-based podcast apps fetch chapters and transcripts from another origin; the site is public anyway.
        self.send_header("Access-Control-Allow-Origin", "*")
        if wanted:
            self.send_header("Content-Range", wanted.content_range(size))
        self.end_headers()
        if not send_body or part.length <= 0:
            return
        if body is not None:
            self.wfile.write(body[part.start : part.end + 1])
        else:
            self.copy_file_part(path, part)

    def wanted_range(self, size: int, etag: str, last_modified: str) -> ByteRange | None:
        if_range = self.headers.get("If-Range")
        if if_range and if_range not in (etag, last_modified):
            return None  # the client's copy is stale: it gets the whole new file
        return parse_range(self.headers.get("Range"), size)

    def copy_file_part(self, path: Path, part: ByteRange) -> None:
        # socket.sendfile: the kernel copies file to socket (falling back to read/send where it cannot).
        with path.open("rb") as handle:
            self.connection.sendfile(handle, part.start, part.length)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


class SiteServer(HTTPServer):
    """An HTTP server for one site: a bounded pool of workers answers requests, idle connections wait without a
    thread and time out (see `Connections`); `site` may be replaced (e.g. rebased) once the port is known."""

    request_queue_size = 128  # a burst of new connections waits in the kernel's queue, not refused

    def __init__(
        self, site: Site, address: tuple[str, int], *, idle_timeout: float = IDLE_TIMEOUT, workers: int = WORKERS
    ):
        self.site = site
        self.connections = Connections(workers=workers, idle_timeout=idle_timeout)
        super().__init__(address, SiteHandler)  # closes the server (and the connections) when it cannot bind

    def process_request(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        assert isinstance(request, socket.socket)  # a TCP server's request is its connection
        handler = SiteHandler.for_connection(request, client_address, self)
        self.connections.add(Connection(request, handler.serve_one))

    def server_close(self) -> None:
        super().server_close()
        self.connections.close()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def serve_as(self, published: str, local: str) -> None:
        """Serve text files with the published base URL replaced by `local` (nothing to do when equal)."""
        self.site = replace(self.site, rebase=Rebase(published, local) if local != published else None)


def make_server(site_dir: Path, host: str, port: int, *, idle_timeout: float = IDLE_TIMEOUT) -> SiteServer:
    """An HTTP server for `site_dir` bound to host:port (port 0: a free one); call `serve_forever()`."""
    return SiteServer(Site(root=site_dir.resolve()), (host, port), idle_timeout=idle_timeout)


def lan_address() -> str:
    """This machine's address on its local network, for a phone to reach; 127.0.0.1 when there is none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            # Connecting a UDP socket sends nothing; it only picks the interface a packet would leave by.
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def local_base_url(host: str, port: int) -> str:
    """The base URL listeners use to reach this server: the LAN address when bound to every interface."""
    shown = lan_address() if host in ("", "0.0.0.0") else host
    return f"http://{shown}:{port}/"
