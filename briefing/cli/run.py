"""`briefing run ISSUE…`: the producer's main job in one go — script, build, publish and validate; over many issues
(a back catalogue) the builds run as one batch, on every core or on a Dask cluster."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from briefing.cli.build import STEP_LABELS, batch_line, cluster_address, failure_sentence
from briefing.cli.options import EngineOption, JobsOption, SchedulerOption, WorkspaceOption
from briefing.cli.output import console, err_console, shown
from briefing.cli.progress import BatchBars
from briefing.durations import clock
from briefing.errors import BriefingError
from briefing.settings import Workspace, find_workspace

if TYPE_CHECKING:  # the pipeline is imported when a run starts
    from briefing.build import EpisodeReport
    from briefing.run import RunSummary

MAX_CHAPTERS_NAMED = 3


def speech_note(outcome: EpisodeReport) -> str:
    """What a build synthesised: "synthesised 2 of 104 utterances, in 'A' and 'B'" (the rest came from the cache)."""
    if outcome.synthesised == 0:
        return f"all {outcome.utterances} utterances from the cache"
    if outcome.synthesised == outcome.utterances:
        return f"synthesised all {outcome.utterances} utterances"
    chapters = [f"'{title}'" for title in outcome.synthesised_chapters]
    if len(chapters) > MAX_CHAPTERS_NAMED:
        chapters = [*chapters[: MAX_CHAPTERS_NAMED - 1], f"{len(chapters) - MAX_CHAPTERS_NAMED + 1} more chapters"]
    where = chapters[0] if len(chapters) == 1 else ", ".join(chapters[:-1]) + " and " + chapters[-1]
    return f"synthesised {outcome.synthesised} of {outcome.utterances} utterances, in {where}"


SCRIPT_NOTES = {"kept": "existing script kept", "created": "new script", "unchanged": "script unchanged"}


def run(
    issues: list[Path] | None = typer.Argument(
        None, readable=False, help="Newsletter issue files (.txt, .md or .html)."
    ),
    new: bool = typer.Option(
        False, "--new", help="Fetch, then script, build, publish, validate and deploy only what is new."
    ),
    strict: bool = typer.Option(False, "--strict", help="With --new: any validation warning also stops the deploy."),
    deploy: bool = typer.Option(True, "--deploy/--no-deploy", help="With --new: deploy to the [deploy] target."),
    engine: EngineOption = None,
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Script, build, publish and validate in one go: the producer's main job (or, with --new, a scheduler's)."""
    if new == bool(issues):
        raise BriefingError("give the issue files to run, or --new (what a scheduler runs), not both")
    show = find_workspace(workspace)
    address = cluster_address(show, scheduler, jobs)
    if new:
        run_new_and_report(show, engine=engine, strict=strict, deploy=deploy, jobs=jobs, scheduler=address)
    else:
        run_and_report(show, issues or [], engine=engine, jobs=jobs, scheduler=address)


def run_and_report(
    show: Workspace, issues: list[Path], *, engine: str | None, jobs: int | None, scheduler: str | None
) -> None:
    from briefing.run import run_issues

    with BatchBars(console, STEP_LABELS) as bars:
        summary = run_issues(show, issues, engine=engine, progress=bars, jobs=jobs, scheduler=scheduler)
    report_run(summary, several=len(issues) > 1)
    raise typer.Exit(summary.exit_code)


def run_new_and_report(
    show: Workspace, *, engine: str | None, strict: bool, deploy: bool, jobs: int | None, scheduler: str | None
) -> None:
    from briefing.cli.deploy import print_deploy
    from briefing.cli.fetch import print_fetch
    from briefing.run import run_new

    with BatchBars(console, STEP_LABELS) as bars:
        done = run_new(show, engine=engine, strict=strict, deploy=deploy, progress=bars, jobs=jobs,
                       scheduler=scheduler)  # fmt: skip
    if done.fetched is not None:
        print_fetch(done.fetched)
    if done.run is None:
        console.print("nothing new: no new issue, no edited script, no episode due", soft_wrap=True)
        raise typer.Exit(0)
    report_run(done.run)
    if done.deployed is not None:
        print_deploy(done.deployed)
    elif done.held_back and show.settings.deploy is not None:
        console.print("not deployed: the feed has findings to fix first", soft_wrap=True)
    report = done.run.report
    raise typer.Exit(done.run.exit_code or (report.exit_code(strict=strict) if report is not None else 0))


def report_run(summary: RunSummary, *, several: bool = True) -> None:
    """Each episode's line, each failure's sentence (on stderr), the batch's summary when it had `several`
    episodes, and the feed's validation."""
    from briefing.validate.report import print_report

    if summary.engine_reason:
        console.print(f"engine: {summary.engine_reason}", soft_wrap=True, markup=False)
    for outcome in summary.batch.outcomes:
        step = summary.script_step(outcome.script)
        if outcome.report is None or step is None or summary.published is None:
            continue
        if step.note:
            console.print(f"{step.slug}: {step.note}", soft_wrap=True, markup=False)
        report = outcome.report
        build_note = f"built with {report.engine} ({speech_note(report)})" if report.built else "up to date"
        console.print(
            f"{step.slug}: {clock(report.duration_ms)}, {build_note}, "
            f"{SCRIPT_NOTES.get(step.status, step.status)} → {summary.episode_url(step.slug)}",
            soft_wrap=True,
            markup=False,
        )
    for outcome in summary.failed:
        err_console.print(f"[bold red]error:[/] {escape(failure_sentence(outcome))}", soft_wrap=True)
    if several and len(summary.batch.outcomes) > 1:
        console.print(batch_line(summary.batch), soft_wrap=True)
    if summary.report is not None and summary.published is not None:
        if summary.report.findings:
            print_report(summary.report, console)
        findings = f"{summary.report.errors} error(s), {summary.report.warnings} warning(s)"
        console.print(f"feed: {shown(summary.published.feed_path)} ({findings})", soft_wrap=True, markup=False)
