"""Reading a transcript's cue times independently of the code that wrote them."""

from __future__ import annotations

import re


def cue_times(transcript: str, decimal_mark: str) -> list[tuple[int, int]]:
    """(start, end) in ms of every cue of a WebVTT ('.') or SubRip (',') transcript, read independently."""
    stamp = rf"(\d\d):(\d\d):(\d\d){re.escape(decimal_mark)}(\d{{3}})"
    found = re.findall(rf"^{stamp} --> {stamp}$", transcript, re.MULTILINE)

    def ms(h, m, s, f):
        return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f)

    return [(ms(*times[:4]), ms(*times[4:])) for times in found]
