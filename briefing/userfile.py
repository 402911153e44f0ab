"""Reading a file the user gave or named (a script, show.toml, the lexicon, an issue, music, a cover): its bytes or
its UTF-8 text, or one clear sentence naming the file (and line) when it cannot be read.

Only regular files within a size limit are read: a device (`/dev/zero`), a pipe or a socket named by mistake is
refused before a byte is read, so it can neither hang a command nor fill its memory.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from briefing.errors import BriefingError


class Hash(Protocol):
    """What `user_file_digest` feeds: a hashlib object."""

    def update(self, data: bytes, /) -> None: ...


MB = 1 << 20
# Far above any real show's text files (a year of timelines, a long lexicon), far below what would hurt memory.
TEXT_LIMIT = 64 * MB
IMAGE_LIMIT = 32 * MB  # a 3000×3000 cover, uncompressed, is 27 MB
AUDIO_LIMIT = 512 * MB  # the show's music: minutes of WAV at most


def megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB" if size < 10 * MB else f"{size // MB} MB"


def _refusal(error: OSError, what: str, hint: str) -> str:
    if error.errno == errno.ENOENT:
        return f"{what} not found{hint}"
    if error.errno == errno.EISDIR:
        return f"{what} is a folder, not a file"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"cannot read {what}: permission denied (let this user read it, e.g. chmod u+r)"
    if error.errno == errno.ENOTDIR:
        return f"{what} not found: a part of its path is a file, not a folder{hint}"
    return f"cannot read {what} ({error.strerror or error})"


@contextlib.contextmanager
def open_user_file(path: Path, what: str, *, hint: str = "", limit: int = TEXT_LIMIT) -> Iterator[BinaryIO]:
    """The user's file `path` (their `what`, e.g. "script"), open for reading; a BriefingError naming it when it is
    missing (`hint` then says where it is set or how to make it), not a regular file, over `limit` bytes, or
    unreadable."""
    try:
        # O_NONBLOCK: opening a pipe must not wait for a writer; it is refused just below anyway.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise BriefingError(_refusal(error, what, hint), path) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise BriefingError(f"{what} is a folder, not a file", path)
        if not stat.S_ISREG(info.st_mode):
            raise BriefingError(f"{what} is not a regular file (a device, a pipe or a socket); name a file", path)
        if info.st_size > limit:
            raise BriefingError(f"{what} is {megabytes(info.st_size)}, over the {megabytes(limit)} limit", path)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        yield handle


def read_user_file(path: Path, what: str, *, hint: str = "", limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of the user's file `path`, their `what` (see `open_user_file`)."""
    with open_user_file(path, what, hint=hint, limit=limit) as handle:
        try:
            # Files such as those in /proc say they are empty and are not: the read itself is capped too.
            data = handle.read(limit + 1)
        except OSError as error:
            raise BriefingError(_refusal(error, what, hint), path) from None
    if len(data) > limit:
        raise BriefingError(f"{what} is over the {megabytes(limit)} limit", path)
    return data


def user_file_digest(path: Path, what: str, digest: Hash, *, hint: str = "", limit: int = TEXT_LIMIT) -> None:
    """Feed the user's file `path` into `digest` (a hashlib object) a megabyte at a time."""
    with open_user_file(path, what, hint=hint, limit=limit) as handle:
        seen = 0
        try:
            while chunk := handle.read(MB):
                seen += len(chunk)
                if seen > limit:
                    raise BriefingError(f"{what} is over the {megabytes(limit)} limit", path)
                digest.update(chunk)
        except OSError as error:
            raise BriefingError(_refusal(error, what, hint), path) from None


def check_user_file(path: Path, what: str, *, hint: str = "", limit: int = TEXT_LIMIT) -> None:
    """Refuse `path` in one sentence unless it is a readable regular file within `limit` (before a tool such as
    ffmpeg is pointed at it)."""
    with open_user_file(path, what, hint=hint, limit=limit):
        pass


def user_text(data: bytes, path: Path, what: str) -> str:
    """`data` as UTF-8 text (a byte-order mark is dropped); else a BriefingError naming the line where it stops
    being UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BriefingError(f"{what} is not UTF-8 text", path, data[: error.start].count(b"\n") + 1) from None


def read_user_text(path: Path, what: str, *, hint: str = "", limit: int = TEXT_LIMIT) -> str:
    """The UTF-8 text of the user's file `path` (see `read_user_file` and `user_text`)."""
    return user_text(read_user_file(path, what, hint=hint, limit=limit), path, what)
