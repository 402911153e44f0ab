"""Text made safe for XML 1.0 and for one-line cues: characters XML forbids are dropped, whitespace collapsed."""

from __future__ import annotations

import re

from briefing.feedspec.xmltext import NOT_XML_CHAR as _NOT_XML_CHAR

_WHITESPACE_RUN = re.compile(r"\s+")


def xml_safe(text: str) -> str:
    """`text` without the characters an XML document may not contain."""
    return _NOT_XML_CHAR.sub("", text)


def one_line(text: str) -> str:
    """`text` made XML-safe on a single line, runs of whitespace collapsed to one space."""
    return _WHITESPACE_RUN.sub(" ", xml_safe(text)).strip()
