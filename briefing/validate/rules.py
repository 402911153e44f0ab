"""The checks a podcast directory makes, as a table of small named functions.

Each check looks at a FeedDocument and yields (element-or-location, message) for every problem it finds; the
table gives it a rule id, a severity and a one-line fix."""

from __future__ import annotations

import email.utils
import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import jsonschema
from lxml import etree

from briefing.feedspec import artwork
from briefing.feedspec.categories import category_problem
from briefing.feedspec.json_chapters import JSON_CHAPTERS_SCHEMA, JSON_CHAPTERS_TYPE
from briefing.feedspec.namespaces import ATOM_NS, ITUNES_NS, KNOWN_NAMESPACES, PODCAST_NS, PSC_NS
from briefing.validate.document import FeedDocument, JsonError
from briefing.validate.findings import Finding, Severity

APPLE_MEDIA_TYPES = (
    "audio/mpeg",
    "audio/x-m4a",
    "audio/mp4",
    "audio/aac",
    "video/mp4",
    "video/quicktime",
    "video/x-m4v",
    "application/pdf",
)
TRANSCRIPT_TYPES = ("text/plain", "text/html", "text/vtt", "application/json", "application/x-subrip")
PSC_VERSIONS = ("1.0", "1.1", "1.2")
EXPLICIT_VALUES = ("true", "false")
OBSOLETE_EXPLICIT_VALUES = ("yes", "no", "clean")
DURATION_TOLERANCE_S = 2.0

RFC2822 = re.compile(
    r"(?:(?P<weekday>Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z)"
)
DURATION = re.compile(r"\d+|(?:\d+:)?[0-5]?\d:[0-5]\d")
# Normal Play Time as Podlove uses it: plain seconds, or [HH:]MM:SS, each with optional milliseconds.
NPT = re.compile(r"\d+(?:\.\d{1,3})?|(?:\d+:)?[0-5]?\d:[0-5]\d(?:\.\d{1,3})?")

Where = etree._Element | str
Problems = Iterator[tuple[Where, str]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    fix: str
    check: Callable[[FeedDocument], Problems]


# ---- small helpers ------------------------------------------------------------------------------------------


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _it(name: str) -> str:
    return f"{{{ITUNES_NS}}}{name}"


def _pc(name: str) -> str:
    return f"{{{PODCAST_NS}}}{name}"


def _item_label(item: etree._Element) -> str:
    title = _text(item.find("title"))
    return f"episode '{title}'" if title else "an episode"


def _present(element: etree._Element | None) -> bool:
    """There, and saying something: text, attributes (itunes:image) or children (itunes:owner)."""
    return element is not None and bool(_text(element) or element.attrib or len(element))


def _missing(parent: etree._Element, tags: dict[str, str]) -> Iterator[str]:
    for tag, name in tags.items():
        if not _present(parent.find(tag)):
            yield name


def _is_absolute_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def duration_seconds(text: str) -> float | None:
    if not DURATION.fullmatch(text):
        return None
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def npt_seconds(text: str) -> float | None:
    if not NPT.fullmatch(text):
        return None
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _item_duration(item: etree._Element) -> float | None:
    return duration_seconds(_text(item.find(_it("duration"))))


# ---- XML and RSS ----------------------------------------------------------------------------------------------


def namespace_uris(doc: FeedDocument) -> Problems:
    exact = {uri for uris in KNOWN_NAMESPACES.values() for uri in uris}

    def loose(uri: str) -> str:
        return re.sub(r"^[a-z]+://", "", uri.strip().lower()).rstrip("/")

    by_loose = {loose(uri): uri for uri in exact}
    seen: set[tuple[str | None, str]] = set()
    for element in doc.root.iter():
        for prefix, uri in element.nsmap.items():
            if (prefix, uri) in seen or uri in exact:
                continue
            seen.add((prefix, uri))
            if loose(uri) in by_loose:
                yield element, f"namespace '{uri}' is misspelled; it must be exactly '{by_loose[loose(uri)]}'"
            elif prefix in KNOWN_NAMESPACES:
                expected = KNOWN_NAMESPACES[prefix][0]
                yield element, f"prefix '{prefix}' is bound to '{uri}', not to the {prefix} namespace '{expected}'"


def channel_required(doc: FeedDocument) -> Problems:
    channel = doc.channel
    for name in _missing(channel, {"title": "title", "link": "link", "description": "description"}):
        yield channel, f"the channel has no <{name}>"


def item_has_title_or_description(doc: FeedDocument) -> Problems:
    for item in doc.items:
        if not _text(item.find("title")) and not _text(item.find("description")):
            yield item, "an item has neither <title> nor <description>"


def enclosure_attributes(doc: FeedDocument) -> Problems:
    for item in doc.items:
        enclosure = item.find("enclosure")
        if enclosure is None:
            continue
        url, length, type_ = enclosure.get("url"), enclosure.get("length"), enclosure.get("type")
        if not url or not _is_absolute_http(url):
            yield enclosure, f"{_item_label(item)}: enclosure url '{url or ''}' is not an absolute http(s) URL"
        if length is None or not length.strip().isdigit():
            yield enclosure, f"{_item_label(item)}: enclosure length '{length or ''}' is not a byte count"
        if not type_:
            yield enclosure, f"{_item_label(item)}: enclosure has no type"


def rfc2822_dates(doc: FeedDocument) -> Problems:
    channel = doc.channel
    dated = [channel.find("pubDate"), channel.find("lastBuildDate")] + [item.find("pubDate") for item in doc.items]
    for element in dated:
        if element is None:
            continue
        problem = date_problem(_text(element))
        if problem:
            yield element, problem


def date_problem(text: str) -> str | None:
    match = RFC2822.fullmatch(text)
    if not match:
        return f"'{text}' is not an RFC 2822 date"
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return f"'{text}' is not a real date"
    weekday = match.group("weekday")
    if weekday and moment.strftime("%a") != weekday:
        return f"'{text}' names the wrong weekday ({moment.strftime('%a')})"
    return None


# ---- Apple Podcasts -------------------------------------------------------------------------------------------


def apple_channel_required(doc: FeedDocument) -> Problems:
    channel = doc.channel
    required = {
        "language": "language",
        _it("image"): "itunes:image",
        _it("category"): "itunes:category",
        _it("explicit"): "itunes:explicit",
    }
    for name in _missing(channel, required):
        yield channel, f"the channel has no <{name}>, which Apple Podcasts requires"


def apple_channel_recommended(doc: FeedDocument) -> Problems:
    channel = doc.channel
    for name in _missing(channel, {_it("author"): "itunes:author"}):
        yield channel, f"the channel has no <{name}>"
    if not _text(channel.find(f"{_it('owner')}/{_it('email')}")):
        yield channel, "the channel has no <itunes:owner> with an <itunes:email>"
    if not any(link.get("rel") == "self" for link in channel.findall(f"{{{ATOM_NS}}}link")):
        yield channel, 'the channel has no <atom:link rel="self"> naming the feed\'s own URL'


def apple_item_required(doc: FeedDocument) -> Problems:
    for item in doc.items:
        for name in _missing(item, {"title": "title", "enclosure": "enclosure"}):
            yield item, f"{_item_label(item)} has no <{name}>, which Apple Podcasts requires"


def apple_item_recommended(doc: FeedDocument) -> Problems:
    for item in doc.items:
        for name in _missing(item, {"guid": "guid", "pubDate": "pubDate", _it("duration"): "itunes:duration"}):
            yield item, f"{_item_label(item)} has no <{name}>"


def apple_category(doc: FeedDocument) -> Problems:
    for category in doc.channel.findall(_it("category")):
        name = category.get("text", "")
        subs = category.findall(_it("category")) or [None]
        for sub in subs:
            problem = category_problem(name, sub.get("text", "") if sub is not None else None)
            if problem:
                yield (sub if sub is not None else category), problem


def _explicit_elements(doc: FeedDocument) -> Iterator[etree._Element]:
    for element in [doc.channel.find(_it("explicit"))] + [item.find(_it("explicit")) for item in doc.items]:
        if element is not None:
            yield element


def apple_explicit(doc: FeedDocument) -> Problems:
    for element in _explicit_elements(doc):
        value = _text(element)
        if value not in EXPLICIT_VALUES + OBSOLETE_EXPLICIT_VALUES:
            yield element, f"itunes:explicit is '{value}', not true or false"


def apple_explicit_obsolete(doc: FeedDocument) -> Problems:
    for element in _explicit_elements(doc):
        value = _text(element)
        if value in OBSOLETE_EXPLICIT_VALUES:
            yield element, f"itunes:explicit '{value}' is the old form; Apple now reads true or false"


def apple_type(doc: FeedDocument) -> Problems:
    element = doc.channel.find(_it("type"))
    if element is not None and _text(element) not in ("episodic", "serial"):
        yield element, f"itunes:type is '{_text(element)}', not episodic or serial"


def apple_episode_values(doc: FeedDocument) -> Problems:
    for item in doc.items:
        number = item.find(_it("episode"))
        if number is not None and not (_text(number).isdigit() and int(_text(number)) > 0):
            yield number, f"{_item_label(item)}: itunes:episode '{_text(number)}' is not a positive whole number"
        kind = item.find(_it("episodeType"))
        if kind is not None and _text(kind) not in ("full", "trailer", "bonus"):
            yield kind, f"{_item_label(item)}: itunes:episodeType '{_text(kind)}' is not full, trailer or bonus"


def _artwork(doc: FeedDocument) -> Iterator[tuple[etree._Element, str]]:
    images = [doc.channel.find(_it("image"))] + [item.find(_it("image")) for item in doc.items]
    for element in images:
        if element is not None:
            yield element, (element.get("href") or "").strip()


def apple_image_url(doc: FeedDocument) -> Problems:
    for element, href in _artwork(doc):
        if not _is_absolute_http(href):
            yield element, f"itunes:image href '{href}' is not an absolute http(s) URL"
        elif not urlsplit(href).path.lower().endswith((".jpg", ".jpeg", ".png")):
            yield element, f"itunes:image href '{href}' does not end in .jpg or .png"


def _checked_artwork(doc: FeedDocument, problem: Callable, *, unreadable_too: bool = False) -> Problems:
    for element, href in _artwork(doc):
        facts = doc.image_facts(href)
        if facts is None or (facts.format is None and not unreadable_too):
            continue  # not there to look at, or not an image at all (reported once, by the format rule)
        found = problem(facts)
        if found:
            yield element, f"{found} ({href})"


def apple_image_format(doc: FeedDocument) -> Problems:
    yield from _checked_artwork(doc, artwork.format_problem, unreadable_too=True)


def apple_image_size(doc: FeedDocument) -> Problems:
    yield from _checked_artwork(doc, artwork.size_problem)


def apple_image_colour(doc: FeedDocument) -> Problems:
    yield from _checked_artwork(doc, artwork.colour_problem)


def apple_image_reachable(doc: FeedDocument) -> Problems:
    for element, href in _artwork(doc):
        if _is_absolute_http(href) and doc.reachable(href) is False:
            yield element, f"itunes:image '{href}' cannot be fetched"


def apple_enclosure_type(doc: FeedDocument) -> Problems:
    for item in doc.items:
        enclosure = item.find("enclosure")
        if enclosure is not None and enclosure.get("type") and enclosure.get("type") not in APPLE_MEDIA_TYPES:
            yield enclosure, f"{_item_label(item)}: enclosure type '{enclosure.get('type')}' is not one Apple plays"


def apple_enclosure_ascii(doc: FeedDocument) -> Problems:
    for item in doc.items:
        enclosure = item.find("enclosure")
        url = enclosure.get("url", "") if enclosure is not None else ""
        if url and (not url.isascii() or any(ch.isspace() for ch in url)):
            yield enclosure, f"{_item_label(item)}: enclosure URL '{url}' has non-ASCII characters or spaces"


def apple_guid_unique(doc: FeedDocument) -> Problems:
    seen: dict[str, int] = {}
    for item in doc.items:
        guid = _text(item.find("guid"))
        if guid and guid in seen:
            yield item.find("guid"), f"GUID '{guid}' is used again (first on line {seen[guid]})"
        elif guid:
            seen[guid] = item.find("guid").sourceline


def apple_enclosure_unique(doc: FeedDocument) -> Problems:
    seen: dict[str, int] = {}
    for item in doc.items:
        enclosure = item.find("enclosure")
        url = enclosure.get("url", "") if enclosure is not None else ""
        if url and url in seen:
            yield enclosure, f"enclosure URL '{url}' is used again (first on line {seen[url]})"
        elif url:
            seen[url] = enclosure.sourceline


def apple_duration(doc: FeedDocument) -> Problems:
    for item in doc.items:
        element = item.find(_it("duration"))
        if element is None:
            continue
        seconds = duration_seconds(_text(element))
        if seconds is None or seconds <= 0:
            yield element, f"{_item_label(item)}: itunes:duration '{_text(element)}' is not seconds or HH:MM:SS"


# ---- the feed's own files, when they are next to it ------------------------------------------------------------


def _local_enclosures(doc: FeedDocument):
    for item in doc.items:
        enclosure = item.find("enclosure")
        if enclosure is None:
            continue
        path = doc.local_file(enclosure.get("url"))
        if path is not None:
            yield item, enclosure, path


def enclosure_length_matches(doc: FeedDocument) -> Problems:
    for item, enclosure, path in _local_enclosures(doc):
        size = path.stat().st_size
        if (enclosure.get("length") or "").strip() != str(size):
            yield enclosure, f"{_item_label(item)}: enclosure length {enclosure.get('length')} ≠ file size {size}"


def duration_matches_audio(doc: FeedDocument) -> Problems:
    import mutagen

    for item, _enclosure, path in _local_enclosures(doc):
        stated = _item_duration(item)
        if stated is None:
            continue
        try:
            audio = mutagen.File(path)
        except mutagen.MutagenError:
            audio = None
        if audio is None or audio.info is None:
            yield item, f"{_item_label(item)}: the audio file {path.name} cannot be read"
            continue
        actual = audio.info.length
        if abs(actual - stated) > DURATION_TOLERANCE_S:
            yield item.find(_it("duration")), f"{_item_label(item)}: itunes:duration {stated:g} s, audio {actual:.1f} s"


# ---- Podcasting 2.0 -----------------------------------------------------------------------------------------------


def podcast_guid(doc: FeedDocument) -> Problems:
    element = doc.channel.find(_pc("guid"))
    if element is None:
        return
    try:
        value = uuid.UUID(_text(element))
    except ValueError:
        yield element, f"podcast:guid '{_text(element)}' is not a UUID"
        return
    if value.version != 5 or str(value) != _text(element).lower():
        yield element, f"podcast:guid '{_text(element)}' is not a UUIDv5 in canonical form"


def podcast_locked(doc: FeedDocument) -> Problems:
    element = doc.channel.find(_pc("locked"))
    if element is not None and _text(element) not in ("yes", "no"):
        yield element, f"podcast:locked is '{_text(element)}', not yes or no"


def _chapters(doc: FeedDocument):
    for item in doc.items:
        element = item.find(_pc("chapters"))
        if element is not None:
            yield item, element


def chapters_type(doc: FeedDocument) -> Problems:
    for item, element in _chapters(doc):
        if not _is_absolute_http(element.get("url", "")):
            yield element, f"{_item_label(item)}: podcast:chapters url '{element.get('url', '')}' is not absolute"
        if element.get("type") != JSON_CHAPTERS_TYPE:
            yield element, f"{_item_label(item)}: podcast:chapters type is '{element.get('type', '')}'"


def _chapter_documents(doc: FeedDocument):
    for item, element in _chapters(doc):
        data = doc.json_resource(element.get("url"))
        if data is not None:
            yield item, element, data


def _valid_chapters(doc: FeedDocument):
    for item, element, data in _chapter_documents(doc):
        if not isinstance(data, JsonError) and jsonschema.Draft202012Validator(JSON_CHAPTERS_SCHEMA).is_valid(data):
            yield item, element, data["chapters"]


def chapters_json(doc: FeedDocument) -> Problems:
    validator = jsonschema.Draft202012Validator(JSON_CHAPTERS_SCHEMA)
    for item, element, data in _chapter_documents(doc):
        if isinstance(data, JsonError):
            yield element, f"{_item_label(item)}: chapters file is not JSON ({data.reason})"
            continue
        error = jsonschema.exceptions.best_match(validator.iter_errors(data))
        if error is not None:
            where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
            yield element, f"{_item_label(item)}: chapters JSON at {where}: {error.message}"


def chapters_ascending(doc: FeedDocument) -> Problems:
    for item, element, chapters in _valid_chapters(doc):
        starts = [chapter["startTime"] for chapter in chapters]
        if any(later < earlier for earlier, later in itertools.pairwise(starts)):
            yield element, f"{_item_label(item)}: chapter start times are not in ascending order"


def chapters_within_duration(doc: FeedDocument) -> Problems:
    for item, element, chapters in _valid_chapters(doc):
        duration = _item_duration(item)
        if duration is None:
            continue
        late = [c["startTime"] for c in chapters if c["startTime"] > duration]
        if late:
            yield element, f"{_item_label(item)}: a chapter starts at {late[0]:g} s, after the end ({duration:g} s)"


def transcript_types(doc: FeedDocument) -> Problems:
    for item in doc.items:
        for element in item.findall(_pc("transcript")):
            type_ = element.get("type", "")
            if not element.get("url"):
                yield element, f"{_item_label(item)}: podcast:transcript has no url"
            if type_ not in TRANSCRIPT_TYPES:
                yield element, f"{_item_label(item)}: podcast:transcript type '{type_}' is not a transcript type"


# ---- Podlove Simple Chapters ----------------------------------------------------------------------------------------


def _psc_lists(doc: FeedDocument):
    for item in doc.items:
        for element in item.findall(f"{{{PSC_NS}}}chapters"):
            yield item, element


def psc_version(doc: FeedDocument) -> Problems:
    for item, element in _psc_lists(doc):
        if element.get("version") not in PSC_VERSIONS:
            yield element, f"{_item_label(item)}: psc:chapters version '{element.get('version', '')}' is unknown"


def psc_time_format(doc: FeedDocument) -> Problems:
    for item, element in _psc_lists(doc):
        for chapter in element.findall(f"{{{PSC_NS}}}chapter"):
            if npt_seconds(chapter.get("start", "")) is None:
                yield chapter, f"{_item_label(item)}: psc:chapter start '{chapter.get('start', '')}' is not NPT"
            if not chapter.get("title"):
                yield chapter, f"{_item_label(item)}: psc:chapter has no title"


def psc_ascending(doc: FeedDocument) -> Problems:
    for item, element in _psc_lists(doc):
        starts = [npt_seconds(chapter.get("start", "")) for chapter in element.findall(f"{{{PSC_NS}}}chapter")]
        known = [start for start in starts if start is not None]
        if any(later < earlier for earlier, later in itertools.pairwise(known)):
            yield element, f"{_item_label(item)}: psc:chapter starts are not in ascending order"


RULES: tuple[Rule, ...] = (
    Rule("xml.namespace", "error", "Spell the namespace URI exactly as its owner publishes it.", namespace_uris),
    Rule("rss.channel-required", "error", "Add the missing element to <channel>.", channel_required),
    Rule("rss.item-required", "error", "Give every <item> a <title>.", item_has_title_or_description),
    Rule(
        "rss.enclosure",
        "error",
        "Give <enclosure> an absolute url, a byte length and a MIME type.",
        enclosure_attributes,
    ),
    Rule("rss.date", "error", "Write dates as RFC 2822, e.g. 'Wed, 02 Oct 2002 13:00:00 +0000'.", rfc2822_dates),
    Rule("apple.channel-required", "error", "Add the missing element to <channel>.", apple_channel_required),
    Rule(
        "apple.channel-recommended",
        "warning",
        "Add the element so directories can show and reach the owner.",
        apple_channel_recommended,
    ),
    Rule("apple.item-required", "error", "Give every episode a <title> and an <enclosure>.", apple_item_required),
    Rule(
        "apple.item-recommended",
        "warning",
        "Give every episode a <guid>, <pubDate> and <itunes:duration>.",
        apple_item_recommended,
    ),
    Rule(
        "apple.category",
        "error",
        "Use a category and sub-category from Apple's current list, exactly cased.",
        apple_category,
    ),
    Rule("apple.explicit", "error", "Set itunes:explicit to true or false.", apple_explicit),
    Rule(
        "apple.explicit-obsolete",
        "warning",
        "Write true or false instead of yes, no or clean.",
        apple_explicit_obsolete,
    ),
    Rule("apple.type", "error", "Set itunes:type to episodic or serial.", apple_type),
    Rule(
        "apple.episode",
        "error",
        "Use a positive whole itunes:episode and episodeType full, trailer or bonus.",
        apple_episode_values,
    ),
    Rule("apple.image-url", "error", "Point itunes:image at an absolute URL ending in .jpg or .png.", apple_image_url),
    Rule("apple.image-format", "error", "Save the artwork as JPEG or PNG.", apple_image_format),
    Rule("apple.image-size", "error", "Make the artwork square, 1400–3000 px a side.", apple_image_size),
    Rule(
        "apple.image-colour",
        "error",
        "Save the artwork in the RGB colour space (not CMYK or greyscale).",
        apple_image_colour,
    ),
    Rule("apple.image-reachable", "warning", "Publish the artwork at the URL the feed names.", apple_image_reachable),
    Rule("apple.enclosure-type", "error", "Use an enclosure type Apple plays, e.g. audio/mpeg.", apple_enclosure_type),
    Rule(
        "apple.enclosure-ascii", "error", "Rename the media file to plain ASCII without spaces.", apple_enclosure_ascii
    ),
    Rule("apple.guid-unique", "error", "Give every episode its own GUID, and never change it.", apple_guid_unique),
    Rule("apple.enclosure-unique", "error", "Give every episode its own media file URL.", apple_enclosure_unique),
    Rule("apple.duration", "error", "Write itunes:duration as whole seconds (or HH:MM:SS).", apple_duration),
    Rule(
        "local.enclosure-length",
        "error",
        "Set the enclosure length to the file's exact size in bytes.",
        enclosure_length_matches,
    ),
    Rule("local.duration", "error", "Set itunes:duration to the audio's real length.", duration_matches_audio),
    Rule("podcast.guid", "error", "Use the UUIDv5 of the feed URL (podcast namespace) as podcast:guid.", podcast_guid),
    Rule("podcast.locked", "error", "Set podcast:locked to yes or no.", podcast_locked),
    Rule(
        "podcast.chapters-type",
        "error",
        "Link the chapters with an absolute url and type application/json+chapters.",
        chapters_type,
    ),
    Rule(
        "podcast.chapters-json",
        "error",
        "Write the chapters file as JSON Chapters 1.2 (version, chapters[startTime]).",
        chapters_json,
    ),
    Rule("podcast.chapters-order", "error", "List chapters by ascending startTime.", chapters_ascending),
    Rule(
        "podcast.chapters-range",
        "error",
        "Keep every chapter start within the episode's duration.",
        chapters_within_duration,
    ),
    Rule(
        "podcast.transcript-type",
        "error",
        "Give podcast:transcript a url and a type such as text/vtt or application/x-subrip.",
        transcript_types,
    ),
    Rule("psc.version", "error", 'Set psc:chapters version="1.2".', psc_version),
    Rule(
        "psc.time",
        "error",
        "Write psc:chapter start as Normal Play Time (HH:MM:SS.mmm) and give it a title.",
        psc_time_format,
    ),
    Rule("psc.order", "error", "List psc:chapter elements by ascending start.", psc_ascending),
)

# Findings that stop validation before the table runs: the document cannot be read as an RSS feed.
DOCUMENT_RULES: dict[str, tuple[Severity, str]] = {
    "xml.well-formed": ("error", "Fix the XML syntax there (escape & as &amp; and < as &lt; in text)."),
    "xml.entity-declaration": ("error", "Remove the DOCTYPE and its entity declarations; feeds need none."),
    "xml.external-entity": ("error", "Remove the DOCTYPE and its external references; feeds need none."),
    "rss.structure": ("error", 'Make the root <rss version="2.0"> with exactly one <channel>.'),
}


def run_rules(doc: FeedDocument, rules: tuple[Rule, ...] = RULES) -> list[Finding]:
    findings = []
    for rule in rules:
        for where, message in rule.check(doc):
            location = doc.locate(where) if isinstance(where, etree._Element) else where
            findings.append(Finding(rule.id, rule.severity, location, message, rule.fix))
    return findings
