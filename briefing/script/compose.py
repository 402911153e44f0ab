"""`Issue` → `Script`: the show's templates word the opening, each story's lead-in and the closing."""

from __future__ import annotations

from collections.abc import Iterable

from briefing.errors import BriefingError
from briefing.models import Chapter, ChapterKind, Issue, Script, ScriptMeta, Source
from briefing.script.identity import episode_guid, episode_slug
from briefing.script.korean import next_time
from briefing.script.numbering import number_issue, source_reference
from briefing.script.scriptfile import SLUG
from briefing.script.templating import render_chapter, template_environment
from briefing.settings import Workspace


def make_script(issue: Issue, workspace: Workspace, *, slug: str | None = None) -> Script:
    """The script the show's templates make of `issue` (a new GUID-bearing front matter included).

    An issue without an episode number is numbered first (see `number_issue`); `slug` replaces the one made from
    the show's name and the number.
    """
    if slug is not None and not SLUG.match(slug):
        raise BriefingError(f"slug '{slug}' must be lower-case ASCII letters, digits and hyphens (e.g. weekly-007)")
    issue = number_issue(issue, workspace).issue
    assert issue.number is not None
    environment = template_environment(workspace.path(workspace.settings.templates))
    presenters = [presenter.name for presenter in workspace.settings.presenters]
    common = {
        "show": workspace.settings,
        "issue": issue,
        "stories": issue.stories,
        "presenters": presenters,
        "next_time": next_time(workspace.settings.cadence, issue.date),
    }
    count = len(issue.stories)

    def chapter(kind: ChapterKind, template: str, sources: Iterable[Source] = (), **context: object) -> Chapter:
        rendered = render_chapter(environment, template, {**common, **context})
        return Chapter(
            kind,
            rendered.title,
            rendered.paragraphs,
            tuple(sources),
            spoken_only=rendered.spoken_only,
            marks=rendered.marks,
        )

    chapters = (
        chapter("opening", "opening.j2"),
        *(
            chapter("story", "story.j2", story.sources, story=story, number=number, count=count)
            for number, story in enumerate(issue.stories, start=1)
        ),
        chapter("closing", "closing.j2"),
    )
    slug = slug or episode_slug(issue.show, issue.number, issue.path)
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
