"""The title line `[Show name] N. Title` → show, episode number and title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError

_SHOW_NUMBER_TITLE = re.compile(
    r"^\s*\[(?P<show>[^\]]+)\]\s*(?:제\s*|No\.?\s*|#)?(?P<number>\d{1,6})\s*(?:호|회)?\s*[.:)\-–—]?\s*(?P<title>.*?)\s*$",
    re.IGNORECASE,
)
_NUMBER_TITLE = re.compile(
    r"^\s*(?:제\s*|No\.?\s*|#)?(?P<number>\d{1,6})\s*(?:호|회)?\s*[.:)\-–—]\s*(?P<title>.+?)\s*$"
)
_TRAILING_NUMBER = re.compile(r"[-_ .]*(\d{1,6})$")


@dataclass(frozen=True)
class Heading:
    show: str
    number: int
    title: str


def parse_heading(line: str, path: Path, line_number: int | None, *, strict: bool) -> Heading:
    """Show, number and title from the title line.

    `strict` (plain text) demands the seed's `[Show] N. Title`; Markdown and HTML titles may leave the show
    and number out, and then they come from the file name (`asia-tech-brief-002.md` → "Asia Tech Brief", 2).
    """
    full = _SHOW_NUMBER_TITLE.match(line)
    if full and full["title"]:
        return Heading(full["show"].strip(), int(full["number"]), full["title"])
    if strict:
        raise BriefingError(
            "has no title line: the first line must read like '[Show name] 7. Title'", path, line_number
        )
    numbered = _NUMBER_TITLE.match(line)
    number = int(numbered["number"]) if numbered else number_from_file_name(path)
    if number is None:
        raise BriefingError(
            "has a title without an episode number: write it like '[Show name] 7. Title'", path, line_number
        )
    return Heading(show_from_file_name(path), number, numbered["title"] if numbered else line.strip())


def number_from_file_name(path: Path) -> int | None:
    match = _TRAILING_NUMBER.search(path.stem)
    return int(match.group(1)) if match else None


def show_from_file_name(path: Path) -> str:
    words = _TRAILING_NUMBER.sub("", path.stem).replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words)
