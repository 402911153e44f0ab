"""A newsletter's RSS or Atom feed → its items (id, title, link, publication time, the full HTML content), read by
feedparser after defusedxml has checked that the document declares no entities."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from briefing.errors import BriefingError


@dataclass(frozen=True)
class FeedItem:
    id: str  # the item's guid / Atom id; else its link; else a hash of its title and date
    title: str
    link: str | None
    published: dt.datetime | None  # in UTC
    html: str  # the item's full content as the feed sends it ("" when it has none)


@dataclass(frozen=True)
class NewsletterFeed:
    title: str
    items: tuple[FeedItem, ...]  # oldest first


def parse_feed(data: bytes, url: str) -> NewsletterFeed:
    """The feed's items; a BriefingError naming `url` for anything that is not an RSS or Atom feed."""
    _refuse_entities(data, url)
    parsed = feedparser.parse(data, sanitize_html=False, response_headers={"content-location": url})
    if not parsed.get("version"):
        raise BriefingError(f"{url}: {_what_it_is(data)}, not an RSS or Atom feed; give the newsletter's feed address")
    items = [_item(entry) for entry in parsed.entries]
    items.sort(key=lambda item: item.published or dt.datetime.min.replace(tzinfo=dt.UTC))
    return NewsletterFeed(title=str(parsed.feed.get("title", "")).strip(), items=tuple(items))


def _refuse_entities(data: bytes, url: str) -> None:
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise BriefingError(f"{url}: the feed declares XML entities, which are refused (never expanded)") from None
    except Exception:  # noqa: BLE001 - not well-formed: feedparser's own reading says what it is
        return


def _what_it_is(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if not head:
        return "the answer is empty"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "the address gives a web page"
    if head.startswith((b"{", b"[")):
        return "the address gives JSON"
    return "the answer is neither RSS nor Atom"


def _item(entry: Any) -> FeedItem:
    title = str(entry.get("title", "")).strip()
    published = _moment(entry.get("published_parsed") or entry.get("updated_parsed"))
    link = entry.get("link") or None
    item_id = str(entry.get("id") or link or "").strip() or _hash_id(title, published)
    return FeedItem(id=item_id, title=title, link=link, published=published, html=_content(entry))


def _content(entry: Any) -> str:
    """The fullest HTML the item carries: content:encoded / Atom content, else its description / summary."""
    contents = [part.get("value", "") for part in entry.get("content", []) if part.get("value", "").strip()]
    if contents:
        return max(contents, key=len)
    return str(entry.get("summary", "") or "")


def _moment(parsed: Any) -> dt.datetime | None:
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC)


def _hash_id(title: str, published: dt.datetime | None) -> str:
    text = f"{title}\n{published.isoformat() if published else ''}"
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
