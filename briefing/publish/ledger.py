"""The publication ledger (`published.json` in the workspace, committed with the show): for each episode GUID,
when it was first published, when its audio last changed, and whether it was withdrawn.

It is what keeps an episode's pubDate fixed across re-publishing, and what makes removal explicit."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

from briefing.errors import BriefingError
from briefing.fsutil import atomic_write_text
from briefing.userfile import read_user_text

LEDGER_FILE = "published.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Entry:
    slug: str
    published: dt.datetime  # first publication: the item's pubDate, never changed
    updated: dt.datetime  # last time the episode's audio or timeline changed
    fingerprint: str
    withdrawn: bool = False


Ledger = dict[str, Entry]  # by episode GUID


def ledger_path(root: Path) -> Path:
    return root / LEDGER_FILE


def _timestamp(text: str, path: Path) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise BriefingError(f"time '{text}' has no time zone", path)
    return moment


def read_ledger(path: Path) -> Ledger:
    if not path.is_file():
        return {}
    try:
        data = json.loads(read_user_text(path, "publication ledger"))
        return {
            guid: Entry(
                slug=item["slug"],
                published=_timestamp(item["published"], path),
                updated=_timestamp(item["updated"], path),
                fingerprint=item["fingerprint"],
                withdrawn=bool(item.get("withdrawn", False)),
            )
            for guid, item in data["episodes"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BriefingError(f"not a valid publication ledger ({exc})", path) from None


def ledger_text(ledger: Ledger) -> str:
    episodes = {
        guid: {
            "slug": entry.slug,
            "published": entry.published.isoformat(),
            "updated": entry.updated.isoformat(),
            "fingerprint": entry.fingerprint,
            **({"withdrawn": True} if entry.withdrawn else {}),
        }
        for guid, entry in sorted(ledger.items(), key=lambda item: (item[1].published, item[0]))
    }
    return json.dumps({"format": FORMAT_VERSION, "episodes": episodes}, ensure_ascii=False, indent=2) + "\n"


def write_ledger(path: Path, ledger: Ledger) -> None:
    atomic_write_text(path, ledger_text(ledger))


def record(
    ledger: Ledger, guid: str, slug: str, fingerprint: str, now: dt.datetime, published: dt.datetime | None = None
) -> Entry:
    """The ledger entry for an episode about to be published: new (first published at `published`, by default
    `now`), unchanged, or updated in place (its publication stays as it was)."""
    known = ledger.get(guid)
    if known is None:
        return Entry(slug=slug, published=published or now, updated=now, fingerprint=fingerprint)
    if known.fingerprint == fingerprint and known.slug == slug:
        return known
    return replace(known, slug=slug, fingerprint=fingerprint, updated=max(now, known.updated))
