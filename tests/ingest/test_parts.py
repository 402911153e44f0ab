"""The ingest stage's pure parts: URL cleaning, source extraction, segmentation, dates, chapter titles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.ingest import read_issue
from briefing.ingest.chapter_titles import MAX_TITLE_CHARS, chapter_title
from briefing.ingest.dates import date_from_title, infer_episode_date, most_likely_year, week_monday, years_in_urls
from briefing.ingest.formats import Paragraph
from briefing.ingest.sources import Link, clean_url, extract_sources, split_urls
from briefing.ingest.stories import segment_stories
from briefing.models import Source


@pytest.mark.parametrize(
    ("printed", "url"),
    [
        ("http://v.media.daum.net/v/20171113112609008).", "http://v.media.daum.net/v/20171113112609008"),
        ("https://www.sohu.com/a/118572909_539506,", "https://www.sohu.com/a/118572909_539506"),
        ("https://en.wikipedia.org/wiki/Kuaishou_(app))", "https://en.wikipedia.org/wiki/Kuaishou_(app)"),
        ("http://a.example.com/x.html?docid=f1&subch=i.", "http://a.example.com/x.html?docid=f1&subch=i"),
        ("http://a.example.com/x.html#f=post1603_tab", "http://a.example.com/x.html#f=post1603_tab"),
        ("https://a.example.com/dir/", "https://a.example.com/dir/"),
    ],
)
def test_clean_url(printed: str, url: str) -> None:
    assert clean_url(printed) == url


def test_split_urls_stops_at_hangul_and_sentence_punctuation() -> None:
    pieces = split_urls("보도(https://a.example.com/1)와 https://b.example.com/2에서, 그리고 https://c.example.com/3.")
    assert [p.url for p in pieces if isinstance(p, Link)] == [
        "https://a.example.com/1",
        "https://b.example.com/2",
        "https://c.example.com/3",
    ]


@pytest.mark.parametrize(
    ("text", "prose", "sources"),
    [
        (
            "끝입니다. 관련 내용의 URL: https://a.example.com/1, 썸네일 출처: https://b.example.com/2",
            "끝입니다.",
            [Source("https://a.example.com/1"), Source("https://b.example.com/2", "thumbnail")],
        ),
        (
            "끝입니다. 내용 출처 URL: https://a.example.com/1, https://a.example.com/2",
            "끝입니다.",
            [Source("https://a.example.com/1"), Source("https://a.example.com/2")],
        ),
        (
            "보도가 있었습니다(http://a.example.com/1). 다음 문장.",
            "보도가 있었습니다. 다음 문장.",
            [Source("http://a.example.com/1")],
        ),
        (
            "보도가 있었습니다 ( https://a.example.com/1 ) 다음.",
            "보도가 있었습니다 다음.",
            [Source("https://a.example.com/1")],
        ),
        ("마지막 문장. URL: http://a.example.com/x#frag", "마지막 문장.", [Source("http://a.example.com/x#frag")]),
        ("괄호(센트럴 그룹의 설명)는 남습니다.", "괄호(센트럴 그룹의 설명)는 남습니다.", []),
        ("끝입니다. URL: https://a.example.com/1.", "끝입니다.", [Source("https://a.example.com/1")]),
        ("끝입니다(출처: https://a.example.com/1).", "끝입니다.", [Source("https://a.example.com/1")]),
        ("자세한 내용은 https://a.example.com/1 .", "자세한 내용은.", [Source("https://a.example.com/1")]),
    ],
)
def test_extract_sources_from_plain_text(text: str, prose: str, sources: list[Source]) -> None:
    assert extract_sources(split_urls(text)) == (prose, tuple(sources))


def test_labelled_anchor_text_leaves_the_prose_but_an_inline_anchor_stays() -> None:
    pieces = (
        Link("https://r.example.com/1", "로이터"),
        "에 따르면 늦어집니다. 출처: ",
        Link("https://s.example.com/2", "기사 원문"),
    )
    assert extract_sources(pieces) == (
        "로이터에 따르면 늦어집니다.",
        (Source("https://r.example.com/1"), Source("https://s.example.com/2")),
    )


def paragraphs(*texts: str) -> list[Paragraph]:
    return [Paragraph(split_urls(text), number) for number, text in enumerate(texts, start=2)]


def test_a_paragraph_with_sources_closes_the_story() -> None:
    stories = segment_stories(paragraphs("가.", "나. URL: https://a.example.com/1", "다. URL: https://a.example.com/2"))
    assert [s.paragraphs for s in stories] == [("가.", "나."), ("다.",)]


def test_a_source_only_paragraph_adds_to_the_story_it_follows() -> None:
    stories = segment_stories(
        paragraphs(
            "가.",
            "출처: https://a.example.com/1",
            "썸네일 출처: https://a.example.com/t",
            "나. URL: https://a.example.com/2",
        )
    )
    assert [s.paragraphs for s in stories] == [("가.",), ("나.",)]
    assert stories[0].sources == (Source("https://a.example.com/1"), Source("https://a.example.com/t", "thumbnail"))


def test_paragraphs_after_the_last_source_join_the_last_story() -> None:
    stories = segment_stories(paragraphs("가. URL: https://a.example.com/1", "맺음말입니다."))
    assert [s.paragraphs for s in stories] == [("가.", "맺음말입니다.")]


def test_an_issue_without_sources_is_one_story() -> None:
    stories = segment_stories(paragraphs("가.", "나."))
    assert [(s.paragraphs, s.sources) for s in stories] == [(("가.", "나."), ())]


@pytest.mark.parametrize(
    ("year", "month", "week", "monday"),
    [
        (2017, 11, 3, dt.date(2017, 11, 13)),  # 1 Nov 2017 is a Wednesday: week 1 holds Thursday 2 Nov
        (2026, 11, 4, dt.date(2026, 11, 23)),  # 1 Nov 2026 is a Sunday: week 1 starts Monday 2 Nov
        (2017, 6, 1, dt.date(2017, 5, 29)),  # 1 June 2017 is a Thursday: week 1 starts in May
        (2023, 12, 1, dt.date(2023, 12, 4)),  # 1 Dec 2023 is a Friday: that week belongs to November
        (2017, 11, -1, dt.date(2017, 11, 27)),
        (2017, 12, -1, dt.date(2017, 12, 25)),
    ],
)
def test_week_monday(year: int, month: int, week: int, monday: dt.date) -> None:
    assert week_monday(year, month, week) == monday
    assert monday.weekday() == 0


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("11월 셋째 주의 중국 IT 이야기", dt.date(2017, 11, 13)),
        ("2019년 11월 셋째 주 소식", dt.date(2019, 11, 18)),
        ("11월 3주차 소식", dt.date(2017, 11, 13)),
        ("11월 마지막 주 소식", dt.date(2017, 11, 27)),
        ("2017년 11월 20일 소식", dt.date(2017, 11, 20)),
        ("11월 20일의 소식", dt.date(2017, 11, 20)),
        ("주간 소식 2018-03-05", dt.date(2018, 3, 5)),
        ("주간 소식 2018.3.5", dt.date(2018, 3, 5)),
        ("주간 소식", None),
        ("2월 30일 소식", None),
    ],
)
def test_date_from_title(title: str, expected: dt.date | None) -> None:
    assert date_from_title(title, default_year=2017) == expected


def test_years_in_urls_reads_the_forms_news_sites_use() -> None:
    urls = [
        "http://cn.technode.com/post/2017-11-02/a/",
        "http://v.media.daum.net/v/20171113112609008",
        "http://money.163.com/17/1106/13/D2II4FM2002580S6.html",
        "https://www.leiphone.com/news/201711/uqeMPid9p85y7jZ8.html",
        "https://www.sohu.com/a/118572909_539506",  # an id, not a date
        "https://example.com/2099/01/future",  # not plausible
    ]
    assert years_in_urls(urls, today=dt.date(2026, 1, 1)) == [2017, 2017, 2017, 2017]


def test_most_likely_year() -> None:
    assert most_likely_year([2016, 2017, 2017], default=2000) == 2017
    assert most_likely_year([2016, 2017], default=2000) == 2017
    assert most_likely_year([], default=2000) == 2000


def test_infer_episode_date_uses_the_url_year_then_today() -> None:
    today = dt.date(2026, 5, 1)
    assert infer_episode_date("11월 20일 소식", ["https://a.example.com/2016/11/19/x"], today) == dt.date(2016, 11, 20)
    assert infer_episode_date("11월 20일 소식", [], dt.date(2026, 11, 2)) == dt.date(2026, 11, 20)
    assert infer_episode_date("주간 소식", ["https://a.example.com/2016/11/19/x"], today) == today


def test_a_year_less_title_date_far_ahead_of_today_is_last_years() -> None:
    january = dt.date(2027, 1, 8)
    assert infer_episode_date("12월 넷째 주 소식", [], january) == dt.date(2026, 12, 21)
    assert infer_episode_date("1월 둘째 주 소식", [], january) == dt.date(2027, 1, 11)
    assert infer_episode_date("2027년 12월 1일 소식", [], january) == dt.date(2027, 12, 1)


def test_read_issue_date_option_and_today(tmp_path: Path) -> None:
    path = tmp_path / "issue.txt"
    path.write_text("[Show] 5. 주간 소식\n한 문단. URL: https://a.example.com/2016/11/19/x\n", encoding="utf-8")
    assert read_issue(path, today=dt.date(2030, 2, 3)).date == dt.date(2030, 2, 3)
    assert read_issue(path, date=dt.date(2021, 1, 4), today=dt.date(2030, 2, 3)).date == dt.date(2021, 1, 4)


def test_chapter_title_prefers_the_glossed_name_and_drops_han() -> None:
    title = chapter_title(
        [
            "오늘은 인기 앱 콰이(快手)를 소개합니다. 콰이는 영상 앱입니다.",
            "콰이 이용자는 영상을 만들고, 영상을 공유합니다.",
        ]
    )
    assert title.startswith("콰이")
    assert "快" not in title and len(title) <= MAX_TITLE_CHARS


def test_chapter_title_stays_within_the_limit_for_long_names() -> None:
    title = chapter_title(["북경대몽커지유한회사스마트모빌리티연구소가 새 연구소를 세웠습니다. " * 3])
    assert 0 < len(title) <= MAX_TITLE_CHARS


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("끝났습니다. 출처 https://a.example.com/1", "끝났습니다."),
        ("끝났습니다. Source: https://a.example.com/1", "끝났습니다."),
        ("자세한 내용은 이 링크 https://a.example.com/1", "자세한 내용은 이 링크"),
    ],
)
def test_labels_without_a_colon_only_at_a_sentence_start(text: str, prose: str) -> None:
    assert extract_sources(split_urls(text)) == (prose, (Source("https://a.example.com/1"),))


@pytest.mark.parametrize(
    ("paragraph", "title"),
    [
        (
            "이어서 태국 전자상거래 플랫폼인 포멜로(Pomelo) 이야기를 소개합니다. 포멜로 사용자도 늘고 있습니다.",
            "포멜로, 태국 전자상거래 플랫폼",
        ),
        (
            "이번 주에는 중국 핑안그룹(平安集團)의 핀테크 계열사인 금융일장통(金融壹帳通) 소식을 전합니다. "
            "금융일장통 사용자도 늘고 있습니다.",
            "금융일장통, 중국 핑안그룹의 핀테크 계열사",
        ),
    ],
)
def test_a_story_opening_without_a_subject_is_titled_by_its_name_and_apposition(paragraph: str, title: str) -> None:
    assert chapter_title([paragraph]) == title


def test_chapter_title_trims_a_long_apposition_from_the_left() -> None:
    title = chapter_title(
        [
            "이번 주에는 동남아시아 최대 규모의 온라인 중고 거래 및 전자상거래 통합 플랫폼 스미레마켓 "
            "이야기입니다. 스미레마켓 사용자가 늘었다고 합니다."
        ]
    )
    assert title.startswith("스미레마켓, ") and title.endswith("통합 플랫폼") and len(title) <= MAX_TITLE_CHARS


# URL characters without the sentence punctuation that may follow a URL in prose.
URL_PATHS = st.text(alphabet="abcXYZ019-_/?=&#%~+", min_size=0, max_size=30).filter(
    lambda p: not p.endswith(("?", "&"))
)


@settings(max_examples=200, deadline=None)
@given(path=URL_PATHS, tail=st.sampled_from(["", ",", ".", ")", ").", ", ", "에서", "’", "입니다."]))
def test_any_printed_url_is_found_whole_and_leaves_the_prose(path: str, tail: str) -> None:
    url = f"https://news.example.com/{path}"
    pieces = split_urls(f"앞 문장입니다 ({url}{tail} 뒷말")
    assert [p.url for p in pieces if isinstance(p, Link)] == [url]  # the tail's punctuation is not the URL's
    prose, sources = extract_sources(pieces)
    assert "http" not in prose and "()" not in prose and sources == (Source(url),)
