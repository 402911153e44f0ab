"""Speaker marks: who reads a paragraph of a script, written at its start in Markdown bold, as in a play script.

    **민호:** 다음 소식입니다.        this paragraph, and the ones after it in the chapter, are 민호's
    **민호**: 다음 소식입니다.        the same
    **민호:**                        alone on its line: the paragraphs after it (under a heading: the whole chapter)

A chapter starts with the lead presenter (the first in show.toml) until a mark says otherwise.
"""

from __future__ import annotations

import re

MARK = re.compile(r"^\*\*(?P<name>[^*\n]+?)\s*(?::\*\*|\*\*\s*:)\s*")


def split_mark(text: str) -> tuple[str | None, str]:
    """(the name a mark at the start of `text` gives, the rest); (None, text) when there is no mark."""
    match = MARK.match(text)
    if not match or not match["name"].strip():
        return None, text
    return " ".join(match["name"].split()), text[match.end() :]


def with_mark(name: str | None, text: str) -> str:
    """`text` with a mark for `name` in front (none for None)."""
    if name is None:
        return text
    return f"**{name}:** {text}" if text else f"**{name}:**"


def resolve_speakers(marks: tuple[str | None, ...], count: int) -> list[str | None]:
    """Who reads each of `count` paragraphs: a mark holds until the next one; None (the lead) before the first."""
    speakers: list[str | None] = []
    current: str | None = None
    for index in range(count):
        if index < len(marks) and marks[index]:
            current = marks[index]
        speakers.append(current)
    return speakers
