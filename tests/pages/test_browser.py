"""The listening pages in real headless Chromium (Debian's), served by `briefing serve` over loopback."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support.requirements import REPO, require
from support.serving import fresh_show, serving
from support.sites import HOSTILE_TEXT, publish_synthetic_site

from briefing.models import Timeline
from briefing.pages import format_clock
from briefing.release import publish
from briefing.settings import find_workspace
from briefing.timeline import read_timeline

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
REPO_OUTPUT = REPO / "test-output"


@dataclass(frozen=True)
class Listening:
    base_url: str
    timeline: Timeline

    @property
    def episode_url(self) -> str:
        return f"{self.base_url}episodes/{self.timeline.meta.slug}.html"


@dataclass
class PageLog:
    """What a page said and asked for: console errors, uncaught exceptions, every request URL."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
            env="BRIEFING_REQUIRE_BROWSER")  # fmt: skip
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def listening(tmp_path_factory, built_episode) -> Iterator[Listening]:
    """A ten-story episode (the project's own issue, then the seed, built with espeak), published by
    `briefing publish` and served."""
    built_root, slug = built_episode
    show_root = fresh_show(tmp_path_factory.mktemp("listening") / "show")
    episodes = find_workspace(show_root).episodes_dir
    episodes.mkdir(parents=True)
    for suffix in (".json", ".mp3"):
        shutil.copy(built_root / "audio" / "episodes" / f"{slug}{suffix}", episodes)
    publish(find_workspace(show_root))
    with serving(show_root) as served:
        yield Listening(served.base_url, read_timeline(episodes / f"{slug}.json"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Iterator[Listening]:
    """A synthetic episode whose story text carries a <script> tag and a long unspaced run."""
    show_root = fresh_show(tmp_path_factory.mktemp("hostile") / "show")
    _, timeline = publish_synthetic_site(show_root)
    with serving(show_root) as served:
        yield Listening(served.base_url, timeline)


def open_page(browser, url: str, viewport: dict, log: PageLog):
    context = browser.new_context(viewport=viewport, locale="ko-KR")
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and log.errors.append(message.text))
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    page.on("request", lambda request: log.requests.append(request.url))
    page.goto(url, wait_until="load")
    return page


# Every wait_for_function predicate is written as a function: Playwright evaluates a function's text once, inside
# its own call, but a plain expression again on each later poll, where the pages' CSP (no 'unsafe-eval') refuses
# it — so an expression that is not already true at the first look fails the test.


@pytest.fixture
def episode_page(browser, listening):
    log = PageLog()
    page = open_page(browser, listening.episode_url, DESKTOP, log)
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    yield page, log
    page.context.close()


def current_time(page) -> float:
    return page.evaluate("document.getElementById('player').currentTime")


def seek(page, seconds: float) -> None:
    page.evaluate(
        """seconds => new Promise(resolve => {
            const audio = document.getElementById('player');
            audio.addEventListener('seeked', resolve, { once: true });
            audio.currentTime = seconds;
        })""",
        seconds,
    )


def save_screenshot(page, tmp_path: Path, name: str, listening: Listening) -> Path:
    """The screenshot, also kept in test-output/ under the episode's slug (each ten-story episode has its own)."""
    path = tmp_path / f"{listening.timeline.meta.slug}-{name}.png"
    page.screenshot(path=str(path), full_page=False)
    REPO_OUTPUT.mkdir(exist_ok=True)
    shutil.copy(path, REPO_OUTPUT / path.name)
    return path


def test_episode_page_loads_cleanly_and_only_from_this_server(episode_page, listening):
    page, log = episode_page
    assert log.errors == []
    assert log.requests and all(url.startswith(listening.base_url) for url in log.requests), log.requests
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.evaluate("document.getElementById('player').duration") == pytest.approx(
        listening.timeline.duration_ms / 1000, abs=0.5
    )


def test_clicking_the_third_chapter_seeks_to_its_start(episode_page, listening):
    page, log = episode_page
    third = listening.timeline.chapters[2]
    page.locator(".chapter").nth(2).click()
    page.wait_for_function(
        "start => Math.abs(document.getElementById('player').currentTime - start) < 0.5", arg=third.start_ms / 1000
    )
    assert current_time(page) == pytest.approx(third.start_ms / 1000, abs=0.5)
    assert page.locator(".chapter[aria-current]").count() == 1
    assert page.locator(".chapter").nth(2).get_attribute("aria-current") == "true"
    assert page.url.endswith(f"#t={format_clock(third.start_ms)}")
    assert log.errors == []


def test_seeking_into_a_sentence_highlights_that_line(episode_page, listening):
    page, _ = episode_page
    chapter = listening.timeline.chapters[3]
    utterance = chapter.utterances[1]
    seek(page, (utterance.start_ms + utterance.end_ms) / 2000)
    current = page.locator(".line[aria-current]")
    assert current.count() == 1
    assert current.locator(".line-text").inner_text() == utterance.written
    assert page.locator(".chapter[aria-current] .chapter-title").inner_text() == chapter.title


def test_clicking_a_line_seeks_to_it_and_playing_keeps_it_marked(episode_page, listening):
    page, log = episode_page
    utterance = listening.timeline.chapters[1].utterances[2]
    line = page.locator(f".line[data-start-ms='{utterance.start_ms}']")
    line.locator(".line-text").click()
    page.wait_for_function(
        "start => Math.abs(document.getElementById('player').currentTime - start) < 0.5", arg=utterance.start_ms / 1000
    )
    assert line.get_attribute("aria-current") == "true"
    assert log.errors == []


def test_keyboard_reaches_a_chapter_and_enter_seeks(episode_page, listening):
    page, _ = episode_page
    fourth = listening.timeline.chapters[3]
    page.locator(".chapter").nth(3).focus()
    assert page.evaluate("document.activeElement.classList.contains('chapter')")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "start => Math.abs(document.getElementById('player').currentTime - start) < 0.5", arg=fourth.start_ms / 1000
    )


def test_playing_keeps_the_current_line_in_view(browser, listening):
    log = PageLog()
    page = open_page(browser, listening.episode_url, PHONE, log)
    try:
        page.wait_for_function("() => document.getElementById('player').readyState >= 1")
        last = listening.timeline.chapters[-1].utterances[0]
        line = page.locator(f".line[data-start-ms='{last.start_ms}']")
        assert not in_view(line, PHONE)
        # Muted playback may start without a user gesture; the line changes half a second in.
        page.evaluate(
            """start => { const audio = document.getElementById('player');
                          audio.muted = true; audio.currentTime = start - 0.5; return audio.play(); }""",
            last.start_ms / 1000,
        )
        page.wait_for_function("line => line.getAttribute('aria-current') === 'true'", arg=line.element_handle())
        page.wait_for_function(
            "line => { const box = line.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; }",
            arg=line.element_handle(),
        )
        assert in_view(line, PHONE)
        assert log.errors == []
    finally:
        page.context.close()


def in_view(locator, viewport: dict) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


@pytest.mark.parametrize(("fragment", "seconds"), [("#t=00:12", 12), ("#t=20", 20), ("#t=0:00:16", 16)])
def test_time_in_the_url_starts_there(browser, listening, fragment, seconds):
    log = PageLog()
    page = open_page(browser, listening.episode_url + fragment, PHONE, log)
    try:
        page.wait_for_function(
            "start => Math.abs(document.getElementById('player').currentTime - start) < 0.5", arg=seconds
        )
        assert log.errors == []
    finally:
        page.context.close()


def test_link_to_this_moment_is_copied(episode_page, listening):
    page, log = episode_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=listening.base_url.rstrip("/"))
    seek(page, 75.4)
    page.bring_to_front()  # the clipboard answers only a focused document
    page.get_by_role("button", name="지금 위치 링크 복사").click()
    page.wait_for_function("() => document.getElementById('moment-status').textContent.length > 0")
    assert page.locator("#moment-status").inner_text() == "01:15 위치의 링크를 복사했습니다."
    assert page.evaluate("navigator.clipboard.readText()") == listening.episode_url + "#t=01:15"
    assert log.errors == []


def test_feed_url_copy_works_where_the_clipboard_api_is_missing(browser, listening):
    """As on a LAN address under `briefing serve`: not a secure context, so no navigator.clipboard."""
    log = PageLog()
    context = browser.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=listening.base_url.rstrip("/"))
    context.add_init_script("Object.defineProperty(window, 'isSecureContext', { value: false })")
    page = context.new_page()
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    try:
        page.goto(listening.base_url, wait_until="load")
        page.bring_to_front()
        page.get_by_role("button", name="주소 복사").click()
        page.wait_for_function("() => document.getElementById('feed-copy-status').textContent.length > 0")
        assert page.locator("#feed-copy-status").inner_text().startswith("주소를 복사했습니다")
        assert page.evaluate("navigator.clipboard.readText()") == f"{listening.base_url}feed.xml"
        assert log.errors == []
    finally:
        context.close()


def test_story_text_with_a_script_tag_shows_as_text_and_never_runs(browser, hostile):
    log = PageLog()
    page = open_page(browser, hostile.episode_url, PHONE, log)
    try:
        assert page.evaluate("window.__injected") is None
        assert page.get_by_text(HOSTILE_TEXT, exact=True).count() == 1
        assert page.locator("script").count() == 1
        # A long run with no break opportunity under keep-all wraps instead of widening the page.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert log.errors == []
    finally:
        page.context.close()


def test_index_page_copy_button_and_episode_link(browser, listening, tmp_path):
    log = PageLog()
    page = open_page(browser, listening.base_url, PHONE, log)
    try:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=listening.base_url.rstrip("/"))
        page.bring_to_front()  # the clipboard answers only a focused document
        feed_url = page.locator("#feed-url").input_value()
        assert feed_url == f"{listening.base_url}feed.xml"
        page.get_by_role("button", name="주소 복사").click()
        page.wait_for_function("() => document.querySelector('.copy-status').textContent.length > 0")
        assert page.evaluate("navigator.clipboard.readText()") == feed_url
        save_screenshot(page, tmp_path, "index-phone", listening)
        page.locator(".episode-list a").first.click()
        page.wait_for_url(re.compile(r"/episodes/.+\.html$"))
        assert log.errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_at_phone_and_desktop_width(browser, listening, tmp_path, name, viewport):
    log = PageLog()
    page = open_page(browser, listening.episode_url, viewport, log)
    try:
        page.wait_for_function("() => document.getElementById('player').readyState >= 1")
        save_screenshot(page, tmp_path, f"episode-{name}-top", listening)
        chapter = listening.timeline.chapters[2]
        page.locator(".chapter").nth(2).click()
        page.evaluate("document.getElementById('player').pause()")
        seek(page, (chapter.utterances[1].start_ms + 300) / 1000)
        page.locator(".line[aria-current]").scroll_into_view_if_needed()
        shot = save_screenshot(page, tmp_path, f"episode-{name}", listening)
        assert shot.stat().st_size > 10_000
        # Nothing overflows sideways on a phone: the page is exactly as wide as the viewport.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        index_log = PageLog()
        index = open_page(browser, listening.base_url, viewport, index_log)
        save_screenshot(index, tmp_path, f"index-{name}", listening)
        index.context.close()
        assert log.errors == [] and index_log.errors == []
    finally:
        page.context.close()
