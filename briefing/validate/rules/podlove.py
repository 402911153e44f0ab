"""Podlove Simple Chapters (psc): the version, each chapter's start (Normal Play Time) and title, their order."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from lxml import etree

from briefing.feedspec.namespaces import PSC_NS
from briefing.validate.document import FeedDocument
from briefing.validate.rules.elements import item_label
from briefing.validate.rules.family import Family, Problems

PSC_VERSIONS = ("1.0", "1.1", "1.2")
# Normal Play Time as Podlove uses it: plain seconds, or [HH:]MM:SS, each with optional milliseconds.
NPT = re.compile(r"\d+(?:\.\d{1,3})?|(?:\d+:)?[0-5]?\d:[0-5]\d(?:\.\d{1,3})?")

family = Family("Podlove Simple Chapters")


def npt_seconds(text: str) -> float | None:
    if not NPT.fullmatch(text):
        return None
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _psc_lists(doc: FeedDocument) -> Iterator[tuple[etree._Element, etree._Element]]:
    for item in doc.items:
        for element in item.findall(f"{{{PSC_NS}}}chapters"):
            yield item, element


@family.rule("psc.version", "error", 'Set psc:chapters version="1.2".')
def psc_version(doc: FeedDocument) -> Problems:
    for item, element in _psc_lists(doc):
        if element.get("version") not in PSC_VERSIONS:
            yield element, f"{item_label(item)}: psc:chapters version '{element.get('version', '')}' is unknown"


@family.rule("psc.time", "error", "Write psc:chapter start as Normal Play Time (HH:MM:SS.mmm) and give it a title.")
def psc_time_format(doc: FeedDocument) -> Problems:
    for item, element in _psc_lists(doc):
        for chapter in element.findall(f"{{{PSC_NS}}}chapter"):
            if npt_seconds(chapter.get("start", "")) is None:
                yield chapter, f"{item_label(item)}: psc:chapter start '{chapter.get('start', '')}' is not NPT"
            if not chapter.get("title"):
                yield chapter, f"{item_label(item)}: psc:chapter has no title"


@family.rule("psc.order", "error", "List psc:chapter elements by ascending start.")
def psc_ascending(doc: FeedDocument) -> Problems:
    for item, element in _psc_lists(doc):
        starts = [npt_seconds(chapter.get("start", "")) for chapter in element.findall(f"{{{PSC_NS}}}chapter")]
        known = [start for start in starts if start is not None]
        if any(later < earlier for earlier, later in itertools.pairwise(known)):
            yield element, f"{item_label(item)}: psc:chapter starts are not in ascending order"
