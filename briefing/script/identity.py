"""An episode's identity: its ASCII slug (file names, URLs) and its GUID (the feed's item id).

The GUID is a uuid5 of the show's feed URL and the episode slug, computed once when the script is created and
stored in its front matter; from then on the script's value is the identity and is never recomputed. Deterministic
rather than random so that re-creating a deleted script, or making it again on another clone, gives the same
episode the same identity and podcast apps never see it twice.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from anyascii import anyascii


def episode_slug(show: str, number: int, issue_path: Path) -> str:
    """`<show-name-slug>-<number:03d>`, e.g. `tech-in-china-007`; Hangul and Han names are transliterated.

    A name with nothing to transliterate (symbols only) falls back to the issue file's name.
    """
    name = ascii_slug(show) or _stem_without_number(issue_path) or "episode"
    return f"{name}-{number:03d}"


def ascii_slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "테크인 차이나" → "tekeuin-chaina"; "" when nothing is left."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")


def episode_guid(feed_url: str, slug: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{feed_url}#{slug}"))


def _stem_without_number(path: Path) -> str:
    # "weekly-007.txt" already carries the number, which the slug adds again.
    return re.sub(r"-?\d+$", "", ascii_slug(path.stem))
