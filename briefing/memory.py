"""Giving memory back to the system between a build's stages, so that its peak is the largest stage's, not their sum.

glibc's malloc keeps freed memory for reuse; a stage that frees hundreds of megabytes (the analyser, the speech
clips once mixed) would leave them counted against the next. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018  # glibc's
        return libc
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return the freed memory glibc holds to the system."""
    if (libc := _libc()) is not None:
        libc.malloc_trim(0)
