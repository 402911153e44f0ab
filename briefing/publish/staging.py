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

from briefing.checkpoints import checkpoint
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
from briefing.publish.ledger import Entry, Ledger, ledger_path, record
from briefing.publish.transcripts import subrip, webvtt
from briefing.settings import SHOW_FILE, Workspace, setting_line
from briefing.timeline import describes, file_sha256, read_timeline, write_timeline
from briefing.userfile import read_user_text

FEED_FILE = "feed.xml"


@dataclass(frozen=True)
class BuiltEpisode:
    timeline: Timeline
    timeline_path: Path
    mp3_path: Path
    fingerprint: str  # of the timeline and the MP3 together: the ledger's test for a changed episode


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
        combined, mp3_digest = fingerprint(timeline_path, mp3_path)
        if not describes(timeline, mp3_path, mp3_digest):
            raise BriefingError(
                f"is not the MP3 its timeline {timeline_path.name} describes (a build stopped between writing the "
                f"two); build the episode again (briefing build scripts/{slug}.md)",
                mp3_path,
            )
        found[guid] = BuiltEpisode(timeline, timeline_path, mp3_path, combined)
    return list(found.values())


def fingerprint(timeline_path: Path, mp3_path: Path) -> tuple[str, str]:
    """(the hash of the timeline and the MP3 together, the MP3's own hash), read in one pass."""
    combined, mp3 = hashlib.sha256(timeline_path.read_bytes()), hashlib.sha256()
    with mp3_path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            combined.update(chunk)
            mp3.update(chunk)
    return combined.hexdigest(), mp3.hexdigest()


def now_utc() -> dt.datetime:
    """The moment a publish records: now, or the one SOURCE_DATE_EPOCH names (the reproducible-builds convention:
    whole seconds since 1970), so that a feed can be written again byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            if epoch.isdigit():
                return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            pass
        raise BriefingError(f"SOURCE_DATE_EPOCH is '{epoch[:40]}', not whole seconds since 1970")
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
        entry = record(ledger, meta.guid, meta.slug, dated.fingerprint, now, published)
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
        episode = retagged(episode, day)
    timeline = episode.timeline
    return replace(episode, timeline=replace(timeline, meta=replace(timeline.meta, date=day)))


def retagged(episode: BuiltEpisode, day: dt.date) -> BuiltEpisode:
    """The episode with its MP3's date tag set to `day` and its timeline recording the MP3's new hash. A publish
    stopped between the two leaves an MP3 its timeline does not describe: the next publish refuses it and the next
    build makes it again, as after a build stopped between them."""
    set_tag_date(episode.mp3_path, day)
    checkpoint(f"retagged {episode.mp3_path.name}")
    timeline = replace(episode.timeline, mp3_sha256=file_sha256(episode.mp3_path))
    write_timeline(episode.timeline_path, timeline)
    combined, _ = fingerprint(episode.timeline_path, episode.mp3_path)
    return replace(episode, timeline=timeline, fingerprint=combined)


def link_or_copy(source: Path, target: Path) -> None:
    # A hard link costs nothing; a later rebuild replaces the source by rename, so the published copy stays intact.
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    checkpoint(f"staged {target.name}")


def staged_write(path: Path, data: bytes | str) -> None:
    """A plain write into the staging folder: the folder as a whole is swapped in atomically, so each file
    needs no temporary name of its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    checkpoint(f"staged {path.name}")


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


def withdrawn(ledger: Ledger, slug: str, now: dt.datetime, ledger_file: Path) -> Ledger:
    """`ledger` with the episode `slug` withdrawn from the feed (its built files stay)."""
    matches = [guid for guid, entry in ledger.items() if entry.slug == slug and not entry.withdrawn]
    if not matches:
        raise BriefingError(f"no published episode has the slug '{slug}'", ledger_file)
    return {**ledger, matches[0]: replace(ledger[matches[0]], withdrawn=True, updated=now)}


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
