"""The characters a feed (XML 1.0) can carry: a field holding any other is refused where it is read, or dropped
from free text where the feed is written."""

from __future__ import annotations

import re

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF; C1 controls
# (U+007F–U+009F) are allowed but discouraged, and no newsletter means them, so they go too.
NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def unwritable_character(text: str) -> str | None:
    """The first character of `text` a feed cannot carry (a control character, a lone surrogate, U+FFFE or U+FFFF),
    or None."""
    found = NOT_XML_CHAR.search(text)
    return found.group() if found else None


def unwritable_problem(text: str) -> str | None:
    """What is wrong with `text` as a field of a feed, in words; None when nothing is."""
    bad = unwritable_character(text)
    return f"holds the character U+{ord(bad):04X}, which a feed cannot carry (a control character)" if bad else None
