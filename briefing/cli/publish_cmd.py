"""`briefing publish`, `unpublish`, `validate` and `run` (script → build → publish → validate in one go)."""

from __future__ import annotations

from pathlib import Path

import typer

from briefing.cli import app, console
from briefing.settings import find_workspace


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@app.command("publish")
def publish_command(
    workspace: Path | None = typer.Option(None, "--workspace", help="The show folder (default: found from here)."),
) -> None:
    """Write the static site feed/ (feed.xml, MP3s, chapters, transcripts, cover) from every built episode."""
    from briefing.publish import publish

    show = find_workspace(workspace)
    with console.status("publishing") as status:
        result = publish(show, progress=lambda message: status.update(f"publishing {message}"))
    withdrawn = f" ({len(result.withdrawn)} withdrawn)" if result.withdrawn else ""
    console.print(f"published {len(result.episodes)} episode(s){withdrawn} to {_shown(result.feed_path)}", soft_wrap=True)


@app.command("unpublish")
def unpublish_command(
    slug: str = typer.Argument(..., help="The episode's slug, e.g. asia-tech-brief-001."),
    workspace: Path | None = typer.Option(None, "--workspace", help="The show folder (default: found from here)."),
) -> None:
    """Withdraw one episode from the feed (its built files stay; the ledger published.json records it)."""
    from briefing.publish import unpublish

    result = unpublish(find_workspace(workspace), slug)
    console.print(f"withdrew {slug}; the feed lists {len(result.episodes)} episode(s)", soft_wrap=True)


@app.command("validate")
def validate_command(
    source: str | None = typer.Argument(None, help="A feed file or http(s) URL (default: the show's feed/feed.xml)."),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds to wait for each download."),
) -> None:
    """Check a podcast feed the way podcast directories do; exit 1 on any error (--strict: any finding)."""
    from briefing.validate import validate_feed
    from briefing.validate.report import print_report, report_json

    target = source if source is not None else str(find_workspace().feed_dir / "feed.xml")
    report = validate_feed(target, timeout=timeout)
    if as_json:
        typer.echo(report_json(report))
    else:
        print_report(report, console)
    raise typer.Exit(report.exit_code(strict))
