"""English words in Hangul: the CMU Pronouncing Dictionary read offline, the 외래어 표기법's rules for English clause by
clause (on the standard's own examples), the named adjustments, and the spelling fallback."""

from __future__ import annotations

import pytest

from briefing.speech import english

# 외래어 표기법 제3장 제1절 (영어의 표기), 제1항–제9항: every example word the clauses give, with its Hangul.
STANDARD_EXAMPLES = {
    # 제1항 무성 파열음
    "gap": "갭", "cat": "캣", "book": "북", "apt": "앱트", "setback": "셋백", "act": "액트", "stamp": "스탬프",
    "cape": "케이프", "nest": "네스트", "part": "파트", "desk": "데스크", "make": "메이크", "apple": "애플",
    "mattress": "매트리스", "chipmunk": "치프멍크", "sickness": "시크니스",
    # 제2항 유성 파열음
    "bulb": "벌브", "land": "랜드", "zigzag": "지그재그", "lobster": "로브스터", "kidnap": "키드냅",
    "signal": "시그널",
    # 제3항 마찰음
    "mask": "마스크", "jazz": "재즈", "graph": "그래프", "olive": "올리브", "thrill": "스릴", "bathe": "베이드",
    "flash": "플래시", "shrub": "슈러브", "shark": "샤크", "shank": "섕크", "fashion": "패션", "sheriff": "셰리프",
    "shopping": "쇼핑", "shoe": "슈", "shim": "심", "mirage": "미라지", "vision": "비전",
    # 제4항 파찰음
    "Keats": "키츠", "odds": "오즈", "switch": "스위치", "bridge": "브리지", "Pittsburgh": "피츠버그",
    "hitchhike": "히치하이크", "chart": "차트", "virgin": "버진",
    # 제5항 비음
    "steam": "스팀", "corn": "콘", "ring": "링", "lamp": "램프", "hint": "힌트", "ink": "잉크", "hanging": "행잉",
    "longing": "롱잉",
    # 제6항 유음
    "hotel": "호텔", "pulp": "펄프", "slide": "슬라이드", "film": "필름", "helm": "헬름", "Hamlet": "햄릿",
    "Henley": "헨리",
    # 제7항 장모음, 제8항 중모음
    "team": "팀", "route": "루트", "time": "타임", "house": "하우스", "skate": "스케이트", "oil": "오일",
    "boat": "보트", "tower": "타워",
    # 제9항 반모음
    "word": "워드", "want": "원트", "woe": "워", "wander": "원더", "wag": "왜그", "west": "웨스트", "witch": "위치",
    "wool": "울", "swing": "스윙", "twist": "트위스트", "penguin": "펭귄", "whistle": "휘슬", "quarter": "쿼터",
    "yard": "야드", "yank": "얭크", "yearn": "연", "yellow": "옐로", "yawn": "욘", "you": "유", "year": "이어",
    "Indian": "인디언", "battalion": "버탤리언", "union": "유니언",
}  # fmt: skip

# Where the dictionary's American sounds (or its choice of sounds) part from the British ones the standard assumes.
KNOWN_DEVIATIONS = {
    "mask": "매스크",  # American [æ] for British [ɑː]
    "want": "완트",  # American [ɑ] spelt a, British [ɒ]
    "wander": "완더",
    "mirage": "머라지",  # the dictionary has [ər] in the first syllable
    "penguin": "펭권",  # the dictionary has [ə] in the second syllable
    "whistle": "위슬",  # the dictionary has no [h]
    "Hamlet": "햄렛",  # -et is written 엣 (market 마켓, rocket 로켓), as the common written forms have it
}


def test_the_dictionary_is_read_offline_from_the_package():
    assert english.dictionary_sounds("Google") == ["G", "UW1", "G", "AH0", "L"]
    assert english.dictionary_sounds("zzqxj") is None
    assert len(english._dictionary()) > 100_000


def test_the_standards_examples():
    said = {word: english.from_dictionary(word) for word in STANDARD_EXAMPLES}
    missing = [word for word, found in said.items() if found is None]
    assert not missing
    wrong = {word: found[0] for word, found in said.items() if found and found[0] != STANDARD_EXAMPLES[word]}
    assert wrong == KNOWN_DEVIATIONS
    assert len(STANDARD_EXAMPLES) - len(wrong) >= 85


@pytest.mark.parametrize(
    ("adjustment", "word", "expected"),
    [
        (english.short_o, "robot", "로봇"),
        (english.short_o, "shopping", "쇼핑"),
        (english.spelled_i, "digital", "디지털"),
        (english.spelled_i, "family", "패밀리"),
        (english.syllabic_l, "Google", "구글"),
        (english.syllabic_l, "title", "타이틀"),
        (english.syllabic_n, "garden", "가든"),
        (english.syllabic_n, "season", "시즌"),
        (english.final_a, "Tesla", "테슬라"),
        (english.spelled_et_and_ess, "market", "마켓"),
        (english.spelled_et_and_ess, "business", "비즈니스"),
    ],
)
def test_each_adjustment_makes_its_example(adjustment, word, expected):
    phones = english.dictionary_sounds(word)
    assert english.hangul(phones, word) == expected
    without = tuple(rule for rule in english.ADJUSTMENTS if rule is not adjustment)
    plain = english._write(english.sounds(_adjusted(phones, word, without)))
    assert plain != expected, f"{adjustment.__name__} changes nothing for {word}"


def _adjusted(phones, word, adjustments):
    for adjust in adjustments:
        phones = adjust(phones, word)
    return phones


def test_a_common_word_keeps_its_final_schwa():
    assert english.from_dictionary("data")[0] == "데이터"
    assert english.from_dictionary("India")[0] == "인디아"


def test_r_after_a_vowel_is_not_said_or_leaves_a_schwa():
    assert english.from_dictionary("Harbor")[0] == "하버"
    assert english.from_dictionary("care")[0] == "케어"
    assert english.from_dictionary("score")[0] == "스코어"
    assert english.from_dictionary("fire")[0] == "파이어"


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Zepeto", "제페토"), ("Tokopedia", "토코페디아"), ("Gojek", "고젝"), ("Pomelo", "포멜로"), ("Shopee", "쇼피")],
)
def test_a_word_in_no_dictionary_is_read_as_spelt(word, expected):
    assert english.dictionary_sounds(word) is None
    assert english.as_spelt(word) == expected


def test_the_spelling_rules_for_c_y_h_and_doubled_letters():
    assert english.spelling_sounds("Cica") == ["S", "IH", "K", "AA"]
    assert english.spelling_sounds("Yoho") == ["Y", "OH", "HH", "OH"]
    assert english.spelling_sounds("Mynt") == ["M", "IH", "N", "T"]
    assert english.spelling_sounds("Zappo") == ["Z", "AA", "P", "OH"]
    assert english.spelling_sounds("Blaze") == ["B", "L", "AA", "Z"]  # a final e after a vowel and a consonant
    assert english.spelling_sounds("Shopee") == ["SH", "OH", "P", "IY"]


@pytest.mark.parametrize(
    ("capitals", "as_word"),
    [
        ("NASA", True),
        ("LINE", True),
        ("SWIFT", True),
        ("NVIDIA", True),
        ("IBM", False),
        ("CCTV", False),
        ("IEEE", False),
        ("EZZY", False),
    ],
)
def test_capitals_said_as_a_word_or_letter_by_letter(capitals, as_word):
    assert english.said_as_word(capitals) is as_word
