"""`briefing script ISSUE`: a newsletter issue → its spoken script scripts/<slug>.md (never over a producer's edits)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.markup import escape

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console, err_console, shown
from briefing.errors import BriefingError
from briefing.settings import find_workspace


def script(
    issue: Path = typer.Argument(
        ..., readable=False, help="The newsletter issue (.txt, .md or .html), anywhere on disk."
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="Force the issue's text encoding (e.g. cp949)."),
    date: dt.datetime | None = typer.Option(None, "--date", formats=["%Y-%m-%d"], help="Episode date, YYYY-MM-DD."),
    force: bool = typer.Option(False, "--force", help="Replace a hand-edited script (the old one is kept as .bak)."),
    slug: str | None = typer.Option(
        None, "--slug", help="The episode's slug: its file names and URLs (default: show name and number, e.g. x-007)."
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """Turn a newsletter issue into the spoken script scripts/<slug>.md."""
    # Imported when the command runs: loading these stages costs a second that other commands need not pay.
    from briefing.ingest import read_issue
    from briefing.script import make_script, write_script
    from briefing.script.numbering import number_issue

    show = find_workspace(workspace)
    with err_console.status(
        f"reading {escape(str(issue))}"
    ):  # shown on a terminal only; the analyser takes a few seconds
        parsed = read_issue(issue, encoding=encoding, date=date.date() if date else None)
    numbered = number_issue(parsed, show)
    try:
        result = write_script(show, make_script(numbered.issue, show, slug=slug), force=force)
    except BriefingError as error:
        raise BriefingError(error.message, shown(error.path) if error.path else None, error.line) from None
    chapters = result.script.chapters
    stories = sum(1 for chapter in chapters if chapter.kind == "story")
    characters = sum(len(paragraph) for chapter in chapters for paragraph in chapter.paragraphs)
    verb = {"created": "wrote", "unchanged": "unchanged", "replaced": "replaced"}[result.status]
    backup = f"; the old one is kept as {shown(result.backup)}" if result.backup else ""
    console.print(
        f"{verb} {shown(result.path)}: {len(chapters)} chapters, {stories} stories, {characters:,} characters{backup}",
        soft_wrap=True,
    )
    if numbered.note:
        console.print(f"{result.script.meta.slug}: {numbered.note}", soft_wrap=True)
