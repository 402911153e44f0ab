"""The fetch ledger (`fetched.json` in the workspace, committed with the show): each newsletter feed's ETag and
Last-Modified for the next conditional request, and every item already saved into issues/ — its file and a hash
of its content, so a later change is noticed and reported rather than saved over the producer's issue."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from briefing.errors import BriefingError
from briefing.fsutil import atomic_write_text
from briefing.userfile import read_user_text

FETCH_LEDGER_FILE = "fetched.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class FeedState:
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchedItem:
    file: str  # relative to the workspace
    sha256: str  # of the content as first saved
    title: str
    published: str | None  # ISO 8601, as the feed gave it
    fetched: str  # ISO 8601
    changed: str | None = None  # hash of the latest different content reported (not saved)


@dataclass
class FetchLedger:
    feeds: dict[str, FeedState] = field(default_factory=dict)
    items: dict[str, FetchedItem] = field(default_factory=dict)  # by item id


def fetch_ledger_path(root: Path) -> Path:
    return root / FETCH_LEDGER_FILE


def read_fetch_ledger(path: Path) -> FetchLedger:
    if not path.is_file():
        return FetchLedger()
    try:
        data = json.loads(read_user_text(path, "fetch ledger"))
        return FetchLedger(
            feeds={url: FeedState(**state) for url, state in data["feeds"].items()},
            items={item_id: FetchedItem(**item) for item_id, item in data["items"].items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BriefingError(f"not a valid fetch ledger ({exc})", path) from None


def write_fetch_ledger(path: Path, ledger: FetchLedger) -> None:
    data = {
        "format": FORMAT_VERSION,
        "feeds": {url: _without_none(vars(state)) for url, state in sorted(ledger.feeds.items())},
        "items": {
            item_id: _without_none(vars(item))
            for item_id, item in sorted(ledger.items.items(), key=lambda pair: (pair[1].file, pair[0]))
        },
    }
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _without_none(values: dict[str, object]) -> dict[str, object]:
    return {name: value for name, value in values.items() if value is not None}
