"""Reading a file the user gave or named (a script, show.toml, the lexicon, an issue, music, a cover): its bytes or
its UTF-8 text, or one clear sentence naming the file (and line) when it cannot be read."""

from __future__ import annotations

from pathlib import Path

from briefing.errors import BriefingError


def read_user_file(path: Path, what: str, *, hint: str = "") -> bytes:
    """The bytes of `path`, the user's `what` (e.g. "script"); a BriefingError naming it when it is missing (`hint`
    then says where it is set or how to make it), a folder, or unreadable."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BriefingError(f"{what} not found{hint}", path) from None
    except IsADirectoryError:
        raise BriefingError(f"{what} is a folder, not a file", path) from None
    except OSError as error:
        raise BriefingError(f"cannot read {what} ({error.strerror or error})", path) from None


def user_text(data: bytes, path: Path, what: str) -> str:
    """`data` as UTF-8 text (a byte-order mark is dropped); else a BriefingError naming the line where it stops
    being UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BriefingError(f"{what} is not UTF-8 text", path, data[: error.start].count(b"\n") + 1) from None


def read_user_text(path: Path, what: str, *, hint: str = "") -> str:
    """The UTF-8 text of the user's file `path` (see `read_user_file` and `user_text`)."""
    return user_text(read_user_file(path, what, hint=hint), path, what)
