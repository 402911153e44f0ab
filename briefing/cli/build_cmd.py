"""`briefing build`: scripts → episodes (audio/episodes/<slug>.mp3 + <slug>.json), skipping those up to date."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from briefing.cli import app, console, err_console
from briefing.errors import BriefingError
from briefing.settings import find_workspace

STAGE_LABELS = {"synthesis": "synthesis", "mix": "mix", "encode": "loudness + encode"}


@app.command("build")
def build_command(
    scripts: list[Path] = typer.Argument(
        None, help="Scripts to build (default: every script in scripts/ whose episode is out of date)."
    ),
    engine: str | None = typer.Option(
        None, "--engine", help="auto | gtts | espeak (default: the script's, else the show's)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one machine-readable report (JSON) instead of text."),
    force: bool = typer.Option(False, "--force", help="Build even episodes that are up to date."),
    workspace: Path | None = typer.Option(None, "--workspace", help="The show folder (default: found from here)."),
) -> None:
    """Turn spoken scripts into finished episodes: speech, music, loudness, MP3 with chapters, timeline."""
    from briefing.build import EngineChoice, build_episode, scripts_to_build
    from briefing.script import load_script
    from briefing.settings import ENGINE_NAMES, unknown_engine

    if engine is not None and engine not in ENGINE_NAMES:
        raise BriefingError(unknown_engine(engine))
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
        with _ProgressBars(out) as bars:
            reports.append(build_episode(show, path, engine=chosen, progress=bars, force=force))
        out.print(summary_line(reports[-1]), soft_wrap=True)
    if as_json:
        typer.echo(json.dumps([report.as_dict() for report in reports], ensure_ascii=False, indent=2))


class _ProgressBars:
    """Rich progress bars, one per stage, fed by build_episode's (stage, done, total) reports.

    They appear on the first report, so an episode that is up to date prints its summary line alone.
    """

    def __init__(self, out: Console):
        self.progress = Progress(
            TextColumn("{task.description:>18}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=out, transient=True, disable=not out.is_terminal,
        )  # fmt: skip
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.tasks:
            self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.tasks:
            self.progress.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(STAGE_LABELS.get(stage, stage), total=max(total, 1))
        self.progress.update(self.tasks[stage], completed=done if total else 1, total=max(total, 1))


def summary_line(report) -> str:
    minutes, seconds = divmod(round(report.duration_ms / 1000), 60)
    verb = "built" if report.built else "up to date"
    return (
        f"{verb} {report.slug}: {minutes}:{seconds:02d}, {report.integrated_lufs:.1f} LUFS, "
        f"{report.true_peak_dbtp:.1f} dBTP, {report.mp3_bytes / 1e6:.1f} MB, {report.utterances} utterances "
        f"({report.synthesised} synthesised, {report.reused} reused)"
        + (f", MP3 segments {report.segments_encoded} encoded, {report.segments_reused} reused" if report.built else "")
        + f", {report.seconds:.1f} s"
    )
