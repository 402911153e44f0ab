"""`briefing validate [FEED | URL]`: the checks podcast directories make, as findings with a rule, place and fix."""

from __future__ import annotations

import typer

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console
from briefing.settings import find_workspace


def validate(
    source: str | None = typer.Argument(None, help="A feed file or http(s) URL (default: the show's feed/feed.xml)."),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    timeout: float = typer.Option(
        10.0,
        "--timeout",
        min=0.1,
        help="Seconds for the feed's whole answer, and for all the files it names (fetched at once).",
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """Check a podcast feed the way podcast directories do: exit 1 on any error (--strict: on any finding), 2 when
    the feed cannot be read."""
    from briefing.validate import validate_feed
    from briefing.validate.report import print_report, report_json

    target = source if source is not None else str(find_workspace(workspace).feed_dir / "feed.xml")
    report = validate_feed(target, timeout=timeout)
    if as_json:
        typer.echo(report_json(report))
    else:
        print_report(report, console)
    raise typer.Exit(report.exit_code(strict))
