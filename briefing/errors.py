"""The one exception type the CLI turns into a single clear sentence and exit code 2."""

from __future__ import annotations

import errno
from pathlib import Path


class BriefingError(Exception):
    """Bad input or a failed stage, explained in one sentence that names the file (and line).

    `path` may be a URL (a feed fetched for validation): it is then shown exactly as given, since a `Path` would
    fold its `//`.
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        self._named = str(path) if path is not None else None  # as given: a URL keeps its "//", which Path drops
        self.line = line
        super().__init__(str(self))

    @property
    def place(self) -> str | None:
        """The URL the error concerns, exactly as given; None for a file path."""
        return self._named if self._named is not None and "://" in self._named else None

    def __str__(self) -> str:
        if self._named is None:
            return self.message
        where = f"{self._named}:{self.line}" if self.line is not None else self._named
        return f"{where}: {self.message}"


# What the operating system's refusals mean for the user, and what to do about them.
_OS_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and run again",
    errno.EDQUOT: "the disk quota is used up; free some space and run again",
    errno.EACCES: "permission denied; give this user access to it (its owner and mode), or run as its owner",
    errno.EPERM: "operation not permitted; give this user access to it, or run as its owner",
    errno.EROFS: "the file system is read-only; choose a writable place",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.EEXIST: "it already exists",
    errno.ENAMETOOLONG: "the name is too long for the file system",
    errno.ELOOP: "too many levels of symbolic links",
    errno.EMFILE: "too many files are open; raise the limit (ulimit -n) and run again",
    errno.ENFILE: "too many files are open on this system; run again later",
    errno.EIO: "an input/output error; the disk may be failing",
    errno.EXDEV: "it is on another file system",
}


def os_problem(error: OSError) -> str:
    """What an operating-system error means, in words a user can act on ("the disk is full; free some space…")."""
    return _OS_ADVICE.get(error.errno or 0) or (error.strerror or str(error) or type(error).__name__).lower()


def os_error(error: OSError, path: Path | str | None = None, doing: str = "") -> BriefingError:
    """One sentence for an operating-system error: the path it concerns (`path`, else the error's own), what was being
    done (`doing`, e.g. "cannot write"), and what it means."""
    where = path if path is not None else error.filename
    return BriefingError(f"{doing}: {os_problem(error)}" if doing else os_problem(error), where)
