"""A short chapter title for a story: its leading name and how the story introduces it, else its key nouns.

Names, nouns and phrases come from Kiwi's morphological analysis of the story's prose."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing.analyser import kiwi

if TYPE_CHECKING:  # kiwipiepy is imported by briefing.analyser, after it has set Kiwi's allocator up
    from kiwipiepy import Token

MAX_TITLE_CHARS = 30
MAX_TERMS = 3
SEPARATOR = " · "
GLOSS_WEIGHT = 3
# A title comes from how a story opens; reading further only costs time on very long stories.
MAX_ANALYSED_CHARS = 2000

_NOUN_TAGS = {"NNG", "NNP"}
# A name glossed by Han characters or a Latin spelling right after it: 콰이(快手), 포멜로(Pomelo).
_GLOSS_AFTER = re.compile(r"['’‘\"”]?\s*\(\s*[\u3400-\u4dbf\u4e00-\u9fffA-Za-z]")
# Latin names with two or more capitals or digits (EZZY, JDD, B2C). Capitalised words (Pomelo, Central) are left
# out: in Korean prose they gloss a name the analyser already finds in Hangul (포멜로(Pomelo)).
_LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9&]*[A-Z0-9][A-Za-z0-9&]*(?![A-Za-z0-9])")
_URL = re.compile(r"https?://\S+")
# What a describing noun phrase is made of: nouns, Latin words, 의, and determiners/adverbs like "또 다른".
_PHRASE_NOUN_TAGS = {"NNG", "NNP", "SL"}
_PHRASE_TAGS = _PHRASE_NOUN_TAGS | {"JKG", "MM", "MAG", "XPN", "XSN", "SN"}
_GLOSS = re.compile(r"\s*[(（][^()（）]*[)）]")

# Places and words too general to name a story by (they would title half the stories of a China newsletter).
_GENERIC_NAMES = frozenset(
    """중국 한국 일본 미국 대만 홍콩 인도 유럽 태국 베트남 싱가포르 인도네시아 말레이시아 필리핀
    국내 해외 세계 아시아 동남아 동남아시아 북경 베이징 상하이 선전 서울 도쿄 URL""".split()
)
_STOP_NOUNS = frozenset(
    """이번 주 오늘 지난주 올해 작년 내년 당일 기간 현재 최근 소개 사용 이야기 소식 관련 내용 수 것 등 때 년 월 일
    성과 발표 예정 설명 확인 바 가량 분석 수치 측 중 하나 이상 대비 전년 동기 기사 모양 화두 발표회 이용자 사용자
    관계자 통계 자료 규모 경우 정도 사이 이후 이전 최초 최대 계획 업계 회사 기업 업체 서비스 따름 전망 예상 말
    가운데 방식 기능 시간 평균 전체 절반 수준 목표 마지막""".split()
)


@dataclass(frozen=True)
class Term:
    form: str
    start: int
    end: int
    is_name: bool


def chapter_title(paragraphs: Sequence[str]) -> str:
    """The story's leading name with the phrase the story introduces it by ("누리로지스, 국내 물류 자동화 기업"),
    else that name and the story's most frequent key nouns ("콰이 · 콘텐츠 · 이미지"); at most 30 characters."""
    return chapter_titles([paragraphs])[0]


def chapter_titles(stories: Sequence[Sequence[str]]) -> list[str]:
    """`chapter_title` for many stories at once: Kiwi analyses them in one batch, on all cores."""
    texts = [_URL.sub(" ", " ".join(paragraphs))[:MAX_ANALYSED_CHARS] for paragraphs in stories]
    openings = [len(paragraphs[0]) if paragraphs else 0 for paragraphs in stories]
    analysed = kiwi().tokenize(texts)
    return [_title(tokens, text, opening) for tokens, text, opening in zip(analysed, texts, openings, strict=True)]


def _title(tokens: list[Token], text: str, opening_end: int) -> str:
    terms = noun_terms(tokens, text)
    names = leading_names(terms, text, opening_end)
    described = described_name(names[0], tokens, text) if names else None
    return described or keyword_title([*names, *key_nouns(terms, text)]) or _opening_words(text)


def keyword_title(forms: list[str]) -> str:
    picks: list[str] = []
    for form in forms:
        if len(picks) == MAX_TERMS:
            break
        if any(form in chosen or chosen in form for chosen in picks):
            continue
        if len(SEPARATOR.join([*picks, form])) <= MAX_TITLE_CHARS:
            picks.append(form)
    return SEPARATOR.join(picks)


def described_name(name: str, tokens: list[Token], text: str) -> str | None:
    """ "EZZY, 공유자동차 업체" when the story says "공유자동차 업체 EZZY가": the first noun phrase of two or more
    nouns standing right before the name (an apposition, or one joined by 인: "… 플랫폼인 포멜로")."""
    token_ends = [token.end for token in tokens]
    for occurrence in re.finditer(re.escape(name), text):
        before = tokens[: bisect.bisect_right(token_ends, occurrence.start())]
        phrase = _phrase_before(before, text, occurrence.start())
        if phrase:
            words = phrase.split()
            while words and len(f"{name}, {' '.join(words)}") > MAX_TITLE_CHARS:
                words = words[1:]  # the nearest words carry the meaning: "…의 핀테크 계열사"
            if len(words) >= 2:
                return f"{name}, {' '.join(words)}"
    return None


def _phrase_before(before: list[Token], text: str, name_start: int) -> str | None:
    last = len(before) - 1
    if last >= 1 and before[last].tag == "ETM" and before[last - 1].tag == "VCP":
        last -= 2  # "플랫폼인" → "플랫폼"
    if last < 0 or before[last].tag not in _PHRASE_NOUN_TAGS or text[before[-1].end : name_start].strip():
        return None
    first = last
    while first > 0:
        previous = before[first - 1]
        if previous.tag == "SSC":  # a gloss in brackets inside the phrase: 핑안그룹(平安集团)의
            opening = next((i for i in range(first - 2, -1, -1) if before[i].tag == "SSO"), None)
            if opening is None or opening == 0:
                break
            first = opening
        elif previous.tag in _PHRASE_TAGS:
            first -= 1
        else:
            break
    while first <= last and before[first].tag not in _PHRASE_NOUN_TAGS:
        first += 1
    nouns = sum(1 for token in before[first : last + 1] if token.tag in _PHRASE_NOUN_TAGS)
    if nouns < 2:
        return None
    phrase = _GLOSS.sub("", text[before[first].start : before[last].end])
    return re.sub(r"\s+", " ", phrase).strip()


def noun_terms(tokens: list[Token], text: str) -> list[Term]:
    """Compound nouns (adjacent noun morphemes with no space between) and Latin names, in text order."""
    terms: list[Term] = []
    compound: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and token.tag in _NOUN_TAGS and (not compound or compound[-1].end == token.start):
            compound.append(token)
            continue
        if compound:
            terms.append(_compound_term(compound, text))
        compound = [token] if token is not None and token.tag in _NOUN_TAGS else []
    # Two-letter acronyms (AI, ID) are topics, not the names a listener would look a story up by.
    terms.extend(Term(m.group(), m.start(), m.end(), True) for m in _LATIN_NAME.finditer(text) if len(m.group()) > 2)
    return [t for t in sorted(terms, key=lambda t: t.start) if _worth_naming(t)]


def leading_names(terms: list[Term], text: str, opening_end: int) -> list[str]:
    """The story's names, most prominent first: mentions (substrings count, so 징동 also counts 징동그룹),
    counted twice in the opening paragraph; a Han or Latin gloss after the name (콰이(快手)); a mention in
    the first sentence. Only the first may be a name mentioned once."""
    first_seen = {t.form: t.start for t in terms if t.is_name}
    first_sentence_end = _first_sentence_end(text)
    opening = text[:opening_end]

    def prominence(form: str) -> int:
        glossed = any(_GLOSS_AFTER.match(text, m.end()) for m in re.finditer(re.escape(form), text))
        mentions = text.count(form) + opening.count(form)
        return mentions + GLOSS_WEIGHT * glossed + (first_seen[form] < first_sentence_end)

    ranked = sorted(first_seen, key=lambda form: (-prominence(form), first_seen[form]))
    return ranked[:1] + [form for form in ranked[1:2] if text.count(form) >= 2]


def key_nouns(terms: list[Term], text: str) -> list[str]:
    """Common nouns by how often they occur; a two-word phrase said at least twice (무인 주유소) counts double."""
    counts = Counter(t.form for t in terms if not t.is_name)
    first_seen = {t.form: t.start for t in reversed(terms)}
    nouns = [t for t in terms if not t.is_name]
    for left, right in itertools.pairwise(nouns):
        phrase = text[left.start : right.end]
        if phrase == f"{left.form} {right.form}" and text.count(phrase) >= 2:
            counts[phrase] = 2 * text.count(phrase)
            first_seen.setdefault(phrase, left.start)
    return sorted(counts, key=lambda form: (-counts[form], first_seen[form]))


def _compound_term(tokens: list[Token], text: str) -> Term:
    start, end = tokens[0].start, tokens[-1].end
    return Term(text[start:end], start, end, any(token.tag == "NNP" for token in tokens))


def _worth_naming(term: Term) -> bool:
    if len(term.form) < 2 or term.form in _STOP_NOUNS or term.form in _GENERIC_NAMES:
        return False
    return not term.form.isdigit()


def _first_sentence_end(text: str) -> int:
    match = re.search(r"[.!?。](?:\s|$)", text)
    return match.end() if match else len(text)


def _opening_words(text: str) -> str:
    words = text.split()
    title = ""
    for word in words:
        if len(f"{title} {word}".strip()) > MAX_TITLE_CHARS:
            break
        title = f"{title} {word}".strip()
    return title or text[:MAX_TITLE_CHARS].strip()
