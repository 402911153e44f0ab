"""Korean spoken form: what a news presenter says for a written line (numbers, money, dates, Latin words and symbols
read out; links, Han characters and source lines dropped). A list of small, named rules applied in order by
`normalize`, after the lexicon; the word tables they read are data files (`tables`).
"""

from __future__ import annotations

import contextvars
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from briefing.korean import numbers as kn
from briefing.korean.particles import NUMBER_PARTICLE, agreeing_particle
from briefing.speech import english
from briefing.speech.lexicon import apply_lexicon, lexicon_in_force, used_entries
from briefing.speech.tables import (
    COUNTRY_NAMES,
    COUNTRY_SYLLABLES,
    CURRENCY_CODES_AFTER,
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    EXCHANGES,
    HAN_AFTER_NUMBERS,
    HAN_WEEKDAYS,
    LETTER_NAMES,
    LINK_POINTERS,
    MEASURES,
    NATIVE_COUNTERS,
    NATIVE_UP_TO,
    NUMBERED_BY_BEON,
    RANGE_UNITS,
    SCALES,
    SINO_LOOKALIKES,
    VEHICLE_WORDS,
    WEEKDAYS,
)

Rule = Callable[[str], str]

HANGUL = "가-힣ㄱ-ㆎ"
# Unicode's Han script: radicals, ideographic marks, the unified and compatibility ideographs and their extensions.
HAN = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HAN_CHAR = re.compile(f"[{HAN}]")
_HANGUL_CHAR = re.compile(f"[{HANGUL}]")
# Latin letters a lexicon entry chose to keep stand in the text as private-use characters while the rules run.
_KEPT = "\ue000-\uf8ff"

# A number starts where no letter, digit or decimal point touches it: 'A3' and '1.5' are not numbers starting at 3/5.
_NUMBER_START = r"(?<![A-Za-z0-9.,])"


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so 개월 is tried before 개)."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


# --- the lexicon in force, and what the Latin-word rules tell --explain ------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change to a line: the rule or lexicon that made it, the written and spoken fragments, and for a Latin word
    how its sound was found ('CMUdict HH AA1 R B ER0', 'as spelt', 'letter names')."""

    source: str
    written: str
    spoken: str
    how: str = ""


class _KeptLatin:
    """Latin letters a lexicon entry chose (Gartner = "Gartner"), stood in for by private-use characters while the
    rules run, so that they reach the engine as the entry wrote them."""

    def __init__(self) -> None:
        self.runs: list[str] = []

    def keep(self, spoken: str) -> str:
        def stand_in(m: re.Match[str]) -> str:
            self.runs.append(m.group())
            return chr(0xE000 + len(self.runs) - 1)

        return re.sub("[A-Za-z]+", stand_in, spoken) if len(self.runs) < 6000 else spoken

    def restore(self, text: str) -> str:
        if not self.runs:
            return text
        return re.sub(f"[{_KEPT}]", lambda m: self.runs[ord(m.group()) - 0xE000], text)


@dataclass
class _Context:
    """What one `normalize` call's rules share: the lexicon in force (briefing's word list under the show's), and
    the notes the Latin-word rules leave for --explain."""

    words: Mapping[str, str]
    show: Mapping[str, str] = field(default_factory=dict)
    notes: list[Change] | None = None
    kept: _KeptLatin = field(default_factory=lambda: _KeptLatin())
    _folded: dict[str, str] | None = None

    def known(self, word: str) -> str | None:
        """The spoken form the lexicon gives a Latin word: as written, or from four letters on in any capitals."""
        if word in self.words:
            return self.words[word]
        if len(word) < 4:
            return None
        if self._folded is None:
            self._folded = {
                key.casefold(): spoken for key, spoken in self.words.items() if key.isascii() and key.isalpha()
            }
        return self._folded.get(word.casefold())

    def lexicon_source(self, written: str, spoken: str) -> str:
        return "lexicon.toml" if self.show.get(written) == spoken else "briefing word list"

    def note(self, source: str, written: str, spoken: str, how: str) -> None:
        if self.notes is not None:
            self.notes.append(Change(source, written, spoken, how))


_CONTEXT: contextvars.ContextVar[_Context | None] = contextvars.ContextVar("spoken_form_context", default=None)


def _context() -> _Context:
    """The running call's context; a rule called on its own uses briefing's word list."""
    return _CONTEXT.get() or _Context(lexicon_in_force(None))


# --- characters ------------------------------------------------------------------------------------------------

_NOT_HANGUL_RUN = re.compile(f"[^{HANGUL}]+")
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2060-\u2064\ufeff" + _KEPT + "]")
_TILDES = re.compile("[〜∼˜]")
_MIDDLE_DOTS = re.compile("[ㆍ・‧∙•]")


def unify_characters(text: str) -> str:
    """Compose Hangul, fold full-width and compatibility forms (１ → 1, ㎞ → km) and unify look-alike marks.

    NFKC is applied outside Hangul only: it would decompose compatibility jamo (ㅋㅋ) into conjoining ones.
    Private-use characters carry no speech and are dropped.
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
_LINK_TARGET = r"(?:https?://|www\.|mailto:|/|#)(?:[^\s()<>]|\([^\s()]*\))*"
_MARKDOWN_LINK = re.compile(rf"\[([^\[\]]*)\]\(\s*<?({_LINK_TARGET})>?(?:\s+\"[^\"]*\")?\s*\)")
_SPACE_RUN = re.compile(r"\s+")


def unspoken_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` has source lines, links and e-mail addresses: (start, end) offsets of what is never said."""
    return [m.span() for pattern in (_SOURCE_LINE, _URL_TEXT, _EMAIL) for m in pattern.finditer(text)]


def read_markdown_links(text: str) -> str:
    """[보도자료](https://…)에서 → 보도자료에서: a link's text is said, never its address. A link that is all its line
    says, or whose text only points at it ([원문 보기](…), [Read more](…), an address), says nothing."""
    line = text.strip()

    def spoken(m: re.Match[str]) -> str:
        label = m.group(1).strip()
        pointer = _SPACE_RUN.sub(" ", label.casefold()) in LINK_POINTERS or _URL_TEXT.fullmatch(label)
        alone = m.group() == line.rstrip(".")
        return "" if pointer or alone or not label else label

    return _MARKDOWN_LINK.sub(spoken, text)


def drop_source_lines(text: str) -> str:
    """'내용 출처 URL: http://…', '썸네일 출처: https://…': a listener hears none of it (sources go in show notes)."""
    return _SOURCE_LINE.sub(" ", text)


def drop_urls(text: str) -> str:
    """Links are read by nobody: http(s)://… and www.… are dropped."""
    return _URL_TEXT.sub(" ", text)


def drop_emails(text: str) -> str:
    """editor@example.com is not read out."""
    return _EMAIL.sub(" ", text)


_TICKER = r"[A-Z0-9][A-Z0-9.]{0,9}"
_STOCK_CODE = re.compile(
    rf"\s?\(\s*(?:(?:{_alternatives(EXCHANGES)})\s*[:：]?\s*{_TICKER}|[0-9]{{6}}(?:\.K[SQ])?|[0-9]{{4,5}}\.[A-Z]{{1,2}})\s*\)"
)


def drop_stock_codes(text: str) -> str:
    """삼성전자(005930) → 삼성전자, 애플(NASDAQ: AAPL) → 애플, 알리바바(9988.HK) → 알리바바: tickers are not said."""
    return _STOCK_CODE.sub("", text)


_HAN_AFTER_NUMBER = re.compile(
    f"(?<=[0-9만억조천백])(\\s?)([{''.join(HAN_AFTER_NUMBERS)}])(?:([{''.join(HAN_AFTER_NUMBERS)}]))?"
)
_HAN_WEEKDAY = re.compile(f"(?<=[0-9일.])(\\s?)\\(([{''.join(HAN_WEEKDAYS)}])\\)")


def read_han_units(text: str) -> str:
    """100元 → 100 위안, 50余 개 → 50여 개, 5万元 → 5만 위안, 3일(火) → 3일(화): Han units and weekdays after a number
    are read before Han characters are dropped."""

    def units(m: re.Match[str]) -> str:
        words = [HAN_AFTER_NUMBERS[char] for char in m.groups()[1:] if char]
        joined = ""
        for word in words:
            # A scale or 여 joins the number; a currency is a word of its own (100 위안).
            joined += word if word in ("만", "억", "여") else " " + word
        return m.group(1) if not joined else joined

    text = _HAN_AFTER_NUMBER.sub(units, text)
    return _HAN_WEEKDAY.sub(lambda m: f"{m.group(1)}({HAN_WEEKDAYS[m.group(2)]})", text)


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
    """가트너(가트너) → 가트너, 센트럴 그룹(센트럴 그룹) → 센트럴 그룹: a gloss the lexicon (or, in the second
    pass, the Latin-word rules) turned into the name before it is said once."""
    return _REPEATED_GLOSS.sub(r"\1", text)


_COUNTRY = "[" + "".join(COUNTRY_NAMES) + "]"
_COUNTRY_PAIR = re.compile(f"(?<![{HAN}]){_COUNTRY}(?:·?{_COUNTRY})+(?![{HAN}])")
_COUNTRY_ALONE = re.compile(f"(?<![{HAN}]){_COUNTRY}(?![{HAN}])")


def read_country_abbreviations(text: str) -> str:
    """美 연준 → 미국 연준, 韓·美 → 한미, 韓中日 → 한중일: a lone Han country letter is the country's name, a run of
    them is said syllable by syllable (Han words such as 中国 are left for drop_han)."""
    text = _COUNTRY_PAIR.sub(lambda m: "".join(COUNTRY_SYLLABLES[c] for c in m.group() if c != "·"), text)
    return _COUNTRY_ALONE.sub(lambda m: COUNTRY_NAMES[m.group()], text)


_LEGAL_FORMS = re.compile(r"\((?:주|유|사|재)\)")


def drop_legal_forms(text: str) -> str:
    """(주)카카오 → 카카오: the company-form mark is written, not said."""
    return _LEGAL_FORMS.sub("", text)


def drop_han(text: str) -> str:
    """Han characters left anywhere are not read (the Korean text around them carries the meaning)."""
    return _HAN_CHAR.sub("", text)


_QUOTES = re.compile("['\"‘’“”«»「」『』`´‹›〈〉《》]")


def drop_quotes(text: str) -> str:
    """'쌍 11' → 쌍 11: quotation marks are not said."""
    return _QUOTES.sub("", text)


_EMPTY_BRACKETS = re.compile(r"\(\s*[,.·:;/-]*\s*\)|\[\s*\]|\{\s*\}")


def drop_empty_brackets(text: str) -> str:
    """'()' left behind by dropped links or Han."""
    return _EMPTY_BRACKETS.sub("", text)


# --- numbers that are not quantities: phone numbers, dates, times, signs --------------------------------------------

_THOUSANDS = re.compile(r"(?<![0-9,.])[0-9]{1,3}(?:,[0-9]{3})+(?![0-9]|,[0-9])")


def drop_thousands_separators(text: str) -> str:
    """1,900만 → 1900만."""
    return _THOUSANDS.sub(lambda m: m.group().replace(",", ""), text)


# More digits than any quantity has (from 경, 10^16, on): an identifier, however long.
_LONG_DIGIT_RUN = re.compile(r"[0-9]{17,}")


def read_long_digit_runs(text: str) -> str:
    """12345678901234567890 → 일이삼사오육칠팔구영일이삼사오육칠팔구영: said digit by digit before any rule takes it
    for a number (a run of thousands of digits would otherwise not even convert)."""
    return _LONG_DIGIT_RUN.sub(lambda m: kn.read_digits(m.group()), text)


_PHONE = re.compile(_NUMBER_START + r"\(?(0[0-9]{1,2})(?:\)\s?|-)([0-9]{3,4})-([0-9]{4})(?![0-9])")
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![A-Za-z0-9])\+([0-9]{1,3})[-\s]\(?([0-9]{1,4})\)?[-\s]([0-9]{3,4})[-\s]([0-9]{4})(?![0-9])"
)
_PHONE_NATIONWIDE = re.compile(_NUMBER_START + r"(1[5-9][0-9]{2})-([0-9]{4})(?![0-9-])")


def read_phone_numbers(text: str) -> str:
    """02-123-4567 → 공이 일이삼 사오육칠, (02) 123-4567 too, 1588-1234 → 일오팔팔 일이삼사, +82-2-123-4567 →
    플러스 팔이 이 일이삼 사오육칠: a telephone number is said digit by digit."""

    def digits(m: re.Match[str]) -> str:
        return " ".join(kn.read_digits(part, zero="공") for part in m.groups())

    text = _PHONE_INTERNATIONAL.sub(lambda m: "플러스 " + digits(m), text)
    text = _PHONE.sub(digits, text)
    return _PHONE_NATIONWIDE.sub(digits, text)


_MONTH_NUMBER = r"(0?[1-9]|1[0-2])"
_DAY_NUMBER = r"(0?[1-9]|[12][0-9]|3[01])"
_WEEKDAY = f"[{''.join(WEEKDAYS)}](?:요일)?"
_DASHED_DATE = re.compile(_NUMBER_START + rf"([12][0-9]{{3}})([-/]){_MONTH_NUMBER}\2{_DAY_NUMBER}(?![0-9])")
# 2017.11.02, 2024. 11. 3. (a closing dot belongs to the date when a word or a weekday follows it).
_DOTTED_DATE = re.compile(
    _NUMBER_START + rf"([12][0-9]{{3}})\.\s?{_MONTH_NUMBER}\.\s?{_DAY_NUMBER}(?:\.(?=\s?[{HANGUL}(]))?(?!\.?[0-9])"
)
_SHORT_DATE = re.compile(
    r"(?<![0-9./])" + rf"{_MONTH_NUMBER}[./]{_DAY_NUMBER}\.?(?=\s?\(\s*{_WEEKDAY}\s*(?:[·,~-]\s*{_WEEKDAY}\s*)?\))"
)


def read_dates(text: str) -> str:
    """2017-11-02, 2017.11.02 and 2024. 11. 2. → 2017년 11월 2일; 12/25(수) → 12월 25일(수): read by the rules for
    years, months and days (a month/day needs its weekday to be told from a fraction)."""

    def full(m: re.Match[str], month: int, day: int) -> str:
        return f"{m.group(1)}년 {int(m.group(month))}월 {int(m.group(day))}일"

    text = _DASHED_DATE.sub(lambda m: full(m, 3, 4), text)
    text = _DOTTED_DATE.sub(lambda m: full(m, 2, 3), text)
    return _SHORT_DATE.sub(lambda m: f"{int(m.group(1))}월 {int(m.group(2))}일", text)


_WEEKDAY_AFTER_DAY = re.compile(rf"(?<=일)\s?\(\s*({_WEEKDAY})\s*(?:([·,~-])\s*({_WEEKDAY})\s*)?\)")


def read_weekdays(text: str) -> str:
    """11월 3일(화) → 11월 3일 화요일; 2일(토·일) → 2일 토요일 일요일; 4일(월~금) → 4일 월요일에서 금요일."""

    def spoken(m: re.Match[str]) -> str:
        first, mark, second = m.groups()
        said = " " + first[0] + "요일"
        if second:
            said += ("에서 " if mark in "~-" else " ") + second[0] + "요일"
        return said

    return _WEEKDAY_AFTER_DAY.sub(spoken, text)


_SIGN_WORDS = {"+": "플러스 ", "±": "플러스마이너스 ", "▲": "플러스 ", "▼": "마이너스 "}
_PLUS = re.compile(r"(?<![A-Za-z0-9)])([+±▲▼])\s?(?=[0-9])")


def read_plus_signs(text: str) -> str:
    """+5% → 플러스 5%, ±0.5% → 플러스마이너스 0.5%, ▲3.1% → 플러스 3.1%, ▼2% → 마이너스 2%: a sign before a number
    (between numbers, 1+1 is read by read_symbols)."""
    return _PLUS.sub(lambda m: _SIGN_WORDS[m.group(1)], text)


# A minus stands where a number starts a word (전년 대비 -3%, (-5℃)); A-3, 3-5 and 코비드-19 hold hyphens.
_MINUS = re.compile(r"(?<![^\s(\[~:,])[−-](?=[0-9])")
_BELOW_ZERO = re.compile(r"[0-9]+(?:\.[0-9]+)?\s?(?:°C|℃|°|도)")


def read_minus_signs(text: str) -> str:
    """전년 대비 -3% → 마이너스 3%, -5℃ → 영하 5℃: a minus before a number, not a hyphen inside a code or between
    numbers; below zero for a temperature."""

    def spoken(m: re.Match[str]) -> str:
        return "영하 " if _BELOW_ZERO.match(text, m.end()) else "마이너스 "

    return _MINUS.sub(spoken, text)


_DASHES_BETWEEN_NUMBERS = re.compile(r"(?<=[0-9])\s*[–—]\s*(?=[0-9])")
_OTHER_DASHES = re.compile(r"\s*[–—―]+\s*")


def read_dashes(text: str) -> str:
    """A dash between numbers is a range (2017–2018 → 2017~2018); elsewhere it is a pause."""
    text = _DASHES_BETWEEN_NUMBERS.sub("~", text)
    return _OTHER_DASHES.sub(", ", text)


_CLOCK = re.compile(_NUMBER_START + r"([01]?[0-9]|2[0-4]):([0-5][0-9])(?::([0-5][0-9]))?(?![0-9:])")


def read_clock_times(text: str) -> str:
    """9:30 → 아홉 시 삼십 분, 14:30 → 십사 시 삼십 분, 21:00 → 이십일 시: hours to 12 in native numbers, the
    24-hour clock's afternoon hours in Sino-Korean."""

    def spoken(m: re.Match[str]) -> str:
        hour, minutes, seconds = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        said = (kn.native(hour) if 1 <= hour <= NATIVE_UP_TO["시"] else kn.sino(str(hour))) + " 시"
        if minutes:
            said += f" {kn.sino(str(minutes))} 분"
        if seconds:
            said += f" {kn.sino(str(seconds))} 초"
        return said

    return _CLOCK.sub(spoken, text)


_RATIO = re.compile(_NUMBER_START + r"([0-9]+)\s?:\s?([0-9]+)(?![0-9:])")


def read_ratios(text: str) -> str:
    """2:1로 → 이 대 일로, 16:9 → 십육 대 구: a colon between numbers that are no clock time is a ratio or a score."""
    return _RATIO.sub(lambda m: f"{kn.sino(m.group(1))} 대 {kn.sino(m.group(2))}", text)


# --- money ---------------------------------------------------------------------------------------------------------

_SIGN = _alternatives(CURRENCY_SIGNS)
_AMOUNT = r"([0-9]+(?:\.[0-9]+)?)"
_SCALE = r"(?:\s?(" + _alternatives(SCALES) + r")(?![A-Za-z]))"
_APPROXIMATE = re.compile(r"(?:^|(?<=[\s(]))(?<![0-9]\s)~\s?(?=" + _SIGN + r"|[0-9])")


def read_approximations(text: str) -> str:
    """~$10M → 약 $10M, ~30% → 약 30%: a tilde before an amount (not between two) says it is about that much."""
    return _APPROXIMATE.sub("약 ", text)


# $7M, US$1.2B, €300mn, $5~7M, $5M~$7M, $2.5억, USD 300.
_SIGNED_AMOUNT = re.compile(
    rf"(?<![A-Za-z])({_SIGN})\s?{_AMOUNT}(?:{_SCALE}|([만억조]))?"
    rf"(?:\s?~\s?({_SIGN})?\s?{_AMOUNT}(?:{_SCALE}|([만억조]))?)?"
)
# 300 USD, 7M 달러.
_AMOUNT_THEN_CODE = re.compile(
    _NUMBER_START + rf"{_AMOUNT}{_SCALE}?\s?({_alternatives(CURRENCY_CODES_AFTER)})(?![A-Za-z])"
)
_SCALED_AMOUNT_THEN_WORD = re.compile(_NUMBER_START + rf"{_AMOUNT}{_SCALE}\s?(?=({_alternatives(CURRENCY_WORDS)}))")


def _amount(number: str, scale: str | None, korean_scale: str | None = None) -> str:
    """An amount said: ('7', 'M') → 칠백만, ('1.2', 'B') → 십이억; with a Korean scale word (2.5, 억) it is left for
    the rules that read those (2.5억 → 이 점 오억)."""
    if korean_scale:
        return number + korean_scale
    value = Decimal(number) * 10 ** SCALES[scale] if scale else Decimal(number)
    if value == value.to_integral_value():
        return kn.sino(str(int(value)))
    whole, _, fraction = format(value.normalize(), "f").partition(".")
    return kn.decimal(whole, fraction)


def read_money(text: str) -> str:
    """$7M → 칠백만 달러, US$1.2B → 십이억 달러, €300mn → 삼억 유로, $5~7M → 오백만에서 칠백만 달러, ₩5000 → 오천 원,
    USD 300 → 삼백 달러, 7M 달러 → 칠백만 달러; $2.5억 → 2.5억 달러. ¥ is said 엔 (yuan: 위안, 元, CN¥, RMB)."""

    def signed(m: re.Match[str]) -> str:
        sign, low, low_scale, low_korean, high_sign, high, high_scale, high_korean = m.groups()
        currency = CURRENCY_SIGNS[sign]
        if high is None:
            return f"{_amount(low, low_scale, low_korean)} {currency}"
        if not (low_scale or low_korean):
            low_scale, low_korean = high_scale, high_korean  # $5~7M: the scale is shared
        low_said = _amount(low, low_scale, low_korean)
        high_said = _amount(high, high_scale, high_korean)
        if high_sign:
            return f"{low_said} {currency}에서 {high_said} {CURRENCY_SIGNS[high_sign]}"
        return f"{low_said}에서 {high_said} {currency}"

    text = _SIGNED_AMOUNT.sub(signed, text)
    text = _AMOUNT_THEN_CODE.sub(
        lambda m: f"{_amount(m.group(1), m.group(2))} {CURRENCY_CODES_AFTER[m.group(3)]}", text
    )
    return _SCALED_AMOUNT_THEN_WORD.sub(lambda m: _amount(m.group(1), m.group(2)) + " ", text)


# --- versions, multiples, fractions, ranges, approximate counts ------------------------------------------------------

_VERSION_MARK = re.compile(r"(?<![A-Za-z0-9.])[vV](?=[0-9]+(?:\.[0-9]+)*(?![0-9A-Za-z]))")
_DOTTED_VERSION = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+){2,})(?![0-9.]|\.[0-9])")


def read_versions(text: str) -> str:
    """v2.1 → 버전 2.1, 1.2.3 → 일 점 이 점 삼 (each part a number): versions and other dotted numbers."""
    text = _VERSION_MARK.sub("버전 ", text)
    return _DOTTED_VERSION.sub(lambda m: " 점 ".join(kn.sino(part) for part in m.group(1).split(".")), text)


_TIMES_BETWEEN_NUMBERS = re.compile(_NUMBER_START + r"([0-9]+)\s?[x×]\s?([0-9]+)(?![0-9A-Za-z])")
_TIMES = re.compile(_NUMBER_START + r"([0-9]+(?:\.[0-9]+)?)\s?[x×](?![A-Za-z0-9])")


def read_multiples(text: str) -> str:
    """3x → 3배 (세 배), 1.5× → 1.5배; 1920x1080 → 1920 곱하기 1080."""
    text = _TIMES_BETWEEN_NUMBERS.sub(r"\1 곱하기 \2", text)
    return _TIMES.sub(r"\1배", text)


_FRACTION = re.compile(r"(?<![A-Za-z0-9./])([0-9]+)/([0-9]+)(?![0-9/])")


def read_fractions(text: str) -> str:
    """1/3 → 삼분의 일 (the denominator is said first)."""
    return _FRACTION.sub(lambda m: f"{kn.sino(m.group(2))}분의 {kn.sino(m.group(1))}", text)


_RANGE = re.compile(
    _NUMBER_START + r"([0-9]+(?:\.[0-9]+)?)\s*[~-]\s*([0-9]+(?:\.[0-9]+)?)(\s?)(" + _alternatives(RANGE_UNITS) + ")"
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


_SCALES = {"조": 10**12, "억": 10**8, "만": 10**4, "천": 1000, "백": 100}
_ABOUT = re.compile(
    _NUMBER_START + rf"([0-9]+)(조|억|만)?\s?여(?=[^{HANGUL}]|$|{_alternatives((*RANGE_UNITS, '년', '명'))})"
)


def read_approximate_counts(text: str) -> str:
    """10여 명 → 십여 명, 20여 개국 → 이십여 개국, 1만여 명 → 만여 명 (50余 arrives as 50여): 여 makes a number
    approximate and goes with its Sino-Korean form, whatever the counter."""

    def spoken(m: re.Match[str]) -> str:
        scale = m.group(2)
        return (kn.sino_scaled(m.group(1), _SCALES[scale]) if scale else kn.sino(m.group(1))) + "여"

    return _ABOUT.sub(spoken, text)


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


_AFTER_JE = re.compile(r"(?<=제)\s?([0-9]+)")


def read_numbers_after_je(text: str) -> str:
    """제1차 → 제일 차, 제3장 → 제삼 장: 제 makes an ordinal that is always Sino-Korean."""
    return _AFTER_JE.sub(lambda m: kn.sino(m.group(1)) + " ", text)


_DAE = re.compile(_NUMBER_START + r"([0-9]+)\s?대(?=([가를의와도는은만씩로에까])?)")
# The word before the number, without a particle: 로봇을 500대 → 로봇; 배달로봇 3대 ends with one.
_LONGEST_WORD_BEFORE = max(map(len, VEHICLE_WORDS)) + 3
_WORD_BEFORE = re.compile(f"([{HANGUL}]+?)(?:을|를|이|가|은|는|도|만)?\\s*$")


def read_dae_counter(text: str) -> str:
    """대 counts vehicles and machines natively (차량 3대 → 세 대) but ranks in Sino.

    500대 기업 → 오백대, 4대 면 → 사대.
    """

    def spoken(m: re.Match[str]) -> str:
        value = int(m.group(1))
        before = _WORD_BEFORE.search(text, max(0, m.start() - _LONGEST_WORD_BEFORE), m.start())
        counts_things = (before is not None and before.group(1).endswith(VEHICLE_WORDS)) or (
            m.group(2) is not None and value % 10 != 0  # 3대가 (three of them); 20대가 is an age group
        )
        if not counts_things:
            return f"{kn.sino(m.group(1))}대"
        return f"{kn.native(value) if 1 <= value <= 99 else kn.sino(m.group(1))} 대"

    return _DAE.sub(spoken, text)


_COUNTED = re.compile(
    _NUMBER_START
    + r"([0-9]+)(\s?)(?:("
    + _alternatives(SINO_LOOKALIKES)
    + ")|("
    + _alternatives(NATIVE_COUNTERS)
    + "))"
)
_NUMBERED = re.compile(rf"\s?(?:{_alternatives(NUMBERED_BY_BEON)})")


def read_native_counters(text: str) -> str:
    """3명 → 세 명, 20개 → 스무 개, 24시간 → 스물네 시간; 370개 → 삼백칠십 개; 3개월 → 삼 개월; 14시 → 십사 시;
    3척 → 세 척; 1번 출구 → 일 번 출구 (번 numbering a thing, not counting times)."""

    def spoken(m: re.Match[str]) -> str:
        digits, sino_word, native_word = m.group(1), m.group(3), m.group(4)
        value = int(digits)
        numbering = native_word == "번" and _NUMBERED.match(text, m.end())
        if native_word and 1 <= value <= NATIVE_UP_TO.get(native_word, 99) and not numbering:
            return f"{kn.native(value)} {native_word}"
        return f"{kn.sino(digits)} {sino_word or native_word}"

    return _COUNTED.sub(spoken, text)


_MEASURE = re.compile(_NUMBER_START + r"([0-9]+)(?:\.([0-9]+))?\s?(" + _alternatives(MEASURES) + r")(?![A-Za-z])")


def read_measures(text: str) -> str:
    """5km → 오 킬로미터, 64GB → 육십사 기가바이트, 1.5kg → 일 점 오 킬로그램, 120Hz → 백이십 헤르츠,
    25bp → 이십오 베이시스포인트, 50°F → 화씨 오십 도."""

    def spoken(m: re.Match[str]) -> str:
        number = kn.decimal(m.group(1), m.group(2)) if m.group(2) else kn.sino(m.group(1))
        unit = MEASURES[m.group(3)]
        return unit.format(number) if "{}" in unit else f"{number} {unit}"

    return _MEASURE.sub(spoken, text)


# --- Latin letters -------------------------------------------------------------------------------------------------

_LATIN_RUN = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?![A-Za-z])")
_CAMEL_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")


def _replace_latin(text: str, pattern: re.Pattern[str], said: Callable[[str], str | None]) -> str:
    """Every match of `pattern` replaced by `said(match)` (None: left as it is), with a particle after it made to
    agree with the new ending: LINE와 said 라인 → 라인과."""
    parts, position = [], 0
    for match in pattern.finditer(text):
        if match.start() < position:
            continue
        spoken = said(match.group())
        if spoken is None:
            continue
        parts += [text[position : match.start()], spoken]
        position = match.end()
        if agreed := agreeing_particle(text, position, match.group(), spoken):
            parts.append(agreed[0])
            position = agreed[1]
    parts.append(text[position:])
    return "".join(parts)


def _by_parts(word: str, say: Callable[[str], str | None]) -> str | None:
    """`say(word)`, else its camel-case parts said one by one (KakaoPay → 카카오 + 페이); None when none is said."""
    whole = say(word)
    if whole is not None:
        return whole
    parts = _CAMEL_PART.findall(word)
    if len(parts) < 2:
        return None
    said = [say(part) for part in parts]
    if all(piece is None for piece in said):
        return None
    return "".join(piece if piece is not None else part for part, piece in zip(parts, said, strict=True))


_DIGIT_AFTER_LETTERS = re.compile(r"(?<=[A-Za-z])(-?)([0-9])(?![0-9]|[.,][0-9])")
_DIGIT_BEFORE_LETTERS = re.compile(r"(?<![A-Za-z0-9.,])([0-9])(?=[A-Za-z])")


def read_digits_in_names(text: str) -> str:
    """Web3 → Web쓰리, GPT-4 → GPT-포, B2C → B투C, 5G → 파이브G: one digit joined to Latin letters is said in English
    (GPT-4o and GPT-4 alike); longer numbers stay Sino-Korean (S24 → 에스이십사, JDD-2017, Windows 11)."""
    text = _DIGIT_AFTER_LETTERS.sub(lambda m: m.group(1) + kn.english_digits(m.group(2)), text)
    return _DIGIT_BEFORE_LETTERS.sub(lambda m: kn.english_digits(m.group(1)), text)


_PLAIN_WORDS = re.compile(f"[{HANGUL}A-Za-z ]+")


def read_known_words(text: str) -> str:
    """Web쓰리 → 웹쓰리, KakaoPay → 카카오페이, TIKTOK → 틱톡: a Latin word the lexicon lists, found where its
    whole-word match could not see it (next to digits, inside a compound, in other capitals)."""
    context = _context()

    def known(word: str) -> str | None:
        spoken = context.known(word)
        # Found this late, an entry can only be put in as it is when it holds nothing for the rules to read.
        if spoken is None or not _PLAIN_WORDS.fullmatch(spoken):
            return None
        context.note("read_known_words", word, spoken, context.lexicon_source(word, spoken))
        return context.kept.keep(spoken)

    return _replace_latin(text, _LATIN_RUN, lambda run: _by_parts(run, known))


# An all-capital code (AI, CCTV, B2C, M-DAQ, R&D, JDD-2017), a short letter-digit mix (mp3, 4k) or a lone letter.
_CODE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?=[A-Z0-9]*[A-Z])[A-Z0-9]+(?:[-&][A-Z0-9]+)*"
    r"|(?=[a-z]{0,3}[0-9])(?=[0-9]{0,3}[a-z])[a-z0-9]{2,4}|[a-z])"
    r"(?![A-Za-z0-9]|[.,][0-9])"
)
_CODE_PIECE = re.compile(r"[A-Z]+|[0-9]+|[-&]")


def read_latin_codes(text: str) -> str:
    """AI → 에이아이, IBM를 → 아이비엠을, B2C → 비투씨, M-DAQ → 엠디에이큐, JDD-2017 → 제이디디 이천십칠, 시리즈 B →
    시리즈 비: initialisms by their letters' Korean names. An all-capital word the dictionary says as a word (NASA,
    SWIFT) is left for read_dictionary_words."""
    context = _context()

    def said(code: str) -> str | None:
        if code.isalpha() and code.isupper() and english.said_as_word(code):
            return None
        spoken = _spell_code(code.upper())
        context.note("read_latin_codes", code, spoken, "letter names")
        return spoken

    return _replace_latin(text, _CODE, said)


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


def read_dictionary_words(text: str) -> str:
    """Harbor → 하버, Sunrise → 선라이즈, SWIFT → 스위프트: an English word from the CMU Pronouncing Dictionary, written
    in Hangul by the 외래어 표기법's rules for English (briefing/speech/english.py)."""
    context = _context()

    def looked_up(word: str) -> str | None:
        found = english.from_dictionary(word) if len(word) > 1 else None
        if found is None:
            return None
        context.note("read_dictionary_words", word, found[0], f"CMUdict {found[1]}")
        return found[0]

    return _replace_latin(text, _LATIN_RUN, lambda run: _by_parts(run, looked_up))


_VOWEL_LETTER = re.compile("[aeiouyAEIOUY]")


def read_words_as_spelt(text: str) -> str:
    """Zepeto → 제페토, Gojek → 고젝, Mynt → 민트: a word in neither the lexicon nor the dictionary is read as it is
    spelt (a 아, e 에, i 이, o 오, u 우 …) by the same Hangul rules; a letter alone, or a word without a vowel, by
    its letters' names."""
    context = _context()

    def spelt(word: str) -> str:
        if len(word) > 1 and _VOWEL_LETTER.search(word):
            spoken, how = english.as_spelt(word), "as spelt"
        else:
            spoken, how = _spell_code(word.upper()), "letter names"
        context.note("read_words_as_spelt", word, spoken, how)
        return spoken

    return _replace_latin(text, _LATIN_RUN, lambda run: "".join(map(spelt, _CAMEL_PART.findall(run))))


# --- remaining numbers and symbols ----------------------------------------------------------------------------------

_DECIMAL = re.compile(_NUMBER_START + r"([0-9]+)\.([0-9]+)(?![0-9])")
_NUMBER = re.compile(r"[0-9]+")
_HANGUL_AFTER = re.compile(f"[{HANGUL}]")


def read_sino_numbers(text: str) -> str:
    """Every other number is Sino-Korean, set apart from a counter after it: 2017년 → 이천십칠 년, 3분기 → 삼 분기;
    a particle stays joined: 15를 → 십오를."""

    def spoken(reading: str, m: re.Match[str]) -> str:
        counter_after = _HANGUL_AFTER.match(m.string, m.end()) and not NUMBER_PARTICLE.match(m.string, m.end())
        return reading + (" " if counter_after else "")

    text = _DECIMAL.sub(lambda m: spoken(kn.decimal(m.group(1), m.group(2)), m), text)
    return _NUMBER.sub(lambda m: spoken(kn.sino(m.group()), m), text)


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
_PUNCTUATION_ONLY = re.compile(rf"^[^{HANGUL}A-Za-z{_KEPT}]*$")


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
    read_markdown_links,
    drop_source_lines,
    drop_urls,
    drop_emails,
    drop_stock_codes,
    read_han_units,
    drop_han_in_parentheses,
    drop_latin_glosses,
    drop_repeated_glosses,
    read_country_abbreviations,
    drop_legal_forms,
    drop_han,
    drop_quotes,
    drop_empty_brackets,
    drop_thousands_separators,
    read_long_digit_runs,
    read_phone_numbers,
    read_dates,
    read_weekdays,
    read_plus_signs,
    read_minus_signs,
    read_dashes,
    read_clock_times,
    read_ratios,
    read_approximations,
    read_money,
    read_versions,
    read_multiples,
    read_fractions,
    read_ranges,
    read_approximate_counts,
    read_percentages,
    read_decimal_large_units,
    read_large_units,
    read_ordinals,
    read_months,
    read_numbers_after_je,
    read_dae_counter,
    read_native_counters,
    read_measures,
    read_digits_in_names,
    read_known_words,
    read_latin_codes,
    read_dictionary_words,
    read_words_as_spelt,
    drop_repeated_glosses,
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


# --- the whole line ----------------------------------------------------------------------------------------------


def normalize(text: str, lexicon: Mapping[str, str] | None = None) -> str:
    """The spoken form of `text`: the lexicon first (briefing's word list under the show's `lexicon`, longest entry
    first), then every rule in `RULES`, in order."""
    return _spoken(text, lexicon, None)


def explain(text: str, lexicon: Mapping[str, str] | None = None) -> tuple[str, list[Change]]:
    """The spoken form of `text` and every change that made it: which lexicon entry or rule, on which words."""
    changes: list[Change] = []
    return _spoken(text, lexicon, changes), changes


def _spoken(text: str, lexicon: Mapping[str, str] | None, changes: list[Change] | None) -> str:
    words = lexicon_in_force(lexicon)
    context = _Context(words, lexicon or {}, [] if changes is not None else None)
    kept = context.kept
    token = _CONTEXT.set(context)
    try:
        text = unify_characters(text)
        links = unspoken_spans(text)
        if changes is not None:
            changes += [
                Change(context.lexicon_source(written, spoken), written, spoken)
                for written, spoken in used_entries(text, words, skip=links)
            ]
        text = apply_lexicon(text, words, keep=kept.keep, skip=links)
        for rule in RULES:
            before = text
            noted = len(context.notes) if context.notes is not None else 0
            text = rule(text)
            if changes is not None and context.notes is not None and text != before:
                made = context.notes[noted:] or [
                    Change(rule.__name__, written, spoken) for written, spoken in _changed_fragments(before, text)
                ]
                changes += [Change(c.source, kept.restore(c.written), kept.restore(c.spoken), c.how) for c in made]
        if not kept.runs:
            return text
        # Letters a lexicon entry kept are said as it wrote them, but never as a link.
        return tidy_spaces(drop_link_remnants(drop_urls(kept.restore(text))))
    finally:
        _CONTEXT.reset(token)


def _changed_fragments(before: str, after: str) -> list[tuple[str, str]]:
    """What changed between two versions of a line, word by word: ('$7M', '칠백만 달러'); changes of spacing alone
    are left out."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # Widen to whole words; the text around a change is the same in both versions.
        start_b = _word_start(before, i1)
        end_b = _word_end(before, i2)
        start_a, end_a = j1 - (i1 - start_b), j2 + (end_b - i2)
        if spans and start_b <= spans[-1][1]:
            spans[-1][1], spans[-1][3] = max(spans[-1][1], end_b), max(spans[-1][3], end_a)
        else:
            spans.append([start_b, end_b, max(start_a, 0), end_a])
    fragments = [(before[b1:b2].strip(), after[a1:a2].strip()) for b1, b2, a1, a2 in spans]
    return [(w, s) for w, s in fragments if _SPACES.sub("", w) != _SPACES.sub("", s)]


def _word_start(text: str, index: int) -> int:
    while index > 0 and not text[index - 1].isspace():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    while index < len(text) and not text[index].isspace():
        index += 1
    return index
