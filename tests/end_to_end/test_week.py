"""A whole week, unattended: the newsletter (a Stibee-shaped feed on 127.0.0.1) gains an issue, `briefing run --new`
fetches, builds, publishes, validates and deploys it to a local S3 server (moto), and a podcast app's parser reading
the deployed feed over HTTP sees the new episode with its chapters and transcript; a second run does nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import feedparser
import podcastparser
import pytest
from support.newsletter_server import running_platform
from support.s3_server import BUCKET, running_s3

from briefing.init import ShowDetails, init_workspace

NEWSLETTERS = Path(__file__).resolve().parents[1] / "fixtures" / "newsletters"
PREFIX = "weekly/"


def first_issue_only(feed: str) -> str:
    """The Stibee feed before its second issue went out."""
    start = feed.index("<item>", feed.index("<item>") + 1)
    return feed[:start] + feed[feed.index("</item>", start) + len("</item>\n") :]


# The show's own details: with init's placeholders left in, `run --new --strict` would hold the deploy back.
DETAILS = ShowDetails(
    title="주간 테크 쇼",
    author="주간 테크 편집팀",
    description="한 주의 테크 소식을 전합니다.",
    email="desk@weekly-tech.kr",
)


def make_show(root: Path, newsletter: str, s3) -> Path:
    init_workspace(root, DETAILS)
    toml = root / "show.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('engine = "auto"', 'engine = "espeak"', 1)
    text = "\n".join(
        f'base_url = "{s3.public_url(PREFIX)}"' if line.startswith("base_url") else line for line in text.splitlines()
    )
    text = text.replace('# feed = "https://example.com/newsletter/rss"', f'feed = "{newsletter}"', 1)  # [source]
    text += f'\n[deploy]\ntarget = "s3"\nbucket = "{BUCKET}"\nprefix = "{PREFIX}"\nendpoint = "{s3.endpoint}"\n'
    toml.write_text(text + "\n", encoding="utf-8")
    return root


def run_new(show: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefing", "run", "--new", "--strict", "--workspace", str(show)]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, env=os.environ.copy())


def read_over_http(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - a loopback address made by the test
        return answer.read()


def deployed_feed(s3) -> dict:
    url = s3.public_url(PREFIX + "feed.xml")
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310
        return podcastparser.parse(url, answer)


@pytest.fixture
def s3(monkeypatch):
    with running_s3(monkeypatch) as server:
        yield server


def test_a_week_of_the_show_runs_itself(tmp_path, s3):
    feed = (NEWSLETTERS / "stibee.xml").read_text(encoding="utf-8")
    with running_platform() as newsletter:
        newsletter.publish("/rss", first_issue_only(feed).encode("utf-8"))
        show = make_show(tmp_path / "show", newsletter.url("/rss"), s3)

        # Monday: issue 12 is out.
        monday = run_new(show)
        assert monday.returncode == 0, monday.stdout + monday.stderr
        assert "new issue: " in monday.stdout and f"deployed to s3://{BUCKET}/{PREFIX}" in monday.stdout
        podcast = deployed_feed(s3)
        assert [episode["title"] for episode in podcast["episodes"]] == ["배달 로봇과 초고속 충전"]

        # The next Monday: issue 13 joins the newsletter's feed.
        newsletter.publish("/rss", feed.encode("utf-8"))
        s3.methods.clear()
        week_later = run_new(show)
        assert week_later.returncode == 0, week_later.stdout + week_later.stderr
        assert "new issue: issues/2026-12-14-13.html" in week_later.stdout.replace(str(show) + "/", "")
        puts = [path for method, path in s3.methods if method == "PUT"]
        assert puts[-1].endswith("/feed.xml")  # the feed went up last
        assert not [path for path in puts if "012" in path.rsplit("/", 1)[-1] and path.endswith(".mp3")]

        podcast = deployed_feed(s3)
        newest = podcast["episodes"][0]
        assert [episode["title"] for episode in podcast["episodes"]] == [
            "무인 편의점과 위성 인터넷",
            "배달 로봇과 초고속 충전",
        ]
        assert newest["published"] > podcast["episodes"][1]["published"]
        assert newest["enclosures"][0]["mime_type"] == "audio/mpeg"
        audio = read_over_http(newest["enclosures"][0]["url"])
        assert audio[:3] == b"ID3" and len(audio) == newest["enclosures"][0]["file_size"]
        assert [chapter["title"] for chapter in newest["chapters"]][1:3] != []  # Podlove chapters, inline
        # podcastparser knows only the namespace's older address; feedparser reads podcast:chapters and transcript.
        item = feedparser.parse(read_over_http(s3.public_url(PREFIX + "feed.xml"))).entries[0]
        chapters = json.loads(read_over_http(item["podcast_chapters"]["url"]))
        assert len(chapters["chapters"]) == len(newest["chapters"]) == 4  # opening, two stories, closing
        assert {c.get("url") for c in chapters["chapters"]} >= {"https://retail.example.com/2026/12/taipei-stores"}
        transcript = read_over_http(item["podcast_transcript"]["url"]).decode("utf-8")
        assert "계산대 없는 매장" in transcript and "위성 인터넷" in transcript
        assert "수신거부" not in transcript and "웹에서 보기" not in transcript

        # Later that day: nothing new anywhere; nothing is written, fetched, built or sent.
        before = {path: path.read_bytes() for path in show.rglob("*") if path.is_file() and ".cache" not in path.parts}
        s3.methods.clear()
        quiet = run_new(show)
        assert quiet.returncode == 0, quiet.stdout + quiet.stderr
        assert "nothing new" in quiet.stdout and "not modified since the last fetch" in quiet.stdout
        assert newsletter.answers[-1] == 304
        assert [method for method, _path in s3.methods if method != "GET"] == []
        after = {path: path.read_bytes() for path in show.rglob("*") if path.is_file() and ".cache" not in path.parts}
        assert after == before
