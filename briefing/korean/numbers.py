"""Korean number words: Sino-Korean cardinals (일 이 삼), native ones (하나 둘 셋), month names, decimals, digits."""

from __future__ import annotations

from num2words import num2words

# From 경 (10^16) on nobody reads a number as a quantity: such a string is an identifier, read digit by digit.
_LONGEST_QUANTITY = 16  # digits

SINO_DIGITS = "영일이삼사오육칠팔구"
# Digit strings with a leading zero (007, 010) are codes; a presenter says 공 for their zeros.
_CODE_DIGITS = "공일이삼사오육칠팔구"

_NATIVE_UNITS = ("", "하나", "둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉")
_NATIVE_TENS = ("", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔")
# Before a counter the first four numbers and twenty contract: 한 개, 두 명, 세 시, 네 곳, 스무 살.
_CONTRACTED = {"하나": "한", "둘": "두", "셋": "세", "넷": "네", "스물": "스무"}

_MONTHS = ("", "일월", "이월", "삼월", "사월", "오월", "유월", "칠월", "팔월", "구월", "시월", "십일월", "십이월")

# English names of digits, as Koreans read them inside codes such as B2C (비투씨) and 5G (파이브지).
ENGLISH_DIGITS = ("제로", "원", "투", "쓰리", "포", "파이브", "식스", "세븐", "에잇", "나인")


def read_digits(digits: str, zero: str = "영") -> str:
    """Digit by digit: '84' → '팔사' (decimal places, identifiers)."""
    table = zero + SINO_DIGITS[1:]
    return "".join(table[int(d)] for d in digits)


def sino(digits: str) -> str:
    """A digit string as a Sino-Korean cardinal: '1682' → '천육백팔십이', '10000' → '만', '100000000' → '일억'."""
    if len(digits) > 1 and digits.startswith("0"):
        return read_digits(digits, zero=_CODE_DIGITS[0])
    if len(digits) > _LONGEST_QUANTITY:
        return read_digits(digits)
    return num2words(int(digits), lang="ko")


def sino_scaled(digits: str, scale: int) -> str:
    """A count of a large unit: ('1682', 10**8) → '천육백팔십이억', ('5000', 10**4) → '오천만', ('1', 10**4) → '만'."""
    if len(digits) + len(str(scale)) - 1 > _LONGEST_QUANTITY or (len(digits) > 1 and digits.startswith("0")):
        return read_digits(digits) + sino(str(scale))[-1]
    return num2words(int(digits) * scale, lang="ko")


def decimal(integer: str, fraction: str) -> str:
    """'29', '75' → '이십구 점 칠오': the whole part as a number, the places digit by digit."""
    return f"{sino(integer)} 점 {read_digits(fraction)}"


def native(value: int, before_counter: bool = True) -> str:
    """1–99 in native Korean: 3 → '세' before a counter ('셋' alone), 20 → '스무', 24 → '스물네'."""
    if not 1 <= value <= 99:
        raise ValueError(f"native Korean numbers run from 1 to 99, not {value}")
    tens, units = divmod(value, 10)
    tens_word, unit_word = _NATIVE_TENS[tens], _NATIVE_UNITS[units]
    if before_counter:
        if unit_word:
            unit_word = _CONTRACTED.get(unit_word, unit_word)
        else:
            tens_word = _CONTRACTED.get(tens_word, tens_word)
    return tens_word + unit_word


def native_ordinal(value: int) -> str:
    """The word before 번째/째: 1 → '첫', 2 → '두', 11 → '열한', 20 → '스무'."""
    return "첫" if value == 1 else native(value)


def month(value: int) -> str:
    """A month's name: 6 → '유월', 10 → '시월'."""
    if not 1 <= value <= 12:
        raise ValueError(f"there is no month {value}")
    return _MONTHS[value]


def english_digits(digits: str) -> str:
    """Digits inside a Latin code, read in English: '2' → '투', '3' → '쓰리'."""
    return "".join(ENGLISH_DIGITS[int(d)] for d in digits)
