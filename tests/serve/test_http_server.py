"""`briefing serve` over real HTTP on loopback: HEAD, byte ranges, content types, path traversal, rebasing."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.serving import Served, fresh_show, serving, start_serve, stop
from support.sites import publish_synthetic_site

from briefing.serve import ByteRange, Rebase, UnsatisfiableRange, local_base_url, parse_range, request_parts


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    show_root = fresh_show(tmp_path_factory.mktemp("served") / "show")
    publish_synthetic_site(show_root)
    with serving(show_root) as running:
        yield running


def mp3_bytes(served: Served) -> bytes:
    return (served.site / "episodes" / "atb-001.mp3").read_bytes()


def test_announces_a_loopback_feed_url(served):
    assert served.base_url == f"http://127.0.0.1:{served.port}/"
    assert any(line.startswith("Serving ") for line in served.output)
    assert any("in place of https://podcast.example.com/asia-tech-brief/" in line for line in served.output)


def test_head_gives_headers_without_a_body(served):
    status, headers, body = served.request("HEAD", "/episodes/atb-001.mp3")
    assert status == 200
    assert body == b""
    assert headers["content-type"] == "audio/mpeg"
    assert headers["accept-ranges"] == "bytes"
    assert int(headers["content-length"]) == len(mp3_bytes(served))


def test_chapters_and_transcripts_are_readable_from_other_origins(served):
    for path in ("/chapters/atb-001.json", "/transcripts/atb-001.vtt"):
        _, headers, _ = served.request("GET", path, {"Origin": "https://web-player.example"})
        assert headers["access-control-allow-origin"] == "*"


def test_get_whole_file(served):
    status, headers, body = served.request("GET", "/episodes/atb-001.mp3")
    assert status == 200
    assert body == mp3_bytes(served)
    assert "content-range" not in headers


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=1000-1999", 1000, 1999), ("bytes=-500", None, None), ("bytes=4000-", 4000, None)],
)
def test_byte_ranges(served, header, first, last):
    data = mp3_bytes(served)
    size = len(data)
    if first is None:
        first = size - 500
    if last is None:
        last = size - 1
    status, headers, body = served.request("GET", "/episodes/atb-001.mp3", {"Range": header})
    assert status == 206
    assert headers["content-range"] == f"bytes {first}-{last}/{size}"
    assert int(headers["content-length"]) == last - first + 1
    assert body == data[first : last + 1]


def test_unsatisfiable_range_is_416(served):
    size = len(mp3_bytes(served))
    status, headers, body = served.request("GET", "/episodes/atb-001.mp3", {"Range": f"bytes={size}-"})
    assert status == 416
    assert headers["content-range"] == f"bytes */{size}"
    assert body == b""


def test_head_with_range_reports_the_part(served):
    status, headers, body = served.request("HEAD", "/episodes/atb-001.mp3", {"Range": "bytes=10-19"})
    assert (status, headers["content-length"], body) == (206, "10", b"")


def test_stale_if_range_gets_the_whole_file(served):
    status, _, body = served.request(
        "GET", "/episodes/atb-001.mp3", {"Range": "bytes=0-9", "If-Range": '"an-old-etag"'}
    )
    assert status == 200
    assert body == mp3_bytes(served)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/feed.xml", "application/rss+xml"),
        ("/chapters/atb-001.json", "application/json"),
        ("/transcripts/atb-001.vtt", "text/vtt"),
        ("/transcripts/atb-001.srt", "application/x-subrip"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/episodes/atb-001.html", "text/html; charset=utf-8"),
        ("/assets/site.css", "text/css"),
        ("/assets/site.js", "text/javascript"),
        ("/cover.png", "image/png"),
    ],
)
def test_content_types(served, path, content_type):
    status, headers, _ = served.request("GET", path)
    assert status == 200
    assert headers["content-type"].startswith(content_type)


@pytest.mark.parametrize(
    "target",
    [
        "/../show.toml",
        "/../secret.txt",
        "/episodes/../../show.toml",
        "/%2e%2e/show.toml",
        "/%2E%2E%2Fshow.toml",
        "/episodes/%2e%2e%2f%2e%2e%2fshow.toml",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5c%2e%2e%5csecret.txt",
        "http://127.0.0.1/../show.toml",
    ],
)
def test_path_traversal_is_refused(served, target):
    status, _, body = served.request("GET", target)
    assert status in (400, 403, 404)
    assert b"base_url" not in body and b"outside the site" not in body


@pytest.mark.parametrize("target", ["//etc/passwd", "/%2fetc%2fpasswd", "/etc/passwd", "/nothing-here.mp3"])
def test_absolute_and_missing_paths_are_not_found(served, target):
    status, _, body = served.request("GET", target)
    assert status == 404
    assert b"root:" not in body


def test_symlink_out_of_the_site_is_refused(served):
    link = served.site / "escape.txt"
    link.symlink_to(served.site.parent / "secret.txt")
    try:
        status, _, body = served.request("GET", "/escape.txt")
    finally:
        link.unlink()
    assert status == 403
    assert b"outside the site" not in body


def test_head_of_a_rebased_page_gives_the_served_length(served):
    _, head, _ = served.request("HEAD", "/index.html")
    _, _, body = served.request("GET", "/index.html")
    assert int(head["content-length"]) == len(body)
    assert len(body) != (served.site / "index.html").stat().st_size  # the served page names this server


def test_folder_without_slash_redirects(served):
    status, headers, _ = served.request("GET", "/episodes")
    assert status == 301
    assert headers["location"] == "/episodes/"


def test_served_feed_and_pages_point_at_this_server(served):
    for path in ("/feed.xml", "/index.html"):
        status, _, body = served.request("GET", path)
        text = body.decode("utf-8")
        assert status == 200
        assert "podcast.example.com/asia-tech-brief" not in text
        assert f"{served.base_url}" in text
    _, _, feed = served.request("GET", "/feed.xml")
    assert f'url="{served.base_url}episodes/atb-001.mp3"' in feed.decode("utf-8")
    _, _, index = served.request("GET", "/index.html")
    assert f"pktc://subscribe/127.0.0.1:{served.port}/feed.xml" in index.decode("utf-8")
    on_disk = (served.site / "feed.xml").read_text(encoding="utf-8")
    assert "https://podcast.example.com/asia-tech-brief/episodes/atb-001.mp3" in on_disk


def test_base_url_override_and_bad_input(show_dir):
    publish_synthetic_site(show_dir)
    process, _, base_url = start_serve(show_dir, "--base-url", "http://listen.example:9000/show")
    stop(process)
    assert base_url == "http://listen.example:9000/show/"
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "serve", "--base-url", "ftp://nowhere"],
        cwd=show_dir, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2
    assert "--base-url must be an http" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_stops_cleanly(show_dir):
    publish_synthetic_site(show_dir)
    process, _, _ = start_serve(show_dir)
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Stopped." in rest


def test_a_port_in_use_is_one_clear_error(show_dir):
    publish_synthetic_site(show_dir)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "briefing", "serve", "--port", str(port)],
            cwd=show_dir, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_nothing_published_is_one_clear_error(show_dir):
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "serve", "--port", "0"],
        cwd=show_dir,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "nothing published yet" in result.stderr
    assert "Traceback" not in result.stderr


# The range rules themselves, without a server.


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=5-", ByteRange(5, 9)),
        ("bytes=-3", ByteRange(7, 9)),
        ("bytes=-30", ByteRange(0, 9)),
        ("bytes=2-100", ByteRange(2, 9)),
        ("bytes=5-2", None),
        ("bytes=0-1,4-5", None),
        ("items=0-1", None),
        ("bytes=a-b", None),
        ("bytes=-", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 10) == expected


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=10-", 10), ("bytes=10-20", 10), ("bytes=-0", 10), ("bytes=-1", 0)]
)
def test_unsatisfiable_ranges(header, size):
    with pytest.raises(UnsatisfiableRange):
        parse_range(header, size)


@given(size=st.integers(1, 10_000), first=st.integers(0, 12_000), last=st.integers(0, 12_000))
def test_a_satisfiable_range_stays_inside_the_file(size, first, last):
    try:
        part = parse_range(f"bytes={first}-{last}", size)
    except UnsatisfiableRange:
        assert first >= size
        return
    if part is not None:
        assert 0 <= part.start <= part.end < size
        assert part.start == first


@pytest.mark.parametrize(
    ("target", "parts"),
    [
        ("/", ()),
        ("/episodes/a.mp3?x=1", ("episodes", "a.mp3")),
        ("/./index.html", ("index.html",)),
        ("/%ED%95%9C.html", ("한.html",)),
        ("/../x", None),
        ("/%2e%2e/x", None),
        ("/.git/config", None),
        ("/feed/.feed.xml.tmp", None),
        ("/a%00b", None),
    ],
)
def test_request_parts(target, parts):
    assert request_parts(target) == parts


def test_rebase_rewrites_every_form_of_the_published_url():
    rebase = Rebase("https://podcast.example.com/show/", "http://10.0.0.2:8000/")
    text = (
        "https://podcast.example.com/show/feed.xml "
        "overcast://x-callback-url/add?url=https%3A%2F%2Fpodcast.example.com%2Fshow%2Ffeed.xml "
        "pktc://subscribe/podcast.example.com/show/feed.xml"
    )
    assert rebase.apply(text) == (
        "http://10.0.0.2:8000/feed.xml "
        "overcast://x-callback-url/add?url=http%3A%2F%2F10.0.0.2%3A8000%2Ffeed.xml "
        "pktc://subscribe/10.0.0.2:8000/feed.xml"
    )


def test_every_interface_is_announced_by_a_reachable_address():
    url = local_base_url("0.0.0.0", 8000)
    host = re.fullmatch(r"http://(\d+\.\d+\.\d+\.\d+):8000/", url).group(1)
    assert host != "0.0.0.0"
    assert local_base_url("127.0.0.1", 8123) == "http://127.0.0.1:8123/"
