"""feed.xml: the podcast RSS 2.0 document for a show's published episodes, generated with feedgen."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from briefing import __version__
from briefing.durations import whole_seconds
from briefing.feedspec.json_chapters import JSON_CHAPTERS_TYPE
from briefing.models import Timeline
from briefing.publish.episode_chapters import normal_play_time, timeline_chapters
from briefing.publish.ext import Funding, Person, PscChapter, Season, Transcript, Txt, register_extensions
from briefing.publish.shownotes import show_notes_html
from briefing.publish.soundbite import episode_soundbite
from briefing.publish.text import one_line, xml_safe
from briefing.publish.transcripts import SRT_TYPE, VTT_TYPE
from briefing.settings import ShowSettings

PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


@dataclass(frozen=True)
class PublishedEpisode:
    """A built episode as the feed lists it."""

    timeline: Timeline
    mp3_bytes: int
    published: dt.datetime
    updated: dt.datetime


@dataclass(frozen=True)
class SiteUrls:
    """Where each published file lives, all under the show's base URL."""

    base: str

    @property
    def feed(self) -> str:
        return self.base + "feed.xml"

    def cover(self, file_name: str) -> str:
        return self.base + file_name

    def audio(self, slug: str) -> str:
        return f"{self.base}episodes/{slug}.mp3"

    def page(self, slug: str) -> str:
        return f"{self.base}episodes/{slug}.html"

    def chapters(self, slug: str) -> str:
        return f"{self.base}chapters/{slug}.json"

    def transcript(self, slug: str, extension: str) -> str:
        return f"{self.base}transcripts/{slug}.{extension}"


def podcast_guid(feed_url: str) -> str:
    """podcast:guid as the namespace defines it: UUIDv5 of the feed URL without scheme and trailing slashes."""
    parts = urlsplit(feed_url)
    bare = re.sub(r"/+$", "", parts.netloc + parts.path + (f"?{parts.query}" if parts.query else ""))
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def newest_first(episodes: list[PublishedEpisode]) -> list[PublishedEpisode]:
    return sorted(episodes, key=lambda e: (e.published, e.timeline.meta.episode, e.timeline.meta.guid), reverse=True)


def _channel(fg: FeedGenerator, settings: ShowSettings, urls: SiteUrls, cover_url: str) -> None:
    fg.title(one_line(settings.title))
    # feedgen takes the channel's RSS <link> from the last link given, so the site comes after the self link.
    fg.link(href=urls.feed, rel="self", type="application/rss+xml")
    fg.link(href=urls.base, rel="alternate")
    fg.description(xml_safe(settings.description))
    fg.language(settings.language)
    fg.generator("briefing", version=__version__)
    fg.image(url=cover_url, title=one_line(settings.title), link=urls.base)
    fg.podcast.itunes_author(one_line(settings.author))
    fg.podcast.itunes_owner(name=one_line(settings.owner.name), email=settings.owner.email)
    fg.podcast.itunes_image(cover_url)
    fg.podcast.itunes_category(
        cat=settings.category.primary, **({"sub": settings.category.sub} if settings.category.sub else {})
    )
    fg.podcast.itunes_type(settings.type)
    fg.apple.explicit(settings.explicit)
    fg.podcastindex.guid(podcast_guid(urls.feed))
    fg.podcastindex.locked(settings.podcast.locked, owner=settings.owner.email)
    for funding in settings.podcast.funding:
        fg.podcastindex.funding(Funding(str(funding.url), one_line(funding.text)))
    for txt in settings.podcast.txt:
        fg.podcastindex.txt(Txt(txt.text, txt.purpose))
    for presenter in settings.presenters:
        fg.podcastindex.person(Person(one_line(presenter.name)))


def episode_season(timeline: Timeline, settings: ShowSettings) -> Season | None:
    """The script's season, else the show's; the show's season name goes with the show's season only."""
    show = settings.podcast
    number = timeline.meta.season or show.season
    if number is None:
        return None
    return Season(number, show.season_name if number == show.season else None)


def _item(fg: FeedGenerator, episode: PublishedEpisode, urls: SiteUrls, settings: ShowSettings) -> None:
    timeline = episode.timeline
    slug = timeline.meta.slug
    notes = show_notes_html(timeline)
    entry = fg.add_entry(order="append")
    entry.title(one_line(timeline.meta.title))
    entry.link(href=urls.page(slug))
    entry.description(notes)
    entry.content(notes)
    entry.guid(timeline.meta.guid, permalink=False)
    entry.pubDate(episode.published.astimezone(settings.zone))
    entry.enclosure(urls.audio(slug), str(episode.mp3_bytes), "audio/mpeg")
    entry.podcast.itunes_duration(str(whole_seconds(timeline.duration_ms)))
    entry.podcast.itunes_episode(timeline.meta.episode)
    entry.podcast.itunes_episode_type("full")
    season = episode_season(timeline, settings)
    if season:
        entry.podcast.itunes_season(season.number)
        entry.podcastindex.season(season)
    entry.podcastindex.chapters(urls.chapters(slug), JSON_CHAPTERS_TYPE)
    entry.podcastindex.transcript(Transcript(urls.transcript(slug, "vtt"), VTT_TYPE, "ko", "captions"))
    entry.podcastindex.transcript(Transcript(urls.transcript(slug, "srt"), SRT_TYPE, "ko", "captions"))
    soundbite = episode_soundbite(timeline)
    if soundbite:
        entry.podcastindex.soundbite(soundbite)
    for presenter in timeline.presenters:  # who presented this episode (the show's presenters may change later)
        entry.podcastindex.person(Person(one_line(presenter.name)))
    entry.psc.chapters([PscChapter(normal_play_time(c.start_ms), c.title, c.url) for c in timeline_chapters(timeline)])


def feed_xml(
    settings: ShowSettings, episodes: list[PublishedEpisode], cover_file: str, last_build: dt.datetime
) -> bytes:
    """The whole feed document, newest episode first.

    `last_build` is the latest change recorded in the ledger, so publishing twice without a change writes the very
    same bytes; an edit, a new episode or a withdrawal moves it."""
    urls = SiteUrls(str(settings.base_url))
    fg = FeedGenerator()
    register_extensions(fg)
    _channel(fg, settings, urls, urls.cover(cover_file))
    for episode in newest_first(episodes):
        _item(fg, episode, urls, settings)
    fg.lastBuildDate(last_build.astimezone(settings.zone))
    return fg.rss_str(pretty=True, xml_declaration=True, encoding="UTF-8")
