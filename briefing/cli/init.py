"""`briefing init [DIR] [--ci github|gitlab]`: a new show workspace with a commented show.toml, its details given as
options or, on a terminal, asked for; and its CI workflow."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from briefing.cli.output import console, shown

if TYPE_CHECKING:  # the show-making code is imported when init runs
    from briefing.init import ShowDetails


def init(
    folder: Path = typer.Argument(
        Path("."), readable=False, help="The show's folder (created if missing; default: here)."
    ),
    title: str | None = typer.Option(None, "--title", help="The podcast's name (default: the folder's name)."),
    author: str | None = typer.Option(None, "--author", help="Shown as the podcast's author and owner."),
    description: str | None = typer.Option(None, "--description", help="The podcast in a sentence or two."),
    language: str = typer.Option(
        "ko", "--language", help="The episodes' language: ko (Korean) is what briefing speaks."
    ),
    base_url: str | None = typer.Option(
        None, "--base-url", help="Where feed/ will be published, e.g. https://podcast.example.org/morning/."
    ),
    email: str | None = typer.Option(None, "--email", help="Where podcast directories reach the show's owner."),
    ci: str | None = typer.Option(
        None, "--ci", help="Also write a CI workflow that runs the show unattended: github | gitlab."
    ),
    deploy: str = typer.Option("pages", "--deploy", help="Where the CI workflow deploys: pages | s3 ([deploy])."),
) -> None:
    """Make a new show workspace: show.toml, issues/, scripts/, audio/, feed/, templates/, lexicon.toml; with --ci,
    a workflow for a new or an existing show.

    Details not given as options are asked for when run in a terminal; elsewhere they are left as placeholders
    in show.toml, which 'briefing validate' warns about until they are replaced."""
    from briefing.init import ShowDetails, ci_workflow, init_ci
    from briefing.settings import SHOW_FILE

    if ci is not None:
        ci_workflow(ci, deploy)  # a wrong --ci or --deploy is refused before anything is made
    if not (ci is not None and (folder / SHOW_FILE).is_file()):
        details = ShowDetails(
            title=title, author=author, description=description, language=language, base_url=base_url, email=email
        )
        make_show(folder, details)
    if ci is not None:
        workflow = init_ci(folder, ci, deploy)
        console.print(
            f"wrote {shown(workflow)}: the show runs itself (see its first lines)", soft_wrap=True, markup=False
        )


def make_show(folder: Path, details: ShowDetails) -> None:
    """Make the show's workspace with `details` (asked for on a terminal) and say which placeholders are left."""
    from briefing.init import init_workspace

    if sys.stdin.isatty() and sys.stdout.isatty():
        details = _ask(details, folder.resolve().name)
    made = init_workspace(folder, details)
    console.print(f"made a new show in {shown(made.root)}", soft_wrap=True, markup=False)
    left = _placeholders(details)
    if left:
        console.print(
            f"placeholders left in {shown(made.root / 'show.toml')}: {', '.join(left)}; replace them before "
            "publishing ('briefing validate' warns while they are there)",
            soft_wrap=True,
            markup=False,
        )


def _ask(details: ShowDetails, folder_name: str) -> ShowDetails:
    """The details with each one not given asked for; an answer show.toml would refuse is asked for again."""
    from dataclasses import replace

    from briefing.init import ShowDetails

    title = details.title or typer.prompt("The podcast's name", default=folder_name)
    author = details.author or typer.prompt("Its author (shown in podcast apps)", default=title)
    description = details.description or typer.prompt("The podcast in a sentence or two (in Korean)")
    base_url = details.base_url or typer.prompt(
        "Where feed/ will be published (the feed's address without feed.xml)",
        default=ShowDetails(title=title).filled(folder_name).base_url,
        value_proc=_checked("base_url"),
    )
    email = details.email or typer.prompt(
        "The owner's e-mail (podcast directories write to it)",
        default=ShowDetails().filled(folder_name).email,
        value_proc=_checked("email"),
    )
    return replace(details, title=title, author=author, description=description, base_url=base_url, email=email)


def _checked(field: str) -> Callable[[str], str]:
    """A prompt's check: the answer as show.toml would take it, or the prompt asks again with the reason."""
    from briefing.errors import BriefingError
    from briefing.init import ShowDetails, check_show_toml, show_toml

    def check(answer: str) -> str:
        answer = answer.strip()
        try:
            check_show_toml(show_toml(ShowDetails(title="x", **{field: answer}).filled("x")))
        except BriefingError as error:
            raise typer.BadParameter(error.message.split(": ", 1)[-1]) from None
        return answer

    return check


def _placeholders(details: ShowDetails) -> list[str]:
    names = {"title": "title", "description": "description", "base_url": "base_url", "email": "[owner] email"}
    return [label for field, label in names.items() if getattr(details, field) is None]
