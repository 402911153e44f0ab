"""Atomic writes: every file is written to a temporary name beside it and renamed into place."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from briefing.errors import BriefingError, os_error

# A name that is one path component on any static host, URL and file system: ASCII, no separators, no dot-file.
SAFE_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publishable(path: Path, *, directory: bool = False) -> None:
    """Give a temporary file or folder the permissions an ordinary one would have.

    mkstemp/mkdtemp create owner-only entries; a published site must be readable by the web server.
    """
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def _write_error(error: OSError, path: Path) -> BriefingError:
    """One sentence for an OS error met while writing `path`: named after `path` when it concerns `path` or one of its
    temporary names (a full disk names no file at all), else after the file it names."""
    if not error.filename or _is_temporary_of(Path(os.fsdecode(error.filename)), path):
        return os_error(error, path, "cannot write")
    return os_error(error)


def _is_temporary_of(own: Path, path: Path) -> bool:
    """Whether `own` is `path`, its folder, or in one of the temporary names this module gives it (`.name.*`)."""
    if own in (path, path.parent):
        return True
    try:
        first = own.relative_to(path.parent).parts[0]
    except (ValueError, IndexError):
        return False
    return first.startswith((f".{path.name}.", f".{path.stem}."))


def _naming_target(function: Callable[..., None]) -> Callable[..., None]:
    """`function(path, …)` with its OS errors (a full disk, no permission) turned into one sentence naming `path`."""

    @functools.wraps(function)
    def write(path: Path, *args: object, **kwargs: object) -> None:
        try:
            function(path, *args, **kwargs)
        except OSError as error:
            raise _write_error(error, path) from None

    return write


def _naming_target_block(
    function: Callable[[Path], contextlib.AbstractContextManager[Path]],
) -> Callable[[Path], contextlib.AbstractContextManager[Path]]:
    """The context manager `function(path)` with its OS errors, and those of the block it wraps when they concern
    the temporary file or folder, turned into one sentence naming `path`."""

    @functools.wraps(function)
    @contextlib.contextmanager
    def block(path: Path) -> Iterator[Path]:
        try:
            with function(path) as temporary:
                yield temporary
        except OSError as error:
            raise _write_error(error, path) from None

    return block


@_naming_target
def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        _publishable(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@_naming_target_block
@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path for a tool (e.g. ffmpeg) to write; rename it to `path` on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _publishable(tmp_path)
        os.replace(tmp_path, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


@_naming_target_block
@contextlib.contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Build a whole directory under a temporary name, then swap it in for `path`.

    The old directory stays intact until the new one is complete.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.new.", dir=path.parent))
    try:
        yield staging
        _publishable(staging, directory=True)
        if path.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
            os.replace(path, retired / path.name)
            os.replace(staging, path)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, path)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
