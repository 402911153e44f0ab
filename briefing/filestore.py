"""Files kept under a hash of what they were made from: the workspace's caches (`.cache/speech/`, `.cache/mp3/`).

Two hex digits of the key make a folder, so no folder grows huge. Every entry is sealed: it starts with a SHA-256 of
its content, checked whenever it is read, so an entry cut short, zeroed or with a flipped byte is found, removed and
made again (and counted, for the build's summary) instead of being used. Every file is written atomically, so an
interrupted build leaves only whole entries behind; a cache may be deleted at any time and is made again.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from briefing.fsutil import TEMPORARY_SUFFIX, atomic_create_bytes, atomic_write_bytes, remove_leftovers

SEAL = b"briefing cache entry 1\n"  # then the content's SHA-256 (32 bytes), then the content
_DIGEST_BYTES = 32


class DamagedEntry(ValueError):
    """A cache entry whose content is not what was stored (cut short, overwritten, not an entry at all)."""


def seal(content: bytes) -> bytes:
    """`content` as a cache entry stores it: behind a header with its SHA-256."""
    return SEAL + hashlib.sha256(content).digest() + content


def unseal(entry: bytes) -> bytes:
    """The content of a sealed entry, checked against its SHA-256; DamagedEntry when it does not match."""
    if not entry.startswith(SEAL) or len(entry) < len(SEAL) + _DIGEST_BYTES:
        raise DamagedEntry("no cache entry header")
    digest, content = entry[len(SEAL) : len(SEAL) + _DIGEST_BYTES], entry[len(SEAL) + _DIGEST_BYTES :]
    if hashlib.sha256(content).digest() != digest:
        raise DamagedEntry("its content does not match its checksum")
    return content


class FileStore:
    """Sealed entries named `<key><suffix>` under `folder`, two hex digits of fan-out.

    `repaired` counts the damaged entries this store found and removed (each is then made again by its user).
    """

    suffix = ""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._repaired = 0
        self._count_lock = threading.Lock()

    @property
    def repaired(self) -> int:
        return self._repaired

    def file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{self.suffix}"

    def read(self, key: str) -> bytes | None:
        """The content stored under `key`, checked; None when there is none, or it was damaged (then it is
        removed and counted: the caller makes it again)."""
        try:
            entry = self.file(key).read_bytes()
        except FileNotFoundError:
            return None
        try:
            return unseal(entry)
        except DamagedEntry:
            self.drop(key)
            return None

    def drop(self, key: str) -> None:
        """Remove a damaged entry (one that fails its checksum, or whose content its user cannot read)."""
        self.file(key).unlink(missing_ok=True)
        with self._count_lock:
            self._repaired += 1

    def write(self, key: str, data: bytes) -> None:
        atomic_write_bytes(self.file(key), seal(data))

    def sweep(self) -> int:
        """Remove the temporary files killed runs left (nobody is writing them); returns how many."""
        if not self.folder.is_dir():
            return 0
        folders = (folder for folder in self.folder.iterdir() if folder.is_dir())
        return sum(remove_leftovers(folder, [f".*{TEMPORARY_SUFFIX}"]) for folder in folders)

    def write_once(self, key: str, data: bytes) -> bool:
        """Store the entry unless there is one already; returns whether it was stored (see `atomic_create_bytes`)."""
        return atomic_create_bytes(self.file(key), seal(data))

    def _files(self) -> Iterator[Path]:
        if self.folder.is_dir():
            # Every file, entries of earlier formats (never read now) included, so that size and clear see them.
            yield from (path for path in self.folder.glob("*/*") if path.is_file())

    def size(self) -> tuple[int, int]:
        """(number of files, bytes they take)."""
        sizes = [path.stat().st_size for path in self._files()]
        return len(sizes), sum(sizes)

    def clear(self) -> tuple[int, int]:
        """Remove every file; returns what was removed as (files, bytes)."""
        removed = self.size()
        if self.folder.exists():
            shutil.rmtree(self.folder)
        return removed
