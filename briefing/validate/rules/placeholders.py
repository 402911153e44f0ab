"""A show still wearing the placeholders it was started with: `briefing init`'s sample description, the folder's
name for a title, and addresses at the reserved example domains (RFC 2606: example.com, .example, .invalid, .test)
that no listener can reach. Warnings, so `validate --strict` fails on them.

briefing's own example show is what the repository checks strictly in CI; its example.com addresses are expected.
It is known by its title and its podcast:guid together (the guid is made from its feed URL, and stays the same when
`briefing serve` gives the feed a local address). A real show has its own name, so it cannot pass for it by
accident, even at the example's address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from briefing.feedspec.namespaces import ATOM_NS
from briefing.settings import PLACEHOLDER_DESCRIPTION, SHOW_FILE
from briefing.validate.document import FeedDocument
from briefing.validate.rules.elements import itunes, podcast, text_of
from briefing.validate.rules.family import Family, Problems

RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TOP_LEVEL = ("example", "invalid", "test")
# briefing's example show: its title, and the podcast:guid of https://podcast.example.com/asia-tech-brief/feed.xml.
EXAMPLE_SHOW = ("Asia Tech Brief", "5a01d7df-6d1f-5d25-a6fe-0ab129abd501")

family = Family("placeholders")


def is_reserved_host(host: str) -> bool:
    """Whether `host` is one of the names reserved for examples, which resolve nowhere a listener could reach."""
    host = host.lower().rstrip(".")
    in_domain = any(host == domain or host.endswith("." + domain) for domain in RESERVED_DOMAINS)
    return in_domain or host.rsplit(".", 1)[-1] in RESERVED_TOP_LEVEL


def is_example_show(doc: FeedDocument) -> bool:
    channel = doc.channel
    return (text_of(channel.find("title")), text_of(channel.find(podcast("guid")))) == EXAMPLE_SHOW


def _addresses(doc: FeedDocument) -> Iterator[tuple[etree._Element, str]]:
    """Every address of the show's own the feed gives: its links, artwork, audio, chapters and transcripts."""
    channel = doc.channel
    for element in (channel.find("link"), channel.find("image/url"), channel.find("image/link")):
        if element is not None:
            yield element, text_of(element)
    for link in channel.findall(f"{{{ATOM_NS}}}link"):
        yield link, link.get("href", "")
    for holder in [channel, *doc.items]:
        image = holder.find(itunes("image"))
        if image is not None:
            yield image, image.get("href", "")
    for item in doc.items:
        item_link = item.find("link")
        if item_link is not None:
            yield item_link, text_of(item_link)
        for tag, attribute in (("enclosure", "url"), (podcast("chapters"), "url"), (podcast("transcript"), "url")):
            for element in item.findall(tag):
                yield element, element.get(attribute, "")


def _emails(doc: FeedDocument) -> Iterator[tuple[etree._Element, str]]:
    channel = doc.channel
    email = channel.find(f"{itunes('owner')}/{itunes('email')}")
    if email is not None:
        yield email, text_of(email)
    locked = channel.find(podcast("locked"))
    if locked is not None and locked.get("owner"):
        yield locked, locked.get("owner", "")


@family.rule(
    "placeholder.host",
    "warning",
    "Set base_url and [owner] email in show.toml to the show's real address and e-mail, then publish again.",
)
def example_hosts(doc: FeedDocument) -> Problems:
    if is_example_show(doc):
        return
    at_example = [(element, url) for element, url in _addresses(doc) if is_reserved_host(urlsplit(url).hostname or "")]
    if at_example:
        element, url = at_example[0]
        more = f" (and {len(at_example) - 1} more of the feed's addresses)" if len(at_example) > 1 else ""
        yield element, f"{url} is at a reserved example domain no listener can reach{more}"
    emails = [(element, email) for element, email in _emails(doc) if is_reserved_host(email.rpartition("@")[2])]
    if emails:  # itunes:email and podcast:locked give the same one: said once
        yield emails[0][0], f"the owner's e-mail {emails[0][1]} is at a reserved example domain"


@family.rule(
    "placeholder.text",
    "warning",
    "Write the show's own title, author and description in show.toml (see 'briefing init --help'), then publish.",
)
def placeholder_text(doc: FeedDocument) -> Problems:
    channel = doc.channel
    description = channel.find("description")
    if description is not None and text_of(description) == PLACEHOLDER_DESCRIPTION:
        yield description, "the description is still the sample 'briefing init' wrote"
    folder = _show_folder(doc)
    if folder is None:
        return
    for path, what in (("title", "title"), (itunes("author"), "author"), (f"{itunes('owner')}/{itunes('name')}",
                                                                            "owner's name")):  # fmt: skip
        element = channel.find(path)
        if element is not None and text_of(element) == folder.name:
            yield element, f"the {what} is still the show folder's name '{folder.name}', as 'briefing init' wrote it"


def _show_folder(doc: FeedDocument) -> Path | None:
    """The show folder of a feed read from its feed/ folder, where the show's name can be compared with it."""
    if doc.feed_dir is None or not (doc.feed_dir.parent / SHOW_FILE).is_file():
        return None
    return doc.feed_dir.parent
