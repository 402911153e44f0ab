"""`briefing run ISSUE…`: the producer's main job in one go — script, build, publish and validate; over many issues
(a back catalogue) the builds run as one batch, on every core or on a Dask cluster."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from briefing.cli.build import STEP_LABELS, batch_line, cluster_address
from briefing.cli.options import EngineOption, JobsOption, SchedulerOption, WorkspaceOption
from briefing.cli.output import console, err_console, shown
from briefing.cli.progress import BatchBars
from briefing.settings import find_workspace

SCRIPT_NOTES = {"kept": "existing script kept", "created": "new script", "unchanged": "script unchanged"}


def run(
    issues: list[Path] = typer.Argument(..., help="Newsletter issue files (.txt, .md or .html)."),
    engine: EngineOption = None,
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Script, build, publish and validate in one go: the producer's main job."""
    from briefing.run import run_issues
    from briefing.validate.report import print_report

    show = find_workspace(workspace)
    with BatchBars(console, STEP_LABELS) as bars:
        summary = run_issues(
            show, issues, engine=engine, progress=bars, jobs=jobs, scheduler=cluster_address(show, scheduler, jobs)
        )
    if summary.engine_reason:
        console.print(f"engine: {summary.engine_reason}", soft_wrap=True, markup=False)
    for outcome in summary.batch.outcomes:
        step = summary.script_step(outcome.script)
        if outcome.report is None or step is None or summary.published is None:
            continue
        minutes, seconds = divmod(round(outcome.report.duration_ms / 1000), 60)
        build_note = "built" if outcome.report.built else "up to date"
        console.print(
            f"{step.slug}: {minutes}:{seconds:02d}, {build_note} with {outcome.report.engine}, "
            f"{SCRIPT_NOTES.get(step.status, step.status)} → {summary.episode_url(step.slug)}",
            soft_wrap=True,
        )
    for outcome in summary.failed:
        err_console.print(f"[bold red]error:[/] {escape(outcome.error or '')}", soft_wrap=True)
    if len(issues) > 1:
        console.print(batch_line(summary.batch), soft_wrap=True)
    if summary.report is not None and summary.published is not None:
        if summary.report.findings:
            print_report(summary.report, console)
        findings = f"{summary.report.errors} error(s), {summary.report.warnings} warning(s)"
        console.print(f"feed: {shown(summary.published.feed_path)} ({findings})", soft_wrap=True)
    raise typer.Exit(summary.exit_code)
