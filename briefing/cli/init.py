"""`briefing init DIR`: a new show workspace with a commented show.toml."""

from __future__ import annotations

from pathlib import Path

import typer

from briefing.cli.output import console, shown


def init(
    folder: Path = typer.Argument(..., readable=False, help="The new show's folder (created if missing)."),
) -> None:
    """Make a new show workspace: show.toml, issues/, scripts/, audio/, feed/, templates/, lexicon.toml."""
    from briefing.init import init_workspace

    made = init_workspace(folder)
    console.print(f"made a new show in {shown(made.root)}: edit {shown(made.root / 'show.toml')} first", soft_wrap=True)
