"""`briefing cache size` and `briefing cache clear`: the workspace's caches of synthesised speech clips
(`.cache/speech/`) and encoded MP3 segments (`.cache/mp3/`)."""

from __future__ import annotations

import typer

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console
from briefing.filestore import FileStore
from briefing.settings import Workspace, find_workspace

app = typer.Typer(
    help="The caches of synthesised speech (.cache/speech/) and encoded MP3 segments (.cache/mp3/): their size, "
    "or clear them.",
    no_args_is_help=True,
)


def describe(count: int, size: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}, {size / 1_000_000:.1f} MB"


def caches(workspace: Workspace) -> list[tuple[FileStore, str]]:
    from briefing.mix.segments import SegmentCache
    from briefing.speech.cache import ClipCache

    return [(ClipCache.of(workspace), "clip"), (SegmentCache.of(workspace), "MP3 segment")]


@app.command("size")
def size(workspace: WorkspaceOption = None) -> None:
    """How many speech clips and MP3 segments are cached and how much disk they take."""
    for cache, noun in caches(find_workspace(workspace)):
        console.print(f"{describe(*cache.size(), noun)} in {cache.folder}", soft_wrap=True, markup=False)


@app.command("clear")
def clear(workspace: WorkspaceOption = None) -> None:
    """Remove every cached speech clip and MP3 segment (the next build synthesises and encodes everything again)."""
    for cache, noun in caches(find_workspace(workspace)):
        console.print(f"removed {describe(*cache.clear(), noun)} from {cache.folder}", soft_wrap=True, markup=False)
