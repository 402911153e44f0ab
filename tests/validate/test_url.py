"""Validating a feed by URL over real loopback HTTP: resources are fetched and checked; failures are clear."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support.requirements import REPO
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.errors import BriefingError
from briefing.release import publish
from briefing.settings import find_workspace
from briefing.validate import validate_feed


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def served_show(tmp_path):
    """A show whose base URL is a loopback server serving its feed/ folder; yields (show root, base URL)."""
    root = tmp_path / "show"
    (root / "feed").mkdir(parents=True)
    handler = functools.partial(_QuietHandler, directory=str(root / "feed"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    settings = (REPO / "show.toml").read_text(encoding="utf-8")
    (root / "show.toml").write_text(
        settings.replace('base_url = "https://podcast.example.com/asia-tech-brief/"', f'base_url = "{base}"'),
        encoding="utf-8",
    )
    tone = tmp_path / "tone.mp3"
    encode_tone_mp3(tone, 2.0)
    write_built_episode(root / "audio" / "episodes", synthetic_timeline(1, mp3_duration_ms(tone)), tone.read_bytes())
    publish(find_workspace(root), now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    try:
        yield root, base
    finally:
        server.shutdown()
        server.server_close()


def findings_of(url: str):
    """The findings, less the placeholder rules: this show keeps the example show's e-mail at example.com."""
    return tuple(f for f in validate_feed(url, timeout=5).findings if not f.rule.startswith("placeholder."))


def test_a_served_feed_validates_by_url(served_show):
    _root, base = served_show
    assert findings_of(base + "feed.xml") == ()


def test_served_artwork_is_fetched_and_checked(served_show):
    root, base = served_show
    (root / "feed" / "cover.png").write_bytes(b"GIF89a not really an image")
    assert {f.rule for f in findings_of(base + "feed.xml")} == {"apple.image-format"}
    (root / "feed" / "cover.png").unlink()
    (finding,) = findings_of(base + "feed.xml")
    assert (finding.rule, finding.severity) == ("apple.image-reachable", "warning")


def test_served_chapters_are_fetched_and_checked(served_show):
    root, base = served_show
    shutil.copy(root / "feed" / "feed.xml", root / "feed" / "chapters" / "episode-001.json")  # XML, not JSON
    assert {f.rule for f in findings_of(base + "feed.xml")} == {"podcast.chapters-json"}


def test_a_feed_url_that_cannot_be_fetched_is_bad_input(served_show):
    _root, base = served_show
    with pytest.raises(BriefingError, match="cannot fetch the feed"):
        validate_feed(base + "missing.xml", timeout=5)


def test_a_server_that_never_answers_times_out():
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections are queued but never read from or answered
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/feed.xml"
        # Without the timeout this would wait forever; with it, the read gives up and says so.
        with pytest.raises(BriefingError, match="cannot fetch the feed .*timed out"):
            validate_feed(url, timeout=0.3)
