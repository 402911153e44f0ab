"""A stand-in for the Hugging Face hub on 127.0.0.1, serving one model repository at one revision the way the hub
does: the tree API (`/api/models/<repo>/tree/<revision>?recursive=true`, paged with a `Link: rel="next"` header;
large files listed with their LFS SHA-256, small ones with their git blob id) and `/<repo>/resolve/<revision>/<path>`
(large files redirected to a CDN path, as the hub does). It fails on demand: a file altered, cut short or missing.
`conftest.py` makes a running one the `fake_hub` fixture.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LFS_SUFFIXES = (".onnx",)  # what the real repositories keep in LFS (the voice styles too: see `lfs`)


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class FakeHub:
    """One repository at one revision, its files read from a folder; what was asked; what goes wrong next."""

    def __init__(self, folder: Path, repo: str, revision: str) -> None:
        self.folder, self.repo, self.revision = folder, repo, revision
        self.page_size = 5  # tree entries per page: the listing needs several pages
        self.altered: set[str] = set()  # served with one byte changed
        self.cut_short: set[str] = set()  # the connection closes halfway through the body
        self.missing: set[str] = set()  # 404 at resolve, though listed
        self.unlisted: set[str] = set()  # not in the tree at all
        self.requests: list[str] = []
        self.url = ""

    def files(self) -> list[str]:
        return sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file())

    def lfs(self, path: str) -> bool:
        return path.endswith(LFS_SUFFIXES) or path.startswith("voice_styles/")

    def entry(self, path: str) -> dict:
        data = (self.folder / path).read_bytes()
        entry = {"type": "file", "path": path, "size": len(data)}
        if self.lfs(path):
            sha256 = hashlib.sha256(data).hexdigest()
            pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {len(data)}\n"
            entry["oid"] = git_blob_id(pointer.encode())  # a large file's git blob is its LFS pointer
            entry["lfs"] = {"oid": sha256, "size": len(data), "pointerSize": len(pointer)}
        else:
            entry["oid"] = git_blob_id(data)
        return entry

    def tree(self) -> list[dict]:
        folders = sorted({str(Path(p).parent) for p in self.files() if "/" in p})
        listed = [p for p in self.files() if p not in self.unlisted]
        return [{"type": "directory", "path": f, "oid": "0" * 40, "size": 0} for f in folders] + [
            self.entry(p) for p in listed
        ]


def _handler_for(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json", headers=None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            parts = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(parts.path)
            hub.requests.append(path)
            tree = f"/api/models/{hub.repo}/tree/"
            resolve = f"/{hub.repo}/resolve/"
            if path.startswith(tree):
                self._tree(path[len(tree) :], urllib.parse.parse_qs(parts.query))
            elif path.startswith(resolve):
                revision, _, file = path[len(resolve) :].partition("/")
                self._resolve(revision, file)
            elif path.startswith("/cdn/"):
                self._file(path[len("/cdn/") :])
            else:
                self._send(404, b'{"error": "Repository not found"}')

        def _tree(self, revision: str, query: dict) -> None:
            if revision != hub.revision:
                self._send(404, json.dumps({"error": f"Invalid rev id: {revision}"}).encode())
                return
            entries = hub.tree()
            start = int(query.get("cursor", ["0"])[0])
            page = entries[start : start + hub.page_size]
            headers = {}
            if start + hub.page_size < len(entries):
                following = (
                    f"{hub.url}/api/models/{hub.repo}/tree/{revision}?recursive=true&cursor={start + hub.page_size}"
                )
                headers["Link"] = f'<{following}>; rel="next"'
            self._send(200, json.dumps(page).encode(), headers=headers)

        def _resolve(self, revision: str, file: str) -> None:
            if revision != hub.revision or file in hub.missing or not (hub.folder / file).is_file():
                self._send(404, b"Entry not found", "text/plain")
                return
            if hub.lfs(file):  # the hub answers large files with a redirect to its CDN
                self._send(302, b"", "text/plain", {"Location": f"/cdn/{urllib.parse.quote(file)}"})
                return
            self._file(file)

        def _file(self, file: str) -> None:
            data = (hub.folder / file).read_bytes()
            if file in hub.altered:
                data = data[:-1] + bytes([data[-1] ^ 1])
            if file in hub.cut_short:
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.close_connection = True
                return
            self._send(200, data, "application/octet-stream")

    return Handler


@contextlib.contextmanager
def running_fake_hub(folder: Path, repo: str, revision: str) -> Iterator[FakeHub]:
    hub = FakeHub(folder, repo, revision)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(hub))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="fake-hub", daemon=True)
    thread.start()
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
