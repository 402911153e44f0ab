"""Korean words for the script's own sentences: "열 가지 소식", "첫 번째 소식", "다음 주에".

Built on the shared number words (`briefing.korean.numbers`), so the script and the normaliser count the same way.
"""

from __future__ import annotations

import datetime as dt

from briefing.korean.numbers import native, native_ordinal, sino

# When the next episode comes, as the closing says it ("… 다시 찾아뵙겠습니다"), by the show's cadence.
NEXT_TIME = {
    "daily": "내일",
    "weekly": "다음 주에",
    "biweekly": "2주 뒤에",
    "monthly": "다음 달에",
    "irregular": "다음 호에서",
}


def native_count(number: int) -> str:
    """The word that counts before a counter noun: 1 → 한, 10 → 열, 20 → 스무, 21 → 스물한.

    Native words stop at 99; from 100 on the hundreds are read in Sino-Korean and the rest natively, as
    presenters do (120 → 백스무).
    """
    if number < 1:
        raise ValueError(f"no counting word for {number}")
    hundreds, rest = divmod(number, 100)
    return (sino(str(hundreds * 100)) if hundreds else "") + (native(rest) if rest else "")


def ordinal(number: int) -> str:
    """The ordinal a presenter says: 1 → 첫 번째, 2 → 두 번째, 11 → 열한 번째, 20 → 스무 번째, 101 → 백한 번째."""
    word = native_ordinal(number) if number < 100 else native_count(number)
    return f"{word} 번째"


def next_time(cadence: str, date: dt.date) -> str:
    """When a show of `cadence` comes back after the episode of `date`: "다음 주에"; a weekday show's Friday episode
    says "다음 주 월요일에", its other days "내일"."""
    if cadence == "weekdays":
        return "다음 주 월요일에" if date.weekday() >= 4 else "내일"
    return NEXT_TIME[cadence]
