"""`briefing serve` run for real as a subprocess on a free loopback port, and a client that sends requests exactly
as written: shared by the serve and browser tests."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from support.requirements import REPO

FEED_URL_LINE = re.compile(r"Feed URL for a podcast app: (http://\S+)feed\.xml")


@dataclass(frozen=True)
class Served:
    """A running `briefing serve`: the base URL it announced, the site folder, what it printed."""

    base_url: str
    site: Path
    output: tuple[str, ...]

    @property
    def port(self) -> int:
        return int(re.search(r":(\d+)/$", self.base_url).group(1))

    def request(self, method: str, target: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        # http.client sends the target exactly as given: no client-side normalisation of '..' or '%2e'.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest(method, target, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            connection.close()


def start_serve(show_root: Path, *extra: str) -> tuple[subprocess.Popen, list[str], str]:
    """`briefing serve --port 0` as a subprocess; returns it, the lines it printed, and the base URL it announced."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "serve", "--port", "0", *extra],
        cwd=show_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        match = FEED_URL_LINE.search("\n".join(lines))
        if match and line.startswith("Press Ctrl+C"):
            return process, lines, match.group(1)
    process.wait(timeout=10)
    raise AssertionError(f"briefing serve exited ({process.returncode}) without a feed URL: {lines}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def serving(show_root: Path) -> Iterator[Served]:
    """`briefing serve` on a free loopback port for the show's published feed/, stopped afterwards."""
    process, lines, base_url = start_serve(show_root)
    try:
        yield Served(base_url, show_root / "feed", tuple(lines))
    finally:
        stop(process)


def fresh_show(root: Path) -> Path:
    """The repository's example show settings in a fresh folder (a module-scoped twin of `show_dir`)."""
    repo = REPO
    (root / "feed").mkdir(parents=True)
    (root / "show.toml").write_bytes((repo / "show.toml").read_bytes())
    (root / "secret.txt").write_text("outside the site\n", encoding="utf-8")
    return root
