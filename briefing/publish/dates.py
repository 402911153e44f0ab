"""The one rule for an episode's date, which the feed, the pages, the MP3's tags and the transcripts all show.

An episode's date is its publication, fixed the first time it is published and recorded in published.json, never
changed after:

- a script's `publish_at` is that moment (the episode stays out of the feed until a publish at or after it);
- otherwise the moment of that first publish — unless the issue's own date is an earlier day (a back issue, e.g.
  an archive published in one go), which the episode keeps: noon of that day in the show's time zone, so the day
  reads the same in UTC and across Asia.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from briefing.models import ScriptMeta
from briefing.publish.ledger import Ledger

BACK_ISSUE_TIME = dt.time(12, 0)


def scheduled(meta: ScriptMeta, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The script's `publish_at` as an aware moment (one without an offset is on the show's clock)."""
    moment = meta.publish_at
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def is_due(meta: ScriptMeta, now: dt.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether a publish at `now` may list the episode: it names no `publish_at`, or that moment has come."""
    moment = scheduled(meta, zone)
    return moment is None or moment <= now


def first_publication(meta: ScriptMeta, now: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The publication moment of an episode first published at `now`, in the show's time zone."""
    moment = scheduled(meta, zone)
    if moment is not None:
        return moment.astimezone(zone)
    local_now = now.astimezone(zone)
    if meta.date < local_now.date():
        return dt.datetime.combine(meta.date, BACK_ISSUE_TIME, tzinfo=zone)
    return local_now


def episode_day(published: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.date:
    """The day an episode published at `published` carries everywhere: its date on the show's clock."""
    return published.astimezone(zone).date()


def expected_day(meta: ScriptMeta, ledger: Ledger, now: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.date:
    """The date a build tags its MP3 with: the publication day once published, else the day it will have if it is
    published on the day of `now` (publish corrects the tag, in place, when it is published later)."""
    known = ledger.get(meta.guid)
    published = known.published if known else first_publication(meta, now, zone)
    return episode_day(published, zone)
