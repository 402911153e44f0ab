"""The options several commands share, declared once: `--workspace` (every command that works on a show) and
`--engine` (build and run); and the command classes that show every flag in help without a value.

File arguments are declared `readable=False`: the command's own reader says in one sentence why a file cannot be
read (click would print a usage box instead)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from briefing.errors import BriefingError
from briefing.settings import ENGINE_NAMES, SHOW_FILE, Workspace, find_workspace, unknown_engine


def _flags_without_value(params: list[Any]) -> list[Any]:
    # Typer's help gives every option a type column, so a flag read "--force <bool>" and invited "--force true"
    # (which then took "true" for a file). A flag takes no value: its type column stays empty.
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class Command(TyperCommand):
    """A command whose help shows flags as flags (`--force`, never `--force <bool>`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_without_value(super().get_params(ctx))


class Group(TyperGroup):
    """A group of commands whose help shows flags as flags, like `Command`."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_without_value(super().get_params(ctx))


def _known_engine(name: str | None) -> str | None:
    if name is not None and name not in ENGINE_NAMES:
        raise BriefingError(unknown_engine(name))
    return name


WorkspaceOption = Annotated[
    Path | None, typer.Option("--workspace", help="The show folder (default: found from here).")
]
EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help=f"Speech engine: {' | '.join(ENGINE_NAMES)} (default: the script's, else the show's).",
        callback=_known_engine,
    ),
]


def workspace_if_any(start: Path | None) -> Workspace | None:
    """The show folder we are in, or None outside any (for commands that also work without a show); a show whose
    show.toml is broken is still an error, and so is a --workspace that is none."""
    try:
        return find_workspace(start)
    except BriefingError as error:
        if start is not None or (error.path is not None and error.path.name == SHOW_FILE):
            raise
        return None
