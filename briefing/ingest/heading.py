"""The title line `[Show name] N. Title` → show, episode number (when the title gives one) and title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError

# An episode number is taken only where the title gives one: after 제, No., #, Vol. or EP (7, 제7호, #7, Vol. 7), or
# a number closed by 호/회 or by a separator (7., 7:, 7)). A number that begins a date or a count ("10월 첫째 주",
# "2024.11.3", "3가지 소식") is the title's own, and so is one of more than six digits (never cut to fit).
_EDITION = r"\s*[호회](?![가-힣])"  # 7호, 7회 (not 2호선)
_NUMBER = (
    rf"(?:제\s*(?P<ordinal>\d{{1,6}}){_EDITION}"
    r"|(?:No\.?|\#|Vol\.?|EP\.?|Episode)\s*(?P<marked>\d{1,6})(?!\d)(?![\d.,]*[\w%])"
    r"|(?!\d{4}\s*[.\-/]\s*\d|\d{1,2}\s*\.\s*\d{1,2}\s*\.)"  # not a date: 2024. 11. 3., 11. 3.(월)
    rf"(?P<plain>\d{{1,6}})(?:{_EDITION}|\s*[.:)\-–—](?!\d)))"  # 7. but not 12.5%
    r"\s*[.:)\-–—]?"
)
_SHOW_TITLE = re.compile(r"^\s*\[(?P<show>[^\]]+)\]\s*(?P<rest>.*?)\s*$")
_NUMBER_TITLE = re.compile(rf"^\s*{_NUMBER}\s*(?P<title>.*?)\s*$", re.IGNORECASE)
_TRAILING_NUMBER = re.compile(r"[-_ .]*(\d{1,6})$")


@dataclass(frozen=True)
class Heading:
    show: str
    number: int | None  # None: the title gives none (the script stage numbers the episode after the show's last)
    title: str


def parse_heading(line: str, path: Path, line_number: int | None, *, strict: bool) -> Heading:
    """Show, number and title from the title line.

    `strict` (plain text) demands the newsletter's `[Show] Title` (`[Show] 7. Title` with a number); Markdown and
    HTML titles may leave the show out, and then it comes from the file name (`asia-tech-brief-002.md` → "Asia Tech
    Brief").
    """
    bracketed = _SHOW_TITLE.match(line)
    if bracketed is None and strict:
        raise BriefingError(
            "has no title line: the first line must read like '[Show name] 7. Title'", path, line_number
        )
    show = bracketed["show"].strip() if bracketed else show_from_file_name(path)
    number, title = split_number(bracketed["rest"] if bracketed else line.strip())
    if not title:
        raise BriefingError("has a title line without a title: write it like '[Show name] 7. Title'", path, line_number)
    return Heading(show, number, title)


def split_number(text: str) -> tuple[int | None, str]:
    """(episode number or None, title) from what follows the show: "7. 소식" → (7, "소식"), "10월 소식" → (None, …)."""
    numbered = _NUMBER_TITLE.match(text)
    if numbered is None:
        return None, text.strip()
    return int(numbered["ordinal"] or numbered["marked"] or numbered["plain"]), numbered["title"]


def show_from_file_name(path: Path) -> str:
    words = _TRAILING_NUMBER.sub("", path.stem).replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words)
