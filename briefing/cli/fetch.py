"""`briefing fetch [URL]`: the newsletter's new issues, from its feed into issues/."""

from __future__ import annotations

import typer
from rich.markup import escape

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console, err_console, shown
from briefing.settings import find_workspace


def fetch(
    url: str | None = typer.Argument(None, help="The newsletter's RSS or Atom feed (default: [source] feed)."),
    workspace: WorkspaceOption = None,
) -> None:
    """Save the newsletter's new issues into issues/, as received, named by date and number."""
    from briefing.fetch import fetch_issues

    show = find_workspace(workspace)
    with console.status("fetching"):
        result = fetch_issues(show, url)
    print_fetch(result)


def print_fetch(result: object) -> None:
    """What a fetch found: each saved issue, each changed one (kept as first saved), each item without content."""
    from briefing.fetch import FetchResult

    assert isinstance(result, FetchResult)
    for sentence in result.empty:
        err_console.print(f"[yellow]warning:[/] {escape(sentence)}", soft_wrap=True)
    for changed in result.changed:
        err_console.print(
            f"[yellow]changed:[/] '{escape(changed.title)}' differs from {escape(changed.file)} as first fetched; "
            "the saved issue is kept (edit it, or delete it and its line in fetched.json to fetch it again)",
            soft_wrap=True,
        )
    for path in result.saved:
        console.print(f"new issue: {escape(shown(path))}", soft_wrap=True)
    if result.not_modified:
        console.print(f"{escape(result.feed_url)}: not modified since the last fetch", soft_wrap=True)
    else:
        console.print(f"{len(result.saved)} new issue(s), {result.known} already fetched", soft_wrap=True)
