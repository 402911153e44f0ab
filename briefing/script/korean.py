"""Korean number words a presenter uses in the script's own sentences: "열 가지 소식", "첫 번째 소식"."""

from __future__ import annotations

_NATIVE_UNITS = ("", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉")
_NATIVE_TENS = ("", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔")
_SINO_DIGITS = ("", "", "이", "삼", "사", "오", "육", "칠", "팔", "구")  # 1 is silent before 백/천: 백, not 일백


def native_count(number: int) -> str:
    """The native-Korean word that counts before a counter noun: 1 → 한, 10 → 열, 20 → 스무, 21 → 스물한.

    From 100 on, hundreds are read in Sino-Korean and the rest natively, as presenters do (120 → 백스무).
    """
    if number < 1 or number > 9999:
        raise ValueError(f"no counting word for {number} (1–9999)")
    hundreds, rest = divmod(number, 100)
    return _sino_hundreds(hundreds) + _native_below_100(rest)


def ordinal(number: int) -> str:
    """The ordinal a presenter says: 1 → 첫 번째, 2 → 두 번째, 11 → 열한 번째, 20 → 스무 번째."""
    return "첫 번째" if number == 1 else f"{native_count(number)} 번째"


def _native_below_100(number: int) -> str:
    tens, units = divmod(number, 10)
    if tens == 2 and units == 0:
        return "스무"  # the counting form of 스물
    return _NATIVE_TENS[tens] + _NATIVE_UNITS[units]


def _sino_hundreds(hundreds: int) -> str:
    thousands, rest = divmod(hundreds, 10)
    words = ""
    if thousands:
        words += _SINO_DIGITS[thousands] + "천"
    if rest:
        words += _SINO_DIGITS[rest] + "백"
    return words
