"""`briefing build`: scripts → episodes (audio/episodes/<slug>.mp3 + <slug>.json), skipping those up to date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from briefing.cli.options import EngineOption, WorkspaceOption
from briefing.cli.output import console, err_console, shown
from briefing.cli.progress import StepBars
from briefing.durations import clock
from briefing.errors import BriefingError
from briefing.settings import Workspace, find_workspace

if TYPE_CHECKING:  # the build stack is imported when a build runs, not for every command
    from briefing.build import EpisodeReport
    from briefing.speech.cast import Cast

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
    chapter: int | None = typer.Option(
        None, "--chapter", min=1, help="Only hear chapter N of one script: a preview WAV; the episode is left alone."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="With --chapter: the WAV to write (default: audio/previews/<slug>-chapter-N.wav)."
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """Turn spoken scripts into finished episodes: speech, music, loudness, MP3 with chapters, timeline."""
    # Imported when the command runs: loading the stages costs time that other commands need not pay.
    from briefing.build import EngineChoice, build_episode, checked_scripts, scripts_to_build

    show = find_workspace(workspace)
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
    checked = checked_scripts(show, paths)  # every script is read and checked before any work starts
    choice = EngineChoice(show, engine)
    reports, announced = [], None
    for path, script in checked.items():
        chosen = choice.for_script(script.meta, path)  # `auto` is probed once, on the first script
        if chosen is not announced:
            announced = chosen
            out.print(engine_line(chosen), soft_wrap=True, markup=False)
        with StepBars(out, STEP_LABELS) as bars:
            reports.append(build_episode(show, path, engine=chosen, progress=bars, force=force))
        out.print(summary_line(reports[-1]), soft_wrap=True)
    if as_json:
        typer.echo(json.dumps([report.as_dict() for report in reports], ensure_ascii=False, indent=2))


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
