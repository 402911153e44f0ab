"""How long an episode is, said one way everywhere: whole seconds counted as players count them.

A player shows a length of 128.9 s as 2:08 (it counts the seconds fully played), so the feed's itunes:duration,
the listening pages ("2분 8초") and the command line's summaries ("2:08") all truncate to whole seconds too.
"""

from __future__ import annotations


def whole_seconds(ms: int) -> int:
    """`128_900` → `128`: the whole seconds in a length, as a player counts them."""
    return max(ms, 0) // 1000


def clock(ms: int) -> str:
    """`128_900` → `2:08`; an hour or more → `1:02:03`."""
    hours, rest = divmod(whole_seconds(ms), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def korean_length(ms: int) -> str:
    """`754_900` → `12분 34초`, as a Korean listener reads a length."""
    hours, rest = divmod(whole_seconds(ms), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}시간"] if hours else []
    if minutes or hours:
        parts.append(f"{minutes}분")
    parts.append(f"{seconds}초")
    return " ".join(parts)
