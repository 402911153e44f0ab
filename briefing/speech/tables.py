"""The word tables the spoken-form rules read, loaded from the data files beside this module (briefing/speech/data/):
letter names, counters, units, money, link texts and Han country letters. The rules live in `normalize`; the words here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


def _table(name: str) -> dict[str, Any]:
    with (DATA / name).open("rb") as file:
        return tomllib.load(file)


LETTER_NAMES: dict[str, str] = _table("letters.toml")

_counters = _table("counters.toml")
NATIVE_COUNTERS: tuple[str, ...] = tuple(_counters["native"])
NATIVE_UP_TO: dict[str, int] = _counters["native_up_to"]
SINO_LOOKALIKES: tuple[str, ...] = tuple(_counters["sino_lookalikes"])
NUMBERED_BY_BEON: tuple[str, ...] = tuple(_counters["numbered_by_beon"])
VEHICLE_WORDS: tuple[str, ...] = tuple(_counters["vehicle_words"])
RANGE_UNITS: tuple[str, ...] = (*NATIVE_COUNTERS, *SINO_LOOKALIKES, *_counters["range_units"])
WEEKDAYS: tuple[str, ...] = tuple(_counters["weekdays"])
HAN_WEEKDAYS: dict[str, str] = _counters["han_weekdays"]
HAN_AFTER_NUMBERS: dict[str, str] = _counters["han_after_numbers"]

MEASURES: dict[str, str] = _table("units.toml")["measures"]

_money = _table("money.toml")
CURRENCY_SIGNS: dict[str, str] = _money["signs"]
CURRENCY_CODES_AFTER: dict[str, str] = _money["codes_after"]
SCALES: dict[str, int] = _money["scales"]
CURRENCY_WORDS: dict[str, str] = _money["words"]
EXCHANGES: tuple[str, ...] = tuple(_money["exchanges"]["names"])

LINK_POINTERS: frozenset[str] = frozenset(_table("links.toml")["pointers"])

_countries = _table("countries.toml")
COUNTRY_NAMES: dict[str, str] = _countries["names"]
COUNTRY_SYLLABLES: dict[str, str] = _countries["syllables"]
