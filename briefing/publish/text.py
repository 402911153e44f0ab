"""Text made safe for XML 1.0 and for one-line cues: characters XML forbids are dropped, whitespace collapsed."""

from __future__ import annotations

import re

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF; C1 controls
# (U+007F–U+009F) are allowed but discouraged, and no newsletter means them, so they go too.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_WHITESPACE_RUN = re.compile(r"\s+")


def xml_safe(text: str) -> str:
    """`text` without the characters an XML document may not contain."""
    return _NOT_XML_CHAR.sub("", text)


def one_line(text: str) -> str:
    """`text` made XML-safe on a single line, runs of whitespace collapsed to one space."""
    return _WHITESPACE_RUN.sub(" ", xml_safe(text)).strip()
