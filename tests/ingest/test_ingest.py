"""read_issue on the two ten-story issues (the project's own and the real seed), the shipped example issue, and one
small issue in three formats and three encodings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from support.requirements import FIXTURES, REPO

from briefing.ingest import read_issue
from briefing.models import Issue, Source

INGEST = FIXTURES / "ingest"
EXAMPLE_ISSUE = REPO / "issues" / "asia-tech-brief-001.txt"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

DAUM = "http://v.media.daum.net/v/20171113112609008"
TECHNODE_ALI = "http://cn.technode.com/post/2017-11-02/aliclound-financial-report-2017-q2/"
LONGFAN_INLINE = "https://news.example.com/2026/12/03/longfan-november-deliveries"
LONGFAN_SOURCE = "https://news.example.com/2026/11/30/longfan-autonomy-subscriptions"


@pytest.fixture(scope="module")
def seed(seed_issue: Path) -> Issue:
    return read_issue(seed_issue)


@pytest.fixture(scope="module")
def own(own_issue: Path) -> Issue:
    return read_issue(own_issue)


@pytest.fixture(scope="module")
def ten_stories(ten_story_issue: Path) -> Issue:
    return read_issue(ten_story_issue)


def without_path(issue: Issue) -> Issue:
    return dataclasses.replace(issue, path=Path("-"))


# ---------------------------------------------------------------------------------- both ten-story issues


def test_ten_stories_each_with_its_sources(ten_stories: Issue) -> None:
    assert len(ten_stories.stories) == 10
    assert all(story.paragraphs and story.sources for story in ten_stories.stories)


def test_prose_keeps_no_links_or_source_lines(ten_stories: Issue) -> None:
    for story in ten_stories.stories:
        for paragraph in story.paragraphs:
            assert "http" not in paragraph
            assert "URL" not in paragraph and "썸네일 출처" not in paragraph
            assert "()" not in paragraph
            assert paragraph == paragraph.strip() and not paragraph.endswith(",")


def test_chapter_titles_are_short_readable_and_distinct(ten_stories: Issue) -> None:
    titles = [story.title for story in ten_stories.stories]
    assert all(0 < len(title) <= 30 for title in titles), titles
    assert not any(HAN.search(title) for title in titles), titles
    assert len(set(titles)) == len(titles)


# ------------------------------------------------------------------------------------------ the real seed


def test_seed_heading_and_date(seed: Issue) -> None:
    assert (seed.show, seed.number, seed.title) == ("Tech in China", 7, "11월 셋째 주의 중국 IT 이야기")
    assert seed.date == dt.date(2017, 11, 13)


def test_seed_has_ten_stories_closed_at_the_lines_with_urls(seed: Issue) -> None:
    # Seed lines 2-4, 5-6, 7, 8, 9-10, 11, 12-13, 14, 15-16, 17-18.
    assert [len(story.paragraphs) for story in seed.stories] == [3, 2, 1, 1, 2, 1, 2, 1, 2, 2]


def test_seed_story_sources(seed: Issue) -> None:
    stories = seed.stories
    assert stories[0].sources == (
        Source("https://www.sohu.com/a/118572909_539506", "source"),
        Source("https://www.analysys.cn/analysis/trade/detail/1000975/", "thumbnail"),
    )
    assert stories[1].sources == (Source(DAUM, "source"), Source(TECHNODE_ALI, "source"))
    assert stories[4].sources == (
        Source("http://cn.technode.com/post/2017-11-02/jd-central-thailand/", "source"),
        Source("http://cn.technode.com/post/2017-11-08/chinas-tech-giants-pours-money-in-southeast-asia/", "source"),
    )
    assert stories[9].sources == (Source("http://news.163.com/17/1109/16/D2QJC94L0001875N.html#f=post1603_tab_news"),)
    assert all(story.sources for story in stories)
    assert sum(len(story.sources) for story in stories) == 13


def test_seed_inline_url_and_source_line_leave_the_sentence_intact(seed: Issue, seed_issue: Path) -> None:
    line = seed_issue.read_text(encoding="utf-8").splitlines()[5]
    expected = line.replace(f"({DAUM})", "").split(" 내용 출처 URL:")[0]
    assert seed.stories[1].paragraphs[1] == expected


def test_seed_chapter_titles_name_the_stories(seed: Issue) -> None:
    titles = [story.title for story in seed.stories]
    assert titles[0].startswith("콰이")
    assert "EZZY" in titles[7]
    assert "디디추싱" in titles[8]


# ------------------------------------------------------------------------- the project's own ten-story issue


def test_own_heading_and_date(own: Issue) -> None:
    assert (own.show, own.number, own.title) == ("Asia Tech Brief", 2, "12월 셋째 주의 아시아 테크 이야기")
    # 1 December 2026 is a Tuesday: week 1 is the one holding Thursday the 3rd, so it starts on Monday 30
    # November and week 3 on the 14th (not on the month's third Monday, the 21st). The year is the URLs'.
    assert own.date == dt.date(2026, 12, 14)


def test_own_issue_has_ten_stories_closed_at_the_lines_with_urls(own: Issue) -> None:
    # Lines 2-4, 5-6, 7, 8-9, 10-11, 12, 13-14, 15, 16-17, 18-19: a story closes at the paragraph with its links.
    assert [len(story.paragraphs) for story in own.stories] == [3, 2, 1, 2, 2, 1, 2, 1, 2, 2]


def test_own_story_sources(own: Issue) -> None:
    stories = own.stories
    assert stories[0].sources == (  # "관련 내용의 URL: …, 썸네일 출처: …"
        Source("https://news.example.com/2026/12/08/palapa-live-commerce", "source"),
        Source("https://images.example.com/photos/2026/12/palapa-app.png", "thumbnail"),
    )
    assert stories[1].sources == (Source(LONGFAN_INLINE), Source(LONGFAN_SOURCE))  # "(https://…)" and "내용 출처 URL:"
    assert stories[3].sources == (Source("https://news.example.com/article.php?id=20261204&ref=mail"),)
    assert stories[4].sources == (  # two links after one label, the second sentence-final
        Source("https://news.example.com/2026/12/02/moa-vanlong-joint-venture/"),
        Source("https://news.example.com/2026/12/05/payments-race-southeast-asia/"),
    )
    assert stories[7].sources == (  # a bare "URL:" label
        Source("https://news.example.com/2026/11/29/hck-kitchens-close?utm_source=newsletter&utm_medium=email"),
    )
    assert stories[9].sources == (Source("https://news.example.com/2026/12/11/korea-japan-digital-trade#section-2"),)
    assert sum(len(story.sources) for story in stories) == 13


def test_own_inline_url_and_source_line_leave_the_sentence_intact(own: Issue, own_issue: Path) -> None:
    line = own_issue.read_text(encoding="utf-8").splitlines()[5]
    expected = line.replace(f"({LONGFAN_INLINE})", "").split(" 내용 출처 URL:")[0]
    assert own.stories[1].paragraphs[1] == expected
    assert expected.startswith("룽판자동차의 이번 실적이") and expected.endswith("업계 3위입니다.")


def test_own_chapter_titles_name_the_stories(own: Issue) -> None:
    titles = [story.title for story in own.stories]
    assert titles[0] == "팔라파, 라이브 커머스 앱"  # the researchers who pick it are not the story's subject
    assert titles[1] == "룽판자동차, 신생 전기차 업체"  # introduced by the phrase before it, its Han gloss left out
    assert titles[2] == "초록팜, AI 중심의 사업 계획 발표"  # its first sentence as a headline
    assert titles[3] == "기타카제철도, 홋카이도의 지방 철도 회사"
    assert titles[5] == "항신물류, 전략적 제휴 맺어"  # the first sentence is about the newsletter; the second
    assert titles[7] == "HCK, 문 닫아"  # a Latin name, and what happened to it
    assert titles[8] == "툰마루, 태국 진출"  # "툰마루의 태국 진출 소식이 전해졌습니다"
    assert titles[9] == "디지털 무역 정책"  # "… 디지털 무역 정책 소식을 전하며 이번 호를 마치겠습니다"
    assert not any(" · " in title for title in titles)


def test_example_issue(repo_root: Path) -> None:
    issue = read_issue(repo_root / "issues" / "asia-tech-brief-001.txt")
    assert (issue.show, issue.number, issue.title) == ("Asia Tech Brief", 1, "11월 넷째 주 아시아 테크 소식")
    assert issue.date == dt.date(2026, 11, 23)  # its URLs are dated 2026; week 4 of November starts on the 23rd
    assert [len(story.paragraphs) for story in issue.stories] == [2, 1, 1, 2]
    assert issue.stories[0].sources[1] == Source(
        "https://images.example.com/photos/2026/11/nuri-warehouse.jpg", "thumbnail"
    )
    assert issue.stories[1].sources[0] == Source("https://news.example.com/2026/11/19/longxin-sea-expansion")
    assert len(issue.stories[2].sources) == 2
    # Each story titled as an editor would, from its first sentence: its subject, what it did and to what.
    assert [story.title for story in issue.stories] == [
        "누리로지스, 3분기 실적 발표",
        "룽신테크, 동남아시아 시장에 진출",
        "스미레마켓, AI 가격 추천 기능 선보여",
        "오르빗딜리버리, 3,200만 달러 유치",
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949", "euc-kr", "utf-16"])
def test_encodings_give_identical_issues(tmp_path: Path, encoding: str) -> None:
    text = EXAMPLE_ISSUE.read_text(encoding="utf-8")
    utf8 = tmp_path / "utf8.txt"
    utf8.write_bytes(text.encode("utf-8"))
    other = tmp_path / f"{encoding}.txt"
    other.write_bytes(text.encode(encoding))
    assert without_path(read_issue(other)) == without_path(read_issue(utf8))


def test_short_cp949_text_is_detected(tmp_path: Path) -> None:
    text = "[짧은 소식] 3. 2024년 5월 2일 소식\n안녕하세요. 오늘은 짧습니다. URL: https://news.example.com/a\n"
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("cp949"))
    issue = read_issue(path)
    assert (issue.show, issue.title, issue.date) == ("짧은 소식", "2024년 5월 2일 소식", dt.date(2024, 5, 2))
    assert issue.stories[0].paragraphs == ("안녕하세요. 오늘은 짧습니다.",)


def test_forced_encoding_is_used(tmp_path: Path) -> None:
    text = EXAMPLE_ISSUE.read_text(encoding="utf-8")
    path = tmp_path / "issue.txt"
    path.write_bytes(text.encode("cp949"))
    assert without_path(read_issue(path, encoding="cp949")) == without_path(read_issue(EXAMPLE_ISSUE))


def test_windows_line_endings_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(EXAMPLE_ISSUE.read_bytes().replace(b"\n", b"\r\n"))
    assert without_path(read_issue(path)) == without_path(read_issue(EXAMPLE_ISSUE))


@pytest.mark.parametrize("name", ["small-issue.md", "small-issue.html"])
def test_markdown_and_html_give_the_same_issue_as_text(name: str) -> None:
    text_version = read_issue(INGEST / "small-issue.txt")
    assert without_path(read_issue(INGEST / name)) == without_path(text_version)
    # and that is a real segmentation, not an empty one
    assert len(text_version.stories) == 3
    assert text_version.stories[1].sources[1].kind == "thumbnail"
    assert text_version.stories[2].sources[0].url.endswith("?id=7&ref=mail")


def test_format_is_detected_from_content_when_the_extension_says_nothing(tmp_path: Path) -> None:
    for name in ("small-issue.md", "small-issue.html"):
        unnamed = tmp_path / name.replace(".", "-")  # no extension
        unnamed.write_bytes((INGEST / name).read_bytes())
        assert without_path(read_issue(unnamed)) == without_path(read_issue(INGEST / "small-issue.txt"))


def test_markdown_title_without_show_takes_the_show_from_the_file_name_and_no_number(tmp_path: Path) -> None:
    # The file name's number is not the episode's: only a title gives one (the script stage numbers the rest).
    path = tmp_path / "asia-tech-brief-012.md"
    path.write_text("# 12월 소식\n\n첫 소식입니다. 출처: https://news.example.com/2026/12/x\n", encoding="utf-8")
    issue = read_issue(path, today=dt.date(2030, 1, 1))
    assert (issue.show, issue.number, issue.title) == ("Asia Tech Brief", None, "12월 소식")


def test_html_with_inline_anchor_keeps_the_anchor_text(tmp_path: Path) -> None:
    path = tmp_path / "anchor.html"
    path.write_text(
        "<html><body><h1>[Show] 3. 소식</h1><p><a href='https://news.example.com/r'>로이터</a>에 따르면 "
        "출시가 늦어집니다.</p></body></html>",
        encoding="utf-8",
    )
    story = read_issue(path).stories[0]
    assert story.paragraphs == ("로이터에 따르면 출시가 늦어집니다.",)
    assert story.sources == (Source("https://news.example.com/r"),)


def test_html_mail_layout_without_paragraph_tags(tmp_path: Path) -> None:
    path = tmp_path / "mail.htm"
    path.write_text(
        "<html><head><title>메일</title></head><body>"
        "<header><h1>[Show] 8. 12월 소식</h1></header>"
        "<table><tr><td><a href='https://news.example.com/'><img src='banner.png'></a></td></tr>"
        "<tr><td><!-- preview text -->첫 소식입니다.<br>둘째 문장입니다. "
        "출처: <a href='https://news.example.com/2026/12/a'>원문</a></td></tr>"
        "<tr><td><div>둘째 소식입니다. <a href='mailto:desk@example.com'>제보</a>를 기다립니다. "
        "URL: https://news.example.com/2026/12/b</div></td></tr></table>"
        "<div class='email-footer'><div>수신 거부 <a href='https://news.example.com/u'>여기</a></div></div>"
        "</body></html>",
        encoding="utf-8",
    )
    issue = read_issue(path)
    assert (issue.show, issue.number, issue.title) == ("Show", 8, "12월 소식")
    assert [story.paragraphs for story in issue.stories] == [
        ("첫 소식입니다. 둘째 문장입니다.",),
        ("둘째 소식입니다. 제보를 기다립니다.",),
    ]
    assert [[s.url for s in story.sources] for story in issue.stories] == [
        ["https://news.example.com/2026/12/a"],
        ["https://news.example.com/2026/12/b"],
    ]


def test_markdown_in_a_txt_file_and_non_web_links(tmp_path: Path) -> None:
    path = tmp_path / "issue.txt"
    path.write_text(
        "# [Show] 9. 소식\n\n[![배너](https://img.example.com/b.png)](https://news.example.com/)\n\n"
        "첫 소식입니다. [편집부](mailto:desk@example.com)에 물어보세요. "
        "출처: [기사](https://news.example.com/2026/12/c)\n",
        encoding="utf-8",
    )
    story = read_issue(path).stories[0]
    assert story.paragraphs == ("첫 소식입니다. 편집부에 물어보세요.",)
    assert story.sources == (Source("https://news.example.com/2026/12/c"),)
