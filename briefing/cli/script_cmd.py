"""`briefing script` (issue → scripts/<slug>.md) and `briefing init` (a new show workspace)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from briefing.cli import app, console, err_console
from briefing.errors import BriefingError
from briefing.settings import find_workspace


@app.command("script")
def script_command(
    issue: Path = typer.Argument(..., help="The newsletter issue (.txt, .md or .html), anywhere on disk."),
    encoding: str | None = typer.Option(None, "--encoding", help="Force the issue's text encoding (e.g. cp949)."),
    date: dt.datetime | None = typer.Option(None, "--date", formats=["%Y-%m-%d"], help="Episode date, YYYY-MM-DD."),
    force: bool = typer.Option(False, "--force", help="Replace a hand-edited script (the old one is kept as .bak)."),
    workspace: Path | None = typer.Option(None, "--workspace", help="The show folder (default: found from here)."),
) -> None:
    """Turn a newsletter issue into the spoken script scripts/<slug>.md."""
    # Imported when the command runs: loading these stages costs a second that other commands need not pay.
    from briefing.ingest import read_issue
    from briefing.script import make_script, write_script

    show = find_workspace(workspace)
    with err_console.status(f"reading {issue}"):  # shown on a terminal only; the analyser takes a few seconds
        parsed = read_issue(issue, encoding=encoding, date=date.date() if date else None)
    try:
        result = write_script(show, make_script(parsed, show), force=force)
    except BriefingError as error:
        raise BriefingError(error.message, _shown(error.path) if error.path else None, error.line) from None
    sections = result.script.sections
    stories = sum(1 for section in sections if section.kind == "story")
    characters = sum(len(paragraph) for section in sections for paragraph in section.paragraphs)
    verb = {"created": "wrote", "unchanged": "unchanged", "replaced": "replaced"}[result.status]
    backup = f"; the old one is kept as {_shown(result.backup)}" if result.backup else ""
    console.print(
        f"{verb} {_shown(result.path)}: {len(sections)} sections, {stories} stories, {characters:,} characters{backup}",
        soft_wrap=True,
    )


@app.command("init")
def init_command(
    folder: Path = typer.Argument(..., help="The new show's folder (created if missing)."),
) -> None:
    """Make a new show workspace: show.toml, issues/, scripts/, audio/, feed/, templates/, lexicon.toml."""
    from briefing.init import init_workspace

    made = init_workspace(folder)
    console.print(
        f"made a new show in {_shown(made.root)}: edit {_shown(made.root / 'show.toml')} first", soft_wrap=True
    )


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
