"""`Issue` → `Script`: the show's templates word the opening, each story's lead-in and the closing."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from briefing.models import Chapter, ChapterKind, Issue, Script, ScriptMeta, Source
from briefing.script.identity import episode_guid, episode_slug
from briefing.script.templating import render_chapter, template_environment
from briefing.settings import Workspace


def make_script(issue: Issue, workspace: Workspace) -> Script:
    """The script the show's templates make of `issue` (a new GUID-bearing front matter included)."""
    environment = template_environment(workspace.path(workspace.settings.templates))
    presenters = [presenter.name for presenter in workspace.settings.presenters]
    common = {"show": workspace.settings, "issue": issue, "stories": issue.stories, "presenters": presenters}
    count = len(issue.stories)

    def chapter(kind: ChapterKind, template: str, sources: Iterable[Source] = (), **context: object) -> Chapter:
        rendered = render_chapter(environment, template, {**common, **context})
        return Chapter(kind, rendered.title, rendered.paragraphs, tuple(sources), marks=rendered.marks)

    chapters = (
        chapter("opening", "opening.j2"),
        *(
            chapter("story", "story.j2", story.sources, story=story, number=number, count=count)
            for number, story in enumerate(issue.stories, start=1)
        ),
        chapter("closing", "closing.j2"),
    )
    slug = episode_slug(issue.show, issue.number, issue.path)
    meta = ScriptMeta(
        show=issue.show,
        episode=issue.number,
        title=issue.title,
        date=issue.date,
        slug=slug,
        guid=episode_guid(workspace.feed_url, slug),
        source=source_reference(issue.path, workspace.root),
    )
    return Script(meta=meta, chapters=chapters)


def source_reference(issue_path: Path, root: Path) -> str:
    """The issue's path relative to the workspace (`issues/x.txt`, `../seeds/x.txt`), so it reads the same anywhere."""
    absolute = issue_path.resolve()
    try:
        return Path(os.path.relpath(absolute, root.resolve())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return absolute.as_posix()
