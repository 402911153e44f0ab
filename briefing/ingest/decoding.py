"""Issue bytes → text: size and binary checks, then UTF-8 / BOM / CP949 (or a forced encoding) decoding."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from briefing.errors import BriefingError
from briefing.userfile import read_user_file

MAX_ISSUE_BYTES = 5 * 1024 * 1024

# Below this share of plausible characters a decoding is mojibake, not Korean (or Latin) text.
MIN_PLAUSIBLE_SHARE = 0.9


def read_issue_text(path: Path, encoding: str | None = None) -> str:
    """The issue file's text, newlines normalised; a BriefingError naming the file when it is not usable text."""
    data = read_issue_bytes(path)
    text = decode_forced(data, encoding, path) if encoding else decode_detected(data, path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_issue_bytes(path: Path) -> bytes:
    if not path.exists():
        raise BriefingError("no such issue file", path)
    if not path.is_file():
        raise BriefingError("is not a file (an issue must be a .txt, .md or .html file)", path)
    size = path.stat().st_size
    if size > MAX_ISSUE_BYTES:
        raise BriefingError(
            f"is {size / 1024 / 1024:.1f} MB, over the {MAX_ISSUE_BYTES // 1024 // 1024} MB limit for an issue", path
        )
    data = read_user_file(path, "issue file", limit=MAX_ISSUE_BYTES)
    if not data.strip():
        raise BriefingError("is empty", path)
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BriefingError("is a binary file, not a text issue", path)
    return data


def decode_forced(data: bytes, encoding: str, path: Path) -> str:
    try:
        codec = codecs.lookup(encoding)
    except LookupError as error:
        raise BriefingError(f"cannot be read as '{encoding}', which is not a known text encoding", path) from error
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError as error:
        raise BriefingError(
            f"is not valid {encoding} text (byte {error.start} does not decode); check the encoding", path
        ) from error
    text = text.removeprefix("\ufeff")
    _refuse_control_characters(text, path)
    if plausible_share(text) < MIN_PLAUSIBLE_SHARE:
        raise BriefingError(
            f"does not read as {encoding} text (it decodes to garbled characters); check the encoding", path
        )
    return text


def decode_detected(data: bytes, path: Path) -> str:
    """Strict UTF-8 (with or without BOM) first; else the most plausible of the detector's guesses and CP949.

    Detectors can misjudge short Korean texts (CP949 bytes also decode as GB18030 or EUC-JP), so every
    candidate is decoded strictly and scored by how much of it reads as Hangul or ASCII.
    """
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return decode_forced(data, codec, path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _best_guess(data, path)
    _refuse_control_characters(text, path)
    return text


def _best_guess(data: bytes, path: Path) -> str:
    candidates = ["cp949", *(match.encoding for match in from_bytes(data))]
    decoded = [text for text in (_strict_decode(data, name) for name in dict.fromkeys(candidates)) if text]
    scored = sorted(decoded, key=plausible_share, reverse=True)
    if not scored or plausible_share(scored[0]) < MIN_PLAUSIBLE_SHARE:
        raise BriefingError(
            "is in an encoding that cannot be recognised (not UTF-8 or CP949/EUC-KR); pass the encoding explicitly",
            path,
        )
    return scored[0]


def _strict_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def plausible_share(text: str) -> float:
    """Share of non-space characters that are ASCII, Hangul, or common punctuation (CJK ideographs count half)."""
    weights = [_plausibility(char) for char in text if not char.isspace()]
    return sum(weights) / len(weights) if weights else 0.0


def _plausibility(char: str) -> float:
    code = ord(char)
    if 0x20 <= code < 0x7F or 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return 1.0
    if 0x2000 <= code <= 0x206F or 0x3000 <= code <= 0x303F or char in "·×÷°±«»":
        return 1.0
    if 0x4E00 <= code <= 0x9FFF:
        return 0.5
    return 0.0


def _refuse_control_characters(text: str, path: Path) -> None:
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f")
    if controls > max(2, len(text) // 1000):
        raise BriefingError("is a binary file, not a text issue", path)
