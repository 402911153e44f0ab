"""A story's opening sentence said as a headline, the way an editor titles a story: its subject, what it did and to
what — "쇼피가 서울 성수동에 첫 팝업 매장을 열었습니다." → "쇼피, 성수동에 첫 팝업 매장 열어".

Works on Kiwi's analysis of the sentence: the subject is the noun phrase before the subject particle (이/가) or the
topic particle (은/는) whose clause is the sentence's own (not a relative clause), the predicate is the sentence's
last verb, and its nearest object (을/를, dropped) and place (에, kept) are what it did it to. A verb made of a noun
and 하다/되다 becomes that noun (발표했습니다 → 발표); another verb its headline form (열었습니다 → 열어).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kiwipiepy is imported by briefing.analyser, after it has set Kiwi's allocator up
    from kiwipiepy import Token as KiwiToken

# A verb's headline form from its stem and tag: ("열", "VV") → "열어".
Conjugate = Callable[[str, str], str]

# Tags of the tokens a noun phrase is made of: nouns, Latin words, numbers and their counters, 의, determiners,
# affixes; quotes and glossing brackets are passed over.
_PHRASE_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "SL", "SN", "SW", "XSN", "XPN", "MM", "JKG", "SH"})
_NAME_TAGS = frozenset({"NNP", "SL"})
_NOUN_TAGS = frozenset({"NNG", "NNP", "SL"})
_PREDICATE_TAGS = frozenset({"VV", "VA", "XSV", "XSA", "VCP"})
_TOPIC_FORMS = frozenset({"은", "는"})
# Verbs that say nothing alone (있다, 하다, 되다 …): a headline needs the noun they go with.
_LIGHT_VERBS = frozenset({"있", "없", "하", "되", "이", "아니", "같", "보", "가", "오"})
# What a newsletter says of itself ("이번 글", "징동 소식이 많았습니다"): no story's subject.
META_NOUNS = frozenset({"소식", "이야기", "내용", "글", "기사", "모양", "이번", "오늘", "소개", "등", "것", "바"})
# What a newsletter calls the news it brings: "X의 태국 진출 소식".
NEWS_NOUNS = frozenset({"소식", "이야기"})
# Verbs a newsletter uses of itself ("… 소개하고자 합니다", "… 마감합니다", "… 덧댑니다").
_META_VERBS = frozenset({"소개", "마감", "덧대", "전하", "정리"})
_QUOTES = "'\"‘’“”「」『』"
_GLOSS = re.compile(r"\s*[(（][^()（）]*[)）]")


@dataclass(frozen=True)
class Morpheme:
    """What a headline needs of one of Kiwi's tokens (a morpheme with its tag and place)."""

    form: str
    tag: str  # without Kiwi's irregular-conjugation suffix (VV-I → VV)
    start: int
    end: int
    full_tag: str  # with it, for conjugating the verb

    @classmethod
    def of(cls, token: KiwiToken) -> Morpheme:
        return cls(token.form, token.tag.split("-")[0], token.start, token.end, token.tag)


def sentences(tokens: Sequence[Morpheme]) -> list[list[Morpheme]]:
    """The tokens cut into sentences at Kiwi's sentence-final punctuation."""
    found: list[list[Morpheme]] = []
    current: list[Morpheme] = []
    for token in tokens:
        current.append(token)
        if token.tag == "SF":
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def headline(
    sentence: Sequence[Morpheme],
    text: str,
    conjugate: Conjugate,
    *,
    limit: int,
    stop_nouns: frozenset[str],
    story_name: str | None = None,
) -> str | None:
    """The sentence as a headline of at most `limit` characters, or None when it has no subject and main verb of its
    own (a sentence about the newsletter itself, a report of what others said …).

    `conjugate(stem, tag)` gives a verb's headline form (Kiwi's join: 열 → 열어). `story_name`, the name the story
    is most about, is not left in the object of a sentence whose subject is someone else."""
    main = main_predicate(sentence)
    if main is None:
        return None
    subject = _subject(sentence, main, stop_nouns)
    if subject is None:
        return None
    predicate = _predicate_words(sentence, main, text, conjugate, stop_nouns)
    if predicate is None or _stem(sentence, main) in _META_VERBS:
        return None
    arguments = _arguments(sentence, main, text, subject[1], stop_nouns)
    head, is_name = subject[0], subject[2]
    if not is_name and story_name and any(story_name in argument for argument in arguments):
        return None  # "현지 조사업체들은 … 팔라파를 꼽습니다": the story is about 팔라파, not who picked it
    for kept in range(len(arguments), -1, -1):
        words = [*arguments[len(arguments) - kept :], predicate]
        title = f"{head}, {' '.join(words)}" if is_name else " ".join([head, *words])
        # Without what it was done to, only a verbal noun after a described subject or what a subject is says
        # something: "디디추싱의 일본 진출 발표" and "콰이, 영상 앱" do, "티몰, 소개" and "… 꼽혀" do not.
        alone_says_enough = sentence[main].tag == "VCP" or (not is_name and sentence[main].tag in ("XSV", "XSA"))
        if len(title) <= limit and (kept or alone_says_enough):
            return title
    return None


def _stem(sentence: Sequence[Morpheme], main: int) -> str:
    """The main verb's meaning: the verbal noun of 발표하다, else the verb's stem."""
    verb = sentence[main]
    if verb.tag in ("XSV", "XSA") and main and sentence[main - 1].tag == "NNG":
        return sentence[main - 1].form
    return verb.form


def main_predicate(sentence: Sequence[Morpheme]) -> int | None:
    """The index of the sentence's own verb: the last one before its final ending, auxiliaries passed over
    ("소개하려고 합니다" → 하 of 소개하)."""
    ending = max((i for i, token in enumerate(sentence) if token.tag == "EF"), default=None)
    if ending is None:
        return None
    index = ending - 1
    while index >= 0 and sentence[index].tag in ("EP", "EC", "VX"):
        if sentence[index].tag == "VX":  # 하려고 "합니다": the verb before the auxiliary is the one meant
            index -= 1
            while index >= 0 and sentence[index].tag in ("EC", "EP"):
                index -= 1
            break
        index -= 1
    if index < 0 or sentence[index].tag not in _PREDICATE_TAGS:
        return None
    # "줄이기로 했습니다", "도입하기로 했습니다": what was decided is the verb before 기로.
    if index >= 3 and sentence[index].form == "하" and [t.form for t in sentence[index - 2 : index]] == ["기", "로"]:
        if sentence[index - 3].tag in _PREDICATE_TAGS:
            return index - 3
    return index


def _subject(sentence: Sequence[Morpheme], main: int, stop_nouns: frozenset[str]) -> tuple[str, int, bool] | None:
    """(what to call the subject, index of its particle, whether it is one word — a name — that takes a comma) for the
    sentence's subject or topic, when its clause is the main one: the first verb after it that is not a modifier
    (지난, 비롯한) is the main verb. Words about the newsletter itself (오늘은, 소식이) are passed over."""
    for index in range(main):
        token = sentence[index]
        is_subject = token.tag == "JKS" or (token.tag == "JX" and token.form in _TOPIC_FORMS)
        if not is_subject or index == 0 or sentence[index - 1].tag not in _PHRASE_TAGS | {"SSC"}:
            continue
        first = _phrase_start(sentence, index)
        phrase = sentence[first:index]
        words = _words(phrase)
        last_word = words[-1] if words else []
        if not any(t.tag in _NOUN_TAGS for t in phrase):
            continue
        if "".join(t.form for t in last_word if t.tag in _NOUN_TAGS | {"NNB"}) in META_NOUNS:
            continue  # "오늘은", "징동 소식이 많았습니다": about the newsletter, not the story
        if not _clause_is_main(sentence, index, main):
            return None  # the sentence's subject belongs to another clause; a later one would not be its own
        if any(t.tag in _NAME_TAGS for t in last_word) or len(words) == 1:  # a name, or one word: "정부, …"
            return _clean("".join(t.form for t in last_word if t.tag not in ("SH",))), index, True
        return _clean(" ".join("".join(t.form for t in word) for word in words)), index, False
    return None


def _clause_is_main(sentence: Sequence[Morpheme], particle: int, main: int) -> bool:
    for index in range(particle + 1, main + 1):
        token = sentence[index]
        if token.tag == "JKS":
            return False  # a second subject: "… 건설할 바가 있습니다"
        if token.tag in _PREDICATE_TAGS and index != main and not _is_modifier(sentence, index):
            return False
        if token.tag in _PREDICATE_TAGS and index == main:
            return True
    return False


def _is_modifier(sentence: Sequence[Morpheme], index: int) -> bool:
    """Whether the verb at `index` only describes what follows it (지난 6일, 비롯한, 화두인) rather than being a
    clause's verb (열고, 사용하면서)."""
    following = index + 1
    while following < len(sentence) and sentence[following].tag == "EP":
        following += 1
    return following < len(sentence) and sentence[following].tag in ("ETM", "ETN")


def _predicate_words(
    sentence: Sequence[Morpheme], main: int, text: str, conjugate: Conjugate, stop_nouns: frozenset[str]
) -> str | None:
    verb = sentence[main]
    before = sentence[main - 1] if main else None
    if verb.tag in ("XSV", "XSA") and before is not None and before.tag == "NNG" and before.end == verb.start:
        return before.form  # 발표/NNG 하/XSV → 발표
    if verb.tag == "VCP":
        if before is None or before.tag not in _NOUN_TAGS or before.form in stop_nouns:
            return None
        return _clean(text[sentence[_phrase_start(sentence, main)].start : before.end])
    if verb.form in _LIGHT_VERBS:
        return None
    return conjugate(verb.form, verb.full_tag)


def _arguments(
    sentence: Sequence[Morpheme], main: int, text: str, subject_particle: int, stop_nouns: frozenset[str]
) -> list[str]:
    """What the main verb was done to, nearest last: its object (을/를 dropped) and a place before it (에 kept).
    Adverbs between them (본격적으로, 대폭) are passed over."""
    index = main - 1
    if sentence[main].tag in ("XSV", "XSA"):
        index -= 1  # the verbal noun itself
    found: list[str] = []
    while index > subject_particle and len(found) < 2:
        token = sentence[index]
        if token.tag in ("MAG", "SP"):
            index -= 1
            continue
        if token.tag == "JKB" and token.form in ("으로", "로") and index >= 2 and sentence[index - 1].tag == "XSN":
            index = _phrase_start(sentence, index) - 1  # 본격적으로, 정식적으로: an adverb in all but name
            continue
        if token.tag == "JKO" or (token.tag == "JKB" and token.form == "에"):
            first = _phrase_start(sentence, index)
            if first == index:
                break
            phrase_tokens = sentence[first:index]
            while phrase_tokens and (phrase_tokens[0].form in stop_nouns or phrase_tokens[0].tag == "JKG"):
                phrase_tokens = phrase_tokens[1:]  # "올해 3분기 실적" → "3분기 실적"
            if not phrase_tokens:
                break
            words = _clean(text[phrase_tokens[0].start : phrase_tokens[-1].end])
            found.insert(0, words + ("에" if token.tag == "JKB" else ""))
            index = first - 1
            continue
        break
    return found


def _phrase_start(sentence: Sequence[Morpheme], end: int) -> int:
    """The first index of the noun phrase that ends right before `end`, brackets and quotes passed over."""
    first = end
    while first > 0:
        previous = sentence[first - 1]
        if previous.tag in ("SSC", "SSO") and previous.form in _QUOTES:
            first -= 1
        elif previous.tag == "SSC":
            opening = next((i for i in range(first - 2, -1, -1) if sentence[i].tag == "SSO"), None)
            if opening is None:
                break
            first = opening
        elif previous.tag in _PHRASE_TAGS:
            first -= 1
        else:
            break
    while first < end and sentence[first].tag not in _PHRASE_TAGS - {"JKG"}:
        first += 1  # a phrase does not begin with 의 or an opening quote
    return first


def _words(tokens: Sequence[Morpheme], *, genitive: bool = False) -> list[list[Morpheme]]:
    """Tokens grouped into the words they were written as (no space between them), glosses left out; 의 too,
    unless `genitive` (then it ends its word: "툰마루의")."""
    words: list[list[Morpheme]] = []
    depth = 0
    for token in tokens:
        if token.tag == "SSO" and token.form not in _QUOTES:
            depth += 1
            continue
        if token.tag == "SSC" and token.form not in _QUOTES:
            depth = max(depth - 1, 0)
            continue
        if depth or token.tag in ("SSO", "SSC") or (token.tag == "JKG" and not genitive):
            continue
        if words and (words[-1][-1].end == token.start or token.tag == "JKG"):
            words[-1].append(token)
        else:
            words.append([token])
    return words


def _clean(text: str) -> str:
    """Without glosses in brackets and quotes, on one line."""
    text = _GLOSS.sub("", text)
    text = text.translate({ord(quote): None for quote in _QUOTES})
    return re.sub(r"\s+", " ", text).strip()


def topic_phrase(sentence: Sequence[Morpheme], text: str, stop_nouns: frozenset[str]) -> str | None:
    """What the sentence's main verb is about when it has no subject of its own: its object, words like 이야기 and
    소식 dropped ("알리바바의 무인 주유소 이야기를 덧댑니다" → "알리바바의 무인 주유소")."""
    main = main_predicate(sentence)
    if main is None:
        return None
    arguments = _arguments(sentence, main, text, -1, stop_nouns)
    if not arguments or arguments[-1].endswith("에"):
        return None
    words = arguments[-1].split()
    while words and (words[-1] in stop_nouns or words[-1] in META_NOUNS):
        words.pop()
    return " ".join(words) or None


def news_of(sentence: Sequence[Morpheme], text: str, limit: int) -> str | None:
    """What the newsletter says it brings, where a sentence only announces it: "툰마루의 태국 진출 소식이
    전해졌습니다" → "툰마루, 태국 진출"; "디지털 무역 정책 소식을 전하며" → "디지털 무역 정책"."""
    for index, token in enumerate(sentence):
        marks = token.tag in ("JKS", "JKO") or (token.tag == "JX" and token.form in _TOPIC_FORMS)
        if not marks or index == 0 or sentence[index - 1].form not in NEWS_NOUNS:
            continue
        first = _phrase_start(sentence, index - 1)
        words = _words(sentence[first : index - 1], genitive=True)
        if not words:
            continue
        owner = max((i for i, word in enumerate(words) if word[-1].tag == "JKG"), default=None)
        if owner is not None and any(t.tag in _NAME_TAGS for t in words[owner][:-1]) and owner < len(words) - 1:
            name = "".join(t.form for t in words[owner][:-1])
            rest = " ".join("".join(t.form for t in word) for word in words[owner + 1 :])
            title = f"{name}, {rest}"
        elif len(words) >= 2:
            title = " ".join("".join(t.form for t in word) for word in words)
        else:
            continue
        title = _clean(title)
        if len(title) <= limit:
            return title
    return None
