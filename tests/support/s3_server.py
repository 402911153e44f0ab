"""An S3-compatible server on 127.0.0.1 for the deploy tests: moto's server mode, behind a small proxy that can cut
the connection of every upload after a number of them (a network that goes down in the middle of a deploy)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

BUCKET = "weekly-show"
KEYS = {"AWS_ACCESS_KEY_ID": "testing-key", "AWS_SECRET_ACCESS_KEY": "testing-secret"}
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "date", "server"}


@dataclass
class S3Server:
    moto: str  # moto's own address
    endpoint: str  # the proxy's address: what a deploy is pointed at
    writes: int = 0  # uploads that went through the proxy
    cut_after: int | None = None  # cut every upload after this many
    cut: int = 0
    methods: list[tuple[str, str]] = field(default_factory=list)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.moto,
            region_name="us-east-1",
            aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def objects(self, prefix: str = "") -> dict[str, dict]:
        """key → head_object answer, for every object under the prefix."""
        client = self.client()
        listing = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
        return {item["Key"]: client.head_object(Bucket=BUCKET, Key=item["Key"]) for item in listing}

    def public_url(self, key: str) -> str:
        return f"{self.moto}/{BUCKET}/{key}"


def _proxy_handler(server: S3Server) -> type[BaseHTTPRequestHandler]:
    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:
            pass

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length", "0") or 0)
            writing = self.command in ("PUT", "POST")
            server.methods.append((self.command, self.path))
            if writing and server.cut_after is not None and server.writes >= server.cut_after:
                self.rfile.read(min(length, 1024))  # some of the body arrives, then the line goes dead
                server.cut += 1
                self.close_connection = True
                self.connection.close()
                return
            body = self.rfile.read(length) if length else None
            headers = {name: value for name, value in self.headers.items() if name.lower() not in _HOP_BY_HOP}
            answer = requests.request(self.command, server.moto + self.path, headers=headers, data=body, timeout=60)
            if writing and answer.status_code < 300:
                server.writes += 1
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.content)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

    return Proxy


@contextmanager
def running_s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Server]:
    """moto's S3 on 127.0.0.1 with the bucket made, a proxy in front, and test credentials in the environment."""
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    state = S3Server(moto=f"http://{host}:{port}", endpoint="")
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(state))
    proxy.daemon_threads = True
    state.endpoint = f"http://127.0.0.1:{proxy.server_address[1]}"
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    requests.post(f"{state.moto}/moto-api/reset", timeout=30).raise_for_status()  # moto's state lives per process
    state.client().create_bucket(Bucket=BUCKET)
    # What a podcast host sets up once: anyone may read the bucket's objects (listeners, apps).
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
        ],
    }
    state.client().put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
    try:
        yield state
    finally:
        proxy.shutdown()
        proxy.server_close()
        moto.stop()
