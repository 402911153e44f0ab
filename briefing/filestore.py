"""Files kept under a hash of what they were made from: the workspace's caches (`.cache/speech/`, `.cache/mp3/`).

Two hex digits of the key make a folder, so no folder grows huge. Every file is written atomically, so an
interrupted build leaves only whole files behind; a cache may be deleted at any time and is made again.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from briefing.fsutil import atomic_create_bytes, atomic_write_bytes


class FileStore:
    """Files named `<key><suffix>` under `folder`, two hex digits of fan-out."""

    suffix = ""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{self.suffix}"

    def write(self, key: str, data: bytes) -> None:
        atomic_write_bytes(self.file(key), data)

    def write_once(self, key: str, data: bytes) -> bool:
        """Store the entry unless there is one already; returns whether it was stored (see `atomic_create_bytes`)."""
        return atomic_create_bytes(self.file(key), data)

    def _files(self) -> Iterator[Path]:
        if self.folder.is_dir():
            yield from self.folder.glob(f"*/*{self.suffix}")

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
