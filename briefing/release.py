"""`briefing publish` and `unpublish`: the static site feed/ — the feed's files from the publish stage and the
listening pages from the pages stage — written into one staging folder and swapped in whole when complete."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing.fsutil import atomic_directory, atomic_write_bytes, leftover_patterns, remove_leftovers
from briefing.pages import write_pages
from briefing.progress import Progress, no_progress
from briefing.publish.cover import cover_for
from briefing.publish.feed import PublishedEpisode, SiteUrls, newest_first
from briefing.publish.ledger import ledger_path, read_ledger, write_ledger
from briefing.publish.staging import FEED_FILE, check_category, now_utc, plan, withdrawn, write_feed
from briefing.settings import Workspace


@dataclass(frozen=True)
class PublishResult:
    feed_path: Path
    urls: SiteUrls
    episodes: tuple[PublishedEpisode, ...]  # newest first
    withdrawn: tuple[str, ...]  # slugs left out on purpose

    @property
    def feed_url(self) -> str:
        return self.urls.feed

    def episode_url(self, slug: str) -> str:
        return self.urls.audio(slug)


def publish(
    workspace: Workspace, *, now: dt.datetime | None = None, progress: Progress = no_progress,
    withdrawing: str | None = None,
) -> PublishResult:  # fmt: skip
    """Write feed/ from every built episode (less the one `withdrawing` names); the old feed stays intact until
    the new one is complete, and the ledger records it only if it is swapped in.

    Reports the steps "episodes" (the feed's files, episode by episode) and "pages".
    """
    check_category(workspace)
    moment = now or now_utc()
    ledger_file = ledger_path(workspace.root)
    remove_leftovers(ledger_file.parent, leftover_patterns(ledger_file))  # of a publish killed while writing it
    recorded = read_ledger(ledger_file)
    ledger = withdrawn(recorded, withdrawing, moment, ledger_file) if withdrawing else recorded
    edition = plan(workspace, ledger, moment)
    cover = cover_for(workspace)
    changed = edition.updated != recorded
    with restored_on_failure(ledger_file, changed):
        with atomic_directory(workspace.feed_dir, marker=FEED_FILE) as site:
            write_feed(site, workspace, edition, cover, progress)
            progress("pages", 0, 1)
            timelines = [episode.timeline for episode, _entry in edition.listed]
            write_pages(site, workspace, timelines, feed_url=workspace.feed_url, cover_name=cover.file_name)
            progress("pages", 1, 1)
            # Recorded once everything is staged, just before the swap: a run killed between the two leaves the
            # dates the next publish then writes, the same the killed one would have.
            if changed:
                write_ledger(ledger_file, edition.updated)
    return PublishResult(
        feed_path=workspace.feed_dir / FEED_FILE,
        urls=SiteUrls(str(workspace.settings.base_url)),
        episodes=tuple(newest_first(edition.episodes)),
        withdrawn=edition.withdrawn,
    )


@contextlib.contextmanager
def restored_on_failure(ledger_file: Path, changed: bool) -> Iterator[None]:
    """Put the ledger back as it was when the publish inside fails, the swap included: it never records a feed that
    was not swapped in."""
    before = ledger_file.read_bytes() if changed and ledger_file.is_file() else None
    try:
        yield
    except BaseException:
        if changed and before is None:
            ledger_file.unlink(missing_ok=True)
        elif changed and before is not None:
            atomic_write_bytes(ledger_file, before)
        raise


def unpublish(workspace: Workspace, slug: str, *, now: dt.datetime | None = None) -> PublishResult:
    """Withdraw one episode from the feed (its built files stay): publish without it, recorded in the ledger."""
    return publish(workspace, now=now, withdrawing=slug)
