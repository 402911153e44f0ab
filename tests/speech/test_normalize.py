"""The Korean spoken form, case by case: what a news presenter says for what the newsletter prints."""

from __future__ import annotations

import re

import pytest

from briefing.korean import numbers as kn
from briefing.speech import normalize as rules
from briefing.speech.lexicon import shipped_lexicon
from briefing.speech.normalize import normalize

# (written, spoken): every case written from the rules in the README ("Korean spoken form"), many of them
# phrases of a Korean tech newsletter.
CASES = [
    # Years, months, days.
    ("2017년", "이천십칠 년"),
    ("2011년 3월 출시", "이천십일 년 삼월 출시"),
    ("2012년 11월", "이천십이 년 십일월"),
    ("2017년 4월 29일까지", "이천십칠 년 사월 이십구 일까지"),
    ("2016년 글로벌", "이천십육 년 글로벌"),
    ("2018년 봄부터", "이천십팔 년 봄부터"),
    ("2018년 6월에", "이천십팔 년 유월에"),
    ("2000년", "이천 년"),
    ("1999년", "천구백구십구 년"),
    ("2010년대", "이천십 년대"),
    ("1월", "일월"),
    ("2월", "이월"),
    ("3월", "삼월"),
    ("4월", "사월"),
    ("5월", "오월"),
    ("6월", "유월"),
    ("7월", "칠월"),
    ("8월", "팔월"),
    ("9월 말까지", "구월 말까지"),
    ("10월 25일", "시월 이십오 일"),
    ("11월 11일의 광군제", "십일월 십일 일의 광군제"),
    ("12월", "십이월"),
    ("11월 2일부터", "십일월 이 일부터"),
    ("지난 6일", "지난 육 일"),
    ("지난 11일", "지난 십일 일"),
    ("1일", "일 일"),
    ("31일", "삼십일 일"),
    ("2017-11-02에", "이천십칠 년 십일월 이 일에"),
    ("2017.11.13 발표", "이천십칠 년 십일월 십삼 일 발표"),
    ("7월 1일", "칠월 일 일"),
    # Money and large units.
    ("1682억 위안", "천육백팔십이억 위안"),
    ("4억 위안에 달합니다", "사억 위안에 달합니다"),
    ("1900만 달러", "천구백만 달러"),
    ("2200만 달러 투자", "이천이백만 달러 투자"),
    ("1,900만 달러", "천구백만 달러"),
    ("1,280억 원", "천이백팔십억 원"),
    ("96억 원", "구십육억 원"),
    ("100원", "백 원"),
    ("5000원", "오천 원"),
    ("120달러", "백이십 달러"),
    ("5달러", "오 달러"),
    ("3달 동안", "세 달 동안"),
    ("300엔", "삼백 엔"),
    ("50유로", "오십 유로"),
    ("$100", "백 달러"),
    ("€20", "이십 유로"),
    ("₩5000", "오천 원"),
    ("5억 명", "오억 명"),
    ("1억 5000만 명", "일억 오천만 명"),
    ("6500만 명", "육천오백만 명"),
    ("600만 개", "육백만 개"),
    ("640만 명", "육백사십만 명"),
    ("84만 상자", "팔십사만 상자"),
    ("1만 명", "만 명"),
    ("10만", "십만"),
    ("1억", "일억"),
    ("1조 원", "일조 원"),
    ("3조 5000억 원", "삼조 오천억 원"),
    ("5천만 원", "오천만 원"),
    ("3백", "삼백"),
    # Decimals: the places digit by digit after 점.
    ("29.75억 위안", "이십구 점 칠오억 위안"),
    ("14.8억 건", "십사 점 팔억 건"),
    ("8.6억 건", "팔 점 육억 건"),
    ("1.5만", "일 점 오만"),
    ("99.84%", "구십구 점 팔사 퍼센트"),
    ("0.3%", "영 점 삼 퍼센트"),
    ("23.5%", "이십삼 점 오 퍼센트"),
    ("5.2일", "오 점 이 일"),
    ("3.14", "삼 점 일사"),
    ("1.5배", "일 점 오 배"),
    ("3.05", "삼 점 영오"),
    # Percentages.
    ("41%가 증가", "사십일 퍼센트가 증가"),
    ("99% 성장", "구십구 퍼센트 성장"),
    ("50%에 이릅니다", "오십 퍼센트에 이릅니다"),
    ("32%를", "삼십이 퍼센트를"),
    ("100%", "백 퍼센트"),
    ("3%p", "삼 퍼센트포인트"),
    ("15 %", "십오 퍼센트"),
    # Sino counters.
    ("3분기", "삼 분기"),
    ("올 3분기 수익", "올 삼 분기 수익"),
    ("1위", "일 위"),
    ("3위를 차지", "삼 위를 차지"),
    ("동남아 2위이며", "동남아 이 위이며"),
    ("제1차", "제일 차"),
    ("제3장", "제삼 장"),
    ("12층", "십이 층"),
    ("5회", "오 회"),
    ("1호점", "일 호점"),
    ("2초", "이 초"),
    ("30분", "삼십 분"),
    ("3개월", "삼 개월"),
    ("20개국", "이십 개국"),
    ("11번가", "십일 번가"),
    ("3주", "삼 주"),
    ("20세", "이십 세"),
    ("3분의 1", "삼 분의 일"),
    # 대: a rank or 'major' in Sino, vehicles and machines in native numbers.
    ("500대 기업", "오백대 기업"),
    ("4대 면에서", "사대 면에서"),
    ("20대 여성", "이십대 여성"),
    ("차량 3대", "차량 세 대"),
    ("드론 2대를", "드론 두 대를"),
    ("3대가", "세 대가"),
    ("로봇 120대를", "로봇 백이십 대를"),
    ("로봇을 500대까지", "로봇을 오백 대까지"),
    ("배달로봇 3대", "배달로봇 세 대"),
    # Native counters below 100, with the contracted forms; Sino from 100 up.
    ("3명", "세 명"),
    ("1명", "한 명"),
    ("2명", "두 명"),
    ("4명", "네 명"),
    ("7개", "일곱 개"),
    ("총 7개 핵심 제품", "총 일곱 개 핵심 제품"),
    ("12개로", "열두 개로"),
    ("20개", "스무 개"),
    ("21개", "스물한 개"),
    ("24시간", "스물네 시간"),
    ("8시간 동안", "여덟 시간 동안"),
    ("3시", "세 시"),
    ("12시", "열두 시"),
    ("3시 30분", "세 시 삼십 분"),
    ("9:30", "아홉 시 삼십 분"),
    ("15살", "열다섯 살"),
    ("두 가지", "두 가지"),
    ("3가지", "세 가지"),
    ("5곳과", "다섯 곳과"),
    ("2곳", "두 곳"),
    ("3번", "세 번"),
    ("10마리", "열 마리"),
    ("2권", "두 권"),
    ("3잔", "세 잔"),
    ("10건을", "열 건을"),
    ("35건의 배달", "서른다섯 건의 배달"),
    ("2배가", "두 배가"),
    ("3달", "세 달"),
    ("사진 3장을", "사진 세 장을"),
    ("99개", "아흔아홉 개"),
    ("40명", "마흔 명"),
    ("50명", "쉰 명"),
    ("60명", "예순 명"),
    ("70명", "일흔 명"),
    ("80명", "여든 명"),
    ("90명", "아흔 명"),
    ("30살", "서른 살"),
    ("370개에 이릅니다", "삼백칠십 개에 이릅니다"),
    ("100명", "백 명"),
    ("4,500곳에", "사천오백 곳에"),
    ("0개", "영 개"),
    # Ordinals.
    ("1번째", "첫 번째"),
    ("2번째", "두 번째"),
    ("3번째", "세 번째"),
    ("11번째", "열한 번째"),
    ("20번째", "스무 번째"),
    ("21번째", "스물한 번째"),
    ("100번째", "백 번째"),
    # Fractions and ranges.
    ("1/3 가량", "삼분의 일 가량"),
    ("2/3", "삼분의 이"),
    ("1/4", "사분의 일"),
    ("올 1~6월", "올 일월에서 유월"),
    ("2017~2018년", "이천십칠 년에서 이천십팔 년"),
    ("3~5명", "세 명에서 다섯 명"),
    ("10~20%", "십 퍼센트에서 이십 퍼센트"),
    ("1억~2억 원", "일억에서 이억 원"),
    ("2017–2018년", "이천십칠 년에서 이천십팔 년"),
    ("2~3명", "두세 명"),
    ("3~4개", "서너 개"),
    ("1~2시간", "한두 시간"),
    ("7~9명", "일곱 명에서 아홉 명"),
    ("서울~부산", "서울에서 부산"),
    ("좋아요~", "좋아요"),
    # Symbols.
    ("미·중 정상회담", "미중 정상회담"),
    ("한·중·일", "한중일"),
    ("정치·경제", "정치 경제"),
    ("R&D", "알앤디"),
    ("M&A", "엠앤에이"),
    ("손 & 발", "손 앤 발"),
    ("A+", "에이 플러스"),
    ("C++", "씨 플러스 플러스"),
    ("AI/빅데이터", "에이아이 빅데이터"),
    ("매출/이익", "매출 이익"),
    ("e-커미스", "이 커미스"),
    # Latin acronyms by Korean letter names; words in Hangul (briefing's word list, the dictionary, the spelling).
    ("AI", "에이아이"),
    ("클라우드 AI 덕분", "클라우드 에이아이 덕분"),
    ("AI는 기술", "에이아이는 기술"),
    ("IT 이야기", "아이티 이야기"),
    ("B2C 무인 창고", "비투씨 무인 창고"),
    ("CCTV를 통해", "씨씨티비를 통해"),
    ("IDC가 발표", "아이디씨가 발표"),
    ("CEO인", "씨이오인"),
    ("관련 URL", "관련 유알엘"),
    ("GIF 사진", "지아이에프 사진"),
    ("ID를 확인", "아이디를 확인"),
    ("JDD-2017", "제이디디 이천십칠"),
    ("M-DAQ", "엠디에이큐"),
    ("5G", "파이브지"),
    ("5G 네트워크", "파이브지 네트워크"),
    ("BMW I3", "비엠더블유 아이쓰리"),
    ("아우디 A3", "아우디 에이쓰리"),
    ("P2P 대출", "피투피 대출"),
    ("QR 결제", "큐알 결제"),
    ("시리즈 B", "시리즈 비"),
    ("3D 프린터", "쓰리디 프린터"),
    ("mp3", "엠피쓰리"),
    ("IoT", "아이오티"),
    ("TV", "티비"),
    ("Gartner", "가트너"),
    ("Central Group", "센트럴 그룹"),
    ("Mynt", "민트"),
    ("Ascend Money", "어센드 머니"),
    # Measures.
    ("6km", "육 킬로미터"),
    ("시속 6km로", "시속 육 킬로미터로"),
    ("64GB", "육십사 기가바이트"),
    ("1.5kg", "일 점 오 킬로그램"),
    ("30℃", "삼십 도"),
    ("84㎡", "팔십사 제곱미터"),
    # A minus sign before a number; a hyphen inside a code or between numbers is not one.
    ("전년 대비 -3%", "전년 대비 마이너스 삼 퍼센트"),
    ("−2.5%", "마이너스 이 점 오 퍼센트"),
    ("3-5명", "세 명에서 다섯 명"),
    # Han characters, links, e-mail addresses and source lines are not said.
    ("콰이(快手)", "콰이"),
    ("‘콰이’(快手)를", "콰이를"),
    ("티몰(天猫)이", "티몰이"),
    ("광군제(光棍節·독신자의 날)", "광군제(독신자의 날)"),
    ("전용차(专用车, 한국에서는 '탑차'로 불립니다)와", "전용차(한국에서는 탑차로 불립니다)와"),
    ("룽신테크(龍信科技)가", "룽신테크가"),
    ("가트너(Gartner)가", "가트너가"),
    ("포멜로(Pomelo)는", "포멜로는"),
    ("알리스마트주유소(阿里智能加油站)", "알리스마트주유소"),
    ("보도가 있었습니다(http://v.media.daum.net/v/20171113112609008).", "보도가 있었습니다."),
    (
        "수치입니다. 내용 출처 URL: http://cn.technode.com/post/2017-11-02/aliclound-financial-report-2017-q2/",
        "수치입니다.",
    ),
    ("관련 내용의 URL: https://www.sohu.com/a/118572909_539506, 썸네일 출처: https://www.analysys.cn/a/1000975/", ""),
    ("URL: http://tech.sina.com.cn/i/2017-11-12/doc-ifynstfh6052571.shtml", ""),
    ("내용 출처 URL: http://a.example.com/x/, http://b.example.com/y/", ""),
    ("문의: editor@podcast.example.com 으로", "문의: 으로"),
    ("www.example.com 참고", "참고"),
    ("美 연준", "미국 연준"),
    ("中 정부", "중국 정부"),
    ("韓·美 정상회담", "한미 정상회담"),
    ("韓中日 협력", "한중일 협력"),
    ("中国 시장", "시장"),
    ("(주)카카오", "카카오"),
    ("㈜카카오", "카카오"),
    # Quotes are not said; spaces are tidied.
    ("‘쌍 11 쇼핑 페스티벌‘", "쌍 십일 쇼핑 페스티벌"),
    ('"AI는 기술이자 사고방식이라"며', "에이아이는 기술이자 사고방식이라며"),
    ("조작 오류 , 거스름 돈", "조작 오류, 거스름 돈"),
    ("", ""),
    ("   ", ""),
    ("...", ""),
    ("▶ 오늘의 소식 😀", "오늘의 소식"),
    ("※ 참고", "참고"),
    # Digits in any other place are still read; full-width digits too.
    ("쌍 11", "쌍 십일"),
    ("1682", "천육백팔십이"),
    ("10000", "만"),
    ("100000000", "일억"),
    ("11", "십일"),
    ("007", "공공칠"),
    ("02-123-4567", "공이 일이삼 사오육칠"),
    ("010-1234-5678로", "공일공 일이삼사 오육칠팔로"),
    ("1조2000억원", "일조이천억원"),
    ("100여 명", "백여 명"),
    ("２０１７년", "이천십칠 년"),
]


@pytest.mark.parametrize(("written", "spoken"), CASES, ids=[w[:30] or "(empty)" for w, _ in CASES])
def test_spoken_form(written, spoken):
    assert normalize(written) == spoken


def test_there_are_enough_cases():
    assert len(CASES) >= 150
    assert len({written for written, _ in CASES}) == len(CASES), "a case is listed twice"


def test_the_done_when_sentence():
    spoken = normalize("알리바바 클라우드의 올 3분기 수익은 29.75억 위안, 전년 대비 99% 성장했습니다.")
    assert (
        spoken == "알리바바 클라우드의 올 삼 분기 수익은 이십구 점 칠오억 위안, 전년 대비 구십구 퍼센트 성장했습니다."
    )


# --- the ten-story issues (the project's own and the real seed), line by line ----------------------------------

DIGIT_OR_HAN = re.compile(r"[0-9\u3400-\u4dbf\u4e00-\u9fff]")


def lines_of(issue) -> list[str]:
    return issue.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def issue_lines(ten_story_issue):
    return lines_of(ten_story_issue)


def test_every_line_is_said_without_digits_han_or_links(issue_lines):
    spoken = [normalize(line) for line in issue_lines]
    assert len(spoken) == len(issue_lines) > 10
    for line, said in zip(issue_lines, spoken, strict=True):
        assert not DIGIT_OR_HAN.search(said), (line, said)
        assert "http" not in said.lower() and "URL" not in said and "출처:" not in said, said
        assert said, line  # every line of an issue has something to say


def test_source_lines_say_nothing_of_their_links(issue_lines):
    with_sources = [line for line in issue_lines if "출처" in line or "URL:" in line]
    assert len(with_sources) >= 8
    for line in with_sources:
        said = normalize(line)
        assert "출처" not in said and "유알엘" not in said and "URL" not in said, said


def test_spoken_form_is_stable_when_normalised_again(issue_lines):
    for line in issue_lines:
        once = normalize(line)
        assert normalize(once) == once


def assert_line_says(lines: list[str], phrase: str, expected: str) -> None:
    """The phrase is found in the issue's own lines, and the spoken line says it as expected."""
    line = next((line for line in lines if phrase in line), None)
    assert line is not None, f"the issue no longer contains {phrase!r}"
    assert expected in normalize(line)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("1682억 위안에 달했고", "천육백팔십이억 위안에 달했고"),
        ("14.8억 건에 달했다고", "십사 점 팔억 건에 달했다고"),
        ("월 이용자는 1억 5000만 명", "월 이용자는 일억 오천만 명"),
        ("24시간 계속", "스물네 시간 계속"),
        ("500대 기업 내에서 1/3 가량이", "오백대 기업 내에서 삼분의 일 가량이"),
        ("올 1~6월 공유자동차", "올 일월에서 유월 공유자동차"),
        ("안면 인식 기술 정확도는 99.84%로", "안면 인식 기술 정확도는 구십구 점 팔사 퍼센트로"),
        ("중국 외교부에 따르면 미·중 정상회담에서", "중국 외교부에 따르면 미중 정상회담에서"),
        ("제1차 JDD-2017 징동금융", "제일 차 제이디디 이천십칠 징동금융"),
        ("업체의 수는 370개에 이릅니다", "업체의 수는 삼백칠십 개에 이릅니다"),
    ],
)
def test_seed_lines_say_their_numbers(seed_issue, phrase, expected):
    assert_line_says(lines_of(seed_issue), phrase, expected)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2026년 10월 31일 기준으로", "이천이십육 년 시월 삼십일 일 기준으로"),
        ("월 이용자는 1억 2000만 명", "월 이용자는 일억 이천만 명"),
        ("1~11월 누적 인도량은 31.6만 대로", "일월에서 십일월 누적 인도량은 삼십일 점 육만 대로"),
        ("매출은 12.75억 위안으로", "매출은 십이 점 칠오억 위안으로"),
        ("구매자의 1/4 가량이", "구매자의 사분의 일 가량이"),
        ("‘제3회 AX-2026 스마트 농업 박람회’", "제삼 회 에이엑스 이천이십육 스마트 농업 박람회"),
        ("24시간 사람 손 없이", "스물네 시간 사람 손 없이"),
        ("무인 역 18곳에", "무인 역 열여덟 곳에"),
        ("약 1,200만 엔 줄일", "약 천이백만 엔 줄일"),
        ("최대 5kg을 싣고 편도 40km를", "최대 오 킬로그램을 싣고 편도 사십 킬로미터를"),
        ("차로 2시간 걸리던 길을 35분으로", "차로 두 시간 걸리던 길을 삼십오 분으로"),
        ("96.85%를 기록해", "구십육 점 팔오 퍼센트를 기록해"),
        ("올 4~10월 동남아", "올 사월에서 시월 동남아"),
        ("한·일 통상장관 회의에서", "한일 통상장관 회의에서"),
        ("2027년 6월까지", "이천이십칠 년 유월까지"),
    ],
)
def test_own_issue_lines_say_their_numbers(own_issue, phrase, expected):
    assert_line_says(lines_of(own_issue), phrase, expected)


# --- single rules, alone -----------------------------------------------------------------------------------------


def test_every_rule_is_a_named_function_with_a_job():
    assert len(rules.RULES) >= 20
    for rule in rules.RULES:
        assert rule.__name__.startswith(("drop_", "read_", "tidy_")), rule.__name__


@pytest.mark.parametrize(
    ("rule", "written", "spoken"),
    [
        (rules.read_months, "6월과 10월", "유월과 시월"),
        (rules.read_months, "13월", "십삼 월"),
        (rules.read_native_counters, "3명과 370개", "세 명과 삼백칠십 개"),
        (rules.read_large_units, "1억 5000만", "일억 오천만"),
        (rules.read_percentages, "41%", "사십일 퍼센트"),
        (rules.read_fractions, "1/3", "삼분의 일"),
        (rules.read_ranges, "1~6월", "1월에서 6월"),
        (rules.read_latin_codes, "CEO와 Gartner", "씨이오와 Gartner"),
        (rules.read_dictionary_words, "씨이오와 Gartner", "씨이오와 가트너"),
        (rules.drop_han, "快手콰이", "콰이"),
        (rules.drop_han_in_parentheses, "광군제(光棍節·독신자의 날)", "광군제(독신자의 날)"),
        (rules.drop_source_lines, "끝. 내용 출처 URL: http://a.b/c", "끝.  "),
        (rules.read_middle_dots, "미·중", "미중"),
        (rules.read_symbols, "A&B", "A 앤 B"),
        (rules.tidy_spaces, "  가 ,  나 ( 다 )  ", "가, 나 (다)"),
        (rules.drop_unbalanced_brackets, "있었습니다(. 끝)", "있었습니다(. 끝)"),
        (rules.drop_unbalanced_brackets, "있었습니다(. 끝", "있었습니다. 끝"),
        (rules.drop_link_remnants, "ht http:/ 끝", "ht   끝"),
        (rules.read_markdown_links, "[보도자료](https://a.example/p)에서", "보도자료에서"),
        (rules.read_markdown_links, "끝. [원문 보기](https://a.example/p)", "끝. "),
        (rules.drop_stock_codes, "삼성전자(005930)와 애플(NASDAQ: AAPL)", "삼성전자와 애플"),
        (rules.read_han_units, "100元, 50余 개, 5万元, 3일(火)", "100 위안, 50여 개, 5만 위안, 3일(화)"),
        (rules.read_phone_numbers, "1588-1234", "일오팔팔 일이삼사"),
        (rules.read_dates, "2024. 11. 3.에", "2024년 11월 3일에"),
        (rules.read_dates, "12/25(수)", "12월 25일(수)"),
        (rules.read_weekdays, "3일(화)~5일(목·금)", "3일 화요일~5일 목요일 금요일"),
        (rules.read_plus_signs, "+5%와 ±0.5%, ▼2%", "플러스 5%와 플러스마이너스 0.5%, 마이너스 2%"),
        (rules.read_minus_signs, "-3%와 -5℃, A-3, 코비드-19", "마이너스 3%와 영하 5℃, A-3, 코비드-19"),
        (rules.read_clock_times, "9:05와 14:30:15", "아홉 시 오 분와 십사 시 삼십 분 십오 초"),
        (rules.read_ratios, "2:1로", "이 대 일로"),
        (rules.read_approximations, "~$10M, 10 ~ 20", "약 $10M, 10 ~ 20"),
        (
            rules.read_money,
            "$7M, US$1.2B, €300mn, $5~7M",
            "칠백만 달러, 십이억 달러, 삼억 유로, 오백만에서 칠백만 달러",
        ),
        (
            rules.read_money,
            "$1.2345K, $2.5억, 300 USD, 7M 달러",
            "천이백삼십사 점 오 달러, 2.5억 달러, 삼백 달러, 칠백만 달러",
        ),
        (rules.read_versions, "v2.1과 1.2.3", "버전 2.1과 일 점 이 점 삼"),
        (rules.read_multiples, "3x 빠른 1920x1080", "3배 빠른 1920 곱하기 1080"),
        (rules.read_approximate_counts, "10여 명, 1만여 곳, 3여성", "십여 명, 만여 곳, 3여성"),
        (rules.read_native_counters, "14시, 3척, 1번 출구, 3번", "십사 시, 세 척, 일 번 출구, 세 번"),
        (rules.read_measures, "120Hz, 50°F, 25bp", "백이십 헤르츠, 화씨 오십 도, 이십오 베이시스포인트"),
        (rules.read_digits_in_names, "Web3, GPT-4o, B2C, 5G, S24", "Web쓰리, GPT-포o, B투C, 파이브G, S24"),
        (rules.read_known_words, "Web쓰리, KakaoStyle, TIKTOK을", "웹쓰리, 카카오Style, 틱톡을"),
        (rules.read_latin_codes, "IBM를, SWIFT, 시리즈 B", "아이비엠을, SWIFT, 시리즈 비"),
        (rules.read_words_as_spelt, "Zepeto을, Gojek", "제페토를, 고젝"),
        (rules.read_sino_numbers, "15를, 3이라는, 2017년", "십오를, 삼이라는, 이천십칠 년"),
    ],
)
def test_a_rule_alone(rule, written, spoken):
    assert rule(written) == spoken


def test_every_rule_says_what_it_does():
    for rule in rules.RULES:
        assert rule.__doc__ and rule.__doc__.strip(), rule.__name__


def test_briefings_word_list_says_names_the_korean_way():
    assert normalize("Apple과 NVIDIA, LINE") == "애플과 엔비디아, 라인"


def test_every_entry_of_the_word_list_is_said_as_it_lists():
    words = shipped_lexicon()
    assert len(words) >= 300
    for written, spoken in words.items():
        assert re.fullmatch(r"[가-힣 ]+", spoken), (written, spoken)
        assert normalize(written) == spoken, written


def test_a_show_entry_replaces_the_word_lists():
    assert normalize("Apple은", {"Apple": "애플사"}) == "애플사는"
    assert normalize("Apple은") == "애플은"


def test_a_show_entry_can_keep_latin_letters_for_the_engine():
    assert normalize("Gartner가 3분기 Pro를", {"Gartner": "Gartner", "Pro": "Pro"}) == "Gartner가 삼 분기 Pro를"
    assert normalize("Gartner3", {"Gartner": "Gartner"}) == "Gartner쓰리"


def test_no_lexicon_entry_is_applied_inside_a_link():
    assert normalize("보도(https://example.com/Apple/Pro)가") == "보도가"


def test_explain_names_the_entry_or_rule_behind_each_change():
    spoken, changes = rules.explain("Apple은 $7M를 Harbor에서", {"Harbor": "하버"})
    assert spoken == normalize("Apple은 $7M를 Harbor에서", {"Harbor": "하버"}) == "애플은 칠백만 달러를 하버에서"
    assert [(c.source, c.written, c.spoken) for c in changes] == [
        ("briefing word list", "Apple", "애플"),
        ("lexicon.toml", "Harbor", "하버"),
        ("read_money", "$7M를", "칠백만 달러를"),
    ]
    _, changes = rules.explain("Zepeto와 Sunrise, EZZY")
    assert [(c.source, c.written, c.how) for c in changes] == [
        ("read_latin_codes", "EZZY", "letter names"),
        ("read_dictionary_words", "Sunrise", "CMUdict S AH1 N R AY2 Z"),
        ("read_words_as_spelt", "Zepeto", "as spelt"),
    ]


def test_lexicon_comes_before_the_rules():
    assert normalize("JD는 JDD-2017", {"JD": "징동"}) == "징동은 제이디디 이천십칠"
    assert normalize("B2B 시장", {"B2B": "비투비"}) == "비투비 시장"
    assert normalize("EZZY가", {"EZZY": "이지"}) == "이지가"
    assert normalize("누리 3명", {"누리": "누리 2"}) == "누리 이 세 명"


def test_a_gloss_the_lexicon_turned_into_the_name_before_it_is_said_once():
    lexicon = {"Central Group": "센트럴 그룹", "Gartner": "가트너"}
    assert normalize("센트럴 그룹(Central Group)의 합작 회사", lexicon) == "센트럴 그룹의 합작 회사"
    assert normalize("가트너(Gartner)가", lexicon) == "가트너가"
    assert normalize("그룹 센트럴(Central Group)", lexicon) == "그룹 센트럴(센트럴 그룹)"  # not a repetition


# --- number words --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "word"),
    [
        (1, "한"),
        (2, "두"),
        (3, "세"),
        (4, "네"),
        (5, "다섯"),
        (10, "열"),
        (11, "열한"),
        (20, "스무"),
        (22, "스물두"),
        (30, "서른"),
        (43, "마흔세"),
        (99, "아흔아홉"),
    ],
)
def test_native_numbers_before_a_counter(value, word):
    assert kn.native(value) == word


def test_native_numbers_alone_and_out_of_range():
    assert kn.native(1, before_counter=False) == "하나"
    assert kn.native(20, before_counter=False) == "스물"
    with pytest.raises(ValueError):
        kn.native(100)


def test_sino_numbers_drop_a_leading_il_before_ten_hundred_thousand_and_man_only():
    assert [kn.sino(d) for d in ("10", "100", "1000", "10000", "100000000", "1000000000000")] == [
        "십",
        "백",
        "천",
        "만",
        "일억",
        "일조",
    ]
    assert kn.sino("1682") == "천육백팔십이"
    assert kn.sino("12345678901234567890") == "일이삼사오육칠팔구영일이삼사오육칠팔구영"  # an identifier
