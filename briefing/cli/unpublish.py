"""`briefing unpublish SLUG`: one episode withdrawn from the feed, which is published again without it."""

from __future__ import annotations

import typer

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console
from briefing.settings import find_workspace


def unpublish(
    slug: str = typer.Argument(..., help="The episode's slug, e.g. asia-tech-brief-001."),
    workspace: WorkspaceOption = None,
) -> None:
    """Withdraw one episode from the feed (its built files stay; the ledger published.json records it)."""
    from briefing.release import unpublish

    result = unpublish(find_workspace(workspace), slug)
    console.print(f"withdrew {slug}; the feed lists {len(result.episodes)} episode(s)", soft_wrap=True, markup=False)
