"""Reading a feed's elements as every family of rules does: trimmed text, names in the iTunes and podcast
namespaces, an episode's label for messages, required children, absolute URLs and durations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import etree

from briefing.feedspec.namespaces import ITUNES_NS, PODCAST_NS

# itunes:duration: whole seconds, or [HH:]MM:SS.
DURATION = re.compile(r"\d+|(?:\d+:)?[0-5]?\d:[0-5]\d")


def text_of(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def itunes(name: str) -> str:
    return f"{{{ITUNES_NS}}}{name}"


def podcast(name: str) -> str:
    return f"{{{PODCAST_NS}}}{name}"


def item_label(item: etree._Element) -> str:
    title = text_of(item.find("title"))
    return f"episode '{title}'" if title else "an episode"


def present(element: etree._Element | None) -> bool:
    """There, and saying something: text, attributes (itunes:image) or children (itunes:owner)."""
    return element is not None and bool(text_of(element) or element.attrib or len(element))


def missing(parent: etree._Element, tags: dict[str, str]) -> Iterator[str]:
    for tag, name in tags.items():
        if not present(parent.find(tag)):
            yield name


def is_absolute_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def duration_seconds(text: str) -> float | None:
    if not DURATION.fullmatch(text):
        return None
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def item_duration(item: etree._Element) -> float | None:
    return duration_seconds(text_of(item.find(itunes("duration"))))
