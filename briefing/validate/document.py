"""Reading a feed for validation: from a file or a URL, parsed safely (no DTD entities, no external references),
and the context the rules share: element locations, and the feed's own files found locally or fetched."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import defusedxml.ElementTree as safe_et
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from lxml import etree

from briefing.errors import BriefingError
from briefing.feedspec.artwork import ArtworkFacts, artwork_facts
from briefing.feedspec.namespaces import ATOM_NS, ITUNES_NS, PODCAST_NS
from briefing.netfetch import Answer, FetchError, fetch, fetch_all
from briefing.userfile import read_user_file
from briefing.validate.findings import Rule

MAX_FEED_BYTES = 50 << 20
MAX_RESOURCE_BYTES = 20 << 20

# Entities are refused before this parser ever runs; it is hardened anyway (no DTD loading, no network).
_LXML_PARSER = etree.XMLParser(
    resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_pis=True
)


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def read_feed_bytes(source: str, timeout: float) -> bytes:
    """The feed's bytes; an unreadable source is bad input (exit 2), not a finding. A URL is read whole within
    `timeout` seconds."""
    if is_url(source):
        try:
            answer = fetch(source, timeout=timeout, limit=MAX_FEED_BYTES)
        except FetchError as exc:
            raise BriefingError(f"cannot fetch the feed ({exc.reason})", source) from None
        if answer.status != 200:
            raise BriefingError(f"cannot fetch the feed (HTTP {answer.status} {answer.reason})".strip(), source)
        return answer.body
    return read_user_file(Path(source), "feed file", limit=MAX_FEED_BYTES)


# What stops validation before any other rule runs: the document cannot be read as XML, or declares entities.
WELL_FORMED = Rule("xml.well-formed", "error", "Fix the XML syntax there (escape & as &amp; and < as &lt; in text).")
ENTITY_DECLARATION = Rule(
    "xml.entity-declaration", "error", "Remove the DOCTYPE and its entity declarations; feeds need none."
)
EXTERNAL_ENTITY = Rule(
    "xml.external-entity", "error", "Remove the DOCTYPE and its external references; feeds need none."
)


@dataclass(frozen=True)
class ParseFailure:
    rule: Rule
    location: str
    message: str


def parse_safely(data: bytes) -> etree._Element | ParseFailure:
    """The document root, or why it cannot be read: not well-formed, or declaring entities (billion laughs, XXE)."""
    try:
        safe_et.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden as exc:
        if exc.sysid or exc.pubid:
            where = exc.sysid or exc.pubid
            return ParseFailure(EXTERNAL_ENTITY, "DOCTYPE", f"the document refers to an external DTD ({where})")
        return _entity_failure(data)
    except safe_et.ParseError as exc:
        return _syntax_failure(exc)
    return _parse_with_lxml(data)


def _entity_failure(data: bytes) -> etree._Element | ParseFailure:
    """A document with an internal DTD: refused when it declares entities, parsed (safely) when it does not."""
    try:
        safe_et.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            where = exc.sysid or exc.pubid
            return ParseFailure(EXTERNAL_ENTITY, "DOCTYPE", f"external entity '{exc.name}' refers to {where}")
        return ParseFailure(ENTITY_DECLARATION, "DOCTYPE", f"the document declares the entity '{exc.name}'")
    except ExternalReferenceForbidden as exc:
        where = exc.sysid or exc.pubid
        return ParseFailure(EXTERNAL_ENTITY, "DOCTYPE", f"the document refers to an external DTD ({where})")
    except safe_et.ParseError as exc:
        return _syntax_failure(exc)
    return _parse_with_lxml(data)


def _parse_with_lxml(data: bytes) -> etree._Element | ParseFailure:
    # The defused pass above already refused entities; lxml gives the line numbers findings point at.
    try:
        return etree.fromstring(data, parser=_LXML_PARSER)
    except etree.XMLSyntaxError as exc:
        return ParseFailure(WELL_FORMED, f"line {exc.lineno}", f"not well-formed XML ({exc.msg})")


def _syntax_failure(exc: safe_et.ParseError) -> ParseFailure:
    line, column = exc.position
    reason = re.sub(r": line \d+, column \d+$", "", str(exc))
    return ParseFailure(WELL_FORMED, f"line {line}, column {column + 1}", f"not well-formed XML ({reason})")


def element_path(element: etree._Element) -> str:
    """/rss/channel/item[2]/itunes:duration: prefixed names, an index where a name repeats."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        qname = etree.QName(node)
        prefix = node.prefix
        name = f"{prefix}:{qname.localname}" if prefix else qname.localname
        parent = node.getparent()
        if parent is not None:
            same = [child for child in parent if child.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        steps.append(name)
        node = parent
    return "/" + "/".join(reversed(steps))


@dataclass
class FeedDocument:
    """A parsed feed plus what the rules need to look at its files."""

    source: str
    root: etree._Element
    feed_dir: Path | None  # set when the feed is a local file
    fetch_remote: bool  # resources are fetched only when the feed itself came from a URL
    timeout: float = 10.0
    _resources: dict[str, bytes | None] = field(default_factory=dict)

    @property
    def channel(self) -> etree._Element:
        """The one <channel>: the rules look only at a document whose shape passed `rss.structure_problem`."""
        channel = self.root.find("channel")
        if channel is None:
            raise ValueError(f"{self.source} has no <channel>: check its structure before its rules")
        return channel

    @property
    def items(self) -> list[etree._Element]:
        channel = self.root.find("channel")
        return channel.findall("item") if channel is not None else []

    def locate(self, element: etree._Element) -> str:
        return f"line {element.sourceline}: {element_path(element)}"

    @functools.cached_property
    def base_url(self) -> str | None:
        """The feed's own folder URL: from its atom:link rel="self", else the URL it was fetched from."""
        channel = self.root.find("channel")
        if channel is not None:
            for link in channel.findall(f"{{{ATOM_NS}}}link"):
                href = link.get("href")
                if link.get("rel") == "self" and href:
                    return urljoin(href, ".")
        return urljoin(self.source, ".") if is_url(self.source) else None

    def local_file(self, url: str | None) -> Path | None:
        """The file next to the feed that `url` names (under the feed's base URL), when there is one."""
        base = self.base_url
        if not url or self.feed_dir is None or base is None or not url.startswith(base):
            return None
        relative = unquote(urlsplit(url[len(base) :]).path)
        candidate = (self.feed_dir / relative).resolve()
        if not candidate.is_relative_to(self.feed_dir.resolve()) or not candidate.is_file():
            return None
        return candidate

    def resource(self, url: str | None) -> bytes | None:
        """The bytes `url` names: the local file, or (for a fetched feed) a GET; None when neither is possible."""
        if not url:
            return None
        if url not in self._resources:
            self._resources[url] = self._load(url)
        return self._resources[url]

    def reachable(self, url: str | None) -> bool | None:
        """True/False when it was possible to look; None when the resource is remote and the feed is local."""
        if self.local_file(url) is not None:
            return True
        if not self.fetch_remote or not url:
            return None
        return self.resource(url) is not None

    def _load(self, url: str) -> bytes | None:
        local = self.local_file(url)
        if local is not None:
            return read_user_file(local, "file of the feed", limit=MAX_RESOURCE_BYTES)
        if self.fetch_remote and is_url(url):
            self.prefetch([url])
            return self._resources.get(url)
        return None

    def prefetch(self, urls: Iterable[str]) -> None:
        """Fetch the remote resources among `urls` all at once, under one deadline of `timeout` seconds for them all
        (a resource that does not come whole in time counts as unreachable)."""
        wanted = [
            url for url in urls if url and url not in self._resources and is_url(url) and not self.local_file(url)
        ]
        if not self.fetch_remote or not wanted:
            return
        for url, result in fetch_all(wanted, timeout=self.timeout, limit=MAX_RESOURCE_BYTES).items():
            self._resources[url] = result.body if isinstance(result, Answer) and result.status == 200 else None

    def image_facts(self, url: str | None) -> ArtworkFacts | None:
        data = self.resource(url)
        return artwork_facts(data) if data is not None else None

    def json_resource(self, url: str | None) -> object | None:
        """Parsed JSON, None when unavailable; a ValueError's text when it is not JSON."""
        data = self.resource(url)
        if data is None:
            return None
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            return JsonError(str(exc))


@dataclass(frozen=True)
class JsonError:
    reason: str


def load_document(source: str, *, timeout: float = 10.0) -> FeedDocument | ParseFailure:
    data = read_feed_bytes(source, timeout)
    parsed = parse_safely(data)
    if isinstance(parsed, ParseFailure):
        return parsed
    remote = is_url(source)
    document = FeedDocument(
        source=source,
        root=parsed,
        feed_dir=None if remote else Path(source).resolve().parent,
        fetch_remote=remote,
        timeout=timeout,
    )
    document.prefetch(resource_urls(parsed))
    return document


def resource_urls(root: etree._Element) -> list[str]:
    """The URLs of the files the rules look into: artwork (itunes:image) and chapters (podcast:chapters)."""
    images = root.iterfind(f".//{{{ITUNES_NS}}}image")
    chapters = root.iterfind(f".//{{{PODCAST_NS}}}chapters")
    return [(element.get("href") or "").strip() for element in images] + [
        (element.get("url") or "").strip() for element in chapters
    ]
