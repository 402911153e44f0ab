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
    from briefing.release import publish

    show = find_workspace(workspace)
    with console.status("publishing") as status:
        result = publish(show, progress=lambda step, done, total: status.update(f"publishing {step} {done}/{total}"))
    withdrawn = f" ({len(result.withdrawn)} withdrawn)" if result.withdrawn else ""
    console.print(
        f"published {len(result.episodes)} episode(s){withdrawn} to {_shown(result.feed_path)} ({result.feed_url})",
        soft_wrap=True,
    )


@app.command("unpublish")
def unpublish_command(
    slug: str = typer.Argument(..., help="The episode's slug, e.g. asia-tech-brief-001."),
    workspace: Path | None = typer.Option(None, "--workspace", help="The show folder (default: found from here)."),
) -> None:
    """Withdraw one episode from the feed (its built files stay; the ledger published.json records it)."""
    from briefing.release import unpublish

    result = unpublish(find_workspace(workspace), slug)
    console.print(f"withdrew {slug}; the feed lists {len(result.episodes)} episode(s)", soft_wrap=True)


@app.command("validate")
def validate_command(
    source: str | None = typer.Argument(None, help="A feed file or http(s) URL (default: the show's feed/feed.xml)."),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds to wait for each download."),
) -> None:
    """Check a podcast feed the way podcast directories do: exit 1 on any error (--strict: on any finding), 2 when
    the feed cannot be read."""
    from briefing.validate import validate_feed
    from briefing.validate.report import print_report, report_json

    target = source if source is not None else str(find_workspace().feed_dir / "feed.xml")
    report = validate_feed(target, timeout=timeout)
    if as_json:
        typer.echo(report_json(report))
    else:
        print_report(report, console)
    raise typer.Exit(report.exit_code(strict))


@app.command("run")
def run_command(
    issues: list[Path] = typer.Argument(..., help="Newsletter issue files (.txt, .md or .html)."),
    engine: str | None = typer.Option(None, "--engine", help="Speech engine for this run: auto, gtts or espeak."),
    workspace: Path | None = typer.Option(None, "--workspace", help="The show folder (default: found from here)."),
) -> None:
    """Script, build, publish and validate in one go: the producer's main job."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from briefing.run import run_issues
    from briefing.validate.report import print_report

    show = find_workspace(workspace)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("starting", total=1)

        def report_progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=max(total, 1))

        summary = run_issues(show, issues, engine=engine, progress=report_progress)
    for outcome in summary.episodes:
        minutes, seconds = divmod(round(outcome.duration_ms / 1000), 60)
        script_note = {"kept": "existing script kept", "created": "new script", "unchanged": "script unchanged"}
        build_note = "built" if outcome.built else "up to date"
        slug = outcome.script.slug
        console.print(
            f"{slug}: {minutes}:{seconds:02d}, {build_note} with {outcome.engine}, "
            f"{script_note.get(outcome.script.status, outcome.script.status)} → {summary.episode_url(slug)}",
            soft_wrap=True,
        )
    if summary.report.findings:
        print_report(summary.report, console)
    findings = f"{summary.report.errors} error(s), {summary.report.warnings} warning(s)"
    console.print(f"feed: {_shown(summary.published.feed_path)} ({findings})", soft_wrap=True)
    raise typer.Exit(summary.report.exit_code())
