"""`briefing publish` and `unpublish`: the static site feed/ — the feed's files from the publish stage and the
listening pages from the pages stage — written into one staging folder and swapped in whole when complete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.fsutil import atomic_directory
from briefing.pages import write_pages
from briefing.progress import Progress, no_progress
from briefing.publish.cover import cover_for
from briefing.publish.feed import PublishedEpisode, SiteUrls, newest_first
from briefing.publish.ledger import ledger_path, read_ledger, write_ledger
from briefing.publish.staging import FEED_FILE, check_category, now_utc, plan, restored, withdraw, write_feed
from briefing.settings import Workspace


@dataclass(frozen=True)
class PublishResult:
    feed_path: Path
    urls: SiteUrls
    episodes: tuple[PublishedEpisode, ...]  # newest first
    withdrawn: tuple[str, ...]  # slugs left out on purpose
    restored: tuple[str, ...] = ()  # withdrawn slugs this publish listed again

    @property
    def feed_url(self) -> str:
        return self.urls.feed

    def episode_url(self, slug: str) -> str:
        return self.urls.audio(slug)


def publish(
    workspace: Workspace,
    *,
    now: dt.datetime | None = None,
    progress: Progress = no_progress,
    restore: Sequence[str] = (),
) -> PublishResult:
    """Write feed/ from every built episode; the old feed stays intact until the new one is complete.

    `restore` names withdrawn episodes (by slug) to list again. Reports the steps "episodes" (the feed's files,
    episode by episode) and "pages".
    """
    check_category(workspace)
    moment = now or now_utc()
    ledger_file = ledger_path(workspace.root)
    recorded = read_ledger(ledger_file)
    edition = plan(workspace, restored(workspace, recorded, restore, moment), moment)
    cover = cover_for(workspace)
    with atomic_directory(workspace.feed_dir) as site:
        write_feed(site, workspace, edition, cover, progress)
        progress("pages", 0, 1)
        timelines = [episode.timeline for episode, _entry in edition.listed]
        write_pages(site, workspace, timelines, feed_url=workspace.feed_url, cover_name=cover.file_name)
        progress("pages", 1, 1)
        # Recorded only once everything is staged: a failed publish leaves both the feed and the ledger as they were.
        if edition.updated != recorded:
            write_ledger(ledger_file, edition.updated)
    return PublishResult(
        feed_path=workspace.feed_dir / FEED_FILE,
        urls=SiteUrls(str(workspace.settings.base_url)),
        episodes=tuple(newest_first(edition.episodes)),
        withdrawn=edition.withdrawn,
        restored=tuple(
            sorted({entry.slug for entry in recorded.values() if entry.withdrawn and entry.slug in restore})
        ),
    )


def unpublish(workspace: Workspace, slug: str, *, now: dt.datetime | None = None) -> PublishResult:
    """Withdraw one episode from the feed (its built files stay), then publish again."""
    moment = now or now_utc()
    withdraw(workspace, slug, moment)
    return publish(workspace, now=moment)
