"""Issue text in its format (plain text, Markdown, HTML) → a title line and paragraphs of text and links."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag
from bs4.element import NavigableString
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing.errors import BriefingError
from briefing.ingest.newsletters import clean_newsletter
from briefing.ingest.sources import Link, Piece, split_urls
from briefing.models import is_web_url

Format = Literal["text", "markdown", "html"]

_EXTENSIONS: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<!--)", re.IGNORECASE)
_HTML_BOILERPLATE = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "header",
    "aside",
    "form",
    "iframe",
    "svg",
)
# class, id and role words of the e-mail or web page chrome around the article
_CHROME_WORDS = re.compile(
    r"\b(?:nav|navbar|navigation|menu|footer|contentinfo|sidebar|share|social|unsubscribe|subscribe|banner|advert|ads"
    r"|preheader)\b",
    re.IGNORECASE,
)
_HTML_PARAGRAPHS = ["p", "li"]
# E-mail layouts without <p>: the innermost of these hold the text.
_HTML_TEXT_BOXES = ["div", "td", "section", "blockquote"]
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)


@dataclass(frozen=True)
class Paragraph:
    pieces: tuple[Piece, ...]
    line: int | None  # 1-based line in the file, where the format tells


@dataclass(frozen=True)
class ParsedIssue:
    title: str
    title_line: int | None
    paragraphs: tuple[Paragraph, ...]
    published: dt.datetime | None = None  # what a web page's article:published_time (or <time>) says
    site: str | None = None  # a web page's og:site_name: the newsletter's name


def detect_format(path: Path, text: str) -> Format:
    """By extension (.md, .html); for .txt and any other name, by content: an HTML start, or a first line
    that is a `#` heading; else the seed's plain text."""
    by_extension = _EXTENSIONS.get(path.suffix.lower())
    if by_extension:
        return by_extension
    if _HTML_START.match(text):
        return "html"
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return "markdown" if re.match(r"#{1,6}\s", first_line) else "text"


def parse_issue(text: str, issue_format: Format, path: Path) -> ParsedIssue:
    parsers = {"text": parse_plain_text, "markdown": parse_markdown, "html": parse_html}
    return parsers[issue_format](text, path)


def parse_plain_text(text: str, path: Path) -> ParsedIssue:
    """The seed's format: the first non-blank line is the title, every further non-blank line a paragraph."""
    numbered = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    (title_line, title), *rest = numbered
    paragraphs = tuple(Paragraph(split_urls(line), number) for number, line in rest)
    return ParsedIssue(title, title_line, paragraphs)


def parse_markdown(text: str, path: Path) -> ParsedIssue:
    """The first `#` heading is the title; paragraphs (also those in lists and quotes) follow."""
    tokens = MarkdownIt("commonmark").parse(text)
    title: str | None = None
    title_line: int | None = None
    paragraphs: list[Paragraph] = []
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[index - 1]
        line = opener.map[0] + 1 if opener.map else None
        if opener.type == "heading_open" and title is None and opener.tag in ("h1", "h2"):
            title, title_line = _plain_inline(token.children or []), line
        elif opener.type == "paragraph_open" and title is not None:
            pieces = _markdown_pieces(token.children or [])
            if pieces:
                paragraphs.append(Paragraph(pieces, line))
    if title is None:
        raise BriefingError("has no title: a Markdown issue starts with a '# [Show] N. Title' heading", path)
    return ParsedIssue(title, title_line, tuple(paragraphs))


def _plain_inline(children: list[Token]) -> str:
    """A heading's text without its Markdown markup (`# **[Show]** 7. …`)."""
    return _collapse_space(
        "".join(child.content for child in children if child.type in ("text", "code_inline"))
    ).strip()


def _markdown_pieces(children: list[Token]) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    text: list[str] = []
    link_url: str | None = None
    anchor: list[str] = []
    for child in children:
        if child.type == "link_open" and _is_web_url(str(child.attrs.get("href", ""))):
            pieces.extend(split_urls("".join(text)))
            text = []
            link_url, anchor = str(child.attrs["href"]).strip(), []
        elif child.type == "link_close" and link_url is not None:
            if "".join(anchor).strip():  # a linked picture is no source
                pieces.append(_link(link_url, "".join(anchor)))
            link_url = None
        elif child.type in ("image", "html_inline"):
            continue  # pictures and raw tags are not prose
        else:
            chunk = " " if child.type in ("softbreak", "hardbreak") else child.content
            (anchor if link_url is not None else text).append(chunk)
    pieces.extend(split_urls("".join(text)))
    return _joined(pieces)


def parse_html(text: str, path: Path) -> ParsedIssue:
    """An e-mail or web version: the article's <h1> (else the page's first <h1>, else <title>) is the title;
    <p> and <li> outside the page chrome are paragraphs."""
    soup = BeautifulSoup(text, "html.parser")
    published, site = _published_time(soup), _meta(soup, "og:site_name")
    clean_newsletter(soup)
    fallback = soup.find("h1") or soup.title  # read before the page chrome (which may hold them) goes
    fallback_title = (_text_of(fallback), fallback.sourceline) if fallback else ("", None)
    for tag in [*soup.find_all(_HTML_BOILERPLATE), *soup.find_all(_is_chrome)]:
        tag.decompose()
    article = soup.find("article") or soup.find("main") or soup.body or soup
    heading = article.find("h1")
    title, title_line = (_text_of(heading), heading.sourceline) if heading else fallback_title
    if not title:
        raise BriefingError("has no title: an HTML issue needs an <h1> or a <title>", path)
    blocks = _innermost(article, _HTML_PARAGRAPHS) or _innermost(article, [*_HTML_PARAGRAPHS, *_HTML_TEXT_BOXES])
    paragraphs = [Paragraph(pieces, block.sourceline) for block in blocks if (pieces := _html_pieces(block))]
    if not paragraphs:
        raise BriefingError("has no article text: no paragraphs outside navigation, scripts and footers", path)
    return ParsedIssue(title, title_line, tuple(paragraphs), published, site)


def _meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    value = _attribute(tag, "content").strip() if isinstance(tag, Tag) else ""
    return value or None


def _published_time(soup: BeautifulSoup) -> dt.datetime | None:
    """When the page says the issue was published: article:published_time, else the first <time datetime>."""
    time_tag = soup.find("time", attrs={"datetime": True})
    for value in (_meta(soup, "article:published_time"), _attribute(time_tag, "datetime") if time_tag else None):
        if value:
            try:
                return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                continue
    return None


def _text_of(tag: Tag) -> str:
    return _collapse_space(tag.get_text(" ", strip=True))


def _innermost(root: Tag, names: list[str]) -> list[Tag]:
    """Elements of these kinds that hold no other such element, nor the title heading."""
    return [tag for tag in root.find_all(names) if not tag.find(names) and not tag.find("h1")]


def _is_chrome(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    words = " ".join([*tag.get_attribute_list("class"), _attribute(tag, "id"), _attribute(tag, "role")])
    return bool(_CHROME_WORDS.search(words.replace("-", " ").replace("_", " ")))


def _attribute(tag: Tag, name: str) -> str:
    """A single-valued attribute's text, "" when it is absent."""
    value = tag.get(name)
    return value if isinstance(value, str) else ""


def _html_pieces(block: Tag) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    for node in block.descendants:
        if isinstance(node, _NOT_TEXT):
            continue
        if isinstance(node, NavigableString):
            if node.find_parent("a", href=_is_web_url) is None:
                pieces.extend(split_urls(str(node)))
        elif isinstance(node, Tag) and node.name == "br":
            pieces.append(" ")
        elif isinstance(node, Tag) and node.name == "a":
            href = _attribute(node, "href")
            if _is_web_url(href) and node.get_text(strip=True):
                pieces.append(_link(href.strip(), node.get_text(" ", strip=True)))
    return _joined(pieces)


def _is_web_url(href: str | None) -> bool:
    """Only an http(s) link with a host becomes a source; any other (javascript:, data:, mailto:) stays text."""
    return href is not None and is_web_url(href.strip())


def _link(url: str, anchor_text: str) -> Link:
    anchor = _collapse_space(anchor_text)
    is_url_itself = not anchor or anchor.rstrip("/") in (url.rstrip("/"), url.split("://", 1)[-1].rstrip("/"))
    return Link(url, None if is_url_itself else anchor)


def _joined(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Adjacent text pieces merged, whitespace collapsed; nothing when there is neither text nor link."""
    merged: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    result = tuple(_collapse_space(p) if isinstance(p, str) else p for p in merged)
    result = tuple(p for p in result if p != "")
    if not any(isinstance(p, Link) or p.strip() for p in result):
        return ()
    return _trim_ends(result)


def _trim_ends(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    first = pieces[0]
    if isinstance(first, str):
        pieces = (first.lstrip(), *pieces[1:])
    last = pieces[-1]  # the first, stripped, when it is the only one
    if isinstance(last, str):
        pieces = (*pieces[:-1], last.rstrip())
    return tuple(p for p in pieces if p != "")


def _collapse_space(text: str) -> str:
    return re.sub(r"\s+", " ", text)
