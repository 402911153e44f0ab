"""RSS 2.0 and XML: the document's shape, namespace URIs, the channel's and items' required elements, enclosures
and dates."""

from __future__ import annotations

import email.utils
import re

from lxml import etree

from briefing.feedspec.namespaces import KNOWN_NAMESPACES
from briefing.validate.document import FeedDocument
from briefing.validate.findings import Rule
from briefing.validate.rules.elements import is_absolute_http, item_label, missing, text_of
from briefing.validate.rules.family import Family, Problems

RFC2822 = re.compile(
    r"(?:(?P<weekday>Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z)"
)

# Checked before any other rule: a document that is not one RSS 2.0 channel is not looked at further.
STRUCTURE = Rule("rss.structure", "error", 'Make the root <rss version="2.0"> with exactly one <channel>.')


def structure_problem(root: etree._Element) -> str | None:
    if root.tag != "rss":
        return f"the root element is <{etree.QName(root).localname}>, not <rss>"
    if root.get("version") != "2.0":
        return f"<rss> has version '{root.get('version', '')}', not 2.0"
    channels = root.findall("channel")
    if len(channels) != 1:
        return f"<rss> has {len(channels)} <channel> elements, not one"
    return None


family = Family("RSS 2.0 and XML")


@family.rule("xml.namespace", "error", "Spell the namespace URI exactly as its owner publishes it.")
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


@family.rule("rss.channel-required", "error", "Add the missing element to <channel>.")
def channel_required(doc: FeedDocument) -> Problems:
    channel = doc.channel
    for name in missing(channel, {"title": "title", "link": "link", "description": "description"}):
        yield channel, f"the channel has no <{name}>"


@family.rule("rss.item-required", "error", "Give every <item> a <title>.")
def item_has_title_or_description(doc: FeedDocument) -> Problems:
    for item in doc.items:
        if not text_of(item.find("title")) and not text_of(item.find("description")):
            yield item, "an item has neither <title> nor <description>"


@family.rule("rss.enclosure", "error", "Give <enclosure> an absolute url, a byte length and a MIME type.")
def enclosure_attributes(doc: FeedDocument) -> Problems:
    for item in doc.items:
        enclosure = item.find("enclosure")
        if enclosure is None:
            continue
        url, length, type_ = enclosure.get("url"), enclosure.get("length"), enclosure.get("type")
        if not url or not is_absolute_http(url):
            yield enclosure, f"{item_label(item)}: enclosure url '{url or ''}' is not an absolute http(s) URL"
        if length is None or not length.strip().isdigit():
            yield enclosure, f"{item_label(item)}: enclosure length '{length or ''}' is not a byte count"
        if not type_:
            yield enclosure, f"{item_label(item)}: enclosure has no type"


@family.rule("rss.date", "error", "Write dates as RFC 2822, e.g. 'Wed, 02 Oct 2002 13:00:00 +0000'.")
def rfc2822_dates(doc: FeedDocument) -> Problems:
    channel = doc.channel
    dated = [channel.find("pubDate"), channel.find("lastBuildDate")] + [item.find("pubDate") for item in doc.items]
    for element in dated:
        if element is None:
            continue
        problem = date_problem(text_of(element))
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
