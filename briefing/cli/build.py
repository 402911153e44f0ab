"""`briefing build`: scripts → episodes (audio/episodes/<slug>.mp3 + <slug>.json), skipping those up to date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from briefing.cli.options import EngineOption, WorkspaceOption
from briefing.cli.output import console, err_console
from briefing.cli.progress import StepBars
from briefing.errors import BriefingError
from briefing.settings import find_workspace

if TYPE_CHECKING:  # the build stack is imported when a build runs, not for every command
    from briefing.build import EpisodeReport

STEP_LABELS = {"synthesis": "synthesis", "mix": "mix", "encode": "loudness + encode"}


def build(
    scripts: list[Path] = typer.Argument(
        None, help="Scripts to build (default: every script in scripts/ whose episode is out of date)."
    ),
    engine: EngineOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print one machine-readable report (JSON) instead of text."),
    force: bool = typer.Option(False, "--force", help="Build even episodes that are up to date."),
    workspace: WorkspaceOption = None,
) -> None:
    """Turn spoken scripts into finished episodes: speech, music, loudness, MP3 with chapters, timeline."""
    # Imported when the command runs: loading the stages costs time that other commands need not pay.
    from briefing.build import EngineChoice, build_episode, scripts_to_build
    from briefing.script import load_script

    show = find_workspace(workspace)
    paths = scripts_to_build(show, scripts or [])
    if not paths:
        raise BriefingError("no scripts to build (run 'briefing script ISSUE' first)", show.scripts_dir)
    # Messages go to stderr with --json, so stdout carries the JSON alone.
    out = err_console if as_json else console
    choice = EngineChoice(show, engine)
    reports, announced = [], None
    for path in paths:
        chosen = choice.for_script(load_script(path).meta)  # `auto` is probed once, on the first script
        if (chosen.name, chosen.voice) != announced:
            announced = (chosen.name, chosen.voice)
            out.print(f"engine: {chosen.name} (voice {chosen.voice})")
        with StepBars(out, STEP_LABELS) as bars:
            reports.append(build_episode(show, path, engine=chosen, progress=bars, force=force))
        out.print(summary_line(reports[-1]), soft_wrap=True)
    if as_json:
        typer.echo(json.dumps([report.as_dict() for report in reports], ensure_ascii=False, indent=2))


def summary_line(report: EpisodeReport) -> str:
    minutes, seconds = divmod(round(report.duration_ms / 1000), 60)
    verb = "built" if report.built else "up to date"
    return (
        f"{verb} {report.slug}: {minutes}:{seconds:02d}, {report.integrated_lufs:.1f} LUFS, "
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
