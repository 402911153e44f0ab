"""An episode's chapters as published, from its timeline: the JSON Chapters document (podcast:chapters) and the
Podlove Simple Chapters times (psc:chapter)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from briefing.feedspec.json_chapters import JSON_CHAPTERS_VERSION
from briefing.models import TimedChapter, Timeline, source_links
from briefing.publish.text import one_line


@dataclass(frozen=True)
class ChapterMark:
    start_ms: int
    title: str
    url: str | None


def chapter_url(chapter: TimedChapter) -> str | None:
    """The story's first http(s) source article (thumbnail credits are not chapter links)."""
    return next(iter(source_links(chapter.sources)), None)


def timeline_chapters(timeline: Timeline) -> tuple[ChapterMark, ...]:
    return tuple(
        ChapterMark(start_ms=chapter.start_ms, title=one_line(chapter.title), url=chapter_url(chapter))
        for chapter in timeline.chapters
    )


def json_chapters(timeline: Timeline, podcast_name: str) -> dict[str, Any]:
    """The JSON Chapters document for one episode (times in seconds, as the format wants)."""
    chapters = []
    for chapter in timeline_chapters(timeline):
        entry: dict[str, Any] = {"startTime": chapter.start_ms / 1000, "title": chapter.title}
        if chapter.url:
            entry["url"] = chapter.url
        chapters.append(entry)
    return {
        "version": JSON_CHAPTERS_VERSION,
        "title": one_line(timeline.meta.title),
        "podcastName": one_line(podcast_name),
        "fileName": f"{timeline.meta.slug}.mp3",
        "chapters": chapters,
    }


def json_chapters_text(timeline: Timeline, podcast_name: str) -> str:
    return json.dumps(json_chapters(timeline, podcast_name), ensure_ascii=False, indent=2) + "\n"


def normal_play_time(ms: int) -> str:
    """Podlove's Normal Play Time, HH:MM:SS.mmm."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
