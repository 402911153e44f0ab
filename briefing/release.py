"""`briefing publish` and `unpublish`: the static site feed/ — the feed's files from the publish stage and the
listening pages from the pages stage — written into one staging folder and swapped in whole when complete."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.fsutil import atomic_directory
from briefing.pages import write_pages
from briefing.progress import Progress, no_progress
from briefing.publish.cover import cover_for
from briefing.publish.feed import PublishedEpisode, SiteUrls, newest_first
from briefing.publish.ledger import ledger_path, pending_ledger, read_ledger, settle_pending_ledger, write_ledger
from briefing.publish.staging import FEED_FILE, check_category, now_utc, plan, restored, withdrawn, write_feed
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
    withdrawing: str | None = None,
) -> PublishResult:
    """Write feed/ from every built episode (less the one `withdrawing` names); the old feed stays intact until
    the new one is complete, and the ledger records it only if it is swapped in.

    `restore` names withdrawn episodes (by slug) to list again. Reports the steps "episodes" (the feed's files,
    episode by episode) and "pages".
    """
    check_category(workspace)
    moment = now or now_utc()
    ledger_file = ledger_path(workspace.root)
    settle_pending_ledger(ledger_file, workspace.feed_dir, FEED_FILE)  # what a publish killed at its swap left
    recorded = read_ledger(ledger_file)
    ledger = restored(workspace, recorded, restore, moment)
    ledger = withdrawn(ledger, withdrawing, moment, ledger_file) if withdrawing else ledger
    edition = plan(workspace, ledger, moment)
    cover = cover_for(workspace)
    changed = edition.updated != recorded
    with contextlib.ExitStack() as recording:
        with atomic_directory(workspace.feed_dir, marker=FEED_FILE) as site:
            write_feed(site, workspace, edition, cover, progress)
            progress("pages", 0, 1)
            timelines = [episode.timeline for episode, _entry in edition.listed]
            write_pages(site, workspace, timelines, feed_url=workspace.feed_url, cover_name=cover.file_name)
            progress("pages", 1, 1)
            if changed:  # waits beside the ledger until the swap is done: recorded only with the site it describes
                recording.enter_context(pending_ledger(ledger_file, edition.updated, site, FEED_FILE))
        if changed:
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
    """Withdraw one episode from the feed (its built files stay): publish without it, recorded in the ledger."""
    return publish(workspace, now=now, withdrawing=slug)
