"""The script file (`scripts/<slug>.md`): a `Script` rendered as Markdown a producer edits, and parsed back.

Layout::

    ---
    show: Tech in China          (YAML front matter: show, episode, title, date, slug, guid, source,
    ...                           engine, voice; an empty engine/voice means the show's setting)
    ---

    ## 오프닝                      a `## ` heading starts a chapter; its text is the chapter title

    spoken paragraph              paragraphs are separated by blank lines; the lines of one paragraph join

    > 출처: https://...            `> 출처:` / `> 썸네일 출처:` lines are the chapter's sources, never spoken

A chapter's kind comes from its position: the first is the opening, the last the closing, every one between
is a story. A paragraph that would start with `#`, `>` or `\\` is written with a `\\` in front.
Rendering a parsed file gives back the same bytes for any file this module rendered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml

from briefing.errors import BriefingError
from briefing.models import Chapter, Script, ScriptMeta, Source, SourceKind
from briefing.settings import ENGINE_NAMES
from briefing.userfile import read_user_text

FENCE = "---"
META_FIELDS = ("show", "episode", "title", "date", "slug", "guid", "source", "engine", "voice")
OPTIONAL_FIELDS = frozenset({"engine", "voice"})
_Value = TypeVar("_Value")  # a front matter field's value, as its check returns it
SOURCE_LABELS: dict[SourceKind, str] = {"source": "출처", "thumbnail": "썸네일 출처"}
_KIND_OF_LABEL = {label: kind for kind, label in SOURCE_LABELS.items()}
_SOURCE_LINE = re.compile(r"^>\s*(?P<label>썸네일\s*출처|출처)\s*:\s*(?P<url>\S+)\s*$")
_HEADING = re.compile(r"^##(?:\s+(?P<title>.*?))?\s*$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NEEDS_ESCAPE = ("#", ">", "\\")
_GUIDE = (
    "# A spoken script. Each '## ' heading is a chapter (the first is the opening, the last the closing);\n"
    "# blank lines separate paragraphs; '> 출처:' lines are sources and are never spoken.\n"
    "# engine (auto | gtts | espeak) and voice: leave empty to use the show's settings.\n"
)


# ---- rendering -------------------------------------------------------------------------------------------


def render_script(script: Script) -> str:
    """The Markdown file for `script`."""
    parts = [render_front_matter(script.meta)]
    parts.extend(render_chapter_markdown(chapter) for chapter in script.chapters)
    return "\n".join(parts)


def render_front_matter(meta: ScriptMeta) -> str:
    lines = [_yaml_line(name, getattr(meta, name)) for name in META_FIELDS]
    return f"{FENCE}\n{_GUIDE}" + "".join(lines) + f"{FENCE}\n"


def render_chapter_markdown(chapter: Chapter) -> str:
    blocks = [f"## {chapter.title}"]
    blocks.extend(_escape(paragraph) for paragraph in chapter.paragraphs)
    if chapter.sources:
        blocks.append("\n".join(f"> {SOURCE_LABELS[source.kind]}: {source.url}" for source in chapter.sources))
    return "\n\n".join(blocks) + "\n"


def _yaml_line(name: str, value: object) -> str:
    if value is None:
        return f"{name}:\n"
    return yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=1_000_000)


def _escape(paragraph: str) -> str:
    return "\\" + paragraph if paragraph.startswith(_NEEDS_ESCAPE) else paragraph


# ---- parsing ---------------------------------------------------------------------------------------------


def load_script(path: Path) -> Script:
    return parse_script(read_user_text(path, "script"), path)


def parse_script(text: str, path: Path) -> Script:
    """Parse a script file's text; a mistake is a BriefingError naming `path` and the line."""
    # Only line feeds end lines: str.splitlines would also split on characters a paragraph may contain.
    lines = [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]
    closing_fence = _closing_fence(lines, path)
    meta = _parse_meta(lines[1:closing_fence], path)
    chapters = _parse_chapters(lines, closing_fence + 1, path)
    return Script(meta=meta, chapters=chapters)


def _closing_fence(lines: list[str], path: Path) -> int:
    if not lines or lines[0].strip() != FENCE:
        raise BriefingError(f"a script starts with a '{FENCE}' line and its front matter", path, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return index
    raise BriefingError(f"the front matter has no closing '{FENCE}' line", path, 1)


def _parse_meta(lines: list[str], path: Path) -> ScriptMeta:
    try:
        data = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for the opening fence, +1 to count from 1
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise BriefingError(f"front matter: {problem}", path, line) from None
    if not isinstance(data, dict):
        raise BriefingError("front matter must be 'name: value' lines", path, 2)

    def line_of(name: object) -> int:
        for number, line in enumerate(lines, start=2):
            if re.match(rf"^\s*['\"]?{re.escape(str(name))}['\"]?\s*:", line):
                return number
        return 1

    for name in data:
        if name not in META_FIELDS:
            raise BriefingError(f"unknown front matter field '{name}'", path, line_of(name))

    def field(name: str, check: Callable[[object], _Value]) -> _Value:
        """The field in its model type; a missing optional field is checked as empty."""
        if name not in data and name not in OPTIONAL_FIELDS:
            raise BriefingError(f"front matter is missing '{name}'", path, 1)
        try:
            return check(data.get(name))
        except ValueError as error:
            raise BriefingError(f"front matter field '{name}' {error}", path, line_of(name)) from None

    # In the order of META_FIELDS, so the first mistake in that order is the one reported.
    return ScriptMeta(
        show=field("show", _text),
        episode=field("episode", _episode),
        title=field("title", _text),
        date=field("date", _date),
        slug=field("slug", _slug),
        guid=field("guid", _text),
        source=field("source", _text),
        engine=field("engine", _engine),
        voice=field("voice", _optional_text),
    )


# Each field's check: its value in the model's type, or a ValueError saying what it should be.


def _episode(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number (the episode number)")
    return value


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError("must be a date written YYYY-MM-DD") from None


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be text (put it in quotes if it looks like a number)")
    return value


def _slug(value: object) -> str:
    slug = _text(value)
    if not _SLUG.match(slug):
        raise ValueError("must be lower-case ASCII letters, digits and hyphens (e.g. tech-in-china-007)")
    return slug


def _optional_text(value: object) -> str | None:
    """Empty (or absent) means the show's setting."""
    return None if value is None or value == "" else _text(value)


def _engine(value: object) -> str | None:
    engine = _optional_text(value)
    if engine is not None and engine not in ENGINE_NAMES:
        raise ValueError(f"must be one of {', '.join(ENGINE_NAMES)} (or empty for the show's engine)")
    return engine


class _ChapterDraft:
    """A chapter being read: its heading line, title, paragraphs and sources so far."""

    def __init__(self, line: int, title: str):
        self.line = line
        self.title = title
        self.paragraphs: list[str] = []
        self.sources: list[Source] = []
        self.open_paragraph: list[str] = []

    def end_paragraph(self) -> None:
        if self.open_paragraph:
            self.paragraphs.append(" ".join(self.open_paragraph))
            self.open_paragraph = []


def _parse_chapters(lines: list[str], start: int, path: Path) -> tuple[Chapter, ...]:
    chapters: list[_ChapterDraft] = []
    for index in range(start, len(lines)):
        number, line = index + 1, lines[index].strip()
        chapter = chapters[-1] if chapters else None
        if not line:
            if chapter:
                chapter.end_paragraph()
        elif heading := _HEADING.match(line):
            if chapter:
                chapter.end_paragraph()
            if not heading["title"]:
                raise BriefingError("a '##' chapter heading needs a title after it", path, number)
            chapters.append(_ChapterDraft(number, heading["title"]))
        elif chapter is None:
            raise BriefingError("text before the first '## ' chapter heading", path, number)
        elif line.startswith("#"):
            raise BriefingError(
                "only '## ' headings start a chapter (write '\\#' to begin a paragraph with '#')", path, number
            )
        elif line.startswith(">"):
            chapter.end_paragraph()
            chapter.sources.append(_parse_source(line, path, number))
        else:
            chapter.open_paragraph.append(line[1:] if line.startswith("\\") else line)
    if chapters:
        chapters[-1].end_paragraph()
    if len(chapters) < 2:
        raise BriefingError("a script needs at least an opening and a closing '## ' chapter", path, len(lines) or 1)
    for chapter in chapters:
        if not chapter.paragraphs:
            raise BriefingError(f"chapter '{chapter.title}' has nothing to say", path, chapter.line)
    last = len(chapters) - 1
    return tuple(
        Chapter(
            kind="opening" if position == 0 else "closing" if position == last else "story",
            title=chapter.title,
            paragraphs=tuple(chapter.paragraphs),
            sources=tuple(chapter.sources),
        )
        for position, chapter in enumerate(chapters)
    )


def _parse_source(line: str, path: Path, number: int) -> Source:
    match = _SOURCE_LINE.match(line)
    if not match:
        raise BriefingError("a '>' line must be '> 출처: URL' or '> 썸네일 출처: URL'", path, number)
    label = " ".join(match["label"].split())
    source = Source(url=match["url"], kind=_KIND_OF_LABEL[label])
    if not source.is_web:
        # Refused rather than dropped: a source the producer typed is never lost without a word.
        raise BriefingError(
            f"a source must be an http:// or https:// link, not '{_shortened(source.url)}'", path, number
        )
    return source


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
