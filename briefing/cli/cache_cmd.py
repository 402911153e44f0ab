"""`briefing cache size` and `briefing cache clear`: the workspace's cache of synthesised speech clips."""

from __future__ import annotations

from pathlib import Path

import typer

from briefing.cli import app, console
from briefing.settings import find_workspace
from briefing.speech.cache import ClipCache

cache_app = typer.Typer(
    help="The cache of synthesised speech (.cache/speech/): its size, or clear it.", no_args_is_help=True
)
app.add_typer(cache_app, name="cache")

WORKSPACE_OPTION = typer.Option(None, "--workspace", help="The show folder (default: found from here).")


def describe(clips: int, size: int) -> str:
    return f"{clips:,} clip{'' if clips == 1 else 's'}, {size / 1_000_000:.1f} MB"


@cache_app.command("size")
def size_command(workspace: Path | None = WORKSPACE_OPTION) -> None:
    """How many speech clips are cached and how much disk they take."""
    cache = ClipCache.of(find_workspace(workspace))
    console.print(f"{describe(*cache.size())} in {cache.folder}", soft_wrap=True)


@cache_app.command("clear")
def clear_command(workspace: Path | None = WORKSPACE_OPTION) -> None:
    """Remove every cached speech clip (the next build synthesises everything again)."""
    cache = ClipCache.of(find_workspace(workspace))
    console.print(f"removed {describe(*cache.clear())} from {cache.folder}", soft_wrap=True)
