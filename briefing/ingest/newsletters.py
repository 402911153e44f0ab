"""What newsletter platforms (Stibee, Substack, Ghost, Mailchimp and the like) wrap an issue in, taken off before the
issue is read: their cards, buttons and widgets, share, subscribe and unsubscribe links, hidden preheaders, footers,
and the tracking redirects and parameters around the links a story cites.

Each rule is a small function over the parsed page, applied in order by `clean_newsletter`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

# Platform classes of the parts that are not the prose: pictures and their captions, embeds and link
# previews, buttons, sign-up and share widgets.
_WRAPPER_CLASSES = re.compile(
    r"^(?:"
    r"subscription-widget(?:-wrap)?|subscribe-widget|button-wrapper|post-ufi|share-dialog|digest-post-embed"
    r"|embedded-post(?:-wrap)?|captioned-image-container|image-link-expand|footer|preview-cta"  # Substack
    r"|kg-(?:bookmark|button|signup|cta|image|gallery|embed|audio|video|file|product)-card"  # Ghost
    r"|stb-(?:footer|unsubscribe|share|button|image|logo)(?:-[\w-]+)?"  # Stibee
    r"|mc(?:nFollow|nShare|nImage|nCaption|nButton)[\w-]*"  # Mailchimp
    r")$",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all|max-height\s*:\s*0", re.IGNORECASE)
# Links that ask the reader to do something with the newsletter itself.
_CALL_HREF = re.compile(
    r"unsubscribe|/subscribe\b|action=share|/share\b|/emails/share|/comments?\b|list-manage\.com/(?:unsubscribe|profile)"
    r"|view-?in-?browser|/webview|mailto:\?",
    re.IGNORECASE,
)
_CALL_TEXT = re.compile(
    r"^(?:subscribe(?: now)?|share|share this(?: post| issue)?|unsubscribe|leave a comment|view (?:this email )?in "
    r"(?:your )?browser|forward to a friend|구독하기|구독 ?신청|구독 ?취소|수신 ?거부|공유하기|웹에서 보기"
    r"|웹 ?버전으로 보기|친구에게 (?:추천|공유)하기|댓글 ?(?:달기|남기기))[\s!.>→]*$",
    re.IGNORECASE,
)
# A block that holds an unsubscribe link is the footer (sender, address, unsubscribe), not the issue.
_UNSUBSCRIBE = re.compile(r"unsubscribe|수신 ?거부|구독 ?취소|list-manage\.com/unsubscribe", re.IGNORECASE)
_BLOCKS = ["p", "li", "td", "div", "section", "table", "tr"]
# A footer is short; a longer block around an unsubscribe link is the whole layout, and only the link goes.
FOOTER_CHARACTERS = 600

# Query parameters that carry the real address of a redirect, and parameters that only track the reader.
_TARGET_PARAMS = ("url", "u", "redirect", "redirect_url", "redirect_uri", "target", "to", "dest", "destination", "link")
_TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|stibee_\w+)$")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")


def clean_newsletter(soup: BeautifulSoup) -> None:
    """Take the platform's wrapping off the parsed page, in place."""
    for rule in RULES:
        rule(soup)


def drop_platform_wrappers(soup: BeautifulSoup) -> None:
    """Cards, widgets and buttons by the platform's class names; every <figure> (a picture and its caption)."""
    doomed = [tag for tag in soup.find_all(True) if any(_WRAPPER_CLASSES.match(name) for name in _classes(tag))]
    doomed += soup.find_all("figure")
    _decompose(doomed)


def drop_hidden_text(soup: BeautifulSoup) -> None:
    """E-mail preheaders and other text the reader never sees (display:none, mso-hide:all)."""
    _decompose([tag for tag in soup.find_all(style=True) if _HIDDEN_STYLE.search(_attribute(tag, "style"))])


def drop_footer_blocks(soup: BeautifulSoup) -> None:
    """The innermost block around each unsubscribe link: the sender's footer."""
    doomed: list[Tag] = []
    for link in soup.find_all("a"):
        if _UNSUBSCRIBE.search(_attribute(link, "href")) or _UNSUBSCRIBE.search(link.get_text(" ", strip=True)):
            block = link.find_parent(_BLOCKS)
            short = block is not None and len(block.get_text(" ", strip=True)) <= FOOTER_CHARACTERS
            doomed.append(block if block is not None and short else link)
    _decompose(doomed)


def drop_calls_to_action(soup: BeautifulSoup) -> None:
    """Links asking to subscribe, share, comment or open the web version; and a block left with nothing else."""
    for link in soup.find_all("a"):
        if link.decomposed:
            continue
        text = link.get_text(" ", strip=True)
        if _CALL_HREF.search(_attribute(link, "href")) or _CALL_TEXT.match(text):
            block = link.find_parent(["p", "li", "td", "div"])
            link.decompose()
            if block is not None and not block.get_text(strip=True):
                block.decompose()


def unwrap_tracking_links(soup: BeautifulSoup) -> None:
    """Every link's real address: redirects unwrapped where they carry it, tracking parameters removed."""
    for link in soup.find_all("a", href=True):
        link["href"] = real_address(_attribute(link, "href"))


def real_address(url: str) -> str:
    """The address a tracking link leads to, as far as the link itself tells; any other link unchanged except for
    tracking parameters (utm_*, fbclid, mc_cid, a Ghost-style ref=domain, ...)."""
    seen = set()
    while url not in seen:
        seen.add(url)
        target = redirect_target(url)
        if target is None:
            break
        url = target
    return without_tracking(url)


def redirect_target(url: str) -> str | None:
    """The web address a redirect link carries in a parameter or in an encoded path segment, if it carries one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return None
    for name, value in parse_qsl(parts.query):
        if name.lower() in _TARGET_PARAMS and _is_web(value):
            return value
    if "redirect" in parts.path.lower() or "track" in parts.path.lower() or "click" in parts.path.lower():
        for segment in [*parts.path.split("/"), *(value for _name, value in parse_qsl(parts.query))]:
            decoded = _decoded_address(segment)
            if decoded:
                return decoded
    return None


def without_tracking(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING_PARAMS.match(name) and not (name == "ref" and _DOMAIN.match(value))
    ]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _decoded_address(segment: str) -> str | None:
    """A base64(url) segment holding an address, or JSON with one (as some platforms encode their redirects)."""
    if len(segment) < 16 or not re.fullmatch(r"[A-Za-z0-9_\-+/=]+", segment):
        return None
    try:
        text = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if _is_web(text):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return None
    values = data.values() if isinstance(data, dict) else []
    return next((value for value in values if isinstance(value, str) and _is_web(value)), None)


def _is_web(value: str) -> bool:
    parts = urlsplit(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _classes(tag: Tag) -> list[str]:
    return tag.get_attribute_list("class") if tag.attrs else []


def _attribute(tag: Tag, name: str) -> str:
    value = tag.get(name) if tag.attrs else None
    return value if isinstance(value, str) else ""


def _decompose(tags: list[Tag]) -> None:
    for tag in tags:
        if not tag.decomposed:
            tag.decompose()


RULES: tuple[Callable[[BeautifulSoup], None], ...] = (
    drop_platform_wrappers,
    drop_hidden_text,
    unwrap_tracking_links,
    drop_footer_blocks,
    drop_calls_to_action,
)
