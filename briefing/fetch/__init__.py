"""`briefing fetch`: a newsletter's new issues, from its RSS or Atom feed into issues/ as received.

Each new item's full HTML content is saved in a small page of its own (its title as <h1>, its publication time and
link as meta data), named by date and number (`issues/2026-12-07-42.html`). A second fetch asks conditionally
(ETag, Last-Modified) and saves nothing it has seen (the fetch ledger); an item that changed since it was saved is
reported, never saved over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path

from briefing.errors import BriefingError
from briefing.fetch.feeds import FeedItem, NewsletterFeed, parse_feed
from briefing.fetch.http import get
from briefing.fetch.ledger import (
    FeedState,
    FetchedItem,
    FetchLedger,
    fetch_ledger_path,
    read_fetch_ledger,
    write_fetch_ledger,
)
from briefing.fsutil import atomic_write_text
from briefing.settings import SHOW_FILE, Workspace

_NUMBER = re.compile(
    r"(?:#|\bNo\.?\s*|\bVol\.?\s*|\bIssue\s+|제\s*)(?P<a>\d{1,6})"
    r"|(?P<b>\d{1,6})\s*(?:호|회|번째)"
    r"|^\s*(?:\[[^\]]*\]\s*)?(?P<c>\d{1,6})\s*[.:)]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ChangedIssue:
    file: str
    title: str


@dataclass(frozen=True)
class FetchResult:
    feed_url: str
    not_modified: bool  # the server said 304: nothing was read
    saved: tuple[Path, ...]
    known: int  # items already fetched, unchanged
    changed: tuple[ChangedIssue, ...]  # fetched before, different now: reported, not saved
    empty: tuple[str, ...]  # one sentence per item without content


def fetch_issues(workspace: Workspace, url: str | None = None, *, now: dt.datetime | None = None) -> FetchResult:
    """Save every issue of the newsletter's feed not seen before into issues/; see the module's docstring."""
    feed_url = url or (str(workspace.settings.source.feed) if workspace.settings.source.feed else None)
    if not feed_url:
        raise BriefingError(
            "no newsletter feed to fetch: give its address, or set [source] feed in show.toml",
            workspace.root / SHOW_FILE,
        )
    moment = now or dt.datetime.now(dt.UTC)
    ledger_file = fetch_ledger_path(workspace.root)
    ledger = read_fetch_ledger(ledger_file)
    state = ledger.feeds.get(feed_url, FeedState())
    answer = get(feed_url, etag=state.etag, last_modified=state.last_modified)
    if answer.status == 304:
        return FetchResult(feed_url, True, (), 0, (), ())
    feed = parse_feed(answer.body, feed_url)
    result = _take_new_items(workspace, feed, feed_url, ledger, moment)
    ledger.feeds[feed_url] = FeedState(etag=answer.etag, last_modified=answer.last_modified)
    write_fetch_ledger(ledger_file, ledger)  # after the issues: a failed fetch is simply fetched again
    return result


def _take_new_items(
    workspace: Workspace, feed: NewsletterFeed, feed_url: str, ledger: FetchLedger, now: dt.datetime
) -> FetchResult:
    saved: list[Path] = []
    changed: list[ChangedIssue] = []
    empty: list[str] = []
    known = 0
    for item in feed.items:
        if not _has_text(item.html):
            empty.append(f"{feed_url}: the item '{item.title or item.id}' has no content to make an episode from")
            continue
        digest = hashlib.sha256(item.html.encode("utf-8")).hexdigest()
        seen = ledger.items.get(item.id)
        if seen is None:
            path = issue_path(workspace, item)
            atomic_write_text(path, issue_page(item, feed.title, workspace.settings.zone))
            saved.append(path)
            ledger.items[item.id] = FetchedItem(
                file=path.relative_to(workspace.root).as_posix(),
                sha256=digest,
                title=item.title,
                published=item.published.isoformat() if item.published else None,
                fetched=now.isoformat(timespec="seconds"),
            )
        elif digest not in (seen.sha256, seen.changed):
            changed.append(ChangedIssue(seen.file, item.title))
            ledger.items[item.id] = replace(seen, changed=digest)
        else:
            known += 1
    return FetchResult(feed_url, False, tuple(saved), known, tuple(changed), tuple(empty))


def _has_text(content: str) -> bool:
    return bool(re.sub(r"<[^>]*>|&nbsp;|\s", "", content))


def issue_number(title: str) -> int | None:
    """The issue number a title gives (#42, No. 42, Vol. 42, 제42호, 42호, "[Show] 42. …"), if it gives one."""
    match = _NUMBER.search(title)
    if not match:
        return None
    return int(match["a"] or match["b"] or match["c"])


def issue_path(workspace: Workspace, item: FeedItem) -> Path:
    """issues/<date>-<number>.html (the date on the show's clock; "-issue" when the title gives no number), with a
    -2, -3, ... when two items would share a name."""
    zone = workspace.settings.zone
    day = (item.published or dt.datetime.now(dt.UTC)).astimezone(zone).date()
    number = issue_number(item.title)
    stem = f"{day.isoformat()}-{number}" if number is not None else f"{day.isoformat()}-issue"
    path = workspace.issues_dir / f"{stem}.html"
    copy = 2
    while path.exists():
        path = workspace.issues_dir / f"{stem}-{copy}.html"
        copy += 1
    return path


def issue_page(item: FeedItem, newsletter: str, zone: zoneinfo.ZoneInfo) -> str:
    """The item as a web page of its own: the content exactly as received, under its title, with its publication
    time (on the show's clock, so its date is the show's), link and newsletter name where a reader of web pages
    finds them."""
    meta = ['<meta charset="utf-8">', f"<title>{html.escape(item.title)}</title>"]
    if newsletter:
        meta.append(f'<meta property="og:site_name" content="{html.escape(newsletter)}">')
    if item.published:
        published = item.published.astimezone(zone).isoformat()
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if item.link:
        meta.append(f'<link rel="canonical" href="{html.escape(item.link)}">')
    meta.append(f'<meta name="briefing:item" content="{html.escape(item.id)}">')
    head = "\n".join(meta)
    return (
        f'<!doctype html>\n<html lang="ko">\n<head>\n{head}\n</head>\n<body>\n<article>\n'
        f"<h1>{html.escape(item.title)}</h1>\n{item.html}\n</article>\n</body>\n</html>\n"
    )


__all__ = ["FetchResult", "fetch_issues", "issue_number"]
