"""HTTP byte ranges (RFC 9110 §14): one `Range: bytes=…` header → the slice of a file to send, or why not."""

from __future__ import annotations

import re
from dataclasses import dataclass

# One range only: a-b, a- or -n. Several ranges (multipart replies) are not needed by browsers or podcast apps.
SINGLE_RANGE = re.compile(r"bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", re.IGNORECASE)


class UnsatisfiableRange(Exception):
    """The range asks for bytes the file does not have: answer 416 with `Content-Range: bytes */size`."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as Content-Range writes it

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single byte range `header` asks of a `size`-byte file, or None to send the whole file.

    Headers that are absent, malformed or ask for several ranges are ignored (the whole file is sent),
    as RFC 9110 allows; a well-formed range beyond the end raises UnsatisfiableRange.
    """
    if not header:
        return None
    match = SINGLE_RANGE.fullmatch(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last n bytes
        suffix = _position(last)
        if suffix == 0 or size == 0:
            raise UnsatisfiableRange(header)
        return ByteRange(max(size - suffix, 0), size - 1)
    start = _position(first)
    if last and _position(last) < start:
        return None  # malformed: ignored, not refused
    if start >= size:
        raise UnsatisfiableRange(header)
    end = min(_position(last), size - 1) if last else size - 1
    return ByteRange(start, end)


# No file is 10^18 bytes; a longer number is "beyond any end" (and Python would not even convert 5,000 digits).
_LONGEST_POSITION = 18


def _position(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= _LONGEST_POSITION else 10**_LONGEST_POSITION
