"""`briefing run ISSUE…`: the producer's main job in one go — script, build, publish and validate."""

from __future__ import annotations

from pathlib import Path

import typer

from briefing.cli.options import EngineOption, WorkspaceOption
from briefing.cli.output import console, shown
from briefing.cli.progress import OneBar
from briefing.settings import find_workspace

SCRIPT_NOTES = {"kept": "existing script kept", "created": "new script", "unchanged": "script unchanged"}


def run(
    issues: list[Path] = typer.Argument(..., help="Newsletter issue files (.txt, .md or .html)."),
    engine: EngineOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Script, build, publish and validate in one go: the producer's main job."""
    from briefing.run import run_issues
    from briefing.validate.report import print_report

    show = find_workspace(workspace)
    with OneBar(console) as bar:
        summary = run_issues(show, issues, engine=engine, progress=bar)
    if summary.engine_reason:
        console.print(f"engine: {summary.engine_reason}", soft_wrap=True, markup=False)
    for outcome in summary.episodes:
        minutes, seconds = divmod(round(outcome.duration_ms / 1000), 60)
        build_note = "built" if outcome.built else "up to date"
        slug = outcome.script.slug
        console.print(
            f"{slug}: {minutes}:{seconds:02d}, {build_note} with {outcome.engine}, "
            f"{SCRIPT_NOTES.get(outcome.script.status, outcome.script.status)} → {summary.episode_url(slug)}",
            soft_wrap=True,
        )
    if summary.report.findings:
        print_report(summary.report, console)
    findings = f"{summary.report.errors} error(s), {summary.report.warnings} warning(s)"
    console.print(f"feed: {shown(summary.published.feed_path)} ({findings})", soft_wrap=True)
    raise typer.Exit(summary.report.exit_code())
