"""The script file (`scripts/<slug>.md`): a `Script` rendered as Markdown a producer edits, and parsed back.

Layout::

    ---
    show: Tech in China          (YAML front matter: show, episode, title, date, slug, guid, source,
    ...                           engine, voice; an empty engine/voice means the show's setting)
    ---

    ## 오프닝                      a `## ` heading starts a chapter; its text is the chapter title

    spoken paragraph              paragraphs are separated by blank lines; the lines of one paragraph join

    _먼저 첫 번째 소식입니다._       a paragraph in underscores is said but left out of the show notes

    > 출처: https://...            `> 출처:` / `> 썸네일 출처:` lines are the chapter's sources, never spoken

    **민호:** spoken paragraph    a speaker mark: this paragraph and the next ones are 민호's (briefing.script.marks)

A chapter's kind comes from its position: the first is the opening, the last the closing, every one between
is a story. A paragraph that would start with `#`, `>`, `_`, `\\` or what reads as a speaker mark is written with
a `\\` in front. Rendering a parsed file gives back the same bytes for any file this module rendered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import yaml

from briefing.errors import BriefingError
from briefing.feedspec.xmltext import unwritable_problem
from briefing.models import Chapter, Script, ScriptMeta, Source, SourceKind
from briefing.script.marks import split_mark, with_mark
from briefing.settings import ENGINE_NAMES
from briefing.userfile import read_user_text

FENCE = "---"
META_FIELDS = ("show", "episode", "title", "date", "slug", "guid", "source", "engine", "voice")
# Written only when set: the moment the episode may enter the feed, its season, its soundbite ("1:05-1:40").
SCHEDULE_FIELDS = ("publish_at", "season", "soundbite")
OPTIONAL_FIELDS = frozenset({"engine", "voice", *SCHEDULE_FIELDS})
_Value = TypeVar("_Value")  # a front matter field's value, as its check returns it
SOURCE_LABELS: dict[SourceKind, str] = {"source": "출처", "thumbnail": "썸네일 출처"}
_KIND_OF_LABEL = {label: kind for kind, label in SOURCE_LABELS.items()}
_SOURCE_LINE = re.compile(r"^>\s*(?P<label>썸네일\s*출처|출처)\s*:\s*(?P<url>\S+)\s*$")
_HEADING = re.compile(r"^##(?:\s+(?P<title>.*?))?\s*$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NEEDS_ESCAPE = ("#", ">", "_", "\\")
SPOKEN_ONLY_MARK = "_"
_GUIDE = (
    "# A spoken script. Each '## ' heading is a chapter (the first is the opening, the last the closing);\n"
    "# blank lines separate paragraphs; '> 출처:' lines are sources and are never spoken;\n"
    "# a paragraph in _underscores_ is said but left out of the show notes (the lead-ins).\n"
    "# '**Name:**' before a paragraph gives it, and the next ones, to that presenter (from show.toml).\n"
    f"# engine ({' | '.join(ENGINE_NAMES)}) and voice: leave empty to use the show's settings.\n"
)


# ---- rendering -------------------------------------------------------------------------------------------


def render_script(script: Script) -> str:
    """The Markdown file for `script`."""
    parts = [render_front_matter(script.meta)]
    parts.extend(render_chapter_markdown(chapter) for chapter in script.chapters)
    return "\n".join(parts)


def render_front_matter(meta: ScriptMeta) -> str:
    lines = [_yaml_line(name, getattr(meta, name)) for name in META_FIELDS]
    lines += [_yaml_line(name, _schedule_text(meta, name)) for name in SCHEDULE_FIELDS if getattr(meta, name)]
    return f"{FENCE}\n{_GUIDE}" + "".join(lines) + f"{FENCE}\n"


def render_chapter_markdown(chapter: Chapter) -> str:
    blocks = [f"## {chapter.title}"]
    marks = chapter.marks or (None,) * len(chapter.paragraphs)
    blocks.extend(
        with_mark(mark, _said_only(text) if index in chapter.spoken_only else _escape(text))
        for index, (mark, text) in enumerate(zip(marks, chapter.paragraphs, strict=True))
    )
    if chapter.sources:
        blocks.append("\n".join(f"> {SOURCE_LABELS[source.kind]}: {source.url}" for source in chapter.sources))
    return "\n\n".join(blocks) + "\n"


def _yaml_line(name: str, value: object) -> str:
    if value is None:
        return f"{name}:\n"
    return yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=1_000_000)


def _said_only(paragraph: str) -> str:
    """A paragraph said but left out of the show notes, as the file writes it: `_먼저 첫 번째 소식입니다._`."""
    return f"{SPOKEN_ONLY_MARK}{paragraph}{SPOKEN_ONLY_MARK}"


def _schedule_text(meta: ScriptMeta, name: str) -> object:
    if name == "soundbite" and meta.soundbite:
        return "-".join(clock_text(ms) for ms in meta.soundbite)
    if name == "publish_at" and meta.publish_at:
        return meta.publish_at.isoformat(sep=" ")
    return getattr(meta, name)


def clock_text(ms: int) -> str:
    """12345 → "0:12.345"; whole seconds without the fraction ("1:05")."""
    minutes, rest = divmod(ms, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{minutes}:{seconds:02d}" + (f".{millis:03d}".rstrip("0") if millis else "")


def _escape(paragraph: str) -> str:
    needs = paragraph.startswith(_NEEDS_ESCAPE) or split_mark(paragraph)[0] is not None
    return "\\" + paragraph if needs else paragraph


# ---- parsing ---------------------------------------------------------------------------------------------


def load_script(path: Path, presenters: Sequence[str] | None = None) -> Script:
    return parse_script(read_user_text(path, "script"), path, presenters)


def parse_script(text: str, path: Path, presenters: Sequence[str] | None = None) -> Script:
    """Parse a script file's text; a mistake is a BriefingError naming `path` and the line. With `presenters` (the
    show's names), a speaker mark naming anyone else is such a mistake too."""
    # Only line feeds end lines: str.splitlines would also split on characters a paragraph may contain.
    lines = [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]
    closing_fence = _closing_fence(lines, path)
    meta = _parse_meta(lines[1:closing_fence], path)
    chapters = _parse_chapters(lines, closing_fence + 1, path, presenters)
    return Script(meta=meta, chapters=chapters)


def _closing_fence(lines: list[str], path: Path) -> int:
    if not lines or lines[0].strip() != FENCE:
        raise BriefingError(f"a script starts with a '{FENCE}' line and its front matter", path, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return index
    raise BriefingError(f"the front matter has no closing '{FENCE}' line", path, 1)


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader with dates left as text: each field reads its own, so an impossible date (2017-02-30) is a
    sentence naming its line rather than an error inside the YAML library."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DATE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[Tt ].*)?$")


def _parse_meta(lines: list[str], path: Path) -> ScriptMeta:
    try:
        data = yaml.load("\n".join(lines), Loader=_FrontMatterLoader)  # noqa: S506 — a SafeLoader
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
        if name not in META_FIELDS and name not in SCHEDULE_FIELDS:
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
        publish_at=field("publish_at", _moment),
        season=field("season", _season),
        soundbite=field("soundbite", _time_range),
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
    # A front matter date, YYYY-MM-DD (a time after it is ignored), that is a day on the calendar.
    match = _DATE.match(str(value).strip()) if isinstance(value, str | int) else None
    if not match:
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError as error:  # e.g. "month must be in 1..12"
        raise ValueError(f"is {value!r}, which is no day on the calendar ({error})") from None


def _moment(value: object) -> dt.datetime | None:
    """A date and time, with or without its UTC offset (without one: the show's time zone); a date alone is the
    start of that day."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    try:
        return dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError("must be a date and time such as 2026-12-07 07:00 (or 2026-12-07 07:00+09:00)") from None


def _season(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number from 1 (the season)")
    return value


_CLOCK = re.compile(r"^(?:(?P<minutes>\d+):)?(?P<seconds>\d+(?:\.\d{1,3})?)$")


def _time_range(value: object) -> tuple[int, int] | None:
    """ "1:05-1:40" (minutes:seconds, or seconds alone) → (65000, 100000)."""
    if value is None or value == "":
        return None
    parts = [part.strip() for part in str(value).split("-")]
    matches = [_CLOCK.match(part) for part in parts]
    if len(parts) != 2 or not all(matches):
        raise ValueError("must be a time range in the episode such as 1:05-1:40 (minutes:seconds)")
    start, end = (round((int(m["minutes"] or 0) * 60 + float(m["seconds"])) * 1000) for m in matches if m is not None)
    if end <= start:
        raise ValueError("must end after it starts (e.g. 1:05-1:40)")
    return start, end


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be text (put it in quotes if it looks like a number)")
    if problem := unwritable_problem(value):
        raise ValueError(problem)
    return value


def _slug(value: object) -> str:
    slug = _text(value)
    if not SLUG.match(slug):
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
    """A chapter being read: its heading line, title, paragraphs (with their marks) and sources so far."""

    def __init__(self, line: int, title: str):
        self.line = line
        self.title = title
        self.paragraphs: list[str] = []
        self.marks: list[str | None] = []
        self.spoken_only: list[int] = []
        self.sources: list[Source] = []
        self.open_paragraph: list[str] = []
        self.pending_mark: tuple[str, int] | None = None  # a mark (and its line) waiting for its paragraph
        self.escaped = False  # the open paragraph began with a backslash: its underscores are its own

    def end_paragraph(self) -> None:
        if self.open_paragraph:
            text = " ".join(self.open_paragraph)
            if not self.escaped and is_spoken_only(text):
                self.spoken_only.append(len(self.paragraphs))
                text = text[len(SPOKEN_ONLY_MARK) : -len(SPOKEN_ONLY_MARK)].strip()
            self.paragraphs.append(text)
            self.marks.append(self.pending_mark[0] if self.pending_mark else None)
            self.open_paragraph = []
            self.pending_mark = None
            self.escaped = False

    def start_paragraph(self, line: str, number: int, path: Path, presenters: Sequence[str] | None) -> None:
        """The first line of a paragraph: a speaker mark at its start is taken off and kept for it."""
        if line.startswith("\\"):
            self.escaped = True
            self.open_paragraph.append(line[1:])
            return
        name, rest = split_mark(line)
        if name is not None:
            _check_speaker(name, presenters, path, number)
            self.expect_no_pending_mark(path)
            self.pending_mark = (name, number)
            line = rest.strip()
            if line.startswith("\\"):
                self.escaped = True
                line = line[1:]
        if line:
            self.open_paragraph.append(line)

    def expect_no_pending_mark(self, path: Path) -> None:
        if self.pending_mark is not None:
            name, line = self.pending_mark
            raise BriefingError(f"the speaker mark for {name} has no paragraph after it", path, line)


def _check_speaker(name: str, presenters: Sequence[str] | None, path: Path, line: int) -> None:
    if presenters is None or name in presenters:
        return
    if not presenters:
        raise BriefingError(f"a speaker mark names {name}, but show.toml has no [[presenters]]", path, line)
    raise BriefingError(
        f"the speaker mark names {name}, who is not a presenter (show.toml has {', '.join(presenters)})", path, line
    )


def _parse_chapters(lines: list[str], start: int, path: Path, presenters: Sequence[str] | None) -> tuple[Chapter, ...]:
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
                chapter.expect_no_pending_mark(path)
            if not heading["title"]:
                raise BriefingError("a '##' chapter heading needs a title after it", path, number)
            if problem := unwritable_problem(heading["title"]):
                raise BriefingError(f"the chapter title {problem}", path, number)
            chapters.append(_ChapterDraft(number, heading["title"]))
        elif chapter is None:
            raise BriefingError("text before the first '## ' chapter heading", path, number)
        elif line.startswith("#"):
            raise BriefingError(
                "only '## ' headings start a chapter (write '\\#' to begin a paragraph with '#')", path, number
            )
        elif line.startswith(">"):
            chapter.end_paragraph()
            chapter.expect_no_pending_mark(path)
            chapter.sources.append(_parse_source(line, path, number))
        elif chapter.open_paragraph:
            chapter.open_paragraph.append(line)
        else:
            chapter.start_paragraph(line, number, path, presenters)
    if chapters:
        chapters[-1].end_paragraph()
        chapters[-1].expect_no_pending_mark(path)
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
            spoken_only=tuple(chapter.spoken_only),
            marks=tuple(chapter.marks) if any(chapter.marks) else (),
        )
        for position, chapter in enumerate(chapters)
    )


def is_spoken_only(paragraph: str) -> bool:
    """Whether a paragraph as written is marked said-only: wrapped in one pair of underscores, `_…_`."""
    mark = SPOKEN_ONLY_MARK
    inner = paragraph[len(mark) : -len(mark)]
    return paragraph.startswith(mark) and paragraph.endswith(mark) and bool(inner.strip()) and mark not in inner


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
