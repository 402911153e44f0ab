"""Korean spoken form: what a news presenter says for a written line (numbers, acronyms, symbols read out; links,
Han characters and source lines dropped). A list of small, named, pure rules applied in order by `normalize`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

from briefing.korean import numbers as kn
from briefing.speech.lexicon import apply_lexicon

Rule = Callable[[str], str]

HANGUL = "가-힣ㄱ-ㆎ"
# Unicode's Han script: radicals, ideographic marks, the unified and compatibility ideographs and their extensions.
HAN = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HAN_CHAR = re.compile(f"[{HAN}]")
_HANGUL_CHAR = re.compile(f"[{HANGUL}]")

# A number starts where no letter, digit or decimal point touches it: 'A3' and '1.5' are not numbers starting at 3/5.
_NUMBER_START = r"(?<![A-Za-z0-9.,])"


# --- characters ------------------------------------------------------------------------------------------------

_NOT_HANGUL_RUN = re.compile(f"[^{HANGUL}]+")
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_TILDES = re.compile("[〜∼˜]")
_MIDDLE_DOTS = re.compile("[ㆍ・‧∙•]")


def unify_characters(text: str) -> str:
    """Compose Hangul, fold full-width and compatibility forms (１ → 1, ㎞ → km) and unify look-alike marks.

    NFKC is applied outside Hangul only: it would decompose compatibility jamo (ㅋㅋ) into conjoining ones.
    """
    text = unicodedata.normalize("NFC", text)
    text = _NOT_HANGUL_RUN.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)
    text = _INVISIBLE.sub("", text)
    text = _TILDES.sub("~", text)
    return _MIDDLE_DOTS.sub("·", text)


# --- what is never spoken --------------------------------------------------------------------------------------

# A link ends before the punctuation that follows it and before an unmatched ')' (…보도가 있었습니다(http://…).).
_URL = r"(?:https?://|www\.)(?:[^\s<>\"()]|\([^\s()]*\))*(?:[^\s<>\"().,;:!?'’]|\([^\s()]*\))"
_SOURCE_LABEL = (
    r"(?:(?:관련|내용|기사|원문|사진|썸네일|이미지|자료|참고)(?:의)?\s*){0,3}"
    r"(?:출처|URL|url|링크|[Ss]ource|SOURCE)(?:\s*(?:URL|url|링크))?\s*:\s*"
)
_SOURCE_LINE = re.compile(f"{_SOURCE_LABEL}(?:{_URL}(?:\\s*,\\s*)?)+")
_URL_TEXT = re.compile(_URL, re.IGNORECASE)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def unspoken_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` has source lines, links and e-mail addresses: (start, end) offsets of what is never said."""
    return [m.span() for pattern in (_SOURCE_LINE, _URL_TEXT, _EMAIL) for m in pattern.finditer(text)]


def drop_source_lines(text: str) -> str:
    """'내용 출처 URL: http://…', '썸네일 출처: https://…': a listener hears none of it (sources go in show notes)."""
    return _SOURCE_LINE.sub(" ", text)


def drop_urls(text: str) -> str:
    """Links are read by nobody: http(s)://… and www.… are dropped."""
    return _URL_TEXT.sub(" ", text)


def drop_emails(text: str) -> str:
    return _EMAIL.sub(" ", text)


_PARENTHETICAL = re.compile(r"\(([^()]*)\)")
_EDGE_PUNCTUATION = " ,.;:·/-"


def drop_han_in_parentheses(text: str) -> str:
    """콰이(快手) → 콰이; 광군제(光棍節·독신자의 날) → 광군제(독신자의 날): the Han goes, a Korean gloss stays."""

    def without_han(match: re.Match[str]) -> str:
        inner = match.group(1)
        if not _HAN_CHAR.search(inner):
            return match.group()
        rest = _HAN_CHAR.sub("", inner).strip(_EDGE_PUNCTUATION)
        return f"({rest})" if _HANGUL_CHAR.search(rest) else ""

    return _PARENTHETICAL.sub(without_han, text)


_LATIN_GLOSS = re.compile(rf"(?<=[{HANGUL}'\"’”])\s?\((?=[^)]*[A-Za-z][a-z])[A-Za-z][A-Za-z .'’&-]*\)")


def drop_latin_glosses(text: str) -> str:
    """가트너(Gartner) → 가트너: the original spelling after a Korean name repeats it; a presenter says it once."""
    return _LATIN_GLOSS.sub("", text)


_REPEATED_GLOSS = re.compile(r"(?<![^\s()])((?:[^\s()]+ ){0,3}[^\s()]+)\s?\(\1\)")


def drop_repeated_glosses(text: str) -> str:
    """가트너(가트너) → 가트너, 센트럴 그룹(센트럴 그룹) → 센트럴 그룹: a gloss the lexicon turned into the name
    before it is said once."""
    return _REPEATED_GLOSS.sub(r"\1", text)


# One Han character standing for a country, as headlines write it (美 연준, 中 정부, 韓·美 정상회담).
_COUNTRY_NAMES = {
    "韓": "한국",
    "美": "미국",
    "中": "중국",
    "日": "일본",
    "北": "북한",
    "英": "영국",
    "獨": "독일",
    "佛": "프랑스",
    "露": "러시아",
    "印": "인도",
    "臺": "대만",
    "台": "대만",
    "濠": "호주",
    "加": "캐나다",
}
_COUNTRY_SYLLABLES = {
    "韓": "한",
    "美": "미",
    "中": "중",
    "日": "일",
    "北": "북",
    "英": "영",
    "獨": "독",
    "佛": "불",
    "露": "러",
    "印": "인",
    "臺": "대",
    "台": "대",
    "濠": "호",
    "加": "캐",
}
_COUNTRY = "[" + "".join(_COUNTRY_NAMES) + "]"
_COUNTRY_PAIR = re.compile(f"(?<![{HAN}]){_COUNTRY}(?:·?{_COUNTRY})+(?![{HAN}])")
_COUNTRY_ALONE = re.compile(f"(?<![{HAN}]){_COUNTRY}(?![{HAN}])")


def read_country_abbreviations(text: str) -> str:
    """美 연준 → 미국 연준, 韓·美 → 한미, 韓中日 → 한중일: a lone Han country letter is the country's name, a run of
    them is said syllable by syllable (Han words such as 中国 are left for drop_han)."""
    text = _COUNTRY_PAIR.sub(lambda m: "".join(_COUNTRY_SYLLABLES[c] for c in m.group() if c != "·"), text)
    return _COUNTRY_ALONE.sub(lambda m: _COUNTRY_NAMES[m.group()], text)


_LEGAL_FORMS = re.compile(r"\((?:주|유|사|재)\)")


def drop_legal_forms(text: str) -> str:
    """(주)카카오 → 카카오: the company-form mark is written, not said."""
    return _LEGAL_FORMS.sub("", text)


def drop_han(text: str) -> str:
    """Han characters left anywhere are not read (the Korean text around them carries the meaning)."""
    return _HAN_CHAR.sub("", text)


_QUOTES = re.compile("['\"‘’“”«»「」『』`´‹›〈〉《》]")


def drop_quotes(text: str) -> str:
    return _QUOTES.sub("", text)


_EMPTY_BRACKETS = re.compile(r"\(\s*[,.·:;/-]*\s*\)|\[\s*\]|\{\s*\}")


def drop_empty_brackets(text: str) -> str:
    """'()' left behind by dropped links or Han."""
    return _EMPTY_BRACKETS.sub("", text)


# --- numbers -------------------------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"(?<![0-9,.])[0-9]{1,3}(?:,[0-9]{3})+(?![0-9]|,[0-9])")


def drop_thousands_separators(text: str) -> str:
    """1,900만 → 1900만."""
    return _THOUSANDS.sub(lambda m: m.group().replace(",", ""), text)


_DASHES_BETWEEN_NUMBERS = re.compile(r"(?<=[0-9])\s*[–—]\s*(?=[0-9])")
_OTHER_DASHES = re.compile(r"\s*[–—―]+\s*")


def read_dashes(text: str) -> str:
    """A dash between numbers is a range (2017–2018 → 2017~2018); elsewhere it is a pause."""
    text = _DASHES_BETWEEN_NUMBERS.sub("~", text)
    return _OTHER_DASHES.sub(", ", text)


_MINUS = re.compile(r"(?<![A-Za-z0-9)])[−-](?=[0-9])")


def read_minus_signs(text: str) -> str:
    """전년 대비 -3% → 마이너스 3%: a minus before a number, not a hyphen inside a code or between numbers."""
    return _MINUS.sub("마이너스 ", text)


_PHONE = re.compile(_NUMBER_START + r"(0[0-9]{1,2})-([0-9]{3,4})-([0-9]{4})(?![0-9])")


def read_phone_numbers(text: str) -> str:
    """02-123-4567 → 공이 일이삼 사오육칠: a telephone number is said digit by digit."""
    return _PHONE.sub(lambda m: " ".join(kn.read_digits(part, zero="공") for part in m.groups()), text)


_ISO_DATE = re.compile(_NUMBER_START + r"([12][0-9]{3})([-./])(0?[1-9]|1[0-2])\2(0?[1-9]|[12][0-9]|3[01])(?![0-9.])")


def read_dates(text: str) -> str:
    """2017-11-02 / 2017.11.02 → 2017년 11월 2일 (read by the rules for years, months and days)."""
    return _ISO_DATE.sub(lambda m: f"{m.group(1)}년 {int(m.group(3))}월 {int(m.group(4))}일", text)


_CLOCK = re.compile(_NUMBER_START + r"([01]?[0-9]|2[0-4]):([0-5][0-9])(?![0-9:])")


def read_clock_times(text: str) -> str:
    """9:30 → 9시 30분 (then 아홉 시 삼십 분)."""

    def spelled(m: re.Match[str]) -> str:
        minutes = int(m.group(2))
        return f"{int(m.group(1))}시" + (f" {minutes}분" if minutes else "")

    return _CLOCK.sub(spelled, text)


_CURRENCY_SIGNS = {"$": "달러", "€": "유로", "£": "파운드", "¥": "엔", "₩": "원"}
_CURRENCY_AMOUNT = re.compile(r"([$€£¥₩])\s?([0-9]+(?:\.[0-9]+)?(?:[만억조])?)")


def read_currency_signs(text: str) -> str:
    """$100 → 100 달러, ₩5000 → 5000 원."""
    return _CURRENCY_AMOUNT.sub(lambda m: f"{m.group(2)} {_CURRENCY_SIGNS[m.group(1)]}", text)


_FRACTION = re.compile(r"(?<![A-Za-z0-9./])([0-9]+)/([0-9]+)(?![0-9/])")


def read_fractions(text: str) -> str:
    """1/3 → 삼분의 일 (the denominator is said first)."""
    return _FRACTION.sub(lambda m: f"{kn.sino(m.group(2))}분의 {kn.sino(m.group(1))}", text)


# Counters whose numbers are native Korean below 100 (세 명, 스물네 시간) and Sino-Korean from 100 up.
NATIVE_COUNTERS = (
    "개",
    "명",
    "시간",
    "시",
    "살",
    "가지",
    "곳",
    "군데",
    "번째",
    "번",
    "마리",
    "권",
    "잔",
    "건",
    "배",
    "달",
    "사람",
    "그루",
    "송이",
    "켤레",
    "쌍",
    "장",
)
# Words that begin like a native counter but take Sino-Korean numbers (3개월 → 삼 개월, 5달러 → 오 달러).
SINO_LOOKALIKES = (
    "개월",
    "개국",
    "개사",
    "개년",
    "개소",
    "개교",
    "번지",
    "번가",
    "번길",
    "번호",
    "번선",
    "시즌",
    "시리즈",
    "배럴",
    "장관",
    "장기",
    "달러",
)
LARGE_UNITS = ("조", "억", "만")
MEASURES = {
    "km/h": "킬로미터",
    "km": "킬로미터",
    "cm": "센티미터",
    "mm": "밀리미터",
    "m": "미터",
    "kg": "킬로그램",
    "g": "그램",
    "GB": "기가바이트",
    "MB": "메가바이트",
    "TB": "테라바이트",
    "KB": "킬로바이트",
    "GHz": "기가헤르츠",
    "MHz": "메가헤르츠",
    "kWh": "킬로와트시",
    "kW": "킬로와트",
    "mAh": "밀리암페어시",
    "°C": "도",
    "°": "도",
    "m2": "제곱미터",
    "km2": "제곱킬로미터",
    "m3": "세제곱미터",
}
# Units a range may share: 1~6월 means 1월~6월.
_RANGE_UNITS = sorted(
    (
        *NATIVE_COUNTERS,
        *SINO_LOOKALIKES,
        *LARGE_UNITS,
        "%",
        "년",
        "월",
        "일",
        "분기",
        "분",
        "초",
        "위",
        "층",
        "회",
        "차",
        "호",
        "주",
        "원",
        "위안",
        "달러",
        "엔",
        "유로",
        "세",
        "도",
        "퍼센트",
        "대",
    ),
    key=len,
    reverse=True,
)
_RANGE = re.compile(
    _NUMBER_START
    + r"([0-9]+(?:\.[0-9]+)?)\s*[~-]\s*([0-9]+(?:\.[0-9]+)?)(\s?)("
    + "|".join(map(re.escape, _RANGE_UNITS))
    + ")"
)


# Two neighbouring small counts are said as one word: 2~3명 → 두세 명, 3~4개 → 서너 개.
_NATIVE_PAIRS = {
    ("1", "2"): "한두",
    ("2", "3"): "두세",
    ("3", "4"): "서너",
    ("4", "5"): "네다섯",
    ("5", "6"): "대여섯",
    ("6", "7"): "예닐곱",
    ("7", "8"): "일고여덟",
}


def read_ranges(text: str) -> str:
    """1~6월 → 1월에서 6월, 2017~2018년 → 2017년에서 2018년: the unit is said with both ends; 2~3명 → 두세 명."""

    def spoken(m: re.Match[str]) -> str:
        low, high, space, unit = m.groups()
        if unit in NATIVE_COUNTERS and (low, high) in _NATIVE_PAIRS:
            return f"{_NATIVE_PAIRS[low, high]} {unit}"
        return f"{low}{space}{unit}에서 {high}{space}{unit}"

    return _RANGE.sub(spoken, text)


_PERCENT = re.compile(_NUMBER_START + r"([0-9]+)(?:\.([0-9]+))?\s?%(p|포인트)?")


def read_percentages(text: str) -> str:
    """41% → 사십일 퍼센트, 99.84% → 구십구 점 팔사 퍼센트, 3%p → 삼 퍼센트포인트."""

    def spoken(m: re.Match[str]) -> str:
        number = kn.decimal(m.group(1), m.group(2)) if m.group(2) else kn.sino(m.group(1))
        return f"{number} 퍼센트" + ("포인트" if m.group(3) else "")

    return _PERCENT.sub(spoken, text)


_DECIMAL_LARGE = re.compile(_NUMBER_START + r"([0-9]+)\.([0-9]+)(조|억|만)")


def read_decimal_large_units(text: str) -> str:
    """29.75억 → 이십구 점 칠오억, 14.8억 → 십사 점 팔억."""
    return _DECIMAL_LARGE.sub(lambda m: kn.decimal(m.group(1), m.group(2)) + m.group(3), text)


_SCALES = {"조": 10**12, "억": 10**8, "만": 10**4, "천": 1000, "백": 100}
_SCALED = re.compile(_NUMBER_START + r"([0-9]+)(조|억|만|천|백)")


def read_large_units(text: str) -> str:
    """1682억 → 천육백팔십이억, 5000만 → 오천만, 1만 → 만 (but 1억 → 일억), 1억 5000만 → 일억 오천만."""
    return _SCALED.sub(lambda m: kn.sino_scaled(m.group(1), _SCALES[m.group(2)]), text)


_ORDINAL = re.compile(_NUMBER_START + r"([0-9]+)\s?번?째")


def read_ordinals(text: str) -> str:
    """1번째 → 첫 번째, 2번째 → 두 번째, 11번째 → 열한 번째; 101번째 → 백일 번째."""

    def spoken(m: re.Match[str]) -> str:
        value = int(m.group(1))
        return (kn.native_ordinal(value) if 1 <= value <= 99 else kn.sino(m.group(1))) + " 번째"

    return _ORDINAL.sub(spoken, text)


_MONTH = re.compile(_NUMBER_START + r"([0-9]{1,2})\s?월(?!요일)")


def read_months(text: str) -> str:
    """6월 → 유월, 10월 → 시월, 11월 → 십일월."""

    def spoken(m: re.Match[str]) -> str:
        value = int(m.group(1))
        return kn.month(value) if 1 <= value <= 12 else f"{kn.sino(m.group(1))} 월"

    return _MONTH.sub(spoken, text)


_VEHICLE_WORDS = (
    "차",
    "차량",
    "자동차",
    "택시",
    "버스",
    "트럭",
    "드론",
    "로봇",
    "기기",
    "컴퓨터",
    "서버",
    "단말기",
    "스마트폰",
    "휴대폰",
    "비행기",
    "항공기",
    "카메라",
    "기계",
    "전기차",
    "오토바이",
    "자전거",
)
_DAE = re.compile(_NUMBER_START + r"([0-9]+)\s?대(?=([가를의와도는은만씩로에까])?)")
# The word before the number, without a particle: 로봇을 500대 → 로봇; 배달로봇 3대 ends with one.
_LONGEST_WORD_BEFORE = max(map(len, _VEHICLE_WORDS)) + 3
_WORD_BEFORE = re.compile(f"([{HANGUL}]+?)(?:을|를|이|가|은|는|도|만)?\\s*$")


def read_dae_counter(text: str) -> str:
    """대 counts vehicles and machines natively (차량 3대 → 세 대) but ranks in Sino.

    500대 기업 → 오백대, 4대 면 → 사대.
    """

    def spoken(m: re.Match[str]) -> str:
        value = int(m.group(1))
        before = _WORD_BEFORE.search(text, max(0, m.start() - _LONGEST_WORD_BEFORE), m.start())
        counts_things = (before is not None and before.group(1).endswith(_VEHICLE_WORDS)) or (
            m.group(2) is not None and value % 10 != 0  # 3대가 (three of them); 20대가 is an age group
        )
        if not counts_things:
            return f"{kn.sino(m.group(1))}대"
        return f"{kn.native(value) if 1 <= value <= 99 else kn.sino(m.group(1))} 대"

    return _DAE.sub(spoken, text)


_COUNTED = re.compile(
    _NUMBER_START
    + r"([0-9]+)(\s?)(?:("
    + "|".join(sorted(SINO_LOOKALIKES, key=len, reverse=True))
    + ")|("
    + "|".join(sorted(NATIVE_COUNTERS, key=len, reverse=True))
    + "))"
)
_AFTER_JE = re.compile(r"(?<=제)\s?([0-9]+)")


def read_numbers_after_je(text: str) -> str:
    """제1차 → 제일 차, 제3장 → 제삼 장: 제 makes an ordinal that is always Sino-Korean."""
    return _AFTER_JE.sub(lambda m: kn.sino(m.group(1)) + " ", text)


def read_native_counters(text: str) -> str:
    """3명 → 세 명, 20개 → 스무 개, 24시간 → 스물네 시간; 370개 → 삼백칠십 개; 3개월 → 삼 개월."""

    def spoken(m: re.Match[str]) -> str:
        digits, sino_word, native_word = m.group(1), m.group(3), m.group(4)
        value = int(digits)
        if native_word and 1 <= value <= 99:
            return f"{kn.native(value)} {native_word}"
        return f"{kn.sino(digits)} {sino_word or native_word}"

    return _COUNTED.sub(spoken, text)


_MEASURE = re.compile(
    _NUMBER_START
    + r"([0-9]+)(?:\.([0-9]+))?\s?("
    + "|".join(map(re.escape, sorted(MEASURES, key=len, reverse=True)))
    + r")(?![A-Za-z])"
)


def read_measures(text: str) -> str:
    """5km → 오 킬로미터, 64GB → 육십사 기가바이트, 1.5kg → 일 점 오 킬로그램."""

    def spoken(m: re.Match[str]) -> str:
        number = kn.decimal(m.group(1), m.group(2)) if m.group(2) else kn.sino(m.group(1))
        return f"{number} {MEASURES[m.group(3)]}"

    return _MEASURE.sub(spoken, text)


# --- Latin letters -----------------------------------------------------------------------------------------------

LETTER_NAMES = {
    "A": "에이",
    "B": "비",
    "C": "씨",
    "D": "디",
    "E": "이",
    "F": "에프",
    "G": "지",
    "H": "에이치",
    "I": "아이",
    "J": "제이",
    "K": "케이",
    "L": "엘",
    "M": "엠",
    "N": "엔",
    "O": "오",
    "P": "피",
    "Q": "큐",
    "R": "알",
    "S": "에스",
    "T": "티",
    "U": "유",
    "V": "브이",
    "W": "더블유",
    "X": "엑스",
    "Y": "와이",
    "Z": "제트",
}
# An all-capital code (AI, CCTV, B2C, M-DAQ, R&D, JDD-2017) or a short letter-digit mix (5G, mp3, 4k).
_CODE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?=[A-Z0-9]*[A-Z])[A-Z0-9]+(?:[-&][A-Z0-9]+)*|(?=[a-z]{0,3}[0-9])(?=[0-9]{0,3}[a-z])[a-z0-9]{2,4})"
    r"(?![A-Za-z0-9])"
)
_CODE_PIECE = re.compile(r"[A-Z]+|[0-9]+|[-&]")


# Codes said as words rather than letter by letter.
KNOWN_CODES = {
    "TV": "티비",
    "CCTV": "씨씨티비",
    "IPTV": "아이피티비",
    "OK": "오케이",
    "NASA": "나사",
    "NATO": "나토",
    "ASEAN": "아세안",
    "APEC": "에이펙",
    "OPEC": "오펙",
    "FIFA": "피파",
    "UNESCO": "유네스코",
    "KOSPI": "코스피",
    "KOSDAQ": "코스닥",
    "NASDAQ": "나스닥",
    "IoT": "아이오티",
    "iOS": "아이오에스",
    "eSIM": "이심",
    "WiFi": "와이파이",
    "Wi-Fi": "와이파이",
}
_KNOWN_MIXED_CASE = re.compile(
    r"(?<![A-Za-z0-9])(" + "|".join(re.escape(k) for k in KNOWN_CODES if not k.isupper()) + r")(?![A-Za-z0-9])"
)


def read_latin_codes(text: str) -> str:
    """AI → 에이아이, CCTV → 씨씨티비, B2C → 비투씨, 5G → 파이브지, M-DAQ → 엠디에이큐, JDD-2017 → 제이디디 이천십칠.

    Words with small letters (Gartner, Mynt) are left for the engine, which reads English better than we spell it.
    """
    text = _KNOWN_MIXED_CASE.sub(lambda m: KNOWN_CODES[m.group()], text)
    return _CODE.sub(lambda m: KNOWN_CODES.get(m.group()) or _spell_code(m.group().upper()), text)


def _spell_code(code: str) -> str:
    pieces = _CODE_PIECE.findall(code)
    words: list[str] = []
    for index, piece in enumerate(pieces):
        if piece == "-":
            words.append(" ")
        elif piece == "&":
            words.append("앤")
        elif piece.isdigit():
            glued = (index > 0 and pieces[index - 1].isalpha()) or (
                index + 1 < len(pieces) and pieces[index + 1].isalpha()
            )
            words.append(kn.english_digits(piece) if glued and len(piece) == 1 else kn.sino(piece))
        else:
            words.append("".join(LETTER_NAMES[letter] for letter in piece))
    spelled = "".join(words)
    # M-DAQ is one name (엠디에이큐); JDD-2017 is a name and a number (제이디디 이천십칠).
    if "-" in pieces and all(p.isalpha() or p in "-&" for p in pieces):
        spelled = spelled.replace(" ", "")
    return spelled


# --- remaining numbers and symbols ----------------------------------------------------------------------------------

_DECIMAL = re.compile(_NUMBER_START + r"([0-9]+)\.([0-9]+)(?![0-9])")
_NUMBER = re.compile(r"[0-9]+")
_HANGUL_AFTER = re.compile(f"[{HANGUL}]")


def read_sino_numbers(text: str) -> str:
    """Every other number is Sino-Korean, set apart from a counter after it: 2017년 → 이천십칠 년, 3분기 → 삼 분기."""

    def spoken(reading: str, text_after: str) -> str:
        return reading + (" " if _HANGUL_AFTER.match(text_after) else "")

    text = _DECIMAL.sub(lambda m: spoken(kn.decimal(m.group(1), m.group(2)), m.string[m.end() : m.end() + 1]), text)
    return _NUMBER.sub(lambda m: spoken(kn.sino(m.group()), m.string[m.end() : m.end() + 1]), text)


_DOTTED_WORDS = re.compile(f"(?<![{HANGUL}])[{HANGUL}]+(?:·[{HANGUL}]+)+")


def read_middle_dots(text: str) -> str:
    """미·중 → 미중, 한·중·일 → 한중일 (one-syllable names run together); 정치·경제 → 정치 경제."""

    def spoken(m: re.Match[str]) -> str:
        words = m.group().split("·")
        return "".join(words) if all(len(word) == 1 for word in words) else " ".join(words)

    return _DOTTED_WORDS.sub(spoken, text).replace("·", " ")


_TILDE_BETWEEN_WORDS = re.compile(f"(?<=[{HANGUL}A-Za-z])\\s*~\\s*(?=[{HANGUL}A-Za-z])")


def read_tildes(text: str) -> str:
    """서울~부산 → 서울에서 부산; a tilde elsewhere (좋아요~) is not said."""
    return _TILDE_BETWEEN_WORDS.sub("에서 ", text).replace("~", " ")


_SYMBOL_WORDS = (("&", " 앤 "), ("+", " 플러스 "), ("%", " 퍼센트 "), ("@", " 앳 "))
_SILENT_SYMBOLS = re.compile(r"[/\\|_*#^=<>\[\]{}-]")


def read_symbols(text: str) -> str:
    """& → 앤, + → 플러스, % → 퍼센트, @ → 앳; a slash or hyphen between words is a short break."""
    for symbol, word in _SYMBOL_WORDS:
        text = text.replace(symbol, word)
    return _SILENT_SYMBOLS.sub(" ", text)


_UNSAID_MARKS = frozenset("※†‡§¶⁂")


def drop_pictographs(text: str) -> str:
    """Emoji, arrows, stars and other picture symbols (😀 ▶ ※ ©) are seen, not said."""
    if text.isascii():
        return text
    return "".join(char for char in text if unicodedata.category(char) != "So" and char not in _UNSAID_MARKS)


# --- last guards and tidying ------------------------------------------------------------------------------------


def drop_unbalanced_brackets(text: str) -> str:
    """A '(' whose ')' went with a dropped link (or never was) is not part of what is said."""
    unmatched: list[int] = []
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            opened.pop()
        elif char == ")":
            unmatched.append(index)
    unmatched.extend(opened)
    if not unmatched:
        return text
    drop = set(unmatched)
    return "".join(char for index, char in enumerate(text) if index not in drop)


# Starting only where such a run starts keeps this linear on long runs of link characters.
_LINK_CHARS = "[A-Za-z0-9:/._?=&#~+-]"
_HTTP_WORD = re.compile(f"(?<!{_LINK_CHARS}){_LINK_CHARS}*?http{_LINK_CHARS}*", re.IGNORECASE)


def drop_link_remnants(text: str) -> str:
    """Whatever still says http (a broken link) is dropped."""
    return _HTTP_WORD.sub(" ", text)


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.!?;:)\]])")
_SPACE_AFTER_OPENING = re.compile(r"([(\[])\s+")
_REPEATED_COMMAS = re.compile(r"(?:,\s*){2,}")
_COMMA_BEFORE_STOP = re.compile(r",\s*(?=[.!?]|$)")
_LEADING_PUNCTUATION = re.compile(r"^[\s,.;:!?]+")
_PUNCTUATION_ONLY = re.compile(rf"^[^{HANGUL}A-Za-z]*$")


def tidy_spaces(text: str) -> str:
    """One space between words, none before punctuation, no dangling commas; punctuation alone says nothing."""
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    text = _SPACE_AFTER_OPENING.sub(r"\1", text)
    text = _REPEATED_COMMAS.sub(", ", text)
    text = _COMMA_BEFORE_STOP.sub("", text.strip())
    text = _LEADING_PUNCTUATION.sub("", text).strip()
    return "" if _PUNCTUATION_ONLY.match(text) else text


RULES: tuple[Rule, ...] = (
    drop_source_lines,
    drop_urls,
    drop_emails,
    drop_han_in_parentheses,
    drop_latin_glosses,
    drop_repeated_glosses,
    read_country_abbreviations,
    drop_legal_forms,
    drop_han,
    drop_quotes,
    drop_empty_brackets,
    drop_thousands_separators,
    read_phone_numbers,
    read_minus_signs,
    read_dashes,
    read_dates,
    read_clock_times,
    read_currency_signs,
    read_fractions,
    read_ranges,
    read_percentages,
    read_decimal_large_units,
    read_large_units,
    read_ordinals,
    read_months,
    read_numbers_after_je,
    read_dae_counter,
    read_native_counters,
    read_measures,
    read_latin_codes,
    read_sino_numbers,
    read_middle_dots,
    read_tildes,
    read_symbols,
    drop_pictographs,
    drop_empty_brackets,
    drop_unbalanced_brackets,
    drop_link_remnants,
    tidy_spaces,
)


def normalize(text: str, lexicon: Mapping[str, str] | None = None) -> str:
    """The spoken form of `text`: the lexicon first (longest entry first), then every rule in `RULES`, in order."""
    text = unify_characters(text)
    text = apply_lexicon(text, lexicon)
    for rule in RULES:
        text = rule(text)
    return text
