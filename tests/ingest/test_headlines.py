"""Chapter titles as an editor writes them, from the story's first sentence: its subject, what it did and to what;
never a list of keywords."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.ingest import read_issue
from briefing.ingest.chapter_titles import chapter_title

SHOPEE = (
    "동남아시아 최대 전자상거래 플랫폼 쇼피가 서울 성수동에 첫 팝업 매장을 열었습니다. 쇼피는 이번 매장에서 한국 "
    "화장품과 패션 브랜드 30곳의 상품을 판매하고, 현장에서 주문하면 싱가포르와 태국으로 바로 배송해 줍니다. 업계에서는 "
    "쇼피가 성수동 판매자를 모으려는 것으로 보고 있으며, 쇼핑 거리 성수동의 판매 경쟁도 커질 전망입니다."
)


def test_a_chapter_title_names_the_subject_from_the_first_sentence():
    assert chapter_title([SHOPEE]) == "쇼피, 서울 성수동에 첫 팝업 매장 열어"
    assert chapter_title(["애플이 iOS 19 베타를 공개했습니다. 이번 베타에는 받아쓰기 기능이 들어갔습니다."]) == (
        "애플, iOS 19 베타 공개"
    )


@pytest.mark.parametrize(
    ("story", "title"),
    [
        (
            "쇼피가 서울 성수동에 팝업 매장을 열었습니다. 성수동 매장에서는 한국 판매자의 상품을 판매합니다. "
            "쇼핑객들은 성수동 매장에서 바로 주문할 수 있습니다. 판매 상품은 화장품과 패션이 중심입니다.",
            "쇼피, 서울 성수동에 팝업 매장 열어",  # was "성수동 · 매장 · 상품"
        ),
        (
            "카카오가 새 인공지능 비서를 내놓았습니다. 비서는 일정과 메일을 정리해 줍니다. "
            "카카오는 비서를 내년까지 모든 이용자에게 열 계획입니다.",
            "카카오, 새 인공지능 비서 내놓아",  # was "카카오 · 비서 · 인공지능"
        ),
        (
            "네이버웹툰이 일본 시장에서 연간 거래액 1조 원을 넘겼습니다. 웹툰 거래액은 작년보다 20% 늘었습니다.",
            "네이버웹툰, 연간 거래액 1조 원 넘겨",  # was "웹툰 · 거래액 · 시장"
        ),
        (
            "정부가 내년부터 전기차 보조금을 줄이기로 했습니다. 보조금은 차 한 대에 최대 500만 원입니다. "
            "업계는 판매가 줄어들 것을 걱정합니다.",
            "정부, 전기차 보조금 줄여",  # was "보조금 · 정부 · 전기차"
        ),
    ],
)
def test_a_title_is_a_headline_not_a_keyword_list(story: str, title: str):
    assert chapter_title([story]) == title


def test_no_chapter_title_of_the_example_issue_is_a_keyword_list(repo_root: Path):
    titles = [story.title for story in read_issue(repo_root / "issues" / "asia-tech-brief-001.txt").stories]
    assert all(" · " not in title and 0 < len(title) <= 30 for title in titles), titles
