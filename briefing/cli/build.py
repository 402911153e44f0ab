"""`briefing build`: scripts → episodes (audio/episodes/<slug>.mp3 + <slug>.json), skipping those up to date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from briefing.cli.options import EngineOption, JobsOption, SchedulerOption, WorkspaceOption
from briefing.cli.output import console, err_console, sentence, shown
from briefing.cli.progress import BatchBars, StepBars
from briefing.durations import clock
from briefing.errors import BriefingError
from briefing.settings import Workspace, find_workspace

if TYPE_CHECKING:  # the build stack is imported when a build runs, not for every command
    from briefing.batch import BatchResult
    from briefing.build import EpisodeReport
    from briefing.speech.cast import Cast
    from briefing.task import EpisodeOutcome

STEP_LABELS = {
    "synthesis": "synthesis",
    "mix": "mix",
    "encode": "loudness + encode",
    # encoded again when the MP3 came out over the show's true-peak limit (or off its loudness)
    "encode, pass 2": "encode, 2nd pass",
    "encode, pass 3": "encode, 3rd pass",
}


def build(
    scripts: list[Path] = typer.Argument(
        None, readable=False, help="Scripts to build (default: every script in scripts/ whose episode is out of date)."
    ),
    engine: EngineOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print one machine-readable report (JSON) instead of text."),
    force: bool = typer.Option(False, "--force", help="Build even episodes that are up to date."),
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
    chapter: int | None = typer.Option(
        None, "--chapter", min=1, help="Only hear chapter N of one script: a preview WAV; the episode is left alone."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="With --chapter: the WAV to write (default: audio/previews/<slug>-chapter-N.wav)."
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """Turn spoken scripts into finished episodes: speech, music, loudness, MP3 with chapters, timeline."""
    show = find_workspace(workspace)
    address = cluster_address(show, scheduler, jobs)
    if chapter is None and address is None and (jobs == 1 or len(scripts or []) == 1):
        # One build in this process: its text analyser loads while the build stack imports and plans.
        from briefing.speech.background import start_early

        start_early()
    # Imported when the command runs: loading the stages costs time that other commands need not pay.
    from briefing.batch import plan_batch, run_batch
    from briefing.build import scripts_to_build

    if chapter is not None:
        preview(show, scripts or [], chapter, engine, output)
        return
    if output is not None:
        raise BriefingError("--output goes with --chapter (an episode is always written to audio/episodes/)")
    paths = scripts_to_build(show, scripts or [])
    if not paths:
        raise BriefingError("no scripts to build (run 'briefing script ISSUE' first)", show.scripts_dir)
    # Messages go to stderr with --json, so stdout carries the JSON alone.
    out = err_console if as_json else console
    batch = plan_batch(show, paths, engine=engine, force=force)  # `auto` is probed once, for the whole batch
    for chosen in batch.engines:
        out.print(engine_line(chosen), soft_wrap=True, markup=False)
    with BatchBars(out, STEP_LABELS) as bars:
        result = run_batch(show, batch, jobs=jobs, scheduler=address, progress=bars)
    print_outcomes(result, out)
    if as_json:
        typer.echo(json.dumps([outcome_dict(outcome) for outcome in result.outcomes], ensure_ascii=False, indent=2))
    raise typer.Exit(result.exit_code)


def cluster_address(show: Workspace, scheduler: str | None, jobs: int | None) -> str | None:
    """--scheduler, else show.toml's `[cluster] scheduler` unless --jobs asks to build here."""
    if scheduler is not None or jobs is not None:
        return scheduler
    return show.settings.cluster.scheduler


def print_outcomes(result: BatchResult, out: Console) -> None:
    """One line per episode (a failure as its error, on stderr), then the batch's summary when it had several."""
    for outcome in result.outcomes:
        if outcome.report is not None:
            out.print(summary_line(outcome.report), soft_wrap=True)
        else:
            err_console.print(f"[bold red]error:[/] {escape(failure_sentence(outcome))}", soft_wrap=True)
    if len(result.outcomes) > 1:
        out.print(batch_line(result), soft_wrap=True)


def failure_sentence(outcome: EpisodeOutcome) -> str:
    """Why an episode failed, its file named as the user would type it (relative to the current folder)."""
    refusal = outcome.refusal()
    return sentence(refusal) if refusal is not None else outcome.error or ""


def batch_line(result: BatchResult) -> str:
    totals = result.totals()
    minutes, seconds = divmod(round(totals["duration_ms"] / 1000), 60)
    counts = f"{result.count('built')} built, {result.count('up to date')} up to date, {result.count('failed')} failed"
    return (
        f"{len(result.outcomes)} episodes {result.where}: {counts}; utterances {totals['synthesised']} "
        f"synthesised, {totals['reused']} reused; MP3 segments {totals['segments_encoded']} encoded, "
        f"{totals['segments_reused']} reused; {minutes}:{seconds:02d} of audio in {result.seconds:.1f} s"
    )


def outcome_dict(outcome: EpisodeOutcome) -> dict[str, object]:
    if outcome.report is not None:
        return outcome.report.as_dict()
    return {"script": str(outcome.script), "built": False, "failed": True, "error": outcome.error}


def preview(show: Workspace, scripts: list[Path], number: int, engine: str | None, output: Path | None) -> None:
    """`--chapter N`: one chapter of one script into a preview file."""
    from briefing.preview import preview_chapter

    if len(scripts) != 1:
        raise BriefingError("--chapter previews one chapter of one script: name the script (briefing build SCRIPT "
                            "--chapter N)")  # fmt: skip
    with StepBars(console, STEP_LABELS) as bars:
        heard = preview_chapter(show, scripts[0], number, engine=engine, output=output, progress=bars)
    if heard.reason:
        console.print(f"engine: {heard.reason}", soft_wrap=True, markup=False)
    console.print(
        f"wrote {shown(heard.path)}: chapter {number}, {heard.duration_ms / 1000:.1f} s, {heard.voices}, "
        f"{len(heard.spoken)} utterances ({heard.synthesised} synthesised, {heard.reused} reused)",
        soft_wrap=True,
    )


def engine_line(cast: Cast) -> str:
    """ "engine: edge (지수: ko-KR-SunHiNeural, 민호: ko-KR-InJoonNeural) — auto: supertonic: no model at …"."""
    return f"engine: {cast.describe()}" + (f" — {cast.reason}" if cast.reason else "")


def summary_line(report: EpisodeReport) -> str:
    verb = "built" if report.built else "up to date"
    return (
        f"{verb} {report.slug}: {clock(report.duration_ms)}, {report.integrated_lufs:.1f} LUFS, "
        f"{report.true_peak_dbtp:.1f} dBTP, {report.mp3_bytes / 1e6:.1f} MB, {report.utterances} utterances "
        f"({report.synthesised} synthesised, {report.reused} reused)"
        + (f", MP3 segments {report.segments_encoded} encoded, {report.segments_reused} reused" if report.built else "")
        + (
            f", {report.repaired} damaged cache entr{'y' if report.repaired == 1 else 'ies'} made again"
            if report.repaired
            else ""
        )  # fmt: skip
        + f", {report.seconds:.1f} s"
    )
