"""The published site as a deploy sends it: every file with its key, content type and cache lifetime, in the order
that keeps listeners safe (media and text files, then the pages, then feed.xml)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError
from briefing.serve import content_type
from briefing.settings import S3Deploy, _Deploy

FEED_FILE = "feed.xml"
AUDIO_SUFFIXES = frozenset({".mp3", ".m4a"})
PAGE_SUFFIXES = frozenset({".html"})


@dataclass(frozen=True)
class SiteFile:
    key: str  # the path under the site, with forward slashes
    path: Path
    size: int
    content_type: str
    cache_control: str

    @property
    def stage(self) -> int:
        """0: audio and other files; 1: the pages; 2: the feed."""
        if self.key == FEED_FILE:
            return 2
        return 1 if Path(self.key).suffix in PAGE_SUFFIXES else 0


@dataclass(frozen=True)
class DeployResult:
    target: str  # where it went, for the summary line
    sent: tuple[str, ...]  # keys sent, in the order sent
    unchanged: int
    deleted: tuple[str, ...]


def site_files(site: Path, target: _Deploy) -> list[SiteFile]:
    """Every file of the published site (no dot-files), feed.xml last; a site without a feed is refused."""
    if not (site / FEED_FILE).is_file():
        raise BriefingError("there is no published feed here to deploy; run 'briefing publish' first", site)
    files = []
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        key = relative.as_posix()
        long_lived = path.suffix.lower() in AUDIO_SUFFIXES
        max_age = target.long_cache if long_lived else target.short_cache
        files.append(SiteFile(key, path, path.stat().st_size, content_type(path), f"public, max-age={max_age}"))
    return sorted(files, key=lambda file: (file.stage, file.key))


def remote_key(target: S3Deploy, file: SiteFile) -> str:
    return target.prefix + file.key


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
