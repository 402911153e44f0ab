"""The Jinja2 templates that word the script: shipped in this package, overridable per show.

A show overrides a template by putting a file of the same name in its template folder (`templates` in show.toml).
Each template renders one chapter: its output is the spoken text (paragraphs separated by blank lines, a speaker
mark `**Name:**` in front of a paragraph where a presenter takes over) and it sets the chapter title with
`{% set title = ... %}`. Filters: `native` (10 → 열) and `ordinal` (1 → 첫 번째).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.environment import TemplateModule

from briefing.errors import BriefingError
from briefing.models import Issue, Source, Story
from briefing.script.korean import native_count, ordinal
from briefing.script.marks import split_mark
from briefing.script.scriptfile import SPOKEN_ONLY_MARK, is_spoken_only
from briefing.settings import Audio, Category, Music, Owner, Presenter, ShowSettings, Speech
from briefing.userfile import read_user_text

SHIPPED_TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAMES = ("opening.j2", "story.j2", "closing.j2")


# What a template calls each value it is given, so a mistake names it as the template does (`show`), not by the
# class behind it (`briefing.settings.ShowSettings`).
_TEMPLATE_NAMES: dict[type, str] = {
    ShowSettings: "show", Owner: "show.owner", Category: "show.category", Speech: "show.speech",
    Music: "show.music", Audio: "show.audio", Presenter: "presenter", Issue: "issue", Story: "story",
    Source: "source",
}  # fmt: skip


class _NamedUndefined(jinja2.StrictUndefined):
    """Strict undefined values whose message names the template's variable and, for a misspelt field, the
    closest real one: "show has no field 'titel' (did you mean 'title'?)"."""

    @property
    def _undefined_message(self) -> str:
        owner, name = self._undefined_obj, self._undefined_name
        if owner is jinja2.utils.missing:
            return (
                f"'{name}' is not a variable of the script templates (they have show, issue, stories, presenters "
                "and next_time, and story.j2 also story, number and count)"
            )
        fields = _field_names(owner)
        if not fields or not isinstance(name, str):
            return super()._undefined_message
        label = _TEMPLATE_NAMES.get(type(owner), type(owner).__name__)
        close = difflib.get_close_matches(name, fields, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"its fields: {', '.join(fields)}"
        return f"{label} has no field '{name}' ({hint})"


def _field_names(value: object) -> list[str]:
    if isinstance(value, ShowSettings | Owner | Category | Speech | Music | Audio | Presenter):
        return list(type(value).model_fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [field.name for field in dataclasses.fields(value)]
    return []


@dataclass(frozen=True)
class Rendered:
    """What one chapter template produced."""

    title: str
    paragraphs: tuple[str, ...]
    spoken_only: tuple[int, ...] = ()  # paragraphs the template wrote in _underscores_: said, not in the notes
    marks: tuple[str | None, ...] = ()  # as in `Chapter.marks`


class ShowTemplates(jinja2.BaseLoader):
    """The show's own templates, read like every file a user names: a regular file of UTF-8 text, or one sentence."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        if not (path.exists() or path.is_symlink()):
            raise jinja2.TemplateNotFound(template)
        return read_user_text(path, "template"), str(path), lambda: True


def template_environment(show_templates: Path) -> jinja2.Environment:
    """Templates from the show's folder first, then the shipped ones; undefined values are errors."""
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader([ShowTemplates(show_templates), jinja2.FileSystemLoader(SHIPPED_TEMPLATES)]),
        undefined=_NamedUndefined,
        autoescape=False,  # the output is Markdown text, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["native"] = native_count
    environment.filters["ordinal"] = ordinal
    return environment


def render_chapter(environment: jinja2.Environment, name: str, context: dict[str, Any]) -> Rendered:
    """Render template `name`; any template mistake is a BriefingError naming the template file and line."""
    try:
        template = environment.get_template(name)
        module = _make_module(template, context)
    except BriefingError:  # the show's template file itself cannot be read
        raise
    except jinja2.TemplateSyntaxError as error:
        raise BriefingError(f"template error: {error.message}", error.filename or name, error.lineno) from None
    except jinja2.TemplateNotFound:
        raise BriefingError("template not found", name) from None
    except Exception as error:  # noqa: BLE001 — any failure inside a template is the template's mistake
        filename, line = _template_frame(error, name)
        raise BriefingError(f"template error: {_describe(error)}", filename, line) from None
    title = getattr(module, "title", None)
    if not isinstance(title, str) or not one_line(title):
        raise BriefingError('template does not set the chapter title ({% set title = "..." %})', template.filename)
    written, marks = marked_paragraphs(split_paragraphs(str(module)))
    if not written:
        raise BriefingError("template produced no spoken text for its chapter", template.filename)
    spoken_only = tuple(index for index, paragraph in enumerate(written) if is_spoken_only(paragraph))
    paragraphs = tuple(
        paragraph[len(SPOKEN_ONLY_MARK) : -len(SPOKEN_ONLY_MARK)].strip() if index in spoken_only else paragraph
        for index, paragraph in enumerate(written)
    )
    return Rendered(
        title=one_line(title), paragraphs=paragraphs, spoken_only=spoken_only, marks=marks if any(marks) else ()
    )


def marked_paragraphs(blocks: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """Paragraphs without their speaker marks, and the marks; a mark alone counts for the paragraph after it."""
    paragraphs: list[str] = []
    marks: list[str | None] = []
    pending: str | None = None
    for block in blocks:
        name, text = split_mark(block)
        pending = name or pending
        if text.strip():
            paragraphs.append(text.strip())
            marks.append(pending)
            pending = None
    return tuple(paragraphs), tuple(marks)


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Blank lines separate paragraphs; lines within one paragraph join with a space."""
    return tuple(one_line(block) for block in re.split(r"\n\s*\n", text) if block.strip())


def one_line(text: str) -> str:
    return " ".join(text.split())


def _make_module(template: jinja2.Template, context: dict[str, Any]) -> TemplateModule:
    try:
        return template.make_module(context)
    except Exception:  # noqa: BLE001
        # make_module does not map the traceback to template lines; this re-raises it with them.
        template.environment.handle_exception()


def _template_frame(error: BaseException, fallback: str) -> tuple[str, int | None]:
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if not frame.filename.endswith(".py")]
    frames = [frame for frame in frames if Path(frame.filename).is_file()]
    if not frames:
        return fallback, None
    return frames[-1].filename, frames[-1].lineno


def _describe(error: BaseException) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return str(error.message)
    return f"{type(error).__name__}: {error}"


@dataclass(frozen=True)
class CopiedTemplate:
    """One shipped template put into the show's folder: where, and whether it was copied, kept or replaced."""

    path: Path
    status: str  # "copied", "kept" (the show's own was left as it is) or "replaced" (the old one kept as .bak)
    backup: Path | None = None


def copy_shipped_templates(folder: Path, names: Sequence[str] = (), *, force: bool = False) -> list[CopiedTemplate]:
    """Copy the shipped templates `names` (default: all) into the show's template folder to edit there. A template
    the show already has is kept unless `force`, and then backed up as `<name>.<UTC time>.bak` first."""
    from briefing.fsutil import atomic_write_bytes
    from briefing.script.store import backup_path

    unknown = [name for name in names if name not in TEMPLATE_NAMES]
    if unknown:
        raise BriefingError(f"no shipped template '{unknown[0]}' (there are {', '.join(TEMPLATE_NAMES)})")
    copied = []
    for name in names or TEMPLATE_NAMES:
        target = folder / name
        shipped = (SHIPPED_TEMPLATES / name).read_bytes()
        if target.exists() and not force:
            copied.append(CopiedTemplate(target, "kept"))
            continue
        backup = None
        if target.exists() and target.read_bytes() != shipped:
            backup = backup_path(target, dt.datetime.now(dt.UTC))
            atomic_write_bytes(backup, target.read_bytes())
        atomic_write_bytes(target, shipped)
        copied.append(CopiedTemplate(target, "replaced" if backup else "copied", backup))
    return copied
