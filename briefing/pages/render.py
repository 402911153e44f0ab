"""The listening pages: the show's index and one page per episode, rendered from timelines with Jinja2.

Every link inside the site is relative, so the pages work on any static host, from disk and under `briefing serve`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jinja2

from briefing.durations import korean_length, whole_seconds
from briefing.errors import BriefingError
from briefing.fsutil import SAFE_FILE_NAME, atomic_write_bytes, atomic_write_text
from briefing.models import Source, TimedChapter, Timeline
from briefing.pages.subscribe import SubscribeLink, subscribe_links
from briefing.settings import ShowSettings, Workspace

ASSET_NAMES = ("site.css", "site.js")
LINKABLE_SCHEMES = frozenset({"http", "https"})
# A slug becomes a file name in the site: no folders, no dot-files, nothing a shell or URL would mangle.


@dataclass(frozen=True)
class SourceView:
    url: str
    label: str  # what the reader sees: host and path, without the scheme
    linkable: bool  # only http(s) becomes a link; anything else (javascript:, data:) is shown as text
    thumbnail: bool


@dataclass(frozen=True)
class LineView:
    start_ms: int
    end_ms: int
    clock: str
    text: str
    speaker: str | None = None  # who says it, on the first line they say after someone else (None: unnamed)


@dataclass(frozen=True)
class ChapterView:
    number: int  # 1-based, as listeners count
    kind: str
    title: str
    start_ms: int
    clock: str
    lines: tuple[LineView, ...]
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class EpisodeView:
    slug: str
    number: int
    title: str
    date: dt.date
    date_text: str
    duration_text: str
    duration_iso: str
    chapters: tuple[ChapterView, ...]

    @property
    def story_titles(self) -> tuple[str, ...]:
        return tuple(chapter.title for chapter in self.chapters if chapter.kind == "story")


@dataclass(frozen=True)
class ShowView:
    title: str
    description: str
    author: str
    feed_url: str
    cover_name: str
    subscribe: tuple[SubscribeLink, ...]

    @property
    def site_url(self) -> str:
        """The site's own absolute address, the folder the feed is in: for link previews."""
        return urljoin(self.feed_url, ".")


def format_clock(ms: int) -> str:
    """`83000` → `01:23`; an hour or more → `1:02:03`. The same form `#t=` accepts."""
    total = max(ms, 0) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def format_duration_korean(ms: int) -> str:
    """`754000` → `12분 34초`, as a Korean listener reads a length (whole seconds, as the player counts them)."""
    return korean_length(ms)


def format_duration_iso(ms: int) -> str:
    """The `datetime` attribute form of a length: `PT12M34S`."""
    minutes, seconds = divmod(whole_seconds(ms), 60)
    return f"PT{minutes}M{seconds}S"


def format_date_korean(date: dt.date) -> str:
    return f"{date.year}년 {date.month}월 {date.day}일"


def source_view(source: Source) -> SourceView:
    parts = urlsplit(source.url.strip())
    linkable = parts.scheme.lower() in LINKABLE_SCHEMES and bool(parts.netloc)
    label = source.url.strip()
    if linkable:
        label = (parts.netloc + parts.path).rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return SourceView(url=source.url.strip(), label=label, linkable=linkable, thumbnail=source.kind == "thumbnail")


def chapter_view(chapter: TimedChapter, number: int) -> ChapterView:
    previous = [None, *(u.speaker for u in chapter.utterances)]
    lines = tuple(
        LineView(
            start_ms=u.start_ms,
            end_ms=u.end_ms,
            clock=format_clock(u.start_ms),
            text=u.written,
            speaker=u.speaker if u.speaker != before else None,
        )
        for u, before in zip(chapter.utterances, previous, strict=False)
    )
    return ChapterView(
        number=number,
        kind=chapter.kind,
        title=chapter.title,
        start_ms=chapter.start_ms,
        clock=format_clock(chapter.start_ms),
        lines=lines,
        sources=tuple(source_view(s) for s in chapter.sources),
    )


def checked_slug(slug: str) -> str:
    if not SAFE_FILE_NAME.fullmatch(slug):
        raise BriefingError(f"episode slug {slug!r} cannot be a page name (use letters, digits, '-', '_' and '.')")
    return slug


def episode_view(timeline: Timeline) -> EpisodeView:
    meta = timeline.meta
    return EpisodeView(
        slug=checked_slug(meta.slug),
        number=meta.episode,
        title=meta.title,
        date=meta.date,
        date_text=format_date_korean(meta.date),
        duration_text=format_duration_korean(timeline.duration_ms),
        duration_iso=format_duration_iso(timeline.duration_ms),
        chapters=tuple(chapter_view(s, n) for n, s in enumerate(timeline.chapters, start=1)),
    )


def newest_first(episodes: Sequence[EpisodeView]) -> list[EpisodeView]:
    return sorted(episodes, key=lambda e: (e.date, e.number, e.slug), reverse=True)


def show_view(settings: ShowSettings, *, feed_url: str, cover_name: str) -> ShowView:
    return ShowView(
        title=settings.title,
        description=settings.description,
        author=settings.author,
        feed_url=feed_url,
        cover_name=cover_name,
        subscribe=subscribe_links(feed_url),
    )


@functools.cache
def page_environment() -> jinja2.Environment:
    # Autoescaping everywhere: every text on these pages comes from a newsletter or a producer.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("briefing.pages", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_index(show: ShowView, episodes: Sequence[EpisodeView]) -> str:
    template = page_environment().get_template("index.html.j2")
    return template.render(show=show, episodes=newest_first(episodes), root="")


def render_episode(show: ShowView, episode: EpisodeView) -> str:
    template = page_environment().get_template("episode.html.j2")
    return template.render(show=show, episode=episode, root="../")


def asset_bytes(name: str) -> bytes:
    return resources.files("briefing.pages").joinpath("assets", name).read_bytes()


def write_pages(
    site_dir: Path,
    workspace: Workspace,
    timelines: Sequence[Timeline],
    *,
    feed_url: str,
    cover_name: str,
) -> list[Path]:
    """Write index.html, episodes/<slug>.html and assets/ into `site_dir`; return the paths written.

    `feed_url` is the URL shown to subscribe (normally `workspace.feed_url`); `cover_name` is the cover
    image's path relative to `site_dir`.
    """
    show = show_view(workspace.settings, feed_url=feed_url, cover_name=cover_name)
    episodes = [episode_view(t) for t in timelines]
    written: list[Path] = []
    for name in ASSET_NAMES:
        path = site_dir / "assets" / name
        atomic_write_bytes(path, asset_bytes(name))
        written.append(path)
    for episode in episodes:
        path = site_dir / "episodes" / f"{episode.slug}.html"
        atomic_write_text(path, render_episode(show, episode))
        written.append(path)
    index = site_dir / "index.html"
    atomic_write_text(index, render_index(show, episodes))
    written.append(index)
    return written
