"""Paragraphs → stories: a paragraph that carries source links closes the story it ends."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from briefing.ingest.formats import Paragraph
from briefing.ingest.sources import extract_sources, unique_sources
from briefing.models import Source


@dataclass(frozen=True)
class StoryText:
    """A story before it has a chapter title."""

    paragraphs: tuple[str, ...]
    sources: tuple[Source, ...]


def segment_stories(paragraphs: Iterable[Paragraph]) -> tuple[StoryText, ...]:
    """Gather paragraphs until one with sources closes the story.

    A paragraph that is nothing but a source line, right after a story closed, adds its sources to that
    story (Markdown and HTML issues often put "내용 출처: …" in a paragraph of its own). Paragraphs after the
    last closing one are a sign-off or a follow-up to it, so they join the last story; an issue without any
    sources is one story.
    """
    stories: list[StoryText] = []
    open_paragraphs: list[str] = []
    for paragraph in paragraphs:
        prose, sources = extract_sources(paragraph.pieces)
        if prose:
            open_paragraphs.append(prose)
        if not sources:
            continue
        if open_paragraphs:
            stories.append(StoryText(tuple(open_paragraphs), sources))
            open_paragraphs = []
        elif stories:
            stories[-1] = _with_sources(stories[-1], sources)
    if open_paragraphs:
        if stories:
            last = stories[-1]
            stories[-1] = StoryText((*last.paragraphs, *open_paragraphs), last.sources)
        else:
            stories.append(StoryText(tuple(open_paragraphs), ()))
    return tuple(stories)


def _with_sources(story: StoryText, sources: tuple[Source, ...]) -> StoryText:
    return StoryText(story.paragraphs, unique_sources([*story.sources, *sources]))
