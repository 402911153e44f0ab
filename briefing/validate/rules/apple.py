"""Apple Podcasts: the channel's and episodes' required and recommended elements, categories, explicit, type and
episode values, artwork, enclosure types and URLs, unique GUIDs and enclosures, durations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from lxml import etree

from briefing.feedspec import artwork
from briefing.feedspec.categories import category_problem
from briefing.feedspec.namespaces import ATOM_NS
from briefing.validate.document import FeedDocument
from briefing.validate.rules.elements import duration_seconds, is_absolute_http, item_label, itunes, missing, text_of
from briefing.validate.rules.family import Family, Problems

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
EXPLICIT_VALUES = ("true", "false")
OBSOLETE_EXPLICIT_VALUES = ("yes", "no", "clean")

family = Family("Apple Podcasts")


@family.rule("apple.channel-required", "error", "Add the missing element to <channel>.")
def apple_channel_required(doc: FeedDocument) -> Problems:
    channel = doc.channel
    required = {
        "language": "language",
        itunes("image"): "itunes:image",
        itunes("category"): "itunes:category",
        itunes("explicit"): "itunes:explicit",
    }
    for name in missing(channel, required):
        yield channel, f"the channel has no <{name}>, which Apple Podcasts requires"


@family.rule("apple.channel-recommended", "warning", "Add the element so directories can show and reach the owner.")
def apple_channel_recommended(doc: FeedDocument) -> Problems:
    channel = doc.channel
    for name in missing(channel, {itunes("author"): "itunes:author"}):
        yield channel, f"the channel has no <{name}>"
    if not text_of(channel.find(f"{itunes('owner')}/{itunes('email')}")):
        yield channel, "the channel has no <itunes:owner> with an <itunes:email>"
    if not any(link.get("rel") == "self" for link in channel.findall(f"{{{ATOM_NS}}}link")):
        yield channel, 'the channel has no <atom:link rel="self"> naming the feed\'s own URL'


@family.rule("apple.item-required", "error", "Give every episode a <title> and an <enclosure>.")
def apple_item_required(doc: FeedDocument) -> Problems:
    for item in doc.items:
        for name in missing(item, {"title": "title", "enclosure": "enclosure"}):
            yield item, f"{item_label(item)} has no <{name}>, which Apple Podcasts requires"


@family.rule("apple.item-recommended", "warning", "Give every episode a <guid>, <pubDate> and <itunes:duration>.")
def apple_item_recommended(doc: FeedDocument) -> Problems:
    for item in doc.items:
        for name in missing(item, {"guid": "guid", "pubDate": "pubDate", itunes("duration"): "itunes:duration"}):
            yield item, f"{item_label(item)} has no <{name}>"


@family.rule("apple.category", "error", "Use a category and sub-category from Apple's current list, exactly cased.")
def apple_category(doc: FeedDocument) -> Problems:
    for category in doc.channel.findall(itunes("category")):
        name = category.get("text", "")
        subs: list[etree._Element | None] = [*category.findall(itunes("category"))] or [None]
        for sub in subs:
            problem = category_problem(name, sub.get("text", "") if sub is not None else None)
            if problem:
                yield (sub if sub is not None else category), problem


def _explicit_elements(doc: FeedDocument) -> Iterator[etree._Element]:
    for element in [doc.channel.find(itunes("explicit"))] + [item.find(itunes("explicit")) for item in doc.items]:
        if element is not None:
            yield element


@family.rule("apple.explicit", "error", "Set itunes:explicit to true or false.")
def apple_explicit(doc: FeedDocument) -> Problems:
    for element in _explicit_elements(doc):
        value = text_of(element)
        if value not in EXPLICIT_VALUES + OBSOLETE_EXPLICIT_VALUES:
            yield element, f"itunes:explicit is '{value}', not true or false"


@family.rule("apple.explicit-obsolete", "warning", "Write true or false instead of yes, no or clean.")
def apple_explicit_obsolete(doc: FeedDocument) -> Problems:
    for element in _explicit_elements(doc):
        value = text_of(element)
        if value in OBSOLETE_EXPLICIT_VALUES:
            yield element, f"itunes:explicit '{value}' is the old form; Apple now reads true or false"


@family.rule("apple.type", "error", "Set itunes:type to episodic or serial.")
def apple_type(doc: FeedDocument) -> Problems:
    element = doc.channel.find(itunes("type"))
    if element is not None and text_of(element) not in ("episodic", "serial"):
        yield element, f"itunes:type is '{text_of(element)}', not episodic or serial"


@family.rule("apple.episode", "error", "Use a positive whole itunes:episode and episodeType full, trailer or bonus.")
def apple_episode_values(doc: FeedDocument) -> Problems:
    for item in doc.items:
        number = item.find(itunes("episode"))
        if number is not None and not (text_of(number).isdigit() and int(text_of(number)) > 0):
            yield number, f"{item_label(item)}: itunes:episode '{text_of(number)}' is not a positive whole number"
        kind = item.find(itunes("episodeType"))
        if kind is not None and text_of(kind) not in ("full", "trailer", "bonus"):
            yield kind, f"{item_label(item)}: itunes:episodeType '{text_of(kind)}' is not full, trailer or bonus"


def _artwork(doc: FeedDocument) -> Iterator[tuple[etree._Element, str]]:
    images = [doc.channel.find(itunes("image"))] + [item.find(itunes("image")) for item in doc.items]
    for element in images:
        if element is not None:
            yield element, (element.get("href") or "").strip()


@family.rule("apple.image-url", "error", "Point itunes:image at an absolute URL ending in .jpg or .png.")
def apple_image_url(doc: FeedDocument) -> Problems:
    for element, href in _artwork(doc):
        if not is_absolute_http(href):
            yield element, f"itunes:image href '{href}' is not an absolute http(s) URL"
        elif not urlsplit(href).path.lower().endswith((".jpg", ".jpeg", ".png")):
            yield element, f"itunes:image href '{href}' does not end in .jpg or .png"


def _checked_artwork(
    doc: FeedDocument, problem: Callable[[artwork.Picture], str | None], *, unreadable_too: bool = False
) -> Problems:
    for element, href in _artwork(doc):
        facts = doc.image_facts(href)
        if facts is None or (facts.format is None and not unreadable_too):
            continue  # not there to look at, or not an image at all (reported once, by the format rule)
        found = problem(facts)
        if found:
            yield element, f"{found} ({href})"


@family.rule("apple.image-format", "error", "Save the artwork as JPEG or PNG.")
def apple_image_format(doc: FeedDocument) -> Problems:
    yield from _checked_artwork(doc, artwork.format_problem, unreadable_too=True)


@family.rule("apple.image-size", "error", "Make the artwork square, 1400–3000 px a side.")
def apple_image_size(doc: FeedDocument) -> Problems:
    yield from _checked_artwork(doc, artwork.size_problem)


@family.rule("apple.image-colour", "error", "Save the artwork in the RGB colour space (not CMYK or greyscale).")
def apple_image_colour(doc: FeedDocument) -> Problems:
    yield from _checked_artwork(doc, artwork.colour_problem)


@family.rule("apple.image-intact", "error", "Export the artwork again and upload it whole; the file is damaged.")
def apple_image_intact(doc: FeedDocument) -> Problems:
    yield from _checked_artwork(doc, artwork.integrity_problem)


@family.rule("apple.image-reachable", "warning", "Publish the artwork at the URL the feed names.")
def apple_image_reachable(doc: FeedDocument) -> Problems:
    for element, href in _artwork(doc):
        if is_absolute_http(href) and doc.reachable(href) is False:
            yield element, f"itunes:image '{href}' cannot be fetched"


@family.rule("apple.enclosure-type", "error", "Use an enclosure type Apple plays, e.g. audio/mpeg.")
def apple_enclosure_type(doc: FeedDocument) -> Problems:
    for item in doc.items:
        enclosure = item.find("enclosure")
        if enclosure is not None and enclosure.get("type") and enclosure.get("type") not in APPLE_MEDIA_TYPES:
            yield enclosure, f"{item_label(item)}: enclosure type '{enclosure.get('type')}' is not one Apple plays"


@family.rule("apple.enclosure-ascii", "error", "Rename the media file to plain ASCII without spaces.")
def apple_enclosure_ascii(doc: FeedDocument) -> Problems:
    for item in doc.items:
        enclosure = item.find("enclosure")
        if enclosure is None:
            continue
        url = enclosure.get("url", "")
        if url and (not url.isascii() or any(ch.isspace() for ch in url)):
            yield enclosure, f"{item_label(item)}: enclosure URL '{url}' has non-ASCII characters or spaces"


@family.rule("apple.guid-unique", "error", "Give every episode its own GUID, and never change it.")
def apple_guid_unique(doc: FeedDocument) -> Problems:
    seen: dict[str, int | None] = {}
    for item in doc.items:
        element = item.find("guid")
        guid = text_of(element)
        if element is None or not guid:
            continue
        if guid in seen:
            yield element, f"GUID '{guid}' is used again (first on line {seen[guid]})"
        else:
            seen[guid] = element.sourceline


@family.rule("apple.enclosure-unique", "error", "Give every episode its own media file URL.")
def apple_enclosure_unique(doc: FeedDocument) -> Problems:
    seen: dict[str, int | None] = {}
    for item in doc.items:
        enclosure = item.find("enclosure")
        url = enclosure.get("url", "") if enclosure is not None else ""
        if enclosure is None or not url:
            continue
        if url in seen:
            yield enclosure, f"enclosure URL '{url}' is used again (first on line {seen[url]})"
        else:
            seen[url] = enclosure.sourceline


@family.rule("apple.duration", "error", "Write itunes:duration as whole seconds (or HH:MM:SS).")
def apple_duration(doc: FeedDocument) -> Problems:
    for item in doc.items:
        element = item.find(itunes("duration"))
        if element is None:
            continue
        seconds = duration_seconds(text_of(element))
        if seconds is None or seconds <= 0:
            yield element, f"{item_label(item)}: itunes:duration '{text_of(element)}' is not seconds or HH:MM:SS"
