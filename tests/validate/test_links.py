"""Only http(s) links leave a script: a javascript:, data: or other-scheme source is refused in the script, never
published from an older timeline, and found by the validator anywhere in a feed, its chapters or transcript links."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from mutagen.id3 import WXXX
from support.requirements import REPO
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.errors import BriefingError
from briefing.ingest.formats import parse_html, parse_markdown
from briefing.mix.tags import chapter_frame
from briefing.models import Source, is_web_url
from briefing.release import publish
from briefing.script import load_script
from briefing.settings import find_workspace
from briefing.validate import validate_feed
from briefing.validate.rules.links import scheme_of

FIXTURE = REPO / "tests" / "fixtures" / "links" / "feed.xml"
HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.com/a",
    "podcast://example.com/feed",
    "//news.example.com/no-scheme",
    "www.example.com/no-scheme",
    "https:///no-host",
    "https://exa\x01mple.com/control",
]


# ------------------------------------------------------------------------------------------------- the script


def hostile_script(show_dir: Path, url: str) -> Path:
    script = show_dir / "scripts" / "hostile.md"
    script.write_text(
        "---\nshow: Asia Tech Brief\nepisode: 9\ntitle: 링크\ndate: 2026-11-30\nslug: hostile\n"
        "guid: 0b1c2d3e-4f50-5a6b-8c7d-8e9fa0b1c2d3\nsource: issues/hostile.txt\n---\n\n"
        f"## 오프닝\n\n안녕하십니까.\n\n## 소식\n\n소식입니다.\n\n> 출처: {url}\n\n## 클로징\n\n감사합니다.\n",
        encoding="utf-8",
    )
    return script


@pytest.mark.parametrize("url", HOSTILE)
def test_a_script_source_with_another_scheme_is_refused_naming_the_line(show_dir, url):
    script = hostile_script(show_dir, url)
    with pytest.raises(BriefingError, match="a source must be an http:// or https:// link") as refused:
        load_script(script)
    assert (refused.value.path, refused.value.line) == (script, 19)


def test_build_refuses_it_in_one_sentence_and_writes_nothing(show_dir):
    script = hostile_script(show_dir, "javascript:alert(1)")
    result = subprocess.run([sys.executable, "-m", "briefing", "build", "--engine", "espeak", str(script)],
                            cwd=show_dir, capture_output=True, text=True, timeout=300)  # fmt: skip
    message = " ".join(result.stderr.split())
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "hostile.md:19: a source must be an http:// or https:// link, not 'javascript:alert(1)'" in message
    assert list((show_dir / "audio" / "episodes").iterdir()) == []


def test_web_links_are_http_or_https_with_a_host():
    assert is_web_url("https://news.example.com/a?b=1&c=2#d") and is_web_url("HTTP://EXAMPLE.COM")
    assert not any(is_web_url(url) for url in HOSTILE)


# ------------------------------------------------------------------------------------------------- the issue


def test_an_issue_link_with_another_scheme_is_no_source(tmp_path):
    html = parse_html(
        '<h1>[Show] 1. 제목</h1><p>소식입니다. <a href="javascript:alert(1)">원문</a> '
        '<a href=" data:text/html,x">데이터</a> <a href="https://news.example.com/a">기사</a></p>',
        tmp_path / "issue.html",
    )
    markdown = parse_markdown(
        "# [Show] 1. 제목\n\n소식입니다. [원문](javascript:alert(1)) [기사](https://news.example.com/a)\n",
        tmp_path / "issue.md",
    )
    for parsed in (html, markdown):
        links = [piece.url for paragraph in parsed.paragraphs for piece in paragraph.pieces if hasattr(piece, "url")]
        assert links == ["https://news.example.com/a"]


# ------------------------------------------------------------------------------- a timeline built before that


@pytest.fixture
def hostile_site(tmp_path) -> Path:
    """feed/ published from a timeline whose sources were recorded before scripts refused other schemes."""
    root = tmp_path / "show"
    root.mkdir()
    shutil_copy(REPO / "show.toml", root / "show.toml")
    tone = tmp_path / "tone.mp3"
    encode_tone_mp3(tone, 2.0)
    timeline = synthetic_timeline(1, mp3_duration_ms(tone))
    hostile = (Source("javascript:alert(1)"), Source("data:text/html,<script>alert(1)</script>"))
    chapters = tuple(
        replace(chapter, sources=hostile + chapter.sources if chapter.kind == "story" else hostile)
        for chapter in timeline.chapters
    )
    write_built_episode(root / "audio" / "episodes", replace(timeline, chapters=chapters), tone.read_bytes())
    publish(find_workspace(root), now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    return root / "feed"


def shutil_copy(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())


def test_links_with_another_scheme_never_reach_the_feed_or_its_chapters(hostile_site):
    feed = (hostile_site / "feed.xml").read_text(encoding="utf-8")
    chapters = json.loads((hostile_site / "chapters" / "episode-001.json").read_text(encoding="utf-8"))
    assert "javascript:" not in feed and "data:text" not in feed
    assert "https://news.example.com/1/1?a=1&amp;b=2" in feed  # the story's http(s) source still is
    assert [c.get("url") for c in chapters["chapters"]] == [
        None, "https://news.example.com/1/1?a=1&b=2", "https://news.example.com/1/2?a=1&b=2", None
    ]  # fmt: skip
    pages = "".join(path.read_text(encoding="utf-8") for path in hostile_site.rglob("*.html"))
    assert 'href="javascript:' not in pages and 'href="data:' not in pages
    assert validate_feed(str(hostile_site / "feed.xml")).findings == ()


def test_the_mp3_chapter_link_is_the_first_http_source():
    chapter = synthetic_timeline(1, 4000).chapters[1]
    hostile = replace(chapter, sources=(Source("javascript:alert(1)"), *chapter.sources))
    only_hostile = replace(chapter, sources=(Source("javascript:alert(1)"),))
    links = [[f.url for f in chapter_frame(c, 2000).sub_frames.values() if isinstance(f, WXXX)]
             for c in (hostile, only_hostile)]  # fmt: skip
    assert links == [["https://news.example.com/1/1?a=1&b=2"], []]


# --------------------------------------------------------------------------------------------- the validator


EXPECTED = {
    ("links.scheme", "line 18: /rss/channel/itunes:image", "data"),
    ("links.scheme", "line 24: /rss/channel/item/link", "javascript"),
    ("links.scheme", "line 28: /rss/channel/item/description", "javascript"),
    ("links.scheme", "line 34: /rss/channel/item/psc:chapters/psc:chapter[2]", "vbscript"),
    ("links.scheme", "line 38: /rss/channel/item/content:encoded", "javascript"),
    ("links.scheme", "line 38: /rss/channel/item/content:encoded", "data"),
    ("links.scheme", "line 42: /rss/channel/item/podcast:transcript", "file"),
    ("links.chapters-scheme", "line 40: /rss/channel/item/podcast:chapters", "javascript"),
    ("links.chapters-scheme", "line 40: /rss/channel/item/podcast:chapters", "data"),
}


def test_the_validator_finds_every_link_with_another_scheme_in_the_fixture():
    findings = [f for f in validate_feed(str(FIXTURE)).findings if f.rule.startswith("links.")]
    found = {(f.rule, f.location, f.message.rsplit(" is a ", 1)[1].removesuffix(": link")) for f in findings}
    assert found == EXPECTED
    assert len(findings) == 10  # content:encoded holds two javascript: links, one behind &#106; and one a tab
    assert all(f.severity == "error" and f.fix for f in findings)
    assert not any("ok.example.org" in f.message or "/about" in f.message for f in findings)


@pytest.mark.parametrize(
    ("address", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        ("  \x01JAVASCRIPT:alert(1)", "javascript"),
        ("java\tscr\nipt:alert(1)", "javascript"),
        ("data:,x", "data"),
        ("https://example.com/a:b", "https"),
        ("/relative:path", None),
        ("relative/path", None),
        ("#top", None),
    ],
)
def test_a_scheme_is_read_as_a_browser_reads_it(address, scheme):
    assert scheme_of(address) == scheme


def test_a_validated_show_with_a_hostile_feed_fails_strict_validation(tmp_path):
    result = subprocess.run([sys.executable, "-m", "briefing", "validate", "--strict", str(FIXTURE)],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 1 and "links.scheme" in result.stdout
