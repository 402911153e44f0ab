"""The publication ledger (`published.json` in the workspace, committed with the show): for each episode GUID,
when it was first published, when its audio last changed, and whether it was withdrawn.

It is what keeps an episode's pubDate fixed across re-publishing, and what makes removal explicit. It records only a
site that was swapped in: the ledger a publish is about to record waits beside it (`.published.json.pending`, naming
the site it goes with) until the swap is done, and what a publish killed in between left is settled by the next."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from briefing.errors import BriefingError
from briefing.fsutil import abandoned, atomic_write_text, leftover_patterns, remove_leftovers, written_and_held
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


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{json.dumps(value)[:40]} is not text")
    return value


def read_ledger(path: Path) -> Ledger:
    if not path.is_file():
        return {}
    try:
        data = json.loads(read_user_text(path, "publication ledger"))
        return {
            _text(guid): Entry(
                slug=_text(item["slug"]),
                published=_timestamp(item["published"], path),
                updated=_timestamp(item["updated"], path),
                fingerprint=_text(item["fingerprint"]),
                withdrawn=bool(item.get("withdrawn", False)),
            )
            for guid, item in data["episodes"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BriefingError(f"not a valid publication ledger ({exc})", path) from None
    except RecursionError:
        raise BriefingError("not a valid publication ledger (nested too deeply)", path) from None


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


# ------------------------------------------------------------------------------------- recorded after the swap


def pending_path(ledger_file: Path) -> Path:
    return ledger_file.with_name(f".{ledger_file.name}.pending")


def site_identity(site: Path, feed_file: str) -> dict[str, object]:
    """What tells one published site from every other: its folder (device and inode: a rename keeps them) and its
    feed file's SHA-256."""
    status = os.stat(site)
    feed = site / feed_file
    digest = hashlib.sha256(feed.read_bytes()).hexdigest() if feed.is_file() else None
    return {"device": status.st_dev, "inode": status.st_ino, "feed_sha256": digest}


@contextlib.contextmanager
def pending_ledger(ledger_file: Path, ledger: Ledger, site: Path, feed_file: str) -> Iterator[None]:
    """Keep `ledger` beside `ledger_file` as the one to record once the staged `site` is swapped in; the caller
    records it (`write_ledger`) inside the block, after the swap. Gone when the block ends, however it ends; a
    process killed inside it leaves it for `settle_pending_ledger`."""
    pending = pending_path(ledger_file)
    content = {"site": site_identity(site, feed_file), "ledger": ledger_text(ledger)}
    try:
        with written_and_held(pending, json.dumps(content, ensure_ascii=False).encode("utf-8")):
            yield
    finally:
        pending.unlink(missing_ok=True)


def settle_pending_ledger(ledger_file: Path, site: Path, feed_file: str) -> None:
    """Finish what a publish killed around its swap left: its pending ledger is recorded if `site` (feed/) is the
    site it was staged with (killed after the swap), and dropped if not (killed before it). One a publish still
    running holds is left to it."""
    pending = pending_path(ledger_file)
    remove_leftovers(ledger_file.parent, leftover_patterns(ledger_file) + leftover_patterns(pending))
    if not pending.is_file() or not abandoned(pending):
        return
    try:
        content = json.loads(pending.read_text(encoding="utf-8"))
        swapped_in = site.is_dir() and content["site"] == site_identity(site, feed_file)
        text = str(content["ledger"])
    except (ValueError, KeyError, TypeError):
        swapped_in, text = False, ""  # not one a publish wrote: it records nothing
    if swapped_in:
        atomic_write_text(ledger_file, text)
    pending.unlink(missing_ok=True)
