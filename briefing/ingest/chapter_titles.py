"""A short chapter title for a story, the way an editor would write it: its opening sentence as a headline (see
`briefing.ingest.headline`), else its leading name and how the story introduces it, else what it is about.

Names, nouns and phrases come from Kiwi's morphological analysis of the story's prose."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing.analyser import kiwi
from briefing.ingest.headline import Morpheme, headline, news_of, sentences, topic_phrase

if TYPE_CHECKING:  # kiwipiepy is imported by briefing.analyser, after it has set Kiwi's allocator up
    from kiwipiepy import Token

MAX_TITLE_CHARS = 30
GLOSS_WEIGHT = 3
# A story that opens with a word about the newsletter ("이어서는 … 소개합니다") has its headline a sentence or two on.
HEADLINE_SENTENCES = 3
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
_QUOTE_MARKS = "'\"‘’“”"
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
    """A title the way an editor would write it, from how the story opens: its first sentence as a headline
    ("쇼피, 성수동에 첫 팝업 매장 열어"); where the opening sentences have no subject of their own, the story's leading
    name with the phrase the story introduces it by ("EZZY, 공유자동차 업체"), else what the story is about; at
    most 30 characters."""
    return chapter_titles([paragraphs])[0]


def chapter_titles(stories: Sequence[Sequence[str]]) -> list[str]:
    """`chapter_title` for many stories at once: Kiwi analyses them in one batch, on all cores."""
    texts = [_URL.sub(" ", " ".join(paragraphs))[:MAX_ANALYSED_CHARS] for paragraphs in stories]
    openings = [len(paragraphs[0]) if paragraphs else 0 for paragraphs in stories]
    analysed = kiwi().tokenize(texts)
    return [_title(tokens, text, opening) for tokens, text, opening in zip(analysed, texts, openings, strict=True)]


def _title(tokens: list[Token], text: str, opening_end: int) -> str:
    opening = sentences([Morpheme.of(token) for token in tokens])[:HEADLINE_SENTENCES]
    names = leading_names(noun_terms(tokens, text), text, opening_end)
    story_name = names[0] if names else None
    for sentence in opening:
        title = headline(
            sentence, text, _conjugate, limit=MAX_TITLE_CHARS, stop_nouns=_STOP_NOUNS, story_name=story_name
        )
        if title:
            return title
    for sentence in opening:
        announced = news_of(sentence, text, MAX_TITLE_CHARS)
        if announced:
            return announced
    described = described_name(story_name, tokens, text) if story_name else None
    if described:
        return described
    topic = topic_phrase(opening[0], text, _STOP_NOUNS) if opening else None
    if topic and len(topic) > MAX_TITLE_CHARS:
        topic = _last_words(topic)
    if topic and story_name and story_name in topic:
        return topic
    return (story_name or topic) or _opening_words(text)


def _conjugate(stem: str, tag: str) -> str:
    """A verb's headline form: 열 → 열어, 선보이 → 선보여."""
    return kiwi().join([(stem, tag), ("어", "EC")])


def _last_words(phrase: str) -> str:
    words = phrase.split()
    while len(words) > 1 and len(" ".join(words)) > MAX_TITLE_CHARS:
        words = words[1:]
    return " ".join(words)[:MAX_TITLE_CHARS]


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
    while last >= 0 and before[last].tag == "SSO" and before[last].form in _QUOTE_MARKS:
        last -= 1  # a quoted name: "라이브 커머스 앱 ‘팔라파’"
    between = text[before[last].end : name_start] if last >= 0 else ""
    if last >= 1 and before[last].tag == "ETM" and before[last - 1].tag == "VCP":
        last -= 2  # "플랫폼인" → "플랫폼"
    if last < 0 or before[last].tag not in _PHRASE_NOUN_TAGS or between.strip(_QUOTE_MARKS + " "):
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
