"""`briefing publish`: the static site feed/ built from every built episode, swapped in whole when complete."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from briefing.errors import BriefingError
from briefing.feedspec.categories import category_problem
from briefing.fsutil import SAFE_FILE_NAME, atomic_directory
from briefing.models import Timeline
from briefing.pages import write_pages
from briefing.publish.cover import Cover, cover_for
from briefing.publish.episode_chapters import json_chapters_text
from briefing.publish.feed import PublishedEpisode, SiteUrls, feed_xml, newest_first
from briefing.publish.ledger import Entry, Ledger, ledger_path, read_ledger, record, write_ledger
from briefing.publish.transcripts import subrip, webvtt
from briefing.settings import SHOW_FILE, Workspace
from briefing.timeline import read_timeline

FEED_FILE = "feed.xml"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuiltEpisode:
    timeline: Timeline
    timeline_path: Path
    mp3_path: Path


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


def built_episodes(episodes_dir: Path) -> list[BuiltEpisode]:
    """Every episode under audio/episodes/ with both its timeline and its MP3."""
    found: dict[str, BuiltEpisode] = {}
    for timeline_path in sorted(episodes_dir.glob("*.json")):
        if timeline_path.name.startswith("."):
            continue
        timeline = read_timeline(timeline_path)
        slug = timeline.meta.slug
        if not SAFE_FILE_NAME.fullmatch(slug):
            raise BriefingError(f"slug '{slug}' is not a plain ASCII file name (letters, digits, . _ -)", timeline_path)
        mp3_path = timeline_path.with_suffix(".mp3")
        if not mp3_path.is_file():
            raise BriefingError("the episode's MP3 is missing; rebuild the episode", mp3_path)
        guid = timeline.meta.guid
        if guid in found:
            raise BriefingError(f"GUID {guid} is also used by {found[guid].timeline_path.name}", timeline_path)
        found[guid] = BuiltEpisode(timeline, timeline_path, mp3_path)
    return list(found.values())


def fingerprint(episode: BuiltEpisode) -> str:
    digest = hashlib.sha256()
    for path in (episode.timeline_path, episode.mp3_path):
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _check_published_still_built(ledger: Ledger, built: list[BuiltEpisode], workspace: Workspace) -> None:
    built_guids = {episode.timeline.meta.guid for episode in built}
    for guid, entry in ledger.items():
        if not entry.withdrawn and guid not in built_guids:
            raise BriefingError(
                f"episode '{entry.slug}' is published but no longer built; rebuild it, "
                f"or remove it from the feed with 'briefing unpublish {entry.slug}'",
                workspace.episodes_dir / f"{entry.slug}.json",
            )


def plan(workspace: Workspace, ledger: Ledger, now: dt.datetime) -> tuple[Ledger, list[tuple[BuiltEpisode, Entry]]]:
    """The ledger after this publish and the episodes to list, each with its ledger entry."""
    built = built_episodes(workspace.episodes_dir)
    _check_published_still_built(ledger, built, workspace)
    updated: Ledger = dict(ledger)
    listed = []
    for episode in built:
        guid = episode.timeline.meta.guid
        if guid in ledger and ledger[guid].withdrawn:
            continue
        entry = record(ledger, guid, episode.timeline.meta.slug, fingerprint(episode), now)
        updated[guid] = entry
        listed.append((episode, entry))
    return updated, listed


def link_or_copy(source: Path, target: Path) -> None:
    # A hard link costs nothing; a later rebuild replaces the source by rename, so the published copy stays intact.
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def staged_write(path: Path, data: bytes | str) -> None:
    """A plain write into the staging folder: the folder as a whole is swapped in atomically, so each file
    needs no temporary name of its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def write_episode_files(site: Path, episode: BuiltEpisode, show_title: str) -> None:
    slug = episode.timeline.meta.slug
    link_or_copy(episode.mp3_path, site / "episodes" / f"{slug}.mp3")
    staged_write(site / "chapters" / f"{slug}.json", json_chapters_text(episode.timeline, show_title))
    staged_write(site / "transcripts" / f"{slug}.vtt", webvtt(episode.timeline))
    staged_write(site / "transcripts" / f"{slug}.srt", subrip(episode.timeline))


def check_category(workspace: Workspace) -> None:
    """The show's Apple category must be on Apple's current list, or directories file the show nowhere."""
    category = workspace.settings.category
    problem = category_problem(category.primary, category.sub)
    if problem:
        raise BriefingError(f"[category] {problem}", workspace.root / SHOW_FILE)


def publish(workspace: Workspace, *, now: dt.datetime | None = None, progress: Progress | None = None) -> PublishResult:
    """Write feed/ from every built episode; the old feed stays intact until the new one is complete."""
    say = progress or (lambda message: None)
    check_category(workspace)
    moment = now or now_utc()
    ledger_file = ledger_path(workspace.root)
    ledger = read_ledger(ledger_file)
    new_ledger, listed = plan(workspace, ledger, moment)
    if not new_ledger:
        raise BriefingError("no built episodes to publish; run 'briefing build' first", workspace.episodes_dir)
    cover: Cover = cover_for(workspace)
    title = workspace.settings.title
    episodes = [
        PublishedEpisode(ep.timeline, ep.mp3_path.stat().st_size, entry.published, entry.updated)
        for ep, entry in listed
    ]
    last_build = max(entry.updated for entry in new_ledger.values())
    built = [episode for episode, _entry in listed]
    with atomic_directory(workspace.feed_dir) as site:
        staged_write(site / ".gitkeep", b"")  # feed/ is tracked in git through it
        staged_write(site / cover.file_name, cover.data)
        for number, episode in enumerate(built, start=1):
            say(f"episode {number}/{len(built)}: {episode.timeline.meta.slug}")
            write_episode_files(site, episode, title)
        write_pages(
            site, workspace, [e.timeline for e in built], feed_url=workspace.feed_url, cover_name=cover.file_name
        )
        say("feed.xml")
        staged_write(site / FEED_FILE, feed_xml(workspace.settings, episodes, cover.file_name, last_build))
        # Recorded only once everything is staged: a failed publish leaves both the feed and the ledger as they were.
        if new_ledger != ledger:
            write_ledger(ledger_file, new_ledger)
    return PublishResult(
        feed_path=workspace.feed_dir / FEED_FILE,
        urls=SiteUrls(str(workspace.settings.base_url)),
        episodes=tuple(newest_first(episodes)),
        withdrawn=tuple(entry.slug for entry in new_ledger.values() if entry.withdrawn),
    )


def unpublish(workspace: Workspace, slug: str, *, now: dt.datetime | None = None) -> PublishResult:
    """Withdraw one episode from the feed (its built files stay), then publish again."""
    moment = now or now_utc()
    ledger_file = ledger_path(workspace.root)
    ledger = read_ledger(ledger_file)
    matches = [guid for guid, entry in ledger.items() if entry.slug == slug and not entry.withdrawn]
    if not matches:
        raise BriefingError(f"no published episode has the slug '{slug}'", ledger_file)
    withdrawn = {**ledger, matches[0]: replace(ledger[matches[0]], withdrawn=True, updated=moment)}
    write_ledger(ledger_file, withdrawn)
    return publish(workspace, now=moment)
