"""Korean number words for the script's own sentences: "열 가지 소식", "첫 번째 소식".

Built on the shared number words (`briefing.korean.numbers`), so the script and the normaliser count the same way.
"""

from __future__ import annotations

from briefing.korean.numbers import native, native_ordinal, sino


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
