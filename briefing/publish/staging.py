"""What `briefing publish` writes into its staging folder from the publish stage: the built episodes the ledger lists,
their MP3s, chapters and transcripts, the cover and feed.xml (the listening pages come from the pages stage)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from briefing.errors import BriefingError
from briefing.feedspec.categories import category_problem
from briefing.fsutil import SAFE_FILE_NAME
from briefing.mix.tags import set_tag_date, tag_date
from briefing.models import Timeline
from briefing.progress import Progress
from briefing.publish.cover import Cover
from briefing.publish.dates import episode_day, first_publication, is_due, scheduled
from briefing.publish.episode_chapters import json_chapters_text
from briefing.publish.feed import PublishedEpisode, feed_xml
from briefing.publish.ledger import Entry, Ledger, ledger_path, read_ledger, record, write_ledger
from briefing.publish.transcripts import subrip, webvtt
from briefing.settings import SHOW_FILE, Workspace, setting_line
from briefing.timeline import read_timeline
from briefing.userfile import read_user_text

FEED_FILE = "feed.xml"


@dataclass(frozen=True)
class BuiltEpisode:
    timeline: Timeline
    timeline_path: Path
    mp3_path: Path


@dataclass(frozen=True)
class Edition:
    """One publish: the ledger before and after it, and the episodes it lists, each with its ledger entry."""

    ledger: Ledger
    updated: Ledger
    listed: tuple[tuple[BuiltEpisode, Entry], ...]
    waiting: tuple[tuple[str, dt.datetime], ...] = ()  # (slug, publish_at) of episodes not due yet

    @property
    def episodes(self) -> list[PublishedEpisode]:
        return [
            PublishedEpisode(ep.timeline, ep.mp3_path.stat().st_size, entry.published, entry.updated)
            for ep, entry in self.listed
        ]

    @property
    def withdrawn(self) -> tuple[str, ...]:
        """The slugs left out on purpose."""
        return tuple(entry.slug for entry in self.updated.values() if entry.withdrawn)


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
    guid_of_slug = {episode.timeline.meta.slug: episode.timeline.meta.guid for episode in built}
    for guid, entry in ledger.items():
        if entry.withdrawn or guid in built_guids:
            continue
        if entry.slug in guid_of_slug:
            raise _changed_guid(workspace, entry.slug, guid, guid_of_slug[entry.slug])
        raise BriefingError(
            f"episode '{entry.slug}' is published but no longer built; rebuild it, "
            f"or remove it from the feed with 'briefing unpublish {entry.slug}'",
            workspace.episodes_dir / f"{entry.slug}.json",
        )


def _changed_guid(workspace: Workspace, slug: str, published: str, now: str) -> BriefingError:
    """The sentence for a script whose GUID was edited after the episode was published."""
    script = workspace.scripts_dir / f"{slug}.md"
    line = None
    if script.is_file():
        lines = script.read_text(encoding="utf-8", errors="replace").splitlines()
        line = next((number for number, text in enumerate(lines, start=1) if text.startswith("guid:")), None)
    return BriefingError(
        f"the episode's GUID was changed to {now} after it was published as {published}; podcast apps would list "
        f"it twice, so put back 'guid: {published}'",
        script if script.is_file() else workspace.episodes_dir / f"{slug}.json",
        line,
    )


def plan(workspace: Workspace, ledger: Ledger, now: dt.datetime) -> Edition:
    """What publishing at `now` lists and records: every built episode not withdrawn and due (see
    `briefing.publish.dates`), in a ledger updated for it. Each listed episode carries its publication day as its
    date, and its MP3's date tag is made to agree."""
    zone = workspace.settings.zone
    built = built_episodes(workspace.episodes_dir)
    _check_published_still_built(ledger, built, workspace)
    updated: Ledger = dict(ledger)
    listed = []
    waiting = []
    for episode in built:
        meta = episode.timeline.meta
        known = ledger.get(meta.guid)
        if known is not None and known.withdrawn:
            continue
        if known is None and not is_due(meta, now, zone):
            waiting.append((meta.slug, scheduled(meta, zone) or now))
            continue
        published = known.published if known else first_publication(meta, now, zone)
        dated = with_publication_day(episode, episode_day(published, zone))
        entry = record(ledger, meta.guid, meta.slug, fingerprint(dated), now, published)
        updated[meta.guid] = entry
        listed.append((dated, entry))
    if not updated and not waiting:
        raise BriefingError("no built episodes to publish; run 'briefing build' first", workspace.episodes_dir)
    return Edition(ledger, updated, tuple(listed), tuple(waiting))


def with_publication_day(episode: BuiltEpisode, day: dt.date) -> BuiltEpisode:
    """The episode as published: its date is its publication day, and its MP3's date tag says so too (a build
    before the first publication tags the day it expects; the rare miss is corrected here, in place, once). Only a
    date tag like the build's is corrected: one of the same length, so the file keeps its size."""
    tagged = tag_date(episode.mp3_path)
    if tagged is not None and tagged != day.isoformat() and len(tagged) == len(day.isoformat()):
        set_tag_date(episode.mp3_path, day)
    timeline = episode.timeline
    return replace(episode, timeline=replace(timeline, meta=replace(timeline.meta, date=day)))


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
        field = "primary" if category_problem(category.primary, None) else "sub"
        show_file = workspace.root / SHOW_FILE
        line = setting_line(read_user_text(show_file, "show settings file"), ("category", field))
        raise BriefingError(f"[category] {field}: {problem}", show_file, line)


def write_feed(site: Path, workspace: Workspace, edition: Edition, cover: Cover, progress: Progress) -> None:
    """Write the feed's files into the staging folder `site`: the cover, each listed episode's MP3, chapters and
    transcripts, and feed.xml. Reports the step "episodes" as each episode is written."""
    staged_write(site / ".gitkeep", b"")  # feed/ is tracked in git through it
    staged_write(site / cover.file_name, cover.data)
    for number, (episode, _entry) in enumerate(edition.listed, start=1):
        write_episode_files(site, episode, workspace.settings.title)
        progress("episodes", number, len(edition.listed))
    last_build = max(entry.updated for entry in edition.updated.values())
    staged_write(site / FEED_FILE, feed_xml(workspace.settings, edition.episodes, cover.file_name, last_build))


def withdraw(workspace: Workspace, slug: str, now: dt.datetime) -> None:
    """Record in the ledger that the episode `slug` is withdrawn from the feed (its built files stay)."""
    ledger_file = ledger_path(workspace.root)
    ledger = read_ledger(ledger_file)
    matches = [guid for guid, entry in ledger.items() if entry.slug == slug and not entry.withdrawn]
    if not matches:
        raise BriefingError(f"no published episode has the slug '{slug}'", ledger_file)
    write_ledger(ledger_file, {**ledger, matches[0]: replace(ledger[matches[0]], withdrawn=True, updated=now)})


def restored(workspace: Workspace, ledger: Ledger, slugs: Sequence[str], now: dt.datetime) -> Ledger:
    """`ledger` with the withdrawn episodes `slugs` listed again (each keeps its first publication date).

    A slug already listed, or built and not yet published, needs nothing; one the show has never had is an error.
    """
    updated = dict(ledger)
    for slug in slugs:
        withdrawn = [guid for guid, entry in ledger.items() if entry.slug == slug and entry.withdrawn]
        for guid in withdrawn:
            updated[guid] = replace(ledger[guid], withdrawn=False, updated=now)
        known = any(entry.slug == slug for entry in ledger.values())
        if not known and not (workspace.episodes_dir / f"{slug}.json").is_file():
            raise BriefingError(
                f"no episode has the slug '{slug}' (neither published nor built)", ledger_path(workspace.root)
            )
    return updated
