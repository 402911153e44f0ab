"""Hangul syllables put together from letters (jamo) and taken apart: what the particle and transcription rules
need to know of a syllable (its final consonant) and how they write one (an initial, a vowel and a final)."""

from __future__ import annotations

_FIRST_SYLLABLE = 0xAC00  # 가
_SYLLABLES = 11172
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
RIEUL = FINALS.index("ㄹ")


def syllable(initial: str, vowel: str, final: str = "") -> str:
    """One syllable from its letters: ('ㄱ', 'ㅜ', 'ㄹ') → '굴'; ('ㅇ', 'ㅐ') → '애'."""
    return chr(
        _FIRST_SYLLABLE + (INITIALS.index(initial) * len(VOWELS) + VOWELS.index(vowel)) * len(FINALS)
        + FINALS.index(final)
    )  # fmt: skip


def final_consonant(word: str) -> int | None:
    """The final consonant's index in FINALS (0: none) of the word's last syllable; None when it does not end in
    Hangul. '징동' → 21 (ㅇ), '이지' → 0."""
    code = ord(word[-1]) - _FIRST_SYLLABLE if word else -1
    return code % len(FINALS) if 0 <= code < _SYLLABLES else None
