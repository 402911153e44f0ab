"""Utterances: paragraphs cut into sentences and clauses, each spoken form at most 100 characters, never mid-word."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.models import Chapter, Script, ScriptMeta
from briefing.speech.normalize import normalize
from briefing.speech.utterances import MAX_SPOKEN_CHARS, script_utterances, sentences, split_utterances

SENTENCE_END = re.compile(r"[.!?…)\]\"'’”]$")


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_well_cut(paragraph: str, pieces: list[tuple[str, str]], limit: int = MAX_SPOKEN_CHARS) -> None:
    """The written pieces are the paragraph in order; every spoken piece fits and is its written piece said."""
    assert squeezed("".join(written for written, _ in pieces)) == squeezed(paragraph)
    position = 0
    for index, (written, spoken) in enumerate(pieces):
        assert len(spoken) <= limit, spoken
        assert written == written.strip()
        start = paragraph.index(written, position)
        if index > 0 and written:
            # Between two pieces there is a space, or the first one ended a sentence: never a cut inside a word.
            assert (
                start > position and paragraph[position:start].isspace() or SENTENCE_END.search(pieces[index - 1][0])
            ), (pieces[index - 1][0], written)
        position = start + len(written)


def paragraphs_of(issue) -> list[str]:
    return [line for line in issue.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_paragraphs(seed_issue):
    return paragraphs_of(seed_issue)


@pytest.fixture(scope="module")
def own_paragraphs(own_issue):
    return paragraphs_of(own_issue)


def test_paragraphs_of_both_ten_story_issues_cut_into_fitting_pieces(ten_story_issue):
    for paragraph in paragraphs_of(ten_story_issue):
        pieces = split_utterances(paragraph)
        assert_well_cut(paragraph, pieces)
        for written, spoken in pieces:
            assert spoken == normalize(written)


def test_seed_paragraphs_are_cut_at_sentences(seed_paragraphs):
    pieces = split_utterances(seed_paragraphs[2])  # 콰이의 역사를 간단히 정리해 보겠습니다. 콰이는 GIF …
    assert pieces[0] == ("콰이의 역사를 간단히 정리해 보겠습니다.", "콰이의 역사를 간단히 정리해 보겠습니다.")
    assert pieces[1][1] == "콰이는 지아이에프 사진을 제작, 공유하는 앱으로 이천십일 년 삼월 출시되었습니다."
    assert len(pieces) == 5


def test_own_paragraphs_are_cut_at_sentences(own_paragraphs):
    pieces = split_utterances(own_paragraphs[2])  # 팔라파는 중고 물품을 … 2019년 7월 처음 문을 열었습니다. …
    assert (
        pieces[0][1]
        == "팔라파는 중고 물품을 사진으로 올려 사고파는 게시판 앱으로 이천십구 년 칠월 처음 문을 열었습니다."
    )
    assert pieces[-1] == ("팔라파에서는 하루 평균 약 250만 건의 라이브 방송이 열립니다.",
                          "팔라파에서는 하루 평균 약 이백오십만 건의 라이브 방송이 열립니다.")  # fmt: skip
    assert len(pieces) == 4


def test_own_long_sentence_is_cut_after_a_comma(own_paragraphs):
    """판매자가 … 끝낼 수 있으며, 지역 말로 … 인기 비결입니다. is too long to say at once (over 100 characters)."""
    pieces = split_utterances(own_paragraphs[1])
    cut = next(index for index, (written, _) in enumerate(pieces) if written.startswith("판매자가"))
    assert pieces[cut][0].endswith("끝낼 수 있으며,") and pieces[cut][1].endswith("끝낼 수 있으며")
    assert pieces[cut + 1][0].startswith("지역 말로") and pieces[cut + 1][0].endswith("인기 비결입니다.")


@pytest.mark.parametrize(
    ("which", "link", "said"),
    [
        ("seed", "http://v.media.daum.net/v/20171113112609008", "국내 보도가 있었습니다."),
        ("own", "https://news.example.com/2026/12/03/longfan-november-deliveries", "현지 보도가 나왔습니다."),
    ],
)
def test_a_link_in_parentheses_stays_with_its_sentence(request, which, link, said):
    paragraphs = request.getfixturevalue(f"{which}_paragraphs")
    paragraph = next(p for p in paragraphs if f"({link})" in p)
    first = split_utterances(paragraph)[0]
    assert first[0].endswith(f"({link}).")
    assert first[1].endswith(said)


@pytest.mark.parametrize(
    ("which", "label"),
    [("seed", "관련 내용의 URL: https://www.sohu.com/"), ("own", "관련 내용의 URL: https://news.example.com/")],
)
def test_source_lines_are_pieces_with_nothing_to_say(request, which, label):
    paragraph = request.getfixturevalue(f"{which}_paragraphs")[3]  # ends with 관련 내용의 URL: …, 썸네일 출처: …
    written, spoken = split_utterances(paragraph)[-1]
    assert written.startswith(label) and "썸네일 출처:" in written and spoken == ""


def test_a_long_sentence_is_cut_after_its_comma():
    sentence = (
        "영화와 드라마 등 다양한 대중문화 콘텐츠의 대사를 이용자의 이미지에 겹쳐서 립싱크하는 영상을 만들 수 있고, "
        "이미지에 특수 효과를 쉽게 얹을 수 있는 편집의 간편성이 콰이의 성공 비결로 꼽힙니다."
    )
    pieces = split_utterances(sentence)
    assert [written for written, _ in pieces] == [
        "영화와 드라마 등 다양한 대중문화 콘텐츠의 대사를 이용자의 이미지에 겹쳐서 립싱크하는 영상을 만들 수 있고,",
        "이미지에 특수 효과를 쉽게 얹을 수 있는 편집의 간편성이 콰이의 성공 비결로 꼽힙니다.",
    ]
    assert pieces[0][1].endswith("있고")  # the comma before the cut is a pause the cut itself makes


def test_without_punctuation_a_long_sentence_is_cut_after_a_clause_ending():
    sentence = (
        "또 다른 시장조사기관인 가트너가 발표한 2016년 글로벌 클라우드 시장조사에 의하면 "
        "알리클라우드가 글로벌 시장에서 "
        "아마존과 마이크로소프트를 이어 3위를 차지하고 있으며 앞으로도 그 자리를 지킬 것으로 보입니다."
    )
    pieces = split_utterances(sentence)
    assert len(pieces) == 2
    assert pieces[0][0].endswith(("의하면", "있으며"))
    assert_well_cut(sentence, pieces)


def test_a_sentence_with_spaces_only_is_cut_at_spaces():
    sentence = " ".join(["가나다라마바사"] * 40)  # 319 characters, no clause ending, no punctuation
    pieces = split_utterances(sentence)
    assert len(pieces) >= 4
    assert all(written.replace(" ", "").replace("가나다라마바사", "") == "" for written, _ in pieces)
    assert_well_cut(sentence, pieces)


def test_a_word_too_long_to_say_at_once_is_cut_as_a_last_resort():
    word = "가" * 250
    pieces = split_utterances(word)
    assert "".join(written for written, _ in pieces) == word
    assert all(0 < len(spoken) <= MAX_SPOKEN_CHARS for _, spoken in pieces)


def test_a_lexicon_entry_longer_than_the_limit_is_said_in_chunks():
    pieces = split_utterances("X", {"X": " ".join(["가나다"] * 60)})
    assert pieces[0][0] == "X" and all(written == "" for written, _ in pieces[1:])
    assert all(len(spoken) <= MAX_SPOKEN_CHARS for _, spoken in pieces)
    assert " ".join(spoken for _, spoken in pieces) == " ".join(["가나다"] * 60)


def test_a_lexicon_entry_is_never_cut():
    lexicon = {"JD Central 플랫폼": "징동 센트럴 플랫폼"}
    sentence = "가나다 " * 30 + "JD Central 플랫폼을 " + "라마바 " * 10 + "출시합니다."
    pieces = split_utterances(sentence, lexicon, limit=40)
    assert any("JD Central 플랫폼" in written for written, _ in pieces)
    assert_well_cut(sentence, pieces, limit=40)


def test_empty_paragraphs_have_no_pieces():
    assert split_utterances("") == [] and split_utterances("   ") == [] and sentences(" \n ") == []


def test_the_lexicon_is_used_for_the_spoken_form():
    assert split_utterances("JD는 성장했습니다.", {"JD": "징동"}) == [("JD는 성장했습니다.", "징동은 성장했습니다.")]


WORDS = st.sampled_from(
    [
        "콰이는",
        "2017년",
        "3월",
        "29.75억",
        "위안,",
        "있고,",
        "했으며",
        "AI",
        "B2C",
        "1/3",
        "징동",
        "(快手)",
        "http://a.b/c",
        "24시간",
        "7개",
        "합니다.",
        "그리고",
        "가나다라마바사아자차카타파하",
        "1682억",
        "~",
        "·",
        "99.84%",
        '"인용"',
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=60), st.integers(min_value=20, max_value=120))
def test_any_paragraph_is_cut_well(words, limit):
    paragraph = " ".join(words)
    assert_well_cut(paragraph, split_utterances(paragraph, limit=limit), limit=limit)


def test_script_utterances_number_chapters_and_paragraphs_and_skip_silence():
    meta = ScriptMeta(show="쇼", episode=1, title="제목", date=dt.date(2026, 11, 26), slug="ep-1", guid="g", source="i")
    script = Script(
        meta=meta,
        chapters=(
            Chapter(kind="opening", title="시작", paragraphs=("안녕하세요. 3월 소식입니다.",)),
            Chapter(
                kind="story", title="콰이", paragraphs=("콰이는 7개 나라에 있습니다.", "내용 출처 URL: http://a.b/c")
            ),
        ),
    )
    utterances = script_utterances(script, {"콰이": "콰이쇼우"})
    assert [(u.chapter, u.paragraph, u.written, u.spoken) for u in utterances] == [
        (0, 0, "안녕하세요.", "안녕하세요."),
        (0, 0, "3월 소식입니다.", "삼월 소식입니다."),
        (1, 0, "콰이는 7개 나라에 있습니다.", "콰이쇼우는 일곱 개 나라에 있습니다."),
    ]
