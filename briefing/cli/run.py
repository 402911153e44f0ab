"""`briefing run ISSUE…`: the producer's main job in one go — script, build, publish and validate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from briefing.cli.options import EngineOption, WorkspaceOption
from briefing.cli.output import console, shown
from briefing.cli.progress import OneBar
from briefing.durations import clock
from briefing.errors import BriefingError
from briefing.settings import Workspace, find_workspace

if TYPE_CHECKING:  # the pipeline is imported when a run starts
    from briefing.run import EpisodeOutcome, RunSummary

MAX_CHAPTERS_NAMED = 3


def speech_note(outcome: EpisodeOutcome) -> str:
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
    workspace: WorkspaceOption = None,
) -> None:
    """Script, build, publish and validate in one go: the producer's main job (or, with --new, a scheduler's)."""
    if new == bool(issues):
        raise BriefingError("give the issue files to run, or --new (what a scheduler runs), not both")
    show = find_workspace(workspace)
    if new:
        run_new_and_report(show, engine=engine, strict=strict, deploy=deploy)
    else:
        run_and_report(show, issues or [], engine=engine)


def run_and_report(show: Workspace, issues: list[Path], *, engine: str | None) -> None:
    from briefing.run import run_issues

    with OneBar(console) as bar:
        summary = run_issues(show, issues, engine=engine, progress=bar)
    report_run(summary)
    raise typer.Exit(summary.report.exit_code())


def run_new_and_report(show: Workspace, *, engine: str | None, strict: bool, deploy: bool) -> None:
    from briefing.cli.deploy import print_deploy
    from briefing.cli.fetch import print_fetch
    from briefing.run import run_new

    with OneBar(console) as bar:
        done = run_new(show, engine=engine, strict=strict, deploy=deploy, progress=bar)
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
    raise typer.Exit(done.run.report.exit_code(strict=strict))


def report_run(summary: RunSummary) -> None:
    from briefing.validate.report import print_report

    if summary.engine_reason:
        console.print(f"engine: {summary.engine_reason}", soft_wrap=True, markup=False)
    for outcome in summary.episodes:
        if outcome.script.note:
            console.print(f"{outcome.script.slug}: {outcome.script.note}", soft_wrap=True, markup=False)
        build_note = f"built with {outcome.engine} ({speech_note(outcome)})" if outcome.built else "up to date"
        slug = outcome.script.slug
        console.print(
            f"{slug}: {clock(outcome.duration_ms)}, {build_note}, "
            f"{SCRIPT_NOTES.get(outcome.script.status, outcome.script.status)} → {summary.episode_url(slug)}",
            soft_wrap=True,
            markup=False,
        )
    if summary.report.findings:
        print_report(summary.report, console)
    findings = f"{summary.report.errors} error(s), {summary.report.warnings} warning(s)"
    console.print(f"feed: {shown(summary.published.feed_path)} ({findings})", soft_wrap=True, markup=False)
