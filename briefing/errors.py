"""The one exception type the CLI turns into a single clear sentence and exit code 2."""

from __future__ import annotations

from pathlib import Path


class BriefingError(Exception):
    """Bad input or a failed stage, explained in one sentence that names the file (and line).

    `path` may be a URL (a feed fetched for validation): it is then shown exactly as given, since a `Path` would
    fold its `//`.
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        self.place = path if isinstance(path, str) and "://" in path else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = self.place or str(self.path)
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"
