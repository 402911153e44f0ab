"""`briefing init [DIR] [--ci github|gitlab]`: a new show workspace with a commented show.toml, and its CI workflow."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from briefing.cli.output import console, shown


def init(
    folder: Path = typer.Argument(
        Path("."), readable=False, help="The show's folder (created if missing; default: here)."
    ),
    ci: str | None = typer.Option(
        None, "--ci", help="Also write a CI workflow that runs the show unattended: github | gitlab."
    ),
    deploy: str = typer.Option("pages", "--deploy", help="Where the CI workflow deploys: pages | s3 ([deploy])."),
) -> None:
    """Make a new show workspace (show.toml, issues/, scripts/, audio/, feed/, templates/, lexicon.toml); with --ci,
    a workflow for a new or an existing show."""
    from briefing.init import ci_workflow, init_ci, init_workspace
    from briefing.settings import SHOW_FILE

    if ci is not None:
        ci_workflow(ci, deploy)  # a wrong --ci or --deploy is refused before anything is made
    if not (ci is not None and (folder / SHOW_FILE).is_file()):
        made = init_workspace(folder)
        console.print(
            f"made a new show in {escape(shown(made.root))}: edit {escape(shown(made.root / SHOW_FILE))} first",
            soft_wrap=True,
        )
    if ci is not None:
        workflow = init_ci(folder, ci, deploy)
        console.print(f"wrote {escape(shown(workflow))}: the show runs itself (see its first lines)", soft_wrap=True)
