"""A paragraph's links → the story's sources, and its prose with source lines and bare URLs taken out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.models import Source, SourceKind


@dataclass(frozen=True)
class Link:
    """A link inside a paragraph; `anchor` is its visible text when that is not the URL itself."""

    url: str
    anchor: str | None = None


Piece = str | Link

# Hangul and CJK/full-width punctuation never belong to a URL printed in Korean prose.
_URL = re.compile(r"https?://[^\s<>\"'“”‘’\u3000-\u303f\uac00-\ud7a3\uff00-\uffef]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?"
_CLOSERS = {")": "(", "]": "["}

_LABEL_WORDS = (
    r"(?P<thumbnail>썸네일\s*출처(?:\s*URL)?)"
    r"|(?:내용|관련\s*내용의?|기사)\s*(?:출처\s*)?(?:URL|링크)"
    r"|(?:내용\s*)?출처(?:\s*URL)?|원문(?:\s*URL)?|URL|링크|Sources?"
)
# A label such as "내용 출처 URL:" that ends a piece of text, so the link after it is what it labels.
_LABEL_AT_END = re.compile(rf"(?:^|(?<=[\s.,;!?()\[\]”’」』…]))(?:{_LABEL_WORDS})\s*[:：]\s*$", re.IGNORECASE)
# Without its colon a label must start a sentence ("…했습니다. 출처 https://…"): "이 링크 https://…" is prose.
_BARE_LABEL_AT_END = re.compile(rf"(?:^|(?<=[.!?。]\s)|(?<=[.!?。]))(?:{_LABEL_WORDS})\s+$", re.IGNORECASE)
_SEPARATOR_ONLY = re.compile(r"[\s,，;、/|]*")
_FINAL_PUNCTUATION_ONLY = re.compile(r"[\s,，;、.。]*")


def clean_url(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the URL: `,` `.` and unbalanced `)`."""
    while url:
        last = url[-1]
        unbalanced_closer = last in _CLOSERS and url.count(last) > url.count(_CLOSERS[last])
        if last not in _TRAILING_PUNCTUATION and not unbalanced_closer:
            break
        url = url[:-1]
    return url


def split_urls(text: str) -> tuple[Piece, ...]:
    """Plain text → text pieces and Links for the bare URLs in it."""
    pieces: list[Piece] = []
    position = 0
    for match in _URL.finditer(text):
        url = clean_url(match.group())
        if len(url) <= len("https://"):
            continue
        pieces.append(text[position : match.start()])
        pieces.append(Link(url))
        position = match.start() + len(url)
    pieces.append(text[position:])
    return tuple(piece for piece in pieces if piece != "")


def extract_sources(pieces: tuple[Piece, ...]) -> tuple[str, tuple[Source, ...]]:
    """The paragraph's prose and its sources.

    A link right after a label ("내용 출처 URL:", "썸네일 출처:" …) or in a comma-separated list after one is
    a source of the label's kind, and label, list and anchor texts leave the prose. Any other link is a source
    too; its anchor text (Markdown/HTML) stays in the prose, a bare URL does not.
    """
    prose: list[str] = []
    sources: list[Source] = []
    label_kind: SourceKind | None = None
    for index, piece in enumerate(pieces):
        if isinstance(piece, Link):
            sources.append(Source(piece.url, label_kind or "source"))
            if label_kind is None and piece.anchor:
                prose.append(piece.anchor)
            continue
        next_is_link = index + 1 < len(pieces) and isinstance(pieces[index + 1], Link)
        if label_kind is not None and next_is_link and _SEPARATOR_ONLY.fullmatch(piece):
            continue  # the ", " between two listed URLs
        if label_kind is not None and index == len(pieces) - 1 and _FINAL_PUNCTUATION_ONLY.fullmatch(piece):
            continue  # the "." after "URL: https://…." ends the source line, not a sentence
        label = (_LABEL_AT_END.search(piece) or _BARE_LABEL_AT_END.search(piece)) if next_is_link else None
        if label:
            prose.append(piece[: label.start()])
            label_kind = "thumbnail" if label.group("thumbnail") else "source"
        else:
            prose.append(piece)
            label_kind = None
    return tidy_prose("".join(prose)), unique_sources(sources)


def unique_sources(sources: list[Source]) -> tuple[Source, ...]:
    return tuple(dict.fromkeys(sources))


def tidy_prose(text: str) -> str:
    """Close the gaps the removed links leave: empty brackets, doubled spaces, dangling commas at the end."""
    text = re.sub(r"\s*[(（\[]\s*[)）\]]", "", text)
    text = re.sub(r"[ \t\u00a0]{2,}", " ", text)
    text = re.sub(r"[ \t\u00a0]+\.(?=\s|$)", ".", text)  # "자세한 내용은 ." once the URL between has gone
    text = re.sub(r"(?:\s*[,，;、])+\s*$", "", text.strip())
    return text.strip()
