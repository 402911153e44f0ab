"""Links: every address a feed hands a podcast app or browser — in its elements and attributes, in the HTML of its
show notes, in its JSON Chapters files and transcript links — is http(s); a javascript:, data: or other scheme
would run or open something in the listener's app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from lxml import etree

from briefing.feedspec.namespaces import CONTENT_NS, ITUNES_NS
from briefing.validate.document import FeedDocument, JsonError
from briefing.validate.rules.elements import item_label, podcast
from briefing.validate.rules.family import Family, Problems

ALLOWED_SCHEMES = frozenset({"http", "https"})
# Attributes whose value is an address: in the feed's own elements, and in the HTML of its show notes.
URL_ATTRIBUTES = frozenset({"url", "href", "src"})
HTML_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "cite", "background", "xlink:href"})
# Elements whose text is an address (RSS 2.0: link, image/url, docs, comments; a permalink guid; a feed's move).
URL_ELEMENTS = frozenset({"link", "url", "docs", "comments", f"{{{ITUNES_NS}}}new-feed-url"})
HTML_ELEMENTS = ("description", f"{{{CONTENT_NS}}}encoded", f"{{{ITUNES_NS}}}summary")
# What a browser ignores when it reads a scheme: leading and trailing controls and spaces, tabs and newlines inside.
_IGNORED_AROUND = "".join(chr(code) for code in range(0x21))
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")

family = Family("links")


def scheme_of(address: str) -> str | None:
    """The scheme `address` is opened with, read as a browser reads it (so ' JaVa\\tScript:' is javascript); None
    for a relative address."""
    found = _SCHEME.match(_IGNORED_INSIDE.sub("", address.strip(_IGNORED_AROUND)))
    return found.group(1).lower() if found else None


def foreign_scheme(address: str) -> str | None:
    """The scheme of `address` when it is neither http nor https."""
    scheme = scheme_of(address)
    return scheme if scheme is not None and scheme not in ALLOWED_SCHEMES else None


def _shown(address: str, limit: int = 60) -> str:
    one_line = " ".join(address.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


class _HtmlLinks(HTMLParser):
    """Every address in an HTML fragment's link-bearing attributes (entities decoded, as a browser would)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.addresses += [value for name, value in attrs if name in HTML_URL_ATTRIBUTES and value]

    handle_startendtag = handle_starttag


def html_addresses(html: str) -> list[str]:
    parser = _HtmlLinks()
    parser.feed(html)
    parser.close()
    return parser.addresses


def _name(element: etree._Element) -> str:
    local = etree.QName(element).localname
    return f"{element.prefix}:{local}" if element.prefix else local


def _feed_addresses(doc: FeedDocument) -> Iterator[tuple[etree._Element, str, str]]:
    """(element, what it is, address) for every address in the feed itself."""
    for element in doc.root.iter(etree.Element):
        for attribute, value in element.attrib.items():
            if etree.QName(attribute).localname in URL_ATTRIBUTES:
                yield element, f"{_name(element)} {etree.QName(attribute).localname}", value
        text = (element.text or "").strip()
        if not text:
            continue
        if element.tag in URL_ELEMENTS or (element.tag == "guid" and element.get("isPermaLink", "true") == "true"):
            yield element, _name(element), text
        elif element.tag in HTML_ELEMENTS:
            for address in html_addresses(text):
                yield element, f"a link in {_name(element)}", address


@family.rule(
    "links.scheme", "error", "Link only to http:// or https:// addresses; remove javascript:, data: and the like."
)
def only_web_links(doc: FeedDocument) -> Problems:
    for element, what, address in _feed_addresses(doc):
        if scheme := foreign_scheme(address):
            yield element, f"{what} '{_shown(address)}' is a {scheme}: link"


def _json_addresses(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(JSON path, address) for every "url" and "img" string in a JSON Chapters document, however nested."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key in ("url", "img") and isinstance(child, str):
                yield f"{path}/{key}", child
            else:
                yield from _json_addresses(child, f"{path}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _json_addresses(child, f"{path}/{index}")


@family.rule("links.chapters-scheme", "error", "Link chapters only to http:// or https:// addresses.")
def only_web_chapter_links(doc: FeedDocument) -> Problems:
    for item in doc.items:
        element = item.find(podcast("chapters"))
        if element is None:
            continue
        data = doc.json_resource(element.get("url"))
        if data is None or isinstance(data, JsonError):
            continue
        for where, address in _json_addresses(data):
            if scheme := foreign_scheme(address):
                yield element, f"{item_label(item)}: chapters file at {where}: '{_shown(address)}' is a {scheme}: link"
