"""The listening pages as HTML: structure, relative links, subscribe links, escaping of hostile text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import html5lib
import markupsafe
import pytest
from bs4 import BeautifulSoup
from support.sites import HOSTILE_TEXT, HOSTILE_URL, page_timeline, publish_synthetic_site

from briefing.errors import BriefingError
from briefing.pages import format_clock, subscribe_links, write_pages
from briefing.settings import Workspace, find_workspace


def workspace_of(show_dir: Path) -> Workspace:
    return find_workspace(show_dir)


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def pages(show_dir: Path) -> tuple[Path, list[Path], Workspace]:
    workspace = workspace_of(show_dir)
    timelines = [
        page_timeline("atb-001", 1, dt.date(2026, 11, 13)),
        page_timeline("atb-003", 3, dt.date(2026, 11, 27)),
        page_timeline("atb-002", 2, dt.date(2026, 11, 20)),
    ]
    site = workspace.feed_dir
    written = write_pages(site, workspace, timelines, feed_url=workspace.feed_url, cover_name="cover.png")
    return site, written, workspace


def test_writes_index_episode_pages_and_assets(pages):
    site, written, _ = pages
    expected = {
        site / "index.html",
        site / "assets" / "site.css",
        site / "assets" / "site.js",
        *(site / "episodes" / f"atb-00{n}.html" for n in (1, 2, 3)),
    }
    assert set(written) == expected
    assert all(path.is_file() for path in expected)
    leftovers = [p for p in site.rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]
    assert leftovers == []


def test_index_lists_episodes_newest_first_with_relative_links(pages):
    site, _, _ = pages
    soup = soup_of(site / "index.html")
    links = [a["href"] for a in soup.select(".episode-list h3 a")]
    assert links == ["episodes/atb-003.html", "episodes/atb-002.html", "episodes/atb-001.html"]
    assert soup.select_one(".cover")["src"] == "cover.png"
    assert soup.html["lang"] == "ko"


def test_index_shows_feed_url_copy_button_and_app_links(pages):
    site, _, workspace = pages
    soup = soup_of(site / "index.html")
    feed_url = "https://podcast.example.com/asia-tech-brief/feed.xml"
    assert workspace.feed_url == feed_url
    assert soup.select_one("#feed-url")["value"] == feed_url
    assert soup.select_one("button[data-copy-target='feed-url']") is not None
    hrefs = [a["href"] for a in soup.select(".app-link")]
    assert "podcast://podcast.example.com/asia-tech-brief/feed.xml" in hrefs
    assert "overcast://x-callback-url/add?url=https%3A%2F%2Fpodcast.example.com%2Fasia-tech-brief%2Ffeed.xml" in hrefs
    assert "pktc://subscribe/podcast.example.com/asia-tech-brief/feed.xml" in hrefs
    assert "antennapod-subscribe://podcast.example.com/asia-tech-brief/feed.xml" in hrefs
    assert feed_url in hrefs
    assert soup.select_one("link[rel=alternate]")["href"] == feed_url


def test_feed_url_can_be_overridden(show_dir):
    workspace = workspace_of(show_dir)
    site = show_dir / "feed"
    write_pages(site, workspace, [page_timeline()], feed_url="http://127.0.0.1:8123/feed.xml", cover_name="c.jpg")
    text = (site / "index.html").read_text(encoding="utf-8")
    assert 'value="http://127.0.0.1:8123/feed.xml"' in text
    assert "podcast.example.com" not in text


def test_episode_page_has_player_chapters_transcript_and_sources(pages):
    site, _, _ = pages
    soup = soup_of(site / "episodes" / "atb-001.html")
    timeline = page_timeline()
    assert soup.select_one("audio#player")["src"] == "atb-001.mp3"
    chapters = soup.select(".chapter")
    assert [int(a["data-start-ms"]) for a in chapters] == [s.start_ms for s in timeline.chapters]
    assert [a["href"] for a in chapters] == [f"#t={format_clock(s.start_ms)}" for s in timeline.chapters]
    lines = soup.select(".line")
    utterances = [u for s in timeline.chapters for u in s.utterances]
    assert [line.select_one(".line-text").get_text() for line in lines] == [u.written for u in utterances]
    assert [int(line["data-start-ms"]) for line in lines] == [u.start_ms for u in utterances]
    source_links = [a["href"] for a in soup.select(".sources a")]
    assert "https://news.example.com/atb-001/1?lang=ko" in source_links
    assert soup.select_one("link[rel=stylesheet]")["href"] == "../assets/site.css"
    assert soup.select_one(".show-link")["href"] == "../index.html"


def test_link_previews_use_absolute_urls_of_the_published_site(pages):
    site, _, _ = pages
    base = "https://podcast.example.com/asia-tech-brief/"
    meta = {
        tag["property"]: tag["content"] for tag in soup_of(site / "episodes" / "atb-002.html").select("meta[property]")
    }
    assert meta["og:url"] == f"{base}episodes/atb-002.html"
    assert meta["og:audio"] == f"{base}episodes/atb-002.mp3"
    assert meta["og:image"] == f"{base}cover.png"
    assert meta["og:title"] == "제2호 아시아 테크 브리프 · Asia Tech Brief"
    assert meta["og:description"].startswith("Asia Tech Brief 2호: 알리바바 클라우드 실적")
    index = {tag["property"]: tag["content"] for tag in soup_of(site / "index.html").select("meta[property]")}
    assert (index["og:url"], index["og:type"]) == (base, "website")


def test_hostile_story_text_is_escaped_and_javascript_urls_are_not_links(pages):
    site, _, _ = pages
    text = (site / "episodes" / "atb-001.html").read_text(encoding="utf-8")
    assert "<script>window.__injected" not in text
    assert str(markupsafe.escape(HOSTILE_TEXT)) in text
    assert "위험한 &lt;script&gt; 제목" in text
    soup = BeautifulSoup(text, "html.parser")
    scripts = soup.find_all("script")
    assert [s.get("src") for s in scripts] == ["../assets/site.js"]
    assert all(not a["href"].lower().startswith("javascript:") for a in soup.find_all("a", href=True))
    assert HOSTILE_TEXT in [span.get_text() for span in soup.select(".line-text")]
    assert HOSTILE_URL in [span.get_text() for span in soup.select(".source-text")]


def test_pages_parse_without_a_single_html_error(pages):
    site, written, _ = pages
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in (path for path in written if path.suffix == ".html"):
        parser.parse(page.read_text(encoding="utf-8"))  # strict: any WHATWG parse error raises


def test_no_external_requests_in_pages(pages):
    site, _, _ = pages
    for page in (site / "index.html", site / "episodes" / "atb-002.html"):
        soup = soup_of(page)
        loaded = [tag.get("src") or tag.get("href") for tag in soup.select("script, img, audio, link[rel=stylesheet]")]
        assert loaded and all(not re.match(r"^[a-z]+:|^//", url) for url in loaded), loaded
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_unsafe_slug_is_refused(show_dir):
    workspace = workspace_of(show_dir)
    with pytest.raises(BriefingError, match="slug"):
        write_pages(show_dir / "feed", workspace, [page_timeline("../escape")], feed_url="x", cover_name="c")
    assert not (show_dir / "escape.html").exists()


@pytest.mark.parametrize(
    ("ms", "clock"), [(0, "00:00"), (83_999, "01:23"), (3_599_000, "59:59"), (3_723_000, "1:02:03")]
)
def test_format_clock(ms, clock):
    assert format_clock(ms) == clock


def test_subscribe_links_for_http_feed_keep_the_plain_url_last():
    links = subscribe_links("http://192.168.0.5:8000/feed.xml")
    assert links[-1].href == "http://192.168.0.5:8000/feed.xml"
    assert links[0].href == "podcast://192.168.0.5:8000/feed.xml"


def relative_links(page: Path) -> list[str]:
    soup = soup_of(page)
    urls = [tag.get("href") or tag.get("src") for tag in soup.select("[href], [src]")]
    return [url for url in urls if not re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", url)]


def test_every_relative_link_of_a_published_site_resolves(show_dir):
    site, timeline = publish_synthetic_site(show_dir)
    pages = [site / "index.html", site / "episodes" / f"{timeline.meta.slug}.html"]
    for page in pages:
        links = relative_links(page)
        assert links, page
        missing = [url for url in links if not (page.parent / url.split("#")[0]).resolve().is_file()]
        assert missing == [], (page.name, missing)
