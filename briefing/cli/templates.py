"""`briefing templates copy [NAME…]`: the shipped script templates put into the show's templates/ folder to edit."""

from __future__ import annotations

import typer

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console, shown
from briefing.settings import find_workspace

app = typer.Typer(
    help="The script templates that word the opening, each story's lead-in and the closing.", no_args_is_help=True
)


@app.command("copy")
def copy(
    names: list[str] = typer.Argument(None, help="opening.j2, story.j2 or closing.j2 (default: all three)."),
    force: bool = typer.Option(False, "--force", help="Replace the show's own copy (the old one is kept as .bak)."),
    workspace: WorkspaceOption = None,
) -> None:
    """Copy the shipped templates into the show's templates folder, where 'briefing script' uses them instead."""
    from briefing.script.templating import copy_shipped_templates

    show = find_workspace(workspace)
    folder = show.path(show.settings.templates)
    for copied in copy_shipped_templates(folder, names or (), force=force):
        note = {
            "copied": "copied: edit it; scripts made from now on are worded by it",
            "kept": "kept: the show already has its own (--force replaces it)",
            "replaced": f"replaced; the old one is kept as {shown(copied.backup) if copied.backup else ''}",
        }[copied.status]
        console.print(f"{shown(copied.path)} {note}", soft_wrap=True, markup=False)
