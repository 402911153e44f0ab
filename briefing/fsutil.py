"""Atomic writes: every file is written to a temporary name beside it and renamed into place, and a whole folder is
built beside the one it replaces and exchanged with it in one step; what a killed run leaves is removed by the next.

A temporary file or folder is locked (flock) while its writer lives, so the next run can tell a leftover of a killed
run (unlocked: removed) from one still being written by another process or thread (locked: left alone).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import os
import platform
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from briefing.checkpoints import checkpoint
from briefing.errors import BriefingError, os_error

try:
    import fcntl
except ImportError:  # Windows: no flock; leftovers are then left for the user to remove
    fcntl = None  # type: ignore[assignment]

# A name that is one path component on any static host, URL and file system: ASCII, no separators, no dot-file.
SAFE_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
TEMPORARY_SUFFIX = ".tmp"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publishable(path: Path, *, directory: bool = False) -> None:
    """Give a temporary file or folder the permissions an ordinary one would have.

    mkstemp/mkdtemp create owner-only entries; a published site must be readable by the web server.
    """
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


# --------------------------------------------------------------------------------------- leftovers and locks


def _lock(fd: int, *, wait: bool = False) -> bool:
    """Take the exclusive flock on `fd`; False when another open file holds it (and `wait` is False)."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the lock on the file or folder `path` (which must exist) until the block ends."""
    fd = os.open(path, os.O_RDONLY)
    try:
        _lock(fd)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Wait for, then hold, the lock on `folder`: one such block at a time per folder, across processes."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        _lock(fd, wait=True)
        yield
    finally:
        os.close(fd)


def abandoned(path: Path) -> bool:
    """Whether nobody holds the lock on `path` (its writer was killed); a vanished path counts as held."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        return fcntl is not None and _lock(fd)
    finally:
        os.close(fd)


def remove_leftovers(folder: Path, patterns: Iterable[str]) -> int:
    """Remove what killed runs left in `folder` under the glob `patterns` (temporary files and folders nobody
    holds); returns how many were removed."""
    removed = 0
    for pattern in patterns:
        for path in folder.glob(pattern):
            if path.is_symlink() or not abandoned(path):
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed += 1
    return removed


def leftover_patterns(path: Path) -> list[str]:
    """The names `atomic_write_bytes` and `atomic_output` give `path`'s temporary files, as glob patterns."""
    return [f".{path.name}.*{TEMPORARY_SUFFIX}", f".{path.stem}.*{path.suffix}"]


# ------------------------------------------------------------------------------------------------------ files


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
    function: Callable[..., contextlib.AbstractContextManager[Path]],
) -> Callable[..., contextlib.AbstractContextManager[Path]]:
    """The context manager `function(path)` with its OS errors, and those of the block it wraps when they concern
    the temporary file or folder, turned into one sentence naming `path`."""

    @functools.wraps(function)
    @contextlib.contextmanager
    def block(path: Path, **options: object) -> Iterator[Path]:
        try:
            with function(path, **options) as temporary:
                yield temporary
        except OSError as error:
            raise _write_error(error, path) from None

    return block


@_naming_target
def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                _lock(handle.fileno())
                handle.write(data)
                handle.flush()
                _publishable(Path(tmp))
                checkpoint(f"written {path.name}")
                os.replace(tmp, path)
            checkpoint(f"renamed {path.name}")
            return
        except FileNotFoundError:
            # Taken for a leftover in the instant before it was locked, and removed: write it again.
            if attempt == 2 or not path.parent.is_dir():
                raise
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


@contextlib.contextmanager
def written_and_held(path: Path, data: bytes) -> Iterator[None]:
    """Write `path` atomically and hold its lock until the block ends: while its writer lives, the file is in use,
    not the leftover of a killed run (see `remove_leftovers`); the lock goes with the process."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    try:
        _lock(fd)
        with os.fdopen(os.dup(fd), "wb") as handle:
            handle.write(data)
        _publishable(Path(tmp))
        checkpoint(f"written {path.name}")
        os.replace(tmp, path)
        checkpoint(f"renamed {path.name}")
        yield
    finally:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def atomic_create_bytes(path: Path, data: bytes) -> bool:
    """Write `path` whole unless it exists; returns whether this call wrote it. Of writers racing to create the
    same file, exactly one wins (a hard link does not replace), and readers only ever see a whole file."""
    if path.exists():
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    except OSError as error:
        raise _write_error(error, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            _lock(handle.fileno())  # in use, not a killed run's leftover (see `remove_leftovers`)
            handle.write(data)
            handle.flush()
            _publishable(Path(tmp))
            checkpoint(f"written {path.name}")
            os.link(tmp, path)
        checkpoint(f"renamed {path.name}")
        return True
    except FileExistsError:
        return False
    except OSError as error:
        raise _write_error(error, path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@_naming_target_block
@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path for a tool (e.g. ffmpeg) to write; rename it to `path` on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    tmp_path = Path(tmp)
    try:
        _lock(fd)
        yield tmp_path
        _publishable(tmp_path)
        checkpoint(f"written {path.name}")
        os.replace(tmp_path, path)
        checkpoint(f"renamed {path.name}")
    finally:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


# ---------------------------------------------------------------------------------------------------- folders

RENAME_EXCHANGE = 2  # Linux renameat2 flag
RENAME_SWAP = 2  # macOS renamex_np flag
AT_FDCWD = -100
_RENAMEAT2_SYSCALL = {"x86_64": 316, "aarch64": 276, "arm64": 276, "riscv64": 276, "ppc64le": 357, "s390x": 347}


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


def _exchange_call(first: bytes, second: bytes) -> int | None:
    """Swap two paths in one system call; the call's errno (0 on success), or None where there is no such call."""
    libc = _libc()
    if libc is None:
        return None
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(first, second, ctypes.c_uint(RENAME_SWAP))
    elif sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(AT_FDCWD, first, AT_FDCWD, second, ctypes.c_uint(RENAME_EXCHANGE))
    elif sys.platform.startswith("linux") and platform.machine() in _RENAMEAT2_SYSCALL:
        number = _RENAMEAT2_SYSCALL[platform.machine()]
        result = libc.syscall(ctypes.c_long(number), AT_FDCWD, first, AT_FDCWD, second, ctypes.c_uint(RENAME_EXCHANGE))
    else:
        return None
    return 0 if result == 0 else ctypes.get_errno()


def exchange(first: Path, second: Path) -> bool:
    """Swap the two existing paths in one step (Linux renameat2 RENAME_EXCHANGE, macOS renamex_np RENAME_SWAP):
    at no instant is either missing. False where the system or file system cannot."""
    code = _exchange_call(os.fsencode(first), os.fsencode(second))
    if code in (None, errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    if code:
        raise OSError(code, os.strerror(code), str(second))
    return True


def published_folder(path: Path, *, marker: str | None = None) -> Path:
    """The real folder `path` stands for: itself, or the folder it links to (a producer's link to a web root is
    published through, never replaced by a plain folder).

    A linked folder is swapped whole, so it must be one this swap made before (it holds `marker`), an empty one or
    none yet: a link to a folder of other files (a web root shared with other sites, a home folder) is refused.
    """
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if path.parent.resolve().is_relative_to(target):
        raise BriefingError(f"is a link to {target}, a folder that holds it; link it to a folder of its own", path)
    if target.exists() and not target.is_dir():
        raise BriefingError(f"is a link to {target}, which is not a folder; link it to a folder or remove it", path)
    if not target.parent.is_dir():
        raise BriefingError(f"is a link to {target}, whose folder {target.parent} does not exist", path)
    if marker and target.is_dir() and any(target.iterdir()) and not (target / marker).exists():
        raise BriefingError(
            f"is a link to {target}, which holds files that were not published here (no {marker}); publishing "
            "replaces that folder whole, so link it to an empty folder or to one only this show publishes",
            path,
        )
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise BriefingError(
            f"is a link to {target}; publishing builds the new site beside it and swaps it in, so its folder "
            f"{target.parent} must be writable",
            path,
        )
    return target


def _retired_patterns(name: str) -> list[str]:
    return [f".{name}.new.*", f".{name}.old.*"]


def recover_interrupted_swap(path: Path) -> None:
    """Put the old folder back where a run killed between its two renames (the fallback swap) left none."""
    if path.exists() or path.is_symlink():
        return
    moved_aside = sorted(path.parent.glob(f".{path.name}.old.*/{path.name}"), key=lambda p: p.stat().st_mtime)
    if moved_aside and abandoned(moved_aside[-1].parent):
        os.replace(moved_aside[-1], path)


def _swap_in(staging: Path, path: Path) -> None:
    """Put `staging` where `path` is; afterwards `staging` holds the old folder (or nothing)."""
    if not path.exists():
        os.replace(staging, path)
        return
    if exchange(staging, path):
        return
    # The fallback, where the file system has no exchange: two renames, and between them no `path`. A run
    # killed there is undone by the next one (recover_interrupted_swap).
    retired = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
    with held(retired):
        os.replace(path, retired / path.name)
        checkpoint(f"moved aside {path.name}")
        os.replace(staging, path)
        os.replace(retired, staging)


@_naming_target_block
@contextlib.contextmanager
def atomic_directory(path: Path, *, marker: str | None = None) -> Iterator[Path]:
    """Build a whole directory under a temporary name beside `path`, then swap it in for `path`.

    At every instant `path` is the old complete directory or the new one (see `exchange`; where the file system
    cannot exchange, two renames, undone by the next run if it was killed between them). When `path` links to a
    folder, that folder is swapped and the link stays (see `published_folder`; `marker` names the file every
    such folder holds). Leftovers of killed runs beside it are removed first.
    """
    target = published_folder(path, marker=marker)
    if target.is_dir() and not os.access(target, os.W_OK | os.X_OK):
        # The old folder is emptied and removed once swapped out: refused before any work, not left behind.
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(target.parent):
        recover_interrupted_swap(target)
        remove_leftovers(target.parent, _retired_patterns(target.name))
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new.", dir=target.parent))
        try:
            with held(staging):
                yield staging
                _publishable(staging, directory=True)
                checkpoint(f"staged {target.name}")
                _swap_in(staging, target)
                checkpoint(f"swapped {target.name}")
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        checkpoint(f"retired {target.name}")
