"""The episode date from the issue's title ("11월 셋째 주", "2017년 11월 20일", ISO) and its source URLs' years."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable

_ORDINAL_WEEKS = {"첫": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5, "마지막": -1}
_WEEK_OF_MONTH = re.compile(
    r"(?:(?P<year>\d{4})\s*년\s*)?(?P<month>\d{1,2})\s*월\s*"
    rf"(?:(?P<ordinal>{'|'.join(_ORDINAL_WEEKS)})\s*(?:째|번째)?|(?P<digit>[1-5])\s*(?:째|번째)?)\s*주(?:차)?"
)
_KOREAN_DATE = re.compile(r"(?:(?P<year>\d{4})\s*년\s*)?(?P<month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일")
_NUMERIC_DATE = re.compile(r"(?<!\d)(?P<year>\d{4})[-./](?P<month>\d{1,2})[-./](?P<day>\d{1,2})(?!\d)")

# Dates as news sites put them in URLs: 2017-11-02, 2017/11, 20171113, 201711, and /17/1106/ (yy/mmdd).
_URL_YEAR_MONTH = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})[-/._]?(?P<month>0[1-9]|1[0-2])")
_URL_SHORT_YEAR = re.compile(r"/(?P<year>\d{2})/(?P<month>0[1-9]|1[0-2])\d{2}/")
_EARLIEST_YEAR = 1990
# An issue is made shortly before its date at most; a title date further ahead means last year's.
NEAR_FUTURE = dt.timedelta(days=60)


def infer_episode_date(title: str, urls: Iterable[str], today: dt.date) -> dt.date:
    """A date the title names (a week of a month → that week's Monday), in the title's year or else the
    year most of the source URLs show, else this year (last year when that is more than 60 days ahead);
    `today` when the title names no date."""
    url_years = years_in_urls(urls, today)
    if url_years:
        return date_from_title(title, most_likely_year(url_years, default=today.year)) or today
    this_year = date_from_title(title, today.year)
    if this_year and this_year > today + NEAR_FUTURE and not _names_a_year(title):
        return date_from_title(title, today.year - 1) or this_year  # "12월 넷째 주" read in January
    return this_year or today


def _names_a_year(title: str) -> bool:
    return bool(re.search(r"(?<!\d)\d{4}\s*(?:년|[-./])", title))


def date_from_title(title: str, default_year: int) -> dt.date | None:
    if match := _NUMERIC_DATE.search(title):
        return _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _WEEK_OF_MONTH.search(title):
        year = int(match["year"]) if match["year"] else default_year
        week = _ORDINAL_WEEKS[match["ordinal"]] if match["ordinal"] else int(match["digit"])
        month = int(match["month"])
        return _safe(lambda: week_monday(year, month, week)) if 1 <= month <= 12 else None
    if match := _KOREAN_DATE.search(title):
        year = int(match["year"]) if match["year"] else default_year
        return _safe_date(year, int(match["month"]), int(match["day"]))
    return None


def week_monday(year: int, month: int, week: int) -> dt.date:
    """Monday of a month's n-th week, Korean convention: week 1 is the Mon–Sun week holding the month's
    first Thursday (so 11월 셋째 주 of 2017 starts on 13 November). `week=-1` is the last such week."""
    if week == -1:
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        last_thursday = next_month - dt.timedelta(days=(next_month.weekday() - 3) % 7 or 7)
        return last_thursday - dt.timedelta(days=3)
    first = dt.date(year, month, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday - dt.timedelta(days=3) + dt.timedelta(weeks=week - 1)


def years_in_urls(urls: Iterable[str], today: dt.date) -> list[int]:
    years: list[int] = []
    for url in urls:
        found = {int(m["year"]) for m in _URL_YEAR_MONTH.finditer(url)}
        found |= {2000 + int(m["year"]) for m in _URL_SHORT_YEAR.finditer(url)}
        years.extend(year for year in found if _EARLIEST_YEAR <= year <= today.year + 1)
    return years


def most_likely_year(years: list[int], default: int) -> int:
    """The most common year; among equally common ones the latest."""
    if not years:
        return default
    counts = Counter(years)
    return max(counts, key=lambda year: (counts[year], year))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    return _safe(lambda: dt.date(year, month, day))


def _safe(make: Callable[[], dt.date]) -> dt.date | None:
    """The date `make` gives, or None where there is no such date (year 0, 2017-02-30, past year 9999)."""
    try:
        return make()
    except (ValueError, OverflowError):
        return None
