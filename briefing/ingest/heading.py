"""The title line `[Show name] N. Title` → show, episode number and title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError

_SHOW_NUMBER_TITLE = re.compile(
    r"^\s*\[(?P<show>[^\]]+)\]\s*(?:제\s*|No\.?\s*|#)?(?P<number>\d+)\s*(?:호|회)?\s*[.:)\-–—]?\s*(?P<title>.*?)\s*$",
    re.IGNORECASE,
)
_NUMBER_TITLE = re.compile(r"^\s*(?:제\s*|No\.?\s*|#)?(?P<number>\d+)\s*(?:호|회)?\s*[.:)\-–—]\s*(?P<title>.+?)\s*$")
_TRAILING_NUMBER = re.compile(r"[-_ .]*(\d+)$")
MAX_NUMBER_DIGITS = 6  # an episode number, not an identifier


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
        return Heading(full["show"].strip(), episode_number(full["number"], path, line_number), full["title"])
    if strict:
        raise BriefingError(
            "has no title line: the first line must read like '[Show name] 7. Title'", path, line_number
        )
    numbered = _NUMBER_TITLE.match(line)
    number = episode_number(numbered["number"], path, line_number) if numbered else number_from_file_name(path)
    if number is None:
        raise BriefingError(
            "has a title without an episode number: write it like '[Show name] 7. Title'", path, line_number
        )
    return Heading(show_from_file_name(path), number, numbered["title"] if numbered else line.strip())


def episode_number(digits: str, path: Path, line_number: int | None) -> int:
    """The episode number the title gives; refused when it is too long to be one (never cut to fit)."""
    if len(digits.lstrip("0")) > MAX_NUMBER_DIGITS:
        raise BriefingError(
            f"has an episode number of {len(digits)} digits; write one of at most {MAX_NUMBER_DIGITS}",
            path,
            line_number,
        )
    return int(digits)


def number_from_file_name(path: Path) -> int | None:
    match = _TRAILING_NUMBER.search(path.stem)
    return episode_number(match.group(1), path, None) if match else None


def show_from_file_name(path: Path) -> str:
    words = _TRAILING_NUMBER.sub("", path.stem).replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words)
