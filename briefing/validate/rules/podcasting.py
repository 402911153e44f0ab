"""Podcasting 2.0 (the podcast namespace): podcast:guid and podcast:locked, funding and txt, chapters (linked, and the
JSON Chapters file itself), transcripts, seasons and soundbites, and the people who make the show (podcast:person)."""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from typing import Any

import jsonschema
from lxml import etree

from briefing.feedspec.json_chapters import JSON_CHAPTERS_SCHEMA, JSON_CHAPTERS_TYPE
from briefing.validate.document import FeedDocument, JsonError
from briefing.validate.rules.elements import is_absolute_http, item_duration, item_label, podcast, text_of
from briefing.validate.rules.family import Family, Problems

TRANSCRIPT_TYPES = ("text/plain", "text/html", "text/vtt", "application/json", "application/x-subrip")
# The lengths the namespace asks for, past which aggregators may cut the text.
SHORT_TEXT = 128
TXT_TEXT = 4000
# A soundbite's recommended length, in seconds.
SOUNDBITE_SECONDS = (15.0, 120.0)
E_MAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
NUMBER = re.compile(r"\d+(?:\.\d+)?")

family = Family("Podcasting 2.0")


@family.rule("podcast.guid", "error", "Use the UUIDv5 of the feed URL (podcast namespace) as podcast:guid.")
def podcast_guid(doc: FeedDocument) -> Problems:
    element = doc.channel.find(podcast("guid"))
    if element is None:
        return
    try:
        value = uuid.UUID(text_of(element))
    except ValueError:
        yield element, f"podcast:guid '{text_of(element)}' is not a UUID"
        return
    if value.version != 5 or str(value) != text_of(element).lower():
        yield element, f"podcast:guid '{text_of(element)}' is not a UUIDv5 in canonical form"


@family.rule("podcast.locked", "error", "Set podcast:locked to yes or no.")
def podcast_locked(doc: FeedDocument) -> Problems:
    element = doc.channel.find(podcast("locked"))
    if element is not None and text_of(element) not in ("yes", "no"):
        yield element, f"podcast:locked is '{text_of(element)}', not yes or no"


@family.rule(
    "podcast.locked-owner",
    "warning",
    "Give podcast:locked an owner attribute with the owner's e-mail, so a move of the feed can be verified.",
)
def locked_owner(doc: FeedDocument) -> Problems:
    element = doc.channel.find(podcast("locked"))
    if element is None:
        return
    owner = element.get("owner")
    if owner is None:
        yield element, "podcast:locked names no owner e-mail"
    elif not E_MAIL.fullmatch(owner.strip()):
        yield element, f"podcast:locked owner '{owner}' is not an e-mail address"


@family.rule(
    "podcast.funding", "error", "Give podcast:funding an absolute https url and a short text (≤ 128 characters)."
)
def funding(doc: FeedDocument) -> Problems:
    for parent in (doc.channel, *doc.items):
        for element in parent.findall(podcast("funding")):
            url = element.get("url", "")
            if not is_absolute_http(url):
                yield element, f"podcast:funding url '{url}' is not an absolute web address"
            if len(text_of(element)) > SHORT_TEXT:
                yield element, f"podcast:funding text is {len(text_of(element))} characters, over {SHORT_TEXT}"


@family.rule("podcast.txt", "error", "Keep podcast:txt to at most 4000 characters and its purpose to 128.")
def txt(doc: FeedDocument) -> Problems:
    for parent in (doc.channel, *doc.items):
        for element in parent.findall(podcast("txt")):
            if not text_of(element):
                yield element, "podcast:txt is empty"
            elif len(text_of(element)) > TXT_TEXT:
                yield element, f"podcast:txt is {len(text_of(element))} characters, over {TXT_TEXT}"
            if len(element.get("purpose", "")) > SHORT_TEXT:
                yield element, f"podcast:txt purpose is over {SHORT_TEXT} characters"


def _chapters(doc: FeedDocument) -> Iterator[tuple[etree._Element, etree._Element]]:
    for item in doc.items:
        element = item.find(podcast("chapters"))
        if element is not None:
            yield item, element


@family.rule(
    "podcast.chapters-type", "error", "Link the chapters with an absolute url and type application/json+chapters."
)
def chapters_type(doc: FeedDocument) -> Problems:
    for item, element in _chapters(doc):
        if not is_absolute_http(element.get("url", "")):
            yield element, f"{item_label(item)}: podcast:chapters url '{element.get('url', '')}' is not absolute"
        if element.get("type") != JSON_CHAPTERS_TYPE:
            yield element, f"{item_label(item)}: podcast:chapters type is '{element.get('type', '')}'"


def _chapter_documents(doc: FeedDocument) -> Iterator[tuple[etree._Element, etree._Element, object]]:
    for item, element in _chapters(doc):
        data = doc.json_resource(element.get("url"))
        if data is not None:
            yield item, element, data


def _valid_chapters(doc: FeedDocument) -> Iterator[tuple[etree._Element, etree._Element, list[dict[str, Any]]]]:
    """The chapters of every file that passes the schema (a JSON object with a list of chapter objects)."""
    for item, element, data in _chapter_documents(doc):
        valid = jsonschema.Draft202012Validator(JSON_CHAPTERS_SCHEMA).is_valid
        if isinstance(data, dict) and valid(data):
            yield item, element, data["chapters"]


@family.rule(
    "podcast.chapters-json", "error", "Write the chapters file as JSON Chapters 1.2 (version, chapters[startTime])."
)
def chapters_json(doc: FeedDocument) -> Problems:
    validator = jsonschema.Draft202012Validator(JSON_CHAPTERS_SCHEMA)
    for item, element, data in _chapter_documents(doc):
        if isinstance(data, JsonError):
            yield element, f"{item_label(item)}: chapters file is not JSON ({data.reason})"
            continue
        error = jsonschema.exceptions.best_match(validator.iter_errors(data))
        if error is not None:
            where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
            yield element, f"{item_label(item)}: chapters JSON at {where}: {error.message}"


@family.rule("podcast.chapters-order", "error", "List chapters by ascending startTime.")
def chapters_ascending(doc: FeedDocument) -> Problems:
    for item, element, chapters in _valid_chapters(doc):
        starts = [chapter["startTime"] for chapter in chapters]
        if any(later < earlier for earlier, later in itertools.pairwise(starts)):
            yield element, f"{item_label(item)}: chapter start times are not in ascending order"


@family.rule("podcast.chapters-range", "error", "Keep every chapter start within the episode's duration.")
def chapters_within_duration(doc: FeedDocument) -> Problems:
    for item, element, chapters in _valid_chapters(doc):
        duration = item_duration(item)
        if duration is None:
            continue
        late = [c["startTime"] for c in chapters if c["startTime"] > duration]
        if late:
            yield element, f"{item_label(item)}: a chapter starts at {late[0]:g} s, after the end ({duration:g} s)"


@family.rule(
    "podcast.transcript-type",
    "error",
    "Give podcast:transcript a url and a type such as text/vtt or application/x-subrip.",
)
def transcript_types(doc: FeedDocument) -> Problems:
    for item in doc.items:
        for element in item.findall(podcast("transcript")):
            type_ = element.get("type", "")
            if not element.get("url"):
                yield element, f"{item_label(item)}: podcast:transcript has no url"
            if type_ not in TRANSCRIPT_TYPES:
                yield element, f"{item_label(item)}: podcast:transcript type '{type_}' is not a transcript type"


@family.rule(
    "podcast.season", "error", "Write podcast:season once per episode, as a whole number (name ≤ 128 characters)."
)
def season(doc: FeedDocument) -> Problems:
    for item in doc.items:
        seasons = item.findall(podcast("season"))
        if len(seasons) > 1:
            yield seasons[1], f"{item_label(item)}: podcast:season appears {len(seasons)} times"
        for element in seasons:
            if not text_of(element).isdigit():
                yield element, f"{item_label(item)}: podcast:season '{text_of(element)}' is not a whole number"
            if len(element.get("name", "")) > SHORT_TEXT:
                yield element, f"{item_label(item)}: podcast:season name is over {SHORT_TEXT} characters"


def _soundbites(doc: FeedDocument) -> Iterator[tuple[etree._Element, etree._Element, float, float]]:
    """Every soundbite whose startTime and duration are numbers: (item, element, start, duration)."""
    for item in doc.items:
        for element in item.findall(podcast("soundbite")):
            start, length = element.get("startTime", ""), element.get("duration", "")
            if NUMBER.fullmatch(start) and NUMBER.fullmatch(length):
                yield item, element, float(start), float(length)


@family.rule(
    "podcast.soundbite",
    "error",
    "Give podcast:soundbite startTime and duration in seconds (duration above 0), within the episode.",
)
def soundbite(doc: FeedDocument) -> Problems:
    for item in doc.items:
        for element in item.findall(podcast("soundbite")):
            for name in ("startTime", "duration"):
                if not NUMBER.fullmatch(element.get(name, "")):
                    yield element, f"{item_label(item)}: soundbite {name} '{element.get(name, '')}' is not seconds"
    for item, element, start, length in _soundbites(doc):
        duration = item_duration(item)
        if length <= 0:
            yield element, f"{item_label(item)}: soundbite lasts {length:g} s"
        elif duration is not None and start + length > duration + 1:
            yield element, f"{item_label(item)}: soundbite ends at {start + length:g} s, after the end ({duration:g} s)"


@family.rule(
    "podcast.soundbite-length",
    "warning",
    "Make a soundbite 15 to 120 seconds long and its title at most 128 characters, as the namespace recommends.",
)
def soundbite_length(doc: FeedDocument) -> Problems:
    shortest, longest = SOUNDBITE_SECONDS
    for item, element, _start, length in _soundbites(doc):
        if 0 < length < shortest or length > longest:
            yield element, f"{item_label(item)}: soundbite lasts {length:g} s, outside {shortest:g}–{longest:g} s"
        if len(text_of(element)) > SHORT_TEXT:
            yield element, f"{item_label(item)}: soundbite title is over {SHORT_TEXT} characters"


@family.rule(
    "podcast.person",
    "error",
    "Write each podcast:person's name as its text; give its href and img as absolute http(s) URLs.",
)
def people(doc: FeedDocument) -> Problems:
    places = [(doc.channel, "the channel"), *((item, item_label(item)) for item in doc.items)]
    for parent, label in places:
        for element in parent.findall(podcast("person")):
            if not text_of(element):
                yield element, f"{label}: podcast:person has no name"
            for attribute in ("href", "img"):
                value = element.get(attribute)
                if value is not None and not is_absolute_http(value):
                    yield element, f"{label}: podcast:person {attribute} '{value}' is not an absolute http(s) URL"
