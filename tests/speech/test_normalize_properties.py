"""Invariants of the spoken form, for any text at all: no ASCII digits, no Han, no links, one line, never an error;
Latin letters only where a lexicon entry chose them."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.speech.normalize import normalize

# Pieces a newsletter is made of, so that generated text exercises the rules and not only the fallbacks.
FRAGMENTS = [
    "2017",
    "년",
    "월",
    "일",
    "6",
    "10",
    "1/3",
    "~",
    "-",
    ".",
    ",",
    "%",
    "29.75",
    "억",
    "만",
    "조",
    "천",
    "1,900",
    "위안",
    "달러",
    "명",
    "개",
    "시간",
    "번째",
    "대",
    "분기",
    "위",
    "제",
    "AI",
    "B2C",
    "JDD-2017",
    "M-DAQ",
    "5G",
    "CCTV",
    "Gartner",
    "(",
    ")",
    "快手",
    "光棍節·",
    "·",
    "&",
    "+",
    "/",
    "http://",
    "https://a.b/c",
    "www.",
    "@",
    "example.com",
    "내용 출처 URL: ",
    "h",
    "t",
    "p",
    "ttp",
    "ht",
    "콰이",
    "징동",
    " ",
    "\n",
    "\t",
    "’",
    "'",
    '"',
    "０",
    "１",
    "²",
    "①",
    "㈜",
    "℃",
    "$",
    "€",
    "e-",
    "0",
    "00",
    "9" * 20,
    ":",
    "30",
    "%p",
    "ㄱ",
    "ㅋㅋ",
    "$7M",
    "US$",
    "1.2",
    "B",
    "bn",
    "mn",
    "K",
    "€",
    "£",
    "¥",
    "₩",
    "元",
    "余",
    "여",
    "(화)",
    "(火)",
    "14:30",
    "2:1",
    "+",
    "±",
    "▲",
    "▼",
    "℃",
    "[원문 보기](https://a.b/c)",
    "[",
    "](",
    "(005930)",
    "(NASDAQ: AAPL)",
    "GPT-4o",
    "Web3",
    "iOS 18.1",
    "v2.1",
    "1.2.3",
    "Apple",
    "NVIDIA",
    "LINE",
    "과",
    "를",
    "은",
    "Harbor",
    "Zepeto",
    "TikTok",
    "1588-1234",
    "+82-2-123-4567",
    "mAh",
    "km",
    "x",
    "2024. 11. 3.",
    "12/25(수)",
    "\ue000",
]

fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join)
any_text = st.text(max_size=80)
mixed_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=20).map("".join)
lexicons = st.dictionaries(
    st.text(min_size=1, max_size=6).filter(str.strip),
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)),
    max_size=4,
)


def is_han(char: str) -> bool:
    """Han by its Unicode name: an oracle independent of the ranges the normaliser uses."""
    name = unicodedata.name(char, "")
    return name.startswith(
        (
            "CJK UNIFIED IDEOGRAPH",
            "CJK COMPATIBILITY IDEOGRAPH",
            "KANGXI RADICAL",
            "CJK RADICAL",
            "IDEOGRAPHIC NUMBER ZERO",
            "HANGZHOU NUMERAL",
        )
    )


_URL_LIKE = re.compile(r"https?://|www\.|://", re.IGNORECASE)
_LATIN_RUN = re.compile(r"[A-Za-z]+")


def assert_speakable(spoken: str, lexicon: dict[str, str] | None = None) -> None:
    """No ASCII digit, Han character or link; Latin letters only as runs a lexicon entry's spoken form holds."""
    assert not any(char in "0123456789" for char in spoken), spoken
    assert not any(is_han(char) for char in spoken), spoken
    assert not _URL_LIKE.search(spoken), spoken
    assert "\n" not in spoken and spoken == spoken.strip(), spoken
    chosen = {run for value in (lexicon or {}).values() for run in _LATIN_RUN.findall(value)}
    # Chosen runs may stand side by side (GartnerGartner with Gartner = "A" is said AA).
    of_chosen = re.compile("(?:" + "|".join(map(re.escape, sorted(chosen, key=len, reverse=True))) + ")+")
    assert all(chosen and of_chosen.fullmatch(run) for run in _LATIN_RUN.findall(spoken)), spoken
    if not chosen:
        assert "http" not in spoken.lower(), spoken


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(fragment_text, any_text, mixed_text))
def test_any_text_becomes_speakable(text):
    assert_speakable(normalize(text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_text, lexicons)
def test_any_lexicon_keeps_the_output_speakable(text, lexicon):
    assert_speakable(normalize(text, lexicon), lexicon)


# What a producer might write to have a name said by the engine in its own letters.
latin_choices = st.from_regex(r"[A-Za-z]{1,8}(?: [A-Za-z가-힣]{1,5})?", fullmatch=True).filter(
    lambda value: not re.search("http|www", value, re.IGNORECASE)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join), latin_choices)
@example("GartnerGartner", "A")
def test_latin_letters_a_lexicon_entry_chooses_reach_the_engine(text, chosen):
    """An entry whose spoken form is in Latin letters (for an engine that says English itself) keeps them; every
    other Latin letter is said in Hangul."""
    lexicon = {"Gartner": chosen}
    spoken = normalize(f"{text} Gartner가 {text}", lexicon)
    assert_speakable(spoken, lexicon)
    for run in _LATIN_RUN.findall(chosen):
        assert run in spoken, (chosen, spoken)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**30), st.sampled_from(["", "년", "개", "명", "억", "%", "번째", "대", "월"])
)
def test_every_number_with_every_counter_is_read(number, counter):
    spoken = normalize(f"{number}{counter}")
    assert_speakable(spoken)
    assert spoken


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99))
def test_native_counters_below_a_hundred_never_use_sino_words(number):
    spoken = normalize(f"{number}명")
    assert spoken.endswith(" 명")
    # Sino digits never appear in a native number (일곱 and 여덟 contain 일/여 only as parts of native words).
    assert not any(word in spoken for word in ("이십", "삼십", "오십", "육", "칠십", "구십"))


def test_very_long_runs_are_read_without_error():
    """Past Python's 4300-digit int conversion limit, and runs that would make careless patterns backtrack."""
    for text in ("1" * 5000, "9" * 5000 + "." + "9" * 50 + "%", "1" * 5000 + "억", "A" * 3000, "http://" + "." * 3000):
        assert_speakable(normalize(text))
    assert normalize("1" * 20) == "일" * 20  # an identifier, digit by digit
